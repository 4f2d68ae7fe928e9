package sqldedup_test

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
)

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

func TestWithTableSchemaQualified(t *testing.T) {
	db := testDB(t)
	ctx := testCtx(t)
	schema := "dedup_schema_" + randomHex(4)
	_, err := db.ExecContext(ctx, `CREATE SCHEMA "`+schema+`"`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := db.ExecContext(context.Background(), `DROP SCHEMA "`+schema+`" CASCADE`)
		assert.NoError(t, err)
	})
	s, err := sqldedup.New(ctx, db, sqldedup.WithTable(schema+".events"))
	require.NoError(t, err)
	assert.Equal(t, inexopay.ClaimAcquired, claim(t, s, "k", "a", lease))
	var n int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*) FROM "`+schema+`".events WHERE key = 'k'`).Scan(&n))
	assert.Equal(t, 1, n, "the record is in the schema's table")
	var idx *string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT to_regclass($1)::text`, schema+".events_expires_at").Scan(&idx))
	assert.NotNil(t, idx, "the index is in the table's schema")
}

// TestWithTableRefusesBadNames: no name reaches the database unless it is a
// plain lower-case identifier, so nothing can be injected and no
// case-sensitive twin of a table is created.
func TestWithTableRefusesBadNames(t *testing.T) {
	bad := []string{
		"", "Dedup", "1dedup", "de-dup", "de dup", `de"dup`, "dedup;drop table x", "a.b.c", ".dedup", "dedup.",
		"dédup", strings.Repeat("a", 49), strings.Repeat("a", 49) + ".t",
	}
	for _, name := range bad {
		_, err := sqldedup.New(context.Background(), closedDB(t), sqldedup.WithTable(name))
		require.Error(t, err, "%q", name)
		assert.Contains(t, err.Error(), "WithTable", "%q", name)
	}
	for _, name := range []string{"d", "_d", "dedup_2", strings.Repeat("a", 48), "s.t"} {
		_, err := sqldedup.New(context.Background(), closedDB(t), sqldedup.WithTable(name))
		require.Error(t, err, "%q: the closed DB must be reached", name)
		assert.NotContains(t, err.Error(), "WithTable(", "%q accepted", name)
	}
}

func TestOptionsRefuseBadValues(t *testing.T) {
	for name, opt := range map[string]sqldedup.Option{
		"WithRetention(0)":     sqldedup.WithRetention(0),
		"WithRetention(999ms)": sqldedup.WithRetention(999 * time.Millisecond),
		"WithCleanup(-1s, 10)": sqldedup.WithCleanup(-time.Second, 10),
		"WithCleanup(1m, 0)":   sqldedup.WithCleanup(time.Minute, 0),
		"WithCleanup(1m, -5)":  sqldedup.WithCleanup(time.Minute, -5),
		"WithTable(OK)":        sqldedup.WithTable("OK"),
	} {
		_, err := sqldedup.New(context.Background(), closedDB(t), opt)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "sqldedup: With", name)
	}
	_, err := sqldedup.New(context.Background(), nil)
	assert.Error(t, err)
	_, err = sqldedup.New(context.Background(), closedDB(t), nil) // a nil option is skipped
	assert.ErrorContains(t, err, "database is closed")
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
