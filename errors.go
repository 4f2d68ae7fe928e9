package inexopay

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
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
	Endpoint Endpoint
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
	// unusable marks an answer the decision table (decide.go) found
	// unusable: it matches ErrServer only, whatever its HTTP status, and
	// a charging call turns it into an *OutcomeUnknownError.
	unusable bool
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

// ValidationError reports the parameters the SDK refused before sending
// anything: every bad field at once, so that a caller fixes them in one
// go. It matches [ErrInvalidParams] with errors.Is. No Reason contains the
// rejected value when it is a secret (Aadhaar number, OTP, API key).
type ValidationError struct {
	// Field is the Go name of the first bad parameter, such as "PAN" or
	// "AadhaarNumber"; Reason says what is wrong with it, such as "must
	// be 10 digits starting 6-9".
	Field  string
	Reason string
	// Errors lists every bad parameter in the order of the params struct,
	// the first being Field and Reason; it may be empty in a
	// ValidationError built by hand.
	Errors []FieldError
}

// FieldError is one bad parameter of a [*ValidationError].
type FieldError struct {
	// Field is the Go name of the parameter; Reason says what is wrong.
	Field  string
	Reason string
}

// Error implements error: "inexopay: invalid Field: Reason", with
// "; invalid Field: Reason" for each further bad parameter.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("inexopay: invalid " + e.Field + ": " + e.Reason)
	for i, fe := range e.Errors {
		if i == 0 && fe.Field == e.Field && fe.Reason == e.Reason {
			continue
		}
		b.WriteString("; invalid " + fe.Field + ": " + fe.Reason)
	}
	return b.String()
}

// Is reports whether target is [ErrInvalidParams].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParams }

// OutcomeUnknownError is returned by a call that creates or charges when the
// request may have reached the API but no usable answer came back (a 5xx, a
// timeout, a reset connection or HTTP/2 stream, a redirect, or an answer
// not JSON, too large or without its data). The SDK does not retry it, so
// nothing is charged twice: check OrderID's status before trying again.
type OutcomeUnknownError struct {
	Endpoint Endpoint
	// OrderID is the call's order id, if any; only the last of Attempts may
	// have reached the API; Err is an *APIError or the transport error.
	OrderID  string
	Attempts int
	Err      error
}

// Error implements error.
func (e *OutcomeUnknownError) Error() string {
	s := "inexopay: " + string(e.Endpoint) + ": outcome unknown"
	if e.OrderID != "" {
		s += " for order " + strconv.Quote(e.OrderID) + " (check its status before retrying)"
	} else {
		s += " (" + noOrderIDAdvice(e.Endpoint) + ")"
	}
	if e.Err != nil {
		// The inner error repeats the "inexopay: Endpoint: " prefix; drop it.
		inner := strings.TrimPrefix(e.Err.Error(), "inexopay: ")
		inner = strings.TrimPrefix(inner, string(e.Endpoint)+": ")
		s += ": " + inner
	}
	return s
}

// Is reports whether target is [ErrOutcomeUnknown].
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the underlying error.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// noOrderIDAdvice says what to do after an unknown outcome of a call that
// sent no order id to look it up by.
func noOrderIDAdvice(endpoint Endpoint) string {
	switch endpoint {
	case EndpointGenerateQR:
		return "INEXOPAY assigns the order id, so there is none to check; a QR moves no money until it is paid: " +
			"generate a new one, and look for a paid load in Account.Balance or at your return_url"
	case EndpointOnboardAgent:
		return "no order id to check; trying again is refused as a duplicate if the agent was registered"
	}
	return "no order id to check its status by; do not retry blindly"
}
