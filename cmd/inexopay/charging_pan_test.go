package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// TestPANFormHandOff: against a host that answers PAN.Request and
// PAN.Resume with an HTML form, the CLI prints the whole hand-off (the
// action and every field, masked in text, in full with -json), writes the
// auto-submit page with -form-out, and never prints an empty txid.
func TestPANFormHandOff(t *testing.T) {
	srv, env, base := sandbox(t, inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	page := t.TempDir() + "/page.html"
	r := runCLI(t, env, args(base, "pan-request", "-mobile", "9876543210", "-order", "FORMPAN1", "-yes", "-form-out", page)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Action:")
	assert.Contains(t, r.stdout, "application/x-www-form-urlencoded", "the encoding the form posts in")
	assert.Contains(t, r.stdout, "Field ")
	assert.Contains(t, r.stdout, "[REDACTED]")
	assert.NotContains(t, r.stdout, "Txid")
	assert.NotContains(t, r.stdout, "9876543210")

	html, err := os.ReadFile(page)
	require.NoError(t, err, r.stderr)
	assert.Contains(t, string(html), `<form id="inexopay-redirect" method="POST"`)
	fi, err := os.Stat(page)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	r = runCLI(t, env, args(base, "-json", "pan-resume", "FORMPAN1", "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var out struct {
		TxID *string `json:"txid"`
		Form *struct {
			Action  string              `json:"action"`
			Method  string              `json:"method"`
			Enctype string              `json:"enctype"`
			Fields  map[string][]string `json:"fields"`
		} `json:"form"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	assert.Nil(t, out.TxID, "no empty txid: %s", r.stdout)
	require.NotNil(t, out.Form, r.stdout)
	assert.NotEmpty(t, out.Form.Action)
	assert.Equal(t, "application/x-www-form-urlencoded", out.Form.Enctype)
	assert.NotEmpty(t, out.Form.Fields)
	_ = srv
}

// TestPANRequestWithoutTxIDIsNotASuccess: a JSON answer with a URL but no
// txid is printed with the order asked (not the answer's), and the command
// exits exitIncomplete, naming that order in its hint and -json error.
func TestPANRequestWithoutTxIDIsNotASuccess(t *testing.T) {
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status_code":200,"status":"SUCCESS","data":{"url":"https://nsdl.example/pan?p=1"}}`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}
	for _, cmd := range [][]string{{"pan-request", "-mobile", "9876543210", "-order", "NOTX1"}, {"pan-resume", "NOTX1"}} {
		r := runCLI(t, env, append([]string{"-base-url", api.URL}, append(cmd, "-yes")...)...)
		assert.Equal(t, exitIncomplete, r.code, "%v: %s", cmd, r.stderr)
		assert.Contains(t, r.stdout, "https://nsdl.example/pan", cmd)
		assert.Contains(t, r.stderr, "no txid", cmd)
		assert.Contains(t, r.stderr, "pan-status NOTX1", cmd)

		r = runCLI(t, env, append([]string{"-json", "-base-url", api.URL}, append(cmd, "-yes")...)...)
		assert.Equal(t, exitIncomplete, r.code, "%v: %s", cmd, r.stderr)
		var out struct {
			OrderID string `json:"order_id"`
			URL     string `json:"url"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
		assert.Equal(t, "NOTX1", out.OrderID, cmd)
		var je struct {
			Error jsonError `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.stderr), &je), r.stderr)
		assert.Equal(t, "incomplete", je.Error.Kind)
		assert.Equal(t, exitIncomplete, je.Error.ExitCode)
		assert.Equal(t, "NOTX1", je.Error.OrderID)
	}
	assert.Equal(t, int32(4), calls.Load())
}

// TestPANFormOutIsCheckedBeforeCharging: -form-out naming a file that
// exists, or a folder that does not, is refused before anything is sent
// (exit 3), and an existing file is left as it was.
func TestPANFormOutIsCheckedBeforeCharging(t *testing.T) {
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		http.Error(w, "not expected", http.StatusTeapot)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}
	dir := t.TempDir()
	existing := dir + "/page.html"
	require.NoError(t, os.WriteFile(existing, []byte("keep me"), 0o644))
	for _, path := range []string{existing, dir + "/missing/page.html", dir} {
		for _, cmd := range [][]string{{"pan-request", "-mobile", "9876543210", "-order", "OUT1"}, {"pan-resume", "OUT1"}} {
			r := runCLI(t, env, append([]string{"-base-url", api.URL}, append(cmd, "-yes", "-form-out", path)...)...)
			assert.Equal(t, exitInvalid, r.code, "%v %s: %s", cmd, path, r.stderr)
			assert.Contains(t, r.stderr, "-form-out", path)
		}
	}
	assert.Zero(t, calls.Load(), "nothing is sent")
	b, err := os.ReadFile(existing)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(b))
}

