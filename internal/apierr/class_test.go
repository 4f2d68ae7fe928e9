package apierr

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorClass(t *testing.T) {
	cases := map[string]error{
		"":                     nil,
		"invalid_params":       &ValidationError{Field: "x", Reason: "y"},
		"canceled":             context.Canceled,
		"timeout":              context.DeadlineExceeded,
		"network":              errors.New("connection reset"),
		"bad_request":          &APIError{HTTPStatus: 400},
		"unauthorized":         &APIError{HTTPStatus: 401},
		"insufficient_balance": &APIError{HTTPStatus: 402},
		"forbidden":            &APIError{HTTPStatus: 403},
		"not_found":            &APIError{HTTPStatus: 404},
		"method_not_allowed":   &APIError{HTTPStatus: 405},
		"rate_limited":         &APIError{HTTPStatus: 429},
		"server":               &APIError{HTTPStatus: 502},
	}
	for want, err := range cases {
		assert.Equal(t, want, Class(err), "%v", err)
	}
	assert.Equal(t, "timeout", Class(&OutcomeUnknownError{Err: obTimeoutError{}}))
}

// obTimeoutError is an error that says it is a timeout, as an attempt that
// ran past its bound does.
type obTimeoutError struct{}

func (obTimeoutError) Error() string { return "attempt timed out" }
func (obTimeoutError) Timeout() bool { return true }
