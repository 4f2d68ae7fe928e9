package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
			Action string              `json:"action"`
			Method string              `json:"method"`
			Fields map[string][]string `json:"fields"`
		} `json:"form"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	assert.Nil(t, out.TxID, "no empty txid: %s", r.stdout)
	require.NotNil(t, out.Form, r.stdout)
	assert.NotEmpty(t, out.Form.Action)
	assert.NotEmpty(t, out.Form.Fields)
	_ = srv
}

// TestPANRequestWithoutTxIDIsNotASuccess: a JSON answer with a URL but no
// txid is printed, but the command does not exit as a success.
func TestPANRequestWithoutTxIDIsNotASuccess(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status_code":200,"status":"SUCCESS","data":{"url":"https://nsdl.example/pan?p=1","orderid":"NOTX1"}}`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}
	r := runCLI(t, env, "-base-url", api.URL, "pan-request", "-mobile", "9876543210", "-order", "NOTX1", "-yes")
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "no txid")
	assert.Contains(t, r.stderr, "pan-status NOTX1")
}
