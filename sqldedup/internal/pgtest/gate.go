package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// Gate tells each test that needs PostgreSQL where the server is, or skips
// it (fails it in CI), and counts the skipped tests. Open makes one.
type Gate struct {
	// DSN is the server's address; empty when there is no server.
	DSN string
	// Reason says why there is no server.
	Reason string
	// CI makes Require fail a test rather than skip it.
	CI bool

	mu      sync.Mutex
	skipped map[string]bool // top-level test names
}

// Open returns a Gate for the server named in INEXOPAY_TEST_POSTGRES_DSN,
// or else for a throwaway server it starts (see Start) from the programs
// Find finds on the PATH or under DebianGlob, whose address it then puts in
// INEXOPAY_TEST_POSTGRES_DSN for the tests that read it. stop stops that
// server; call it once the tests have run (the server also stops when the
// process ends without it). When no server can be had, the Gate's Reason
// says why and Require skips (in CI, when CI is set, fails) each test.
func Open(ctx context.Context) (g *Gate, stop func() error) {
	g = &Gate{DSN: os.Getenv(DSNEnv), CI: os.Getenv("CI") != ""}
	stop = func() error { return nil }
	if g.DSN != "" {
		return g, stop
	}
	bin, err := Find(os.Getenv("PATH"), DebianGlob)
	if err != nil {
		g.Reason = fmt.Sprintf("%s is not set and there are %v", DSNEnv, err)
		return g, stop
	}
	srv, err := Start(ctx, bin)
	if err != nil {
		g.Reason = fmt.Sprintf("%s is not set and starting PostgreSQL from %s failed: %v", DSNEnv, bin.Initdb, err)
		return g, stop
	}
	g.DSN = srv.DSN
	if err := os.Setenv(DSNEnv, srv.DSN); err != nil {
		_ = srv.Stop()
		g.DSN, g.Reason = "", err.Error()
		return g, stop
	}
	return g, func() error {
		_ = os.Unsetenv(DSNEnv)
		return srv.Stop()
	}
}

// Require returns the server's address. Without a server it skips tb,
// counting it, or, in CI, fails it: in CI a test that needs PostgreSQL
// must run.
func (g *Gate) Require(tb testing.TB) string {
	tb.Helper()
	if g.DSN != "" {
		return g.DSN
	}
	if g.CI {
		tb.Fatalf("no PostgreSQL in CI: %s; .ci/run starts one (.ci/postgres.sh)", g.Reason)
		return ""
	}
	name, _, _ := strings.Cut(tb.Name(), "/")
	g.mu.Lock()
	if g.skipped == nil {
		g.skipped = map[string]bool{}
	}
	g.skipped[name] = true
	g.mu.Unlock()
	tb.Skipf("no PostgreSQL: %s", g.Reason)
	return ""
}

// Skipped returns how many tests (benchmarks included) Require skipped.
func (g *Gate) Skipped() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.skipped)
}

// Summary returns the one line to print once the tests have run: how many
// were skipped for want of PostgreSQL, why, and how to run them; "" when
// none was skipped.
func (g *Gate) Summary(pkg string) string {
	n := g.Skipped()
	if n == 0 {
		return ""
	}
	tests := "tests"
	if n == 1 {
		tests = "test"
	}
	return fmt.Sprintf("%s: %d %s skipped, no PostgreSQL (%s); to run them, set %s, install PostgreSQL, or run `source .ci/postgres.sh` first",
		pkg, n, tests, g.Reason, DSNEnv)
}
