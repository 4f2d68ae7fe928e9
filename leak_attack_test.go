package inexopay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
