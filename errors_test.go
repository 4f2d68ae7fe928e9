package inexopay

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorError(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *APIError
		want string
	}{
		{"body code differs from HTTP", &APIError{Endpoint: "PAN.Request", HTTPStatus: 200, Code: 400, Status: "FAILED",
			Message: "Error description"}, "inexopay: PAN.Request: API error 400 (HTTP 200): Error description"},
		{"same code", &APIError{Endpoint: "Account.Status", HTTPStatus: 401, Code: 401, Message: "Invalid API key or username"},
			"inexopay: Account.Status: API error 401: Invalid API key or username"},
		{"no endpoint", &APIError{HTTPStatus: 403, Code: 403, Message: "IP not whitelisted"},
			"inexopay: API error 403: IP not whitelisted"},
		{"no message", &APIError{Endpoint: "PAN.Status", HTTPStatus: 500, Code: 500},
			"inexopay: PAN.Status: API error 500"},
		{"no HTTP status", &APIError{Code: 99, Message: "Record Not Found"},
			"inexopay: API error 99: Record Not Found"},
		{"non-JSON", &APIError{Endpoint: "Account.Status", HTTPStatus: 502, Code: 502, Message: "answer is not JSON",
			ContentType: "text/html", Snippet: "502 Bad Gateway nginx"},
			`inexopay: Account.Status: non-JSON answer (HTTP 502, content type "text/html"): "502 Bad Gateway nginx"`},
		{"non-JSON without content type", &APIError{Endpoint: "PAN.Request", HTTPStatus: 200, Code: 200,
			Message: "answer is not JSON", Snippet: "OK"},
			`inexopay: PAN.Request: non-JSON answer (HTTP 200, content type ""): "OK"`},
		{"snippet with quotes", &APIError{Endpoint: "PAN.Request", HTTPStatus: 200, ContentType: "text/plain",
			Snippet: `say "hi"`}, `inexopay: PAN.Request: non-JSON answer (HTTP 200, content type "text/plain"): "say \"hi\""`},
	} {
		assert.Equal(t, tc.want, tc.err.Error(), tc.name)
	}
}

