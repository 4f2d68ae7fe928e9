package sqldedup_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
)

// waitFor polls cond until it holds; it fails tb after a minute.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("still waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// lockRow locks key's row of table in a transaction of its own, so that a
// statement that writes the row waits, until the returned func ends it.
func lockRow(t *testing.T, db *sql.DB, table, key string) (unlock func()) {
	t.Helper()
	tx, err := db.BeginTx(testCtx(t), nil)
	require.NoError(t, err)
	var one int
	require.NoError(t, tx.QueryRowContext(testCtx(t), `SELECT 1 FROM "`+table+`" WHERE key = $1 FOR UPDATE`, key).Scan(&one))
	done := false
	unlock = func() {
		if !done {
			done = true
			require.NoError(t, tx.Rollback())
		}
	}
	t.Cleanup(unlock)
	return unlock
}

// lockWaits counts the statements of the test database that wait for a lock.
func lockWaits(t *testing.T, db *sql.DB) int {
	var n int
	require.NoError(t, db.QueryRowContext(testCtx(t), `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
	return n
}

// blockCompletes makes s's only Complete statement wait for a lock, so that
// the Complete calls that follow queue; unblock lets it finish, and its
// caller then runs the queue as one statement. done reports its result.
func blockCompletes(t *testing.T, db *sql.DB, s *sqldedup.Store, table string) (unblock func(), done <-chan error) {
	t.Helper()
	sqldedup.SetGrouping(s, 1, 256)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "blocker", "b", lease))
	unblock = lockRow(t, db, table, "blocker")
	ch := make(chan error, 1)
	go func() { ch <- s.Complete(context.Background(), "blocker", "b") }()
	waitFor(t, "the first Complete to wait for the row lock", func() bool { return lockWaits(t, db) == 1 })
	return unblock, ch
}

// xmins counts the transactions that last wrote the rows of keys.
func xmins(t *testing.T, db *sql.DB, table string, keys []string) int {
	var n int
	require.NoError(t, db.QueryRowContext(testCtx(t), `SELECT count(DISTINCT xmin::text) FROM "`+table+`" WHERE key = ANY($1::text[])`,
		"{"+quoteArray(keys)+"}").Scan(&n))
	return n
}

func quoteArray(keys []string) string {
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ","
		}
		s += `"`
		for j := 0; j < len(k); j++ {
			if k[j] == '"' || k[j] == '\\' {
				s += `\`
			}
			s += k[j : j+1]
		}
		s += `"`
	}
	return s
}

// TestCompleteGroupsQueuedCalls: Complete calls that arrive while the
// Store's statements are all in flight wait, and then go to the database
// together, as one statement (one transaction wrote all their rows), and
// each returns only once its key is done.
func TestCompleteGroupsQueuedCalls(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	unblock, blocked := blockCompletes(t, db, s, table)

	var keys []string
	for i := range 40 {
		key := fmt.Sprintf("v1:%04d", i)
		require.Equal(t, inexopay.ClaimAcquired, claim(t, s, key, "h", lease))
		keys = append(keys, key)
	}
	errs := make(chan error, len(keys))
	for _, key := range keys {
		go func() { errs <- s.Complete(context.Background(), key, "h") }()
	}
	waitFor(t, "40 queued Complete calls", func() bool { return sqldedup.QueuedCompletes(s) == len(keys) })
	for _, key := range keys {
		rec, _ := readRecord(t, db, table, key)
		require.False(t, rec.done, "%s done before its statement ran", key)
	}

	unblock()
	require.NoError(t, <-blocked)
	for range keys {
		require.NoError(t, <-errs)
	}
	for _, key := range keys {
		rec, ok := readRecord(t, db, table, key)
		require.True(t, ok)
		assert.True(t, rec.done, key)
		assert.Greater(t, rec.ttl, time.Hour, "done keys are kept for the retention")
	}
	assert.Equal(t, 1, xmins(t, db, table, keys), "transactions that completed the 40 queued keys")
}

// TestCompleteGroupedKeepsEachKeysRules: in one grouped statement, each key
// is completed as a lone Complete would: the holder's claim, another
// holder's live claim, a key with no record (cleaned up) and an expired
// done key all become done; a live done key is left as it is; a key given
// twice is done once; keys with quotes, backslashes, braces and commas are
// kept verbatim.
func TestCompleteGroupedKeepsEachKeysRules(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	other, err := sqldedup.New(ctx, db, sqldedup.WithTable(table))
	require.NoError(t, err)

	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "own", "h", lease))
	require.Equal(t, inexopay.ClaimAcquired, claim(t, other, "others", "o", lease))
	require.NoError(t, other.Complete(ctx, "done-live", "o"))
	before, _ := readRecord(t, db, table, "done-live")
	_, err = db.ExecContext(ctx, `INSERT INTO "`+table+`" VALUES ('done-expired', 'o', true, now() - interval '1 second')`)
	require.NoError(t, err)
	odd := `a"b\c,{d} e'f`
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, odd, "h", lease))

	unblock, blocked := blockCompletes(t, db, s, table)
	calls := [][2]string{{"own", "h"}, {"others", "h"}, {"missing", "h"}, {"done-expired", "h"}, {"done-live", "h"}, {odd, "h"}, {"own", "h2"}}
	errs := make(chan error, len(calls))
	for _, c := range calls {
		go func() { errs <- s.Complete(context.Background(), c[0], c[1]) }()
	}
	waitFor(t, "the queued Complete calls", func() bool { return sqldedup.QueuedCompletes(s) == len(calls) })
	unblock()
	require.NoError(t, <-blocked)
	for range calls {
		require.NoError(t, <-errs)
	}

	for _, key := range []string{"own", "others", "missing", "done-expired", odd} {
		rec, ok := readRecord(t, db, table, key)
		require.True(t, ok, key)
		assert.True(t, rec.done, key)
		assert.Greater(t, rec.ttl, time.Hour, key)
	}
	after, _ := readRecord(t, db, table, "done-live")
	assert.Equal(t, "o", after.holder, "a live done key is left as it is")
	assert.InDelta(t, before.ttl.Seconds(), after.ttl.Seconds(), 30)
	assert.Equal(t, inexopay.ClaimDone, claim(t, other, odd, "o", lease))
	assert.Equal(t, 1, xmins(t, db, table, []string{"own", "others", "missing", "done-expired", odd}))
}

