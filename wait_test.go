package inexopay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	waitWalletPending = `{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL1234567890123","amount":100,"status":"pending","date_time":"2025-01-15 10:29:00","bank":"","mode":"API_UPI_QR","remark":"Awaiting payment","new_balance":null}}`
	waitWalletSuccess = `{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL1234567890123","amount":100,"status":"success","date_time":"2025-01-15 10:30:00","bank":"UPI QR - INEXOPAY (paytmqr5hcr1f@ptys)","mode":"API_UPI_QR","remark":"Online Wallet Load via API - Success - UTR: BANK123456","new_balance":1100}}`
	waitPANPending    = `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD12345","reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00","data":{"status":"Pending","orderid":"ORD12345","txid":"484340","amount":107,"opid":"","number":"9876543210","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:23:40"}}`
	waitPANSuccess    = `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD12345","reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00","data":{"status":"Success","orderid":"ORD12345","txid":"484340","amount":107,"opid":"OPB5020WJ7TM","number":"9876543210","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:25:00"}}`
)

type waitAnswer struct {
	status int
	body   string
}

// waitServer answers the n-th request with answers[n], and the last
// answer once the script runs out. It records each request's form order id.
type waitServer struct {
	*httptest.Server
	mu      sync.Mutex
	answers []waitAnswer
	calls   atomic.Int32
	paths   []string
	orders  []string
	// retryAfter, when set, is sent as the Retry-After header of every
	// answer.
	retryAfter string
}

func newWaitServer(t *testing.T, answers ...waitAnswer) *waitServer {
	t.Helper()
	s := &waitServer{answers: answers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.calls.Add(1)
		_ = r.ParseForm()
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.orders = append(s.orders, r.PostForm.Get("order_id")+r.PostForm.Get("orderid"))
		a := s.answers[min(int(n)-1, len(s.answers)-1)]
		retryAfter := s.retryAfter
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *waitServer) client(t *testing.T) *Client {
	t.Helper()
	c, err := NewClient(BodyAuth("test-key-0123456789", "jojo"),
		WithBaseURL(s.URL), WithRetry(0, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	return c
}

var waitFastPoll = WithPollInterval(time.Millisecond, 2*time.Millisecond)

func TestWaitForPaymentPollsUntilSuccess(t *testing.T) {
	srv := newWaitServer(t,
		waitAnswer{200, waitWalletPending}, waitAnswer{200, waitWalletPending}, waitAnswer{200, waitWalletSuccess})
	p, err := srv.client(t).Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
	require.NoError(t, err)
	assert.Equal(t, int32(3), srv.calls.Load())
	assert.Equal(t, StatusSuccess, p.Status)
	assert.Equal(t, Amount(100_00), p.Amount)
	assert.Equal(t, Amount(1100_00), p.NewBalance)
	assert.Equal(t, "WAL1234567890123", p.OrderID)
	assert.Equal(t, []string{"/api/wallet/v1/check_status.php", "/api/wallet/v1/check_status.php", "/api/wallet/v1/check_status.php"}, srv.paths)
	assert.Equal(t, []string{"WAL1234567890123", "WAL1234567890123", "WAL1234567890123"}, srv.orders)
}

func TestWaitForPaymentStopsAtEveryFinalStatus(t *testing.T) {
	for _, st := range []string{"failed", "refund", "SUCCESS"} {
		t.Run(st, func(t *testing.T) {
			body := `{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL1234567890123","amount":"100.00","status":"` + st + `"}}`
			srv := newWaitServer(t, waitAnswer{200, waitWalletPending}, waitAnswer{200, body})
			p, err := srv.client(t).Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
			require.NoError(t, err)
			assert.Equal(t, int32(2), srv.calls.Load())
			assert.Equal(t, ParseStatus(st), p.Status)
		})
	}
}

func TestWaitForPaymentKeepsPollingThroughTransientErrors(t *testing.T) {
	srv := newWaitServer(t,
		waitAnswer{500, `{"status_code":500,"status":"FAILED","message":"Internal error"}`},
		waitAnswer{429, `{"status_code":429,"status":"FAILED","message":"Slow down"}`},
		waitAnswer{502, `<html><body>Bad gateway</body></html>`},
		waitAnswer{200, waitWalletPending},
		waitAnswer{200, waitWalletSuccess})
	p, err := srv.client(t).Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
	require.NoError(t, err)
	assert.Equal(t, int32(5), srv.calls.Load())
	assert.Equal(t, StatusSuccess, p.Status)
}

func TestWaitForPaymentKeepsPollingThroughDroppedConnections(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close() // no answer at all: a transport error
			}
			return
		}
		_, _ = w.Write([]byte(waitWalletSuccess))
	}))
	defer srv.Close()
	c, err := NewClient(BodyAuth("k-0123456789", "u"),
		WithBaseURL(srv.URL), WithRetry(0, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	p, err := c.Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())
	assert.Equal(t, StatusSuccess, p.Status)
}

