package sqldedup_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/dedupcheck"
	"github.com/inexopay/inexopay-go/sqldedup"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const lease = time.Minute

func claim(t *testing.T, s *sqldedup.Store, key, holder string, lease time.Duration) inexopay.ClaimResult {
	t.Helper()
	res, err := s.Claim(testCtx(t), key, holder, lease)
	require.NoError(t, err)
	return res
}

func TestClaimCompleteRelease(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	const key = "evt-1"

	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, key, "a", lease), "first claim")
	assert.Equal(t, inexopay.ClaimBusy, claim(t, s, key, "b", lease), "another holder while a's lease runs")
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, key, "a", lease), "the holder claims again: lease extended")
	rec, ok := readRecord(t, db, table, key)
	require.True(t, ok)
	assert.Equal(t, "a", rec.holder)
	assert.False(t, rec.done)
	assert.InDelta(t, lease.Seconds(), rec.ttl.Seconds(), 5, "lease measured from the database's now()")

	require.NoError(t, s.Release(ctx, key, "a"))
	_, ok = readRecord(t, db, table, key)
	assert.False(t, ok, "release drops the holder's claim")
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, key, "b", lease), "a retry claims a released key at once")

	require.NoError(t, s.Complete(ctx, key, "b"))
	rec, ok = readRecord(t, db, table, key)
	require.True(t, ok)
	assert.True(t, rec.done)
	assert.InDelta(t, (24 * time.Hour).Seconds(), rec.ttl.Seconds(), 5, "done kept for the default retention")
	for _, h := range []string{"a", "b", "c"} {
		assert.Equal(t, inexopay.ClaimDone, claim(t, s, key, h, lease), "claim of a done key by %s", h)
	}

	// Completing again (a late holder whose callback also ran) keeps it done.
	require.NoError(t, s.Complete(ctx, key, "a"))
	assert.Equal(t, inexopay.ClaimDone, claim(t, s, key, "c", lease))

	// Release and Complete of a key nobody claimed.
	require.NoError(t, s.Release(ctx, "never-claimed", "x"))
	require.NoError(t, s.Complete(ctx, "completed-unclaimed", "x"))
	assert.Equal(t, inexopay.ClaimDone, claim(t, s, "completed-unclaimed", "y", lease))
}

func TestReleaseNeverDropsDoneOrOthersClaim(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)

	// Another holder's live claim survives every release but its own.
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k1", "owner", lease))
	for _, h := range []string{"intruder", "OWNER", "owner ", "own"} {
		require.NoError(t, s.Release(ctx, "k1", h))
		rec, ok := readRecord(t, db, table, "k1")
		require.True(t, ok, "released by %q", h)
		assert.Equal(t, "owner", rec.holder)
	}
	assert.Equal(t, inexopay.ClaimBusy, claim(t, s, "k1", "other", lease))

	// A done key survives every release, its completer's included.
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k2", "owner", lease))
	require.NoError(t, s.Complete(ctx, "k2", "owner"))
	for _, h := range []string{"owner", "intruder"} {
		require.NoError(t, s.Release(ctx, "k2", h))
		rec, ok := readRecord(t, db, table, "k2")
		require.True(t, ok, "released by %q", h)
		assert.True(t, rec.done)
	}
	assert.Equal(t, inexopay.ClaimDone, claim(t, s, "k2", "other", lease))
}

func TestLeaseExpiryTakeover(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	const short = 300 * time.Millisecond

	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "dead", short))
	assert.Equal(t, inexopay.ClaimBusy, claim(t, s, "k", "b", lease), "within the lease")
	time.Sleep(short + 100*time.Millisecond)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "b", lease), "an expired claim is taken over")
	assert.Equal(t, inexopay.ClaimBusy, claim(t, s, "k", "dead", short), "the old holder lost it")

	// The old holder wakes up: its release must not drop b's claim.
	require.NoError(t, s.Release(ctx, "k", "dead"))
	rec, ok := readRecord(t, db, table, "k")
	require.True(t, ok)
	assert.Equal(t, "b", rec.holder)

	// Its callback did run, though: completing marks the key done, and b's
	// later release (b's callback failed) does not undo that.
	require.NoError(t, s.Complete(ctx, "k", "dead"))
	require.NoError(t, s.Release(ctx, "k", "b"))
	assert.Equal(t, inexopay.ClaimDone, claim(t, s, "k", "c", lease))
}

