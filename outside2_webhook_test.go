package inexopay_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

func o2Webhook(ctx context.Context, orderID, status, datetime string) *http.Request {
	f := url.Values{}
	f.Set("orderid", orderID)
	f.Set("order_id", orderID)
	f.Set("status", status)
	f.Set("remark", "done")
	f.Set("datetime", datetime)
	f.Set("callback_type", "global_webhook")
	r := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(f.Encode())).WithContext(ctx)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	r.RemoteAddr = "127.0.0.1:5555"
	return r
}

func o2Deliver(ctx context.Context, h http.Handler, orderID string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, o2Webhook(ctx, orderID, "SUCCESS", "2026-11-25 12:00:00"))
	return w
}

// TestOutside2WebhookLeaseEndsCallbackContext: the callback's context ends
// when the lease does; a copy that arrives during the lease is answered
// 503 with Retry-After and does not run the callback.
func TestOutside2WebhookLeaseEndsCallbackContext(t *testing.T) {
	const lease = 300 * time.Millisecond
	var calls atomic.Int32
	started := make(chan struct{}, 1)
	var ctxEnded time.Duration
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		if calls.Add(1) == 1 {
			t0 := time.Now()
			started <- struct{}{}
			select {
			case <-ctx.Done():
				ctxEnded = time.Since(t0)
			case <-time.After(5 * time.Second):
				ctxEnded = -1
			}
			return ctx.Err()
		}
		return nil
	}, inexopay.WithWebhookDedup(inexopay.NewMemoryDedupStore(0, 0)), inexopay.WithWebhookLease(lease))
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- o2Deliver(context.Background(), h, "WAL100") }()
	<-started
	w2 := o2Deliver(context.Background(), h, "WAL100")
	if w2.Code != 503 || w2.Header().Get("Retry-After") == "" {
		t.Errorf("copy during the claim: %d Retry-After %q, want 503 with Retry-After", w2.Code, w2.Header().Get("Retry-After"))
	}
	w1 := <-done
	if ctxEnded < 0 || ctxEnded > lease+time.Second {
		t.Errorf("callback context ended after %v, lease %v", ctxEnded, lease)
	}
	if w1.Code/100 == 2 {
		t.Errorf("failed callback answered %d", w1.Code)
	}
	// released: the retry runs the callback again
	if w3 := o2Deliver(context.Background(), h, "WAL100"); w3.Code != 200 || calls.Load() != 2 {
		t.Errorf("retry after failure: %d, calls %d", w3.Code, calls.Load())
	}
	if w4 := o2Deliver(context.Background(), h, "WAL100"); w4.Code != 200 || calls.Load() != 2 {
		t.Errorf("copy after done: %d, calls %d", w4.Code, calls.Load())
	}
}

// TestOutside2WebhookSenderHangsUp: the sender hangs up while the callback
// runs; the callback then succeeds: the change must be recorded done, so
// the next copy is 200 without calling again.
func TestOutside2WebhookSenderHangsUp(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		calls.Add(1)
		<-release
		return nil
	}, inexopay.WithWebhookDedup(nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o2Deliver(ctx, h, "PAN77"); close(done) }()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	time.Sleep(20 * time.Millisecond)
	close(release)
	<-done
	if w := o2Deliver(context.Background(), h, "PAN77"); w.Code != 200 || calls.Load() != 1 {
		t.Errorf("copy after hang-up: %d, calls %d (want 200, 1)", w.Code, calls.Load())
	}
}

// o2BlockingStore blocks Claim until its context ends (a database lock
// wait), or forever when ignoreCtx.
type o2BlockingStore struct {
	ignoreCtx bool
	unblock   chan struct{}
}

