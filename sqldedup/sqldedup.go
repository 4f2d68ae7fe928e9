// Package sqldedup is a webhook dedup store on PostgreSQL, shared by every
// replica of a service that receives INEXOPAY webhooks, so that a status
// change INEXOPAY posts (and retries up to 10 times, to whichever replica
// the load balancer picks) reaches your callback once.
//
// A [Store] implements [inexopay.DedupStore]: a replica claims an event's key
// for a lease before it runs the callback, completes the key when the
// callback succeeded and releases it when it failed. While one replica holds
// the claim, the others answer the copies they get with a non-2xx status, so
// INEXOPAY tries again later; when the holder dies mid-callback, its claim
// ends with the lease and a later copy is handled by another replica.
//
// Every step is one SQL statement, and concurrent claims of a key are
// decided by PostgreSQL (INSERT … ON CONFLICT … DO UPDATE … WHERE), not in
// process memory; lease expiry is measured with the database's clock, so
// replicas whose clocks differ agree. A Store runs at most four Claim and
// four Complete statements at a time; calls that arrive meanwhile wait and
// are then sent together, as one statement, each still returning only once
// its own key's statement has committed or failed (docs/sqldedup.md). The
// package speaks to the database through database/sql only: bring the
// driver, such as
// github.com/jackc/pgx/v5/stdlib. Each replica wires it up like this:
//
//	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
//	store, err := sqldedup.New(ctx, db)
//	mux.Handle("/inexopay/webhook", inexopay.WebhookHandler(onEvent,
//		inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(2*time.Minute)))
//
// Choose a lease (see [inexopay.WithWebhookLease]) longer than the slowest
// callback: when a replica dies mid-callback, the event waits for the lease
// to end before another replica handles a retry of it.
package sqldedup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/inexopay/inexopay-go"
)

// Store implements the webhook handler's dedup store.
var _ inexopay.DedupStore = (*Store)(nil)

// MaxKeyBytes is the longest key and holder a [Store] accepts.
const MaxKeyBytes = 255

// Store keeps webhook claims and completed keys in a PostgreSQL table; it
// is safe for concurrent use, and any number of Stores in any number of
// processes may share one table. Create it with [New]. A Store does not own
// its *sql.DB: close the DB after the handlers that use the Store have
// stopped.
type Store struct {
	db        *sql.DB
	retention time.Duration

	cleanupEvery time.Duration
	cleanupBatch int
	born         time.Time    // for the process-local cleanup schedule only
	nextCleanup  atomic.Int64 // nanoseconds since born

	claimSQL, claimManySQL, completeSQL, completeManySQL, releaseSQL, cleanupSQL string

	claims, completes group
}

// New returns a [Store] that keeps its records in db, a PostgreSQL database
// opened with a database/sql driver. It creates the table ([DefaultTable], or
// the one named with [WithTable]) and an index on its expiry column when they
// are missing, and checks that an existing table has the columns it needs.
// The database role needs SELECT, INSERT, UPDATE and DELETE on the table;
// only while the table is missing does it need CREATE on the schema, so a
// role without it works once New has run as the table's owner (say, in a
// migration). New fails when db is
// nil, an option was given an invalid value, or the database refuses a
// statement (no privilege, a table of the same name with other columns or
// without a unique key, an unreachable server, or ctx ending).
func New(ctx context.Context, db *sql.DB, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errNilDB
	}
	cfg := config{table: DefaultTable, retention: 24 * time.Hour, cleanupEvery: time.Minute, cleanupBatch: 1000}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	table := quoteIdent(cfg.table)
	if cfg.schema != "" {
		table = quoteIdent(cfg.schema) + "." + table
	}
	s := &Store{
		db:           db,
		retention:    cfg.retention,
		cleanupEvery: cfg.cleanupEvery,
		cleanupBatch: cfg.cleanupBatch,
		born:         time.Now(),
	}
	s.claims = group{maxFlush: defaultFlushers, maxBatch: defaultBatch, run: s.runClaims, name: "claim"}
	s.completes = group{maxFlush: defaultFlushers, maxBatch: defaultBatch, run: s.runCompletes, name: "complete"}
	s.buildSQL(table)
	if err := s.createTable(ctx, table, quoteIdent(cfg.table+"_expires_at")); err != nil {
		return nil, err
	}
	return s, nil
}

