package inexopay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// This file keeps the secrets of a call out of everything the SDK hands
// back:
//
//   - transportError rebuilds a transport error from parts that cannot hold
//     request data, so the raw error (which may quote an answer that echoed
//     the request body) is never reachable with errors.As or Unwrap;
//   - redact masks, in the error of a failed call, every spelling of every
//     secret the call sent (secrets.go finds them);
//   - redactAnswer masks them in the free-text members (message, remark) of
//     a successful answer, before a result is built from it.

// redact masks every secret sent with a call (in form or header) wherever
// the error of the call repeats it: an API message, an HTML snippet, a
// header value copied into an [*APIError], the text of a transport error. The
// errors it returns, and every error they wrap, hold none of them.
func redact(err error, form url.Values, header http.Header) error {
	if err == nil {
		return nil
	}
	return redactWith(err, callSecrets(form, header))
}

// redactWith is redact with the call's secrets collected already.
func redactWith(err error, set secretSet) error {
	if err == nil {
		return nil
	}
	scrub(err, set, 0)
	if len(set) == 0 || !set.dirty(err, 0) {
		return err
	}
	// An error of a kind scrub does not know (made by an Authenticator, or
	// wrapped by code of the SDK that did not use transportError) still
	// holds a secret: rebuild the chain without it.
	err = rebuild(err, set, 0)
	if set.dirty(err, 0) {
		return &cleanError{msg: set.clean(err.Error()), causes: sdkSentinels(err)}
	}
	return err
}

// dirty reports whether err or any error it wraps holds a secret.
func (set secretSet) dirty(err error, depth int) bool {
	if err == nil || depth > 32 {
		return false
	}
	if set.contains(err.Error()) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return set.dirty(u.Unwrap(), depth+1)
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			if set.dirty(c, depth+1) {
				return true
			}
		}
	}
	return false
}

// rebuild returns err with every error in its chain that holds a secret
// replaced: the SDK's own wrappers keep their type with a rebuilt inner
// error; any other error becomes a *cleanError (its redacted text, and the
// sanitized errors below it).
func rebuild(err error, set secretSet, depth int) error {
	if err == nil || depth > 32 || !set.dirty(err, 0) {
		return err
	}
	switch e := err.(type) {
	case *OutcomeUnknownError:
		e.Err = rebuild(e.Err, set, depth+1)
		return e
	case *transportErr:
		e.err = rebuild(e.err, set, depth+1)
		return e
	case *readError:
		e.err = rebuild(e.err, set, depth+1)
		return e
	}
	c := sanitize(err)
	scrub(c, set, 0)
	return c
}

// scrub masks the secrets in the SDK's own errors in the chain of err, in
// place: every one of them was made for this call.
func scrub(err error, set secretSet, depth int) {
	if err == nil || depth > 32 {
		return
	}
	switch e := err.(type) {
	case *APIError:
		e.Message = set.clean(e.Message)
		e.Status = set.clean(e.Status)
		e.Snippet = set.mask(e.Snippet, true)
		e.ContentType = set.clean(e.ContentType)
	case *readError:
		e.err = sanitize(e.err)
	case *cleanError:
		e.msg = set.clean(e.msg)
		kept := e.causes[:0]
		for _, c := range e.causes {
			scrub(c, set, depth+1)
			if !set.contains(c.Error()) {
				kept = append(kept, c)
			}
		}
		e.causes = kept
		return
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		scrub(u.Unwrap(), set, depth+1)
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			scrub(c, set, depth+1)
		}
	}
}

// sdkSentinels returns the sentinels err matches, for an error that cannot
// be kept itself.
func sdkSentinels(err error) []error {
	var out []error
	for _, s := range [...]error{ErrBadRequest, ErrUnauthorized, ErrInsufficientBalance, ErrForbidden,
		ErrNotFound, ErrMethodNotAllowed, ErrRateLimited, ErrServer, ErrInvalidParams, ErrOutcomeUnknown,
		context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, s) {
			out = append(out, s)
		}
	}
	return out
}

// transportErr is a failure of the transport (no answer was read): the
// endpoint and the sanitized error.
type transportErr struct {
	endpoint Endpoint
	err      error
}

func (e *transportErr) Error() string {
	return "inexopay: " + string(e.endpoint) + ": " + e.err.Error()
}

