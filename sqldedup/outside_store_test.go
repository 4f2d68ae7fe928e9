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

func oDB(t *testing.T) *sql.DB {
	db := testDB(t) // skips outside CI without a server, fails in CI
	db.SetMaxIdleConns(10)
	return db
}

func oRand(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func oKey() string    { return "v1:" + oRand(32) }
func oHolder() string { return oRand(16) }

func oStore(t *testing.T, db *sql.DB, table string, opts ...sqldedup.Option) *sqldedup.Store {
	st, err := sqldedup.New(context.Background(), db, append([]sqldedup.Option{sqldedup.WithTable(table)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Many replicas (separate *sql.DB pools) claim one key at once: one wins.
func TestOutsideSQLConcurrentClaimsOneWinner(t *testing.T) {
	table := "outside_" + oRand(4)
	var stores []*sqldedup.Store
	for i := 0; i < 4; i++ {
		stores = append(stores, oStore(t, oDB(t), table))
	}
	for round := 0; round < 10; round++ {
		key := oKey()
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r, err := stores[i%4].Claim(context.Background(), key, oHolder(), time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if r == inexopay.ClaimAcquired {
					won.Add(1)
				}
			}(i)
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("FINDING: round %d: %d holders acquired one key", round, won.Load())
		}
	}
}

// Release by another holder, or of a done key, changes nothing; an expired
// claim is taken over; Complete after the takeover keeps the key done.
func TestOutsideSQLClaimSemantics(t *testing.T) {
	st := oStore(t, oDB(t), "outside_"+oRand(4))
	ctx := context.Background()
	k, a, b := oKey(), oHolder(), oHolder()
	must := func(r inexopay.ClaimResult, err error, want inexopay.ClaimResult, what string) {
		t.Helper()
		if err != nil || r != want {
			t.Fatalf("%s: %v %v, want %v", what, r, err, want)
		}
	}
	r, err := st.Claim(ctx, k, a, 300*time.Millisecond)
	must(r, err, inexopay.ClaimAcquired, "a claims")
	_ = st.Release(ctx, k, b)
	r, err = st.Claim(ctx, k, b, time.Minute)
	must(r, err, inexopay.ClaimBusy, "b after foreign release")
	time.Sleep(400 * time.Millisecond)
	r, err = st.Claim(ctx, k, b, time.Minute)
	must(r, err, inexopay.ClaimAcquired, "b takes over expired")
	// a (whose lease ended) releases: must not drop b's claim
	_ = st.Release(ctx, k, a)
	r, err = st.Claim(ctx, k, oHolder(), time.Minute)
	must(r, err, inexopay.ClaimBusy, "third after stale release")
	if err := st.Complete(ctx, k, b); err != nil {
		t.Fatal(err)
	}
	_ = st.Release(ctx, k, b)
	r, err = st.Claim(ctx, k, oHolder(), time.Minute)
	must(r, err, inexopay.ClaimDone, "after complete+release")
	// old holder completing late keeps done
	if err := st.Complete(ctx, k, a); err != nil {
		t.Errorf("late complete: %v", err)
	}
	r, err = st.Claim(ctx, k, oHolder(), time.Minute)
	must(r, err, inexopay.ClaimDone, "after late complete")
}

// Cleanup at every claim (interval 0, batch 1) never removes a live claim or
// a done record within retention.
func TestOutsideSQLCleanupKeepsLive(t *testing.T) {
	st := oStore(t, oDB(t), "outside_"+oRand(4), sqldedup.WithCleanup(0, 1))
	ctx := context.Background()
	live, done := oKey(), oKey()
	h := oHolder()
	if r, err := st.Claim(ctx, live, h, time.Hour); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal(r, err)
	}
	if r, err := st.Claim(ctx, done, h, time.Hour); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal(r, err)
	}
	if err := st.Complete(ctx, done, h); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		k := oKey()
		_, _ = st.Claim(ctx, k, oHolder(), time.Microsecond)
	}
	time.Sleep(50 * time.Millisecond)
	for i := 0; i < 10; i++ {
		_, _ = st.Claim(ctx, oKey(), oHolder(), time.Microsecond)
	}
	if r, err := st.Claim(ctx, live, oHolder(), time.Hour); err != nil || r != inexopay.ClaimBusy {
		t.Errorf("FINDING: live claim lost to cleanup: %v %v", r, err)
	}
	if r, err := st.Claim(ctx, done, oHolder(), time.Hour); err != nil || r != inexopay.ClaimDone {
		t.Errorf("FINDING: done record lost to cleanup: %v %v", r, err)
	}
}

// Table names that need quoting are refused; keys that are not printable
// ASCII are refused.
func TestOutsideSQLInputValidation(t *testing.T) {
	db := oDB(t)
	for _, name := range []string{`x"; drop table y; --`, "Upper", "a b", "1abc", strings.Repeat("a", 49), "pg_catalog.pg_class", "a.b.c", ""} {
		if _, err := sqldedup.New(context.Background(), db, sqldedup.WithTable(name)); err == nil {
			t.Errorf("table %q accepted", name)
		}
	}
	st := oStore(t, db, "outside_"+oRand(4))
	for _, k := range []string{"", "v1:é", "v1:\x00", strings.Repeat("a", 256), "v1:a\nb"} {
		if _, err := st.Claim(context.Background(), k, oHolder(), time.Minute); err == nil {
			t.Errorf("key %q accepted", k)
		}
	}
}

func oForm(order string) string {
	v := url.Values{}
	v.Set("orderid", order)
	v.Set("status", "success")
	v.Set("datetime", "2024-05-01 10:00:00")
	return v.Encode()
}

// Replicas behind a load balancer, copies spread across them, one callback.
func TestOutsideSQLReplicasOneCallback(t *testing.T) {
	table := "outside_" + oRand(4)
	var n atomic.Int32
	var handlers []http.Handler
	for i := 0; i < 3; i++ {
		st := oStore(t, oDB(t), table)
		handlers = append(handlers, inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			n.Add(1)
			time.Sleep(100 * time.Millisecond)
			return nil
		}, inexopay.WithWebhookDedup(st), inexopay.WithWebhookLease(time.Minute)))
	}
	body := oForm("ORDR" + oRand(3))
	var wg sync.WaitGroup
	codes := make([]int, 24)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			handlers[i%3].ServeHTTP(w, r)
			codes[i] = w.Code
		}(i)
	}
	wg.Wait()
	if n.Load() != 1 {
		t.Errorf("FINDING: callback ran %d times across replicas (codes %v)", n.Load(), codes)
	}
	for _, c := range codes {
		if c != 200 && c != 503 {
			t.Errorf("code %d", c)
		}
	}
}