// TestLeaseUsesDatabaseClock checks that expiry is judged by the server's
// now(), not the process clock: a claim written with expires_at a minute in
// the database's past (as a replica with a slow clock would see it as live)
// is taken over, and one a minute in the future is not.
func TestLeaseUsesDatabaseClock(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	_, err := db.ExecContext(ctx, `INSERT INTO "`+table+`" (key, holder, done, expires_at) VALUES
		('past', 'x', false, now() - interval '1 minute'),
		('future', 'x', false, now() + interval '1 minute')`)
	require.NoError(t, err)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, "past", "y", lease))
	assert.Equal(t, inexopay.ClaimBusy, claim(t, s, "future", "y", lease))
}

func TestRetentionEndsDone(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db, sqldedup.WithRetention(time.Second))
	ctx := testCtx(t)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "a", lease))
	require.NoError(t, s.Complete(ctx, "k", "a"))
	rec, ok := readRecord(t, db, table, "k")
	require.True(t, ok)
	assert.InDelta(t, 1.0, rec.ttl.Seconds(), 0.5)
	assert.Equal(t, inexopay.ClaimDone, claim(t, s, "k", "b", lease))
	time.Sleep(1200 * time.Millisecond)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "b", lease), "a done key older than the retention is forgotten")
	rec, ok = readRecord(t, db, table, "k")
	require.True(t, ok)
	assert.False(t, rec.done)
	assert.Equal(t, "b", rec.holder)
}

func TestCleanup(t *testing.T) {
	db := testDB(t)
	// An hour between automatic cleanups: only the explicit calls and the
	// first claim clean here.
	s, table := newStore(t, db, sqldedup.WithRetention(time.Second), sqldedup.WithCleanup(time.Hour, 3))
	ctx := testCtx(t)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "first", "a", lease)) // runs the first cleanup
	for i := range 4 {
		require.Equal(t, inexopay.ClaimAcquired, claim(t, s, fmt.Sprintf("expired-claim-%d", i), "a", time.Millisecond))
		require.NoError(t, s.Complete(ctx, fmt.Sprintf("old-done-%d", i), "a"))
	}
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "live-claim", "a", lease))
	require.Equal(t, 10, countRows(t, db, table))
	time.Sleep(1200 * time.Millisecond)
	s2, err := sqldedup.New(ctx, db, sqldedup.WithTable(table), sqldedup.WithCleanup(time.Hour, 3)) // the default retention
	require.NoError(t, err)
	require.NoError(t, s2.Complete(ctx, "live-done", "a"))

	var total int64
	for _, want := range []int64{3, 3, 2, 0} {
		n, err := s.Cleanup(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, n, "one bounded batch at a time")
		total += n
	}
	assert.Equal(t, int64(8), total)
	for _, k := range []string{"first", "live-claim", "live-done"} {
		_, ok := readRecord(t, db, table, k)
		assert.True(t, ok, "%s kept", k)
	}
	assert.Equal(t, 3, countRows(t, db, table))
}

func TestCleanupRunsWithinClaim(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db, sqldedup.WithCleanup(time.Hour, 2))
	ctx := testCtx(t)
	_, err := db.ExecContext(ctx, `INSERT INTO "`+table+`" (key, holder, done, expires_at)
		SELECT 'old-' || g, 'x', g % 2 = 0, now() - interval '1 second' FROM generate_series(1, 5) g`)
	require.NoError(t, err)

	// The first claim cleans one batch, and since it came back full so does
	// the next, until a batch is not full; then an hour must pass.
	want := []int{4, 3, 3, 4, 5} // 5 old rows: -2, -2, -1, then none until an hour has passed
	for i, w := range want {
		require.Equal(t, inexopay.ClaimAcquired, claim(t, s, fmt.Sprintf("new-%d", i), "a", lease))
		assert.Equal(t, w, countRows(t, db, table), "rows after claim %d", i)
	}

	// With an interval of 0 every claim cleans.
	s0, err := sqldedup.New(ctx, db, sqldedup.WithTable(table), sqldedup.WithCleanup(0, 100))
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `UPDATE "`+table+`" SET expires_at = now() - interval '1 second' WHERE key LIKE 'new-%'`)
	require.NoError(t, err)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s0, "last", "a", lease))
	assert.Equal(t, 1, countRows(t, db, table))
}

