package sqldedup_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
)

func o2DB(t *testing.T) *sql.DB {
	db := testDB(t) // skips outside CI without a server, fails in CI
	db.SetMaxIdleConns(10)
	return db
}

func o2Table(t *testing.T) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "o2_" + hex.EncodeToString(b)
}

func o2Key() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "v1:" + hex.EncodeToString(b)
}

func o2Store(t *testing.T, db *sql.DB, table string, opts ...sqldedup.Option) *sqldedup.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := sqldedup.New(ctx, db, append([]sqldedup.Option{sqldedup.WithTable(table)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestOutside2SQLCompleteAfterCleanup: A's claim expires and Cleanup
// deletes it before A's callback finishes; A then completes. Complete
// "succeeds even when holder's lease had ended" and "marks key done": the
// next copy must be ClaimDone, not run the callback again.
func TestOutside2SQLCompleteAfterCleanup(t *testing.T) {
	ctx := context.Background()
	db := o2DB(t)
	s := o2Store(t, db, o2Table(t))
	key := o2Key()
	if r, err := s.Claim(ctx, key, "holderA", 5*time.Millisecond); r != inexopay.ClaimAcquired {
		t.Fatalf("A: %v %v", r, err)
	}
	time.Sleep(50 * time.Millisecond)
	if n, err := s.Cleanup(ctx); err != nil || n < 1 {
		t.Fatalf("cleanup: %d %v", n, err)
	}
	if err := s.Complete(ctx, key, "holderA"); err != nil {
		t.Fatalf("complete: %v", err)
	}
	if r, err := s.Claim(ctx, key, "holderB", time.Minute); r != inexopay.ClaimDone {
		t.Errorf("after A completed (its expired claim cleaned up), B got %v %v, want ClaimDone", r, err)
	}
}

// TestOutside2SQLTakeoverStaleHolder: after a takeover, the stale holder's
// Release must not drop the new holder's claim, its Complete marks the key
// done, and the new holder's Release must not undo that.
func TestOutside2SQLTakeoverStaleHolder(t *testing.T) {
	ctx := context.Background()
	db := o2DB(t)
	s := o2Store(t, db, o2Table(t))
	key := o2Key()
	if r, err := s.Claim(ctx, key, "A", 20*time.Millisecond); r != inexopay.ClaimAcquired {
		t.Fatalf("A: %v %v", r, err)
	}
	time.Sleep(60 * time.Millisecond)
	if r, err := s.Claim(ctx, key, "B", time.Minute); r != inexopay.ClaimAcquired {
		t.Fatalf("B: %v %v", r, err)
	}
	if r, err := s.Claim(ctx, key, "A", time.Minute); r != inexopay.ClaimBusy {
		t.Errorf("stale A re-claiming B's key: %v %v, want ClaimBusy", r, err)
	}
	if err := s.Release(ctx, key, "A"); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Claim(ctx, key, "C", time.Minute); r != inexopay.ClaimBusy {
		t.Errorf("after A's stale release, C got %v, want ClaimBusy", r)
	}
	if err := s.Complete(ctx, key, "A"); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(ctx, key, "B"); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Claim(ctx, key, "D", time.Minute); r != inexopay.ClaimDone {
		t.Errorf("after A completed and B released, D got %v, want ClaimDone", r)
	}
}

// TestOutside2SQLStampede: 8 replicas (each its own *sql.DB and Store, one
// with cleanup at every claim) and 64 goroutines claim one key at once,
// repeated for 30 keys: exactly one acquires each.
func TestOutside2SQLStampede(t *testing.T) {
	table := o2Table(t)
	var stores []*sqldedup.Store
	for i := range 8 {
		var opts []sqldedup.Option
		if i%2 == 0 {
			opts = append(opts, sqldedup.WithCleanup(0, 5))
		}
		stores = append(stores, o2Store(t, o2DB(t), table, opts...))
	}
	for k := range 30 {
		key := o2Key()
		var acquired atomic.Int32
		var errs atomic.Int32
		var wg sync.WaitGroup
		for g := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				r, err := stores[g%8].Claim(ctx, key, fmt.Sprintf("h%02d%02d", k, g), time.Minute)
				if err != nil {
					errs.Add(1)
					return
				}
				if r == inexopay.ClaimAcquired {
					acquired.Add(1)
				}
			}()
		}
		wg.Wait()
		if acquired.Load() != 1 || errs.Load() != 0 {
			t.Fatalf("key %d: %d acquired, %d errors; want exactly 1 and 0", k, acquired.Load(), errs.Load())
		}
	}
}

func o2Hook(orderID string) *http.Request {
	f := url.Values{}
	f.Set("orderid", orderID)
	f.Set("order_id", orderID)
	f.Set("status", "SUCCESS")
	f.Set("remark", "ok")
	f.Set("datetime", "2026-11-25 12:00:00")
	f.Set("callback_type", "global_webhook")
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(f.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	return r
}

func o2Send(h http.Handler, orderID string) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, o2Hook(orderID))
	return w.Code
}

