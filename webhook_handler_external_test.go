package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- Webhook dedup keys ----

// Keys and holders given to a store have the documented form, and two
// handlers (replicas) derive the same key for one change.
type oRecStore struct {
	mu      sync.Mutex
	keys    []string
	holders []string
	inner   *inexopay.MemoryDedupStore
}

func (s *oRecStore) Claim(ctx context.Context, k, h string, l time.Duration) (inexopay.ClaimResult, error) {
	s.mu.Lock()
	s.keys = append(s.keys, k)
	s.holders = append(s.holders, h)
	s.mu.Unlock()
	return s.inner.Claim(ctx, k, h, l)
}

func (s *oRecStore) Complete(ctx context.Context, k, h string) error {
	return s.inner.Complete(ctx, k, h)
}

func (s *oRecStore) Release(ctx context.Context, k, h string) error {
	return s.inner.Release(ctx, k, h)
}

func TestWebhookKeyForm(t *testing.T) {
	a := &oRecStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	b := &oRecStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	ha := inexopay.WebhookHandler(nil, inexopay.WithWebhookDedup(a))
	hb := inexopay.WebhookHandler(nil, inexopay.WithWebhookDedup(b))
	outsidePost(ha, outsideForm("ORDK", "success", "2024-05-01 10:00:00"))
	outsidePost(hb, outsideForm("ORDK", "SUCCESS", "2024-05-01 10:00:00"))
	outsidePost(ha, outsideForm("ORDK", "success", "2024-05-01 10:00:00"))
	kre := regexp.MustCompile(`^v1:[0-9a-f]{64}$`)
	hre := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, k := range append(a.keys, b.keys...) {
		if !kre.MatchString(k) {
			t.Errorf("key %q", k)
		}
	}
	for _, h := range append(a.holders, b.holders...) {
		if !hre.MatchString(h) {
			t.Errorf("holder %q", h)
		}
	}
	if len(a.keys) < 1 || len(b.keys) < 1 || a.keys[0] != b.keys[0] {
		t.Errorf("replicas disagree on the key: %v %v", a.keys, b.keys)
	}
	if len(a.holders) == 2 && a.holders[0] == a.holders[1] {
		t.Errorf("holder reused across deliveries")
	}
	_ = fmt.Sprint
}

// ---- Webhook handler: stores, leases, hang-ups ----

func outsidePost(h http.Handler, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Callback-Source", "INEXOPAY-API")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func outsideForm(order, status, dt string) string {
	v := url.Values{}
	v.Set("orderid", order)
	v.Set("status", status)
	if dt != "" {
		v.Set("datetime", dt)
	}
	v.Set("remark", "x")
	return v.Encode()
}

// Two DIFFERENT changes (different order ids / statuses) must each reach the
// callback: the dedup key must not collide when a separator character moves
// from the order id into the status.
func TestWebhookKeyNoCollisionAcrossFields(t *testing.T) {
	seps := []string{"|", ":", " ", ",", ";", "/", "#", "-", "_", "\t", "\x00", "\x1f", "\n", "=", "&"}
	for _, sep := range seps {
		var calls []string
		var mu sync.Mutex
		h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			mu.Lock()
			calls = append(calls, ev.OrderID+"/"+string(ev.Status))
			mu.Unlock()
			return nil
		}, inexopay.WithWebhookDedup(inexopay.NewMemoryDedupStore(0, 0)))
		a := outsideForm("ORD1"+sep+"success", "pending", "2024-05-01 10:00:00")
		b := outsideForm("ORD1", "success"+sep+"pending", "2024-05-01 10:00:00")
		wa := outsidePost(h, a)
		wb := outsidePost(h, b)
		if wa.Code != 200 || wb.Code != 200 {
			// a refused payload (400) is not a loss of a change the SDK accepted
			continue
		}
		if len(calls) != 2 {
			t.Errorf("FINDING: sep %q: two distinct changes, callback ran %d times: %v", sep, len(calls), calls)
		}
	}
}

