package inexopay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// readmeWebhookSetup holds the README's webhook code verbatim, between the
// markers; TestReadmeWebhookCodeIsVerbatim keeps the two equal.
func readmeWebhookSetup(client *inexopay.Client, orders *readmeOrders, mux *http.ServeMux, token string,
	inexopayIPs []netip.Prefix, showOrderPage http.HandlerFunc) {
	// README:begin
	// confirm acts on the API's word, never on the webhook's own status.
	confirm := func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		order, err := orders.Find(ctx, ev.OrderID) // your database
		if err != nil {
			return err // answered 500: INEXOPAY retries (also if the order is not stored yet)
		}
		var confirmed inexopay.Status
		switch order.Product {
		case "wallet":
			p, err := client.Wallet.PaymentStatus(ctx, ev.OrderID)
			if err != nil {
				return err
			}
			confirmed = p.Status
		case "pan":
			p, err := client.PAN.Status(ctx, ev.OrderID)
			if err != nil {
				return err
			}
			confirmed = p.Status
		case "bank":
			a, err := client.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: ev.OrderID})
			if err != nil {
				return err
			}
			confirmed = inexopay.StatusPending // the API documents no failed state for openings
			if a.Completed {
				confirmed = inexopay.StatusSuccess
			}
		default:
			return nil // not an INEXOPAY order of ours: acknowledge, do nothing
		}
		return orders.Update(ctx, order, confirmed)
	}
	store := inexopay.NewMemoryDedupStore(0, 0) // one process; share a store across replicas

	// The global webhook URL: give INEXOPAY inexopay.WebhookURL(base, token).
	mux.Handle("POST /inexopay/webhook", inexopay.WebhookHandler(confirm,
		inexopay.WithWebhookToken(token), // 401 without ?token=
		inexopay.WithWebhookDedup(store), // each change reaches confirm once
	))
	// The per-transaction return_url: the customer's browser goes there too, so
	// it carries no token; only INEXOPAY's addresses may post to it.
	mux.Handle("POST /inexopay/return", inexopay.WebhookHandler(confirm,
		inexopay.WithWebhookAllowedIPs(inexopayIPs...), // 403 from anywhere else
		inexopay.WithWebhookDedup(store),
	))
	mux.HandleFunc("GET /inexopay/return", showOrderPage)
	// README:end
}

// readmeOrder is the caller's own order record.
type readmeOrder struct {
	ID      string
	Product string
}

// readmeOrders is the caller's order table: it records every update.
type readmeOrders struct {
	mu      sync.Mutex
	orders  map[string]*readmeOrder
	updates map[string][]inexopay.Status
}

func (o *readmeOrders) add(id, product string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.orders[id] = &readmeOrder{ID: id, Product: product}
}

func (o *readmeOrders) Find(_ context.Context, id string) (*readmeOrder, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if ord := o.orders[id]; ord != nil {
		return ord, nil
	}
	return nil, errors.New("order not found")
}

func (o *readmeOrders) Update(_ context.Context, ord *readmeOrder, st inexopay.Status) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.updates[ord.ID] = append(o.updates[ord.ID], st)
	return nil
}

// readmeBlock returns the first ```go block after heading in the README.
func readmeBlock(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	require.GreaterOrEqual(t, i, 0, "README has %q", heading)
	s = s[i:]
	start := strings.Index(s, "```go\n")
	require.GreaterOrEqual(t, start, 0)
	s = s[start+len("```go\n"):]
	end := strings.Index(s, "```\n")
	require.GreaterOrEqual(t, end, 0)
	return s[:end]
}

func TestReadmeWebhookCodeIsVerbatim(t *testing.T) {
	src, err := os.ReadFile("readme_webhook_test.go")
	require.NoError(t, err)
	s := string(src)
	begin := strings.Index(s, "\t// README:begin\n")
	end := strings.Index(s, "\t// README:end\n")
	require.True(t, begin >= 0 && end > begin)
	var b strings.Builder
	for _, line := range strings.SplitAfter(s[begin+len("\t// README:begin\n"):end], "\n") {
		b.WriteString(strings.TrimPrefix(line, "\t"))
	}
	assert.Equal(t, readmeBlock(t, "## Webhooks"), b.String(), "README's webhook code and readmeWebhookSetup differ")
}