// createTable creates the table and its index when the table is missing,
// and checks it. An existing table is left alone: CREATE … IF NOT EXISTS
// would need the CREATE privilege (and CREATE INDEX ownership) even then.
// Two processes that create the table at the same moment can make one of
// them fail with a unique violation in PostgreSQL's catalog; the statement
// is tried again then, and succeeds once the other's table is visible.
func (s *Store) createTable(ctx context.Context, table, index string) error {
	var exists bool
	if err := s.db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil {
		return fmt.Errorf("sqldedup: looking for table %s: %w", table, err)
	}
	var stmts []string
	if !exists {
		stmts = append(stmts, `CREATE TABLE IF NOT EXISTS `+table+` (
	key        text        PRIMARY KEY,
	holder     text        NOT NULL,
	done       boolean     NOT NULL,
	expires_at timestamptz NOT NULL
)`,
			`CREATE INDEX IF NOT EXISTS `+index+` ON `+table+` (expires_at)`)
	}
	// Writes nothing, but fails unless the columns take these values and
	// key is unique, as ON CONFLICT (key) needs.
	stmts = append(stmts, `INSERT INTO `+table+` (key, holder, done, expires_at)
	SELECT '', '', false, now() WHERE false ON CONFLICT (key) DO NOTHING`)
	for _, q := range stmts {
		var err error
		for try := 0; try < 3; try++ {
			if _, err = s.db.ExecContext(ctx, q); err == nil || ctx.Err() != nil {
				break
			}
		}
		if err != nil {
			return fmt.Errorf("sqldedup: creating or checking table %s: %w", table, err)
		}
	}
	return nil
}

// buildSQL writes the four statements of the Store once.
//
// A record is either a claim (done false: holder has it until expires_at)
// or a completed key (done true: remembered until expires_at).
//
// Claim first looks, in the statement's snapshot, for a live record that
// stops it (a completed key, or another holder's claim): then it writes
// nothing and takes no lock, which keeps the copies and retries of a handled
// event cheap. Otherwise it inserts a claim, or takes over the existing
// record when it has expired or is the same holder's live claim. Two
// concurrent claims of a key meet in ON CONFLICT: PostgreSQL makes the
// second wait for the first to commit and then evaluates the WHERE against
// the committed row, so exactly one of them gets the claim; the other
// reports inexopay.ClaimBusy (also when the row it lost to is a completed
// key: the sender's next retry gets ClaimDone).
func (s *Store) buildSQL(t string) {
	s.claimSQL = `WITH seen AS (
	SELECT done FROM ` + t + ` WHERE key = $1::text AND expires_at > now() AND (done OR holder <> $2::text)
), claimed AS (
	INSERT INTO ` + t + ` AS d (key, holder, done, expires_at)
	SELECT $1::text, $2::text, false, now() + $3::bigint * interval '1 microsecond'
	WHERE NOT EXISTS (SELECT 1 FROM seen)
	ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, done = false, expires_at = EXCLUDED.expires_at
	WHERE d.expires_at <= now() OR (NOT d.done AND d.holder = EXCLUDED.holder)
	RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM claimed), COALESCE((SELECT done FROM seen), false)`
	// claimManySQL does the same for many keys (no key twice), given as
	// arrays of keys, holders and leases of the same length, and returns a
	// row for each key.
	s.claimManySQL = `WITH x AS (
	SELECT k, h, l FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(k, h, l)
), seen AS (
	SELECT d.key, d.done FROM ` + t + ` AS d JOIN x ON d.key = x.k
	WHERE d.expires_at > now() AND (d.done OR d.holder <> x.h)
), claimed AS (
	INSERT INTO ` + t + ` AS d (key, holder, done, expires_at)
	SELECT k, h, false, now() + l * interval '1 microsecond' FROM x
	WHERE k NOT IN (SELECT key FROM seen)
	ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, done = false, expires_at = EXCLUDED.expires_at
	WHERE d.expires_at <= now() OR (NOT d.done AND d.holder = EXCLUDED.holder)
	RETURNING d.key
)
SELECT x.k, x.k IN (SELECT key FROM claimed), COALESCE((SELECT done FROM seen WHERE seen.key = x.k), false) FROM x`
	// Complete updates the record of the key in place (the usual case: the
	// holder's own claim) and inserts one only when the update found none
	// to change: the record was cleaned up, or released and gone, or is a
	// live completed key, which ON CONFLICT then leaves alone. A plain
	// UPDATE writes the row once; an INSERT … ON CONFLICT DO UPDATE of an
	// existing row locks it (a write) and then updates it (another).
	// completeManySQL does the same for many keys, given as two text
	// arrays of the same length with no key twice.
	s.completeSQL = `WITH u AS (
	UPDATE ` + t + ` SET holder = $2::text, done = true, expires_at = now() + $3::bigint * interval '1 microsecond'
	WHERE key = $1::text AND (NOT done OR expires_at <= now())
	RETURNING 1
)
INSERT INTO ` + t + ` AS d (key, holder, done, expires_at)
SELECT $1::text, $2::text, true, now() + $3::bigint * interval '1 microsecond' WHERE NOT EXISTS (SELECT 1 FROM u)
ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, done = true, expires_at = EXCLUDED.expires_at
WHERE NOT d.done OR d.expires_at <= now()`
	s.completeManySQL = `WITH x AS (
	SELECT k, h FROM unnest($1::text[], $2::text[]) AS x(k, h)
), u AS (
	UPDATE ` + t + ` AS d SET holder = x.h, done = true, expires_at = now() + $3::bigint * interval '1 microsecond'
	FROM x WHERE d.key = x.k AND (NOT d.done OR d.expires_at <= now())
	RETURNING d.key
)
INSERT INTO ` + t + ` AS d (key, holder, done, expires_at)
SELECT k, h, true, now() + $3::bigint * interval '1 microsecond' FROM x WHERE k NOT IN (SELECT key FROM u)
ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, done = true, expires_at = EXCLUDED.expires_at
WHERE NOT d.done OR d.expires_at <= now()`
	s.releaseSQL = `DELETE FROM ` + t + ` WHERE key = $1 AND holder = $2 AND NOT done`
	s.cleanupSQL = `DELETE FROM ` + t + ` WHERE key IN (
	SELECT key FROM ` + t + ` WHERE expires_at < now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
) AND expires_at < now()`
}