// Same change, spelled differently by the sender: handled once.
func TestWebhookSameChangeSpellings(t *testing.T) {
	var n atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		n.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(nil))
	bodies := []string{
		"orderid=ORD9&status=success&datetime=2024-05-01+10%3A00%3A00",
		"order_id=ORD9&status=SUCCESS&datetime=2024-05-01%2010:00:00",
		"orderid=+ORD9+&status=+Success+&datetime=2024-05-01+10:00:00",
		"order%69d=ORD9&status=success&datetime=2024-05-01+10:00:00",
		"orderid=ORD9&orderid=ORD9&status=success&datetime=2024-05-01+10:00:00&callback_type=per_transaction",
	}
	for _, b := range bodies {
		w := outsidePost(h, b)
		if w.Code != 200 {
			t.Errorf("body %q: code %d", b, w.Code)
		}
	}
	if n.Load() != 1 {
		t.Errorf("callback ran %d times for one change", n.Load())
	}
}

type outsideFailStore struct {
	inner        *inexopay.MemoryDedupStore
	failClaim    atomic.Bool
	failComplete atomic.Bool
	completeCtx  chan error
}

func (s *outsideFailStore) Claim(ctx context.Context, k, h string, l time.Duration) (inexopay.ClaimResult, error) {
	if s.failClaim.Load() {
		return 0, errors.New("db down")
	}
	return s.inner.Claim(ctx, k, h, l)
}
func (s *outsideFailStore) Complete(ctx context.Context, k, h string) error {
	if s.completeCtx != nil {
		select {
		case s.completeCtx <- ctx.Err():
		default:
		}
	}
	if s.failComplete.Load() {
		return errors.New("db down")
	}
	return s.inner.Complete(ctx, k, h)
}
func (s *outsideFailStore) Release(ctx context.Context, k, h string) error {
	return s.inner.Release(ctx, k, h)
}

func TestWebhookStoreFailures(t *testing.T) {
	st := &outsideFailStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	var n atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		n.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(st), inexopay.WithWebhookLease(5*time.Second))
	body := outsideForm("ORDF", "success", "2024-05-01 10:00:00")
	st.failClaim.Store(true)
	w := outsidePost(h, body)
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("claim failure: code %d retry-after %q", w.Code, w.Header().Get("Retry-After"))
	}
	st.failClaim.Store(false)
	st.failComplete.Store(true)
	w = outsidePost(h, body)
	if w.Code != 200 || n.Load() != 1 {
		t.Fatalf("complete failure: code %d calls %d", w.Code, n.Load())
	}
	w = outsidePost(h, body)
	if w.Code != 503 || n.Load() != 1 {
		t.Fatalf("copy within lease after failed complete: code %d calls %d", w.Code, n.Load())
	}
}

// A panicking callback: 500, claim released, retry runs it again; a callback
// that fails: same.
func TestWebhookPanicReleases(t *testing.T) {
	var n atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		switch n.Add(1) {
		case 1:
			panic("boom")
		case 2:
			panic(http.ErrAbortHandler)
		case 3:
			return errors.New("fail")
		}
		return nil
	}, inexopay.WithWebhookDedup(nil))
	body := outsideForm("ORDP", "success", "2024-05-01 10:00:00")
	codes := []int{}
	for i := 0; i < 5; i++ {
		var code int
		func() {
			defer func() {
				if r := recover(); r != nil {
					code = -1
				}
			}()
			code = outsidePost(h, body).Code
		}()
		codes = append(codes, code)
	}
	want := []int{500, 500, 500, 200, 200}
	if fmt.Sprint(codes) != fmt.Sprint(want) && (codes[1] != -1 || codes[3] != 200) {
		t.Errorf("codes %v want %v", codes, want)
	}
	if n.Load() != 4 {
		t.Errorf("callback ran %d times, want 4", n.Load())
	}
}

// Concurrent copies: exactly one runs; the others get 503 + Retry-After or
// 200 after it is done, never a 2xx while the one is still running.
func TestWebhookConcurrentCopies(t *testing.T) {
	var n atomic.Int32
	release := make(chan struct{})
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		n.Add(1)
		<-release
		return nil
	}, inexopay.WithWebhookDedup(nil))
	body := outsideForm("ORDC", "success", "2024-05-01 10:00:00")
	var wg sync.WaitGroup
	codes := make([]int, 16)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w := outsidePost(h, body)
			codes[i] = w.Code
			if w.Code == 503 && w.Header().Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
		}(i)
	}
	time.Sleep(300 * time.Millisecond)
	close(release)
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 200 {
			ok++
		} else if c != 503 {
			t.Errorf("code %d", c)
		}
	}
	if n.Load() != 1 || ok != 1 {
		t.Errorf("callback ran %d, 200s %d (codes %v)", n.Load(), ok, codes)
	}
}

