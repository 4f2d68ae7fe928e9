package inexopay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// relSyncBuffer is a log sink safe for concurrent writes.
type relSyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *relSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *relSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// relDebugLogger logs everything as JSON into buf. Times and durations are
// replaced by fixed text so that their digits cannot match a 6-digit OTP
// by chance.
func relDebugLogger(buf *relSyncBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			if a.Value.Kind() == slog.KindDuration {
				return slog.String(a.Key, "<duration>")
			}
			return a
		},
	}))
}

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
	logs := &relSyncBuffer{}
	logger := relDebugLogger(logs)
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
	logs := &relSyncBuffer{}
	c := relClient(t, srv.URL, WithLogger(relDebugLogger(logs)))
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
	assert.Equal(t, "[REDACTED]", maskOTP(relOTP))
	assert.Equal(t, "", maskOTP(""))
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

// Plain ASCII text without escapes is checked with a search for the key as
// sent; anything an echo could be spelled in still goes through the matcher.
func TestSecretSetPlainTextFastPath(t *testing.T) {
	const key = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	set := callSecrets(url.Values{"api_key": {key}}, nil)
	for _, tc := range []struct{ in, want string }{
		{"upi://pay?pa=x@ptys&pn=INEXOPAY&cu=INR&am=100", "upi://pay?pa=x@ptys&pn=INEXOPAY&cu=INR&am=100"},
		{"bad key " + key + " sent", "bad key XXXXXXXXXXXXXXXXXXXXKx9 sent"},
		{"bad key ik_live_5Qz8Wm2Rt7Yp3Kx9&amp;", "bad key XXXXXXXXXXXXXXXXXXXXKx9&amp;"},
		{"bad key ik&#95;live_5Qz8Wm2Rt7Yp3Kx9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
		{"bad key ik%5Flive_5Qz8Wm2Rt7Yp3Kx9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
		{"bad key ik\\u005flive_5Qz8Wm2Rt7Yp3Kx9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
		{"bad key ik_live_5Qz8Wm2Rt7Yp3Kx\u200b9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
	} {
		assert.Equal(t, strings.Replace(tc.want, "XXXXXXXXXXXXXXXXXXXXKx9", set[0].mask(), 1), set.clean(tc.in), "%q", tc.in)
	}
}

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
	allocs := testing.AllocsPerRun(50, func() { redactAnswer(&out, c.callSecrets(form, http.Header{})) })
	assert.Zero(t, allocs)
	assert.Contains(t, string(out.Data.TxString), "&pn=INEXOPAY&", "data kept")

	// Another key (an Authenticator that rotates) gets its own set.
	other := c.callSecrets(url.Values{"api_key": {"ik_live_other_key_123"}}, http.Header{})
	assert.Equal(t, "ik_live_other_key_123", other[0].value)
	// A call's own secrets are added to a copy, never to the cached set.
	withOTP := c.callSecrets(url.Values{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "otp": {"123456"}}, http.Header{})
	assert.Len(t, withOTP, 2)
	assert.Len(t, c.callSecrets(form, http.Header{}), 1)
}