func (s *o2BlockingStore) Claim(ctx context.Context, key, holder string, lease time.Duration) (inexopay.ClaimResult, error) {
	if s.ignoreCtx {
		<-s.unblock
		return 0, fmt.Errorf("store gone")
	}
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-s.unblock:
		return 0, fmt.Errorf("store gone")
	}
}
func (s *o2BlockingStore) Complete(ctx context.Context, key, holder string) error { return nil }
func (s *o2BlockingStore) Release(ctx context.Context, key, holder string) error  { return nil }

// TestOutside2WebhookStoreHangs: a store whose Claim waits on its context
// (a lock wait on a stuck database). The handler must never answer 2xx
// nor call the callback; it should answer (503) in bounded time rather
// than hold the sender's connection for ever. Reported when it does not
// answer within 15 s.
func TestOutside2WebhookStoreHangs(t *testing.T) {
	st := &o2BlockingStore{unblock: make(chan struct{})}
	defer close(st.unblock)
	var calls atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		calls.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(st))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res := make(chan *httptest.ResponseRecorder, 1)
	go func() { res <- o2Deliver(ctx, h, "WAL9") }()
	select {
	case w := <-res:
		if w.Code/100 == 2 || calls.Load() != 0 {
			t.Errorf("stuck store: %d, calls %d; want non-2xx and no call", w.Code, calls.Load())
		}
		t.Logf("stuck store answered %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	case <-time.After(15 * time.Second):
		t.Errorf("handler did not answer within 15s while the store's Claim waited (sender gone after 200ms)")
	}
}

// TestOutside2MemoryStoreTakeoverThenComplete: A's lease ends, B takes the
// claim over, A's callback finishes late and completes, B's fails and
// releases: the change is done (A ran it) and B's release must not undo
// that; another holder's claim must survive a stale holder's release.
func TestOutside2MemoryStoreTakeoverThenComplete(t *testing.T) {
	ctx := context.Background()
	s := inexopay.NewMemoryDedupStore(0, 0)
	key := "v1:" + strings.Repeat("ab", 32)
	if r, _ := s.Claim(ctx, key, "A", 20*time.Millisecond); r != inexopay.ClaimAcquired {
		t.Fatalf("A: %v", r)
	}
	time.Sleep(40 * time.Millisecond)
	if r, _ := s.Claim(ctx, key, "B", time.Minute); r != inexopay.ClaimAcquired {
		t.Fatalf("B takeover: %v", r)
	}
	_ = s.Release(ctx, key, "A") // stale holder
	if r, _ := s.Claim(ctx, key, "C", time.Minute); r != inexopay.ClaimBusy {
		t.Errorf("after A's stale release, C got %v, want ClaimBusy (B holds it)", r)
	}
	_ = s.Complete(ctx, key, "A")
	_ = s.Release(ctx, key, "B")
	if r, _ := s.Claim(ctx, key, "D", time.Minute); r != inexopay.ClaimDone {
		t.Errorf("after A completed and B released, D got %v, want ClaimDone", r)
	}
}

// TestOutside2MemoryStoreCompleteAfterEviction: A's claim expires and is
// evicted (the budget is full of newer records); A's callback then
// finishes and completes: Complete "succeeds even when holder's lease had
// ended", so the change must be done, not run again.
func TestOutside2MemoryStoreCompleteAfterEviction(t *testing.T) {
	ctx := context.Background()
	s := inexopay.NewMemoryDedupStore(0, 16<<10)
	key := "v1:" + strings.Repeat("cd", 32)
	if r, err := s.Claim(ctx, key, "A", 10*time.Millisecond); r != inexopay.ClaimAcquired {
		t.Fatalf("A: %v %v", r, err)
	}
	time.Sleep(30 * time.Millisecond)
	for i := range 400 {
		k := fmt.Sprintf("v1:%064x", i+1)
		h := fmt.Sprintf("%032x", i+1)
		if r, err := s.Claim(ctx, k, h, time.Minute); r == inexopay.ClaimAcquired {
			_ = s.Complete(ctx, k, h)
		} else if err != nil {
			t.Fatalf("filler %d: %v", i, err)
		}
	}
	_ = s.Complete(ctx, key, "A")
	if r, err := s.Claim(ctx, key, "B", time.Minute); r != inexopay.ClaimDone {
		t.Errorf("after A completed (its expired claim evicted), B got %v %v, want ClaimDone", r, err)
	}
}