func TestWaitForPaymentStopsAtDefiniteErrors(t *testing.T) {
	cases := []struct {
		name     string
		answer   waitAnswer
		sentinel error
	}{
		{"401", waitAnswer{401, `{"status_code":401,"status":"FAILED","message":"Invalid API key or username"}`}, ErrUnauthorized},
		{"403 in body", waitAnswer{200, `{"status_code":403,"status":"FAILED","message":"IP not whitelisted"}`}, ErrForbidden},
		{"404", waitAnswer{404, `{"status_code":404,"status":"FAILED","message":"Order not found"}`}, ErrNotFound},
		{"400", waitAnswer{200, `{"status_code":400,"status":"FAILED","message":"Invalid order_id"}`}, ErrBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newWaitServer(t, tc.answer, waitAnswer{200, waitWalletSuccess})
			p, err := srv.client(t).Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
			require.ErrorIs(t, err, tc.sentinel)
			assert.Nil(t, p)
			assert.Equal(t, int32(1), srv.calls.Load())
		})
	}
}

func TestWaitForPaymentReturnsLastPaymentWithDefiniteError(t *testing.T) {
	srv := newWaitServer(t, waitAnswer{200, waitWalletPending},
		waitAnswer{401, `{"status_code":401,"status":"FAILED","message":"Invalid API key"}`})
	p, err := srv.client(t).Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
	require.ErrorIs(t, err, ErrUnauthorized)
	require.NotNil(t, p)
	assert.Equal(t, StatusPending, p.Status)
	assert.Equal(t, int32(2), srv.calls.Load())
}

func TestWaitForPaymentRefusesBadOrderIDWithoutCalling(t *testing.T) {
	srv := newWaitServer(t, waitAnswer{200, waitWalletSuccess})
	c := srv.client(t)
	_, err := c.Wallet.WaitForPayment(context.Background(), "", waitFastPoll)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "OrderID", ve.Field)
	_, err = c.PAN.WaitForCompletion(context.Background(), "has\ncontrol", waitFastPoll)
	require.ErrorIs(t, err, ErrInvalidParams)
	//nolint:staticcheck // a nil context is what is tested
	_, err = c.Wallet.WaitForPayment(nil, "WAL1", waitFastPoll)
	require.ErrorIs(t, err, ErrInvalidParams)
	assert.Equal(t, int32(0), srv.calls.Load())
}

// waitCloseNotifier signals on read when the SDK closed an answer's body, which
// it does once it has read the whole answer.
type waitCloseNotifier struct {
	io.ReadCloser
	closed chan<- struct{}
}

func (c *waitCloseNotifier) Close() error {
	err := c.ReadCloser.Close()
	select {
	case c.closed <- struct{}{}:
	default:
	}
	return err
}

type waitNotifyTransport struct {
	base   http.RoundTripper
	closed chan struct{}
}

func (t *waitNotifyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if resp != nil {
		resp.Body = &waitCloseNotifier{ReadCloser: resp.Body, closed: t.closed}
	}
	return resp, err
}

func TestWaitForPaymentCancelReturnsPromptly(t *testing.T) {
	srv := newWaitServer(t, waitAnswer{200, waitWalletPending})
	tr := &waitNotifyTransport{base: srv.Client().Transport, closed: make(chan struct{}, 1)}
	c, err := NewClient(BodyAuth("test-key-0123456789", "jojo"),
		WithBaseURL(srv.URL), WithRetry(0, time.Millisecond, time.Millisecond),
		WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-tr.closed // the first answer (pending) was read
		cancel()
	}()
	// An hour between polls: only cancellation can end this wait.
	p, err := c.Wallet.WaitForPayment(ctx, "WAL1234567890123", WithPollInterval(time.Hour, time.Hour))
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), `Wallet.PaymentStatus: waiting for order "WAL1234567890123" (last status pending)`)
	require.NotNil(t, p, "the last payment seen comes back with the context error")
	assert.Equal(t, StatusPending, p.Status)
	assert.Equal(t, int32(1), srv.calls.Load())
}

