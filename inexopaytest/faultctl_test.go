package inexopaytest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

// httpControl sends a request to a sandbox control with net/http, as an app
// in another language would, and returns the status, Allow header and body.
func httpControl(t *testing.T, s *Server, method, path string, form url.Values) (int, string, string) {
	t.Helper()
	u := s.URL + "/sandbox/control/" + path
	var body io.Reader
	if method == http.MethodGet {
		if len(form) > 0 {
			u += "?" + form.Encode()
		}
	} else {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, resp.Header.Get("Allow"), string(b)
}

// injectOverHTTP posts to the fault control and requires it to accept.
func injectOverHTTP(t *testing.T, s *Server, form url.Values, wantAnswer string) {
	t.Helper()
	code, _, body := httpControl(t, s, http.MethodPost, "fault", form)
	require.Equal(t, http.StatusOK, code, body)
	assert.JSONEq(t, wantAnswer, body)
}

func TestFaultControlOverHTTP(t *testing.T) {
	s := newServer(t)
	c := s.Client() // 3 retries for read-only calls
	ctx := context.Background()
	panParams := func(order string) *inexopay.PANRequestParams {
		return &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: order, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
	}

	// drop, by endpoint name: the charging call is lost before processing.
	injectOverHTTP(t, s, url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}},
		`{"status":true,"message":"OK","endpoint":"PAN.Request","path":"/api/nsdl-pan/v1/request_pan.php","kind":"drop","n":1}`)
	_, err := c.PAN.Request(ctx, panParams("H1"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 1, s.Requests(inexopay.EndpointPANRequest), "charging calls are not retried")
	assert.Equal(t, 0, s.PANCount())
	assert.Equal(t, inexopay.Rupees(1000), s.Balance())

	// http500 by path, n=2: the read-only call is retried through both.
	injectOverHTTP(t, s, url.Values{"endpoint": {"/api/balance.php"}, "kind": {"http500"}, "n": {"2"}},
		`{"status":true,"message":"OK","endpoint":"Account.Balance","path":"/api/balance.php","kind":"http500","n":2}`)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Rupees(1000), b.Amount)
	assert.Equal(t, 3, s.Requests(inexopay.EndpointAccountBalance))

	// http502 outlasting the retries (1 try + 3 retries), then one left over.
	injectOverHTTP(t, s, url.Values{"endpoint": {"Account.Status"}, "kind": {"HTTP502"}, "n": {" 5 "}},
		`{"status":true,"message":"OK","endpoint":"Account.Status","path":"/api/check_status.php","kind":"http502","n":5}`)
	_, err = c.Account.Status(ctx)
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadGateway, ae.HTTPStatus)
	assert.Equal(t, 4, s.Requests(inexopay.EndpointAccountStatus))
	_, err = c.Account.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, 6, s.Requests(inexopay.EndpointAccountStatus))

	// html_form: HTTP 200 with an HTML page, nothing charged.
	injectOverHTTP(t, s, url.Values{"endpoint": {"PAN.Request"}, "kind": {"html_form"}},
		`{"status":true,"message":"OK","endpoint":"PAN.Request","path":"/api/nsdl-pan/v1/request_pan.php","kind":"html_form","n":1}`)
	_, err = c.PAN.Request(ctx, panParams("H2"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusOK, ae.HTTPStatus)
	assert.Contains(t, ae.Message, "http://nsdl.sandbox.invalid/sandbox/nsdl/pan is plain http", "the SDK refuses the form")
	assert.Equal(t, 2, s.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, 0, s.PANCount())

	// drop_after_processing: charged once, the answer lost.
	injectOverHTTP(t, s, url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop_after_processing"}},
		`{"status":true,"message":"OK","endpoint":"PAN.Request","path":"/api/nsdl-pan/v1/request_pan.php","kind":"drop_after_processing","n":1}`)
	_, err = c.PAN.Request(ctx, panParams("H3"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 3, s.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, 1, s.PANCount())
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())
	st, found := s.PANStatus("H3")
	assert.True(t, found)
	assert.Equal(t, PANPending, st)

	// delay: the call is answered normally after the wait.
	injectOverHTTP(t, s, url.Values{"endpoint": {"PAN.Status"}, "kind": {"delay"}, "delay": {"1ms"}},
		`{"status":true,"message":"OK","endpoint":"PAN.Status","path":"/api/nsdl-pan/v1/pan_status.php","kind":"delay","n":1,"delay":"1ms"}`)
	ps, err := c.PAN.Status(ctx, "H3")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, ps.Status)
	assert.Equal(t, 1, s.Requests(inexopay.EndpointPANStatus))

	// Faults posted for one endpoint queue up in order.
	injectOverHTTP(t, s, url.Values{"endpoint": {"Wallet.PaymentStatus"}, "kind": {"drop"}},
		`{"status":true,"message":"OK","endpoint":"Wallet.PaymentStatus","path":"/api/wallet/v1/check_status.php","kind":"drop","n":1}`)
	injectOverHTTP(t, s, url.Values{"endpoint": {"Wallet.PaymentStatus"}, "kind": {"http500"}, "n": {"3"}},
		`{"status":true,"message":"OK","endpoint":"Wallet.PaymentStatus","path":"/api/wallet/v1/check_status.php","kind":"http500","n":3}`)
	_, err = c.Wallet.PaymentStatus(ctx, "WALNONE")
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusInternalServerError, ae.HTTPStatus, "drop, then three 500s")
	assert.Equal(t, 4, s.Requests(inexopay.EndpointPaymentStatus))
	_, err = c.Wallet.PaymentStatus(ctx, "WALNONE")
	assert.ErrorIs(t, err, inexopay.ErrNotFound, "the queue is spent")
	assert.Equal(t, 5, s.Requests(inexopay.EndpointPaymentStatus))

	// The request counts over HTTP: one endpoint by name or path, or all.
	code, _, body := httpControl(t, s, http.MethodGet, "requests", url.Values{"endpoint": {"PAN.Request"}})
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"status":true,"message":"OK","endpoint":"PAN.Request","requests":3}`, body)
	code, _, body = httpControl(t, s, http.MethodPost, "requests", url.Values{"endpoint": {"/api/balance.php"}})
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"status":true,"message":"OK","endpoint":"Account.Balance","requests":3}`, body)
	code, _, body = httpControl(t, s, http.MethodGet, "requests", nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, `{"status":true,"message":"OK","requests":{"Account.Status":6,"Account.Balance":3,`+
		`"NSDLBank.OnboardAgent":0,"NSDLBank.OpenAccount":0,"NSDLBank.AccountStatus":0,"NSDLBank.AccountDetails":0,`+
		`"NSDLBank.IncompleteAccountURL":0,"Wallet.GenerateQR":0,"Wallet.PaymentStatus":5,"PAN.Request":3,`+
		`"PAN.Status":1,"PAN.Resume":0,"Aadhaar.SendOTP":0,"Aadhaar.VerifyOTP":0}}`, body)
}

