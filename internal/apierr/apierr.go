// Package apierr defines the errors the INEXOPAY API reports and the sentinels they match, below every package that makes them.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// Sentinel errors, matched with errors.Is against the errors the SDK
// returns. A 400 whose message says "not found" matches both [ErrBadRequest]
// and [ErrNotFound].
var (
	// ErrBadRequest: the API rejected the parameters (400, or a failure
	// reported without a code).
	ErrBadRequest = errors.New("inexopay: bad request")
	// ErrUnauthorized: the API key or username is wrong (401).
	ErrUnauthorized = errors.New("inexopay: unauthorized")
	// ErrInsufficientBalance: the API balance cannot pay for the call (402).
	ErrInsufficientBalance = errors.New("inexopay: insufficient balance")
	// ErrForbidden: the IP is not whitelisted, the account not approved or
	// the subscription expired (403).
	ErrForbidden = errors.New("inexopay: forbidden")
	// ErrNotFound: no such record ("Record Not Found", respcode 99, 404).
	ErrNotFound = errors.New("inexopay: not found")
	// ErrMethodNotAllowed: the endpoint refused the HTTP method (405).
	ErrMethodNotAllowed = errors.New("inexopay: method not allowed")
	// ErrRateLimited: the API asked to slow down (429), after the retries
	// of a read-only call or at once for a charging call (nothing charged).
	ErrRateLimited = errors.New("inexopay: rate limited")
	// ErrServer: the API failed (5xx) or its answer was not JSON.
	ErrServer = errors.New("inexopay: server error")
	// ErrInvalidParams is matched by every *ValidationError: nothing was sent.
	ErrInvalidParams = errors.New("inexopay: invalid parameters")
	// ErrOutcomeUnknown is matched by an *OutcomeUnknownError: a call that
	// creates or charges may have reached the API, but no answer came back.
	ErrOutcomeUnknown = errors.New("inexopay: outcome unknown")
)

