// Package pgtest gives the sqldedup tests a PostgreSQL server: the one
// named in INEXOPAY_TEST_POSTGRES_DSN, or else a throwaway one it starts
// from initdb and pg_ctl (found on the PATH or under
// /usr/lib/postgresql/*/bin), as .ci/postgres.sh does; and it keeps count
// of the tests skipped for want of one. It is for tests only.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// DSNEnv names the environment variable with the address of the server
// the tests use.
const DSNEnv = "INEXOPAY_TEST_POSTGRES_DSN"

// DebianGlob is where Debian's postgresql packages put initdb and pg_ctl.
const DebianGlob = "/usr/lib/postgresql/*/bin"

// ErrNotFound says that no initdb and pg_ctl were found.
var ErrNotFound = errors.New("no initdb and pg_ctl on the PATH or in " + DebianGlob)

// Bin holds the paths of the two programs Start runs.
type Bin struct {
	Initdb, PgCtl string
}

// Find looks for initdb and pg_ctl in the directories of path (a PATH
// value) and then in the directories globs match, the highest version
// first (the number after "postgresql/"). Both must be executable files
// of one directory, except on the PATH, where each is looked up alone. It
// returns ErrNotFound when neither place has them.
func Find(path string, globs ...string) (Bin, error) {
	if b := (Bin{lookPath(path, "initdb"), lookPath(path, "pg_ctl")}); b.Initdb != "" && b.PgCtl != "" {
		return b, nil
	}
	var dirs []string
	for _, g := range globs {
		m, _ := filepath.Glob(g)
		dirs = append(dirs, m...)
	}
	slices.SortStableFunc(dirs, func(a, b string) int { return compareVersions(versionOf(b), versionOf(a)) })
	for _, d := range dirs {
		b := Bin{filepath.Join(d, "initdb"), filepath.Join(d, "pg_ctl")}
		if isExec(b.Initdb) && isExec(b.PgCtl) {
			return b, nil
		}
	}
	return Bin{}, ErrNotFound
}

func lookPath(path, name string) string {
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			continue
		}
		if p := filepath.Join(d, name); isExec(p) {
			return p
		}
	}
	return ""
}

func isExec(p string) bool {
	fi, err := os.Stat(p) //nolint:gosec // looking at PATH's programs is the point
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// versionOf returns the numbers of the version directory in a path such as
// /usr/lib/postgresql/16/bin or .../9.6/bin.
func versionOf(dir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(dir)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

func compareVersions(a, b []int) int { return slices.Compare(a, b) }

// Server is a throwaway PostgreSQL server: trust authentication, listening
// on 127.0.0.1 only at a free port, its data in a temporary folder, run as
// the postgres user when the tests run as root (initdb refuses root), with
// fsync off. Stop it with Stop. When the test process ends without Stop
// (a panic, a failed test binary, a kill), a watchdog process that waits
// for the process's end stops the server and removes the folder.
type Server struct {
	// DSN is the address of the server's postgres database.
	DSN string

	dir      string
	as       []string // runuser prefix, or nothing
	bin      Bin
	watchdog *exec.Cmd
	wake     io.WriteCloser
}

// Start starts a Server with the programs of bin. It fails when running as
// root with no postgres user or no runuser, or when initdb or pg_ctl fail
// (their output is in the error); nothing is left behind then.
func Start(ctx context.Context, bin Bin) (*Server, error) {
	s := &Server{bin: bin}
	var uid, gid = -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs a postgres user (initdb refuses root): %w", err)
		}
		runuser := lookPath(os.Getenv("PATH")+string(filepath.ListSeparator)+"/usr/sbin:/sbin", "runuser")
		if runuser == "" {
			return nil, errors.New("running as root, PostgreSQL needs runuser to run as the postgres user")
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		s.as = []string{runuser, "-u", "postgres", "--"}
	}
	dir, err := os.MkdirTemp("", "inexopay-pg.")
	if err != nil {
		return nil, err
	}
	s.dir = dir
	if err := s.startWatchdog(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	fail := func(err error) (*Server, error) {
		_ = s.Stop()
		return nil, err
	}
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	if err := os.Chmod(dir, 0o700); err != nil { //nolint:gosec // a folder: initdb wants 0700
		return fail(err)
	}
	if out, err := s.run(ctx, bin.Initdb, "-D", s.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"); err != nil {
		return fail(fmt.Errorf("initdb: %w: %s", err, lastLines(out)))
	}
	// A port free now may be taken before postgres binds it: try others.
	var lastErr error
	for range 8 {
		port, err := freePort(ctx)
		if err != nil {
			return fail(err)
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c max_connections=300 -c fsync=off -c full_page_writes=off", port, dir)
		out, err := s.run(ctx, bin.PgCtl, "-D", s.data(), "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start")
		if err == nil {
			s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
			return s, nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "server.log")) //nolint:gosec // the server log in the folder Start made
		lastErr = fmt.Errorf("pg_ctl start: %w: %s %s", err, lastLines(out), lastLines(log))
		if ctx.Err() != nil {
			break
		}
	}
	return fail(lastErr)
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// run runs a PostgreSQL program, as the postgres user when needed, and
// returns its output.
func (s *Server) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	argv := append(append(slices.Clone(s.as), prog), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...) //nolint:gosec // the PostgreSQL programs Find found
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a Ctrl-C of the tests leaves cleanup to the watchdog
	return cmd.CombinedOutput()
}

// startWatchdog starts a shell that waits for its stdin to end (Stop
// closes it, and so does the end of this process, however it ends), then
// stops the server, if any, and removes the folder. It runs in a process
// group of its own, so a Ctrl-C of the tests does not stop it first.
func (s *Server) startWatchdog() error {
	stop := append(append(slices.Clone(s.as), s.bin.PgCtl), "-D", s.data(), "-m", "fast", "-w", "stop")
	script := `read -r _; if [ -f "$0/data/postmaster.pid" ]; then "$@" >/dev/null 2>&1; fi; rm -rf -- "$0"`
	// It must outlive every context: it is what cleans up when all else ends.
	cmd := exec.CommandContext(context.Background(), "/bin/sh", append([]string{"-c", script, s.dir}, stop...)...) //nolint:gosec // fixed script; paths are arguments, not code
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	w, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the watchdog of the PostgreSQL server: %w", err)
	}
	s.watchdog, s.wake = cmd, w
	return nil
}

// Stop stops the server and removes its folder, and waits for both. It
// fails when the watchdog fails; calling it again does nothing.
func (s *Server) Stop() error {
	if s.watchdog == nil {
		return nil
	}
	_ = s.wake.Close()
	err := s.watchdog.Wait()
	s.watchdog = nil
	if err != nil {
		return fmt.Errorf("stopping the PostgreSQL server in %s: %w", s.dir, err)
	}
	return nil
}

// Dir returns the server's temporary folder.
func (s *Server) Dir() string { return s.dir }

func freePort(ctx context.Context) (int, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lastLines returns the end of a program's output, for an error.
func lastLines(b []byte) string {
	s := strings.TrimSpace(string(b))
	lines := strings.Split(s, "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}
