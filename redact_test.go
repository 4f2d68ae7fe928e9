package inexopay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

func TestRedactStringEverySpelling(t *testing.T) {
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN})
	secrets := []string{atkAPIKey, relAadhaar, relOTP, relAgentPAN}
	a := relAadhaar
	for _, echo := range []string{
		atkAPIKey,
		url.QueryEscape(atkAPIKey),
		url.PathEscape(atkAPIKey),
		lowerHexEscape(atkAPIKey),
		strings.ReplaceAll(url.QueryEscape(atkAPIKey), "%", "%25"),
		htmlEntities(atkAPIKey),
		`ik\u002blive\/5Qz8\u003dWm2\u0020Rt7Yp3Kx9`,
		url.PathEscape(`ik\u002blive\/5Qz8\u003dWm2\u0020Rt7Yp3Kx9`),
		a, a[:4] + " " + a[4:8] + " " + a[8:], a[:4] + "-" + a[4:8] + "-" + a[8:], a[:4] + "." + a[4:8] + "." + a[8:],
		a[:4] + "\u00a0" + a[4:8] + "\u00a0" + a[8:], a[:4] + "&nbsp;" + a[4:8] + "&nbsp;" + a[8:], a[:4] + "%20" + a[4:8] + "%20" + a[8:],
		relOTP, relOTP[:3] + " " + relOTP[3:], relOTP[:2] + "-" + relOTP[2:4] + "-" + relOTP[4:], htmlEntities(relOTP),
		relAgentPAN, strings.ToLower(relAgentPAN), "bqkPM4821r", htmlEntities(strings.ToLower(relAgentPAN)),
	} {
		for _, text := range []string{echo, "invalid value " + echo + ", try again", "<b>" + echo + "</b>"} {
			got := redactString(text, secrets...)
			assert.Empty(t, leak(got), "%q became %q", text, got)
			assert.True(t, strings.Contains(got, "X") || strings.Contains(got, "[REDACTED]"), "%q is masked, not dropped: %q", text, got)
		}
	}
	// What the masks keep: the last 4 of an Aadhaar number, a PAN and a key;
	// nothing of an OTP.
	assert.Equal(t, "number XXXXXXXX"+a[8:]+" ok", redactString("number "+a[:4]+" "+a[4:8]+" "+a[8:]+" ok", secrets...))
	assert.Equal(t, "pan XXXXXX821R", redactString("pan bqkpm4821r", secrets...))
	assert.Equal(t, "otp [REDACTED].", redactString("otp "+relOTP+".", secrets...))
	assert.Equal(t, "key "+strings.Repeat("X", len(atkAPIKey)-4)+"3Kx9", redactString("key "+url.QueryEscape(atkAPIKey), secrets...))
	// Text without a secret is kept as it is, byte for byte.
	for _, s := range []string{"", "Order ORD12345 not found at 10:30:00", "100% done & 50%2 left", "\\u00zz &#xZZ; %G0", "4973 1286"} {
		assert.Equal(t, s, redactString(s, secrets...))
	}
	// Short values are not secrets: masking every "ab" would mangle text.
	assert.Equal(t, "ab cd", redactString("ab cd", "ab"))
}

// rawErrors returns transport errors as net/http builds them, with an echo
// of a secret in their text.
func rawError(echo string) error {
	return &url.Error{Op: "Post", URL: "http://127.0.0.1:1/api/x", Err: fmt.Errorf(
		"net/http: HTTP/1.x transport connection broken: %w",
		fmt.Errorf("malformed HTTP response %q: %w", echo, io.ErrUnexpectedEOF))}
}