// TestOutside2MemoryStoreBudget: 1,000 distinct events through the handler
// with a 64 KiB memory store while one callback holds a live claim the
// whole time: the live claim is never dropped (its copy is 503), the most
// recent done changes are still answered 200 without the callback, and
// the store answers 503 (never 2xx) when claims alone fill it.
func TestOutside2MemoryStoreBudget(t *testing.T) {
	store := inexopay.NewMemoryDedupStore(0, 64<<10)
	var mu sync.Mutex
	calls := map[string]int{}
	hold := make(chan struct{})
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		calls[ev.OrderID]++
		mu.Unlock()
		if ev.OrderID == "LIVE" {
			<-hold
		}
		return nil
	}, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(time.Minute))
	live := make(chan int, 1)
	go func() { live <- o2Deliver(context.Background(), h, "LIVE").Code }()
	for {
		mu.Lock()
		n := calls["LIVE"]
		mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for i := range 1000 {
		if w := o2Deliver(context.Background(), h, fmt.Sprintf("EV%04d", i)); w.Code != 200 {
			t.Fatalf("event %d: %d", i, w.Code)
		}
	}
	if w := o2Deliver(context.Background(), h, "LIVE"); w.Code != 503 {
		t.Errorf("copy of the live claim after 1000 events: %d, want 503", w.Code)
	}
	for i := 950; i < 1000; i++ {
		id := fmt.Sprintf("EV%04d", i)
		if w := o2Deliver(context.Background(), h, id); w.Code != 200 {
			t.Errorf("recent %s copy: %d", id, w.Code)
		}
		mu.Lock()
		if calls[id] != 1 {
			t.Errorf("recent %s ran %d times: newest done records must not go before older ones", id, calls[id])
		}
		mu.Unlock()
	}
	close(hold)
	if c := <-live; c != 200 {
		t.Errorf("live delivery answered %d", c)
	}
	// claims alone fill a tiny store: ErrDedupStoreFull, never a dropped claim
	tiny := inexopay.NewMemoryDedupStore(0, 2<<10)
	var held []string
	full := false
	for i := range 200 {
		k := fmt.Sprintf("v1:%064x", i)
		r, err := tiny.Claim(context.Background(), k, fmt.Sprintf("%032x", i), time.Minute)
		if err != nil {
			full = true
			break
		}
		if r != inexopay.ClaimAcquired {
			t.Fatalf("claim %d: %v", i, r)
		}
		held = append(held, k)
	}
	if !full {
		t.Errorf("200 live claims fit in 2 KiB?")
	}
	for _, k := range held {
		if r, _ := tiny.Claim(context.Background(), k, strings.Repeat("f", 32), time.Minute); r != inexopay.ClaimBusy {
			t.Errorf("live claim %s lost: %v", k, r)
		}
	}
}

// o2RecStore records the keys and holders the handler passes and acts
// like an empty store that always grants and forgets.
type o2RecStore struct {
	mu      sync.Mutex
	keys    []string
	holders []string
	inner   *inexopay.MemoryDedupStore
}

func (s *o2RecStore) Claim(ctx context.Context, key, holder string, lease time.Duration) (inexopay.ClaimResult, error) {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.holders = append(s.holders, holder)
	s.mu.Unlock()
	return s.inner.Claim(ctx, key, holder, lease)
}
func (s *o2RecStore) Complete(ctx context.Context, key, holder string) error {
	return s.inner.Complete(ctx, key, holder)
}
func (s *o2RecStore) Release(ctx context.Context, key, holder string) error {
	return s.inner.Release(ctx, key, holder)
}

func o2Form(ctx context.Context, f url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(f.Encode())).WithContext(ctx)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	return r
}

