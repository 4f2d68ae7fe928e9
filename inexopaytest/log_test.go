package inexopaytest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

// TestRequestLog checks the log: one line per API request with time,
// endpoint, path, order id, attempt, HTTP status and duration; a refusal's
// message; a dropped connection; and no secret (API key, Aadhaar number,
// OTP, mobile, PAN) anywhere.
func TestRequestLog(t *testing.T) {
	var log secrettest.LogBuffer
	clk := NewClock(t0)
	s := newServer(t, WithRequestLog(&log), WithClock(clk.Now), WithAPIKey("sandbox_key_do_not_log"))
	c := s.ClientWithAuth(inexopay.BodyAuth(s.APIKey, s.Username), inexopay.WithRetry(0, 0, 0))
	ctx := context.Background()

	_, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "LOG1", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "LOG1", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.ErrorIs(t, err, inexopay.ErrBadRequest)
	o, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "LOG2", AadhaarNumber: testAadhaar})
	require.NoError(t, err)
	otp, _ := s.OTP(o.RequestID)
	_, err = c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "LOG2", RequestID: o.RequestID, OTP: otp, AadhaarNumber: testAadhaar})
	require.NoError(t, err)
	q, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
	require.NoError(t, err)
	s.InjectFault(inexopay.EndpointPANStatus, Fault{Kind: FaultDrop}, 1)
	_, err = c.PAN.Status(ctx, "LOG1")
	require.Error(t, err)
	// The client sees the connection close before the handler returns.
	require.Eventually(t, func() bool { return len(log.Lines()) == 7 }, 5*time.Second, time.Millisecond)
	_, err = s.ClientWithAuth(inexopay.BodyAuth("wrong", "sandbox"), inexopay.WithRetry(0, 0, 0)).Account.Balance(ctx)
	require.ErrorIs(t, err, inexopay.ErrUnauthorized)

	lines := log.Lines()
	require.Len(t, lines, 8, log.String())
	ts := t0.Format(logTimeLayout) + " "
	want := []string{
		"api     Account.Balance               POST /api/balance.php http=200 code=200 ",
		"api     PAN.Request                   POST /api/nsdl-pan/v1/request_pan.php order=LOG1 attempt=1 http=200 code=200 ",
		"api     PAN.Request                   POST /api/nsdl-pan/v1/request_pan.php order=LOG1 attempt=2 http=200 code=400 ",
		"api     Aadhaar.SendOTP               POST /api/aadhaar/v1/send_otp.php order=LOG2 attempt=1 http=200 code=200 ",
		"api     Aadhaar.VerifyOTP             POST /api/aadhaar/v1/verify_otp.php order=LOG2 attempt=1 http=200 code=200 ",
		"api     Wallet.GenerateQR             POST /api/wallet/v1/load_request.php order=" + q.OrderID + " attempt=1 http=200 code=200 ",
		"api     PAN.Status                    POST /api/nsdl-pan/v1/pan_status.php order=LOG1 attempt=1 http=- (connection dropped, no answer) ",
		"api     Account.Balance               POST /api/balance.php http=401 code=401 ",
	}
	for i, l := range lines {
		require.True(t, strings.HasPrefix(l, ts+want[i]), "line %d:\n got %q\nwant %q…", i, l, ts+want[i])
		assert.Regexp(t, `[0-9.]+(µs|ms|s)( |$)`, l[len(ts+want[i]):], "a duration")
	}
	assert.True(t, strings.HasSuffix(lines[2], ` refused: "Duplicate Order ID"`), lines[2])
	assert.True(t, strings.HasSuffix(lines[7], ` refused: "Invalid API key or username"`), lines[7])
	for _, secret := range []string{s.APIKey, "wrong", testAadhaar, testAadhaar[8:] + "\"", otp, "9876543210"} {
		assert.NotContains(t, log.String(), secret)
	}
}