func TestTransportErrorHoldsNoRawError(t *testing.T) {
	form := url.Values{"api_key": {atkAPIKey}, "aadhaar_number": {relAadhaar}}
	raw := rawError("api_key=" + url.QueryEscape(atkAPIKey) + "&aadhaar_number=" + relAadhaar)
	err := redact(transportError(EndpointSendOTP, raw), form, http.Header{})
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar}, nil)
	for _, e := range errorChain(err) {
		assert.Empty(t, leak(e.Error()), "%T: %s", e, e)
		assert.Empty(t, leak(fmt.Sprintf("%#v", e)), "%T", e)
		if e == raw || e == errors.Unwrap(raw) { //nolint:errorlint // identity: the raw error must not be in the chain
			t.Errorf("the raw error %T is reachable", e)
		}
	}
	// What callers match on still works.
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "Post", ue.Op)
	assert.NotSame(t, raw, ue)
	assert.Contains(t, err.Error(), "inexopay: Aadhaar.SendOTP: Post \"http://127.0.0.1:1/api/x\": net/http: HTTP/1.x transport connection broken: malformed HTTP response")
	assert.Contains(t, err.Error(), "XXXXXXXX"+relAadhaar[8:], "the text stays useful, masked")
}

func TestTransportErrorKeepsSentinelsAndTimeouts(t *testing.T) {
	deadline := &url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "read", Net: "tcp", Err: fmt.Errorf("i/o: %w", osDeadline())}}
	refused := &url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "dial", Net: "tcp", Err: &osSyscallError{"connect", syscall.ECONNREFUSED}}}
	for _, tc := range []struct {
		name    string
		raw     error
		is      []error
		timeout bool
	}{
		{"context deadline", context.DeadlineExceeded, []error{context.DeadlineExceeded}, true},
		{"context canceled", fmt.Errorf("x: %w", context.Canceled), []error{context.Canceled}, false},
		{"client timeout", &url.Error{Op: "Post", URL: "u", Err: fmt.Errorf("Client.Timeout exceeded: %w", context.DeadlineExceeded)}, []error{context.DeadlineExceeded}, true},
		{"read deadline", deadline, []error{osDeadline()}, true},
		{"refused", refused, []error{syscall.ECONNREFUSED}, false},
		{"EOF", &url.Error{Op: "Post", URL: "u", Err: io.EOF}, []error{io.EOF}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := redact(transportError(EndpointAccountStatus, tc.raw), url.Values{"api_key": {"secret-key-1"}}, nil)
			assert.Equal(t, "inexopay: Account.Status: "+tc.raw.Error(), err.Error(), "the text is the original's")
			for _, s := range tc.is {
				assert.ErrorIs(t, err, s)
			}
			var ne net.Error
			if tc.timeout {
				require.ErrorAs(t, err, &ne)
				assert.True(t, ne.Timeout())
			} else if errors.As(err, &ne) {
				assert.False(t, ne.Timeout())
			}
		})
	}
	err := transportError(EndpointAccountStatus, refused)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
}

func osDeadline() error { return os.ErrDeadlineExceeded }

// osSyscallError stands for *os.SyscallError: a wrapper the sanitizer does
// not know, whose errno must still match.
type osSyscallError struct {
	call string
	err  error
}

func (e *osSyscallError) Error() string { return e.call + ": " + e.err.Error() }
func (e *osSyscallError) Unwrap() error { return e.err }

