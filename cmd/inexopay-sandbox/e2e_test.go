package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/curlline"
	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// buildSandbox builds this command into a temporary directory.
func buildSandbox(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	bin := filepath.Join(t.TempDir(), "inexopay-sandbox")
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// lockedLines collects the lines a process prints.
type lockedLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *lockedLines) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

func (l *lockedLines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// do runs one curl line of the index page over net/http and decodes its
// JSON answer.
func do(t *testing.T, line string) (int, map[string]any) {
	t.Helper()
	req, err := curlline.Request(context.Background(), line)
	require.NoError(t, err, line)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, line)
	defer resp.Body.Close()
	var ans map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ans), line)
	return resp.StatusCode, ans
}

// TestSandboxBinaryAsCurlUser builds the sandbox, starts it on a free port
// and drives it only as its banner and index page tell a curl user to:
// the export lines are pasted into a shell, every endpoint's curl line is
// run (values marked * replaced by those of earlier answers), the global
// webhook URL is set with the control's curl line, a wallet load is
// completed with the control's curl line, the webhook reaches a listener,
// and the deliveries control reports it delivered. The log on stdout has a
// line per request and per webhook attempt, and no API key.
func TestSandboxBinaryAsCurlUser(t *testing.T) {
	bin := buildSandbox(t)
	const key = `e2e key 'quoted' $HOME "x"`
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-api-key", key, "-webhook-backoff", "10ms")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	stopped := false
	var drained chan struct{} // closed when the log reader saw EOF
	stop := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Signal(os.Interrupt)
			// Wait closes the pipe: read it to its end first, or the last
			// lines ("stopped") may be lost.
			if drained != nil {
				<-drained
			}
			_ = cmd.Wait()
		}
	}
	defer stop()

	br := bufio.NewReader(stdout)
	vars, banner := readBanner(t, br)
	base := vars["INEXOPAY_BASE_URL"]
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), "%v", banner)
	assert.Equal(t, key, vars["INEXOPAY_API_KEY"])
	var log lockedLines
	drained = make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(br)
		for sc.Scan() {
			log.add(sc.Text())
		}
	}()

	// The export lines work pasted into a shell.
	if sh, err := exec.LookPath("sh"); err == nil {
		var exports []string
		for _, l := range banner {
			if strings.HasPrefix(l, "export ") {
				exports = append(exports, l)
			}
		}
		require.Len(t, exports, 3)
		out, err := exec.Command(sh, "-c", strings.Join(exports, "\n")+
			"\nprintf '%s\\n%s\\n%s' \"$INEXOPAY_BASE_URL\" \"$INEXOPAY_USERNAME\" \"$INEXOPAY_API_KEY\"").Output()
		require.NoError(t, err)
		assert.Equal(t, base+"\nsandbox\n"+key, string(out))
	}

	// The index page, as curl gets it.
	resp, err := http.Get(base + "/")
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	lineFor := map[string]string{}
	for _, l := range curlline.Lines(string(page)) {
		u := strings.Fields(l)[2]
		if _, seen := lineFor[u]; !seen {
			lineFor[strings.TrimPrefix(u, base)] = l
		}
	}

	// A webhook listener, set as the global webhook URL with the control's
	// curl line.
	// It reads the body with inexopay.ParseWebhook, which trims the space
	// INEXOPAY (and so the sandbox) puts before each "&".
	hooks := make(chan *inexopay.WebhookEvent, 10)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := inexopay.ParseWebhook(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		hooks <- ev
	}))
	defer listener.Close()
	setHook := lineFor["/sandbox/control/webhook_url"]
	require.Contains(t, setHook, "url=http://127.0.0.1:8081/webhook")
	code, ans := do(t, strings.Replace(setHook, "http://127.0.0.1:8081/webhook", listener.URL+"/hook", 1))
	require.Equal(t, http.StatusOK, code, ans)

	// Every endpoint's curl line, in the page's order.
	replace := map[string]string{}
	var walletOrder string
	for _, e := range endpoints.All {
		line := lineFor[e.Path]
		require.NotEmpty(t, line, e.Name)
		for from, to := range replace {
			line = strings.ReplaceAll(line, from, to)
		}
		code, ans := do(t, line)
		require.Equal(t, http.StatusOK, code, "%s: %v", e.Name, ans)
		assert.NotEqual(t, false, ans["status"], "%s: %v", e.Name, ans)
		assert.NotEqual(t, "FAILED", ans["status"], "%s: %v", e.Name, ans)
		data, _ := ans["data"].(map[string]any)
		switch e.Name {
		case "Wallet.GenerateQR":
			walletOrder = data["order_id"].(string)
			replace["WAL1234567890123"] = walletOrder
		case "Aadhaar.SendOTP":
			rid := data["request_id"].(string)
			replace["ADHRVFR19052420260531_1e2d274"] = rid
			otpLine := strings.ReplaceAll(lineFor["/sandbox/control/aadhaar/otp"], "ADHRVFR19052420260531_1e2d274", rid)
			_, otpAns := do(t, otpLine)
			replace["otp=123456"] = "otp=" + otpAns["otp"].(string)
		}
	}

	// The exact balance line also works in a shell with the real curl.
	if _, err := exec.LookPath("curl"); err == nil {
		out, err := exec.Command("sh", "-c", lineFor["/api/balance.php"]).Output()
		require.NoError(t, err)
		assert.Contains(t, string(out), `"message":"Balance fetched successfully"`)
	}

	// Complete the wallet load with the control's curl line: the webhook
	// reaches the listener.
	complete := strings.ReplaceAll(lineFor["/sandbox/control/wallet/complete"], "WAL1234567890123", walletOrder)
	code, ans = do(t, complete)
	require.Equal(t, http.StatusOK, code, ans)
	select {
	case ev := <-hooks:
		assert.Equal(t, walletOrder, ev.OrderID)
		assert.Equal(t, inexopay.StatusSuccess, ev.Status)
		assert.Equal(t, inexopay.CallbackGlobal, ev.CallbackType)
		assert.Equal(t, "INEXOPAY-API", ev.Source)
		assert.Empty(t, ev.Warnings)
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook reached the listener")
	}

	// The deliveries control reports it.
	var delivery map[string]any
	require.Eventually(t, func() bool {
		_, ans := do(t, lineFor["/sandbox/control/deliveries"])
		list, _ := ans["deliveries"].([]any)
		for _, d := range list {
			if m := d.(map[string]any); m["order_id"] == walletOrder && m["done"] == true {
				delivery = m
				return true
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, map[string]any{
		"order_id": walletOrder, "url": listener.URL + "/hook", "callback_type": "global_webhook", "status": "success",
		"attempts": float64(1), "last_status": float64(200), "delivered": true, "done": true,
	}, delivery)

	stop()
	<-drained
	logText := log.text()
	assert.NotContains(t, logText, key)
	assert.NotContains(t, logText, "234567890124", "no Aadhaar number in the log")
	for _, e := range endpoints.All {
		assert.Regexp(t, `(?m)^\S+ api     `+strings.ReplaceAll(e.Name, ".", `\.`)+` +POST `+e.Path+` .*http=200 `, logText, e.Name)
	}
	assert.Regexp(t, `(?m)^\S+ webhook `+listener.URL+`/hook order=`+walletOrder+` status=success callback=global_webhook attempt=1/11 http=200 \S+ delivered$`, logText)
	assert.True(t, strings.HasSuffix(logText, "stopped"), logText)
}
