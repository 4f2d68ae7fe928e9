package inexopay_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// e2eAadhaar is a valid (Verhoeff-checked) Aadhaar number.
var e2eAadhaar = func() string {
	const body = "38472910563"
	return body + string(validate.VerhoeffDigit(body))
}()

func e2eServer(t *testing.T, opts ...inexopaytest.Option) *inexopaytest.Server {
	t.Helper()
	s := inexopaytest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// e2eAPIError asserts that err is an *APIError matching sentinel with the
// given message.
func e2eAPIError(t *testing.T, err error, sentinel error, message string) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, message, ae.Message)
}

func e2eOnboard(mobile string) *inexopay.OnboardAgentParams {
	return &inexopay.OnboardAgentParams{ShopName: "Kumar Telecom", Name: "Binod Kumar", Email: "binod@example.com",
		Mobile: mobile, DateOfBirth: "1990-04-12", Address: "Main Road, Araria", StateName: "Bihar",
		CityName: "Araria", Pincode: "852105", PAN: "BQKPM4821R"}
}

func e2eOpen(orderID, agentID, returnURL string) *inexopay.OpenAccountParams {
	return &inexopay.OpenAccountParams{OrderID: orderID, AccountType: inexopay.SavingsAccount, BCAgentID: agentID,
		AgentPAN: "BQKPM4821R", FirstName: "Asha", MiddleName: "K", LastName: "Devi", Email: "asha@example.com",
		Phone: "7091919185", PAN: "ZXCVB9876L", Pincode: "852105", ReturnURL: returnURL}
}

func e2ePAN(orderID string) *inexopay.PANRequestParams {
	return &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
}

// e2eCalls calls every service method once with well-formed parameters.
func e2eCalls() map[inexopay.Endpoint]func(context.Context, *inexopay.Client) error {
	return map[inexopay.Endpoint]func(context.Context, *inexopay.Client) error{
		inexopay.EndpointAccountStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Account.Status(ctx)
			return err
		},
		inexopay.EndpointAccountBalance: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Account.Balance(ctx)
			return err
		},
		inexopay.EndpointOnboardAgent: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9123456780"))
			return err
		},
		inexopay.EndpointOpenAccount: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.OpenAccount(ctx, e2eOpen("ACCX", "INX00001", "https://merchant.example/r"))
			return err
		},
		inexopay.EndpointBankAccountStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.AccountStatus(ctx, "ZXCVB9876L")
			return err
		},
		inexopay.EndpointBankAccountDetails: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: "ACCX"})
			return err
		},
		inexopay.EndpointIncompleteAccountURL: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.IncompleteAccountURL(ctx, "ACCX")
			return err
		},
		inexopay.EndpointGenerateQR: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
			return err
		},
		inexopay.EndpointPaymentStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Wallet.PaymentStatus(ctx, "WAL0000000000001")
			return err
		},
		inexopay.EndpointPANRequest: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.PAN.Request(ctx, e2ePAN("PANX"))
			return err
		},
		inexopay.EndpointPANStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.PAN.Status(ctx, "PANX")
			return err
		},
		inexopay.EndpointPANResume: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.PAN.Resume(ctx, "PANX")
			return err
		},
		inexopay.EndpointSendOTP: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "ADHX", AadhaarNumber: e2eAadhaar})
			return err
		},
		inexopay.EndpointVerifyOTP: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "ADHX", RequestID: "ADHRX", OTP: "123456", AadhaarNumber: e2eAadhaar})
			return err
		},
	}
}

