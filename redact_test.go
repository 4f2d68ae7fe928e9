package inexopay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/call"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

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
	assert.True(t, call.IsPermanent(err), "%v", err)
	assert.False(t, transient(err))
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

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

// group writes digits in groups of n joined by sep.
func group(v string, n int, sep string) string {
	var parts []string
	for len(v) > n {
		parts = append(parts, v[:n])
		v = v[n:]
	}
	return strings.Join(append(parts, v), sep)
}

var atkSpellings = []atkSpelling{
	{"as sent", func(_, v string) string { return v }},
	{"query-escaped", func(_, v string) string { return url.QueryEscape(v) }},
	{"lower-case hex, lower-case PAN", func(kind, v string) string {
		if kind == "pan" {
			return strings.ToLower(v)
		}
		return secrettest.LowerHexEscape(v)
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
		return secrettest.HTMLEntities(v)
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
		if _, ok := d["request_id"]; ok && aadhaar != "" && e == EndpointSendOTP { // VerifyOTP answers the request sent
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

// fmtAll prints v with every verb a program might log it with.
func fmtAll(v any) []string {
	return []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprint(v), fmt.Sprintf("%q", v)}
}

func TestLeakAttackNoSecretInAnyOutput(t *testing.T) {
	logs := &secrettest.LogBuffer{}
	jsonLog := secrettest.DebugLogger(logs)
	textLog := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Value.Kind() == slog.KindDuration {
				return slog.Attr{}
			}
			return a
		}}))
	leak := secrettest.LeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN, relCustomerPAN})
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
						for i, e := range secrettest.ErrorChain(err) {
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
	leak := secrettest.LeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN, relCustomerPAN})
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
	logs := &secrettest.LogBuffer{}
	for _, atk := range attacks {
		for _, sp := range atkSpellings {
			for authName, auth := range map[string]Authenticator{"body": BodyAuth(atkAPIKey, relUsername), "header": HeaderAuth(atkAPIKey, relUsername)} {
				srv := newH2EchoServer(t, func(fr *http2.Framer, stream uint32, req h2Request) { atk.answer(fr, stream, req, sp) })
				hc := srv.Client()
				c, err := NewClient(auth, WithBaseURL(srv.URL()), WithHTTPClient(hc),
					WithLogger(secrettest.DebugLogger(logs)), WithRetry(1, time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				for _, rc := range relCalls() {
					where := fmt.Sprintf("%s, %s, %s auth, %s", atk.name, sp.name, authName, rc.e)
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					_, err := rc.call(ctx, c)
					cancel()
					require.Error(t, err, where)
					require.False(t, errors.Is(err, context.DeadlineExceeded), "%s: %v", where, err)
					for i, e := range secrettest.ErrorChain(err) {
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
			relCustomerPAN + `","message":"KYC of ` + relCustomerPAN + ` done","status":1}}`,
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

// Every service's result holds the secrets its call sent (the API key, an
// Aadhaar number, an OTP, a PAN) masked when the API echoes them in any
// string member of a documented answer, so that no print of it (fmt verbs,
// slog, encoding/json) shows them. Members the SDK checks (statuses, ids
// of the order, the Aadhaar number, URLs, times, the QR's UPI id) are left
// as documented.
func TestEveryResultMasksEchoedSecrets(t *testing.T) {
	checked := map[string]bool{"status": true, "status_in_db": true, "order_id": true, "orderid": true, "txn_id": true,
		"tx_string": true, "qr_url": true, "url": true, "account_url": true, "data": true, "date": true,
		"date_time": true, "created_at": true, "updated_at": true, "time": true, "pancard": true, "aadhaar": true,
		"upi_id": true}
	var sent []string
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form := r.PostForm
		var secrets []string
		for _, f := range []string{"api_key", "aadhaar_number", "otp", "pancard", "agent_pancard"} {
			secrets = append(secrets, form[f]...)
		}
		sent = secrets
		dec := json.NewDecoder(strings.NewReader(relSuccess[relEndpointOf(r.URL.Path)]))
		dec.UseNumber()
		var doc any
		require.NoError(t, dec.Decode(&doc))
		var echo func(v any, member string) any
		echo = func(v any, member string) any {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					x[k] = echo(e, k)
				}
			case string:
				// VerifyOTP checks the request id against the one sent.
				if !checked[member] && (member != "request_id" || form.Get("request_id") == "") {
					return x + " " + strings.Join(secrets, " ")
				}
			}
			return v
		}
		body, err := json.Marshal(echo(doc, ""))
		require.NoError(t, err)
		relRespond(w, http.StatusOK, string(body))
	})
	c := relClient(t, srv.URL)
	for _, rc := range relCalls() {
		res, err := rc.call(context.Background(), c)
		require.NoError(t, err, rc.e)
		require.NotEmpty(t, sent, rc.e)
		raw, err := json.Marshal(res)
		require.NoError(t, err)
		secrettest.CheckNoSecret(t, string(rc.e), secrettest.Printed(res)+string(raw), sent...)
	}
}

// ---- the secrets of a call, in errors, logs and printed values ----

// relEcho builds a failure message that repeats every secret the request
// carried, as a careless API might.
func relEcho(r *http.Request, form map[string][]string) string {
	var parts []string
	for _, f := range []string{"api_key", "aadhaar_number", "otp", "pancard", "agent_pancard"} {
		if v := form[f]; len(v) > 0 && v[0] != "" {
			parts = append(parts, "invalid "+f+" "+v[0])
		}
	}
	if k := r.Header.Get("X-Api-Key"); k != "" {
		parts = append(parts, "key "+k)
	}
	return strings.Join(parts, ", ")
}

// relScenario is one way an exchange can go; handle answers request n.
type relScenario struct {
	name   string
	handle func(t *testing.T, n int, e Endpoint, echo string, w http.ResponseWriter)
}

var relScenarios = []relScenario{
	{"success", func(_ *testing.T, _ int, e Endpoint, _ string, w http.ResponseWriter) {
		relRespond(w, http.StatusOK, relSuccess[e])
	}},
	{"failure in HTTP 200", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		relRespond(w, http.StatusOK, `{"status_code":400,"status":"FAILED","message":"`+echo+`"}`)
	}},
	{"failure in HTTP 400", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		relRespond(w, http.StatusBadRequest, `{"status":false,"message":"`+echo+`"}`)
	}},
	{"NSDL error data", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		relRespond(w, http.StatusOK, `{"status":false,"message":"","data":{"response":"`+echo+`","respcode":"12"}}`)
	}},
	{"status member", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		relRespond(w, http.StatusOK, `{"status_code":401,"status":"`+echo+`"}`)
	}},
	{"HTML 500", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = fmt.Fprintf(w, "<html><body><b>Fatal error</b>: %s</body></html>", echo)
	}},
	{"HTML 200", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = fmt.Fprintf(w, "<form>%s</form>", echo)
	}},
	{"5xx twice then success", func(_ *testing.T, n int, e Endpoint, echo string, w http.ResponseWriter) {
		if n <= 2 {
			relRespond(w, http.StatusServiceUnavailable, `{"status_code":503,"status":"FAILED","message":"`+echo+`"}`)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[e])
	}},
	{"5xx always", func(_ *testing.T, _ int, _ Endpoint, echo string, w http.ResponseWriter) {
		relRespond(w, http.StatusBadGateway, `{"status_code":502,"status":"FAILED","message":"`+echo+`"}`)
	}},
	{"dropped connection", func(t *testing.T, _ int, _ Endpoint, _ string, w http.ResponseWriter) {
		relDrop(t, w)
	}},
}

