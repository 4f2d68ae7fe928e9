package inexopay_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

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