// A sender that hangs up mid-callback: Complete must be called with a live
// context and the change must be recorded.
func TestWebhookSenderHangsUpCompleteGetsLiveContext(t *testing.T) {
	st := &outsideFailStore{inner: inexopay.NewMemoryDedupStore(0, 0), completeCtx: make(chan error, 1)}
	var n atomic.Int32
	started := make(chan struct{}, 1)
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		n.Add(1)
		started <- struct{}{}
		time.Sleep(200 * time.Millisecond)
		return nil
	}, inexopay.WithWebhookDedup(st))
	body := outsideForm("ORDH", "success", "2024-05-01 10:00:00")
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body)).WithContext(ctx)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan struct{})
	go func() { h.ServeHTTP(httptest.NewRecorder(), r); close(done) }()
	<-started
	cancel()
	<-done
	select {
	case err := <-st.completeCtx:
		if err != nil {
			t.Errorf("Complete got a dead context: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Complete never called")
	}
	if w := outsidePost(h, body); w.Code != 200 || n.Load() != 1 {
		t.Errorf("copy after hang-up: code %d calls %d", w.Code, n.Load())
	}
}

// Lease: the callback's context ends with the lease.
func TestWebhookLeaseEndsContext(t *testing.T) {
	got := make(chan time.Duration, 1)
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		start := time.Now()
		select {
		case <-ctx.Done():
			got <- time.Since(start)
		case <-time.After(3 * time.Second):
			got <- -1
		}
		return ctx.Err()
	}, inexopay.WithWebhookDedup(nil), inexopay.WithWebhookLease(200*time.Millisecond))
	outsidePost(h, outsideForm("ORDL", "success", "2024-05-01 10:00:00"))
	if d := <-got; d < 0 || d > time.Second {
		t.Errorf("callback ctx did not end with the lease: %v", d)
	}
}

// Memory store: live claims are never dropped when the budget fills.
func TestMemoryStoreBudgetKeepsClaims(t *testing.T) {
	st := inexopay.NewMemoryDedupStore(0, 4096)
	ctx := context.Background()
	key := func(i int) string { return fmt.Sprintf("v1:%064x", i) }
	holder := func(i int) string { return fmt.Sprintf("%032x", i) }
	// one live claim
	if r, err := st.Claim(ctx, key(0), holder(0), time.Hour); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal(r, err)
	}
	full := false
	for i := 1; i < 500; i++ {
		r, err := st.Claim(ctx, key(i), holder(i), time.Hour)
		if errors.Is(err, inexopay.ErrDedupStoreFull) {
			full = true
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if r == inexopay.ClaimAcquired {
			_ = st.Complete(ctx, key(i), holder(i))
		}
	}
	_ = full
	if r, err := st.Claim(ctx, key(0), holder(99999), time.Hour); err == nil && r != inexopay.ClaimBusy {
		t.Errorf("FINDING: live claim dropped under budget pressure: %v", r)
	}
}

// Huge order ids and odd content types.
func TestWebhookOddInput(t *testing.T) {
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error { return nil }, inexopay.WithWebhookDedup(nil))
	if w := outsidePost(h, "orderid="+strings.Repeat("A", 300)+"&status=success"); w.Code != 400 {
		t.Errorf("huge order id: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader("orderid=A&status=success"))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 400 {
		t.Errorf("multipart whose body is not multipart: %d", w.Code)
	}
	if w := outsidePost(h, "orderid=A&status=success&status=failed"); w.Code != 400 {
		t.Errorf("repeated differing status: %d", w.Code)
	}
	if w := outsidePost(h, "orderid=A&order_id=B&status=success"); w.Code != 400 {
		t.Errorf("disagreeing ids: %d", w.Code)
	}
	if w := outsidePost(h, "orderid=A&status=success&st%61tus=failed"); w.Code != 400 {
		t.Errorf("percent-encoded repeated differing status: %d", w.Code)
	}
}

// ---- Webhook handler: odd stores and requests ----

type oOddStore struct {
	res inexopay.ClaimResult
	err error
}

func (s oOddStore) Claim(context.Context, string, string, time.Duration) (inexopay.ClaimResult, error) {
	return s.res, s.err
}
func (oOddStore) Complete(context.Context, string, string) error { return nil }
func (oOddStore) Release(context.Context, string, string) error  { return nil }

