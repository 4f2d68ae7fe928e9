package redact

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
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
	return Err(err, callSecrets(form, header))
}

// Err is redact with the call's secrets collected already.
func Err(err error, set Set) error {
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
func (set Set) dirty(err error, depth int) bool {
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
func rebuild(err error, set Set, depth int) error {
	if err == nil || depth > 32 || !set.dirty(err, 0) {
		return err
	}
	switch e := err.(type) {
	case *apierr.OutcomeUnknownError:
		e.Err = rebuild(e.Err, set, depth+1)
		return e
	case *transportErr:
		e.err = rebuild(e.err, set, depth+1)
		return e
	case *ReadError:
		e.err = rebuild(e.err, set, depth+1)
		return e
	}
	c := sanitize(err)
	scrub(c, set, 0)
	return c
}

// scrub masks the secrets in the SDK's own errors in the chain of err, in
// place: every one of them was made for this call.
func scrub(err error, set Set, depth int) {
	if err == nil || depth > 32 {
		return
	}
	switch e := err.(type) {
	case *apierr.APIError:
		e.Message = PANs(set.clean(e.Message))
		e.Status = PANs(set.clean(e.Status))
		if t := apierr.SnippetText(e); t != "" {
			// Masked whole, then cut: a cut could end inside an escaped secret.
			t = PANs(set.mask(t, true))
			apierr.SetSnippetText(e, t)
			e.Snippet = Cut(t)
		}
		e.Snippet = PANs(set.mask(e.Snippet, true))
		e.ContentType = set.clean(e.ContentType)
	case *ReadError:
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
	for _, s := range [...]error{apierr.ErrBadRequest, apierr.ErrUnauthorized, apierr.ErrInsufficientBalance, apierr.ErrForbidden,
		apierr.ErrNotFound, apierr.ErrMethodNotAllowed, apierr.ErrRateLimited, apierr.ErrServer, apierr.ErrInvalidParams, apierr.ErrOutcomeUnknown,
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
	endpoint endpoints.Name
	err      error
}

func (e *transportErr) Error() string {
	return "inexopay: " + string(e.endpoint) + ": " + e.err.Error()
}

func (e *transportErr) Unwrap() error { return e.err }

// TransportError wraps a transport error for the caller. The error is
// rebuilt by sanitize, so that errors.As and errors.Is still find a
// *url.Error, a *net.OpError, a syscall.Errno, context.DeadlineExceeded and
// the like, and net.Error's Timeout still answers, while nothing in it keeps
// text the server sent (redact masks the secrets in the text).
func TransportError(e endpoints.Name, err error) error {
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

// ReadError is an answer that was cut short while being read (a
// Content-Length longer than the body, a chunked body cut mid-chunk, an
// HTTP/2 stream reset mid-body): a server error ([apierr.ErrServer]) that
// may pass on a second try, and outcome-unknown on a charging call, which
// wraps it so.
type ReadError struct{ err error }

// NewReadError wraps err, the failure of reading an answer.
func NewReadError(err error) *ReadError { return &ReadError{err: err} }

// Error returns the wrapped error's text and says the answer was cut short.
func (e *ReadError) Error() string { return e.err.Error() + " (answer cut short)" }

// Is reports that a cut answer is a server error: errors.Is(err,
// ErrServer) holds, as it does for any answer the SDK cannot use. The
// cause (such as io.ErrUnexpectedEOF) stays reachable with Unwrap.
func (e *ReadError) Is(target error) bool { return target == apierr.ErrServer }

// Unwrap returns the wrapped error.
func (e *ReadError) Unwrap() error { return e.err }