// TestCompleteQueuedGivesUpWithItsContext: a queued Complete whose context
// ends returns that error and its key stays claimed; the other queued calls
// still complete.
func TestCompleteQueuedGivesUpWithItsContext(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "gives-up", "h", lease))
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "waits", "h", lease))
	unblock, blocked := blockCompletes(t, db, s, table)

	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- s.Complete(ctx, "gives-up", "h") }()
	waited := make(chan error, 1)
	go func() { waited <- s.Complete(context.Background(), "waits", "h") }()
	waitFor(t, "two queued calls", func() bool { return sqldedup.QueuedCompletes(s) == 2 })
	cancel()
	err := <-gaveUp
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "sqldedup: complete")
	assert.Equal(t, 1, sqldedup.QueuedCompletes(s))

	unblock()
	require.NoError(t, <-blocked)
	require.NoError(t, <-waited)
	rec, _ := readRecord(t, db, table, "waits")
	assert.True(t, rec.done)
	rec, _ = readRecord(t, db, table, "gives-up")
	assert.False(t, rec.done, "the call that gave up did not complete its key")
	assert.Equal(t, "h", rec.holder)
}

// TestCompleteGroupedOutlivesOneCallersContext: the context of one caller
// in a grouped statement ending does not cancel the statement for the
// others: every key of it is done, and every caller is told so.
func TestCompleteGroupedOutlivesOneCallersContext(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	for _, k := range []string{"a", "b", "slow"} {
		require.Equal(t, inexopay.ClaimAcquired, claim(t, s, k, "h", lease))
	}
	unblock, blocked := blockCompletes(t, db, s, table)
	unlockSlow := lockRow(t, db, table, "slow") // the grouped statement will wait here

	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	errs := make(chan error, 3)
	go func() { errs <- s.Complete(ctxA, "a", "h") }()
	waitFor(t, "a queued", func() bool { return sqldedup.QueuedCompletes(s) == 1 })
	go func() { errs <- s.Complete(context.Background(), "b", "h") }()
	go func() { errs <- s.Complete(context.Background(), "slow", "h") }()
	waitFor(t, "three queued calls", func() bool { return sqldedup.QueuedCompletes(s) == 3 })
	unblock()
	require.NoError(t, <-blocked)
	waitFor(t, "the grouped statement to wait for the lock", func() bool {
		return sqldedup.QueuedCompletes(s) == 0 && lockWaits(t, db) == 1
	})
	cancelA()
	unlockSlow()
	for range 3 {
		err := <-errs
		require.NoError(t, err)
		require.False(t, errors.Is(err, context.Canceled))
	}
	for _, k := range []string{"a", "b", "slow"} {
		rec, _ := readRecord(t, db, table, k)
		assert.True(t, rec.done, k)
	}
}

