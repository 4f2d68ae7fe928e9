package inexopay

import (
	"context"
	"errors"
	"time"
)

// Observer receives an event after every attempt and after every call a
// [Client] makes, to feed metrics or traces (OpenTelemetry, Prometheus)
// without the SDK depending on them; give it to [WithObserver]. An HTTP
// trace of the transport (such as otelhttp's) shows each attempt as one
// "HTTP POST"; the Observer says which API call it belonged to, its attempt
// number and how the SDK judged it.
//
// Both functions are called on the goroutine that made the call, with the
// call's context, while the call waits: keep them quick, and safe for
// concurrent use when the Client is shared. A nil function is skipped.
//
// The Class of an event is "" for success, or one of "invalid_params"
// (refused before sending), "canceled", "timeout", "network" (no usable
// answer: connection, TLS or protocol failure, an answer cut short),
// "bad_request", "unauthorized", "insufficient_balance", "forbidden",
// "not_found", "method_not_allowed", "rate_limited" or "server" (the API's
// answer, or an answer that was not usable JSON). The set is small and
// fixed, so it can label a metric.
type Observer struct {
	// Attempt is called after each try of a request, once its answer was
	// read and decoded or the try failed.
	Attempt func(ctx context.Context, a AttemptInfo)
	// Call is called once per call, just before it returns, including a
	// call refused before sending.
	Call func(ctx context.Context, c CallInfo)
}

// AttemptInfo describes one try of a request, for [Observer].
type AttemptInfo struct {
	// Endpoint is the call the attempt belongs to.
	Endpoint Endpoint
	// Attempt numbers the tries of one call from 1.
	Attempt int
	// HTTPStatus is the HTTP status of the answer; 0 when none came.
	HTTPStatus int
	// Duration is the time from sending the request to having read its
	// answer, or to the failure.
	Duration time.Duration
	// Class is the kind of failure (see [Observer]); "" when the attempt got
	// an answer the SDK could use.
	Class string
}

// CallInfo describes one finished call, for [Observer].
type CallInfo struct {
	// Endpoint is the call.
	Endpoint Endpoint
	// Attempts is how many tries were made (0 for a call refused before
	// sending).
	Attempts int
	// HTTPStatus is the HTTP status of the last answer; 0 when none came.
	HTTPStatus int
	// Duration is the time the whole call took, retries and waits included.
	Duration time.Duration
	// Class is the kind of failure (see [Observer]); "" on success.
	Class string
	// OutcomeUnknown says the call returned an error matching
	// [ErrOutcomeUnknown]: a call that charges may have reached the API.
	OutcomeUnknown bool
}

// WithObserver makes the client report every call and every attempt to o
// (see [Observer]). Without it, or with an Observer whose functions are
// both nil, nothing is reported.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		c.observer = o
		return nil
	}
}

// errorClass names the kind of an error for an Observer.
func errorClass(err error) string {
	if err == nil {
		return ""
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return "invalid_params"
	}
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.sentinel() {
		case ErrBadRequest:
			return "bad_request"
		case ErrUnauthorized:
			return "unauthorized"
		case ErrInsufficientBalance:
			return "insufficient_balance"
		case ErrForbidden:
			return "forbidden"
		case ErrNotFound:
			return "not_found"
		case ErrMethodNotAllowed:
			return "method_not_allowed"
		case ErrRateLimited:
			return "rate_limited"
		}
		return "server"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	var te interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) && te.Timeout() {
		return "timeout"
	}
	return "network"
}
