package diagnose

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inexopay/inexopay-go/internal/apierr"
)

// TestIPCheckBinding: an address INEXOPAY echoes in another spelling is
// the bound one; another address fails with the fix naming it.
func TestIPCheckBinding(t *testing.T) {
	ok := ipCheck(&Account{BindIP: "2001:db8::1", YourIP: "2001:0db8:0:0:0:0:0:1"}, nil)
	assert.Equal(t, checkOK, ok.Result)
	bad := ipCheck(&Account{BindIP: "203.0.113.7", YourIP: "198.51.100.2", IPStatus: "MISMATCH"}, nil)
	assert.Equal(t, checkFailed, bad.Result)
	assert.Contains(t, bad.Fix, "198.51.100.2")
	none := ipCheck(&Account{BindIP: "203.0.113.7"}, nil)
	assert.Equal(t, checkFailed, none.Result)
	assert.Contains(t, none.Fix, "bind -.")
}

// TestCredentialsCheckRefusals: each refusal of the account status call
// is a failed credentials check saying why.
func TestCredentialsCheckRefusals(t *testing.T) {
	assert.Contains(t, credentialsCheck(nil, apierr.ErrUnauthorized).Detail, "wrong API key")
	assert.Contains(t, credentialsCheck(nil, apierr.ErrForbidden).Detail, "403")
	assert.Contains(t, credentialsCheck(nil, errors.New("boom")).Detail, "Account.Status failed: boom.")
	inactive := credentialsCheck(&Account{Status: "SUSPENDED"}, nil)
	assert.Equal(t, checkFailed, inactive.Result)
	assert.Contains(t, inactive.Detail, `"SUSPENDED"`)
}
