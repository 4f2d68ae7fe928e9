package wire

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMissingInvisibleMustHave: an id, status or URL made only of invisible
// characters names nothing, so the member is missing.
func TestMissingInvisibleMustHave(t *testing.T) {
	for _, tc := range []struct {
		body    string
		out     MustHaver
		missing string
	}{
		{`{"data":{"order_id":"\u200b","qr_url":"https://q.example/x"}}`, new(WalletQR), "data.order_id"},
		{`{"data":{"order_id":"W1","qr_url":"\u2060","tx_string":"\u00a0"}}`, new(WalletQR), "data.qr_url"},
		{`{"data":{"agent_id":"\u00a0 \u2003"}}`, new(Agent), "data.agent_id"},
		{`{"data":{"request_id":"\u2060"}}`, new(AadhaarOTP), "data.request_id"},
		{`{"data":{"txid":"\ufeff","url":"\u3164"}}`, new(PANApplication), "data.url"},
		{`{"data":{"txn_id":"\ufeff"}}`, new(BankAccountAnswer), "data.txn_id"},
		{`{"data":"\u180e"}`, new(AccountOpening), "data"},
		{`{"account_url":"\u2800"}`, new(IncompleteAccount), "account_url"},
		{`{"data":{"status":"\uffa0","amount":1}}`, new(WalletPayment), "data.status"},
		{`{"data":{"status":"\u200b\u200c"}}`, new(PANStatus), "data.status"},
		{`{"data":{"status":"\u2028"}}`, new(AadhaarVerification), "data.status"},
		{`{"data":{"api_status":"\u0000","api_balance":1}}`, new(AccountStatus), "data.api_status"},
		{`{"data":{"order_id":"\u200bW1","qr_url":"https://q.example/x"}}`, new(WalletQR), ""},
	} {
		require.NoError(t, json.Unmarshal([]byte(tc.body), tc.out), tc.body)
		assert.Equal(t, tc.missing, tc.out.Missing(), tc.body)
	}
}

// TestStateWordStrict: a must-have state (data.status) with a character
// around it that PHP's trim() keeps, or the undocumented "successful",
// does not fit the answer type; a blank one is missing instead.
func TestStateWordStrict(t *testing.T) {
	for _, out := range []MustHaver{new(WalletPayment), new(PANStatus), new(AadhaarVerification)} {
		for _, st := range []string{`success\u00a0`, `\u200bSuccess`, `\fverified`, `successful`, `Successful`} {
			body := `{"data":{"status":"` + st + `","amount":1}}`
			assert.Error(t, json.Unmarshal([]byte(body), out), "%T %s", out, body)
		}
		for _, st := range []string{`success`, `Success\u0000`, ` pending `, `refunded`, `processing`} {
			body := `{"data":{"status":"` + st + `","amount":1}}`
			require.NoError(t, json.Unmarshal([]byte(body), out), "%T %s", out, body)
			assert.Equal(t, "", out.Missing(), "%T %s", out, body)
		}
	}
}