// TestConcurrentClaimsOneWinner races 48 holders, spread over three pools
// (three processes' worth of connections), for each of 20 keys: the
// database lets exactly one win each.
func TestConcurrentClaimsOneWinner(t *testing.T) {
	dbs := []*sql.DB{testDB(t), testDB(t), testDB(t)}
	table := newTable(t, dbs[0])
	stores := make([]*sqldedup.Store, len(dbs))
	for i, db := range dbs {
		db.SetMaxOpenConns(16)
		var err error
		stores[i], err = sqldedup.New(testCtx(t), db, sqldedup.WithTable(table))
		require.NoError(t, err)
	}
	ctx := testCtx(t)
	for k := range 20 {
		key := fmt.Sprintf("race-%d", k)
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			count = map[inexopay.ClaimResult]int{}
			start = make(chan struct{})
		)
		for g := range 48 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, err := stores[g%3].Claim(ctx, key, fmt.Sprintf("h%d", g), lease)
				assert.NoError(t, err)
				mu.Lock()
				count[res]++
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		require.Equal(t, map[inexopay.ClaimResult]int{inexopay.ClaimAcquired: 1, inexopay.ClaimBusy: 47}, count, key)
	}
}

func TestInvalidArguments(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	bad := []string{"", "a\x00b", "tab\there", "line\n", "ключ", strings.Repeat("k", sqldedup.MaxKeyBytes+1)}
	for _, b := range bad {
		_, err := s.Claim(ctx, b, "h", lease)
		assert.Error(t, err, "key %q", b)
		_, err = s.Claim(ctx, "k", b, lease)
		assert.Error(t, err, "holder %q", b)
		assert.Error(t, s.Complete(ctx, b, "h"), "key %q", b)
		assert.Error(t, s.Release(ctx, "k", b), "holder %q", b)
	}
	for _, l := range []time.Duration{0, -time.Second, time.Nanosecond} {
		_, err := s.Claim(ctx, "k", "h", l)
		assert.Error(t, err, "lease %v", l)
	}
	assert.Equal(t, 0, countRows(t, db, table))
	longest := strings.Repeat("~", sqldedup.MaxKeyBytes)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, longest, longest, lease))
	// Keys travel as parameters, never in the statement's text.
	const sly = `x'); DROP TABLE "` + sqldedup.DefaultTable + `"; --`
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, sly, "h", lease))
	assert.Equal(t, inexopay.ClaimBusy, claim(t, s, sly, "h2", lease))
	assert.Equal(t, 2, countRows(t, db, table))
}

func TestDatabaseErrorsReported(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	_, err := db.ExecContext(ctx, `DROP TABLE "`+table+`"`)
	require.NoError(t, err)
	_, err = s.Claim(ctx, "k", "h", lease)
	assert.ErrorContains(t, err, "sqldedup: claim")
	assert.ErrorContains(t, s.Complete(ctx, "k", "h"), "sqldedup: complete")
	assert.ErrorContains(t, s.Release(ctx, "k", "h"), "sqldedup: release")
	_, err = s.Cleanup(ctx)
	assert.ErrorContains(t, err, "sqldedup: cleanup")

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = sqldedup.New(canceled, db, sqldedup.WithTable(table))
	assert.ErrorIs(t, err, context.Canceled)
}