// TestE2EAccessRefusedEverywhere checks that every method fails with the
// right sentinel when the credentials, account status or IP are wrong, and
// that the server saw each refused call exactly once per attempt.
func TestE2EAccessRefusedEverywhere(t *testing.T) {
	srv := e2eServer(t)
	ctx := context.Background()
	calls := e2eCalls()
	require.Len(t, calls, len(endpoints.Paths[inexopay.Endpoint]()))

	wrongKey := srv.ClientWithAuth(inexopay.BodyAuth("wrong_key_0000", srv.Username))
	wrongUser := srv.ClientWithAuth(inexopay.HeaderAuth(srv.APIKey, "intruder"))
	for e, call := range calls {
		for _, c := range []*inexopay.Client{wrongKey, wrongUser} {
			err := call(ctx, c)
			require.ErrorIs(t, err, inexopay.ErrUnauthorized, e)
			var ae *inexopay.APIError
			require.ErrorAs(t, err, &ae, e)
			assert.Equal(t, 401, ae.HTTPStatus, e)
			assert.Equal(t, "Invalid API key or username", ae.Message, e)
			assert.NotContains(t, err.Error(), srv.APIKey)
		}
		assert.Equal(t, 2, srv.Requests(e), "a 401 is not retried: %s", e)
	}

	srv.SetAccountStatus("EXPIRED")
	for e, call := range calls {
		e2eAPIError(t, call(ctx, srv.Client()), inexopay.ErrForbidden, "Account not approved or subscription expired")
		assert.Equal(t, 3, srv.Requests(e), e)
	}
	srv.SetAccountStatus(inexopaytest.AccountActive)
	srv.SetBoundIP("203.0.113.10")
	for e, call := range calls {
		e2eAPIError(t, call(ctx, srv.Client()), inexopay.ErrForbidden, "IP not whitelisted")
		assert.Equal(t, 4, srv.Requests(e), e)
	}
	assert.Equal(t, inexopay.Rupees(1000), srv.Balance(), "refused calls charge nothing")
	assert.Equal(t, 0, srv.PANCount())
}

