package diagnose_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The credentials the secret checks look for.
const (
	o2Key  = "ik_live_Q7w2Zr9Kp4Xm8Tn3"
	o2User = "merch0042"
)

func checkByEndpoint(d *inexopay.Diagnosis, e inexopay.Endpoint) inexopay.Check {
	for _, c := range d.Checks {
		if c.Endpoint == e {
			return c
		}
	}
	return inexopay.Check{}
}

func checkByName(d *inexopay.Diagnosis, n string) inexopay.Check {
	for _, c := range d.Checks {
		if c.Name == n {
			return c
		}
	}
	return inexopay.Check{}
}

// TestDiagnoseSandbox: against the sandbox every check passes.
func TestDiagnoseSandbox(t *testing.T) {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	d, err := srv.Client().Diagnose(context.Background())
	require.NoError(t, err)
	require.True(t, d.OK(), "%+v", d.Failed())
	require.Len(t, d.Checks, 5+len(endpoints.Paths[inexopay.Endpoint]()))
	assert.Equal(t, "HTTP/1.1", d.Protocol)
	assert.Equal(t, "", d.TLSVersion)
	assert.Equal(t, "tls", d.Checks[1].Name)
	assert.Contains(t, d.Checks[1].Detail, "Plain http on loopback")
	assert.Contains(t, checkByName(d, "credentials").Detail, "Accepted: account of Sandbox Merchant, status ACTIVE")
	assert.Equal(t, "The API key is not bound to an IP.", checkByName(d, "ip_binding").Detail)
	pan := checkByEndpoint(d, inexopay.EndpointPANRequest)
	assert.Equal(t, "ok", pan.Result)
	assert.Equal(t, 401, pan.HTTPStatus)
	assert.Equal(t, `/api/nsdl-pan/v1/request_pan.php answers like an INEXOPAY endpoint: a JSON refusal without credentials (HTTP 401, "API key and username are required").`, pan.Detail)
	assert.Equal(t, 0, srv.PANCount())

	srv.SetBoundIP("127.0.0.1")
	d, err = srv.Client().Diagnose(context.Background())
	require.NoError(t, err)
	require.True(t, d.OK(), "%+v", d.Failed())
	assert.Equal(t, "The API key is bound to 127.0.0.1, and INEXOPAY sees this machine call from 127.0.0.1 (ip_status MATCHED).",
		checkByName(d, "ip_binding").Detail)

	srv.SetBoundIP("198.51.100.7")
	d, err = srv.Client().Diagnose(context.Background())
	require.NoError(t, err)
	require.False(t, d.OK())
	assert.Equal(t, "fail", checkByName(d, "credentials").Result)
	ip := checkByName(d, "ip_binding")
	assert.Equal(t, "fail", ip.Result)
	assert.Equal(t, "INEXOPAY refused this machine's IP (IP not whitelisted): the API key is bound to another server's IP.", ip.Detail)

	d, err = srv.ClientWithAuth(inexopay.BodyAuth("wrong", "sandbox")).Diagnose(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fail", checkByName(d, "credentials").Result)
	assert.Contains(t, checkByName(d, "credentials").Detail, "Refused: wrong API key or username")
	assert.Equal(t, "skipped", checkByName(d, "ip_binding").Result)
}

// brokenHost is an INEXOPAY look-alike where some paths are wrong: it
// records every request it gets.
type brokenHost struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	path, body, apiKeyHeader string
}

func newBrokenHost(t *testing.T, tls bool) *brokenHost {
	h := &brokenHost{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.reqs = append(h.reqs, recorded{r.URL.Path, string(b), r.Header.Get("X-Api-Key")})
		h.mu.Unlock()
		creds := strings.Contains(string(b), "api_key=") || r.Header.Get("X-Api-Key") != ""
		switch r.URL.Path {
		case "/api/check_status.php":
			if creds {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status_code":200,"status":"SUCCESS","message":"API Status Retrieved","data":{"owner_name":"Your Name","api_balance":1250.50,"api_status":"ACTIVE","plan_name":"Premium Plan","bind_ip":"203.0.113.9","your_ip":"198.51.100.7","ip_status":"NOT_MATCHED"}}`)
				return
			}
		case "/api/nsdl-pan/v1/pan_status.php":
			http.NotFound(w, r)
			return
		case "/api/wallet/v1/check_status.php":
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body><h1>Welcome to INEXOPAY</h1></body></html>")
			return
		case "/api/nsdl-bank/v1/account_details.php":
			http.Redirect(w, r, "https://elsewhere.example/login", http.StatusFound)
			return
		case "/api/aadhaar/v1/send_otp.php":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><h1>502 Bad Gateway</h1></html>")
			return
		case "/api/nsdl-bank/v1/onboarding.php":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":true,"message":"ok"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"status_code":401,"status":"FAILED","message":"Invalid API key or username"}`)
	})
	if tls {
		h.Server = httptest.NewUnstartedServer(handler)
		h.EnableHTTP2 = true
		h.StartTLS()
	} else {
		h.Server = httptest.NewServer(handler)
	}
	t.Cleanup(h.Close)
	return h
}

