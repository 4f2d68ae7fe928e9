package answer

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// TestRefusalCarryingMustHavesDespiteTypes: a refusal that carries every
// must-have of the call's success is unusable (row 7) even when another
// member has a type the success answer does not allow (a status of 0, an
// amount "abc"); one without a must-have, or with a must-have of another
// type (an NSDL refusal's data object to OpenAccount), stays a refusal.
func TestRefusalCarryingMustHavesDespiteTypes(t *testing.T) {
	for _, tc := range []struct {
		e        endpoints.Name
		status   int
		body     string
		out      wire.Headed
		unusable bool
	}{
		{endpoints.GenerateQR, 200, `{"status":false,"data":{"order_id":"WAL1","qr_url":"https://qr.example.com/q.png","status":0}}`, new(wire.WalletQR), true},
		{endpoints.GenerateQR, 400, `{"status":"FAILED","status_code":400,"data":{"order_id":"WAL1","qr_url":"https://qr.example.com/q.png","amount":"abc"}}`, new(wire.WalletQR), true},
		{endpoints.GenerateQR, 402, `{"status":false,"data":{"order_id":{"id":1},"qr_url":"https://qr.example.com/q.png"}}`, new(wire.WalletQR), true},
		{endpoints.SendOTP, 200, `{"status":false,"data":{"request_id":"REQ77001234","status":0}}`, new(wire.AadhaarOTP), true},
		{endpoints.PANStatus, 200, `{"status":false,"data":{"status":"Success","amount":"abc"}}`, new(wire.PANStatus), true},
		{endpoints.GenerateQR, 400, `{"status":false,"data":{"qr_url":"https://qr.example.com/q.png","amount":"abc"}}`, new(wire.WalletQR), false},
		{endpoints.SendOTP, 400, `{"status":false,"data":{"status":0}}`, new(wire.AadhaarOTP), false},
		{endpoints.OpenAccount, 401, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`, new(wire.AccountOpening), false},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
		ae := Decode(tc.e, resp, []byte(tc.body), tc.out, wire.Asked{}, nil)
		require.NotNil(t, ae, tc.body)
		assert.Equal(t, tc.unusable, apierr.Unusable(ae), "%d %s", tc.status, tc.body)
	}
}
