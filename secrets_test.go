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
	"unicode"
	"unicode/utf8"

	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// ---- Secrets spelled in other scripts and full-width forms ----

// uniDigits writes the ASCII digits of s with the digits of the script
// whose zero is zero.
func uniDigits(s string, zero rune) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(zero + r - '0')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uniJoin writes the characters of s with sep between them.
func uniJoin(s, sep string) string { return strings.Join(strings.Split(s, ""), sep) }

// uniFullWidth writes s in full-width forms.
func uniFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r + 0xFEE0)
	}
	return b.String()
}

// uniLeak reports whether s holds digits (as a run of Unicode decimal
// digits, whatever stands between them) or the PAN (ignoring case, width
// and anything but letters and digits). It is written apart from the
// matcher: it reads every digit by its value with unicode.Digit ranges.
func uniLeak(s string, digits []string, pan string) bool {
	var ds, alnum strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsDigit(r) {
			z := r
			for unicode.IsDigit(z-1) && (r-z) < 9 && (z-1)%16 != 15 {
				z--
			}
			r = '0' + (r-z)%10
			ds.WriteRune(r)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum.WriteRune(unicode.ToUpper(r))
		}
	}
	for _, d := range digits {
		if strings.Contains(ds.String(), d) {
			return true
		}
	}
	return pan != "" && strings.Contains(alnum.String(), pan)
}

func TestRedactStringUnicodeSpellings(t *testing.T) {
	secrets := []string{atkAPIKey, relAadhaar, relOTP, relAgentPAN}
	a, o, p := relAadhaar, relOTP, relAgentPAN
	groups := func(sep string) string { return a[:4] + sep + a[4:8] + sep + a[8:] }
	pctUTF8 := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
		return b.String()
	}
	jsonU := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r > 0xFFFF {
				r1, r2 := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
				continue
			}
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	entities := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "&#x%X;", r)
		}
		return b.String()
	}
	echoes := []string{
		uniDigits(a, '०'), uniDigits(a, '٠'), uniDigits(a, '۰'), uniDigits(a, '０'), uniDigits(a, '০'),
		uniDigits(a, '௦'), uniDigits(a, '𝟎'), uniDigits(a, '𝟘'), uniDigits(groups(" "), '०'),
		uniJoin(a, "\u200b"), uniJoin(a, "\u200c"), uniJoin(a, "\u200d"), uniJoin(a, "\u2060"), uniJoin(a, "\ufeff"),
		uniJoin(a, "\u00ad"), a[:3] + "," + a[3:6] + "," + a[6:9] + "," + a[9:], groups("\n"), groups("\r\n"),
		groups("\u2028"), groups("\u3000"), groups("\u2013"), groups("\uff0d"), groups(" \u200b "),
		groups("\n      "), uniDigits(uniJoin(a, "\u200b"), '०'),
		pctUTF8(uniDigits(a, '०')), url.QueryEscape(uniJoin(a, "\u200b")), jsonU(uniDigits(a, '०')),
		jsonU(uniDigits(a, '𝟎')), entities(uniDigits(a, '٠')), uniJoin(a, "&ZeroWidthSpace;"),
		uniJoin(a, "&#8203;"),
		uniDigits(o, '０'), uniDigits(o, '०'), uniJoin(o, "\u200b"), uniJoin(o, "\ufeff"),
		"BQKPM 4821 R", "bqkpm-4821-r", uniJoin(p, "\u200b"), uniFullWidth(p), strings.ToLower(uniFullWidth(p)),
		"BQKPM\u00a04821\u00a0R", uniFullWidth("BQKPM") + " 4821 R",
	}
	for _, echo := range echoes {
		for _, text := range []string{echo, "invalid value " + echo + ", try again", "<b>" + echo + "</b>", "नंबर " + echo + " अमान्य"} {
			got := redactString(text, secrets...)
			assert.False(t, uniLeak(got, []string{a[:8], o}, p), "%q became %q", text, got)
			assert.True(t, strings.Contains(got, "X") || strings.Contains(got, "[REDACTED]"), "%q is masked, not dropped: %q", text, got)
		}
	}
	// The span that matched is replaced: what stands around it is kept.
	assert.Equal(t, "आधार XXXXXXXX"+a[8:]+" अमान्य", redactString("आधार "+uniDigits(groups(" "), '०')+" अमान्य", secrets...))
	assert.Equal(t, "pan XXXXXX821R!", redactString("pan "+uniFullWidth(p)+"!", secrets...))
	assert.Equal(t, "otp [REDACTED].", redactString("otp "+uniJoin(o, "\u200b")+".", secrets...))
	assert.Equal(t, "key "+strings.Repeat("X", len(atkAPIKey)-4)+"3Kx9", redactString("key "+uniJoin(atkAPIKey, "\u200b"), secrets...))
	// Text without a secret is kept as it is, byte for byte, including
	// digits of other scripts, separators and escapes of runes.
	for _, s := range []string{
		"राशि ₹१२,३४५ जमा", "٣٤٥ ۱۲", "４９７３", "\u200b\ufeff", "%E0%A5%A6%E0", `\ud835\udfce \ud835`, "&#x1D7CE; &#99999999;",
		uniDigits(a[:11], '०') + " " + uniDigits(a[1:], '०'), "BQKPM 4821 Q", "4973-1286-5406",
	} {
		assert.Equal(t, s, redactString(s, secrets...))
	}
}

