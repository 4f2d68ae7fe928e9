package inexopay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/hookserve"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultyStore wraps a DedupStore: it fails the next calls of each kind as
// told, fails any call whose context has ended (as a database driver does),
// and records the keys and holders it is given.
type faultyStore struct {
	inner DedupStore

	mu                                   sync.Mutex
	failClaim, failComplete, failRelease int // how many next calls fail
	claims, completes, releases          int
	keys, holders                        []string
}

var errStoreDown = errors.New("dedup store: connection refused")

func (s *faultyStore) take(ctx context.Context, n, calls *int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*calls++
	if err := ctx.Err(); err != nil {
		return err
	}
	if *n > 0 {
		*n--
		return errStoreDown
	}
	return nil
}

func (s *faultyStore) Claim(ctx context.Context, key, holder string, lease time.Duration) (ClaimResult, error) {
	s.mu.Lock()
	s.keys, s.holders = append(s.keys, key), append(s.holders, holder)
	s.mu.Unlock()
	if err := s.take(ctx, &s.failClaim, &s.claims); err != nil {
		return 0, err
	}
	return s.inner.Claim(ctx, key, holder, lease)
}

func (s *faultyStore) Complete(ctx context.Context, key, holder string) error {
	if err := s.take(ctx, &s.failComplete, &s.completes); err != nil {
		return err
	}
	return s.inner.Complete(ctx, key, holder)
}

func (s *faultyStore) Release(ctx context.Context, key, holder string) error {
	if err := s.take(ctx, &s.failRelease, &s.releases); err != nil {
		return err
	}
	return s.inner.Release(ctx, key, holder)
}

// counter counts the callback's runs and its successful runs.
type counter struct{ calls, handled atomic.Int64 }

// fn fails the runs for which fail returns true.
func (c *counter) fn(fail func(n int64) bool) func(context.Context, *WebhookEvent) error {
	return func(context.Context, *WebhookEvent) error {
		if fail(c.calls.Add(1)) {
			return errors.New("callback failed")
		}
		c.handled.Add(1)
		return nil
	}
}

func never(int64) bool { return false }

func firstOnly(n int64) bool { return n == 1 }