// Against real servers: a call that times out, and one refused, still say
// so to errors.Is, errors.As and net.Error.
func TestTransportErrorsFromRealServers(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c := relClient(t, srv.URL, WithRetry(0, time.Millisecond, time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Account.Balance(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())

	c = relClient(t, "http://"+relClosedAddr(t), WithRetry(0, time.Millisecond, time.Millisecond))
	_, err = c.Account.Balance(context.Background())
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
}

// A certificate the SDK cannot verify stays a permanent failure for the
// wait helpers, after sanitizing.
func TestCertificateFailureStaysPermanent(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is expected
	srv.StartTLS()
	defer srv.Close()
	c := relClient(t, srv.URL)
	_, err := c.Account.Balance(context.Background())
	require.Error(t, err)
	assert.True(t, isPermanent(err), "%v", err)
	assert.False(t, transient(err))
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func TestRetryableHTTPLogHoldsNoErrorText(t *testing.T) {
	logs := &relSyncBuffer{}
	l := leveledLogger{relDebugLogger(logs)}
	raw := rawError("api_key=" + atkAPIKey)
	l.Error("request failed", "error", raw, "method", "POST", "url", "http://127.0.0.1/api", "req", &http.Request{})
	l.Debug("retrying request", "request", "POST http://127.0.0.1/api (status: 503)", "timeout", time.Second, "remaining", 2)
	l.Error("request failed", "error", &url.Error{Op: "Post", URL: "u", Err: context.DeadlineExceeded})
	out := logs.String()
	assert.NotContains(t, out, "api_key")
	assert.NotContains(t, out, "malformed")
	assert.Contains(t, out, `"error":"Post http://127.0.0.1:1/api/x: unexpected EOF"`)
	assert.Contains(t, out, `"req":"(*http.Request)"`)
	assert.Contains(t, out, `"remaining":2`)
	assert.Contains(t, out, `"error":"Post u: context deadline exceeded: timeout"`)
	var n int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		assert.Contains(t, line, `"level":"DEBUG"`)
		n++
	}
	assert.Equal(t, 3, n)
}

// An error the SDK did not build itself (an Authenticator's, or a raw
// error wrapped without transportError) that repeats a secret is rebuilt:
// the SDK's own types stay, the rest is replaced by redacted text.
func TestRedactRebuildsUnknownErrors(t *testing.T) {
	form := url.Values{"api_key": {atkAPIKey}, "otp": {relOTP}}
	leak := atkLeakFinder(atkAPIKey, []string{relOTP}, nil)
	raw := rawError("otp=" + relOTP)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"fmt wrapper", fmt.Errorf("inexopay: x: %w", raw)},
		{"outcome unknown around a raw error", &OutcomeUnknownError{Endpoint: "Aadhaar.VerifyOTP", OrderID: "A1", Err: fmt.Errorf("x: %w", raw)}},
		{"joined", errors.Join(context.Canceled, fmt.Errorf("key %s", url.QueryEscape(atkAPIKey)))},
		{"clean text, dirty cause", &quietError{raw}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := redact(tc.err, form, nil)
			for _, e := range errorChain(err) {
				assert.Empty(t, leak(e.Error()), "%T: %s", e, e)
				if e == raw { //nolint:errorlint // identity: the raw error must be gone
					t.Error("the raw error is reachable")
				}
			}
		})
	}
	err := redact(&OutcomeUnknownError{Endpoint: "Aadhaar.VerifyOTP", OrderID: "A1", Err: fmt.Errorf("x: %w", raw)}, form, nil)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou, "the SDK's own type stays")
	assert.Equal(t, "A1", ou.OrderID)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, redact(errors.Join(context.Canceled, errors.New(atkAPIKey)), form, nil), context.Canceled)
}

// quietError hides its cause's text but still wraps it.
type quietError struct{ err error }

func (e *quietError) Error() string { return "failed" }
func (e *quietError) Unwrap() error { return e.err }

// ---- Echoed secrets in every spelling, through the public calls ----

// The leak attack: servers the test controls echo every secret a request
// carried, in every spelling a careless API, proxy or PHP page might use, in
// every place an answer has (JSON messages, HTML pages, header values, a
// redirect's Location, a malformed status or header line read by the
// transport). Nothing the SDK hands back or logs may hold a secret:
// errors (and every error they wrap), results, params, the client, and the
// debug log of the SDK and go-retryablehttp.

// atkAPIKey is an API key with the characters URL escaping changes.
const atkAPIKey = "ik+live/5Qz8=Wm2 Rt7Yp3Kx9"

// atkSpelling writes a secret the way an echo might.
type atkSpelling struct {
	name  string
	spell func(kind, v string) string
}

// lowerHexEscape percent-escapes like url.PathEscape, with lower-case hex.
func lowerHexEscape(v string) string {
	var b strings.Builder
	for _, c := range []byte(url.PathEscape(v)) {
		b.WriteByte(c)
	}
	s := b.String()
	out := []byte(s)
	for i := 0; i+2 < len(out); i++ {
		if out[i] == '%' {
			out[i+1], out[i+2] = byte(strings.ToLower(string(out[i+1]))[0]), byte(strings.ToLower(string(out[i+2]))[0])
		}
	}
	return string(out)
}