// TestConnectionsKilled: the server drops every connection of a pool (a
// restart, a failover, an idle timeout in a proxy). A call on a dead
// connection may fail, but never reports a wrong result, and the pool
// recovers on its own.
func TestConnectionsKilled(t *testing.T) {
	admin := testDB(t)
	db := testDB(t)
	db.SetMaxIdleConns(4)
	s, _ := newStore(t, db)
	ctx := testCtx(t)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "a", lease))
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "gone", "a", lease))

	kill := func() {
		t.Helper()
		var killed int
		require.NoError(t, admin.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = '') x`).Scan(&killed))
		require.Positive(t, killed)
	}
	// retry calls f until it succeeds, at most 3 times, as a sender's
	// retries would.
	retry := func(f func() error) {
		t.Helper()
		var err error
		for range 3 {
			if err = f(); err == nil {
				return
			}
		}
		require.NoError(t, err)
	}

	kill()
	var res inexopay.ClaimResult
	retry(func() (err error) { res, err = s.Claim(ctx, "k", "b", lease); return err })
	assert.Equal(t, inexopay.ClaimBusy, res)
	kill()
	retry(func() error { return s.Complete(ctx, "k", "a") })
	kill()
	retry(func() (err error) { res, err = s.Claim(ctx, "k", "b", lease); return err })
	assert.Equal(t, inexopay.ClaimDone, res)
	kill()
	retry(func() error { return s.Release(ctx, "gone", "a") })
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, "gone", "b", lease))
}

// TestClaimKeepsItsOwnClaimWhenCleaning: Claim's own cleanup runs before
// the claim, so even a claim whose lease has already ended when Claim
// returns is in the table (a Complete after a slow callback finds it).
func TestClaimKeepsItsOwnClaimWhenCleaning(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db, sqldedup.WithCleanup(0, 100)) // every Claim cleans
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "short", "a", time.Microsecond))
	rec, ok := readRecord(t, db, table, "short")
	require.True(t, ok, "the claim just taken was deleted by the Claim that took it")
	assert.Equal(t, "a", rec.holder)
	assert.False(t, rec.done)
}

// ---- New: creating and checking the table ----

// closedDB returns a closed *sql.DB: every statement on it fails with
// "sql: database is closed", which shows whether New got as far as the
// database. It needs no server.
func closedDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/none")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	return db
}

func TestNewCreatesDefaultTable(t *testing.T) {
	db := testDB(t)
	ctx := testCtx(t)
	// The default table is shared by every test run on this server: leave
	// its rows alone, only check that it exists and works.
	s, err := sqldedup.New(ctx, db)
	require.NoError(t, err)
	var reg *string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT to_regclass($1)::text`, sqldedup.DefaultTable).Scan(&reg))
	require.NotNil(t, reg)
	assert.Equal(t, sqldedup.DefaultTable, *reg)
	key := "default-table-" + randomHex(8)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, key, "a", lease))
	require.NoError(t, s.Release(ctx, key, "a"))
	var idx *string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT to_regclass($1)::text`, sqldedup.DefaultTable+"_expires_at").Scan(&idx))
	assert.NotNil(t, idx, "index on expires_at")
}

// TestNewConcurrently: replicas starting together all run CREATE TABLE IF
// NOT EXISTS at once, which PostgreSQL can answer with a unique violation in
// its catalog; every New must still succeed.
func TestNewConcurrently(t *testing.T) {
	dbs := make([]*sql.DB, 8)
	for i := range dbs {
		dbs[i] = testDB(t)
	}
	for round := range 4 {
		table := newTable(t, dbs[0])
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = sqldedup.New(testCtx(t), db, sqldedup.WithTable(table))
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			assert.NoError(t, err, "round %d, replica %d", round, i)
		}
	}
}

// TestNewRefusesTableOfOtherShape: a table of the same name that the store
// could not use is found by New, not by the first webhook.
func TestNewRefusesTableOfOtherShape(t *testing.T) {
	db := testDB(t)
	ctx := testCtx(t)
	for _, columns := range []string{
		`key text PRIMARY KEY, seen_at timestamptz`,                                  // the old design
		`key text, holder text, done boolean, expires_at timestamptz`,                // key not unique
		`key text PRIMARY KEY, holder text, done boolean, expires_at integer`,        // a column of another type
		`key integer PRIMARY KEY, holder text, done boolean, expires_at timestamptz`, // idem
	} {
		table := newTable(t, db)
		_, err := db.ExecContext(ctx, `CREATE TABLE "`+table+`" (`+columns+`)`)
		require.NoError(t, err)
		_, err = sqldedup.New(ctx, db, sqldedup.WithTable(table))
		require.Error(t, err, columns)
		assert.Contains(t, err.Error(), "sqldedup: creating or checking table", columns)
	}
}

// TestNewWithoutCreatePrivilege: an application role that may only read and
// write the table (it was created by its owner, say in a migration) can use
// it; the same role cannot create a missing table, and says so.
func TestNewWithoutCreatePrivilege(t *testing.T) {
	owner := testDB(t)
	ctx := testCtx(t)
	role := "dedup_app_" + randomHex(4)
	_, err := owner.ExecContext(ctx, `CREATE ROLE "`+role+`" LOGIN PASSWORD 'app-secret'`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := owner.ExecContext(context.Background(), `DROP ROLE "`+role+`"`)
		assert.NoError(t, err)
	})
	table := newTable(t, owner) // dropped before the role (cleanups run last-in first-out)
	_, err = sqldedup.New(ctx, owner, sqldedup.WithTable(table))
	require.NoError(t, err)
	_, err = owner.ExecContext(ctx, `REVOKE CREATE ON SCHEMA public FROM PUBLIC`)
	require.NoError(t, err)
	_, err = owner.ExecContext(ctx, `GRANT SELECT, INSERT, UPDATE, DELETE ON "`+table+`" TO "`+role+`"`)
	require.NoError(t, err)

	u, err := url.Parse(testDSN(t))
	require.NoError(t, err)
	u.User = url.UserPassword(role, "app-secret")
	app, err := sql.Open("pgx", u.String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = app.Close() }) // before the role is dropped

	s, err := sqldedup.New(ctx, app, sqldedup.WithTable(table))
	require.NoError(t, err)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "a", lease))
	require.NoError(t, s.Complete(ctx, "k", "a"))
	assert.Equal(t, inexopay.ClaimDone, claim(t, s, "k", "b", lease))
	_, err = s.Cleanup(ctx)
	assert.NoError(t, err)

	_, err = sqldedup.New(ctx, app, sqldedup.WithTable(table+"_missing"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "permission denied")
}

// ---- The DedupStore conformance suite ----

// TestConformance runs the contract every webhook DedupStore must keep
// (the same checks as for the in-memory store) against a Store.
func TestConformance(t *testing.T) {
	s, _ := newStore(t, testDB(t))
	dedupcheck.Run(t, s)
}

// ---- Several replicas sharing one table ----

// replica is one process of a service: its own *sql.DB pool, its own Store
// and its own WebhookHandler behind its own HTTP server.
type replica struct {
	db  *sql.DB
	srv *httptest.Server
}

// startReplicas starts n replicas sharing table, each calling fn with its
// index; everything is closed when t ends (servers first, then pools).
func startReplicas(t *testing.T, n int, table string, lease time.Duration, fn func(ctx context.Context, replica int, ev *inexopay.WebhookEvent) error) []*replica {
	t.Helper()
	rs := make([]*replica, n)
	for i := range rs {
		db := testDB(t) // closed after the server below: cleanups run last-in first-out
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20) // database/sql keeps 2 by default: the others would be closed and dialled again
		store, err := sqldedup.New(testCtx(t), db, sqldedup.WithTable(table))
		require.NoError(t, err)
		h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			return fn(ctx, i, ev)
		}, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(lease))
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close) // waits for handlers still running
		rs[i] = &replica{db: db, srv: srv}
	}
	return rs
}

// webhookBody is the form INEXOPAY posts for event i.
func webhookBody(i int) string {
	return url.Values{
		"orderid":       {fmt.Sprintf("ORD%06d", i)},
		"status":        {"SUCCESS"},
		"remark":        {"Transaction Successful"},
		"datetime":      {"2026-11-25 10:00:00"},
		"callback_type": {string(inexopay.CallbackGlobal)},
	}.Encode()
}

// delivery is what the sender saw of one copy of an event.
type delivery struct {
	attempts int
	statuses []int // 0 for a timeout or connection error
	ok       bool
	at       time.Time // when the 2xx came
}

// sender posts webhooks as INEXOPAY does: a client timeout, and a retry of
// any non-2xx answer or timeout, up to 10 retries with growing waits. It
// ignores Retry-After (the handler's is 5 s) to keep the tests short.
type sender struct {
	client  *http.Client
	backoff func(retry int) time.Duration
}

func (s *sender) deliver(ctx context.Context, target string, body string) delivery {
	var d delivery
	for retry := 0; retry <= 10; retry++ {
		if retry > 0 {
			select {
			case <-time.After(s.backoff(retry)):
			case <-ctx.Done():
				return d
			}
		}
		d.attempts++
		status := s.post(ctx, target, body)
		d.statuses = append(d.statuses, status)
		if status >= 200 && status < 300 {
			d.ok, d.at = true, time.Now()
			return d
		}
	}
	return d
}

func (s *sender) post(ctx context.Context, target, body string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0 // timeout or connection error: retried
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// eventLog counts, per event, the callback's runs, its successes and how
// many runs overlapped.
type eventLog struct {
	mu         sync.Mutex
	runs       map[string]int
	successes  map[string]int
	running    map[string]int
	overlapped map[string]int
	handledBy  map[string]int
}

func newEventLog() *eventLog {
	return &eventLog{runs: map[string]int{}, successes: map[string]int{}, running: map[string]int{}, overlapped: map[string]int{}, handledBy: map[string]int{}}
}

// start records a run of the callback for id and returns its number (1 for
// the first run across all replicas).
func (l *eventLog) start(id string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs[id]++
	l.running[id]++
	if l.running[id] > 1 {
		l.overlapped[id]++
	}
	return l.runs[id]
}

func (l *eventLog) end(id string, replica int, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running[id]--
	if err == nil {
		l.successes[id]++
		l.handledBy[id] = replica
	}
}

// TestThreeReplicasHandleEachEventOnce is the guarantee of the package:
// three replicas, each with its own pool, share one table; a sender delivers
// every event to every replica, three times each, all at once, with a client
// timeout shorter than the slow callbacks and up to 10 retries on any
// non-2xx or timeout. A fifth of the callbacks fail on their first run, a
// fifth panic, a fifth are slow (beyond the sender's timeout) and succeed,
// a fifth are slow and then fail. Every event is handled exactly once,
// never by two callbacks at the same time, and every delivery ends in a 2xx
// answer: nothing is lost.
func TestThreeReplicasHandleEachEventOnce(t *testing.T) {
	const (
		events   = 30
		copies   = 3
		slow     = 700 * time.Millisecond
		timeout  = 300 * time.Millisecond
		replicas = 3
	)
	db := testDB(t)
	table := newTable(t, db)
	log := newEventLog()
	rs := startReplicas(t, replicas, table, 30*time.Second, func(_ context.Context, r int, ev *inexopay.WebhookEvent) (err error) {
		run := log.start(ev.OrderID)
		defer func() { log.end(ev.OrderID, r, err) }()
		var i int
		_, _ = fmt.Sscanf(ev.OrderID, "ORD%d", &i)
		switch i % 5 {
		case 0:
			if run == 1 {
				return errors.New("first run fails")
			}
		case 1:
			if run == 1 {
				err = errors.New("panicked") // what the deferred log sees
				panic("first run panics")
			}
		case 2:
			time.Sleep(slow)
		case 3:
			time.Sleep(slow)
			if run == 1 {
				return errors.New("slow, then fails")
			}
		}
		return nil
	})

	snd := &sender{
		client: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		backoff: func(retry int) time.Duration {
			d := min(50*time.Millisecond<<retry, 1600*time.Millisecond)
			return d/2 + mrand.N(d) // jittered, as senders do
		},
	}
	defer snd.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	type result struct {
		event int
		d     delivery
	}
	results := make(chan result, events*replicas*copies)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range events {
		for _, r := range rs {
			for range copies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results <- result{i, snd.deliver(ctx, r.srv.URL, webhookBody(i))}
				}()
			}
		}
	}
	close(start)
	wg.Wait()
	close(results)
	require.NoError(t, ctx.Err(), "the deliveries took longer than the test allows")

	var total, non2xx, timeouts int
	for res := range results {
		assert.True(t, res.d.ok, "event %d: a delivery never got a 2xx in %d attempts: %v", res.event, res.d.attempts, res.d.statuses)
		total += res.d.attempts
		for _, s := range res.d.statuses {
			switch {
			case s == 0:
				timeouts++
			case s >= 300:
				non2xx++
			}
		}
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	perReplica := make([]int, replicas)
	for i := range events {
		id := fmt.Sprintf("ORD%06d", i)
		assert.Equal(t, 1, log.successes[id], "%s handled %d times", id, log.successes[id])
		assert.Zero(t, log.overlapped[id], "%s: callbacks ran at the same time", id)
		wantRuns := 1
		if i%5 <= 1 || i%5 == 3 {
			wantRuns = 2 // the failed first run, then the one that succeeded
		}
		assert.Equal(t, wantRuns, log.runs[id], "%s runs", id)
		perReplica[log.handledBy[id]]++
	}
	var done int
	require.NoError(t, db.QueryRowContext(testCtx(t), `SELECT count(*) FROM "`+table+`" WHERE done`).Scan(&done))
	assert.Equal(t, events, done, "done records")
	// The test proves something only if the hard cases happened.
	assert.Positive(t, timeouts, "no delivery timed out")
	assert.Positive(t, non2xx, "no delivery was refused")
	t.Logf("%d deliveries, %d attempts (%d timeouts, %d non-2xx); events handled per replica: %v",
		events*replicas*copies, total, timeouts, non2xx, perReplica)
}

// TestReplicaDiesMidCallback: a replica takes an event's claim and dies in
// the callback (it never completes nor releases: its pool is closed under
// it). The other replicas answer the sender's retries 503 while the lease
// runs, and once it has ended one of them handles the event, exactly once.
func TestReplicaDiesMidCallback(t *testing.T) {
	const lease = 1500 * time.Millisecond
	db := testDB(t)
	table := newTable(t, db)
	log := newEventLog()
	started := make(chan time.Time, 1)
	unblock := make(chan struct{})
	var unblockOnce sync.Once
	release := func() { unblockOnce.Do(func() { close(unblock) }) }
	rs := startReplicas(t, 3, table, lease, func(_ context.Context, r int, ev *inexopay.WebhookEvent) (err error) {
		if r == 0 {
			started <- time.Now()
			<-unblock // hangs, ignoring its context, until the test ends
			return errors.New("the process is gone")
		}
		log.start(ev.OrderID)
		defer func() { log.end(ev.OrderID, r, err) }()
		return nil
	})
	t.Cleanup(release) // before the servers close (cleanups run last-in first-out)

	snd := &sender{
		client:  &http.Client{Timeout: 200 * time.Millisecond, Transport: &http.Transport{}},
		backoff: func(retry int) time.Duration { return min(100*time.Millisecond<<retry, 800*time.Millisecond) },
	}
	defer snd.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The first delivery reaches replica 0, which claims the event and hangs.
	first := snd.post(ctx, rs[0].srv.URL, webhookBody(7))
	assert.Zero(t, first, "replica 0 should not answer")
	var claimedAt time.Time
	select {
	case claimedAt = <-started:
	case <-ctx.Done():
		t.Fatal("replica 0's callback never started")
	}
	// Replica 0 dies: no store call of it will ever succeed again.
	require.NoError(t, rs[0].db.Close())
	rs[0].srv.CloseClientConnections()

	// The sender's retries go to the two live replicas.
	var wg sync.WaitGroup
	results := make([]delivery, 2)
	for i, r := range rs[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = snd.deliver(ctx, r.srv.URL, webhookBody(7))
		}()
	}
	wg.Wait()

	id := fmt.Sprintf("ORD%06d", 7)
	log.mu.Lock()
	assert.Equal(t, 1, log.successes[id], "handled once by a live replica")
	assert.Equal(t, 1, log.runs[id])
	log.mu.Unlock()
	var handledAt time.Time
	var busy int
	for i, d := range results {
		require.True(t, d.ok, "delivery to replica %d: %v", i+1, d.statuses)
		if handledAt.IsZero() || d.at.Before(handledAt) {
			handledAt = d.at
		}
		for _, s := range d.statuses {
			if s == http.StatusServiceUnavailable {
				busy++
			}
		}
	}
	assert.Positive(t, busy, "no delivery was answered 503 while the lease ran")
	waited := handledAt.Sub(claimedAt)
	assert.GreaterOrEqual(t, waited, lease-100*time.Millisecond, "taken over before the lease ended")
	assert.Less(t, waited, lease+3*time.Second, "not taken over soon after the lease ended")

	// The dead replica's callback returns at last; its release fails (its
	// pool is closed) and nothing changes: the event stays done.
	release()
	rs[0].srv.Close()
	rec, ok := readRecord(t, db, table, webhookKeyOf(t, db, table))
	require.True(t, ok)
	assert.True(t, rec.done)
}

// webhookKeyOf returns the only key in table (the handler's key format is
// its own business).
func webhookKeyOf(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var key string
	require.NoError(t, db.QueryRowContext(testCtx(t), `SELECT key FROM "`+table+`"`).Scan(&key))
	return key
}

// ---- Stampedes, stale holders and replicas that die ----

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
func TestSQLConcurrentClaimsOneWinner(t *testing.T) {
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
func TestSQLClaimSemantics(t *testing.T) {
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
func TestSQLCleanupKeepsLive(t *testing.T) {
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
func TestSQLInputValidation(t *testing.T) {
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
func TestSQLReplicasOneCallback(t *testing.T) {
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
func TestSQLReplicaDiesMidCallbackOtherRunsAfterLease(t *testing.T) {
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

// ---- Killed connections and slow answers ----

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

// TestSQLCompleteAfterCleanup: A's claim expires and Cleanup
// deletes it before A's callback finishes; A then completes. Complete
// "succeeds even when holder's lease had ended" and "marks key done": the
// next copy must be ClaimDone, not run the callback again.
func TestSQLCompleteAfterCleanup(t *testing.T) {
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

// TestSQLTakeoverStaleHolder: after a takeover, the stale holder's
// Release must not drop the new holder's claim, its Complete marks the key
// done, and the new holder's Release must not undo that.
func TestSQLTakeoverStaleHolder(t *testing.T) {
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

// TestSQLStampede: 8 replicas (each its own *sql.DB and Store, one
// with cleanup at every claim) and 64 goroutines claim one key at once,
// repeated for 30 keys: exactly one acquires each.
func TestSQLStampede(t *testing.T) {
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

// TestSQLConnectionsKilledMidCallback: replica 1's database
// connections are all terminated (pg_terminate_backend) while its callback
// runs; the callback then succeeds. The change must end up done (Complete
// is retried on a fresh connection), so copies on replica 2 are answered
// 200 without running the callback again.
func TestSQLConnectionsKilledMidCallback(t *testing.T) {
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

// TestSQLReplicaDiesMidCallbackLaterCopiesSkipped: replica 1 claims and dies
// mid-callback (its claim is left behind); replica 2's copies are 503
// until the lease ends, then one runs the callback, and later copies are
// 200 without it.
func TestSQLReplicaDiesMidCallbackLaterCopiesSkipped(t *testing.T) {
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

// TestSQLClaimKilledWhileWaiting: a Claim blocked behind another
// transaction's row lock has its connection terminated: it fails (the
// handler answers 503, never 2xx, no callback); once the lock is gone the
// next copy runs the callback once.
func TestSQLClaimKilledWhileWaiting(t *testing.T) {
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

// TestSQLLeaseCountsFromClaimReturn
// Was a finding of the outside review, now fixed: "Your function's context ends when the lease does" / "the
// callback's context ends with the lease, to tell it to stop" (Running
// several replicas). With sqldedup the lease starts at the database's
// now() when the claim statement runs, but the handler starts the
// callback's deadline only when Claim returns. When the answer comes back
// late (400 ms here), replica 2 takes the claim over (PostgreSQL says the
// lease has ended) and runs the change while replica 1's callback, which
// honours its context, is still live: the change is handled twice at once.
func TestSQLLeaseCountsFromClaimReturn(t *testing.T) {
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