// TestDiagnoseBrokenHost: on a host where some paths are wrong, Diagnose
// fails, names each wrong endpoint with the WithPath option to try, says
// that the key's bound IP differs from the caller's, and probes every
// endpoint exactly once, without credentials and without fields.
func TestDiagnoseBrokenHost(t *testing.T) {
	h := newBrokenHost(t, true)
	c, err := inexopay.NewClient(inexopay.HeaderAuth("key_must_not_leak", "u"), inexopay.WithBaseURL(h.URL),
		inexopay.WithHTTPClient(h.Client()), inexopay.WithRetry(3, 0, 0))
	require.NoError(t, err)
	d, err := c.Diagnose(context.Background())
	require.NoError(t, err)
	require.False(t, d.OK())
	assert.Equal(t, "HTTP/2.0", d.Protocol)
	assert.Equal(t, "TLS 1.3", d.TLSVersion)
	assert.Contains(t, checkByName(d, "tls").Detail, "TLS 1.3, certificate valid for 127.0.0.1 until ")

	var failed []inexopay.Endpoint
	for _, f := range d.Failed() {
		if f.Name == "endpoint" {
			failed = append(failed, f.Endpoint)
		}
	}
	assert.ElementsMatch(t, []inexopay.Endpoint{inexopay.EndpointPANStatus, inexopay.EndpointPaymentStatus,
		inexopay.EndpointBankAccountDetails, inexopay.EndpointSendOTP, inexopay.EndpointOnboardAgent}, failed)

	pan := checkByEndpoint(d, inexopay.EndpointPANStatus)
	assert.Equal(t, 404, pan.HTTPStatus)
	assert.Equal(t, "/api/nsdl-pan/v1/pan_status.php answers HTTP 404 Not Found: the path is probably wrong.", pan.Detail)
	assert.Equal(t, `If INEXOPAY gave you another path for PAN.Status, use inexopay.WithPath(inexopay.EndpointPANStatus, "/the/right/path.php").`, pan.Fix)
	assert.Contains(t, checkByEndpoint(d, inexopay.EndpointPaymentStatus).Detail, `answers HTTP 200 with a page that is not JSON ("Welcome to INEXOPAY")`)
	assert.Contains(t, checkByEndpoint(d, inexopay.EndpointBankAccountDetails).Detail, "HTTP 302, a redirect to https://elsewhere.example/login")
	assert.Contains(t, checkByEndpoint(d, inexopay.EndpointSendOTP).Detail, "answers HTTP 502 with a page that is not JSON")
	assert.Contains(t, checkByEndpoint(d, inexopay.EndpointOnboardAgent).Detail, "answered success (HTTP 200) to a request without credentials")

	ip := checkByName(d, "ip_binding")
	assert.Equal(t, "fail", ip.Result)
	assert.Equal(t, `The API key is bound to 203.0.113.9, but INEXOPAY sees this machine call from 198.51.100.7 (ip_status NOT_MATCHED): calls from here will be refused with 403 "IP not whitelisted".`, ip.Detail)
	assert.Equal(t, "ok", checkByName(d, "credentials").Result)

	// One probe per endpoint, plus the credentials check: no retries, no
	// credentials, no fields.
	h.mu.Lock()
	defer h.mu.Unlock()
	perPath := map[string]int{}
	creds := 0
	for _, r := range h.reqs {
		perPath[r.path]++
		if r.apiKeyHeader != "" {
			creds++
			assert.Equal(t, "/api/check_status.php", r.path)
			continue
		}
		assert.Empty(t, r.body, r.path)
	}
	assert.Equal(t, 1, creds, "only Account.Status carries credentials")
	for e, p := range endpoints.Paths[inexopay.Endpoint]() {
		want := 1
		if e == inexopay.EndpointAccountStatus {
			want = 2
		}
		assert.Equal(t, want, perPath[p], "%s probed once", e)
	}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "key_must_not_leak")
	assert.Contains(t, string(b), `"name":"endpoint","endpoint":"PAN.Status"`)
}