// group writes digits in groups of n joined by sep.
func group(v string, n int, sep string) string {
	var parts []string
	for len(v) > n {
		parts = append(parts, v[:n])
		v = v[n:]
	}
	return strings.Join(append(parts, v), sep)
}

func htmlEntities(v string) string {
	var b strings.Builder
	for i, c := range []byte(v) {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			if i%2 == 0 {
				fmt.Fprintf(&b, "&#%d;", c)
			} else {
				b.WriteByte(c)
			}
		default:
			fmt.Fprintf(&b, "&#x%X;", c)
		}
	}
	return b.String()
}

var atkSpellings = []atkSpelling{
	{"as sent", func(_, v string) string { return v }},
	{"query-escaped", func(_, v string) string { return url.QueryEscape(v) }},
	{"lower-case hex, lower-case PAN", func(kind, v string) string {
		if kind == "pan" {
			return strings.ToLower(v)
		}
		return lowerHexEscape(v)
	}},
	{"spaced digits, escaped twice", func(kind, v string) string {
		switch kind {
		case "aadhaar":
			return group(v, 4, " ")
		case "otp":
			return group(v, 3, " ")
		case "pan":
			return strings.ToLower(v[:5]) + v[5:]
		}
		return strings.ReplaceAll(url.QueryEscape(v), "%", "%25")
	}},
	{"dashed digits, HTML entities", func(kind, v string) string {
		switch kind {
		case "aadhaar":
			return group(v, 4, "-")
		case "otp":
			return group(v, 2, "-")
		}
		return htmlEntities(v)
	}},
	{"JSON escapes", func(kind, v string) string {
		if kind == "aadhaar" || kind == "otp" {
			return group(v, 4, ".")
		}
		r := strings.NewReplacer("/", `\/`, "+", `\u002b`, "=", `\u003D`, " ", `\u0020`)
		return r.Replace(v)
	}},
}

// atkSecretsOf returns the secrets a request carried, by kind.
func atkSecretsOf(r *http.Request, form url.Values) [][2]string {
	var out [][2]string
	add := func(kind, v string) {
		if v != "" {
			out = append(out, [2]string{kind, v})
		}
	}
	add("key", form.Get("api_key"))
	add("key", r.Header.Get("X-Api-Key"))
	add("aadhaar", form.Get("aadhaar_number"))
	add("otp", form.Get("otp"))
	add("pan", form.Get("pancard"))
	add("pan", form.Get("agent_pancard"))
	return out
}

// atkEcho repeats every secret of the request in the given spelling.
func atkEcho(sp atkSpelling, r *http.Request, form url.Values) string {
	parts := []string{"refused"}
	for _, s := range atkSecretsOf(r, form) {
		parts = append(parts, sp.spell(s[0], s[1]))
	}
	return strings.Join(parts, " ")
}

