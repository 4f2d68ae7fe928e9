// Tests of the account controls and the order controls, called as Go
// methods and over HTTP.

package inexopaytest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

func TestSandboxControls(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	control := func(path string, form url.Values) (int, string) {
		resp, err := http.PostForm(s.URL+"/sandbox/control/"+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	q, err := s.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(50)})
	require.NoError(t, err)
	code, body := control("wallet/complete", url.Values{"order_id": {q.OrderID}})
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"status":true,"message":"OK"}`, body)
	assert.Equal(t, inexopay.Rupees(1050), s.Balance())
	code, body = control("wallet/complete", url.Values{"order_id": {q.OrderID}})
	assert.Equal(t, 400, code)
	assert.JSONEq(t, `{"status":false,"message":"inexopaytest: transaction is not pending: wallet load \"`+q.OrderID+`\" is success"}`, body)
	code, _ = control("pan/fail", url.Values{"order_id": {"nope"}})
	assert.Equal(t, 404, code)

	o, err := s.Client().Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "C1", AadhaarNumber: testAadhaar})
	require.NoError(t, err)
	otp, _ := s.OTP(o.RequestID)
	_, body = control("aadhaar/otp", url.Values{"request_id": {o.RequestID}})
	assert.JSONEq(t, `{"status":true,"message":"OK","otp":"`+otp+`"}`, body)

	_, body = control("balance", url.Values{"amount": {"12.34"}})
	assert.JSONEq(t, `{"status":true,"message":"OK","balance":12.34}`, body)
	assert.Equal(t, inexopay.Amount(1234), s.Balance())
	code, _ = control("balance", url.Values{"amount": {"x"}})
	assert.Equal(t, 400, code)
	_, _ = control("account_status", url.Values{"status": {"EXPIRED"}})
	_, err = s.Client().Account.Balance(ctx)
	assert.ErrorIs(t, err, inexopay.ErrForbidden)
	_, _ = control("account_status", url.Values{"status": {"ACTIVE"}})
	_, _ = control("bound_ip", url.Values{"ip": {"198.51.100.1"}})
	_, err = s.Client().Account.Balance(ctx)
	assert.ErrorIs(t, err, inexopay.ErrForbidden)
	_, _ = control("bound_ip", url.Values{"ip": {""}})
	_, err = s.Client().Account.Balance(ctx)
	assert.NoError(t, err)

	resp, err := http.Get(s.URL + "/sandbox/control/balance")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)

	// The PAN and account pages link to the controls.
	s.SetBalance(inexopay.Rupees(200))
	a, err := s.Client().PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "C2", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	resp, err = http.Get(a.URL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), `action="/sandbox/control/pan/complete"`)
	assert.Contains(t, string(page), `value="C2"`)
	code, _ = control("pan/complete", url.Values{"order_id": {"C2"}})
	assert.Equal(t, 200, code)
	st, _ := s.PANStatus("C2")
	assert.Equal(t, PANSuccess, st)
	resp, err = http.Get(s.URL + "/sandbox/nsdl/account_open?signcs=NSDLNONE")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
}
