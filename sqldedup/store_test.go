package sqldedup_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
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
