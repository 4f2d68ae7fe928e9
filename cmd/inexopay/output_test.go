package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

// fullWriter fails every write, as stdout on a full disk does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestChargedResultThatCannotBeWrittenIsIncomplete: a charging call that
// went through but whose result cannot be written to stdout exits 10
// (incomplete), naming on stderr the order or agent it created, in text
// and -json; a failure to write before anything is sent exits 1 and sends
// nothing; neither is reported as a network error.
func TestChargedResultThatCannotBeWrittenIsIncomplete(t *testing.T) {
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "agent") || strings.Contains(r.URL.Path, "onboard") {
			_, _ = io.WriteString(w, `{"status":true,"data":{"agent_id":"INX00077"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"status":"SUCCESS","data":{"order_id":"WAL4242","amount":"500.00","qr_url":"https://qr.example/q.png","tx_string":"upi://pay?pa=a@b&am=500.00&tr=WAL4242"}}`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}
	runFull := func(args ...string) result {
		var stderr capture
		code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), fullWriter{}, &stderr)
		return result{code: code, stderr: stderr.String()}
	}
	agent := []string{"agent-onboard", "-shop-name", "S", "-name", "N", "-email", "a@b.com", "-mobile", "9876543210",
		"-dob", "1990-01-15", "-address", "A", "-state", "Bihar", "-city", "C", "-pincode", "852105", "-pan", "ABCDE1234F"}
	for _, tc := range []struct {
		args []string
		id   string
	}{{[]string{"wallet-qr", "500"}, "WAL4242"}, {agent, "INX00077"}} {
		r := runFull(append([]string{"-json", "-base-url", api.URL, "-yes"}, tc.args...)...)
		assert.Equal(t, exitIncomplete, r.code, r.stderr)
		assert.Contains(t, r.stderr, tc.id)
		assert.Contains(t, r.stderr, `"kind":"incomplete"`)
	}
	sent := calls.Load()
	r := runFull("-base-url", api.URL, "-yes", "wallet-qr", "500")
	assert.Equal(t, exitOther, r.code, r.stderr)
	assert.Contains(t, r.stderr, "cannot write to standard output")
	assert.Equal(t, sent, calls.Load(), "the order id line failed first: nothing was sent")
	_, senv, base := sandbox(t)
	var stderr capture
	code := run(context.Background(), args(base, "balance"), func(k string) string { return senv[k] }, strings.NewReader(""), fullWriter{}, &stderr)
	assert.Equal(t, exitOther, code, stderr.String())
	assert.Contains(t, stderr.String(), "cannot write to standard output")
}