// TestOutside2WebhookKeys: keys are "v1:" + 64 hex and holders 32 hex, one
// per delivery; copies of one change that differ only in remark,
// callback_type, which of orderid/order_id is sent, white space or the
// status's case are one change; distinct changes whose fields would
// concatenate alike with a separator ("A|b","c" vs "A","b|c") are never
// one key (else the second is answered 200 unseen: an event lost).
func TestOutside2WebhookKeys(t *testing.T) {
	st := &o2RecStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	var mu sync.Mutex
	seen := map[string]int{}
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		seen[fmt.Sprintf("%q %q %q", ev.OrderID, ev.Status, ev.DateTime.String())]++
		mu.Unlock()
		return nil
	}, inexopay.WithWebhookDedup(st))
	send := func(kv ...string) int {
		f := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			f.Add(kv[i], kv[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, o2Form(context.Background(), f))
		return w.Code
	}
	// one change, many spellings of its copies
	if c := send("orderid", "WAL1", "order_id", "WAL1", "status", "SUCCESS", "remark", "paid", "datetime", "2026-11-25 12:00:00", "callback_type", "global_webhook"); c != 200 {
		t.Fatalf("first: %d", c)
	}
	for i, copy := range [][]string{
		{"orderid", "WAL1", "status", "success", "remark", "paid - UTR 123", "datetime", "2026-11-25 12:00:00", "callback_type", "per_transaction"},
		{"order_id", " WAL1 ", "status", " Success ", "datetime", " 2026-11-25 12:00:00 "},
	} {
		if c := send(copy...); c != 200 {
			t.Errorf("copy %d: %d", i, c)
		}
	}
	mu.Lock()
	if len(seen) != 1 {
		t.Errorf("one change ran as %d: %v", len(seen), seen)
	}
	mu.Unlock()
	// distinct changes that a separator would merge
	for _, sep := range []string{"|", ":", ",", ";", " ", "/", "\t", "\n", "\x00", "\x1f", "-", "_", "."} {
		a := send("orderid", "K"+sep+"pending", "status", "refund", "datetime", "2026-11-25 12:00:00")
		b := send("orderid", "K", "status", "pending"+sep+"refund", "datetime", "2026-11-25 12:00:00")
		_ = a
		_ = b
	}
	mu.Lock()
	for k, n := range seen {
		if n != 1 {
			t.Errorf("change %q ran %d times", k, n)
		}
	}
	mu.Unlock()
	st.mu.Lock()
	defer st.mu.Unlock()
	keyOf := map[string]bool{}
	holders := map[string]bool{}
	for i, k := range st.keys {
		if len(k) != 67 || !strings.HasPrefix(k, "v1:") || strings.Trim(k[3:], "0123456789abcdef") != "" {
			t.Errorf("key %q is not v1: + 64 hex", k)
		}
		hd := st.holders[i]
		if len(hd) != 32 || strings.Trim(hd, "0123456789abcdefABCDEF") != "" {
			t.Errorf("holder %q is not 32 hex", hd)
		}
		if holders[hd] {
			t.Errorf("holder %q reused across deliveries", hd)
		}
		holders[hd] = true
		keyOf[k] = true
	}
	// each accepted separator pair must have given two keys
	accepted := 0
	mu.Lock()
	accepted = len(seen)
	mu.Unlock()
	if len(keyOf) < accepted {
		t.Errorf("%d distinct changes ran but only %d keys", accepted, len(keyOf))
	}
	t.Logf("changes run %d, distinct keys %d, deliveries %d", accepted, len(keyOf), len(st.keys))
}

// o2FlakyStore wraps a memory store: Claim can be slow after taking the
// claim (a far database), Complete can fail, and Complete honours its
// context like a database driver does.
type o2FlakyStore struct {
	inner         *inexopay.MemoryDedupStore
	claimDelay    time.Duration
	failComplete  bool
	completeCalls atomic.Int32
	claimStarted  atomic.Int64
}

