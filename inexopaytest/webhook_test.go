// Tests of the webhook deliveries: payload, retries and backoff, targets,
// and Close.

package inexopaytest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

// hookReceiver records the webhooks it gets and answers with status(n) for
// the n-th one (from 1).
type hookReceiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	body []string
	hit  chan struct{}
}

func newHookReceiver(t *testing.T, status func(n int) int) *hookReceiver {
	h := &hookReceiver{hit: make(chan struct{}, 100)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, r)
		h.body = append(h.body, string(b))
		n := len(h.got)
		h.mu.Unlock()
		w.WriteHeader(status(n))
		h.hit <- struct{}{}
	}))
	t.Cleanup(h.Close)
	return h
}

// postedWebhook rebuilds a webhook request the receiver got, with its
// recorded body, for inexopay.ParseWebhook.
func postedWebhook(got *http.Request, body string) *http.Request {
	r := httptest.NewRequest(got.Method, got.URL.String(), strings.NewReader(body))
	r.Header = got.Header.Clone()
	return r
}

func (h *hookReceiver) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

func TestWebhookRetriesAndBackoff(t *testing.T) {
	const base = 100 * time.Microsecond
	clk := NewClock(t0)
	flaky := newHookReceiver(t, func(n int) int {
		if n <= 3 {
			return 500
		}
		return 200
	})
	s := newServer(t, WithClock(clk.Now), WithWebhookURL(flaky.URL+"/hook"), WithWebhookBackoff(base))
	q, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ds, err := s.WaitDeliveries(ctx, 1)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	d := ds[0]
	assert.True(t, d.Done)
	assert.True(t, d.Delivered)
	assert.NoError(t, d.Err)
	assert.Equal(t, 4, d.Attempts)
	assert.Equal(t, 200, d.StatusCode)
	assert.Equal(t, []time.Duration{base, 2 * base, 4 * base}, d.Waits)
	assert.Equal(t, inexopay.CallbackGlobal, d.CallbackType)
	assert.Equal(t, 4, flaky.count())

	flaky.mu.Lock()
	r, body := flaky.got[3], flaky.body[3]
	flaky.mu.Unlock()
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/hook", r.URL.Path)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.Equal(t, "INEXOPAY-API", r.Header.Get("X-Callback-Source"))
	s.mu.Lock()
	utr := s.st.wallets[idKey(q.OrderID)].utr
	s.mu.Unlock()
	// The body as the API document's sample spells it: the documented
	// field order, a space before each "&", "+" for a space and ":" left
	// as is.
	assert.Equal(t, "orderid="+q.OrderID+" &order_id="+q.OrderID+" &status=success &remark=Online+Wallet+Load+via+API+-+Success+-+UTR:+"+utr+
		" &datetime=2026-05-04+15:30:00 &callback_type=global_webhook", body)
	// The SDK reads it as the document's receiver does, with nothing odd.
	ev, err := inexopay.ParseWebhook(postedWebhook(r, body))
	require.NoError(t, err)
	assert.Equal(t, q.OrderID, ev.OrderID)
	assert.Equal(t, inexopay.StatusSuccess, ev.Status)
	assert.Equal(t, "Online Wallet Load via API - Success - UTR: "+utr, ev.Remark)
	assert.Equal(t, "2026-05-04 15:30:00", ev.RawDateTime)
	assert.False(t, ev.DateTime.IsZero())
	assert.Equal(t, inexopay.CallbackGlobal, ev.CallbackType)
	assert.Empty(t, ev.Warnings)
	assert.Equal(t, url.Values{"orderid": {q.OrderID}, "order_id": {q.OrderID}, "status": {"success"},
		"remark": {"Online Wallet Load via API - Success - UTR: " + utr}, "datetime": {"2026-05-04 15:30:00"},
		"callback_type": {"global_webhook"}}, d.Form)

	// Never accepted: 1 try + 10 retries, then the delivery gives up.
	dead := newHookReceiver(t, func(int) int { return 503 })
	s.SetWebhookURL(dead.URL)
	q2, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(5)})
	require.NoError(t, err)
	require.NoError(t, s.FailWalletPayment(q2.OrderID))
	ds, err = s.WaitDeliveries(ctx, 2)
	require.NoError(t, err)
	d = ds[1]
	assert.False(t, d.Delivered)
	assert.Equal(t, 11, d.Attempts)
	assert.Equal(t, 503, d.StatusCode)
	assert.EqualError(t, d.Err, "inexopaytest: webhook answered HTTP 503")
	want := make([]time.Duration, 10)
	for i := range want {
		want[i] = base << i
	}
	assert.Equal(t, want, d.Waits)
	assert.Equal(t, 11, dead.count())
	assert.Equal(t, "failed", d.Form.Get("status"))
}

