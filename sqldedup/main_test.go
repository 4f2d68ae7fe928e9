package sqldedup_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver the tests bring
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/inexopay/inexopay-go/sqldedup"
)

// dsnEnv names the environment variable with the address of the PostgreSQL
// server the tests use; .ci/postgres.sh starts one and sets it.
const dsnEnv = "INEXOPAY_TEST_POSTGRES_DSN"

// TestMain fails the test binary when a goroutine is left behind, such as
// the connection opener of a *sql.DB nobody closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testDB opens a new pool on the test server, closed when tb ends. Without
// a server address it skips tb, except in CI (CI set), where that fails.
func testDB(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s is not set in CI: .ci/run must start PostgreSQL (.ci/postgres.sh)", dsnEnv)
		}
		tb.Skipf("%s is not set: run `source .ci/postgres.sh` to start a PostgreSQL server", dsnEnv)
	}
	db, err := sql.Open("pgx", dsn)
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