func (s *o2FlakyStore) Claim(ctx context.Context, key, holder string, lease time.Duration) (inexopay.ClaimResult, error) {
	s.claimStarted.Store(time.Now().UnixNano())
	r, err := s.inner.Claim(ctx, key, holder, lease)
	if s.claimDelay > 0 {
		time.Sleep(s.claimDelay)
	}
	return r, err
}

func (s *o2FlakyStore) Complete(ctx context.Context, key, holder string) error {
	s.completeCalls.Add(1)
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.failComplete {
		return fmt.Errorf("database is down")
	}
	return s.inner.Complete(ctx, key, holder)
}

func (s *o2FlakyStore) Release(ctx context.Context, key, holder string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inner.Release(ctx, key, holder)
}

// TestOutside2WebhookCompleteFails: Complete fails every time after the
// callback succeeded: 200, Complete tried 3 times (two quick retries),
// the claim kept (copy → 503 with Retry-After).
func TestOutside2WebhookCompleteFails(t *testing.T) {
	st := &o2FlakyStore{inner: inexopay.NewMemoryDedupStore(0, 0), failComplete: true}
	var calls atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		calls.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(st), inexopay.WithWebhookLease(time.Minute))
	if w := o2Deliver(context.Background(), h, "CF1"); w.Code != 200 {
		t.Errorf("callback ran, Complete failed: %d, want 200", w.Code)
	}
	if n := st.completeCalls.Load(); n != 3 {
		t.Errorf("Complete tried %d times, want 3", n)
	}
	if w := o2Deliver(context.Background(), h, "CF1"); w.Code != 503 || w.Header().Get("Retry-After") == "" || calls.Load() != 1 {
		t.Errorf("copy after the failed Complete: %d Retry-After %q calls %d; want 503, Retry-After, 1", w.Code, w.Header().Get("Retry-After"), calls.Load())
	}
}

// TestOutside2WebhookHangUpContextStore: the sender hangs up during the
// callback; the store honours its context (as database/sql does). "Store
// calls do not end with the request": Complete must still record the
// change, so a copy after the lease is 200 without a second call.
func TestOutside2WebhookHangUpContextStore(t *testing.T) {
	st := &o2FlakyStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	var calls atomic.Int32
	release := make(chan struct{})
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		calls.Add(1)
		<-release
		return nil
	}, inexopay.WithWebhookDedup(st), inexopay.WithWebhookLease(300*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o2Deliver(ctx, h, "HU1"); close(done) }()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	time.Sleep(10 * time.Millisecond)
	close(release)
	<-done
	time.Sleep(400 * time.Millisecond)
	if w := o2Deliver(context.Background(), h, "HU1"); w.Code != 200 || calls.Load() != 1 {
		t.Errorf("copy after hang-up and lease: %d, calls %d (want 200, 1)", w.Code, calls.Load())
	}
}

