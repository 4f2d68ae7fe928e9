package hookserve

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// This file reads the webhook bodies that are not a plain form: a
// multipart/form-data body (what PHP's curl posts when given an array of
// fields) and a JSON object, each turned into the form body the root's
// webhook parser reads.

// FormMediaType is the media type of a plain form body.
const FormMediaType = "application/x-www-form-urlencoded"

// BodyError says why a webhook body cannot be read: the HTTP status to
// answer with and the reason.
type BodyError struct {
	Status int
	Reason string
}

// ToForm returns body, of the given kind (and multipart boundary), as a
// form body, with a warning for each part or member that was ignored.
func ToForm(kind BodyKind, body, boundary string) (string, []string, *BodyError) {
	switch kind {
	case BodyMultipart:
		return multipartToForm(body, boundary)
	case BodyJSON:
		return jsonToForm(body)
	}
	return body, nil, nil
}

// FieldName returns a field name for a warning: as it is when short and
// printable, else cut.
func FieldName(name string) string {
	if len(name) == 0 || len(name) > 40 {
		return "(unnamed)"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-'; !ok {
			return "(name not shown)"
		}
	}
	return strconv.Quote(name)
}

// BodyKind is how a webhook body is read.
type BodyKind uint8

// The kinds of webhook body.
const (
	BodyForm BodyKind = iota
	BodyMultipart
	BodyJSON
)

const multipartMediaType = "multipart/form-data"

// MediaType says how to read a body of Content-Type ct and, for a
// multipart one, its boundary. A form media type whose parameters cannot
// be read is still a form: INEXOPAY's body does not depend on them.
func MediaType(ct string) (BodyKind, string, *BodyError) {
	if ct == "" || ct == FormMediaType {
		return BodyForm, "", nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	switch mt {
	case FormMediaType:
		return BodyForm, "", nil
	case multipartMediaType:
		if err != nil || params["boundary"] == "" {
			return 0, "", &BodyError{Status: http.StatusUnsupportedMediaType, Reason: "multipart/form-data without a readable boundary"}
		}
		return BodyMultipart, params["boundary"], nil
	case "application/json":
		return BodyJSON, "", nil
	}
	return 0, "", &BodyError{Status: http.StatusUnsupportedMediaType,
		Reason: "content type must be application/x-www-form-urlencoded, multipart/form-data or application/json"}
}

// multipartToForm returns the fields of a multipart/form-data body as a
// form body, in the order received, and a warning for each part that is a
// file or has no name (ignored).
func multipartToForm(body, boundary string) (string, []string, *BodyError) {
	mr := multipart.NewReader(strings.NewReader(body), boundary)
	var b strings.Builder
	var notes []string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, &BodyError{Status: http.StatusBadRequest, Reason: "malformed multipart/form-data body"}
		}
		name, file := part.FormName(), part.FileName() != ""
		val, err := io.ReadAll(part)
		_ = part.Close()
		switch {
		case err != nil:
			return "", nil, &BodyError{Status: http.StatusBadRequest, Reason: "malformed multipart/form-data body"}
		case file:
			notes = append(notes, "a file part ("+FieldName(name)+") was ignored")
			continue
		case name == "":
			notes = append(notes, "a multipart part without a field name was ignored")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(string(val)))
	}
	return b.String(), notes, nil
}

// jsonToForm returns the members of a JSON object as a form body, in the
// order the object gives them, a member given twice twice (so that the
// form's reader refuses or warns about it as it does for a form's field,
// instead of the last value silently winning): strings as they are,
// numbers as written, booleans as true or false, null as empty. A member
// that is an object or an array is ignored, with a warning. Anything after
// the object makes the body unreadable.
func jsonToForm(body string) (string, []string, *BodyError) {
	notObject := &BodyError{Status: http.StatusBadRequest, Reason: "JSON body is not an object"}
	dec := json.NewDecoder(strings.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", nil, notObject
	}
	var form, notes []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", nil, notObject
		}
		k, _ := tok.(string)
		var rawMsg json.RawMessage
		if err := dec.Decode(&rawMsg); err != nil {
			return "", nil, notObject
		}
		raw := strings.TrimSpace(string(rawMsg))
		var v string
		switch {
		case raw == "null":
		case strings.HasPrefix(raw, `"`):
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				return "", nil, notObject
			}
		case strings.HasPrefix(raw, "{"), strings.HasPrefix(raw, "["):
			notes = append(notes, "JSON member "+FieldName(k)+" is an object or array and was ignored")
			continue
		default:
			v = raw // a number or a boolean, as written
		}
		form = append(form, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return "", nil, notObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", nil, notObject
	}
	return strings.Join(form, "&"), notes, nil
}
