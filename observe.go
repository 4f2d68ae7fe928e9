package inexopay

import (
	"context"
	"errors"
	"time"
)

// Observer receives an event after every attempt and every call a [Client]
// makes, for metrics or traces (a transport trace shows each attempt only
// as "HTTP POST"); give it to [WithObserver]. Its functions run on the
// calling goroutine: keep them quick and safe for concurrent use; a nil one
// is skipped. Class is "" for success or one of "invalid_params",
// "canceled", "timeout", "network", "bad_request", "unauthorized",
// "insufficient_balance", "forbidden", "not_found", "method_not_allowed",
// "rate_limited", "server": a fixed set, fit to label a metric.
type Observer struct {
	// Attempt is called after each try; Call as each call returns, also one
	// refused before sending.
	Attempt func(ctx context.Context, a AttemptInfo)
	Call    func(ctx context.Context, c CallInfo)
}

// AttemptInfo describes one try of a request, for [Observer]: its number
// from 1, the answer's HTTP status (0 when none came), the time from
// sending to the answer or failure, and its Class.
type AttemptInfo struct {
	Endpoint   Endpoint
	Attempt    int
	HTTPStatus int
	Duration   time.Duration
	Class      string
}

// CallInfo describes one finished call, for [Observer]: its tries (0 when
// refused before sending), the last answer's HTTP status, the whole
// duration and its Class. OutcomeUnknown says the error matches
// [ErrOutcomeUnknown].
type CallInfo struct {
	Endpoint       Endpoint
	Attempts       int
	HTTPStatus     int
	Duration       time.Duration
	Class          string
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