// jsonString quotes s as a JSON string; a spelling with JSON escapes is
// put in as written, so that the decoder reads the escapes.
func jsonString(sp atkSpelling, s string) string {
	if sp.name == "JSON escapes" {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// withEcho returns the documented success answer of e with its message
// (and the free-text members of its data) replaced by echo, and a
// request_id that contains the Aadhaar number.
func withEcho(t testing.TB, e Endpoint, echo json.RawMessage, aadhaar string) []byte {
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(relSuccess[e]), &m))
	m["message"] = echo
	if d, ok := m["data"].(map[string]any); ok {
		if _, ok := d["remark"]; ok {
			d["remark"] = echo
		}
		if _, ok := d["message"]; ok {
			d["message"] = echo
		}
		if _, ok := d["request_id"]; ok && aadhaar != "" {
			d["request_id"] = "ADHR" + aadhaar + "_1e2d"
		}
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

// atkAttack is one way a server answers with the echo.
type atkAttack struct {
	name string
	// http answers through net/http; raw, when set, answers on the TCP
	// connection with the bytes it returns.
	http func(t testing.TB, e Endpoint, sp atkSpelling, echo string, w http.ResponseWriter, r *http.Request)
	raw  func(echo string, body []byte) string
	// success says the call succeeds.
	success bool
}

var atkAttacks = []atkAttack{
	{name: "JSON failure message", http: func(_ testing.TB, _ Endpoint, sp atkSpelling, echo string, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusBadRequest, `{"status":false,"message":`+jsonString(sp, echo)+`}`)
	}},
	{name: "JSON 503 message and Retry-After", http: func(_ testing.TB, _ Endpoint, sp atkSpelling, echo string, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", echo)
		relRespond(w, http.StatusServiceUnavailable, `{"status_code":503,"status":"FAILED","message":`+jsonString(sp, echo)+`}`)
	}},
	{name: "JSON success message", success: true, http: func(t testing.TB, e Endpoint, sp atkSpelling, echo string, w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, string(withEcho(t, e, json.RawMessage(jsonString(sp, echo)), r.PostForm.Get("aadhaar_number"))))
	}},
	{name: "HTML page", http: func(_ testing.TB, _ Endpoint, _ atkSpelling, echo string, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprintf(w, "<html><body><p>%s</p></body></html>", echo)
	}},
	{name: "header values", http: func(_ testing.TB, _ Endpoint, _ atkSpelling, echo string, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; note="+echo)
		w.Header().Set("Retry-After", echo)
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "bad gateway")
	}},
	{name: "redirect", http: func(_ testing.TB, _ Endpoint, _ atkSpelling, echo string, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "https://evil.example/moved/"+echo+"?k="+url.QueryEscape(echo))
		w.WriteHeader(http.StatusFound)
	}},
	{name: "malformed redirect", http: func(_ testing.TB, _ Endpoint, _ atkSpelling, echo string, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "http://[::1%zz/"+echo)
		w.WriteHeader(http.StatusFound)
	}},
	{name: "status line echoing the request body", raw: func(_ string, body []byte) string {
		return "HTTP/1.1 " + string(body) + "\r\n\r\n"
	}},
	{name: "malformed header line", raw: func(echo string, _ []byte) string {
		return "HTTP/1.1 200 OK\r\n" + strings.ReplaceAll(echo, ":", ";") + "\r\n\r\n"
	}},
}

// atkLeakFinder returns a function that names the secret s holds in any
// spelling, or "". It is written apart from the SDK's own matcher: it
// undoes HTML, JSON and URL escaping (twice), ignores case for PANs and
// ignores separators between digits.
func atkLeakFinder(key string, digits, pans []string) func(s string) string {
	bareDigits := strings.NewReplacer(" ", "", "-", "", ".", "", "\u00a0", "", "_", "", "/", "", "+", "")
	return func(s string) string {
		views := []string{s}
		for v := s; ; {
			next := html.UnescapeString(jsonUnescape(percentDecode(v)))
			if next == v {
				break
			}
			v = next
			views = append(views, v)
		}
		for _, v := range views {
			for _, v := range []string{v, strings.ReplaceAll(v, "+", " ")} {
				if strings.Contains(v, key) {
					return "the API key"
				}
			}
			up := strings.ToUpper(v)
			for _, p := range pans {
				if strings.Contains(up, p) {
					return "PAN " + p[:2] + "…"
				}
			}
			bare := bareDigits.Replace(v)
			for _, d := range digits {
				if strings.Contains(bare, d) {
					return "digits " + d[:2] + "…"
				}
			}
		}
		return ""
	}
}

// percentDecode decodes every valid %XX, leaving anything else as it is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := parseHexByte(s[i+1 : i+3]); err == nil {
				b.WriteByte(v)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func parseHexByte(h string) (byte, error) {
	v, err := strconv.ParseUint(h, 16, 8)
	return byte(v), err
}

// jsonUnescape decodes \uXXXX (below 256) and \/.
func jsonUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	s = strings.ReplaceAll(s, `\/`, "/")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') && s[i+2] == '0' && s[i+3] == '0' {
			if v, err := parseHexByte(s[i+4 : i+6]); err == nil {
				b.WriteByte(v)
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// errorChain returns err and every error reachable from it with Unwrap.
func errorChain(err error) []error {
	var out []error
	var walk func(error, int)
	walk = func(err error, depth int) {
		if err == nil || depth > 50 {
			return
		}
		out = append(out, err)
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e, depth+1)
			}
		}
	}
	walk(err, 0)
	return out
}