// TestWebhookLog checks one line per webhook attempt (URL with its token
// masked, order id, status, callback type, attempt, HTTP status, duration,
// outcome) and a line for each webhook not sent, saying why.
func TestWebhookLog(t *testing.T) {
	var log secrettest.LogBuffer
	recv := newHookReceiver(t, func(n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	s := newServer(t, WithRequestLog(&log), WithWebhookBackoff(100*time.Microsecond))
	c := s.Client()
	ctx := context.Background()

	q, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID)) // no URL at all
	s.SetWebhookURL(recv.URL + "/hook?token=tok_secret_123")
	q2, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
	require.NoError(t, err)
	require.NoError(t, s.FailWalletPayment(q2.OrderID))
	_, err = s.WaitDeliveries(ctx, 1)
	require.NoError(t, err)
	s.SetWebhookURL("https://example.com/hook?token=tok_secret_123")
	q3, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q3.OrderID))

	var hooks []string
	for _, l := range log.Lines() {
		if _, rest, ok := strings.Cut(l, " webhook "); ok {
			hooks = append(hooks, rest)
		}
	}
	require.Len(t, hooks, 4, log.String())
	assert.Equal(t, "no URL order="+q.OrderID+" status=success dropped: no return_url and no global webhook URL (set one with POST /sandbox/control/webhook_url url=…)", hooks[0])
	masked := recv.URL + "/hook?token=[REDACTED] order=" + q2.OrderID + " status=failed callback=global_webhook "
	assert.Regexp(t, `^`+quoteMeta(masked)+`attempt=1/11 http=500 [0-9.]+(µs|ms|s) failed, will retry: "inexopaytest: webhook answered HTTP 500"$`, hooks[1])
	assert.Regexp(t, `^`+quoteMeta(masked)+`attempt=2/11 http=200 [0-9.]+(µs|ms|s) delivered$`, hooks[2])
	assert.Equal(t, "https://example.com/hook?token=[REDACTED] order="+q3.OrderID+" status=success dropped: not a loopback host; the sandbox posts webhooks elsewhere only with -allow-remote (WithRemoteWebhooks)", hooks[3])
	assert.NotContains(t, log.String(), "tok_secret_123")
}

func quoteMeta(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ".", `\.`, "?", `\?`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`, "+", `\+`, "*", `\*`, "|", `\|`, "^", `\^`, "$", `\$`, "{", `\{`, "}", `\}`)
	return r.Replace(s)
}

// TestWebhookControls drives the webhook_url and deliveries controls over
// HTTP: set the global URL, see a delivery with its attempts, last status
// and delivered flag (token masked), refuse a bad URL, remove the URL.
func TestWebhookControls(t *testing.T) {
	recv := newHookReceiver(t, func(int) int { return http.StatusOK })
	s := newServer(t)
	ctx := context.Background()
	code, _, body := httpControl(t, s, http.MethodPost, "webhook_url", url.Values{"url": {recv.URL + "/h?token=abc"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.JSONEq(t, `{"status":true,"message":"OK","webhook_url":"`+recv.URL+`/h?token=abc"}`, body)

	q, err := s.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(5)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))
	_, err = s.WaitDeliveries(ctx, 1)
	require.NoError(t, err)
	code, _, body = httpControl(t, s, http.MethodGet, "deliveries", nil)
	require.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"status":true,"message":"OK","deliveries":[{"order_id":"`+q.OrderID+`","url":"`+recv.URL+`/h?token=[REDACTED]",
		"callback_type":"global_webhook","status":"success","attempts":1,"last_status":200,"delivered":true,"done":true}]}`, body)

	code, _, body = httpControl(t, s, http.MethodPost, "webhook_url", url.Values{"url": {"ftp://x"}})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "url must be an absolute http or https URL")
	code, _, body = httpControl(t, s, http.MethodPost, "webhook_url", nil)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "url is required")
	code, _, body = httpControl(t, s, http.MethodPost, "webhook_url", url.Values{"url": {"https://example.com/h"}})
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `"note":"not a loopback host`)
	code, _, _ = httpControl(t, s, http.MethodPost, "webhook_url", url.Values{"url": {""}})
	assert.Equal(t, http.StatusOK, code)
	q2, err := s.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(5)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q2.OrderID))
	assert.Len(t, s.Deliveries(), 1, "no URL, no delivery")

	code, _, body = httpControl(t, s, http.MethodPost, "deliveries", nil)
	assert.Equal(t, http.StatusOK, code, body)
	var ans struct{ Deliveries []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(body), &ans))
	assert.Len(t, ans.Deliveries, 1)
}

