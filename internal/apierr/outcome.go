package apierr

import (
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// OutcomeUnknownError is returned by a call that creates or charges when the
// request may have reached the API but no usable answer came back (a 5xx, a
// timeout, a reset connection or HTTP/2 stream, a redirect, or an answer
// not JSON, too large or without its data). The SDK does not retry it, so
// nothing is charged twice: check OrderID's status before trying again.
type OutcomeUnknownError struct {
	Endpoint endpoints.Name
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
func noOrderIDAdvice(endpoint endpoints.Name) string {
	switch endpoint {
	case endpoints.GenerateQR:
		return "INEXOPAY assigns the order id, so there is none to check; a QR moves no money until it is paid: " +
			"generate a new one, and look for a paid load in Account.Balance or at your return_url"
	case endpoints.OnboardAgent:
		return "no order id to check; trying again is refused as a duplicate if the agent was registered"
	}
	return "no order id to check its status by; do not retry blindly"
}