func TestWaitForPaymentDeadlineBeforeFirstAnswer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv := newWaitServer(t, waitAnswer{200, waitWalletSuccess})
	p, err := srv.client(t).Wallet.WaitForPayment(ctx, "WAL1234567890123", waitFastPoll)
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "no answer yet")
	assert.Nil(t, p)
	assert.Equal(t, int32(0), srv.calls.Load())
}

func TestWaitForPaymentServerDown(t *testing.T) {
	// A listener that is closed at once: every poll is a dial error, so the
	// wait goes on until the context ends.
	addr := testkit.ClosedAddr(t)
	c, err := NewClient(BodyAuth("k-0123456789", "u"),
		WithBaseURL("http://"+addr), WithRetry(0, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	p, err := c.Wallet.WaitForPayment(ctx, "WAL1234567890123", waitFastPoll)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Nil(t, p)
}

func TestPANWaitForCompletion(t *testing.T) {
	srv := newWaitServer(t,
		waitAnswer{200, waitPANPending}, waitAnswer{200, waitPANPending}, waitAnswer{200, waitPANSuccess})
	st, err := srv.client(t).PAN.WaitForCompletion(context.Background(), "ORD12345", waitFastPoll)
	require.NoError(t, err)
	assert.Equal(t, int32(3), srv.calls.Load())
	assert.Equal(t, StatusSuccess, st.Status)
	assert.Equal(t, "OPB5020WJ7TM", st.OperatorID)
	assert.Equal(t, []string{"/api/nsdl-pan/v1/pan_status.php", "/api/nsdl-pan/v1/pan_status.php", "/api/nsdl-pan/v1/pan_status.php"}, srv.paths)
	assert.Equal(t, []string{"ORD12345", "ORD12345", "ORD12345"}, srv.orders)
}

func TestPANWaitForCompletionStopsOnUnauthorized(t *testing.T) {
	srv := newWaitServer(t, waitAnswer{401, `{"status_code":401,"status":"FAILED","message":"Invalid API key"}`})
	st, err := srv.client(t).PAN.WaitForCompletion(context.Background(), "ORD12345", waitFastPoll)
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Nil(t, st)
	assert.Equal(t, int32(1), srv.calls.Load())
}

func TestWaitConfigDefaultsAndGrowth(t *testing.T) {
	c := newCallConfig(nil)
	assert.Equal(t, [2]time.Duration{2 * time.Second, 30 * time.Second}, [2]time.Duration{c.pollInitial, c.pollMax})
	var got []time.Duration
	for d := c.pollInitial; len(got) < 10; d = c.nextPoll(d) {
		got = append(got, d)
	}
	assert.Equal(t, []time.Duration{2 * time.Second, 3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond,
		10125 * time.Millisecond, 15187500 * time.Microsecond, 22781250 * time.Microsecond, 30 * time.Second, 30 * time.Second, 30 * time.Second}, got)

	c = newCallConfig([]CallOption{WithPollInterval(time.Second, 2*time.Second)})
	assert.Equal(t, [2]time.Duration{time.Second, 2 * time.Second}, [2]time.Duration{c.pollInitial, c.pollMax})
	c = newCallConfig([]CallOption{nil, WithPollInterval(0, -1)})
	assert.Equal(t, [2]time.Duration{2 * time.Second, 30 * time.Second}, [2]time.Duration{c.pollInitial, c.pollMax}, "non-positive values keep the defaults")
	c = newCallConfig([]CallOption{WithPollInterval(time.Minute, time.Second)})
	assert.Equal(t, [2]time.Duration{time.Minute, time.Minute}, [2]time.Duration{c.pollInitial, c.pollMax}, "max below initial is raised")
	c = callConfig{pollInitial: time.Duration(3) << 61, pollMax: time.Duration(1<<63 - 1)}
	assert.Equal(t, c.pollMax, c.nextPoll(c.pollInitial), "overflow caps at max")
}

func TestWaitJitterStaysWithinTenPercent(t *testing.T) {
	seen := map[time.Duration]bool{}
	for i := 0; i < 1000; i++ {
		d := jitter(10 * time.Second)
		require.GreaterOrEqual(t, d, 9*time.Second)
		require.LessOrEqual(t, d, 11*time.Second)
		seen[d] = true
	}
	assert.Greater(t, len(seen), 900, "waits are spread, not in step")
	assert.Equal(t, time.Duration(5), jitter(5), "too short to spread")
	assert.Equal(t, time.Duration(0), jitter(0))
}

func TestWaitTransientClassification(t *testing.T) {
	assert.True(t, transient(&APIError{HTTPStatus: 500, Code: 500}))
	assert.True(t, transient(&APIError{HTTPStatus: 429, Code: 429}))
	assert.True(t, transient(apierr.MarkServer(&APIError{HTTPStatus: 200, Code: 200}, false, false)))
	assert.True(t, transient(fmt.Errorf("inexopay: x: %w", &url.Error{Op: "Post", URL: "http://127.0.0.1", Err: io.ErrUnexpectedEOF})))
	assert.True(t, transient(fmt.Errorf("inexopay: x: reading answer: %w", io.ErrUnexpectedEOF)))
	assert.False(t, transient(&APIError{HTTPStatus: 401, Code: 401}))
	assert.False(t, transient(&APIError{HTTPStatus: 200, Code: 402}))
	assert.False(t, transient(&APIError{HTTPStatus: 405, Code: 405}))
	assert.False(t, transient(&ValidationError{Field: "OrderID", Reason: "is required"}))
	assert.False(t, transient(&url.Error{Op: "Post", URL: "ftp://x", Err: errors.New("unsupported protocol scheme \"ftp\"")}))
	assert.False(t, transient(errors.New("something else")))
}

func TestWaitForPaymentStopsOnAnswerWithoutStatus(t *testing.T) {
	m := anSuccess(t, "wallet_payment_status")
	anEdit(m, "data.status", nil, true)
	srv, n := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
	c := fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL)
	_, err := c.Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, int32(1), n.Load(), "a second poll gets the same answer")

	m = anSuccess(t, "pan_status")
	anEdit(m, "data.status", nil, false)
	srv, n = fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
	c = fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL)
	_, err = c.PAN.WaitForCompletion(context.Background(), "ORD12345", waitFastPoll)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, int32(1), n.Load())
}

