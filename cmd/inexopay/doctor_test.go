package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDoctor: on the sandbox every check passes (exit 0); on a host where
// a path answers 404 doctor exits 9 and names the endpoint and the -path
// flag to try, which then fixes it.
func TestDoctor(t *testing.T) {
	srv, env, base := sandbox(t)
	r := runCLI(t, env, args(base, "doctor")...)
	assert.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "inexopay doctor: "+srv.URL+"\n")
	assert.Regexp(t, `(?m)^PAN\.Request +ok +/api/nsdl-pan/v1/request_pan\.php answers like an INEXOPAY endpoint`, r.stdout)
	assert.Contains(t, r.stdout, "\nAll 19 checks passed.\n")
	assert.Equal(t, 0, srv.PANCount())

	r = runCLI(t, env, args(base, "doctor", "-json")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var got struct {
		OK     bool   `json:"ok"`
		Base   string `json:"base_url"`
		Checks []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.True(t, got.OK)
	assert.Equal(t, srv.URL, got.Base)
	assert.Len(t, got.Checks, 19)

	// A host like the sandbox, but PAN.Status lives elsewhere.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/nsdl-pan/v1/pan_status.php":
			http.NotFound(w, r)
			return
		case "/api/v2/pan_status.php":
			r.URL.Path = "/api/nsdl-pan/v1/pan_status.php"
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, srv.URL+r.URL.Path, r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	r = runCLI(t, env, "doctor", "-base-url", proxy.URL, "-retries", "0")
	assert.Equal(t, exitDoctor, r.code)
	assert.Regexp(t, `(?m)^PAN\.Status +FAIL +/api/nsdl-pan/v1/pan_status\.php answers HTTP 404 Not Found: the path is probably wrong\.$`, r.stdout)
	assert.Contains(t, r.stdout, `fix: If INEXOPAY gave you another path for PAN.Status, use inexopay.WithPath(inexopay.EndpointPANStatus, "/the/right/path.php"). With this command: -path PAN.Status=/the/right/path.php`)
	assert.Contains(t, r.stdout, "\n1 of 19 checks failed: PAN.Status.\n")
	assert.Equal(t, "inexopay: doctor found a problem: 1 of 19 checks failed\n", r.stderr)

	r = runCLI(t, env, "doctor", "-base-url", proxy.URL, "-retries", "0", "-path", "PAN.Status=/api/v2/pan_status.php")
	assert.Equal(t, exitOK, r.code, r.stdout)
	r = runCLI(t, env, "-base-url", proxy.URL, "-path", "PAN.Status=/api/v2/pan_status.php", "pan-status", "NOPE")
	assert.Equal(t, exitNotFound, r.code, "the -path override reaches the sandbox")

	r = runCLI(t, env, "doctor", "-base-url", proxy.URL, "-path", "PAN.Stat=/x")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `inexopay: -path: unknown endpoint "PAN.Stat" (endpoints: Aadhaar.SendOTP, `)
	r = runCLI(t, env, "doctor", "-path", "PAN.Status")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "want ENDPOINT=/path")
}