// TestOutside2WebhookLeaseCountsFromClaimReturn
// Was a finding of the outside review, now fixed: Webhook guarantees, "The lease": "Your function's context ends
// when the lease does; a function that ignores it and runs longer than
// the lease may run twice" (so one that honours it runs once). The
// handler starts the callback's deadline when DedupStore.Claim *returns*,
// but the store's lease began when the claim was taken (for sqldedup: the
// database's now() at the statement). When the claim's answer is slow to
// come back (400 ms here: a far database, a GC pause), the callback's
// context outlives the lease by that delay, and a copy delivered to
// another replica in that window takes the claim over and runs the change
// a second time while the first callback, which honours its context, is
// still live. Observed: deadline 400 ms past the lease and two
// overlapping live callbacks; promised: context ends with the lease.
func TestOutside2WebhookLeaseCountsFromClaimReturn(t *testing.T) {
	const lease = time.Second
	inner := inexopay.NewMemoryDedupStore(0, 0)
	slow := &o2FlakyStore{inner: inner, claimDelay: 400 * time.Millisecond}
	fast := &o2FlakyStore{inner: inner}
	var c1Live atomic.Bool
	var overlap atomic.Bool
	var over time.Duration
	c1Started := make(chan struct{})
	h1 := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		if dl, ok := ctx.Deadline(); ok {
			over = dl.Sub(time.Unix(0, slow.claimStarted.Load())) - lease
		}
		c1Live.Store(true)
		close(c1Started)
		<-ctx.Done() // honours its context: stops when the lease ends
		c1Live.Store(false)
		return ctx.Err()
	}, inexopay.WithWebhookDedup(slow), inexopay.WithWebhookLease(lease))
	h2 := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		if c1Live.Load() {
			overlap.Store(true)
		}
		return nil
	}, inexopay.WithWebhookDedup(fast), inexopay.WithWebhookLease(lease))
	done := make(chan struct{})
	go func() { o2Deliver(context.Background(), h1, "LC1"); close(done) }()
	<-c1Started
	// a copy on replica 2 just after the lease (counted from the claim) ended
	time.Sleep(time.Until(time.Unix(0, slow.claimStarted.Load()).Add(lease + 100*time.Millisecond)))
	w := o2Deliver(context.Background(), h2, "LC1")
	<-done
	t.Logf("callback deadline %v past the lease's end; replica 2 answered %d", over, w.Code)
	if over > 50*time.Millisecond {
		t.Errorf("callback context outlives the lease by %v", over)
	}
	if overlap.Load() {
		t.Errorf("replica 2 ran the change while replica 1's callback (which honours its context) still had a live context: handled twice at once")
	}
}

// TestOutside2MemoryStoreDefaultBudget: the default store holds "about
// 250,000 changes" in 64 MiB: after 250,000 done changes the first one is
// still remembered, and the heap the store really uses stays near its
// budget.
func TestOutside2MemoryStoreDefaultBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	ctx := context.Background()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	s := inexopay.NewMemoryDedupStore(0, 0)
	const n = 250_000
	for i := range n {
		k := fmt.Sprintf("v1:%064x", i)
		h := fmt.Sprintf("%032x", i)
		if r, err := s.Claim(ctx, k, h, time.Minute); r != inexopay.ClaimAcquired || err != nil {
			t.Fatalf("claim %d: %v %v", i, r, err)
		}
		_ = s.Complete(ctx, k, h)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	heap := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("250,000 done changes: heap +%d MiB", heap>>20)
	for _, i := range []int{0, 1, n / 2, n - 1} {
		k := fmt.Sprintf("v1:%064x", i)
		if r, _ := s.Claim(ctx, k, strings.Repeat("e", 32), time.Minute); r != inexopay.ClaimDone {
			t.Errorf("change %d of 250,000 forgotten: %v", i, r)
		}
	}
	if heap > 128<<20 {
		t.Errorf("store holds %d MiB of heap for a 64 MiB budget", heap>>20)
	}
	runtime.KeepAlive(s)
}