// relAssertClean fails when s contains any of the secrets.
func relAssertClean(t *testing.T, what, s string, secrets []string) {
	t.Helper()
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s contains the secret %s…: %s", what, sec[:2], s)
		}
	}
}

func relFmtAll(v any) []string {
	return []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprint(v)}
}

func TestNoSecretsInErrorsLogsOrFmt(t *testing.T) {
	logs := &secrettest.LogBuffer{}
	logger := secrettest.DebugLogger(logs)
	secrets := relSecrets()
	var outputs []string // error strings and fmt output, scanned at the end
	auths := map[string]Authenticator{
		"body":   BodyAuth(relAPIKey, relUsername),
		"header": HeaderAuth(relAPIKey, relUsername),
	}
	calls := 0
	for authName, auth := range auths {
		for _, sc := range relScenarios {
			for _, rc := range relCalls() {
				srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
					if !assert.NoError(t, r.ParseForm()) {
						return
					}
					sc.handle(t, n, rc.e, relEcho(r, r.PostForm), w)
				})
				c, err := NewClient(auth, WithBaseURL(srv.URL), WithLogger(logger),
					WithRetry(3, time.Millisecond, 2*time.Millisecond))
				require.NoError(t, err)
				res, err := rc.call(context.Background(), c)
				calls++
				if sc.name == "success" || (sc.name == "5xx twice then success" && !endpoints[rc.e].Charging) {
					require.NoError(t, err, "%s %s %s", authName, sc.name, rc.e)
					rc.check(t, res)
				} else {
					require.Error(t, err, "%s %s %s", authName, sc.name, rc.e)
					outputs = append(outputs, err.Error())
					outputs = append(outputs, relFmtAll(err)...)
				}
				if res != nil {
					outputs = append(outputs, relFmtAll(res)...)
					logger.Debug("result", "result", res)
				}
				if rc.params != nil {
					outputs = append(outputs, relFmtAll(rc.params)...)
					logger.Debug("params", "params", rc.params)
				}
				outputs = append(outputs, relFmtAll(c)...)
				outputs = append(outputs, relFmtAll(auth)...)
				srv.Close()
			}
		}
	}
	require.Equal(t, 2*len(relScenarios)*14, calls)
	for i, s := range outputs {
		relAssertClean(t, fmt.Sprintf("output %d", i), s, secrets)
	}
	out := logs.String()
	relAssertClean(t, "the debug log", out, secrets)
	// The log did record the calls, the retries and the failures.
	assert.Contains(t, out, `"msg":"inexopay call"`)
	assert.Contains(t, out, `"msg":"inexopay call failed"`)
	assert.Contains(t, out, `retrying request`)
	assert.Contains(t, out, `XXXXXXXX`+relAadhaar[8:], "the echoed Aadhaar number is masked to its last 4 digits")
}