func TestWebhookTargets(t *testing.T) {
	global := newHookReceiver(t, func(int) int { return 200 })
	perTxn := newHookReceiver(t, func(int) int { return 204 })
	s := newServer(t, WithWebhookURL(global.URL), WithWebhookBackoff(time.Microsecond))
	c := s.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P1", Mode: inexopay.PANModeEKYC,
		Type: inexopay.PANTypeNew, ReturnURL: perTxn.URL + "/cb"})
	require.NoError(t, err)
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P2", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	require.NoError(t, s.FailPAN("P1"))
	require.NoError(t, s.CompletePAN("P2"))
	ds, err := s.WaitDeliveries(ctx, 2)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	assert.Equal(t, perTxn.URL+"/cb", ds[0].URL)
	assert.Equal(t, "per_transaction", ds[0].Form.Get("callback_type"))
	assert.Equal(t, "refund", ds[0].Form.Get("status"))
	assert.Equal(t, 204, ds[0].StatusCode)
	assert.Equal(t, global.URL, ds[1].URL)
	assert.Equal(t, "global_webhook", ds[1].Form.Get("callback_type"))
	assert.Equal(t, "success", ds[1].Form.Get("status"))
	assert.Equal(t, 1, perTxn.count())
	assert.Equal(t, 1, global.count())

	// No URL at all: no delivery. A remote URL: refused without an attempt.
	s.SetWebhookURL("")
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P3", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	require.NoError(t, s.CompletePAN("P3"))
	assert.Len(t, s.Deliveries(), 2)
	s.SetWebhookURL("https://merchant.example/hook")
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P4", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	require.NoError(t, s.CompletePAN("P4"))
	ds, err = s.WaitDeliveries(ctx, 3)
	require.NoError(t, err)
	require.Len(t, ds, 3)
	assert.ErrorIs(t, ds[2].Err, ErrRemoteWebhook)
	assert.Equal(t, 0, ds[2].Attempts)
	assert.True(t, ds[2].Done)

	// The SDK's own webhook handler accepts the payload.
	events := make(chan *inexopay.WebhookEvent, 1)
	sdk := httptest.NewServer(inexopay.WebhookHandler(func(_ context.Context, ev *inexopay.WebhookEvent) error {
		events <- ev
		return nil
	}))
	defer sdk.Close()
	s.SetWebhookURL(sdk.URL)
	q, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))
	ev := <-events
	assert.Equal(t, q.OrderID, ev.OrderID)
	assert.Equal(t, inexopay.StatusSuccess, ev.Status)
	assert.Equal(t, inexopay.CallbackGlobal, ev.CallbackType)
	assert.Equal(t, inexopay.WebhookSource, ev.Source)
	_, err = s.WaitDeliveries(ctx, 4)
	require.NoError(t, err)
}

func TestWaitDeliveriesContext(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ds, err := s.WaitDeliveries(ctx, 1)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, ds)
}

// TestCloseStopsDeliveries proves Close ends a delivery waiting out a long
// backoff (goleak in TestMain checks nothing is left running).
func TestCloseStopsDeliveries(t *testing.T) {
	rec := newHookReceiver(t, func(int) int { return 500 })
	s := NewServer(WithWebhookURL(rec.URL), WithWebhookBackoff(time.Hour))
	q, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))
	<-rec.hit // the first attempt arrived; the delivery now waits an hour
	s.Close()
	ds := s.Deliveries()
	require.Len(t, ds, 1)
	assert.True(t, ds[0].Done)
	assert.False(t, ds[0].Delivered)
	assert.Equal(t, 1, ds[0].Attempts)
	assert.ErrorIs(t, ds[0].Err, context.Canceled)
	s.Close() // idempotent

	// Changes after Close are recorded, not delivered.
	s.mu.Lock()
	s.notifyLocked("X", "success", "r", "")
	s.mu.Unlock()
	ds = s.Deliveries()
	assert.ErrorIs(t, ds[1].Err, context.Canceled)
	assert.Equal(t, 1, rec.count())
}
