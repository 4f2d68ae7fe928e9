package inexopay

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHosts: the default is the secure host; the mail host is https; the
// panel host is plain http and needs WithInsecureHTTP.
func TestHosts(t *testing.T) {
	assert.Equal(t, BaseURLSecure, DefaultBaseURL)
	auth := BodyAuth("h_key_0123456789", "huser")
	for _, base := range []string{BaseURLSecure, BaseURLMail} {
		c, err := NewClient(auth, WithBaseURL(base))
		require.NoError(t, err, base)
		assert.Equal(t, base, c.BaseURL())
	}
	_, err := NewClient(auth, WithBaseURL(BaseURLPanel))
	require.ErrorIs(t, err, ErrInvalidParams)
	c, err := NewClient(auth, WithBaseURL(BaseURLPanel), WithInsecureHTTP())
	require.NoError(t, err)
	assert.Equal(t, "http://panel.inexopay.in", c.BaseURL())
}