// Store errors after the claim: a Complete that fails (once, or for good)
// still answers 200, since the callback ran, and keeps the claim so copies
// within the lease are not handled again; a Release that fails leaves the
// claim to expire, after which the retry is handled; a Claim that fails is
// answered 503 and retried. Store calls do not end with the request.
func TestWebhookOnceStoreErrorsAfterClaim(t *testing.T) {
	t.Run("complete fails once", func(t *testing.T) {
		store := &faultyStore{inner: NewMemoryDedupStore(0, 0), failComplete: 1}
		var c counter
		srv := httptest.NewServer(WebhookHandler(c.fn(never), WithWebhookDedup(store)))
		defer srv.Close()
		sender := newHookSender(t, 2*time.Second)
		assert.Equal(t, []int{http.StatusOK}, sender.Send(srv.URL, relDocWebhook).Codes)
		assert.Equal(t, []int{http.StatusOK}, sender.Send(srv.URL, relDocWebhook).Codes, "the retried Complete recorded it")
		assert.Equal(t, int64(1), c.handled.Load())
		assert.Equal(t, 2, store.completes)
	})
	t.Run("complete fails for good", func(t *testing.T) {
		logs := &secrettest.LogBuffer{}
		store := &faultyStore{inner: NewMemoryDedupStore(0, 0), failComplete: 1 << 30}
		var c counter
		srv := httptest.NewServer(WebhookHandler(c.fn(never), WithWebhookDedup(store), WithWebhookLogger(secrettest.DebugLogger(logs))))
		defer srv.Close()
		sender := newHookSender(t, 2*time.Second)
		assert.Equal(t, []int{http.StatusOK}, sender.Send(srv.URL, relDocWebhook).Codes, "the callback ran: 200")
		assert.Equal(t, http.StatusServiceUnavailable, sender.Post(srv.URL, relDocWebhook), "the claim is kept for its lease")
		assert.Equal(t, int64(1), c.handled.Load())
		assert.Contains(t, logs.String(), `"msg":"inexopay webhook dedup store failed"`)
		assert.Contains(t, logs.String(), `"op":"complete"`)
	})
	t.Run("release fails", func(t *testing.T) {
		store := &faultyStore{inner: NewMemoryDedupStore(0, 0), failRelease: 1 << 30}
		var c counter
		srv := httptest.NewServer(WebhookHandler(c.fn(firstOnly), WithWebhookDedup(store), WithWebhookLease(700*time.Millisecond)))
		defer srv.Close()
		res := newHookSender(t, 2*time.Second).Send(srv.URL, relDocWebhook)
		assert.True(t, res.Delivered, "answers %v", res.Codes)
		assert.Equal(t, http.StatusInternalServerError, res.Codes[0])
		assert.Positive(t, countCode(res.Codes, http.StatusServiceUnavailable), "copies within the lease wait: %v", res.Codes)
		assert.Equal(t, int64(1), c.handled.Load())
		assert.Equal(t, int64(2), c.calls.Load())
	})
	t.Run("claim fails", func(t *testing.T) {
		store := &faultyStore{inner: NewMemoryDedupStore(0, 0), failClaim: 2}
		var c counter
		srv := httptest.NewServer(WebhookHandler(c.fn(never), WithWebhookDedup(store)))
		defer srv.Close()
		res := newHookSender(t, 2*time.Second).Send(srv.URL, relDocWebhook)
		assert.Equal(t, []int{http.StatusServiceUnavailable, http.StatusServiceUnavailable, http.StatusOK}, res.Codes)
		assert.Equal(t, int64(1), c.handled.Load())
	})
	t.Run("the sender hangs up before the callback ends", func(t *testing.T) {
		store := &faultyStore{inner: NewMemoryDedupStore(0, 0)}
		var calls, handled atomic.Int64
		srv := httptest.NewServer(WebhookHandler(func(context.Context, *WebhookEvent) error {
			time.Sleep(250 * time.Millisecond) // past the sender's timeout
			if calls.Add(1) == 1 {
				return errors.New("callback failed")
			}
			handled.Add(1)
			return nil
		}, WithWebhookDedup(store)))
		defer srv.Close()
		res := newHookSender(t, 100*time.Millisecond).Send(srv.URL, relDocWebhook)
		// No attempt gets a 2xx in time while callbacks run 250 ms, but
		// each outcome reaches the store: once Complete is stored, the
		// next copy is answered 200.
		assert.True(t, res.Delivered, "answers %v", res.Codes)
		assert.Equal(t, int64(1), handled.Load())
		store.mu.Lock()
		defer store.mu.Unlock()
		assert.Equal(t, 1, store.releases)
		assert.Equal(t, 1, store.completes)
	})
}

// A holder that died (its claim never completed nor released) blocks the
// event only until its lease ends; then a retry takes the claim over.
func TestWebhookOnceDeadHolderTakenOver(t *testing.T) {
	store := NewMemoryDedupStore(0, 0)
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	require.NoError(t, err)
	// Another replica claimed the event and crashed.
	res, err := store.Claim(context.Background(), webhookKey(ev), "crashed-replica", 300*time.Millisecond)
	require.NoError(t, err)
	require.Equal(t, ClaimAcquired, res)

	var c counter
	srv := httptest.NewServer(WebhookHandler(c.fn(never), WithWebhookDedup(store)))
	defer srv.Close()
	sender := newHookSender(t, 2*time.Second)
	start := time.Now()
	sent := sender.Send(srv.URL, relDocWebhook)
	assert.True(t, sent.Delivered, "answers %v", sent.Codes)
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond, "not before the lease ended")
	assert.Equal(t, http.StatusServiceUnavailable, sent.Codes[0])
	assert.Equal(t, int64(1), c.handled.Load())
	assert.Equal(t, []int{http.StatusOK}, sender.Send(srv.URL, relDocWebhook).Codes)
	assert.Equal(t, int64(1), c.handled.Load())
}

