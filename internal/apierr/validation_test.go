package apierr

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