// TestOutside2WebhookLogsKeepSecrets: refused webhooks (a token one
// character off, the token twice, the token in the form or a header
// instead of the query, a body over the limit quoting it), a callback
// panic whose value holds the token and the Aadhaar number: the
// WithWebhookLogger output (text and JSON) and the answers never hold the
// token, the body or the panic value.
func TestOutside2WebhookLogsKeepSecrets(t *testing.T) {
	const token = "whsec_Zk3pQ9vX7mL2rT8w"
	var jb, tb syncBuf
	for _, logger := range []*slog.Logger{
		slog.New(slog.NewJSONHandler(&jb, &slog.HandlerOptions{Level: slog.LevelDebug})),
		slog.New(slog.NewTextHandler(&tb, &slog.HandlerOptions{Level: slog.LevelDebug})),
	} {
		h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			if ev.OrderID == "PANIC" {
				panic("token " + token + " aadhaar " + o2Aadhaar)
			}
			return fmt.Errorf("callback failed")
		}, inexopay.WithWebhookToken(token), inexopay.WithWebhookLogger(logger), inexopay.WithWebhookDedup(nil))
		body := func(id string) string {
			return url.Values{"orderid": {id}, "status": {"SUCCESS"}, "datetime": {"2026-11-25 12:00:00"}, "remark": {"aadhaar " + o2Aadhaar + " token " + token}}.Encode()
		}
		for _, tc := range []struct{ query, body string }{
			{"?token=" + token + "x", body("A1")},
			{"?token=" + token[:len(token)-1], body("A1")},
			{"?token=" + token + "&token=" + token, body("A1")},
			{"?token=" + url.QueryEscape(token+" "), body("A1")},
			{"?x=" + token, body("A1") + "&token=" + token},
			{"?token=" + token, body("PANIC")},
			{"?token=" + token, body("FAIL")},
			{"?token=" + token, "orderid=" + strings.Repeat(token, 5000)},
			{"?token=" + token, "orderid=A1&orderid=" + token},
			{"?token=" + token, "orderid=%zz" + token},
		} {
			r := httptest.NewRequest(http.MethodPost, "/hook"+tc.query, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("X-Callback-Source", inexopay.WebhookSource)
			r.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			o2CheckNoSecret(t, "answer to "+tc.query, w.Body.String()+fmt.Sprint(w.Header()), token, o2Aadhaar)
			if ev, err := inexopay.ParseWebhook(httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(tc.body))); err != nil {
				o2CheckErrEverywhere(t, err, token, o2Aadhaar)
			} else {
				_ = ev
			}
		}
	}
	o2CheckNoSecret(t, "webhook JSON log", jb.String(), token, o2Aadhaar)
	o2CheckNoSecret(t, "webhook text log", tb.String(), token, o2Aadhaar)
}

// TestOutside2WebhookSenderStorm: 100 senders deliver copies of 5 changes
// at once and retry until they get a 2xx; the callback fails a third of
// the time and panics sometimes. Each change succeeds in the callback
// exactly once, never runs twice at the same time, and no copy gets a
// 2xx before its change succeeded.
func TestOutside2WebhookSenderStorm(t *testing.T) {
	var mu sync.Mutex
	running := map[string]int{}
	succeeded := map[string]int{}
	var n atomic.Int64
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		running[ev.OrderID]++
		if running[ev.OrderID] > 1 {
			t.Errorf("%s runs twice at once", ev.OrderID)
		}
		mu.Unlock()
		defer func() {
			mu.Lock()
			running[ev.OrderID]--
			mu.Unlock()
		}()
		time.Sleep(time.Millisecond)
		switch n.Add(1) % 6 {
		case 0, 3:
			return fmt.Errorf("transient")
		case 5:
			panic("boom")
		}
		mu.Lock()
		succeeded[ev.OrderID]++
		mu.Unlock()
		return nil
	}, inexopay.WithWebhookDedup(inexopay.NewMemoryDedupStore(0, 0)))
	var wg sync.WaitGroup
	deadline := time.Now().Add(20 * time.Second)
	for g := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("STORM%d", g%5)
			for time.Now().Before(deadline) {
				w := o2Deliver(context.Background(), h, id)
				if w.Code/100 == 2 {
					mu.Lock()
					if succeeded[id] != 1 {
						t.Errorf("%s answered %d while succeeded %d times", id, w.Code, succeeded[id])
					}
					mu.Unlock()
					return
				}
				time.Sleep(time.Millisecond)
			}
			t.Errorf("%s never acknowledged", id)
		}()
	}
	wg.Wait()
	for i := range 5 {
		if c := succeeded[fmt.Sprintf("STORM%d", i)]; c != 1 {
			t.Errorf("STORM%d succeeded %d times", i, c)
		}
	}
}