func TestFaultControlRefusesBadInput(t *testing.T) {
	s := newServer(t)
	const kinds = "http500, http502, html_form, delay, drop, drop_after_processing"
	const names = "Account.Status, Account.Balance, NSDLBank.OnboardAgent, NSDLBank.OpenAccount, " +
		"NSDLBank.AccountStatus, NSDLBank.AccountDetails, NSDLBank.IncompleteAccountURL, Wallet.GenerateQR, " +
		"Wallet.PaymentStatus, PAN.Request, PAN.Status, PAN.Resume, Aadhaar.SendOTP, Aadhaar.VerifyOTP"
	for _, tc := range []struct {
		name string
		form url.Values
		msg  string
	}{
		{"no endpoint", url.Values{"kind": {"drop"}},
			`inexopaytest: endpoint is required: a name such as "PAN.Request" or a path such as "/api/nsdl-pan/v1/request_pan.php"`},
		{"unknown endpoint", url.Values{"endpoint": {"PAN.Apply"}, "kind": {"drop"}},
			`inexopaytest: unknown endpoint "PAN.Apply": want one of ` + names + `, or its path`},
		{"long endpoint cut", url.Values{"endpoint": {strings.Repeat("x", 100)}, "kind": {"drop"}},
			`inexopaytest: unknown endpoint "` + strings.Repeat("x", 64) + `"…: want one of ` + names + `, or its path`},
		{"no kind", url.Values{"endpoint": {"PAN.Request"}},
			`inexopaytest: kind is required: one of ` + kinds},
		{"unknown kind", url.Values{"endpoint": {"PAN.Request"}, "kind": {"timeout"}},
			`inexopaytest: unknown kind "timeout": want one of ` + kinds},
		{"n zero", url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}, "n": {"0"}},
			`inexopaytest: n must be a whole number from 1 to 1000000, got "0"`},
		{"n negative", url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}, "n": {"-2"}},
			`inexopaytest: n must be a whole number from 1 to 1000000, got "-2"`},
		{"n not a number", url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}, "n": {"two"}},
			`inexopaytest: n must be a whole number from 1 to 1000000, got "two"`},
		{"n too big", url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}, "n": {"1000001"}},
			`inexopaytest: n must be a whole number from 1 to 1000000, got "1000001"`},
		{"delay missing", url.Values{"endpoint": {"PAN.Request"}, "kind": {"delay"}},
			`inexopaytest: kind delay needs a delay, a Go duration such as "250ms" or "2s"`},
		{"delay not a duration", url.Values{"endpoint": {"PAN.Request"}, "kind": {"delay"}, "delay": {"5"}},
			`inexopaytest: delay must be a Go duration of zero or more, such as "250ms" or "2s", got "5"`},
		{"delay negative", url.Values{"endpoint": {"PAN.Request"}, "kind": {"delay"}, "delay": {"-1s"}},
			`inexopaytest: delay must be a Go duration of zero or more, such as "250ms" or "2s", got "-1s"`},
		{"delay with another kind", url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}, "delay": {"1s"}},
			`inexopaytest: delay applies only to kind delay`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := httpControl(t, s, http.MethodPost, "fault", tc.form)
			assert.Equal(t, http.StatusBadRequest, code)
			assert.JSONEq(t, `{"status":false,"message":`+string(marshal(tc.msg))+`}`, body)
		})
	}
	code, _, body := httpControl(t, s, http.MethodGet, "requests", url.Values{"endpoint": {"nope"}})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.JSONEq(t, `{"status":false,"message":"inexopaytest: unknown endpoint \"nope\": want one of `+names+`, or its path"}`, body)

	// Nothing was queued: every endpoint answers normally.
	c := s.Client(inexopay.WithRetry(0, 0, 0))
	_, err := c.PAN.Request(context.Background(), &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "B1",
		Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	assert.Equal(t, 1, s.Requests(inexopay.EndpointPANRequest))

	// Wrong methods.
	code, allow, body := httpControl(t, s, http.MethodGet, "fault", url.Values{"endpoint": {"PAN.Request"}, "kind": {"drop"}})
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	assert.Equal(t, "POST", allow)
	assert.JSONEq(t, `{"status":false,"message":"`+msgMethodNotAllowed+`"}`, body)
	code, allow, _ = httpControl(t, s, http.MethodPut, "requests", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	assert.Equal(t, "GET, POST", allow)
	_, err = c.PAN.Status(context.Background(), "B1")
	require.NoError(t, err, "the GET to the fault control queued nothing")
}