func o2TerminateAll(t *testing.T, admin *sql.DB, appName string) int {
	t.Helper()
	var n int
	err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, appName).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func o2DBNamed(t *testing.T, app string) *sql.DB {
	t.Helper()
	dsn := testDSN(t) // skips outside CI without a server, fails in CI
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := sql.Open("pgx", dsn+sep+"application_name="+app)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(10)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestOutside2SQLConnectionsKilledMidCallback: replica 1's database
// connections are all terminated (pg_terminate_backend) while its callback
// runs; the callback then succeeds. The change must end up done (Complete
// is retried on a fresh connection), so copies on replica 2 are answered
// 200 without running the callback again.
func TestOutside2SQLConnectionsKilledMidCallback(t *testing.T) {
	table := o2Table(t)
	admin := o2DB(t)
	db1 := o2DBNamed(t, "o2replica1")
	db2 := o2DBNamed(t, "o2replica2")
	s1 := o2Store(t, db1, table)
	s2 := o2Store(t, db2, table)
	var calls atomic.Int32
	inCallback := make(chan struct{})
	proceed := make(chan struct{})
	fn := func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		if calls.Add(1) == 1 {
			close(inCallback)
			<-proceed
		}
		return nil
	}
	h1 := inexopay.WebhookHandler(fn, inexopay.WithWebhookDedup(s1), inexopay.WithWebhookLease(3*time.Second))
	h2 := inexopay.WebhookHandler(fn, inexopay.WithWebhookDedup(s2), inexopay.WithWebhookLease(3*time.Second))
	res := make(chan int, 1)
	go func() { res <- o2Send(h1, "ORD-KILL-1") }()
	<-inCallback
	if c := o2Send(h2, "ORD-KILL-1"); c != 503 {
		t.Errorf("copy on replica 2 during the callback: %d, want 503", c)
	}
	if n := o2TerminateAll(t, admin, "o2replica1"); n == 0 {
		t.Log("no replica-1 backend to terminate (idle pool empty?)")
	}
	close(proceed)
	if c := <-res; c != 200 {
		t.Errorf("replica 1 answered %d", c)
	}
	time.Sleep(3500 * time.Millisecond) // past the lease: a kept claim would be taken over now
	if c := o2Send(h2, "ORD-KILL-1"); c != 200 || calls.Load() != 1 {
		t.Errorf("copy after the lease on replica 2: %d, callback ran %d times (want 200, 1): the change was not recorded done", c, calls.Load())
	}
}

// TestOutside2SQLReplicaDiesMidCallback: replica 1 claims and dies
// mid-callback (its claim is left behind); replica 2's copies are 503
// until the lease ends, then one runs the callback, and later copies are
// 200 without it.
func TestOutside2SQLReplicaDiesMidCallback(t *testing.T) {
	table := o2Table(t)
	db1 := o2DBNamed(t, "o2dead1")
	s1 := o2Store(t, db1, table)
	s2 := o2Store(t, o2DB(t), table)
	var calls1, calls2 atomic.Int32
	const lease = 1500 * time.Millisecond
	stuck := make(chan struct{})
	h1 := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		calls1.Add(1)
		<-stuck // "dies": never returns until the test ends
		return fmt.Errorf("dead")
	}, inexopay.WithWebhookDedup(s1), inexopay.WithWebhookLease(lease))
	h2 := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		calls2.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(s2), inexopay.WithWebhookLease(lease))
	dead := make(chan int, 1)
	go func() { dead <- o2Send(h1, "ORD-DEAD-1") }()
	for calls1.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	_ = db1.Close() // the process is gone: its database connections too
	t0 := time.Now()
	if c := o2Send(h2, "ORD-DEAD-1"); c != 503 {
		t.Errorf("copy during the dead claim: %d, want 503", c)
	}
	deadline := time.Now().Add(10 * time.Second)
	got := 0
	for time.Now().Before(deadline) {
		got = o2Send(h2, "ORD-DEAD-1")
		if got == 200 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != 200 || calls2.Load() != 1 {
		t.Errorf("after the lease: %d, replica-2 calls %d (want 200, 1)", got, calls2.Load())
	}
	if el := time.Since(t0); el < lease/2 {
		t.Errorf("replica 2 ran the change %v after replica 1 claimed it, before the lease %v", el, lease)
	}
	if c := o2Send(h2, "ORD-DEAD-1"); c != 200 || calls2.Load() != 1 {
		t.Errorf("copy after done: %d, calls %d", c, calls2.Load())
	}
	close(stuck)
	<-dead
}

