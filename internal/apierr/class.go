package apierr

import (
	"context"
	"errors"
)

// Class names the kind of an error for an observer: "invalid_params", the
// sentinel's name ("bad_request", "not_found", …, "server"), "canceled",
// "timeout" or "network"; "" for nil.
func Class(err error) string {
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