// TestPageButtonsLandOnReadablePage posts a sandbox page's buttons as a
// browser does and requires an HTML page saying what happened, not JSON.
func TestPageButtonsLandOnReadablePage(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	q, err := s.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(5)})
	require.NoError(t, err)
	resp, err := http.Get(q.QRURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Contains(t, string(page), `<input type="hidden" name="html" value="1">`)
	assert.Contains(t, string(page), `<a href="/">`)

	press := func(path string, form url.Values) (int, string, string) {
		resp, err := http.PostForm(s.URL+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	code, ct, body := press("/sandbox/control/wallet/complete", url.Values{"order_id": {q.OrderID}, "html": {"1"}})
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "text/html; charset=UTF-8", ct)
	assert.Contains(t, body, "<h1>Done</h1>")
	assert.Contains(t, body, "The wallet load "+q.OrderID+" is now success.")
	assert.Contains(t, body, "No webhook was sent: the order has no return_url and no global webhook URL is set.")
	code, _, body = press("/sandbox/control/wallet/complete", url.Values{"order_id": {q.OrderID}, "html": {"1"}})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "<h1>Not done</h1>")
	assert.Contains(t, body, "is success")
	code, _, body = press("/sandbox/control/pan/fail", url.Values{"order_id": {"nope"}, "html": {"1"}})
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, body, "unknown order")

	// An account opening's page names its return_url and the webhook.
	_, _ = rawPost(t, s, inexopay.EndpointOnboardAgent, onboardForm("9876543210", "AG1"))
	code, body = rawPost(t, s, inexopay.EndpointOpenAccount, openForm("ACCP1", "AG1"))
	require.Equal(t, 200, code, body)
	code, ct, body = press("/sandbox/control/account/complete", url.Values{"order_id": {"ACCP1"}, "html": {"1"}})
	assert.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "text/html; charset=UTF-8", ct)
	assert.Contains(t, body, "The account opening ACCP1 is now success.")
	assert.Contains(t, body, "NSDL would now send the customer to the return_url: ")
	assert.Contains(t, body, "The webhook to https://merchant.example/return was dropped: it is not a loopback host (start the sandbox with -allow-remote).")

	recv := newHookReceiver(t, func(int) int { return http.StatusOK })
	form := openForm("ACCP2", "AG1")
	form.Set("pancard", "BNZPM2501F")
	form.Set("return_url", recv.URL+"/back?token=zzz")
	code, body = rawPost(t, s, inexopay.EndpointOpenAccount, form)
	require.Equal(t, 200, code, body)
	_, _, body = press("/sandbox/control/account/fail", url.Values{"order_id": {"ACCP2"}, "html": {"1"}})
	assert.Contains(t, body, "The account opening ACCP2 is now failed.")
	assert.Contains(t, body, "A per_transaction webhook (status failed) is being posted to "+recv.URL+"/back?token=[REDACTED].")
	_, err = s.WaitDeliveries(ctx, 2)
	require.NoError(t, err)

	// Without html=1 a control still answers JSON.
	q2, err := s.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(5)})
	require.NoError(t, err)
	_, ct, body = press("/sandbox/control/wallet/fail", url.Values{"order_id": {q2.OrderID}})
	assert.Equal(t, "application/json", ct)
	assert.JSONEq(t, `{"status":true,"message":"OK"}`, body)
}