// A replica whose callback hangs: its context ends with the lease, and the
// other replica (sharing the store) handles the retry. The hung replica's
// late release does not free the other's claim or its done record.
func TestWebhookOnceHungReplica(t *testing.T) {
	store := NewMemoryDedupStore(0, 0)
	const lease = 300 * time.Millisecond
	var handled atomic.Int64
	hungStarted, hungDone := make(chan struct{}), make(chan error, 1)
	hung := httptest.NewServer(WebhookHandler(func(ctx context.Context, _ *WebhookEvent) error {
		close(hungStarted)
		<-ctx.Done() // told to stop when the lease ends
		time.Sleep(100 * time.Millisecond)
		hungDone <- ctx.Err()
		return ctx.Err()
	}, WithWebhookDedup(store), WithWebhookLease(lease)))
	defer hung.Close()
	healthy := httptest.NewServer(WebhookHandler(func(context.Context, *WebhookEvent) error {
		handled.Add(1)
		return nil
	}, WithWebhookDedup(store), WithWebhookLease(lease)))
	defer healthy.Close()

	go newHookSender(t, 50*time.Millisecond).Post(hung.URL, relDocWebhook)
	<-hungStarted
	res := newHookSender(t, 2*time.Second).Send(healthy.URL, relDocWebhook)
	assert.True(t, res.Delivered, "answers %v", res.Codes)
	assert.Equal(t, http.StatusServiceUnavailable, res.Codes[0])
	assert.ErrorIs(t, <-hungDone, context.DeadlineExceeded)
	assert.Equal(t, int64(1), handled.Load())
	time.Sleep(50 * time.Millisecond) // let the hung replica release
	assert.Equal(t, []int{http.StatusOK}, newHookSender(t, time.Second).Send(healthy.URL, relDocWebhook).Codes)
	assert.Equal(t, int64(1), handled.Load())
}

func TestWebhookBusyAnswer(t *testing.T) {
	store := &faultyStore{inner: NewMemoryDedupStore(0, 0), failClaim: 1}
	h := WebhookHandler(nil, WithWebhookDedup(store))
	w := relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "a store error is not a 4xx, which senders may not retry")
	assert.Equal(t, "5", w.Header().Get("Retry-After"))

	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	require.NoError(t, err)
	_, err = store.inner.Claim(context.Background(), webhookKey(ev), "other", time.Minute)
	require.NoError(t, err)
	w = relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, "5", w.Header().Get("Retry-After"))
}

// Keys are printable, bounded and identify one change; holders are random
// per delivery.
func TestWebhookKeysAndHolders(t *testing.T) {
	store := &faultyStore{inner: NewMemoryDedupStore(0, 0)}
	h := WebhookHandler(nil, WithWebhookDedup(store))
	for _, body := range []string{
		relDocWebhook,
		relDocWebhook,
		"orderid=ORD12345&status=refund&datetime=2026-06-03+15:30:00",
		"orderid=ORD12345&status=success&datetime=2026-06-03+15:30:01",
		"orderid=A%00B&status=success",
		"orderid=" + string(make([]byte, 0)) + "%E2%82%AC%0A",
	} {
		relServe(h, relWebhookRequest(http.MethodPost, "/", body))
	}
	keyRE := regexp.MustCompile(`^v1:[0-9a-f]{64}$`)
	holderRE := regexp.MustCompile(`^[0-9a-f]{32}$`)
	store.mu.Lock()
	defer store.mu.Unlock()
	require.Len(t, store.keys, 6)
	for i, k := range store.keys {
		assert.Regexp(t, keyRE, k, i)
		assert.Regexp(t, holderRE, store.holders[i], i)
	}
	assert.Equal(t, store.keys[0], store.keys[1], "one change, one key")
	assert.NotEqual(t, store.holders[0], store.holders[1], "one holder per delivery")
	seen := map[string]bool{}
	for _, k := range store.keys[1:] {
		assert.False(t, seen[k], "another status, time or order is another key")
		seen[k] = true
	}
}

// The callback's context carries the lease as its deadline.
func TestWebhookCallbackContextEndsWithLease(t *testing.T) {
	var deadline time.Time
	var ok bool
	h := WebhookHandler(func(ctx context.Context, _ *WebhookEvent) error {
		deadline, ok = ctx.Deadline()
		return nil
	}, WithWebhookDedup(nil), WithWebhookLease(42*time.Second))
	start := time.Now()
	assert.Equal(t, http.StatusOK, relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook)).Code)
	require.True(t, ok)
	assert.WithinDuration(t, start.Add(42*time.Second), deadline, 5*time.Second)

	hd := WebhookHandler(nil, WithWebhookDedup(nil)).(*webhookHandler)
	assert.Equal(t, defaultWebhookLease, hd.cfg.lease)
}

// A callback that aborts the handler (http.ErrAbortHandler) is let through
// as net/http expects, after its claim was released.
func TestWebhookAbortHandlerReleases(t *testing.T) {
	store := NewMemoryDedupStore(0, 0)
	var calls atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error {
		if calls.Add(1) == 1 {
			panic(http.ErrAbortHandler)
		}
		return nil
	}, WithWebhookDedup(store))
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	})
	assert.Equal(t, http.StatusOK, relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook)).Code)
	assert.Equal(t, int64(2), calls.Load())
}

