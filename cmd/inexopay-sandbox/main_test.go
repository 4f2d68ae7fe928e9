package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/curlline"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestRunServesUntilCancelled starts the sandbox on a free loopback port,
// reads the URL and credentials it prints, calls it through the SDK and
// stops it by cancelling ctx.
func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k_cmd_test_1234", "-username", "cmduser", "-balance", "1250.50"}, pw)
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()

	vars, lines := readBanner(t, pr)
	go func() { _, _ = io.Copy(io.Discard, pr) }() // drain the rest

	base := vars["INEXOPAY_BASE_URL"]
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	assert.NotEqual(t, "http://127.0.0.1:0", base)
	assert.Equal(t, "cmduser", vars["INEXOPAY_USERNAME"])
	assert.Equal(t, "k_cmd_test_1234", vars["INEXOPAY_API_KEY"])
	assert.Equal(t, "INEXOPAY sandbox listening on "+base, lines[0])
	assert.Equal(t, "Every endpoint, its form fields and a ready curl line: open "+base+"/ (or curl it).", lines[1])

	c, err := inexopay.NewClient(inexopay.HeaderAuth(vars["INEXOPAY_API_KEY"], vars["INEXOPAY_USERNAME"]),
		inexopay.WithBaseURL(base), inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, &inexopay.Balance{Amount: 125050, Username: "cmduser", Message: "Balance fetched successfully"}, b)

	cancel()
	require.NoError(t, <-done)
	_, err = c.Account.Balance(context.Background())
	assert.Error(t, err, "the server is gone")
}

// readBanner reads the banner up to its last line and returns the
// variables of its export lines, unquoted as a shell would, and its lines.
func readBanner(t *testing.T, r io.Reader) (map[string]string, []string) {
	t.Helper()
	vars := map[string]string{}
	var lines []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			words, err := curlline.Words(rest)
			require.NoError(t, err, line)
			require.Len(t, words, 1, line)
			k, v, _ := strings.Cut(words[0], "=")
			vars[k] = v
		}
		if strings.HasPrefix(line, "Ctrl-C stops.") {
			break
		}
	}
	require.NoError(t, sc.Err())
	return vars, lines
}

func TestRunRefuses(t *testing.T) {
	var out strings.Builder
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:0"}, "not a loopback address; pass -allow-remote"},
		{[]string{"-addr", ":8080"}, "not a loopback address"},
		{[]string{"-addr", "127.0.0.1:0", "-balance", "ten"}, "-balance"},
		{[]string{"-addr", "127.0.0.1:0", "-pan-answer", "xml"}, `-pan-answer: inexopaytest: unknown PAN answer "xml": want json or form`},
		{[]string{"-addr", "127.0.0.1:0", "extra"}, "unexpected arguments: extra"},
		{[]string{"-no-such-flag"}, "flag provided but not defined"},
	} {
		err := run(context.Background(), tc.args, &out)
		require.Error(t, err, tc.args)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestRunAllowRemote(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve, print, stop at once
	var out strings.Builder
	require.NoError(t, run(ctx, []string{"-addr", "0.0.0.0:0", "-allow-remote"}, &out))
	assert.Contains(t, out.String(), "export INEXOPAY_BASE_URL='http://127.0.0.1:")
	assert.Contains(t, out.String(), "export INEXOPAY_API_KEY='sandbox_key_")
	assert.True(t, strings.HasSuffix(out.String(), "stopped\n"))
}

func TestRunHelpListsControls(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), []string{"-h"}, &out)
	require.True(t, errors.Is(err, flag.ErrHelp), "%v", err)
	help := out.String()
	assert.True(t, strings.HasPrefix(help, "usage: inexopay-sandbox [flags]\n"), help)
	for _, want := range []string{
		"-allow-remote", "-webhook-backoff duration",
		"POST /sandbox/control/wallet/{complete,fail}   order_id\n",
		"POST /sandbox/control/fault                    endpoint, kind, n, delay\n",
		"POST /sandbox/control/webhook_url              url", "GET  /sandbox/control/deliveries", "GET / on the\nsandbox lists every endpoint",
		"GET  /sandbox/control/requests                 [endpoint]\n",
		"http500, http502", "html_form", "drop_after_processing", "a Go duration such as 250ms, for kind delay only",
		"curl -d endpoint=PAN.Request -d kind=drop -d n=2 http://127.0.0.1:8080/sandbox/control/fault\n",
	} {
		assert.Contains(t, help, want)
	}

	// The kind lines name every kind the fault control takes, as its
	// refusal lists them from the sandbox's one table of fault kinds.
	srv := inexopaytest.NewServer()
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/sandbox/control/fault", url.Values{"endpoint": {"PAN.Request"}, "kind": {"?"}})
	require.NoError(t, err)
	var ans struct{ Message string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ans))
	_ = resp.Body.Close()
	_, kinds, found := strings.Cut(ans.Message, "want one of ")
	require.True(t, found, ans.Message)
	start, end := strings.Index(help, "\n  kind "), strings.Index(help, "\n  delay ")
	require.True(t, start > 0 && end > start, help)
	for _, k := range strings.Split(kinds, ", ") {
		assert.Regexp(t, `\b`+regexp.QuoteMeta(k)+`\b`, help[start:end])
	}
}

