package inexopay

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

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