// fmtAll prints v with every verb a program might log it with.
func fmtAll(v any) []string {
	return []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprint(v), fmt.Sprintf("%q", v)}
}

func TestLeakAttackNoSecretInAnyOutput(t *testing.T) {
	logs := &relSyncBuffer{}
	jsonLog := relDebugLogger(logs)
	textLog := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Value.Kind() == slog.KindDuration {
				return slog.Attr{}
			}
			return a
		}}))
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN, relCustomerPAN})
	auths := map[string]Authenticator{
		"body":   BodyAuth(atkAPIKey, relUsername),
		"header": HeaderAuth(atkAPIKey, relUsername),
	}
	// output is one text to scan: where it came from, and the kind of
	// output with the attack (for the report).
	type output struct{ where, kind, text string }
	var outs []output
	var kind string // set for each exchange
	add := func(where, what string, texts ...string) {
		for _, s := range texts {
			outs = append(outs, output{where + ": " + what, kind + ": " + what, s})
		}
	}
	failures, successes := 0, 0
	for authName, auth := range auths {
		for _, atk := range atkAttacks {
			for _, sp := range atkSpellings {
				var base string
				var stop func()
				if atk.raw != nil {
					srv := testkit.ServeRaw(t, func(r *http.Request, body []byte) string {
						form, _ := url.ParseQuery(string(body))
						return atk.raw(atkEcho(sp, r, form), body)
					})
					base, stop = srv.URL(), srv.Close
				} else {
					srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
						if !assert.NoError(t, r.ParseForm()) {
							return
						}
						atk.http(t, relEndpointOf(r.URL.Path), sp, atkEcho(sp, r, r.PostForm), w, r)
					})
					base, stop = srv.URL, srv.Close
				}
				c, err := NewClient(auth, WithBaseURL(base), WithLogger(jsonLog),
					WithRetry(2, time.Millisecond, 2*time.Millisecond))
				require.NoError(t, err)
				for _, rc := range relCalls() {
					where := fmt.Sprintf("%s auth, %s, %s, %s", authName, atk.name, sp.name, rc.e)
					kind = fmt.Sprintf("%s auth, %s, %s", authName, atk.name, sp.name)
					res, err := rc.call(context.Background(), c)
					if atk.success {
						require.NoError(t, err, where)
						successes++
					} else {
						require.Error(t, err, where)
						failures++
					}
					if err != nil {
						for i, e := range errorChain(err) {
							add(where, fmt.Sprintf("error %d in the chain (%T)", i, e), append(fmtAll(e), e.Error())...)
						}
						var ue *url.Error
						if errors.As(err, &ue) {
							add(where, "errors.As *url.Error", ue.Error(), ue.Err.Error())
						}
						jsonLog.Debug("call failed", "error", err)
						textLog.Debug("call failed", "error", err)
					}
					if res != nil && !reflect.ValueOf(res).IsNil() {
						add(where, "result", fmtAll(res)...)
						add(where, "result value", fmtAll(reflect.ValueOf(res).Elem().Interface())...)
						for _, f := range []string{"Message", "Remark"} {
							if fv := reflect.ValueOf(res).Elem().FieldByName(f); fv.IsValid() {
								add(where, "result."+f, fv.String())
							}
						}
						jsonLog.Debug("result", "result", res)
						textLog.Debug("result", "result", res)
					}
					if rc.params != nil {
						add(where, "params", fmtAll(rc.params)...)
						jsonLog.Debug("params", "params", rc.params)
						textLog.Debug("params", "params", rc.params)
					}
				}
				add(authName, "client", fmtAll(c)...)
				add(authName, "client value", fmtAll(*c)...)
				add(authName, "authenticator", fmtAll(auth)...)
				stop()
			}
		}
	}
	require.Positive(t, successes)
	require.Positive(t, failures)
	// Report one example per kind of leak (attack, spelling, output), so
	// that a failure shows its whole extent.
	leaks, examples := 0, map[string]string{}
	var kinds []string
	note := func(kind, example string) {
		leaks++
		if _, ok := examples[kind]; !ok {
			kinds = append(kinds, kind)
			examples[kind] = example
		}
	}
	seen := map[string]bool{}
	for _, o := range outs {
		if seen[o.text] {
			continue
		}
		seen[o.text] = true
		if what := leak(o.text); what != "" {
			note(o.kind+" holds "+what, o.where+": "+o.text)
		}
	}
	log := logs.String()
	for _, line := range strings.Split(log, "\n") {
		if what := leak(line); what != "" {
			msg := line
			if _, m, ok := strings.Cut(line, `"msg":"`); ok {
				msg, _, _ = strings.Cut(m, `"`)
			} else if _, m, ok := strings.Cut(line, "msg="); ok {
				msg, _, _ = strings.Cut(m, "=")
			}
			note("log line "+msg+" holds "+what, line)
		}
	}
	for _, k := range kinds {
		t.Errorf("%s, e.g. %s", k, examples[k])
	}
	assert.Zero(t, leaks, "outputs with a secret (%d kinds), of %d outputs and %d log bytes", len(kinds), len(outs), len(log))
	// The log did record the attempts and their failures.
	assert.Contains(t, log, "retryablehttp: request failed")
	assert.Contains(t, log, `"msg":"inexopay call failed"`)
}