func TestWebhookEmptyTokenPanics(t *testing.T) {
	assert.PanicsWithValue(t, "inexopay: WithWebhookToken was given an empty token; it would accept every webhook", func() {
		WebhookHandler(func(context.Context, *WebhookEvent) error { return nil }, WithWebhookToken(""))
	})
	assert.NotPanics(t, func() {
		WebhookHandler(nil, WithWebhookToken("s3cret"))
	})
	assert.PanicsWithValue(t, "inexopay: WithWebhookAllowedIPs was given no prefixes; it would allow every address", func() {
		WebhookHandler(nil, WithWebhookAllowedIPs())
	})
}

// ---- Exactly once, through a real sender that retries as INEXOPAY does ----

// newHookSender returns a sender that posts webhooks as INEXOPAY does
// (testkit.WebhookSender), with the INEXOPAY source header.
func newHookSender(t *testing.T, timeout time.Duration) *testkit.WebhookSender {
	s := testkit.NewWebhookSender(t, timeout)
	s.Header.Set("X-Callback-Source", WebhookSource)
	return s
}

func countCode(codes []int, code int) int { return testkit.Delivery{Codes: codes}.Count(code) }

// A callback that panics once: the panic is recovered (500, logged without
// the secrets it carried) and the retry is handled.
func TestWebhookOncePanicOnce(t *testing.T) {
	logs := &secrettest.LogBuffer{}
	var calls, handled atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error {
		if calls.Add(1) == 1 {
			panic("cannot credit customer " + relAadhaar + " with key " + relAPIKey)
		}
		handled.Add(1)
		return nil
	}, WithWebhookDedup(nil), WithWebhookLogger(secrettest.DebugLogger(logs)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	sender := newHookSender(t, 2*time.Second)

	res := sender.Send(srv.URL+"/hook", relDocWebhook)
	assert.True(t, res.Delivered, "answers %v", res.Codes)
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK}, res.Codes)
	// A late copy of the same change.
	res = sender.Send(srv.URL+"/hook", relDocWebhook)
	assert.Equal(t, []int{http.StatusOK}, res.Codes)

	assert.Equal(t, int64(1), handled.Load(), "handled exactly once")
	assert.Equal(t, int64(2), calls.Load())
	out := logs.String()
	assert.Contains(t, out, "panicked")
	assert.Contains(t, out, `"order_id":"ORD12345"`)
	for _, secret := range []string{relAadhaar, relAPIKey, "cannot credit"} {
		assert.NotContains(t, out, secret, "the panic's value is not logged")
	}
}

// A callback that runs longer than the sender's timeout and then fails: the
// copies that arrive meanwhile are answered non-2xx, so the sender keeps
// retrying, and a retry after the failure is handled. The callback is not
// cancelled because the sender hung up.
func TestWebhookOnceSlowThenFail(t *testing.T) {
	var calls, handled atomic.Int64
	var cancelledEarly atomic.Bool
	h := WebhookHandler(func(ctx context.Context, _ *WebhookEvent) error {
		if calls.Add(1) == 1 {
			time.Sleep(400 * time.Millisecond) // the sender gives up after 100 ms
			if ctx.Err() != nil {
				cancelledEarly.Store(true)
			}
			return errors.New("ledger unavailable")
		}
		handled.Add(1)
		return nil
	}, WithWebhookDedup(nil))
	srv := httptest.NewServer(h)
	defer srv.Close()

	res := newHookSender(t, 100*time.Millisecond).Send(srv.URL+"/hook", relDocWebhook)
	assert.True(t, res.Delivered, "answers %v", res.Codes)
	assert.Equal(t, 0, res.Codes[0], "the first attempt timed out")
	assert.Equal(t, int64(1), handled.Load(), "handled exactly once; answers %v", res.Codes)
	assert.Equal(t, int64(2), calls.Load())
	assert.False(t, cancelledEarly.Load(), "the callback's context outlives the sender's patience")
}