// Claim implements [inexopay.DedupStore]: it takes key for holder for lease, unless key is done or claimed by
// another holder whose lease has not ended; an expired claim of another
// holder, and a completed key older than the retention, are taken over. A
// holder that claims a key it holds again extends its lease. Expiry is
// judged by the database's clock. Claim fails, and reports no result, when
// key or holder is empty, longer than MaxKeyBytes or not printable ASCII,
// lease is below one microsecond, or the database fails (ctx ending
// included); the claim may then have been taken or not, so a caller should
// answer the sender with a non-2xx status and not run the callback. At most
// once per cleanup interval ([WithCleanup]), Claim also runs [Store.Cleanup]
// before it claims (so it never deletes the claim it takes, however short
// the lease); a failure of that deletion is not reported and it is tried
// again at the next interval. A Claim whose ctx ends while it waits to be
// put in a statement (see the package doc) fails with ctx's error, its key
// not sent.
func (s *Store) Claim(ctx context.Context, key, holder string, lease time.Duration) (inexopay.ClaimResult, error) {
	if err := checkArgs(key, holder); err != nil {
		return 0, err
	}
	if lease < time.Microsecond {
		return 0, fmt.Errorf("sqldedup: claim: lease %v is below 1µs", lease)
	}
	s.maybeCleanup(ctx) // before the claim, so that it never deletes the claim taken
	r := s.claims.do(&call{ctx: ctx, key: key, holder: holder, lease: lease})
	return r.claim, r.err
}

// Complete implements [inexopay.DedupStore]: it marks key done and keeps it
// for the Store's retention ([WithRetention]). It
// succeeds even when holder's lease had ended or another holder has claimed
// key since (the callback did run), and leaves a key already done as it is.
// It fails when key or holder is invalid (see Claim) or the database fails;
// the key then stays claimed until the lease ends, after which a retry of
// the event runs the callback again. A Complete whose ctx ends while it
// waits to be put in a statement (see the package doc) fails with ctx's
// error, its key not sent; once its key is in a statement, it returns that
// statement's result.
func (s *Store) Complete(ctx context.Context, key, holder string) error {
	if err := checkArgs(key, holder); err != nil {
		return err
	}
	return s.completes.do(&call{ctx: ctx, key: key, holder: holder}).err
}

// Release implements [inexopay.DedupStore]: it drops holder's claim on key so
// that a retry can claim it again at once. It never removes a done key or another holder's claim, and succeeds
// when there is nothing to drop. It fails when key or holder is invalid (see
// [Store.Claim]) or the database fails; the claim then ends with its lease.
func (s *Store) Release(ctx context.Context, key, holder string) error {
	if err := checkArgs(key, holder); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.releaseSQL, key, holder); err != nil {
		return fmt.Errorf("sqldedup: release: %w", err)
	}
	return nil
}

// Cleanup deletes up to one batch (see [WithCleanup]) of expired claims and
// completed keys older than the retention, oldest first, skipping records
// another transaction has locked, and returns how many it deleted. Claim
// calls it on its own schedule; call it yourself only to clean at other
// times. It fails when the database fails (ctx ending included).
func (s *Store) Cleanup(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.cleanupSQL, s.cleanupBatch)
	if err != nil {
		return 0, fmt.Errorf("sqldedup: cleanup: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqldedup: cleanup: %w", err)
	}
	return n, nil
}

// maybeCleanup runs Cleanup when the interval has passed since the last
// one, in one of the concurrent callers only; when the batch came back full
// the next call cleans again.
func (s *Store) maybeCleanup(ctx context.Context) {
	now := int64(time.Since(s.born))
	next := s.nextCleanup.Load()
	if now < next || !s.nextCleanup.CompareAndSwap(next, now+int64(s.cleanupEvery)) {
		return
	}
	n, err := s.Cleanup(ctx)
	if err == nil && n >= int64(s.cleanupBatch) {
		s.nextCleanup.Store(now)
	}
}

var errBadKey = errors.New("sqldedup: key and holder must be 1 to 255 bytes of printable ASCII")

// checkArgs refuses keys and holders PostgreSQL's text type would reject
// (NUL) or that the handler never produces.
func checkArgs(key, holder string) error {
	for _, s := range [2]string{key, holder} {
		if s == "" || len(s) > MaxKeyBytes {
			return errBadKey
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				return errBadKey
			}
		}
	}
	return nil
}