// TestWriteFormPageFailureKeepsTheHandOff: when the page cannot be written
// after the charge (its folder went away), the hand-off is printed first
// and the error is exitIncomplete, naming the order.
func TestWriteFormPageFailureKeepsTheHandOff(t *testing.T) {
	var out, errOut capture
	c := &cli{env: func(string) string { return "" }, stdout: &out, stderr: &errOut}
	a := &inexopay.PANApplication{Form: &inexopay.RedirectForm{
		Action: "https://nsdl.example/pan", Method: "POST", Fields: url.Values{"req": {"v"}}}}
	err := c.finishPANApplication(a, "GONE1", t.TempDir()+"/gone/page.html")
	assert.Equal(t, exitIncomplete, exitCode(err), "%v", err)
	assert.Contains(t, err.Error(), "GONE1")
	assert.Contains(t, err.Error(), "writing the form page")
	assert.Contains(t, out.String(), "https://nsdl.example/pan")
	assert.Contains(t, out.String(), "GONE1")
}

// TestPANFormJSONMasksTheAPIKey: a form answer that echoes the API key (in
// a field, the action's path or query) is refused as outcome unknown (it
// would hand the key to the applicant's browser): the error says so
// without the key, with -json too, and no page is written with -form-out.
func TestPANFormJSONMasksTheAPIKey(t *testing.T) {
	const key = "cli_key_0123456789"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://nsdl.example/pan/`+key+`?session=QTOKEN&k=`+key+`">
<input type="hidden" name="req" value="FIELDTOKEN"><input type="hidden" name="echo_key" value="`+key+`">
<input type="hidden" name="`+key+`" value="x"></form></body></html>`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: key, envUsername: "cliuser"}
	page := t.TempDir() + "/page.html"
	for _, cmd := range [][]string{{"pan-request", "-mobile", "9876543210", "-order", "ECHO1"}, {"pan-resume", "ECHO1"}} {
		for _, json := range []bool{false, true} {
			a := append([]string{"-base-url", api.URL}, cmd...)
			if json {
				a = append([]string{"-json"}, a...)
			}
			r := runCLI(t, env, append(a, "-yes", "-form-out", page)...)
			require.Equal(t, exitNetwork, r.code, r.stderr)
			assert.NotContains(t, r.stdout+r.stderr, key, "%v json=%v", cmd, json)
			assert.Contains(t, r.stdout+r.stderr, "API key", "%v json=%v", cmd, json)
			_, err := os.Stat(page)
			require.ErrorIs(t, err, os.ErrNotExist, "no page handing the key on is written")
		}
	}
}

// The key is found however the form escapes it (lower-case percent hex,
// every byte percent-encoded, in the action's path or query): the form is
// refused and the -json error holds no spelling of the key.
func TestPANFormJSONMasksTheEscapedAPIKey(t *testing.T) {
	const key = "Key+With/Slash=12345&67890"
	var whole strings.Builder
	for i := 0; i < len(key); i++ {
		fmt.Fprintf(&whole, "%%%02X", key[i])
	}
	lower := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.QueryEscape(key), strings.ToLower)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://nsdl.example/pan/`+whole.String()+`?api_key=`+lower+`">
<input type="hidden" name="req" value="FIELDTOKEN"></form></body></html>`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: key, envUsername: "cliuser"}
	r := runCLI(t, env, "-json", "-base-url", api.URL, "pan-request", "-mobile", "9876543210", "-order", "ESC1", "-yes")
	require.Equal(t, exitNetwork, r.code, r.stderr)
	out := r.stdout + r.stderr
	for _, spelling := range []string{key, lower, whole.String(), "12345"} {
		assert.NotContains(t, out, spelling)
	}
	assert.Contains(t, out, "API key")
}