// A store that fails (an error, whatever result comes with it) or answers
// something that is not a ClaimResult: never 2xx, so the event is not lost.
func TestWebhookOddStoreAnswers(t *testing.T) {
	cases := []oOddStore{
		{inexopay.ClaimDone, errors.New("db")},
		{inexopay.ClaimAcquired, errors.New("db")},
		{inexopay.ClaimBusy, errors.New("db")},
		{0, nil},
		{99, nil},
		{-1, nil},
		{0, context.DeadlineExceeded},
	}
	for _, st := range cases {
		var n atomic.Int32
		h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			n.Add(1)
			return nil
		}, inexopay.WithWebhookDedup(st))
		w := outsidePost(h, outsideForm("ORDS", "success", "2024-05-01 10:00:00"))
		tag := fmt.Sprintf("res=%d err=%v", st.res, st.err)
		if w.Code/100 == 2 && n.Load() == 0 {
			t.Errorf("FINDING: %s: answered %d without running the callback (event lost)", tag, w.Code)
		}
		if st.err != nil && (w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "") {
			t.Errorf("%s: code %d, Retry-After %q", tag, w.Code, w.Header().Get("Retry-After"))
		}
	}
}

// The same instant spelled differently in datetime: at most one callback
// among the copies the handler accepts.
func TestWebhookDatetimeSpellings(t *testing.T) {
	var n atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		n.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(nil))
	var accepted []string
	for _, dt := range []string{"2024-05-01 10:00:00", "2024-05-01T10:00:00", "2024-05-01 10:00:00.000", "2024-05-01T04:30:00Z",
		"2024-05-01T10:00:00+05:30", "2024-05-01 10:00", "01-05-2024 10:00:00", " 2024-05-01 10:00:00 ", "2024-05-01  10:00:00"} {
		w := outsidePost(h, outsideForm("ORDT", "success", dt))
		if w.Code == 200 {
			accepted = append(accepted, dt)
		}
	}
	if int(n.Load()) != 1 {
		t.Errorf("FINDING: one change (same instant) ran the callback %d times; accepted spellings %q", n.Load(), accepted)
	}
}

// The webhook token: refused when wrong, repeated or absent.
func TestWebhookTokenVariants(t *testing.T) {
	h := inexopay.WebhookHandler(nil, inexopay.WithWebhookToken("s3cret"))
	for _, q := range []string{"", "?token=S3CRET", "?token=wrong&token=s3cret", "?Token=s3cret", "?token=s3cret%00", "?token=+s3cret"} {
		r := httptestRequest("/hook"+q, "orderid=A&status=success")
		w := doHandler(h, r)
		if w.Code == 200 {
			t.Errorf("token %q accepted", q)
		}
		if strings.Contains(w.Body.String(), "s3cret") {
			t.Errorf("token echoed")
		}
	}
	if w := doHandler(h, httptestRequest("/hook?token=s3cret", "orderid=A&status=success")); w.Code != 200 {
		t.Errorf("right token refused: %d", w.Code)
	}
}

func httptestRequest(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func doHandler(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Memory store: a stale holder's Release or Complete after another took the
// expired claim over: Release must not drop the new claim.
func TestMemoryStoreStaleHolder(t *testing.T) {
	st := inexopay.NewMemoryDedupStore(0, 0)
	ctx := context.Background()
	k := "v1:" + strings.Repeat("ab", 32)
	a, b, c := strings.Repeat("a", 32), strings.Repeat("b", 32), strings.Repeat("c", 32)
	if r, err := st.Claim(ctx, k, a, 50*time.Millisecond); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal(r, err)
	}
	time.Sleep(80 * time.Millisecond)
	if r, err := st.Claim(ctx, k, b, time.Minute); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal("takeover", r, err)
	}
	_ = st.Release(ctx, k, a)
	if r, err := st.Claim(ctx, k, c, time.Minute); err != nil || r != inexopay.ClaimBusy {
		t.Errorf("FINDING: stale release dropped the live claim: %v %v", r, err)
	}
	_ = st.Complete(ctx, k, a)
	if r, _ := st.Claim(ctx, k, c, time.Minute); r != inexopay.ClaimDone {
		t.Errorf("late complete by the stale holder: %v (documented: Complete succeeds after the lease)", r)
	}
}

// ---- Webhook handler: storms, slow stores, panics ----

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

