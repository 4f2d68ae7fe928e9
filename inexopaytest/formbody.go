package inexopaytest

import (
	"mime"
	"net/http"
	"strings"
)

// formHint says how to send form fields from common clients.
const formHint = "send the fields form-encoded with Content-Type: application/x-www-form-urlencoded " +
	"(curl -d name=value, PHP http_build_query, Python requests.post(url, data={...}), " +
	"JavaScript new URLSearchParams({...}))"

// bodyProblem returns a message for a request whose body is not
// form-encoded (JSON, multipart or anything else), or "" when the body is
// a form or empty.
func bodyProblem(r *http.Request) string {
	if r.Method != http.MethodPost || r.ContentLength == 0 {
		return ""
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case err == nil && mt == "application/x-www-form-urlencoded":
		return ""
	case err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")):
		return "The request body is JSON; the INEXOPAY API takes form fields, not JSON: " + formHint + "."
	case err == nil && mt == "multipart/form-data":
		return "The request body is multipart/form-data; the INEXOPAY API takes application/x-www-form-urlencoded form fields: " + formHint + "."
	case ct == "":
		return "The request has a body but no Content-Type; the INEXOPAY API takes form fields: " + formHint + "."
	}
	return "The request body is " + quoteShort(ct) + "; the INEXOPAY API takes form fields: " + formHint + "."
}
