package apierr

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fxSentinels are the sentinels an *APIError may match.
var fxSentinels = []error{ErrBadRequest, ErrUnauthorized, ErrInsufficientBalance, ErrForbidden, ErrNotFound,
	ErrMethodNotAllowed, ErrRateLimited, ErrServer, ErrInvalidParams}

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

// TestMarkServer: what the machinery marks changes the sentinel and
// Temporary as the answer code's users expect.
func TestMarkServer(t *testing.T) {
	e := MarkServer(&APIError{HTTPStatus: 200, Code: 200}, false, false)
	assert.Equal(t, ErrServer, Sentinel(e))
	assert.True(t, e.Temporary())
	assert.False(t, Unusable(e))

	// A marked error below an HTTP error status takes the status' sentinel.
	assert.ErrorIs(t, MarkServer(&APIError{HTTPStatus: 401, Code: 401}, false, false), ErrUnauthorized)

	// An unusable answer matches ErrServer only, whatever its status.
	u := MarkServer(&APIError{HTTPStatus: 401, Code: 401}, true, true)
	assert.True(t, Unusable(u))
	assert.Equal(t, ErrServer, Sentinel(u))
	assert.NotErrorIs(t, u, ErrUnauthorized)
	assert.False(t, u.Temporary(), "permanent")
	SetPermanent(u, false)
	assert.True(t, u.Temporary())
	SetUnusable(u, false)
	assert.False(t, Unusable(u))
	assert.ErrorIs(t, u, ErrUnauthorized)
}