// TestE2ELostAnswerChargedOnce is the reason for FaultDropAfterProcessing:
// the API files and charges the application but the answer is lost. The
// SDK must not retry (that would charge twice) and must say the outcome is
// unknown; the status call then shows the application.
func TestE2ELostAnswerChargedOnce(t *testing.T) {
	srv := e2eServer(t)
	c := srv.Client()
	ctx := context.Background()
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultDropAfterProcessing}, 1)

	_, err := c.PAN.Request(ctx, e2ePAN("LOST-1"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	var ou *inexopay.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "LOST-1", ou.OrderID)
	assert.Equal(t, 1, srv.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, srv.Balance())

	st, err := c.PAN.Status(ctx, "LOST-1")
	require.NoError(t, err)
	assert.Equal(t, "LOST-1", st.OrderID)
	assert.Equal(t, inexopay.StatusPending, st.Status)
	assert.Equal(t, inexopaytest.DefaultPANFee, st.Amount)

	// Blindly trying again is harmless: the order id is taken.
	_, err = c.PAN.Request(ctx, e2ePAN("LOST-1"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)
	assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, srv.Balance())
	assert.Equal(t, 1, srv.PANCount())

	// The same holds for a connection dropped before processing: nothing
	// was filed, and the status call says so.
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultDrop}, 1)
	_, err = c.PAN.Request(ctx, e2ePAN("LOST-2"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	_, err = c.PAN.Status(ctx, "LOST-2")
	require.ErrorIs(t, err, inexopay.ErrNotFound)
	assert.Equal(t, 1, srv.PANCount())
}

// TestE2EWebhooks sends the sandbox's status changes to the SDK's own
// webhook handler: per-transaction to the return_url, global otherwise,
// with a failing callback retried until it succeeds.
func TestE2EWebhooks(t *testing.T) {
	var mu sync.Mutex
	var events []*inexopay.WebhookEvent
	failFirst := true
	recv := httptest.NewServer(inexopay.WebhookHandler(func(_ context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if failFirst {
			failFirst = false
			return errors.New("database down")
		}
		events = append(events, ev)
		return nil
	}, inexopay.WithWebhookDedup(nil)))
	defer recv.Close()

	clk := inexopaytest.NewClock(time.Date(2026, 6, 3, 10, 0, 0, 0, time.UTC))
	srv := e2eServer(t, inexopaytest.WithClock(clk.Now), inexopaytest.WithWebhookURL(recv.URL+"/global"),
		inexopaytest.WithWebhookBackoff(50*time.Microsecond))
	c := srv.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	agent, err := c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9876501236"))
	require.NoError(t, err)
	_, err = c.NSDLBank.OpenAccount(ctx, e2eOpen("ACC-W", agent.AgentID, recv.URL+"/return"))
	require.NoError(t, err)
	qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)

	require.NoError(t, srv.FailAccountOpening("ACC-W"))
	_, err = srv.WaitDeliveries(ctx, 1)
	require.NoError(t, err)
	require.NoError(t, srv.CompleteWalletPayment(qr.OrderID))
	ds, err := srv.WaitDeliveries(ctx, 2)
	require.NoError(t, err)

	require.Len(t, ds, 2)
	assert.Equal(t, recv.URL+"/return", ds[0].URL)
	assert.Equal(t, 2, ds[0].Attempts, "the first try got a 500 from the failing callback")
	assert.True(t, ds[0].Delivered)
	assert.Equal(t, recv.URL+"/global", ds[1].URL)
	assert.Equal(t, 1, ds[1].Attempts)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, events, 2)
	ev := *events[0]
	assert.True(t, ev.DateTime.Equal(clk.Now()), "datetime is the change's time (sent in IST): %v", ev.DateTime)
	ev.DateTime = time.Time{}
	assert.Equal(t, ev.RawDateTime, ev.Fields.Get("datetime"))
	assert.Equal(t, []string{"ACC-W"}, ev.Fields.Values("order_id"))
	assert.Empty(t, ev.Warnings)
	ev.RawDateTime, ev.Fields = "", nil
	assert.Equal(t, inexopay.WebhookEvent{OrderID: "ACC-W", Status: inexopay.StatusFailed, Remark: "Account opening failed",
		CallbackType: inexopay.CallbackPerTransaction, Source: inexopay.WebhookSource}, ev)
	assert.Equal(t, qr.OrderID, events[1].OrderID)
	assert.Equal(t, inexopay.StatusSuccess, events[1].Status)
	assert.Equal(t, inexopay.CallbackGlobal, events[1].CallbackType)
}

// ---- The contract suite: the SDK against the sandbox ----

// The live contract suite checks the SDK's assumptions against a real
// INEXOPAY host. It runs only when INEXOPAY_API_KEY is set, and it makes
// only read-only calls: the account status and balance, and status lookups
// of order ids that cannot exist (which must come back as INEXOPAY's own
// JSON refusal, not a 404 page: that is how an inferred path is checked).
//
//	INEXOPAY_API_KEY=… INEXOPAY_USERNAME=… go test -run Contract -v .
//
// Optional: INEXOPAY_BASE_URL (default inexopay.BaseURLSecure; the plain
// http panel host also needs INEXOPAY_INSECURE_HTTP=1), INEXOPAY_AUTH=header
// for header authentication, INEXOPAY_WALLET_ORDER_ID and
// INEXOPAY_PAN_ORDER_ID to look up real orders of yours.

func contractClient(t *testing.T) *inexopay.Client {
	t.Helper()
	key := os.Getenv("INEXOPAY_API_KEY")
	if key == "" {
		t.Skip("INEXOPAY_API_KEY is not set: the live contract suite is skipped")
	}
	user := os.Getenv("INEXOPAY_USERNAME")
	require.NotEmpty(t, user, "INEXOPAY_USERNAME must be set with INEXOPAY_API_KEY")
	auth := inexopay.BodyAuth(key, user)
	if strings.EqualFold(os.Getenv("INEXOPAY_AUTH"), "header") {
		auth = inexopay.HeaderAuth(key, user)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections) // goleak: no connection outlives the test
	opts := []inexopay.Option{inexopay.WithRetry(1, 500*time.Millisecond, 2*time.Second),
		inexopay.WithHTTPClient(&http.Client{Transport: tr, Timeout: 30 * time.Second})}
	if base := os.Getenv("INEXOPAY_BASE_URL"); base != "" {
		opts = append(opts, inexopay.WithBaseURL(base))
	}
	if os.Getenv("INEXOPAY_INSECURE_HTTP") == "1" {
		opts = append(opts, inexopay.WithInsecureHTTP())
	}
	c, err := inexopay.NewClient(auth, opts...)
	require.NoError(t, err)
	t.Logf("host %s, user %s", c.BaseURL(), user)
	return c
}

func contractCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestContractAccountStatus(t *testing.T) {
	c := contractClient(t)
	st, err := c.Account.Status(contractCtx(t))
	require.NoError(t, err, "Account.Status at the documented path /api/check_status.php")
	assert.NotEmpty(t, st.Status, "data.api_status")
	assert.NotEmpty(t, st.OwnerName, "data.owner_name")
	assert.NotEmpty(t, st.YourIP, "data.your_ip")
	assert.NotEmpty(t, st.IPStatus, "data.ip_status")
	assert.GreaterOrEqual(t, st.Balance, inexopay.Amount(0), "data.api_balance")
	assert.NotEmpty(t, st.Message, "message")
	t.Logf("status %s, plan %q, balance %s, bind_ip %q, your_ip %q, ip_status %q",
		st.Status, st.PlanName, st.Balance, st.BindIP, st.YourIP, st.IPStatus)
	if st.BindIP != "" && st.BindIP != st.YourIP {
		t.Logf("the key is bound to %s but this machine calls from %s: calls from here may be refused (403)", st.BindIP, st.YourIP)
	}
}

func TestContractBalance(t *testing.T) {
	c := contractClient(t)
	b, err := c.Account.Balance(contractCtx(t))
	require.NoError(t, err, "Account.Balance (inferred path; override with WithPath(EndpointAccountBalance, …))")
	assert.GreaterOrEqual(t, b.Amount, inexopay.Amount(0), "balance")
	assert.True(t, strings.EqualFold(os.Getenv("INEXOPAY_USERNAME"), b.Username), "username %q", b.Username)
}

// TestContractLookupsAnswerLikeINEXOPAY: a lookup of an order that cannot
// exist must be refused in INEXOPAY's JSON, which shows that the inferred
// path is an INEXOPAY endpoint.
func TestContractLookupsAnswerLikeINEXOPAY(t *testing.T) {
	c := contractClient(t)
	ctx := contractCtx(t)
	missing := "CONTRACT" + inexopay.NewOrderID("X")
	for e, call := range map[inexopay.Endpoint]func() error{
		inexopay.EndpointPaymentStatus: func() error { _, err := c.Wallet.PaymentStatus(ctx, missing); return err },
		inexopay.EndpointPANStatus:     func() error { _, err := c.PAN.Status(ctx, missing); return err },
		inexopay.EndpointBankAccountDetails: func() error {
			_, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: missing})
			return err
		},
		inexopay.EndpointIncompleteAccountURL: func() error {
			_, err := c.NSDLBank.IncompleteAccountURL(ctx, missing)
			return err
		},
	} {
		t.Run(string(e), func(t *testing.T) {
			err := call()
			if problem := contractLookupProblem(e, err); problem != "" {
				t.Fatal(problem)
			}
			var ae *inexopay.APIError
			require.True(t, errors.As(err, &ae))
			t.Logf("%s refuses an unknown order with HTTP %d, code %d: %q", e, ae.HTTPStatus, ae.Code, ae.Message)
		})
	}
}