// A replica dies mid-callback (its callback never returns before the lease):
// copies are 503 until the lease ends, then another replica runs it.
func TestOutsideSQLReplicaDiesMidCallback(t *testing.T) {
	table := "outside_" + oRand(4)
	var ranB atomic.Int32
	stuck := make(chan struct{})
	entered := make(chan struct{}, 1)
	hA := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		entered <- struct{}{}
		<-stuck // "dead": never finishes until the test ends
		return fmt.Errorf("dead")
	}, inexopay.WithWebhookDedup(oStore(t, oDB(t), table)), inexopay.WithWebhookLease(500*time.Millisecond))
	hB := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		ranB.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(oStore(t, oDB(t), table)), inexopay.WithWebhookLease(500*time.Millisecond))
	body := oForm("ORDD" + oRand(3))
	post := func(h http.Handler) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	done := make(chan struct{})
	go func() { post(hA); close(done) }()
	<-entered
	if w := post(hB); w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Errorf("copy during claim: %d %q", w.Code, w.Header().Get("Retry-After"))
	}
	time.Sleep(700 * time.Millisecond)
	if w := post(hB); w.Code != 200 || ranB.Load() != 1 {
		t.Errorf("copy after lease: %d, ran %d", w.Code, ranB.Load())
	}
	close(stuck)
	<-done
	if w := post(hB); w.Code != 200 || ranB.Load() != 1 {
		t.Errorf("copy after done: %d, ran %d", w.Code, ranB.Load())
	}
}
