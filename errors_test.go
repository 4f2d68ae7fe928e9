package inexopay

import (
	"errors"
	"fmt"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorsReExported: the root's sentinels are the very values the
// machinery returns, and its error types are the machinery's, so errors.Is
// and errors.As work on what any call returns. (The errors' own behaviour
// is tested in internal/apierr.)
func TestErrorsReExported(t *testing.T) {
	pairs := []struct{ root, inner error }{
		{ErrBadRequest, apierr.ErrBadRequest}, {ErrUnauthorized, apierr.ErrUnauthorized},
		{ErrInsufficientBalance, apierr.ErrInsufficientBalance}, {ErrForbidden, apierr.ErrForbidden},
		{ErrNotFound, apierr.ErrNotFound}, {ErrMethodNotAllowed, apierr.ErrMethodNotAllowed},
		{ErrRateLimited, apierr.ErrRateLimited}, {ErrServer, apierr.ErrServer},
		{ErrInvalidParams, apierr.ErrInvalidParams}, {ErrOutcomeUnknown, apierr.ErrOutcomeUnknown},
	}
	for _, p := range pairs {
		assert.Same(t, p.inner, p.root)
	}
	inner := apierr.MarkServer(&apierr.APIError{Endpoint: EndpointPANRequest, HTTPStatus: 200}, true, false)
	err := fmt.Errorf("billing: %w", &apierr.OutcomeUnknownError{Endpoint: EndpointPANRequest, OrderID: "ORD1", Err: inner})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD1", ou.OrderID)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Same(t, inner, ae)
	assert.ErrorIs(t, err, ErrServer)
	var ve *ValidationError
	assert.False(t, errors.As(err, &ve))
	assert.ErrorIs(t, &ValidationError{Field: "PAN", Errors: []FieldError{{Field: "PAN"}}}, ErrInvalidParams)
}