// 50 copies of one change arrive while the first delivery's callback runs
// and then fails: none of them is told 2xx before the change is handled.
func TestWebhookOnceConcurrentCopiesWhileFirstFails(t *testing.T) {
	const copies = 50
	firstRunning := make(chan struct{})
	copiesAnswered := make(chan struct{})
	var calls, handled atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error {
		if calls.Add(1) == 1 {
			close(firstRunning)
			select {
			case <-copiesAnswered:
			case <-time.After(10 * time.Second):
			}
			return errors.New("first delivery fails")
		}
		handled.Add(1)
		return nil
	}, WithWebhookDedup(nil))
	srv := httptest.NewServer(h)
	defer srv.Close()

	var wg sync.WaitGroup
	results := make([]testkit.Delivery, copies+1)
	wg.Go(func() { results[copies] = newHookSender(t, 20*time.Second).Send(srv.URL+"/hook", relDocWebhook) })
	<-firstRunning

	var firstAnswers sync.WaitGroup
	var firstMu sync.Mutex
	var firstCodes []int
	firstAnswers.Add(copies)
	sender := newHookSender(t, 20*time.Second)
	sender.First = func(code int) {
		firstMu.Lock()
		firstCodes = append(firstCodes, code)
		firstMu.Unlock()
		firstAnswers.Done()
	}
	for i := range copies {
		wg.Go(func() { results[i] = sender.Send(srv.URL+"/hook", relDocWebhook) })
	}
	firstAnswers.Wait()
	close(copiesAnswered)
	wg.Wait()

	for i, r := range results {
		assert.True(t, r.Delivered, "delivery %d: answers %v", i, r.Codes)
	}
	assert.Equal(t, copies, countCode(firstCodes, http.StatusServiceUnavailable), "every copy was told to come back: %v", firstCodes)
	assert.Equal(t, http.StatusInternalServerError, results[copies].Codes[0])
	assert.Equal(t, int64(1), handled.Load(), "handled exactly once")
	assert.Equal(t, int64(2), calls.Load())
	require.Len(t, results, copies+1)
}

// TestWebhookObserver checks what a WebhookObserver is told of each
// delivery: handled, duplicate, refused (with its reason), failed, busy,
// and aborted; and that the context Start returns reaches the callback.
func TestWebhookObserver(t *testing.T) {
	var mu sync.Mutex
	var got []WebhookDelivery
	var cbCtx []any
	obs := WebhookObserver{
		Start: func(ctx context.Context) context.Context { return context.WithValue(ctx, obsKey{}, "delivery") },
		Done: func(ctx context.Context, d WebhookDelivery) {
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, "delivery", ctx.Value(obsKey{}))
			assert.Positive(t, d.Duration)
			d.Duration = 0
			got = append(got, d)
		},
	}
	var calls atomic.Int64
	store := &faultyStore{inner: NewMemoryDedupStore(0, 0)}
	h := WebhookHandler(func(ctx context.Context, ev *WebhookEvent) error {
		mu.Lock()
		cbCtx = append(cbCtx, ctx.Value(obsKey{}))
		mu.Unlock()
		switch calls.Add(1) {
		case 1:
			return errors.New("callback failed")
		case 3:
			panic(http.ErrAbortHandler)
		}
		return nil
	}, WithWebhookDedup(store), WithWebhookToken("s3cret-token"), WithWebhookObserver(obs))
	const good = "/hook?token=s3cret-token"
	assert.Equal(t, http.StatusInternalServerError, relServe(h, relWebhookRequest(http.MethodPost, good, relDocWebhook)).Code)
	assert.Equal(t, http.StatusOK, relServe(h, relWebhookRequest(http.MethodPost, good, relDocWebhook)).Code)
	assert.Equal(t, http.StatusOK, relServe(h, relWebhookRequest(http.MethodPost, good, relDocWebhook)).Code)
	assert.Equal(t, http.StatusUnauthorized, relServe(h, relWebhookRequest(http.MethodPost, "/hook?token=wrong", relDocWebhook)).Code)
	other := strings.Replace(relDocWebhook, "status=success", "status=failed", 1)
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { relServe(h, relWebhookRequest(http.MethodPost, good, other)) })
	store.failClaim = 1
	assert.Equal(t, http.StatusServiceUnavailable, relServe(h, relWebhookRequest(http.MethodPost, good, other)).Code)

	mu.Lock()
	defer mu.Unlock()
	ev := func(r WebhookResult, code int, st Status) WebhookDelivery {
		return WebhookDelivery{Result: r, HTTPStatus: code, CallbackType: CallbackGlobal, Status: st}
	}
	assert.Equal(t, []WebhookDelivery{
		ev(WebhookFailed, 500, StatusSuccess),
		ev(WebhookHandled, 200, StatusSuccess),
		ev(WebhookDuplicate, 200, StatusSuccess),
		{Result: WebhookRefused, HTTPStatus: 401, Reason: "missing or wrong token"},
		ev(WebhookAborted, 0, StatusFailed),
		ev(WebhookStoreFailed, 503, StatusFailed),
	}, got)
	assert.Equal(t, []any{"delivery", "delivery", "delivery"}, cbCtx)
}