// APIError is an error the INEXOPAY API reported, with a non-2xx HTTP
// status or in the body of an HTTP 200 answer (status false, status
// "FAILED", a non-2xx status_code or error_code), or an answer that was not
// JSON. Branch with errors.Is on the sentinels ([ErrUnauthorized],
// [ErrNotFound], …); read the details with errors.As.
type APIError struct {
	HTTPStatus int
	// Code is the body's status_code, error_code or NSDL respcode; without
	// one, HTTPStatus for a non-2xx answer and 0 in a 2xx body.
	Code int
	// Status is the body's status as sent ("FAILED"); Message is the API's
	// message or a description of a non-JSON answer.
	Status   string
	Message  string
	Endpoint endpoints.Name
	// ContentType and Snippet (its first ~120 bytes, markup removed,
	// secrets masked) describe a non-JSON answer; empty for JSON.
	ContentType string
	Snippet     string
	// RetryAfter is the answer's Retry-After (0 without); Attempts counts
	// the tries.
	RetryAfter time.Duration
	Attempts   int

	// kind overrides the sentinel for failures that are not the API's own
	// answer, such as a non-JSON page.
	kind error
	// permanent marks a failure a second try would repeat (an answer
	// larger than the limit).
	permanent bool
	// unusable marks an answer the decision table found
	// unusable: it matches ErrServer only, whatever its HTTP status, and
	// a charging call turns it into an *OutcomeUnknownError.
	unusable bool
	// text is the whole text Snippet was cut from, kept so that the
	// secrets in it are masked before the cut (SetSnippetText).
	text string
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("inexopay: ")
	if e.Endpoint != "" {
		b.WriteString(string(e.Endpoint))
		b.WriteString(": ")
	}
	if e.Snippet != "" || e.ContentType != "" {
		fmt.Fprintf(&b, "non-JSON answer (HTTP %d, content type %q)", e.HTTPStatus, e.ContentType)
		if e.Snippet != "" {
			fmt.Fprintf(&b, ": %q", e.Snippet)
		} else if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
		return b.String()
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, "API error %d", e.Code)
	} else {
		b.WriteString("API error")
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != e.Code {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's code. A 400 (HTTP, or
// the code in a 2xx body) matches [ErrBadRequest], and also [ErrNotFound] when
// its message says "not found"; another HTTP error status decides alone.
func (e *APIError) Is(target error) bool {
	if target == e.sentinel() {
		return true
	}
	if e.kind != nil || e.Snippet != "" || e.ContentType != "" {
		return false // not the API's own JSON answer
	}
	if e.HTTPStatus != http.StatusBadRequest && (e.HTTPStatus < 200 || e.HTTPStatus > 299) {
		return false // another HTTP error status decides alone (a 503 is a server error)
	}
	is400 := e.HTTPStatus == http.StatusBadRequest || e.Code == http.StatusBadRequest
	switch target {
	case ErrBadRequest:
		return is400
	case ErrNotFound:
		return is400 && saysNotFound(e.Message)
	}
	return false
}

// Temporary reports whether the same call may succeed later (a 5xx but 501,
// a 429, a non-JSON answer); read-only calls were already retried.
func (e *APIError) Temporary() bool {
	if e.permanent || e.HTTPStatus == http.StatusNotImplemented || e.Code == http.StatusNotImplemented {
		return false
	}
	s := e.sentinel()
	return s == ErrServer || s == ErrRateLimited
}

func (e *APIError) sentinel() error {
	if e.unusable {
		return ErrServer
	}
	if e.HTTPStatus < 200 || e.HTTPStatus > 299 {
		if s := sentinelFor(e.HTTPStatus); s != nil {
			return s
		}
	}
	if e.kind != nil {
		return e.kind
	}
	if e.Code == 99 || (e.Code == http.StatusBadRequest || e.Code == 0 || e.Code == http.StatusOK) && saysNotFound(e.Message) {
		return ErrNotFound
	}
	if s := sentinelFor(e.Code); s != nil {
		return s
	}
	return ErrBadRequest
}

// saysNotFound reports whether an API message says the record does not
// exist ("Record Not Found", "Order not found"); the API sends such answers
// with code 400 or none.
func saysNotFound(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "not found")
}

func sentinelFor(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return ErrBadRequest
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusPaymentRequired:
		return ErrInsufficientBalance
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusMethodNotAllowed:
		return ErrMethodNotAllowed
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500 && code <= 599:
		return ErrServer
	case code >= 400 && code <= 499:
		return ErrBadRequest
	}
	return nil
}

// MarkServer sets what the machinery knows of e beyond the API's own
// words: e matches [ErrServer] unless its HTTP status names another
// sentinel; unusable says the decision table found the answer unusable (it
// then matches ErrServer only); permanent says a second try would repeat
// it. It returns e.
func MarkServer(e *APIError, unusable, permanent bool) *APIError {
	e.kind, e.unusable, e.permanent = ErrServer, unusable, permanent
	return e
}

// SetUnusable marks e as an answer the decision table found unusable, or
// not.
func SetUnusable(e *APIError, unusable bool) { e.unusable = unusable }

// SetPermanent marks e as a failure a second try would repeat, or not.
func SetPermanent(e *APIError, permanent bool) { e.permanent = permanent }

// SetSnippetText keeps the whole text e's Snippet was cut from, so that
// the redaction masks the secrets in it before cutting it again.
func SetSnippetText(e *APIError, text string) { e.text = text }

// SnippetText is the text SetSnippetText kept, "" without one.
func SnippetText(e *APIError) string { return e.text }

// Unusable reports whether the decision table found e's answer unusable.
func Unusable(e *APIError) bool { return e.unusable }

// Sentinel returns the one sentinel e matches first: the one its HTTP
// status or code names, [ErrServer] for an unusable answer.
func Sentinel(e *APIError) error { return e.sentinel() }
