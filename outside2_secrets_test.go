package inexopay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

const (
	o2Key     = "ik_live_Q7w2Zr9Kp4Xm8Tn3"
	o2User    = "merch0042"
	o2Aadhaar = inexopaytest.SandboxAadhaar // 234567890124
	o2OTP     = "583914"
	o2PAN     = "BQKPM4821R"
)

// o2Encodings returns the spellings in which a raw secret would show up if
// fmt printed it through reflection or a byte verb: as is, hex (both
// cases), and the decimal/octal byte lists of %d/%o on a []byte.
func o2Encodings(secret string) []string {
	b := []byte(secret)
	dec := make([]string, len(b))
	oct := make([]string, len(b))
	for i, c := range b {
		dec[i] = fmt.Sprintf("%d", c)
		oct[i] = fmt.Sprintf("%o", c)
	}
	out := []string{
		secret,
		hex.EncodeToString(b),
		strings.ToUpper(hex.EncodeToString(b)),
		strings.Join(dec, " "),
		strings.Join(oct, " "),
	}
	if len(b) >= 16 {
		out = append(out, base64.StdEncoding.EncodeToString(b)[:16])
	}
	return out
}

func o2CheckNoSecret(t *testing.T, where, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, enc := range o2Encodings(s) {
			if strings.Contains(out, enc) {
				t.Errorf("%s leaks secret %q (as %q): %.400s", where, s, enc, out)
			}
		}
	}
}

var o2Verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%o", "%t", "%e", "%T", "%c", "%U", "%b"}

// o2CheckErrEverywhere prints err and every error in its chain (Unwrap,
// errors.As targets) with every verb and checks no secret spelling shows.
func o2CheckErrEverywhere(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	var chain []any
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if e == nil || depth > 20 {
			return
		}
		chain = append(chain, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x, depth+1)
			}
		}
	}
	walk(err, 0)
	var ae *inexopay.APIError
	if errors.As(err, &ae) {
		chain = append(chain, ae, *ae)
	}
	var oe *inexopay.OutcomeUnknownError
	if errors.As(err, &oe) {
		chain = append(chain, oe, *oe)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		chain = append(chain, ue, *ue)
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		chain = append(chain, ne, *ne)
	}
	for i, e := range chain {
		for _, verb := range o2Verbs {
			o2CheckNoSecret(t, fmt.Sprintf("chain[%d] %T with %s", i, e, verb), fmt.Sprintf(verb, e), secrets...)
		}
	}
	var jb, tb bytes.Buffer
	slog.New(slog.NewJSONHandler(&jb, nil)).Error("x", "err", err, "any", slog.AnyValue(err))
	slog.New(slog.NewTextHandler(&tb, nil)).Error("x", "err", err)
	o2CheckNoSecret(t, "slog", jb.String()+tb.String(), secrets...)
}