func (e *transportErr) Unwrap() error { return e.err }

// transportError wraps a transport error for the caller. The error is
// rebuilt by sanitize, so that errors.As and errors.Is still find a
// *url.Error, a *net.OpError, a syscall.Errno, context.DeadlineExceeded and
// the like, and net.Error's Timeout still answers, while nothing in it keeps
// text the server sent (redact masks the secrets in the text).
func transportError(e Endpoint, err error) error {
	return &transportErr{endpoint: e, err: sanitize(err)}
}

// cleanError stands for an error that may hold request data: its text (which
// redact masks) and, below it, only errors that hold none.
type cleanError struct {
	msg       string
	timeout   bool
	temporary bool
	causes    []error
}

func (e *cleanError) Error() string { return e.msg }

// Unwrap returns the errors that were found below the original error and
// hold no request data: sentinels, errnos and their sanitized wrappers.
func (e *cleanError) Unwrap() []error { return e.causes }

// Timeout implements net.Error as the original error did.
func (e *cleanError) Timeout() bool { return e.timeout }

// Temporary implements net.Error as the original error did.
func (e *cleanError) Temporary() bool { return e.temporary }

// safeSentinels are errors that are values without request data.
var safeSentinels = [...]error{context.Canceled, context.DeadlineExceeded, os.ErrDeadlineExceeded,
	io.EOF, io.ErrUnexpectedEOF, net.ErrClosed, http.ErrSchemeMismatch}

// sanitize rebuilds err from parts that hold no data the server sent: a
// *url.Error and a *net.OpError are copied with a sanitized inner error; a
// syscall.Errno, a *net.DNSError (the host and resolver's text) and the
// sentinels are kept; any other error becomes a *cleanError with its text
// and the sanitized errors found below it.
func sanitize(err error) error {
	if err == nil {
		return nil
	}
	for _, s := range safeSentinels {
		if err == s { //nolint:errorlint // identity is the point: only the sentinel itself is safe
			return err
		}
	}
	switch e := err.(type) {
	case *url.Error:
		return &url.Error{Op: e.Op, URL: e.URL, Err: sanitize(e.Err)}
	case *net.OpError:
		return &net.OpError{Op: e.Op, Net: e.Net, Source: e.Source, Addr: e.Addr, Err: sanitize(e.Err)}
	case *net.DNSError:
		cp := *e
		cp.UnwrapErr = sanitize(e.UnwrapErr)
		return &cp
	case syscall.Errno:
		return e
	}
	c := &cleanError{msg: err.Error()}
	if t, ok := err.(interface{ Timeout() bool }); ok {
		c.timeout = t.Timeout()
	} else {
		c.timeout = errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)
	}
	if t, ok := err.(interface{ Temporary() bool }); ok {
		c.temporary = t.Temporary()
	}
	var collect func(error, int)
	collect = func(err error, depth int) {
		if err == nil || depth > 32 {
			return
		}
		var next []error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = []error{u.Unwrap()}
		case interface{ Unwrap() []error }:
			next = u.Unwrap()
		}
		for _, n := range next {
			if n == nil {
				continue
			}
			if s := sanitize(n); !isCleanError(s) {
				c.causes = append(c.causes, s)
				continue
			}
			collect(n, depth+1)
		}
	}
	collect(err, 0)
	return c
}

func isCleanError(err error) bool {
	_, ok := err.(*cleanError)
	return ok
}

// answerTextMembers are the JSON members of an answer that hold free text
// the API wrote, which may echo what the request sent.
var answerTextMembers = map[string]bool{"message": true, "remark": true, "response": true}

// redactAnswer masks, in a decoded answer, every secret of the call (set)
// that the API's free text (message, remark) repeats, and the API key
// wherever it appears, before a result is built from it. Other values the API returns as
// data (a PAN it looked up, an id) are kept: results mask those when
// printed.
func redactAnswer(out wire.Headed, set secretSet) {
	if out == nil || len(set) == 0 {
		return
	}
	redactMembers(reflect.ValueOf(out), set, set.keys(), 0)
}

// keys is the part of set that no answer holds as data: the API key (a PAN
// or an Aadhaar number may be an answer's data, the key never is), masked
// in every member of an answer, not only in its free text.
func (set secretSet) keys() secretSet {
	all := true
	for _, sec := range set {
		all = all && sec.kind == secretText
	}
	if all {
		return set
	}
	var ks secretSet
	for _, sec := range set {
		if sec.kind == secretText {
			ks = append(ks, sec)
		}
	}
	return ks
}

