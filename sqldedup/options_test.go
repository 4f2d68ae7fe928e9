package sqldedup_test

import (
	"context"
	"strings"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