func TestValidationErrorsHoldNoSecrets(t *testing.T) {
	badAadhaar := relAadhaar[:11] + string('0'+(relAadhaar[11]-'0'+1)%10) // wrong check digit
	badPAN := relAgentPAN[:9] + "7"                                       // malformed: the last character must be a letter
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{}`)
	})
	logs := &secrettest.LogBuffer{}
	c := relClient(t, srv.URL, WithLogger(secrettest.DebugLogger(logs)))
	ctx := context.Background()
	var errs []error
	_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "A1", AadhaarNumber: badAadhaar})
	errs = append(errs, err)
	_, err = c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "A1", RequestID: "R1", OTP: "58391x", AadhaarNumber: relAadhaar})
	errs = append(errs, err)
	_, err = c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "A1", RequestID: "R1", OTP: relOTP, AadhaarNumber: badAadhaar})
	errs = append(errs, err)
	p := relOnboardParams()
	p.PAN = badPAN
	_, err = c.NSDLBank.OnboardAgent(ctx, p)
	errs = append(errs, err)
	_, err = c.NSDLBank.AccountStatus(ctx, badPAN)
	errs = append(errs, err)
	for _, err := range errs {
		require.ErrorIs(t, err, ErrInvalidParams)
		for _, s := range relFmtAll(err) {
			relAssertClean(t, "validation error", s, []string{badAadhaar, "58391x", relOTP, relAadhaar, badPAN})
		}
	}
	assert.Equal(t, 0, srv.count(), "nothing is sent when validation fails")
	relAssertClean(t, "log", logs.String(), []string{badAadhaar, relAadhaar, badPAN})
}

func TestCredentialsNeverPrinted(t *testing.T) {
	for _, a := range []Authenticator{BodyAuth(relAPIKey, relUsername), HeaderAuth(relAPIKey, relUsername)} {
		for _, s := range relFmtAll(a) {
			relAssertClean(t, "authenticator", s, []string{relAPIKey})
			assert.Contains(t, s, relUsername)
		}
		for _, s := range relFmtAll(&a) {
			relAssertClean(t, "pointer to authenticator", s, []string{relAPIKey})
		}
	}
	c := relClient(t, "https://secure.inexopay.in")
	for _, s := range relFmtAll(c) {
		relAssertClean(t, "client", s, []string{relAPIKey})
	}
	for _, s := range relFmtAll(*c) {
		relAssertClean(t, "client value", s, []string{relAPIKey})
	}
}

func TestMaskFunctions(t *testing.T) {
	assert.Equal(t, "XXXXXXXX0124", MaskAadhaar("234567890124"))
	assert.Equal(t, "XXXXXX013M", MaskPAN("NTFPS6013M"))
	assert.Equal(t, "XXXXXX3210", MaskMobile("9876543210"))
	assert.Equal(t, "", MaskAadhaar(""))
	assert.Equal(t, "XXXX", MaskAadhaar("1234"), "4 characters or fewer are masked whole")
	assert.Equal(t, "XX", MaskPAN("AB"))
	assert.Equal(t, "[REDACTED]", redact.OTP(relOTP))
	assert.Equal(t, "", redact.OTP(""))
}

// An HTML page cut to a snippet may end in the middle of a secret; the
// part that is left must not reveal more than the last 4 characters.
func TestSnippetCutInsideASecret(t *testing.T) {
	for cut := 1; cut < len(relAadhaar); cut++ {
		pad := strings.Repeat("a", 120-cut-1) // the snippet keeps 120 characters
		srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = fmt.Fprintf(w, "<p>%s %s</p>", pad, relAadhaar)
		})
		c := relClient(t, srv.URL)
		_, err := c.Aadhaar.SendOTP(context.Background(), &SendOTPParams{OrderID: "A1", AadhaarNumber: relAadhaar})
		require.Error(t, err)
		if cut >= 4 {
			assert.NotContains(t, err.Error(), relAadhaar[:cut], "cut after %d digits", cut)
		}
		srv.Close()
	}
}

// ---- Secrets spelled in other scripts and full-width forms ----

// A Client prepares the secrets of its credentials once: redacting the
// answer of a call that sent no other secret allocates nothing.
func TestClientCachesKeySecrets(t *testing.T) {
	c, err := NewClient(BodyAuth("ik_live_5Qz8Wm2Rt7Yp3Kx9", "merchant01"))
	require.NoError(t, err)
	form := url.Values{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "username": {"merchant01"}, "amount": {"100"}}
	first := c.callSecrets(form, http.Header{})
	require.Len(t, first, 1)
	again := c.callSecrets(form, http.Header{})
	assert.Same(t, &first[0], &again[0], "the same prepared set")

	var out wire.WalletQR
	require.NoError(t, json.Unmarshal([]byte(benchQRBody), &out))
	allocs := testing.AllocsPerRun(50, func() { redact.Answer(&out, c.callSecrets(form, http.Header{})) })
	assert.Zero(t, allocs)
	assert.Contains(t, string(out.Data.TxString), "&pn=INEXOPAY&", "data kept")

	// Another key (an Authenticator that rotates) gets its own set.
	other := c.callSecrets(url.Values{"api_key": {"ik_live_other_key_123"}}, http.Header{})
	require.Len(t, other, 1)
	assert.NotContains(t, redact.Err(errors.New("key ik_live_other_key_123"), other).Error(), "ik_live_other_key_123")
	// A call's own secrets are added to a copy, never to the cached set.
	withOTP := c.callSecrets(url.Values{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "otp": {"123456"}}, http.Header{})
	assert.Len(t, withOTP, 2)
	assert.Len(t, c.callSecrets(form, http.Header{}), 1)
}