// TestRedactDigitValuesOfEveryScript checks that every Unicode decimal
// digit reads as its value: the mask is computed from its block's zero.
func TestRedactDigitValuesOfEveryScript(t *testing.T) {
	n := 0
	for _, tab := range []*unicode.RangeTable{unicode.Nd} {
		for _, r16 := range tab.R16 {
			for z := rune(r16.Lo); z <= rune(r16.Hi); z += 10 {
				n++
				assert.Equal(t, "[REDACTED]", redactString(uniDigits(relOTP, z), relOTP), "zero %U", z)
			}
		}
		for _, r32 := range tab.R32 {
			for z := rune(r32.Lo); z <= rune(r32.Hi); z += 10 {
				n++
				assert.Equal(t, "[REDACTED]", redactString(uniDigits(relOTP, z), relOTP), "zero %U", z)
			}
		}
	}
	assert.Greater(t, n, 60)
}

// pctAll writes every byte of s as %XX.
func pctAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// BenchmarkRedactWorstCase masks 1 MiB answers built to make the matcher
// work hardest: near-misses of every secret at every position, in ASCII,
// in another script's digits, with separators and with escapes.
func BenchmarkRedactWorstCase(b *testing.B) {
	set := callSecrets(url.Values{"api_key": {atkAPIKey}, "aadhaar_number": {relAadhaar}, "otp": {relOTP},
		"pancard": {relAgentPAN}}, nil)
	near := relAadhaar[:11] + "0"
	for _, c := range []struct{ name, unit string }{
		{"ascii-near-miss", near + " "},
		{"devanagari-near-miss", uniDigits(near, '०') + " "},
		{"separated-near-miss", uniJoin(near, "\u200b - ") + " "},
		{"escaped-near-miss", strings.ReplaceAll(pctAll(near), "%", "%25") + " "},
		{"escaped-devanagari-near-miss", url.QueryEscape(url.QueryEscape(uniDigits(near, '०'))) + " "},
		{"hindi-prose", "यह एक सामान्य संदेश है। "},
	} {
		text := strings.Repeat(c.unit, (1<<20)/len(c.unit))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if set.clean(text) != text {
					b.Fatal("near-miss masked")
				}
			}
		})
	}
}

// isScriptZero reports whether r is the zero of a script's decimal digits.
func isScriptZero(r rune) bool {
	for _, run := range unicode.Nd.R16 {
		if rune(run.Lo) <= r && r <= rune(run.Hi) {
			return (r-rune(run.Lo))%10 == 0
		}
	}
	return false
}

// FuzzRedactSpelledEcho puts an echo of an Aadhaar number, an OTP or a PAN,
// spelled with the digits of a script and a separator, between any two
// texts: the echo never survives, valid UTF-8 stays valid, and the matcher
// neither panics nor grows the text more than a mask per 4 bytes.
func FuzzRedactSpelledEcho(f *testing.F) {
	f.Add("invalid ", ", retry", uint8(0), uint16(0x966), "\u200b")
	f.Add("%", ";", uint8(1), uint16(0xFF10), ",")
	f.Add("&#", "", uint8(2), uint16(0x660), "\n ")
	f.Add("४४", "१", uint8(0), uint16(0x30), "")
	f.Fuzz(func(t *testing.T, prefix, suffix string, which uint8, zero uint16, sep string) {
		if !isScriptZero(rune(zero)) {
			zero = '0'
		}
		if len(sep) > maxSeparators {
			sep = sep[:maxSeparators]
		}
		for _, r := range sep {
			if !(secret{kind: secretDigits}).separates(r, normRune(r)) {
				sep = " "
				break
			}
		}
		secrets := []string{relAadhaar, relOTP, relAgentPAN}
		value := secrets[int(which)%len(secrets)]
		echo := uniJoin(uniDigits(value, rune(zero)), sep)
		in := prefix + echo + suffix
		out := redactString(in, secrets...)
		if strings.Contains(out, echo) {
			t.Fatalf("%q survived in %q", echo, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("%q became invalid UTF-8 %q", in, out)
		}
		if len(out) > len(in)/4*len(redactedText)+len(in) {
			t.Fatalf("%q grew to %q", in, out)
		}
	})
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