// A status call answered 429 with Retry-After is not made again before
// the server's wait, however short the poll interval; a wait that would
// pass the context's deadline ends the poll when the context ends.
func TestWaitHonoursRetryAfterBetweenPolls(t *testing.T) {
	for _, h := range []string{"2", "3600"} {
		t.Run(h, func(t *testing.T) {
			srv := newWaitServer(t, waitAnswer{429, `{"status":"FAILED","message":"Too many requests"}`})
			srv.retryAfter = h
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			_, err := srv.client(t).Wallet.WaitForPayment(ctx, "WAL1234567890123", waitFastPoll)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, int32(1), srv.calls.Load(), "status calls before the server's Retry-After passed")
		})
	}
	// The status call's error carries the wait.
	srv := newWaitServer(t, waitAnswer{429, `{"status":"FAILED","message":"Too many requests"}`})
	srv.retryAfter = "2"
	_, err := srv.client(t).Wallet.PaymentStatus(context.Background(), "WAL1234567890123")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 2*time.Second, ae.RetryAfter)
}

func TestWaitHonoursRetryAfterCapped(t *testing.T) {
	rl := &APIError{HTTPStatus: 429, Code: 429, RetryAfter: 2 * time.Second}
	assert.Equal(t, 2*time.Second, pollWait(10*time.Millisecond, rl), "Retry-After longer than the poll interval")
	assert.Equal(t, 5*time.Second, pollWait(5*time.Second, rl), "poll interval longer than Retry-After")
	assert.Equal(t, maxPollRetryAfter, pollWait(time.Second, &APIError{HTTPStatus: 503, RetryAfter: 1 << 62}), "capped")
	assert.Equal(t, 3*time.Second, pollWait(time.Millisecond, fmt.Errorf("wrapped: %w", &APIError{HTTPStatus: 503, RetryAfter: 3 * time.Second})))
	assert.Equal(t, time.Second, pollWait(time.Second, nil))
	assert.Equal(t, time.Second, pollWait(time.Second, errors.New("network")))
}