// ---- Echoed secrets in HTTP/2 frames ----

// h2Request is what the HTTP/2 echo server read: the headers and the body.
type h2Request struct {
	header http.Header
	body   []byte
}

// newH2EchoServer starts an HTTP/2 server (testkit.H2Server) that reads a
// whole request, answers with what answer writes for it (frames that carry
// the request's secrets back: GOAWAY debug data, headers that echo them),
// and closes the connection.
func newH2EchoServer(t *testing.T, answer func(fr *http2.Framer, streamID uint32, req h2Request)) *testkit.H2Server {
	return testkit.StartH2(t, &testkit.H2Server{Deadline: 5 * time.Second,
		OnRequest: func(fr *http2.Framer, st *testkit.H2Stream) bool {
			answer(fr, st.ID, h2Request{header: st.Header, body: st.Body})
			return false
		}})
}

// Over HTTP/2, a server can put text in frames that Go's transport copies
// into its errors: GOAWAY debug data, and header values it refuses. Echoed
// secrets there must be masked like anywhere else.
func TestLeakAttackHTTP2Frames(t *testing.T) {
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN, relCustomerPAN})
	echo := func(req h2Request, sp atkSpelling) string {
		form, _ := url.ParseQuery(string(req.body))
		r := &http.Request{Header: http.Header{"X-Api-Key": req.header.Values("X-Api-Key")}}
		return atkEcho(sp, r, form)
	}
	attacks := []struct {
		name   string
		answer func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling)
	}{
		{"GOAWAY debug data", func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling) {
			_ = fr.WriteGoAway(stream, http2.ErrCodeProtocol, []byte(echo(req, sp)))
		}},
		{"GOAWAY debug data, body echoed raw", func(fr *http2.Framer, stream uint32, req h2Request, _ atkSpelling) {
			_ = fr.WriteGoAway(stream, http2.ErrCodeInternal, req.body)
		}},
		{"invalid header value", func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling) {
			testkit.WriteH2Headers(fr, stream, true, hpack.HeaderField{Name: ":status", Value: "200"},
				hpack.HeaderField{Name: "x-echo", Value: echo(req, sp) + "\x01"})
		}},
	}
	logs := &relSyncBuffer{}
	for _, atk := range attacks {
		for _, sp := range atkSpellings {
			for authName, auth := range map[string]Authenticator{"body": BodyAuth(atkAPIKey, relUsername), "header": HeaderAuth(atkAPIKey, relUsername)} {
				srv := newH2EchoServer(t, func(fr *http2.Framer, stream uint32, req h2Request) { atk.answer(fr, stream, req, sp) })
				hc := srv.Client()
				c, err := NewClient(auth, WithBaseURL(srv.URL()), WithHTTPClient(hc),
					WithLogger(relDebugLogger(logs)), WithRetry(1, time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				for _, rc := range relCalls() {
					where := fmt.Sprintf("%s, %s, %s auth, %s", atk.name, sp.name, authName, rc.e)
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					_, err := rc.call(ctx, c)
					cancel()
					require.Error(t, err, where)
					require.False(t, errors.Is(err, context.DeadlineExceeded), "%s: %v", where, err)
					for i, e := range errorChain(err) {
						for _, s := range append(fmtAll(e), e.Error()) {
							if what := leak(s); what != "" {
								t.Errorf("%s: error %d (%T) holds %s: %s", where, i, e, what, s)
							}
						}
					}
				}
				hc.CloseIdleConnections()
				srv.Close()
			}
		}
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if what := leak(line); what != "" {
			t.Errorf("log line holds %s: %s", what, line)
		}
	}
}

// ---- Result messages mask echoed secrets ----

// TestResultMessagesMaskEchoedSecrets: the API's message joins every
// result; a secret of the call it echoes (PAN, Aadhaar number, OTP) is
// masked in it, so that printing the result shows none of them.
func TestResultMessagesMaskEchoedSecrets(t *testing.T) {
	echo := map[Endpoint]string{
		EndpointOnboardAgent: `{"status":true,"message":"Agent with PAN ` + relAgentPAN + ` verified","data":{"txn_id":"T1","agent_id":"A1"}}`,
		EndpointOpenAccount: `{"status":true,"message":"Opened for ` + relCustomerPAN + ` by ` + relAgentPAN +
			`","data":"https://nsdl.example/open","user":{"txn_id":"T2","customer_id":1}}`,
		EndpointBankAccountStatus: `{"status":true,"message":"Record for ` + relCustomerPAN + `","data":{"txn_id":"T3","pancard":"` +
			relDocPAN + `","message":"KYC of ` + relDocPAN + ` done","status":1}}`,
		EndpointSendOTP: `{"status_code":200,"status":"success","message":"OTP sent for ` + relAadhaar +
			`","data":{"request_id":"R1","aadhaar":"` + relAadhaar + `","status":"pending"}}`,
		EndpointVerifyOTP: `{"status_code":200,"status":"success","message":"OTP ` + relOTP + ` accepted for ` + relAadhaar +
			`","data":{"request_id":"R1","status":"verified"}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, echo[relEndpointOf(r.URL.Path)])
	}))
	defer srv.Close()
	c := relClient(t, srv.URL)
	ctx := context.Background()

	open := relOpenParams()
	var results []any
	var messages []string
	a, err := c.NSDLBank.OnboardAgent(ctx, relOnboardParams())
	require.NoError(t, err)
	results, messages = append(results, a), append(messages, a.Message)
	o, err := c.NSDLBank.OpenAccount(ctx, open)
	require.NoError(t, err)
	results, messages = append(results, o), append(messages, o.Message)
	b, err := c.NSDLBank.AccountStatus(ctx, strings.ToLower(relCustomerPAN))
	require.NoError(t, err)
	results, messages = append(results, b), append(messages, b.Message, b.RecordMessage)
	s, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "A1", AadhaarNumber: relAadhaar})
	require.NoError(t, err)
	results, messages = append(results, s), append(messages, s.Message)
	v, err := c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "A1", RequestID: "R1", OTP: relOTP, AadhaarNumber: relAadhaar})
	require.NoError(t, err)
	results, messages = append(results, v), append(messages, v.Message)

	for _, m := range messages {
		assert.NotEmpty(t, m)
		relAssertClean(t, "message", m, relSecrets())
	}
	assert.Equal(t, "OTP [REDACTED] accepted for "+MaskAadhaar(relAadhaar), v.Message)
	assert.Equal(t, "Record for "+MaskPAN(relCustomerPAN), b.Message)
	for _, r := range results {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			relAssertClean(t, "result", fmt.Sprintf(verb, r), relSecrets())
		}
	}
}