var (
	strType     = reflect.TypeFor[wire.Str]()
	textType    = reflect.TypeFor[wire.Text]()
	onlyStrType = reflect.TypeFor[wire.OnlyStr]()
	idType      = reflect.TypeFor[wire.ID]()
	rawType     = reflect.TypeFor[json.RawMessage]()
)

// redactRawJSON masks the secrets in the free-text members of a JSON
// document, at any depth; numbers keep their exact text. A document that
// does not parse is returned as it is (decoding it will fail anyway).
func redactRawJSON(raw []byte, set secretSet) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return raw
	}
	changed, keys := false, set.keys()
	var walk func(v any, member string) any
	walk = func(v any, member string) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e, k)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e, member)
			}
		case string:
			clean := keys
			if answerTextMembers[member] {
				clean = set
			}
			if c := clean.clean(x); c != x {
				changed = true
				return c
			}
		}
		return v
	}
	v = walk(v, "")
	if !changed {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}

// textMembersHoldSecret reports whether a string value of a free-text
// member of a JSON document (found by a scan for its name, without
// decoding) may hold a secret. Data members, such as the PAN an account
// lookup returns, do not count.
func textMembersHoldSecret(raw []byte, set secretSet) bool {
	for m := range answerTextMembers {
		name := `"` + m + `"`
		for rest := raw; ; {
			i := bytes.Index(rest, []byte(name))
			if i < 0 {
				break
			}
			rest = rest[i+len(name):]
			v := bytes.TrimLeft(rest, " \t\r\n")
			if len(v) == 0 || v[0] != ':' {
				continue
			}
			v = bytes.TrimLeft(v[1:], " \t\r\n")
			if len(v) == 0 || v[0] != '"' {
				continue
			}
			end := 1
			for end < len(v) && v[end] != '"' {
				if v[end] == '\\' {
					end++
				}
				end++
			}
			if set.contains(string(v[1:min(end, len(v))])) {
				return true
			}
		}
	}
	return false
}

func redactMembers(v reflect.Value, set, keys secretSet, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			redactMembers(v.Elem(), set, keys, depth+1)
		}
	case reflect.Struct:
		for _, m := range membersOf(v.Type()) {
			fv := v.Field(m.index)
			switch m.kind {
			case memberText:
				fv.SetString(set.clean(fv.String()))
			case memberData:
				fv.SetString(keys.clean(fv.String()))
			case memberRaw:
				// Decoded later, by the service (a member whose shape
				// depends on success): clean it now, as JSON.
				if raw := fv.Bytes(); textMembersHoldSecret(raw, set) || keys.contains(string(raw)) {
					fv.SetBytes(redactRawJSON(raw, set))
				}
			default:
				redactMembers(fv, set, keys, depth+1)
			}
		}
	}
}

// answerMember is a field of an answer type that redactMembers acts on.
type answerMember struct {
	index int
	kind  uint8 // memberText, memberRaw or memberNested
}

const (
	memberText   = iota // a free-text member (message, remark, response)
	memberData          // any other text member: only the key is masked
	memberRaw           // raw JSON the service decodes later
	memberNested        // a struct or pointer that may hold either
)

// answerMembers caches, per answer type, the fields redactMembers acts on,
// so that a call does not read struct tags again.
var answerMembers sync.Map // reflect.Type → []answerMember

func membersOf(t reflect.Type) []answerMember {
	if ms, ok := answerMembers.Load(t); ok {
		return ms.([]answerMember)
	}
	var ms []answerMember
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Tag.Get("wire") // the envelope's members, which encoding/json skips
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("json"), ",")
		}
		isText := f.Type == strType || f.Type == textType || f.Type == onlyStrType || f.Type == idType
		switch {
		case isText && answerTextMembers[name]:
			ms = append(ms, answerMember{i, memberText})
		case isText:
			ms = append(ms, answerMember{i, memberData})
		case f.Type == rawType:
			ms = append(ms, answerMember{i, memberRaw})
		case f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer:
			ms = append(ms, answerMember{i, memberNested})
		}
	}
	answerMembers.Store(t, ms)
	return ms
}