// TestClaimGroupedDecidesEachKey: Claim calls that queue behind a busy
// statement go to the database together, and each key is decided as a lone
// Claim would decide it; a key claimed twice in the queue goes to one of
// the two callers.
func TestClaimGroupedDecidesEachKey(t *testing.T) {
	db := testDB(t)
	s, table := newStore(t, db)
	ctx := testCtx(t)
	other, err := sqldedup.New(ctx, db, sqldedup.WithTable(table))
	require.NoError(t, err)
	require.Equal(t, inexopay.ClaimAcquired, claim(t, other, "others-live", "o", lease))
	require.Equal(t, inexopay.ClaimAcquired, claim(t, s, "own-live", "h", lease))
	require.NoError(t, other.Complete(ctx, "done", "o"))
	_, err = db.ExecContext(ctx, `INSERT INTO "`+table+`" VALUES ('others-expired', 'o', false, now() - interval '1 second'),
		('blocker', 'o', false, now() - interval '1 second')`)
	require.NoError(t, err)

	// A claim of the expired, locked "blocker" waits for the lock (the
	// others would see a live record and not wait).
	sqldedup.SetGrouping(s, 1, 256)
	unblock := lockRow(t, db, table, "blocker")
	blocked := make(chan inexopay.ClaimResult, 1)
	go func() { r, _ := s.Claim(context.Background(), "blocker", "h", lease); blocked <- r }()
	waitFor(t, "the first Claim to wait for the row lock", func() bool { return lockWaits(t, db) == 1 })

	odd := `a"b\c,{d} e'f`
	calls := []struct {
		key, holder string
		want        inexopay.ClaimResult
	}{
		{"new", "h", inexopay.ClaimAcquired},
		{odd, "h", inexopay.ClaimAcquired},
		{"others-live", "h", inexopay.ClaimBusy},
		{"own-live", "h", inexopay.ClaimAcquired},
		{"done", "h", inexopay.ClaimDone},
		{"others-expired", "h", inexopay.ClaimAcquired},
	}
	got := make([]chan inexopay.ClaimResult, len(calls))
	for i, c := range calls {
		got[i] = make(chan inexopay.ClaimResult, 1)
		go func() {
			r, err := s.Claim(context.Background(), c.key, c.holder, lease)
			assert.NoError(t, err, c.key)
			got[i] <- r
		}()
	}
	waitFor(t, "the queued Claim calls", func() bool { return sqldedup.QueuedClaims(s) == len(calls) })
	twice := make(chan inexopay.ClaimResult, 2)
	for _, h := range []string{"x", "y"} {
		go func() {
			r, err := s.Claim(context.Background(), "twice", h, lease)
			assert.NoError(t, err)
			twice <- r
		}()
	}
	waitFor(t, "the queued Claim calls", func() bool { return sqldedup.QueuedClaims(s) == len(calls)+2 })

	unblock()
	assert.Equal(t, inexopay.ClaimAcquired, <-blocked)
	for i, c := range calls {
		assert.Equal(t, c.want, <-got[i], c.key)
	}
	results := []inexopay.ClaimResult{<-twice, <-twice}
	assert.ElementsMatch(t, []inexopay.ClaimResult{inexopay.ClaimAcquired, inexopay.ClaimBusy}, results, "a key claimed twice")

	for _, key := range []string{"new", odd, "own-live", "others-expired"} {
		rec, ok := readRecord(t, db, table, key)
		require.True(t, ok, key)
		assert.Equal(t, "h", rec.holder, key)
		assert.False(t, rec.done, key)
		assert.Greater(t, rec.ttl, 30*time.Second, key)
	}
	rec, _ := readRecord(t, db, table, "others-live")
	assert.Equal(t, "o", rec.holder, "another holder's live claim is left alone")
	assert.Equal(t, 1, xmins(t, db, table, []string{"new", odd, "own-live", "others-expired"}), "transactions that took the queued claims")
}