// TestAPIErrorIs: each error matches exactly one sentinel.
func TestAPIErrorIs(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *APIError
		want error
	}{
		{"HTTP 400", &APIError{HTTPStatus: 400, Code: 400}, ErrBadRequest},
		{"HTTP 401", &APIError{HTTPStatus: 401, Code: 401}, ErrUnauthorized},
		{"HTTP 402", &APIError{HTTPStatus: 402, Code: 402}, ErrInsufficientBalance},
		{"HTTP 403", &APIError{HTTPStatus: 403, Code: 403}, ErrForbidden},
		{"HTTP 404", &APIError{HTTPStatus: 404, Code: 404}, ErrNotFound},
		{"HTTP 405", &APIError{HTTPStatus: 405, Code: 405}, ErrMethodNotAllowed},
		{"HTTP 409", &APIError{HTTPStatus: 409, Code: 409}, ErrBadRequest},
		{"HTTP 422", &APIError{HTTPStatus: 422, Code: 422}, ErrBadRequest},
		{"HTTP 429", &APIError{HTTPStatus: 429, Code: 429}, ErrRateLimited},
		{"HTTP 500", &APIError{HTTPStatus: 500, Code: 500}, ErrServer},
		{"HTTP 502", &APIError{HTTPStatus: 502, Code: 502}, ErrServer},
		{"HTTP 503 wins over body 400", &APIError{HTTPStatus: 503, Code: 400}, ErrServer},
		{"HTTP 401 wins over body 402", &APIError{HTTPStatus: 401, Code: 402}, ErrUnauthorized},
		{"HTTP 404 with respcode 99", &APIError{HTTPStatus: 404, Code: 99}, ErrNotFound},
		{"body 400 in HTTP 200", &APIError{HTTPStatus: 200, Code: 400}, ErrBadRequest},
		{"body 401 in HTTP 200", &APIError{HTTPStatus: 200, Code: 401}, ErrUnauthorized},
		{"body 402 in HTTP 200", &APIError{HTTPStatus: 200, Code: 402}, ErrInsufficientBalance},
		{"body 403 in HTTP 200", &APIError{HTTPStatus: 200, Code: 403}, ErrForbidden},
		{"body 404 in HTTP 200", &APIError{HTTPStatus: 200, Code: 404}, ErrNotFound},
		{"body 405 in HTTP 200", &APIError{HTTPStatus: 200, Code: 405}, ErrMethodNotAllowed},
		{"body 500 in HTTP 200", &APIError{HTTPStatus: 200, Code: 500}, ErrServer},
		{"respcode 99", &APIError{HTTPStatus: 200, Code: 99, Message: "Record Not Found"}, ErrNotFound},
		{"respcode 99 other text", &APIError{HTTPStatus: 200, Code: 99, Message: "No such txn"}, ErrNotFound},
		{"Record Not Found text", &APIError{HTTPStatus: 200, Code: 200, Message: " record not found "}, ErrNotFound},
		{"status false, no code", &APIError{HTTPStatus: 200, Code: 200, Status: "false", Message: "Agent not verified"}, ErrBadRequest},
		{"unknown code", &APIError{HTTPStatus: 200, Code: 7}, ErrBadRequest},
		{"zero", &APIError{}, ErrBadRequest},
		{"kind in HTTP 200", &APIError{HTTPStatus: 200, Code: 200, kind: ErrServer}, ErrServer},
		{"kind below HTTP status", &APIError{HTTPStatus: 401, Code: 401, kind: ErrServer}, ErrUnauthorized},
		{"HTTP 302 falls to code", &APIError{HTTPStatus: 302, Code: 403}, ErrForbidden},
	} {
		for _, s := range fxSentinels {
			assert.Equal(t, s == tc.want, errors.Is(tc.err, s), "%s: errors.Is(%v)", tc.name, s)
		}
		assert.False(t, errors.Is(tc.err, ErrOutcomeUnknown), tc.name)
		assert.Equal(t, tc.want == ErrServer || tc.want == ErrRateLimited, tc.err.Temporary(), "%s: Temporary", tc.name)
		// Through wrapping too.
		wrapped := fmt.Errorf("charge: %w", tc.err)
		assert.ErrorIs(t, wrapped, tc.want, tc.name)
		var ae *APIError
		require.ErrorAs(t, wrapped, &ae)
		assert.Same(t, tc.err, ae)
	}
}

func TestValidationErrorBasics(t *testing.T) {
	ve := &ValidationError{Field: "PAN", Reason: "must be in the form AAAAA9999A"}
	assert.Equal(t, "inexopay: invalid PAN: must be in the form AAAAA9999A", ve.Error())
	assert.ErrorIs(t, ve, ErrInvalidParams)
	for _, s := range fxSentinels {
		if s != ErrInvalidParams {
			assert.NotErrorIs(t, ve, s)
		}
	}
	assert.NotErrorIs(t, ve, ErrOutcomeUnknown)
	wrapped := fmt.Errorf("onboarding: %w", ve)
	var got *ValidationError
	require.ErrorAs(t, wrapped, &got)
	assert.Equal(t, "PAN", got.Field)
	assert.ErrorIs(t, wrapped, ErrInvalidParams)
}

