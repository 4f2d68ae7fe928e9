package pgtest

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeProgs creates dir with executable files names (and non-executable
// ones, prefixed with "-").
func fakeProgs(t *testing.T, dir string, names ...string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, n := range names {
		mode := os.FileMode(0o755)
		if strings.HasPrefix(n, "-") {
			n, mode = n[1:], 0o644
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\n"), mode))
	}
}

func TestFindOnPath(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	fakeProgs(t, a, "initdb", "-pg_ctl")
	fakeProgs(t, b, "pg_ctl")
	fakeProgs(t, filepath.Join(root, "lib", "16", "bin"), "initdb", "pg_ctl")
	got, err := Find(a+string(filepath.ListSeparator)+b, filepath.Join(root, "lib", "*", "bin"))
	require.NoError(t, err)
	assert.Equal(t, Bin{filepath.Join(a, "initdb"), filepath.Join(b, "pg_ctl")}, got)
}

func TestFindHighestVersionUnderGlob(t *testing.T) {
	root := t.TempDir()
	lib := filepath.Join(root, "lib")
	fakeProgs(t, filepath.Join(lib, "9.6", "bin"), "initdb", "pg_ctl")
	fakeProgs(t, filepath.Join(lib, "15", "bin"), "initdb", "pg_ctl")
	fakeProgs(t, filepath.Join(lib, "17", "bin"), "initdb") // no pg_ctl
	fakeProgs(t, filepath.Join(lib, "10", "bin"), "initdb", "pg_ctl")
	got, err := Find(filepath.Join(root, "empty"), filepath.Join(lib, "*", "bin"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(lib, "15", "bin", "initdb"), got.Initdb)
	assert.Equal(t, filepath.Join(lib, "15", "bin", "pg_ctl"), got.PgCtl)
}

func TestFindNothing(t *testing.T) {
	root := t.TempDir()
	fakeProgs(t, filepath.Join(root, "bin"), "-initdb", "-pg_ctl")
	_, err := Find(filepath.Join(root, "bin"), filepath.Join(root, "lib", "*", "bin"))
	assert.ErrorIs(t, err, ErrNotFound)
}

// realBin returns this machine's PostgreSQL programs; without them it
// skips t, except in CI, where .ci/postgres.sh installs them.
func realBin(t *testing.T) Bin {
	t.Helper()
	bin, err := Find(os.Getenv("PATH"), DebianGlob)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return bin
}

// ping runs a query on dsn.
func ping(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var addr string
	if err := db.QueryRowContext(ctx, `SHOW listen_addresses`).Scan(&addr); err != nil {
		return err
	}
	if addr != "127.0.0.1" {
		return fmt.Errorf("listen_addresses = %q", addr)
	}
	return nil
}

// waitGone polls until path does not exist; it fails t after a minute.
func waitGone(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); os.IsNotExist(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still exists", path)
		}
	}
}

func TestStartStop(t *testing.T) {
	srv, err := Start(t.Context(), realBin(t))
	require.NoError(t, err)
	require.NoError(t, ping(srv.DSN))
	require.NoError(t, srv.Stop())
	_, err = os.Stat(srv.Dir())
	assert.True(t, os.IsNotExist(err), "the data folder is removed")
	assert.Error(t, ping(srv.DSN), "the server is stopped")
	require.NoError(t, srv.Stop(), "a second Stop does nothing")
}

// helperEnv makes the test binary a process that starts a server, prints
// its DSN and folder, and panics without stopping it.
const helperEnv = "PGTEST_START_AND_PANIC"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		srv, err := Start(context.Background(), Bin{os.Getenv("PGTEST_INITDB"), os.Getenv("PGTEST_PG_CTL")})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Println(srv.DSN, srv.Dir())
		panic("a test panicked")
	}
	os.Exit(m.Run())
}

func TestServerStopsWhenProcessPanics(t *testing.T) {
	bin := realBin(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", "PGTEST_INITDB="+bin.Initdb, "PGTEST_PG_CTL="+bin.PgCtl)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, _ := bufio.NewReader(out).ReadString('\n')
	require.Error(t, cmd.Wait(), "the helper panicked")
	dsn, dir, ok := strings.Cut(strings.TrimSpace(line), " ")
	require.True(t, ok, "helper said %q", line)

	waitGone(t, dir)
	assert.Error(t, ping(dsn), "the server is stopped")
}
