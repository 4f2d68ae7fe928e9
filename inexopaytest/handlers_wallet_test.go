// Tests of the wallet endpoints: the life of a wallet load.

package inexopaytest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

func TestWalletLifecycle(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now), WithMinWalletLoad(inexopay.Rupees(10)))
	code, body := rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"100.50"}})
	require.Equal(t, 200, code)
	s.mu.Lock()
	var id string
	for _, w := range s.st.wallets {
		id = w.orderID
	}
	s.mu.Unlock()
	assert.Regexp(t, `^WAL[0-9]{13}$`, id)
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"QR generated successfully! Please scan and pay, then use check_status API to verify payment.",
		"data":{"order_id":"`+id+`","amount":100.50,"qr_url":"`+s.URL+`/sandbox/qr?order_id=`+id+`","upi_id":"inexopay.sandbox@ptys",
		"account_holder_name":"INEXOPAY","tx_string":"upi://pay?pa=inexopay.sandbox@ptys&pn=INEXOPAY&cu=INR&tn=`+id+`&am=100.50&tr=`+id+`","status":"pending"}}`, body)

	resp, err := http.Get(s.URL + "/sandbox/qr?order_id=" + id)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), "upi://pay?pa=inexopay.sandbox@ptys&amp;pn=INEXOPAY")

	_, body = rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"9.99"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Minimum wallet load amount is 10.00"}`, body)
	_, body = rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"abc"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid amount"}`, body)

	_, body = rawPost(t, s, inexopay.EndpointPaymentStatus, url.Values{"order_id": {id}})
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"`+id+`","amount":100.50,"status":"pending",
		"date_time":"2026-05-04 15:30:00","bank":"UPI QR - INEXOPAY (inexopay.sandbox@ptys)","mode":"API_UPI_QR",
		"remark":"Online Wallet Load via API - Pending","new_balance":1000}}`, body)

	clk.Advance(time.Minute)
	require.NoError(t, s.CompleteWalletPayment(id))
	assert.Equal(t, inexopay.Amount(110050), s.Balance())
	assert.ErrorIs(t, s.CompleteWalletPayment(id), ErrNotPending)
	assert.ErrorIs(t, s.FailWalletPayment(id), ErrNotPending)
	assert.ErrorIs(t, s.CompleteWalletPayment("WAL0"), ErrUnknownOrder)
	// A later spend does not change the recorded new balance.
	s.SetBalance(inexopay.Rupees(5))

	p, err := s.Client().Wallet.PaymentStatus(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, p.Status)
	assert.Equal(t, inexopay.Amount(110050), p.NewBalance)
	assert.Equal(t, inexopay.Amount(10050), p.Amount)
	assert.Equal(t, t0.Add(time.Minute), p.DateTime.UTC())
	assert.Regexp(t, `^Online Wallet Load via API - Success - UTR: SBX[0-9]{9}$`, p.Remark)

	q, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(20)})
	require.NoError(t, err)
	require.NoError(t, s.FailWalletPayment(q.OrderID))
	p, err = s.Client().Wallet.PaymentStatus(context.Background(), q.OrderID)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusFailed, p.Status)
	assert.Equal(t, inexopay.Rupees(5), s.Balance(), "a failed load credits nothing")

	_, body = rawPost(t, s, inexopay.EndpointPaymentStatus, url.Values{"order_id": {"WAL404"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Order not found"}`, body)
}

// Order ids are compared without regard to case, as the API's database
// does: a status call in another case finds the load, and its answer keeps
// the id as first sent.
func TestWalletOrderIDAnyCase(t *testing.T) {
	s := newServer(t)
	code, _ := rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"100.50"}})
	require.Equal(t, 200, code)
	s.mu.Lock()
	var id string
	for _, w := range s.st.wallets {
		id = w.orderID
	}
	s.mu.Unlock()
	code, body := rawPost(t, s, inexopay.EndpointPaymentStatus, url.Values{"order_id": {strings.ToLower(id)}})
	require.Equal(t, 200, code, body)
	assert.Contains(t, body, `"order_id":"`+id+`"`)
}
