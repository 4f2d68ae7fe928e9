package inexopay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/inexopay/inexopay-go/internal/wire"
)

var utf8BOM = []byte("\xef\xbb\xbf")

// readError is an answer that was cut short while being read.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// isTemporary reports whether an answer's failure may pass on a second
// try: a 5xx (in the HTTP status or the body), a 429, a page that is not
// JSON, or an answer cut short.
func isTemporary(err error) bool {
	if err == nil {
		return false
	}
	var re *readError
	if errors.As(err, &re) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.Temporary()
}

// decodeAnswer turns an HTTP answer into out, or into the [*APIError] it
// describes.
func decodeAnswer(e Endpoint, resp *http.Response, body []byte, out wire.Headed) *APIError {
	// PHP files saved with a byte order mark send it before the JSON.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(body), utf8BOM))
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e, kind: ErrServer,
			permanent: true, Message: redirectMessage(resp)}
	}
	if h, ok := out.(htmlAnswer); ok && ok2xx && len(trimmed) > 0 && trimmed[0] == '<' {
		// PAN.Request and PAN.Resume may answer with an HTML form (panform.go).
		return h.decodeHTML(e, resp, trimmed)
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		ae := &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e,
			ContentType: resp.Header.Get("Content-Type"), Snippet: snippet(trimmed)}
		if ok2xx {
			ae.kind = ErrServer
		}
		if len(trimmed) == 0 {
			ae.Message = "empty answer"
		} else {
			ae.Message = "answer is not JSON"
		}
		ae.RetryAfter = retryAfter(resp)
		return ae
	}
	var jerr error
	if ok2xx {
		if jerr = json.Unmarshal(trimmed, out); jerr == nil && !out.Head().Failed() {
			if !hasData(out) {
				// A "success" without what the call exists to return: on a
				// charging call the charge may have happened (outcome
				// unknown); a second try would get the same answer.
				return &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e, kind: ErrServer,
					permanent: true, Message: "success answer without its data member"}
			}
			return nil
		}
	}
	var f wire.Failure
	if err := json.Unmarshal(trimmed, &f); err != nil {
		return &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e, kind: ErrServer,
			ContentType: resp.Header.Get("Content-Type"), Message: "answer is not valid JSON", Snippet: snippet(trimmed)}
	}
	ae := &APIError{HTTPStatus: resp.StatusCode, Endpoint: e, Status: f.Status.String(),
		Message: string(f.Message), RetryAfter: retryAfter(resp)}
	switch code, ok := f.Code(); {
	case ok:
		ae.Code = code
	case !ok2xx:
		ae.Code = resp.StatusCode
	}
	if rc, text, ok := f.RespCode(); ok {
		ae.Code = rc
		if ae.Message == "" {
			ae.Message = text
		}
	}
	if ok2xx && !f.Failed() {
		// The envelope says success but the answer did not fit its type; a
		// second try would get the same shape.
		ae.kind, ae.permanent = ErrServer, true
		ae.Message = "answer does not match the documented shape: " + describeJSONError(jerr)
	}
	return ae
}

// redirectMessage describes a redirect the SDK refused to follow, naming
// where it pointed without its query.
func redirectMessage(resp *http.Response) string {
	to := "elsewhere"
	if loc, err := resp.Location(); err == nil {
		loc.RawQuery, loc.Fragment, loc.User = "", "", nil
		to = loc.String()
	}
	return "redirected to " + to + "; the SDK does not follow redirects (check the base URL)"
}

// describeJSONError says which member of an answer had an unexpected type,
// in JSON terms rather than Go ones.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("member %q is a JSON %s, not %s", te.Field, te.Value, jsonKind(te.Type))
		}
		return fmt.Sprintf("a JSON %s where %s was expected", te.Value, jsonKind(te.Type))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	if err == nil {
		return "unknown"
	}
	return err.Error()
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a " + t.Kind().String()
}

// snippet returns the start of a non-JSON answer with markup removed and
// white space collapsed, for an error message.
func snippet(b []byte) string {
	const limit = 120
	var out strings.Builder
	inTag, space := false, false
	for i := 0; i < len(b) && out.Len() < limit; {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			space = true
		case inTag:
		case r == utf8.RuneError && size == 1:
		case r == ' ' || r == '\n' || r == '\t' || r == '\r':
			space = true
		default:
			if space && out.Len() > 0 {
				out.WriteByte(' ')
			}
			space = false
			out.WriteRune(r)
		}
	}
	return out.String()
}

// redact removes every sensitive value sent with a call (API key, Aadhaar

// hasData reports whether a decoded success answer carries the data member
// its type declares (a Data field: a pointer, raw JSON or text); answer
// types without one, such as Balance's, always do.
func hasData(out wire.Headed) bool {
	v := reflect.ValueOf(out).Elem()
	if v.Kind() != reflect.Struct {
		return true
	}
	index := dataIndex(v.Type())
	if index == nil {
		return true
	}
	f := v.FieldByIndex(index)
	switch f.Kind() {
	case reflect.Pointer:
		return !f.IsNil()
	case reflect.Slice: // json.RawMessage
		return f.Len() > 0 && string(f.Bytes()) != "null"
	case reflect.String:
		return f.Len() > 0
	}
	return true
}

// dataIndexes caches, per answer type, where its Data field is (nil: none),
// so that a call does not look the field up by name again.
var dataIndexes sync.Map // reflect.Type → []int

func dataIndex(t reflect.Type) []int {
	if i, ok := dataIndexes.Load(t); ok {
		return i.([]int)
	}
	var index []int
	if f, ok := t.FieldByName("Data"); ok {
		index = f.Index
	}
	dataIndexes.Store(t, index)
	return index
}
