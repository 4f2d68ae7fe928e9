package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestWalletQRShowsTheAmountAsked: an answer that does not repeat the
// amount is shown with the amount asked, not ₹0.00, and a load without a
// state word is pending (WalletQR.Status), in -json too.
func TestWalletQRShowsTheAmountAsked(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"SUCCESS","data":{"order_id":"WAL1","qr_url":"https://q.example/x.png","tx_string":"upi://pay?pa=a@b&am=500.00"}}`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}
	r := runCLI(t, env, "-base-url", api.URL, "wallet-qr", "-yes", "500")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `Amount:\s+500\.00 INR`, r.stdout)
	r = runCLI(t, env, "-json", "-base-url", api.URL, "wallet-qr", "-yes", "500")
	require.Equal(t, exitOK, r.code, r.stderr)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	assert.InDelta(t, 500.0, out["amount"], 0)
	assert.Equal(t, "pending", out["status"])
}