func TestOutcomeUnknownError(t *testing.T) {
	inner := &APIError{Endpoint: "PAN.Request", HTTPStatus: 502, Code: 502, ContentType: "text/html",
		Snippet: "502 Bad Gateway", Message: "answer is not JSON"}
	e := &OutcomeUnknownError{Endpoint: "PAN.Request", OrderID: "ORD12345", Err: inner}

	msg := e.Error()
	assert.True(t, strings.HasPrefix(msg, "inexopay: PAN.Request: outcome unknown"), msg)
	assert.Contains(t, msg, `"ORD12345"`, "names the order to reconcile")
	assert.Contains(t, msg, "status", "tells the caller to check the status")
	assert.Contains(t, msg, "502 Bad Gateway", "carries the cause")
	assert.Contains(t, msg, "text/html", "carries the cause")
	assert.Equal(t, 1, strings.Count(msg, "inexopay: "), "one prefix: %s", msg)

	assert.ErrorIs(t, e, ErrOutcomeUnknown)
	assert.ErrorIs(t, e, ErrServer, "the cause's sentinel shows through")
	assert.NotErrorIs(t, e, ErrBadRequest)
	assert.Same(t, inner, e.Unwrap())
	var ae *APIError
	require.ErrorAs(t, e, &ae)
	assert.Same(t, inner, ae)

	// Wrapped by the caller.
	var ou *OutcomeUnknownError
	require.ErrorAs(t, fmt.Errorf("billing: %w", e), &ou)
	assert.Equal(t, "ORD12345", ou.OrderID)

	// Without an order id and with a transport cause.
	e2 := &OutcomeUnknownError{Endpoint: "Wallet.GenerateQR", Err: fmt.Errorf("inexopay: Wallet.GenerateQR: %w", io.ErrUnexpectedEOF)}
	msg2 := e2.Error()
	assert.True(t, strings.HasPrefix(msg2, "inexopay: Wallet.GenerateQR: outcome unknown"), msg2)
	assert.NotContains(t, msg2, "for order")
	assert.Contains(t, msg2, "unexpected EOF")
	assert.ErrorIs(t, e2, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, e2, ErrOutcomeUnknown)
	assert.NotErrorIs(t, e2, ErrServer)

	// Without a cause.
	e3 := &OutcomeUnknownError{Endpoint: "Aadhaar.SendOTP", OrderID: "A1"}
	assert.Nil(t, e3.Unwrap())
	assert.ErrorIs(t, e3, ErrOutcomeUnknown)
	assert.Contains(t, e3.Error(), `"A1"`)
	assert.False(t, strings.HasSuffix(e3.Error(), ": "), e3.Error())
}

// TestSentinelsAreDistinct guards against two sentinels sharing a text that
// would make logs ambiguous.
func TestSentinelsAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range append(append([]error{}, fxSentinels...), ErrOutcomeUnknown) {
		assert.True(t, strings.HasPrefix(s.Error(), "inexopay: "), s.Error())
		assert.False(t, seen[s.Error()], "duplicate sentinel text %q", s.Error())
		seen[s.Error()] = true
	}
}

// ---- A 400 is always ErrBadRequest ----

// TestAPIError400AlwaysBadRequest: a 400, as the HTTP status or as the
// body's code, matches ErrBadRequest whatever its message says; one that
// says "not found" matches ErrNotFound as well. Other HTTP errors decide
// alone.
func TestAPIError400AlwaysBadRequest(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *APIError
		want []error
	}{
		{"body 400 not found", &APIError{HTTPStatus: 200, Code: 400, Message: "Order not found"}, []error{ErrBadRequest, ErrNotFound}},
		{"HTTP 400 not found", &APIError{HTTPStatus: 400, Code: 400, Message: "Order not found"}, []error{ErrBadRequest, ErrNotFound}},
		{"HTTP 400, respcode 99", &APIError{HTTPStatus: 400, Code: 99, Message: "Record Not Found"}, []error{ErrBadRequest, ErrNotFound}},
		{"body 400 other", &APIError{HTTPStatus: 200, Code: 400, Message: "Invalid amount"}, []error{ErrBadRequest}},
		{"respcode 99 in 200", &APIError{HTTPStatus: 200, Code: 99, Message: "Record Not Found"}, []error{ErrNotFound}},
		{"code-less not found", &APIError{HTTPStatus: 200, Message: "Transaction not found"}, []error{ErrNotFound}},
		{"HTTP 503, body 400", &APIError{HTTPStatus: 503, Code: 400, Message: "not found"}, []error{ErrServer}},
		{"HTTP 404, body 400", &APIError{HTTPStatus: 404, Code: 400, Message: "Order not found"}, []error{ErrNotFound}},
		{"non-JSON 400 page", &APIError{HTTPStatus: 400, Code: 400, ContentType: "text/html", Snippet: "Not Found"}, []error{ErrBadRequest}},
	} {
		for _, s := range fxSentinels {
			want := false
			for _, w := range tc.want {
				want = want || w == s
			}
			assert.Equal(t, want, errors.Is(tc.err, s), "%s: errors.Is(%v)", tc.name, s)
		}
	}
}
