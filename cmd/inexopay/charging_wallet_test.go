package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWalletQRRefusesMisgroupedAmounts: "2,50" is not ₹250 and "1e3" is not
// ₹1,000: nothing is sent.
func TestWalletQRRefusesMisgroupedAmounts(t *testing.T) {
	srv, env, base := sandbox(t)
	before := srv.Balance()
	for a, reason := range map[string]string{"2,50": "misplaced comma", "1e3": "exponent", "1.005": "fractions of a paisa",
		"10,00,00,001": "maximum"} {
		r := runCLI(t, env, args(base, "wallet-qr", "-yes", a)...)
		assert.Equal(t, exitInvalid, r.code, "%s: %s", a, r.stdout)
		assert.Contains(t, r.stderr, reason, a)
	}
	assert.Equal(t, before, srv.Balance())
}
