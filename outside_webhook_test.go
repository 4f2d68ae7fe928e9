package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

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
func TestOutsideWebhookKeyNoCollisionAcrossFields(t *testing.T) {
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
func TestOutsideWebhookSameChangeSpellings(t *testing.T) {
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

func TestOutsideWebhookStoreFailures(t *testing.T) {
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
func TestOutsideWebhookPanicReleases(t *testing.T) {
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
func TestOutsideWebhookConcurrentCopies(t *testing.T) {
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
func TestOutsideWebhookSenderHangsUp(t *testing.T) {
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
func TestOutsideWebhookLeaseEndsContext(t *testing.T) {
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
func TestOutsideMemoryStoreBudgetKeepsClaims(t *testing.T) {
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
func TestOutsideWebhookOddInput(t *testing.T) {
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error { return nil }, inexopay.WithWebhookDedup(nil))
	if w := outsidePost(h, "orderid="+strings.Repeat("A", 300)+"&status=success"); w.Code != 400 {
		t.Errorf("huge order id: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader("orderid=A&status=success"))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 415 {
		t.Errorf("multipart: %d", w.Code)
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
