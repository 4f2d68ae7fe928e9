// Package answer turns an HTTP answer into a decoded result or the APIError it describes, by the decision table.
package answer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/htmlform"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// BOM is the byte order mark that PHP files saved with one send before
// their JSON.
var BOM = []byte("\xef\xbb\xbf")

// IsTemporary reports whether an answer's failure may pass on a second
// try: a 5xx (in the HTTP status or the body), a 429, a page that is not
// JSON, or an answer cut short.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	var re *redact.ReadError
	if errors.As(err, &re) {
		return true
	}
	var ae *apierr.APIError
	return errors.As(err, &ae) && ae.Temporary()
}

// Decode turns an HTTP answer to a call about asked (its order id, ""
// for none, and request id) into out, or into the [*APIError] it describes. It gathers the
// answer's facts and lets the decision table (decide.go) judge them: nil for
// a success, the API's refusal as it said it, or an unusable answer, which
// matches [ErrServer] (and which the call turns into [ErrOutcomeUnknown] on
// a charging call). asked is the order and request the call asked about,
// which every id the answer names must be. apiBases are the documented API
// base URLs, which no hand-off URL (wire.HandOffer) may point to; keys are
// the call's credentials, which no hand-off URL may carry.
func Decode(e endpoints.Name, resp *http.Response, body []byte, out wire.Headed, asked wire.Asked, keys redact.Set, apiBases ...string) *apierr.APIError {
	// PHP files saved with a byte order mark send it before the JSON.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(body), BOM))
	status := resp.StatusCode
	// A 206 is part of an answer (the SDK never sends Range): not a 2xx
	// answer to read, and never a refusal (decide's first row).
	ok2xx := status >= 200 && status <= 299 && status != http.StatusPartialContent
	if status >= 300 && status <= 399 {
		return apierr.MarkServer(&apierr.APIError{HTTPStatus: status, Code: status, Endpoint: e,
			Message: redirectMessage(resp)}, true, true)
	}
	if h, ok := out.(HTMLDecoder); ok && ok2xx && len(trimmed) > 0 && trimmed[0] == '<' {
		// PAN.Request and PAN.Resume may answer with an HTML form (panform.go):
		// a usable form is a success (shapeForm), any other page is not.
		if ae := h.DecodeHTML(e, resp, trimmed); ae != nil {
			apierr.SetUnusable(ae, true)
			return ae
		}
		return nil
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return notJSON(e, resp, trimmed)
	}
	f := answerFacts{HTTPStatus: status, Shape: shapeObject}
	// The markers are read by their exact member names (internal/wire's
	// members.go), never by the struct decode below, which would match
	// names without regard to case and keep the last of two.
	// The decode comes first: when it succeeds the body is valid JSON (it
	// checks that before decoding), and the markers are read without a
	// second validity pass; on any error ReadMembers checks it again.
	jerr := json.Unmarshal(trimmed, out)
	var members wire.Members
	var merr error
	if jerr == nil {
		members, merr = wire.ReadValidMembers(trimmed)
	} else {
		members, merr = wire.ReadMembers(trimmed)
	}
	if merr == nil && (!utf8.Valid(trimmed) || wire.LoneSurrogate(trimmed)) {
		// Not well-formed JSON (RFC 8259 §8.1), or an unpaired UTF-16
		// surrogate escape: PHP's json_decode gives null for either, so no
		// refusal can be read from it either.
		merr = wire.ErrNotObject
	}
	if merr != nil {
		ae := &apierr.APIError{HTTPStatus: status, Code: status, Endpoint: e,
			ContentType: resp.Header.Get("Content-Type"), Message: "answer is not valid JSON"}
		SetSnippet(ae, trimmed)
		return apierr.MarkServer(ae, true, false)
	}
	exact, eerr := members.Envelope()
	twice := members.TwoValues()
	// A member that encoding/json would bind by folding its name
	// ("BALANCE", "ſtatus", a second "DATA") can be read two ways: PHP reads
	// only the exact name. Such an answer contradicts itself.
	misspelled := wire.MisspelledMember(trimmed, out)
	f.TwoValues = twice != "" || eerr != nil || misspelled != ""
	env := &exact
	var fl wire.Failure
	if jerr == nil {
		f.Fits = true
		*out.Head() = exact
	}
	st := env.Status
	f.Status = statusMarker(st.Set, st.IsBool, st.Bool, st.Text)
	code, hasCode := env.Code()
	f.Code = codeMarker(hasCode, code)
	if env.StatusCode.Set && env.ErrorCode.Set {
		f.OtherCode = codeMarker(true, int(env.ErrorCode.Val))
	}
	// A 5xx in either code member (status_code or error_code) is a server
	// failure, whichever of the two the other one names.
	is5xx := func(c wire.OptInt) bool { return c.Set && c.Val >= 500 && c.Val <= 599 }
	f.ServerCode = is5xx(env.StatusCode) || is5xx(env.ErrorCode)
	if f.Fits {
		if m, ok := out.(wire.MustHaver); ok {
			f.Missing = m.Missing()
			f.Proof = f.Missing == ""
		}
		f.Disagrees = disagrees(out, asked)
	} else if jerr != nil {
		f.Proof = carriesMustHaves(trimmed, out)
	}
	// Every answer, a refusal too, must be about what the call asked.
	other := otherIDs(trimmed, asked)
	f.OtherOrder = other.what != ""
	d := decide(f)
	if d == decideSuccess {
		return handOff(e, resp, out, asked, keys, apiBases)
	}
	ae := &apierr.APIError{HTTPStatus: status, Endpoint: e, Status: st.String(),
		Message: string(env.Message), RetryAfter: RetryAfter(resp)}
	switch {
	case hasCode:
		ae.Code = code
	case !ok2xx:
		ae.Code = status
	}
	_ = json.Unmarshal(trimmed, &fl) // for the NSDL respcode in data
	if rc, text, ok := fl.RespCode(); ok {
		ae.Code = rc
		if ae.Message == "" {
			ae.Message = text
		}
	}
	if d == decideRefused {
		return ae
	}
	_ = apierr.MarkServer(ae, true, true)
	switch {
	case status < 200 || status > 599:
	case status >= 500 || f.ServerCode && (f.Status == markFailure || f.Code == markFailure):
		apierr.SetPermanent(ae, false) // a server failure may pass
	case notFromAPI(status):
		// Not the API's answer: a 408, 425, 421 or 499 may pass on a second
		// try; a proxy's 407 needs its credentials first.
		apierr.SetPermanent(ae, status == http.StatusProxyAuthRequired)
	}
	if r := unusableReason(unusable{facts: f, env: env, twice: twice, eerr: eerr, misspelled: misspelled,
		out: out, jerr: jerr, other: other}); r != "" {
		ae.Message = r
	}
	return ae
}

