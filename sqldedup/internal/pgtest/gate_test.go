package pgtest

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTB records how Require ended a test.
type fakeTB struct {
	testing.TB
	name           string
	skipped, fatal string
}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = format
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = format
	runtime.Goexit()
}

// require runs g.Require for a test named name, as a test goroutine would.
func (g *Gate) requireAs(name string) (dsn string, tb *fakeTB) {
	tb = &fakeTB{name: name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		dsn = g.Require(tb)
	}()
	<-done
	return dsn, tb
}

func TestRequireWithServer(t *testing.T) {
	g := &Gate{DSN: "postgres://x", CI: true}
	dsn, tb := g.requireAs("TestA")
	assert.Equal(t, "postgres://x", dsn)
	assert.Empty(t, tb.skipped+tb.fatal)
	assert.Equal(t, "", g.Summary("sqldedup"))
}

func TestRequireSkipsAndCountsWithoutServer(t *testing.T) {
	g := &Gate{Reason: "no initdb"}
	for _, name := range []string{"TestA", "TestB", "TestB/sub", "BenchmarkC/postgres/new", "BenchmarkC/postgres/done"} {
		dsn, tb := g.requireAs(name)
		assert.Empty(t, dsn)
		assert.NotEmpty(t, tb.skipped, name)
		assert.Empty(t, tb.fatal, name)
	}
	assert.Equal(t, 3, g.Skipped(), "TestA, TestB and BenchmarkC")
	line := g.Summary("sqldedup")
	assert.True(t, strings.HasPrefix(line, "sqldedup: 3 tests skipped, no PostgreSQL (no initdb)"), line)
	assert.Contains(t, line, DSNEnv)
	assert.Contains(t, line, "source .ci/postgres.sh")
	assert.NotContains(t, line, "\n")
}

func TestRequireFailsInCIWithoutServer(t *testing.T) {
	g := &Gate{Reason: "no initdb", CI: true}
	_, tb := g.requireAs("TestA")
	assert.NotEmpty(t, tb.fatal)
	assert.Empty(t, tb.skipped)
	assert.Zero(t, g.Skipped())
}

func TestOpenUsesTheDSNGiven(t *testing.T) {
	t.Setenv(DSNEnv, "postgres://given")
	t.Setenv("CI", "")
	g, stop := Open(t.Context())
	require.NoError(t, stop())
	assert.Equal(t, "postgres://given", g.DSN)
	assert.False(t, g.CI)
}