// Deliveries of one change whose order ids differ only in case share a key.
func TestWebhookKeyOfOtherSpellings(t *testing.T) {
	key := func(body string) string {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		require.NoError(t, err, body)
		return webhookKey(ev)
	}
	// Spellings of one status and one instant share a key; the order id is
	// keyed as first received, so keys stored by earlier versions (which
	// did not fold case) stay valid across an upgrade.
	k := key("orderid=ORD7&status=success&datetime=2026-06-03+15:30:00")
	assert.Equal(t, k, key("orderid=ORD7&order_id=ord7&status=SUCCESS&datetime=2026-06-03T15:30:00"))
	assert.Equal(t, k, key("order_id=+ORD7+&status=success&status=Success&datetime=2026-06-03+15:30:00"))
	assert.NotEqual(t, k, key("orderid=ORD8&status=success&datetime=2026-06-03+15:30:00"))
	// Changes less than a second apart are two changes; a whole second
	// keys as it always did.
	assert.NotEqual(t, key("orderid=ORD7&status=refund&datetime=2026-06-03+15:30:10.250"),
		key("orderid=ORD7&status=refund&datetime=2026-06-03+15:30:10.750"))
	assert.NotEqual(t, key("orderid=ORD7&status=refund&datetime=2026-06-03+15:30:10"),
		key("orderid=ORD7&status=refund&datetime=2026-06-03+15:30:10.999"))
	assert.Equal(t, key("orderid=ORD7&status=refund&datetime=2026-06-03+15:30:10.500"),
		key("orderid=ORD7&status=refund&datetime=2026-06-03T15:30:10.5"))
	assert.Equal(t, hookserve.Key("ORD7", "success", "2026-06-03T10:00:00Z"), k, "keys of whole seconds are unchanged")
}

// The callback's error and a store's error are logged masked: Aadhaar-like
// and PAN-like runs, a value after a secret-named word (otp, key, token…),
// values of the event's secret-named fields in any spelling, and the
// handler's token never reach a log line.
func TestWebhookLogMasksErrorText(t *testing.T) {
	const (
		token   = "tok-0123456789abcdef0123456789abcdef"
		aadhaar = "234567890124"
		otp     = "482913"
		key     = "sk_Live+9Qz/7Lm=PqR4tY2w"
		pan     = "ABCDE1234F"
		fieldPw = "hunter2-long-pass"
	)
	var logs strings.Builder
	lg := slog.New(slog.NewJSONHandler(&logs, nil))
	h := WebhookHandler(func(_ context.Context, ev *WebhookEvent) error {
		return fmt.Errorf("db failed for aadhaar %s otp %s key %s pan %s token=%s pass %s (%s)",
			aadhaar, otp, key, strings.ToLower(pan), token, url.QueryEscape(fieldPw), ev.OrderID)
	}, WithWebhookToken(token), WithWebhookLogger(lg))
	w := relServe(h, relWebhookRequest(http.MethodPost, "/?token="+token,
		"orderid=E1&status=success&password="+fieldPw))
	assert.Equal(t, http.StatusInternalServerError, w.Code)

	storeErr := errors.New("claim failed: otp=" + otp + " aadhaar " + aadhaar)
	h = WebhookHandler(nil, WithWebhookLogger(lg), WithWebhookDedup(&leakyStore{DedupStore: NewMemoryDedupStore(0, 0), err: storeErr}))
	w = relServe(h, relWebhookRequest(http.MethodPost, "/", "orderid=E2&status=success"))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)

	all := logs.String()
	assert.Contains(t, all, "db failed for aadhaar", "the error is logged, masked")
	assert.Contains(t, all, "E1")
	assert.Contains(t, all, "claim failed")
	for _, sec := range []string{token, aadhaar, otp, key, "9Qz/7Lm", pan, strings.ToLower(pan), fieldPw, url.QueryEscape(fieldPw)} {
		assert.NotContains(t, all, sec)
	}
}

// leakyStore fails every Claim with err.
type leakyStore struct {
	DedupStore
	err error
}

func (s *leakyStore) Claim(context.Context, string, string, time.Duration) (ClaimResult, error) {
	return 0, s.err
}