// contractLookupProblem says what is wrong with err, the answer to a lookup
// of an order that cannot exist, or "" when it is INEXOPAY's own refusal.
func contractLookupProblem(e inexopay.Endpoint, err error) string {
	fix := "; if the path is wrong, try inexopay.WithPath(inexopay.Endpoint…, \"/the/right/path.php\") for " + string(e)
	var ae *inexopay.APIError
	switch {
	case err == nil:
		return string(e) + ": an order that cannot exist was found"
	case !errors.As(err, &ae):
		return string(e) + ": no answer from the API: " + err.Error()
	case errors.Is(err, inexopay.ErrUnauthorized), errors.Is(err, inexopay.ErrForbidden):
		return string(e) + ": credentials or IP refused: " + err.Error()
	case ae.ContentType != "" || ae.Snippet != "":
		return string(e) + ": the answer is not INEXOPAY's JSON (" + err.Error() + ")" + fix
	case ae.HTTPStatus == 404:
		return string(e) + ": HTTP 404" + fix
	case errors.Is(err, inexopay.ErrServer):
		return string(e) + ": " + err.Error()
	}
	return ""
}

// TestContractSuiteRunsAgainstTheSandbox runs the live suite in every test
// run, against the in-process sandbox, so that it cannot rot.
func TestContractSuiteRunsAgainstTheSandbox(t *testing.T) {
	srv := e2eServer(t)
	t.Setenv("INEXOPAY_API_KEY", srv.APIKey)
	t.Setenv("INEXOPAY_USERNAME", srv.Username)
	t.Setenv("INEXOPAY_BASE_URL", srv.URL)
	t.Setenv("INEXOPAY_AUTH", "header")
	t.Setenv("INEXOPAY_INSECURE_HTTP", "")
	t.Setenv("INEXOPAY_WALLET_ORDER_ID", "")
	t.Setenv("INEXOPAY_PAN_ORDER_ID", "")
	t.Run("AccountStatus", TestContractAccountStatus)
	t.Run("Balance", TestContractBalance)
	t.Run("Lookups", TestContractLookupsAnswerLikeINEXOPAY)
}

// TestContractSuiteCatchesAWrongPath: against a host where the inferred
// path is a 404 page, the suite names the endpoint and the WithPath fix.
func TestContractSuiteCatchesAWrongPath(t *testing.T) {
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><body><h1>404 Not Found</h1></body></html>"))
	}))
	defer broken.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth("k_0123456789", "u"), inexopay.WithBaseURL(broken.URL),
		inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.PAN.Status(context.Background(), "CONTRACT-X")
	problem := contractLookupProblem(inexopay.EndpointPANStatus, err)
	assert.Contains(t, problem, "PAN.Status")
	assert.Contains(t, problem, "WithPath")

	srv := e2eServer(t)
	_, err = srv.Client().PAN.Status(context.Background(), "CONTRACT-X")
	assert.Empty(t, contractLookupProblem(inexopay.EndpointPANStatus, err))
	_, err = srv.ClientWithAuth(inexopay.BodyAuth("wrong_key_0123", srv.Username)).PAN.Status(context.Background(), "CONTRACT-X")
	assert.Contains(t, contractLookupProblem(inexopay.EndpointPANStatus, err), "credentials")
}

// TestContractKnownOrders looks up real orders of yours, when named.
func TestContractKnownOrders(t *testing.T) {
	c := contractClient(t)
	ctx := contractCtx(t)
	if id := os.Getenv("INEXOPAY_WALLET_ORDER_ID"); id != "" {
		p, err := c.Wallet.PaymentStatus(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, id, p.OrderID, "data.order_id")
		assert.Positive(t, p.Amount, "data.amount")
		assert.NotEmpty(t, p.Status, "data.status")
		assert.False(t, p.DateTime.IsZero(), "data.date_time")
	}
	if id := os.Getenv("INEXOPAY_PAN_ORDER_ID"); id != "" {
		st, err := c.PAN.Status(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, id, st.OrderID, "order_id")
		assert.NotEmpty(t, st.Status, "data.status")
		assert.NotEmpty(t, st.TxID, "data.txid")
	}
}