// TestWebhookLeaseEndsCallbackContext: the callback's context ends
// when the lease does; a copy that arrives during the lease is answered
// 503 with Retry-After and does not run the callback.
func TestWebhookLeaseEndsCallbackContext(t *testing.T) {
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

// TestWebhookSenderHangsUpChangeRecordedDone: the sender hangs up while the callback
// runs; the callback then succeeds: the change must be recorded done, so
// the next copy is 200 without calling again.
func TestWebhookSenderHangsUpChangeRecordedDone(t *testing.T) {
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

// TestWebhookStoreHangs: a store whose Claim waits on its context
// (a lock wait on a stuck database). The handler must never answer 2xx
// nor call the callback; it should answer (503) in bounded time rather
// than hold the sender's connection for ever. Reported when it does not
// answer within 15 s.
func TestWebhookStoreHangs(t *testing.T) {
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

// TestMemoryStoreTakeoverThenComplete: A's lease ends, B takes the
// claim over, A's callback finishes late and completes, B's fails and
// releases: the change is done (A ran it) and B's release must not undo
// that; another holder's claim must survive a stale holder's release.
func TestMemoryStoreTakeoverThenComplete(t *testing.T) {
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

// TestMemoryStoreCompleteAfterEviction: A's claim expires and is
// evicted (the budget is full of newer records); A's callback then
// finishes and completes: Complete "succeeds even when holder's lease had
// ended", so the change must be done, not run again.
func TestMemoryStoreCompleteAfterEviction(t *testing.T) {
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

// TestMemoryStoreBudget: 1,000 distinct events through the handler
// with a 64 KiB memory store while one callback holds a live claim the
// whole time: the live claim is never dropped (its copy is 503), the most
// recent done changes are still answered 200 without the callback, and
// the store answers 503 (never 2xx) when claims alone fill it.
func TestMemoryStoreBudget(t *testing.T) {
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

func o2Form(ctx context.Context, f url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(f.Encode())).WithContext(ctx)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	return r
}

// TestWebhookKeys: keys are "v1:" + 64 hex and holders 32 hex, one
// per delivery; copies of one change that differ only in remark,
// callback_type, which of orderid/order_id is sent, white space or the
// status's case are one change; distinct changes whose fields would
// concatenate alike with a separator ("A|b","c" vs "A","b|c") are never
// one key (else the second is answered 200 unseen: an event lost).
func TestWebhookKeys(t *testing.T) {
	st := &oRecStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
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

// TestWebhookCompleteFails: Complete fails every time after the
// callback succeeded: 200, Complete tried 3 times (two quick retries),
// the claim kept (copy → 503 with Retry-After).
func TestWebhookCompleteFails(t *testing.T) {
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

// TestWebhookHangUpContextStore: the sender hangs up during the
// callback; the store honours its context (as database/sql does). "Store
// calls do not end with the request": Complete must still record the
// change, so a copy after the lease is 200 without a second call.
func TestWebhookHangUpContextStore(t *testing.T) {
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

// TestWebhookLeaseCountsFromClaimReturn
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
func TestWebhookLeaseCountsFromClaimReturn(t *testing.T) {
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

// TestMemoryStoreDefaultBudget: the default store holds "about
// 250,000 changes" in 64 MiB: after 250,000 done changes the first one is
// still remembered, and the heap the store really uses stays near its
// budget.
func TestMemoryStoreDefaultBudget(t *testing.T) {
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

// TestWebhookLogsKeepSecrets: refused webhooks (a token one
// character off, the token twice, the token in the form or a header
// instead of the query, a body over the limit quoting it), a callback
// panic whose value holds the token and the Aadhaar number: the
// WithWebhookLogger output (text and JSON) and the answers never hold the
// token, the body or the panic value.
func TestWebhookLogsKeepSecrets(t *testing.T) {
	const token = "whsec_Zk3pQ9vX7mL2rT8w"
	var jb, tb secrettest.LogBuffer
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

// TestWebhookSenderStorm: 100 senders deliver copies of 5 changes
// at once and retry until they get a 2xx; the callback fails a third of
// the time and panics sometimes. Each change succeeds in the callback
// exactly once, never runs twice at the same time, and no copy gets a
// 2xx before its change succeeded.
func TestWebhookSenderStorm(t *testing.T) {
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

// ---- The README's webhook handler ----

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
	src, err := os.ReadFile("webhook_handler_external_test.go")
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