// TestRunFaultControl drives the fault and request-count controls of the
// standalone sandbox over HTTP, as an app in another language would, and
// checks their effect through the SDK.
func TestRunFaultControl(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k_cmd_fault_1234"}, pw)
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()
	vars, lines := readBanner(t, pr)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := vars["INEXOPAY_BASE_URL"]
	require.NotEmpty(t, base)
	assert.Contains(t, lines, "Faults: curl -sS "+base+"/sandbox/control/fault -d endpoint=PAN.Request -d kind=drop -d n=1")
	assert.Contains(t, lines, "Deliveries: curl -sS "+base+"/sandbox/control/deliveries")

	post := func(path string, form url.Values) (int, string) {
		resp, err := http.PostForm(base+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	code, body := post("/sandbox/control/fault", url.Values{"endpoint": {"Account.Balance"}, "kind": {"http502"}, "n": {"2"}})
	require.Equal(t, http.StatusOK, code, body)
	assert.JSONEq(t, `{"status":true,"message":"OK","endpoint":"Account.Balance","path":"/api/balance.php","kind":"http502","n":2}`, body)

	c, err := inexopay.NewClient(inexopay.BodyAuth("k_cmd_fault_1234", "sandbox"),
		inexopay.WithBaseURL(base), inexopay.WithRetry(1, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	_, err = c.Account.Balance(ctx)
	require.ErrorIs(t, err, inexopay.ErrServer, "two 502s outlast one retry")
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Rupees(1000), b.Amount)

	resp, err := http.Get(base + "/sandbox/control/requests?endpoint=Account.Balance")
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"status":true,"message":"OK","endpoint":"Account.Balance","requests":3}`, string(got))

	code, body = post("/sandbox/control/fault", url.Values{"endpoint": {"Account.Balance"}, "kind": {"explode"}})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.JSONEq(t, `{"status":false,"message":"inexopaytest: unknown kind \"explode\": want one of http500, http502, html_form, delay, drop, drop_after_processing"}`, body)

	cancel()
	require.NoError(t, <-done)
}

// TestRunPANAnswerForm: with -pan-answer=form the sandbox answers PAN.Request
// with an HTML form that the SDK hands back as PANApplication.Form, and
// charges the fee.
func TestRunPANAnswerForm(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k_cmd_form_1234", "-pan-answer", "form"}, pw)
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()
	vars, _ := readBanner(t, pr)
	base := vars["INEXOPAY_BASE_URL"]
	require.NotEmpty(t, base)
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	c, err := inexopay.NewClient(inexopay.BodyAuth("k_cmd_form_1234", "sandbox"), inexopay.WithBaseURL(base))
	require.NoError(t, err)
	app, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "CMDFORM1",
		Mode: inexopay.PANModeESign, Type: inexopay.PANTypeCorrection})
	require.NoError(t, err)
	require.NotNil(t, app.Form, "an HTML form, not JSON")
	assert.Equal(t, base+"/sandbox/nsdl/pan", app.Form.Action)
	assert.Equal(t, "E", app.Form.Fields.Get("mode"))
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, b.Amount, "charged")

	cancel()
	require.NoError(t, <-done)
}

// TestRunLogsRequestsUnlessQuiet: API requests are logged on stdout after
// the banner, one line each, without the API key; -quiet turns that off.
func TestRunLogsRequestsUnlessQuiet(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		argv := []string{"-addr", "127.0.0.1:0", "-api-key", "k_log_test_5678"}
		if quiet {
			argv = append(argv, "-quiet")
		}
		go func() {
			err := run(ctx, argv, pw)
			_ = pw.CloseWithError(io.EOF)
			done <- err
		}()
		vars, _ := readBanner(t, pr)
		rest := make(chan string, 1)
		go func() {
			b, _ := io.ReadAll(pr)
			rest <- string(b)
		}()
		c, err := inexopay.NewClient(inexopay.BodyAuth(vars["INEXOPAY_API_KEY"], vars["INEXOPAY_USERNAME"]),
			inexopay.WithBaseURL(vars["INEXOPAY_BASE_URL"]), inexopay.WithRetry(0, 0, 0))
		require.NoError(t, err)
		_, err = c.Account.Balance(ctx)
		require.NoError(t, err)
		cancel()
		require.NoError(t, <-done)
		out := <-rest
		assert.NotContains(t, out, "k_log_test_5678")
		if quiet {
			assert.Equal(t, "stopped\n", out)
		} else {
			assert.Regexp(t, `^\S+ api     Account\.Balance +POST /api/balance\.php http=200 code=200 \S+\nstopped\n$`, out)
		}
	}
}
