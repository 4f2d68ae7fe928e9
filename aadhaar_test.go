package inexopay_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// TestReadmeNamesTheSandboxAadhaar: the README gives users a number that
// passes the SDK's check (inexopaytest proves the sandbox accepts it).
func TestReadmeNamesTheSandboxAadhaar(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(readme), "2345 6789 0124") && strings.Contains(string(readme), "inexopaytest.SandboxAadhaar"),
		"README must name the sandbox's test Aadhaar number")
	assert.Equal(t, "234567890124", inexopaytest.SandboxAadhaar)
	require.NoError(t, (&inexopay.SendOTPParams{OrderID: "O", AadhaarNumber: "2345 6789 0124"}).Validate())
}

// TestAadhaarStatusIsNotATransactionStatus: a verification has its own
// type; "verified" is its success, and it has no Final of a payment.
func TestAadhaarStatusIsNotATransactionStatus(t *testing.T) {
	assert.True(t, inexopay.AadhaarVerified.Verified())
	assert.False(t, inexopay.AadhaarPending.Verified())
	assert.False(t, inexopay.AadhaarStatus("VERIFIED").Verified(), "results are normalised to lower case before use")
}
