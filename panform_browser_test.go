//go:build unix

package inexopay_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// pfChromium returns the path of a Chromium binary: $INEXOPAY_CHROMIUM, or
// chromium on PATH (Debian's package). Outside CI a missing browser skips
// the test; in CI (CI=true) it fails it.
func pfChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("INEXOPAY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; .ci/chromium.sh installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); CI runs this test")
	return ""
}

// TestBrowserFollowsRedirectForm is the hand-off in a real browser: an app
// handler files a PAN application with the sandbox answering an HTML form
// and serves the form with WritePage; headless Chromium loads that page,
// which submits itself (under the page's own Content-Security-Policy), and
// arrives at the sandbox's NSDL page with every field of the form posted.
func TestBrowserFollowsRedirectForm(t *testing.T) {
	chromium := pfChromium(t)
	srv := e2eServer(t, inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	client := srv.Client()

	var mu sync.Mutex
	var handed *inexopay.RedirectForm
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := e2ePAN("BROWSER1")
		params.ReturnURL = pfReturnURL
		pa, err := client.PAN.Request(r.Context(), params)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if pa.Form == nil {
			http.Redirect(w, r, pa.URL, http.StatusSeeOther)
			return
		}
		mu.Lock()
		handed = pa.Form
		mu.Unlock()
		if err := pa.Form.WritePage(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	defer app.Close()

	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--no-first-run", "--no-default-browser-check", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", app.URL+"/pan/start")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Chromium starts helper processes: run it in its own process group
	// and end the whole group, on timeout and after it exits.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	require.NoError(t, cmd.Start())
	runErr := cmd.Wait()
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		t.Logf("ending chromium's process group: %v", err)
	}
	require.NoError(t, runErr, "chromium: %s", tail(stderr.String(), 2000))

	mu.Lock()
	form := handed
	mu.Unlock()
	require.NotNil(t, form, "the app served a form; chromium printed: %s", tail(stdout.String(), 2000))

	var posts []inexopaytest.PANPageVisit
	for _, v := range srv.PANPageVisits() {
		if v.Method == http.MethodPost {
			posts = append(posts, v)
		}
	}
	require.Len(t, posts, 1, "the browser posted the form once")
	assert.Equal(t, "/sandbox/nsdl/pan", posts[0].Path)
	assert.Equal(t, form.Fields, posts[0].Fields, "every field posted, none changed or added")
	assert.True(t, posts[0].Accepted)
	assert.Equal(t, "BROWSER1", posts[0].OrderID)
	// The DOM chromium printed is the NSDL page's, not the SDK's.
	dom := stdout.String()
	assert.Contains(t, dom, "NSDL PAN application (sandbox)")
	assert.Contains(t, dom, "PAN application BROWSER1 (new_pan, EKYC), status Pending")
	assert.NotContains(t, dom, "inexopay-redirect")
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