// TestOutside2SQLClaimKilledWhileWaiting: a Claim blocked behind another
// transaction's row lock has its connection terminated: it fails (the
// handler answers 503, never 2xx, no callback); once the lock is gone the
// next copy runs the callback once.
func TestOutside2SQLClaimKilledWhileWaiting(t *testing.T) {
	table := o2Table(t)
	admin := o2DB(t)
	db1 := o2DBNamed(t, "o2waiter")
	s1 := o2Store(t, db1, table)
	s2 := o2Store(t, o2DB(t), table)
	var calls atomic.Int32
	fn := func(ctx context.Context, ev *inexopay.WebhookEvent) error { calls.Add(1); return nil }
	h1 := inexopay.WebhookHandler(fn, inexopay.WithWebhookDedup(s1))
	h2 := inexopay.WebhookHandler(fn, inexopay.WithWebhookDedup(s2))
	// Seed the key's row with a claim of replica 2 that we then lock:
	// find the key by claiming through the handler and failing.
	ctx := context.Background()
	tx, err := admin.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`LOCK TABLE %s IN ACCESS EXCLUSIVE MODE`, table)); err != nil {
		t.Fatal(err)
	}
	res := make(chan int, 1)
	go func() { res <- o2Send(h1, "ORD-WAIT-1") }()
	time.Sleep(300 * time.Millisecond)
	if n := o2TerminateAll(t, admin, "o2waiter"); n == 0 {
		t.Log("no waiting backend found")
	}
	c := <-res
	if c/100 == 2 || calls.Load() != 0 {
		t.Errorf("killed claim: %d, calls %d; want non-2xx, none", c, calls.Load())
	}
	_ = tx.Rollback()
	if c := o2Send(h2, "ORD-WAIT-1"); c != 200 || calls.Load() != 1 {
		t.Errorf("copy after the lock: %d, calls %d (want 200, 1)", c, calls.Load())
	}
}

// o2SlowAnswer delays the answer of Claim after the database has taken
// the claim: the round trip back from a far database.
type o2SlowAnswer struct {
	*sqldedup.Store
	delay   time.Duration
	started atomic.Int64
}

func (s *o2SlowAnswer) Claim(ctx context.Context, key, holder string, lease time.Duration) (inexopay.ClaimResult, error) {
	s.started.Store(time.Now().UnixNano())
	r, err := s.Store.Claim(ctx, key, holder, lease)
	time.Sleep(s.delay)
	return r, err
}

// TestOutside2SQLLeaseCountsFromClaimReturn
// Was a finding of the outside review, now fixed: "Your function's context ends when the lease does" / "the
// callback's context ends with the lease, to tell it to stop" (Running
// several replicas). With sqldedup the lease starts at the database's
// now() when the claim statement runs, but the handler starts the
// callback's deadline only when Claim returns. When the answer comes back
// late (400 ms here), replica 2 takes the claim over (PostgreSQL says the
// lease has ended) and runs the change while replica 1's callback, which
// honours its context, is still live: the change is handled twice at once.
func TestOutside2SQLLeaseCountsFromClaimReturn(t *testing.T) {
	table := o2Table(t)
	s1 := &o2SlowAnswer{Store: o2Store(t, o2DB(t), table), delay: 400 * time.Millisecond}
	s2 := o2Store(t, o2DB(t), table)
	const lease = time.Second
	var c1Live, overlap atomic.Bool
	started := make(chan struct{})
	h1 := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		c1Live.Store(true)
		close(started)
		<-ctx.Done()
		c1Live.Store(false)
		return ctx.Err()
	}, inexopay.WithWebhookDedup(s1), inexopay.WithWebhookLease(lease))
	h2 := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		if c1Live.Load() {
			overlap.Store(true)
		}
		return nil
	}, inexopay.WithWebhookDedup(s2), inexopay.WithWebhookLease(lease))
	done := make(chan int, 1)
	go func() { done <- o2Send(h1, "ORD-LEASE-1") }()
	<-started
	time.Sleep(time.Until(time.Unix(0, s1.started.Load()).Add(lease + 150*time.Millisecond)))
	c2 := o2Send(h2, "ORD-LEASE-1")
	<-done
	t.Logf("replica 2 answered %d", c2)
	if overlap.Load() {
		t.Errorf("replica 2 ran the change while replica 1's callback still had a live context (its lease had ended in PostgreSQL)")
	}
}
