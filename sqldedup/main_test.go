package sqldedup_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver the tests bring
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/inexopay/inexopay-go/sqldedup"
	"github.com/inexopay/inexopay-go/sqldedup/internal/pgtest"
)

// postgres is the server the tests use: INEXOPAY_TEST_POSTGRES_DSN's,
// or one TestMain starts (see pgtest.Open).
var postgres *pgtest.Gate

// TestMain gives the tests a PostgreSQL server (see pgtest.Open), stops a
// server it started once they have run, prints one line to stderr when
// tests were skipped for want of one, and fails the test binary when a
// goroutine is left behind, such as the connection opener of a *sql.DB
// nobody closed.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	gate, stop := pgtest.Open(ctx)
	cancel()
	postgres = gate
	defer func() {
		if err := stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	code := m.Run()
	if line := gate.Summary("sqldedup"); line != "" {
		fmt.Fprintln(os.Stderr, line)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: Errors on successful test run: %v\n", err)
			code = 1
		}
	}
	return code
}

// testDSN returns the test server's address. Without a server it skips tb,
// except in CI (CI set), where that fails.
func testDSN(tb testing.TB) string {
	tb.Helper()
	return postgres.Require(tb)
}

// testDB opens a new pool on the test server, closed when tb ends. Without
// a server it skips tb, except in CI (CI set), where that fails.
func testDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", testDSN(tb))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// randomHex returns n random bytes in hex, for holders and table names.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newTable returns a fresh table name, dropped (through db) when tb ends.
func newTable(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	name := "dedup_test_" + randomHex(6)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS "`+name+`"`)
		require.NoError(tb, err)
	})
	return name
}

// newStore returns a Store on a fresh table of its own, and the table name.
func newStore(tb testing.TB, db *sql.DB, opts ...sqldedup.Option) (*sqldedup.Store, string) {
	tb.Helper()
	table := newTable(tb, db)
	s, err := sqldedup.New(testCtx(tb), db, append([]sqldedup.Option{sqldedup.WithTable(table)}, opts...)...)
	require.NoError(tb, err)
	return s, table
}

// testCtx bounds every database call of a test.
func testCtx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	tb.Cleanup(cancel)
	return ctx
}

// record is a row of the Store's table as the tests read it.
type record struct {
	holder string
	done   bool
	// ttl is expires_at - now() by the database's clock.
	ttl time.Duration
}

// readRecord reads key's row; ok is false when there is none.
func readRecord(tb testing.TB, db *sql.DB, table, key string) (rec record, ok bool) {
	tb.Helper()
	var micros int64
	err := db.QueryRowContext(testCtx(tb),
		`SELECT holder, done, (EXTRACT(EPOCH FROM expires_at - now()) * 1000000)::bigint FROM "`+table+`" WHERE key = $1`, key).
		Scan(&rec.holder, &rec.done, &micros)
	if err == sql.ErrNoRows {
		return record{}, false
	}
	require.NoError(tb, err)
	rec.ttl = time.Duration(micros) * time.Microsecond
	return rec, true
}

// countRows counts the rows of table.
func countRows(tb testing.TB, db *sql.DB, table string) int {
	tb.Helper()
	var n int
	require.NoError(tb, db.QueryRowContext(testCtx(tb), `SELECT count(*) FROM "`+table+`"`).Scan(&n))
	return n
}