// TestDiagnoseTLSAndReachability: an untrusted certificate and a closed
// port are failed checks, and the checks after them are skipped.
func TestDiagnoseTLSAndReachability(t *testing.T) {
	h := newBrokenHost(t, true)
	c, err := inexopay.NewClient(inexopay.BodyAuth("k", "u"), inexopay.WithBaseURL(h.URL), inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	d, err := c.Diagnose(context.Background())
	require.NoError(t, err)
	assert.False(t, d.OK())
	assert.Equal(t, "ok", d.Checks[0].Result)
	assert.Equal(t, "fail", d.Checks[1].Result)
	assert.Equal(t, "The TLS certificate of 127.0.0.1 is not valid: it is signed by an unknown authority.", d.Checks[1].Detail)
	for _, ck := range d.Checks[2:] {
		assert.Equal(t, "skipped", ck.Result, ck.Name)
	}
	h.mu.Lock()
	assert.Empty(t, h.reqs, "nothing reached the handler")
	h.mu.Unlock()

	addr := testkit.ClosedAddr(t)
	c, err = inexopay.NewClient(inexopay.BodyAuth("k", "u"), inexopay.WithBaseURL("http://"+addr), inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	d, err = c.Diagnose(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fail", d.Checks[0].Result)
	assert.Contains(t, d.Checks[0].Detail, "did not answer")
	assert.Contains(t, d.Checks[0].Detail, "connection refused")
	assert.Len(t, d.Failed(), 1)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Diagnose(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	//nolint:staticcheck // a nil context is the point
	_, err = c.Diagnose(nil)
	assert.ErrorIs(t, err, inexopay.ErrInvalidParams)
}

// ---- Diagnose probes and echoed cookies ----

// TestDiagnoseProbes: Diagnose's path probes "cannot charge: one
// POST each, without credentials or fields, never redirected"; and the
// key the server echoes (in JSON, HTML and headers) never shows in the
// Diagnosis (%v, %+v, JSON).
func TestDiagnoseProbes(t *testing.T) {
	charging := []string{"/api/nsdl-bank/v1/onboarding.php", "/api/nsdl-bank/v1/account_open.php", "/api/wallet/v1/load_request.php",
		"/api/nsdl-pan/v1/request_pan.php", "/api/nsdl-pan/v1/incomplete_pan.php", "/api/aadhaar/v1/send_otp.php", "/api/aadhaar/v1/verify_otp.php"}
	var targetHits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { targetHits.Add(1) }))
	defer target.Close()
	for _, header := range []bool{false, true} {
		var mu sync.Mutex
		seen := map[string][]string{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen[r.URL.Path] = append(seen[r.URL.Path], r.Method+" "+string(b)+" k="+r.Header.Get("X-Api-Key")+r.Header.Get("Authorization"))
			mu.Unlock()
			// echo only what this request carried
			got := ""
			if strings.Contains(string(b), o2Key) || strings.Contains(r.Header.Get("X-Api-Key"), o2Key) {
				got = o2Key
			}
			w.Header().Set("X-Echo", got)
			switch {
			case r.URL.Path == "/api/check_status.php":
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status":"FAILED","status_code":401,"message":"bad key `+got+`"}`)
			case strings.Contains(r.URL.Path, "wallet"):
				http.Redirect(w, r, target.URL+"/x", http.StatusTemporaryRedirect)
			default:
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(500)
				_, _ = io.WriteString(w, "<p>key "+got+"</p>")
			}
		}))
		auth := inexopay.BodyAuth(o2Key, o2User)
		if header {
			auth = inexopay.HeaderAuth(o2Key, o2User)
		}
		c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		d, err := c.Diagnose(ctx)
		cancel()
		if err != nil {
			t.Fatalf("Diagnose: %v", err)
		}
		for _, p := range charging {
			reqs := seen[p]
			if len(reqs) > 1 {
				t.Errorf("%s probed %d times", p, len(reqs))
			}
			for _, r := range reqs {
				if strings.Contains(r, o2Key) || strings.Contains(r, o2User) || !strings.HasPrefix(r, "POST  k=") {
					t.Errorf("probe of charging %s carried %q", p, r)
				}
			}
		}
		js, _ := json.Marshal(d)
		for _, out := range []string{fmt.Sprintf("%v", d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d), string(js)} {
			secrettest.CheckNoSecret(t, "diagnosis", out, o2Key)
		}
		srv.Close()
	}
	if targetHits.Load() != 0 {
		t.Errorf("a probe followed a redirect")
	}
}