// The README's handler, run against the sandbox's webhooks of every
// product: wallet loads (global URL), PAN applications (global URL and
// return_url) and bank account openings (return_url). Every order is
// updated once, with the status the API confirms.
func TestReadmeWebhookEveryProduct(t *testing.T) {
	const token = "readme-webhook-token-8c1f"
	mux := http.NewServeMux()
	hooks := httptest.NewServer(mux)
	defer hooks.Close()
	globalURL, err := inexopay.WebhookURL(hooks.URL+"/inexopay/webhook", token)
	require.NoError(t, err)
	returnURL := hooks.URL + "/inexopay/return"

	srv := inexopaytest.NewServer(inexopaytest.WithWebhookURL(globalURL), inexopaytest.WithWebhookBackoff(time.Millisecond))
	defer srv.Close()
	client := srv.Client()
	orders := &readmeOrders{orders: map[string]*readmeOrder{}, updates: map[string][]inexopay.Status{}}
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	readmeWebhookSetup(client, orders, mux, token, loopback, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "Thank you")
	})

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	want := map[string]inexopay.Status{}

	// Wallet: INEXOPAY assigns the order id; store it before the payment.
	for _, pay := range []func(string) error{srv.CompleteWalletPayment, srv.FailWalletPayment} {
		qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
		require.NoError(t, err)
		orders.add(qr.OrderID, "wallet")
		require.NoError(t, pay(qr.OrderID))
		want[qr.OrderID] = inexopay.StatusSuccess
		if len(want) == 2 {
			want[qr.OrderID] = inexopay.StatusFailed
		}
	}

	// PAN: one to the global URL, one with its own return_url.
	for i, ret := range []string{"", returnURL} {
		id := inexopay.NewOrderID("PAN")
		orders.add(id, "pan")
		_, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
			Mobile: "9876543210", OrderID: id, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew, ReturnURL: ret,
		})
		require.NoError(t, err)
		if i == 0 {
			require.NoError(t, srv.CompletePAN(id))
			want[id] = inexopay.StatusSuccess
		} else {
			require.NoError(t, srv.FailPAN(id))
			want[id] = inexopay.StatusRefund
		}
	}

	// Bank account opening: its return_url is also the customer's page.
	agent, err := client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
		ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "7091919185", DateOfBirth: "1990-04-01", Address: "Main Road",
		StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "NTFPS6013M",
	})
	require.NoError(t, err)
	bankID := inexopay.NewOrderID("ACC")
	orders.add(bankID, "bank")
	_, err = client.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{
		OrderID: bankID, AccountType: inexopay.SavingsAccount,
		BCAgentID: agent.AgentID, AgentPAN: "NTFPS6013M", FirstName: "Asha", LastName: "Devi",
		Email: "asha@example.com", Phone: "9876543210", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: returnURL,
	})
	require.NoError(t, err)
	require.NoError(t, srv.CompleteAccountOpening(bankID))
	want[bankID] = inexopay.StatusSuccess

	ds, err := srv.WaitDeliveries(ctx, len(want))
	require.NoError(t, err)
	require.Len(t, ds, len(want))
	types := map[inexopay.CallbackType]int{}
	for _, d := range ds {
		assert.True(t, d.Delivered, "%s: %v", d.OrderID, d.Err)
		assert.Equal(t, 1, d.Attempts, "%s handled at the first attempt", d.OrderID)
		types[d.CallbackType]++
		assert.Equal(t, d.CallbackType == inexopay.CallbackGlobal, strings.Contains(d.URL, "token="), "the token only on the global URL: %s", d.URL)

		// INEXOPAY's retry of the same change: acknowledged, not re-applied.
		target := globalURL
		if d.CallbackType == inexopay.CallbackPerTransaction {
			target = returnURL
		}
		resp, err := http.Post(target, "application/x-www-form-urlencoded", strings.NewReader(d.Form.Encode()))
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
	assert.Equal(t, 3, types[inexopay.CallbackGlobal])
	assert.Equal(t, 2, types[inexopay.CallbackPerTransaction])

	orders.mu.Lock()
	for id, st := range want {
		assert.Equal(t, []inexopay.Status{st}, orders.updates[id], "order %s updated once with the API's status", id)
	}
	orders.mu.Unlock()

	// A post without the token, and the customer's browser.
	resp, err := http.Post(hooks.URL+"/inexopay/webhook", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"orderid": {bankID}, "status": {"failed"}}.Encode()))
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, err = http.Get(returnURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, "Thank you", string(page))
	http.DefaultClient.CloseIdleConnections()
}