// TestOutside2ErrorVerbsHeadersEcho: a 401 (JSON) and a 500 (HTML) whose
// headers (Set-Cookie, WWW-Authenticate, a debug header) and body echo
// the API key and the Aadhaar number; every fmt verb (%d and %x print
// unexported fields reflectively or the bytes of a field), every error in
// the chain and slog must keep them out.
func TestOutside2ErrorVerbsHeadersEcho(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   string
	}{
		{"json401", 401, "application/json", `{"status":"FAILED","status_code":401,"message":"key ` + o2Key + ` aadhaar ` + o2Aadhaar + `"}`},
		{"html500", 500, "text/html", `<html><body>key ` + o2Key + ` aadhaar 2345<!-- c -->6789<b></b>0124 otp ` + o2OTP + `</body></html>`},
		{"json200bad", 200, "application/json", `{"status":"FAILED","status_code":400,"message":"aadhaar \u0032\u0033\u0034\u0035\u0036\u0037\u0038\u0039\u0030\u0031\u0032\u0034 key ` + o2Key + `"}`},
		{"html403entities", 403, "text/html", `<p>aadhaar &#50;&#51;&#52;&#53;&#54;&#55;&#56;&#57;&#48;&#49;&#50;&#52; key ` + strings.ReplaceAll(o2Key, "_", "&#95;") + `</p>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				// echo only the secrets this call sent
				sent := map[string]bool{}
				for _, vs := range r.PostForm {
					for _, v := range vs {
						sent[v] = true
					}
				}
				body := tc.body
				if !sent[o2Aadhaar] {
					body = strings.NewReplacer(o2Aadhaar, "", "2345<!-- c -->6789<b></b>0124", "",
						`\u0032\u0033\u0034\u0035\u0036\u0037\u0038\u0039\u0030\u0031\u0032\u0034`, "",
						"&#50;&#51;&#52;&#53;&#54;&#55;&#56;&#57;&#48;&#49;&#50;&#52;", "").Replace(body)
				}
				if !sent[o2OTP] {
					body = strings.ReplaceAll(body, o2OTP, "")
				}
				aad := ""
				if sent[o2Aadhaar] {
					aad = o2Aadhaar
				}
				w.Header().Add("Set-Cookie", "sid="+o2Key+"; Path=/")
				w.Header().Add("WWW-Authenticate", `Bearer realm="api", error="invalid_token", error_description="key `+o2Key+` aadhaar `+aad+`"`)
				w.Header().Add("X-Debug-Echo", r.PostForm.Encode())
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			var logs bytes.Buffer
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
				inexopay.WithRetry(0, time.Millisecond, time.Millisecond),
				inexopay.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err = c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("O2"), AadhaarNumber: o2Aadhaar})
			o2CheckErrEverywhere(t, err, o2Key, o2Aadhaar)
			_, err = c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: inexopay.NewOrderID("O2"), RequestID: "REQ123456789", OTP: o2OTP, AadhaarNumber: o2Aadhaar})
			o2CheckErrEverywhere(t, err, o2Key, o2Aadhaar, o2OTP)
			_, err = c.Account.Balance(ctx)
			o2CheckErrEverywhere(t, err, o2Key)
			_, err = c.NSDLBank.AccountStatus(ctx, o2PAN)
			o2CheckErrEverywhere(t, err, o2Key, o2PAN)
			o2CheckNoSecret(t, "logs", logs.String(), o2Key, o2Aadhaar, o2OTP, o2PAN)
			if t.Failed() {
				t.Log(logs.String())
			}
		})
	}
}

// o2KeyAuth is an Authenticator of the user's own: it sends the key in a
// bearer header, the way many gateways want it.
type o2KeyAuth struct {
	key  string
	fail bool
}

func (a o2KeyAuth) Authenticate(h http.Header, f url.Values) error {
	if a.fail {
		return fmt.Errorf("vault refused key %s", a.key)
	}
	h.Set("Authorization", "Bearer "+a.key)
	f.Set("api_key", a.key)
	f.Set("username", o2User)
	return nil
}

// TestOutside2CustomAuthenticatorEcho: with an Authenticator of one's own
// that sends the key in Authorization and the form, a server that echoes
// it must not get it into an error.
func TestOutside2CustomAuthenticatorEcho(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		_, _ = fmt.Fprintf(w, `{"status":"FAILED","status_code":401,"message":"bad %s / %s"}`, r.Header.Get("Authorization"), r.PostForm.Get("api_key"))
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(o2KeyAuth{key: o2Key}, inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account.Balance(context.Background())
	o2CheckErrEverywhere(t, err, o2Key)
}

// TestOutside2WithHeaderKeyEcho: a WithHeader value that carries the key
// (an Authorization header for a gateway) echoed back in a 5xx page.
func TestOutside2WithHeaderKeyEcho(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Echo", r.Header.Get("X-Gateway-Auth"))
		w.WriteHeader(502)
		_, _ = fmt.Fprintf(w, "bad gateway auth %s", r.Header.Get("X-Gateway-Auth"))
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account.Balance(context.Background(), inexopay.WithHeader("X-Gateway-Auth", "Bearer "+o2Key))
	o2CheckErrEverywhere(t, err, o2Key)
}

// TestOutside2RedirectUserinfoKey: a redirect whose Location carries the key
// as userinfo (raw and URL-escaped) and the Aadhaar number in the query.
func TestOutside2RedirectUserinfoKey(t *testing.T) {
	for _, loc := range []string{
		"https://" + o2Key + ":x@evil.example/cb?aadhaar=" + o2Aadhaar,
		"https://" + url.PathEscape(o2Key) + "@evil.example/cb?a=" + url.QueryEscape("2345 6789 0124"),
		"https://u:" + strings.ReplaceAll(o2Key, "_", "%5F") + "@evil.example/",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusFound)
		}))
		c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("O2"), AadhaarNumber: o2Aadhaar})
		o2CheckErrEverywhere(t, err, o2Key, o2Aadhaar)
		srv.Close()
	}
}

// TestOutside2ParamsEveryVerb: params that hold secrets, printed with
// every verb (also %x, %d, %q, %T…), by value and pointer, inside exported
// struct fields, slices and maps, and through slog text/JSON.
func TestOutside2ParamsEveryVerb(t *testing.T) {
	send := inexopay.SendOTPParams{OrderID: "O1", AadhaarNumber: o2Aadhaar}
	ver := inexopay.VerifyOTPParams{OrderID: "O1", RequestID: "ADHRVFR251126230350_525f006", OTP: o2OTP, AadhaarNumber: o2Aadhaar}
	agent := inexopay.OnboardAgentParams{Name: "A", PAN: o2PAN, Mobile: "9876543210"}
	open := inexopay.OpenAccountParams{AgentPAN: o2PAN, PAN: "ZXCVB9876L", Phone: "9876543210"}
	type wrap struct {
		S inexopay.SendOTPParams
		V *inexopay.VerifyOTPParams
		A []inexopay.OnboardAgentParams
		M map[string]inexopay.OpenAccountParams
		I any
	}
	vals := []any{send, &send, ver, &ver, agent, &agent, open, &open,
		wrap{S: send, V: &ver, A: []inexopay.OnboardAgentParams{agent}, M: map[string]inexopay.OpenAccountParams{"k": open}, I: ver},
		[]any{send, &ver}, map[string]any{"a": agent, "o": &open}}
	secrets := []string{o2Aadhaar, o2OTP, o2PAN, "ZXCVB9876L", "ADHRVFR251126230350_525f006"}
	for i, v := range vals {
		for _, verb := range o2Verbs {
			o2CheckNoSecret(t, fmt.Sprintf("vals[%d] %T %s", i, v, verb), fmt.Sprintf(verb, v), secrets...)
		}
		var jb, tb bytes.Buffer
		if i < 8 { // wrapped values in slog JSON are the README's documented limit
			slog.New(slog.NewJSONHandler(&jb, nil)).Info("p", "v", v)
		}
		slog.New(slog.NewTextHandler(&tb, nil)).Info("p", "v", v)
		o2CheckNoSecret(t, fmt.Sprintf("vals[%d] slog", i), jb.String()+tb.String(), secrets...)
	}
}

// TestOutside2ServicesPrintNoKey: the Client's exported service fields
// (and the services by value) printed with every verb and slog never show
// the key or username-adjacent credentials.
func TestOutside2ServicesPrintNoKey(t *testing.T) {
	for _, auth := range []inexopay.Authenticator{inexopay.BodyAuth(o2Key, o2User), inexopay.HeaderAuth(o2Key, o2User)} {
		c, err := inexopay.NewClient(auth, inexopay.WithBaseURL("http://127.0.0.1:9"))
		if err != nil {
			t.Fatal(err)
		}
		vals := []any{c, *c, c.Account, *c.Account, c.NSDLBank, *c.NSDLBank, c.Wallet, *c.Wallet, c.PAN, *c.PAN, c.Aadhaar, *c.Aadhaar, auth, []any{c.Account}}
		for i, v := range vals {
			for _, verb := range o2Verbs {
				o2CheckNoSecret(t, fmt.Sprintf("vals[%d] %T %s", i, v, verb), fmt.Sprintf(verb, v), o2Key)
			}
			var jb, tb bytes.Buffer
			slog.New(slog.NewJSONHandler(&jb, nil)).Info("c", "v", v)
			slog.New(slog.NewTextHandler(&tb, nil)).Info("c", "v", v)
			o2CheckNoSecret(t, fmt.Sprintf("vals[%d] %T slog", i, v), jb.String()+tb.String(), o2Key)
		}
	}
}