// handOff is the [*APIError] of a success answer whose hand-off URL a
// browser cannot follow on to NSDL (htmlform.HandOff), or whose query names
// an order, PAN or Aadhaar number other than the one asked
// (wire.OtherInValues), or nil: the answer
// is unusable, so it matches [ErrServer] (and a charging call's outcome is
// unknown), and a second try would repeat it.
func handOff(e endpoints.Name, resp *http.Response, out wire.Headed, asked wire.Asked, keys redact.Set, apiBases []string) *apierr.APIError {
	h, ok := out.(wire.HandOffer)
	if !ok {
		return nil
	}
	var reqURL *url.URL
	if resp.Request != nil {
		reqURL = resp.Request.URL
	}
	raw := h.HandOffURL()
	why := htmlform.HandOff(raw, reqURL, apiBases, keys)
	if why == "" {
		if what, want, id, ok := wire.OtherInQuery(rawQuery(raw), asked); ok {
			why = otherID{what: what, asked: want, answered: id, of: "hand-off URL"}.message()
		}
	}
	if why == "" {
		return nil
	}
	return apierr.MarkServer(&apierr.APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e,
		Status: out.Head().Status.String(), Message: "answer unusable: " + why}, true, true)
}

// rawQuery is the query of the URL raw, as url.Parse splits it: after the
// first '?' and before the first '#'.
func rawQuery(raw string) string {
	raw, _, _ = strings.Cut(raw, "#")
	_, q, _ := strings.Cut(raw, "?")
	return q
}

// notJSON is the [*APIError] of an answer that is empty or not a JSON
// object: never the API's refusal, so it matches [ErrServer] (and a
// charging call's outcome is unknown). A read-only call retries it, except
// for a 4xx page other than 408 and 429, which a second try would repeat.
func notJSON(e endpoints.Name, resp *http.Response, trimmed []byte) *apierr.APIError {
	s := resp.StatusCode
	ae := apierr.MarkServer(&apierr.APIError{HTTPStatus: s, Code: s, Endpoint: e,
		ContentType: resp.Header.Get("Content-Type")},
		true, s >= 400 && s <= 499 && s != http.StatusRequestTimeout && s != http.StatusTooManyRequests)
	SetSnippet(ae, trimmed)
	if len(trimmed) == 0 {
		ae.Message = "empty answer"
	} else {
		ae.Message = "answer is not JSON"
	}
	ae.RetryAfter = RetryAfter(resp)
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

// DescribeJSONError says which member of an answer had an unexpected type,
// in JSON terms rather than Go ones.
func DescribeJSONError(err error) string {
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

// Snippet returns the start of a non-JSON answer with markup removed and
// white space collapsed, for an error message, cut by [redact.Cut].
func Snippet(b []byte) string { return redact.Cut(snippetText(b)) }

// SetSnippet sets e's Snippet from the answer b, keeping the whole text it
// is cut from: the redaction masks the secrets in that text before cutting
// it again, so that no cut leaves part of an escaped secret.
func SetSnippet(e *apierr.APIError, b []byte) {
	t := snippetText(b)
	e.Snippet = redact.Cut(t)
	if e.Snippet != t {
		apierr.SetSnippetText(e, t)
	}
}

// snippetText is the text of a non-JSON answer with markup removed and
// white space collapsed.
func snippetText(b []byte) string {
	var out strings.Builder
	inTag, space := false, false
	for i := 0; i < len(b); {
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

// RetryAfter is the wait an answer's Retry-After header asks for, 0 when
// it has none or cannot be read.
func RetryAfter(resp *http.Response) time.Duration {
	d, _ := ParseRetryAfter(resp.Header.Get("Retry-After"))
	return d
}

// ParseRetryAfter reads a Retry-After value: seconds or an HTTP date;
// false when it is empty or cannot be read.
func ParseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseUint(v, 10, 64); err == nil {
		// Seconds past what a Duration holds (about 292 years) would wrap
		// around to a negative wait: hold them at the largest one.
		if s > uint64(math.MaxInt64/int64(time.Second)) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(s) * time.Second, true
	}
	if strings.Trim(v, "0123456789") == "" {
		return time.Duration(math.MaxInt64), true // more seconds than a uint64 holds
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// HTMLDecoder is implemented by the answer types of calls whose success may
// be an HTML page (PAN.Request and PAN.Resume). Decode hands such an answer
// a 2xx body that starts with '<'; DecodeHTML keeps what it needs or
// returns the APIError the page amounts to.
type HTMLDecoder interface {
	DecodeHTML(e endpoints.Name, resp *http.Response, body []byte) *apierr.APIError
}
