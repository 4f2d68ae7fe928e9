package inexopay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

const (
	oAadhaar = "441003356445"
	oOTP     = "583914"
	oKey     = "ik+live/5Qz=8Wm2Rt7Yp3Kx9"
	oPAN     = "BQKPM4821R"
)

// digitValue maps any Unicode decimal digit to its ASCII form.
func oDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsDigit(r) {
			// decimal digit blocks start at a multiple of 16 plus 0 or 6
			for z := r; z >= r-9; z-- {
				if unicode.IsDigit(z) && !unicode.IsDigit(z-1) {
					b.WriteByte(byte('0' + (r - z)))
					break
				}
			}
		}
	}
	return b.String()
}

// oLeaks reports which secret shows in s in any spelling we can think of.
func oLeaks(s string) []string {
	var found []string
	cands := []string{s, html.UnescapeString(s)}
	if u, err := url.QueryUnescape(s); err == nil {
		cands = append(cands, u)
		if u2, err := url.QueryUnescape(u); err == nil {
			cands = append(cands, u2)
		}
	}
	for _, c := range cands {
		d := oDigits(c)
		if strings.Contains(d, oAadhaar[:8]) {
			found = append(found, "aadhaar")
		}
		if strings.Contains(d, oOTP) {
			found = append(found, "otp")
		}
		lc := strings.ToLower(c)
		if strings.Contains(lc, strings.ToLower(oPAN)) {
			found = append(found, "pan")
		}
		if strings.Contains(c, "5Qz=8Wm2Rt7") || strings.Contains(lc, "5qz=8wm2rt7") || strings.Contains(c, "Wm2Rt7Yp3Kx9") {
			found = append(found, "apikey")
		}
	}
	return found
}

// oErrTexts renders err and everything reachable from it.
func oErrTexts(err error) []string {
	var out []string
	seen := 0
	var walk func(e error)
	walk = func(e error) {
		if e == nil || seen > 50 {
			return
		}
		seen++
		out = append(out, e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), fmt.Sprintf("%q", e), fmt.Sprintf("%x", e.Error()))
		if ae := new(inexopay.APIError); errors.As(e, &ae) {
			out = append(out, ae.Message, ae.Snippet, ae.Status, fmt.Sprintf("%+v", *ae), fmt.Sprintf("%#v", *ae))
		}
		if ue := new(url.Error); errors.As(e, &ue) {
			out = append(out, ue.URL, fmt.Sprintf("%#v", ue))
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

type oEcho struct {
	status  int
	ctype   string
	body    string
	headers map[string]string
}

func oServer(t *testing.T, ans func(r *http.Request) oEcho) *httptest.Server {
	return testkit.ServeEcho(t, func(r *http.Request) testkit.Answer {
		a := ans(r)
		return testkit.Answer{Status: a.status, ContentType: a.ctype, Header: a.headers, Body: a.body}
	})
}

func oClient(t *testing.T, base string, logbuf *bytes.Buffer, opts ...inexopay.Option) *inexopay.Client {
	all := []inexopay.Option{inexopay.WithBaseURL(base), inexopay.WithRetry(1, 0, 0)}
	if logbuf != nil {
		all = append(all, inexopay.WithLogger(slog.New(slog.NewTextHandler(logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	all = append(all, opts...)
	c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "merchant01"), all...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if tr, ok := http.DefaultTransport.(*http.Transport); ok {
			_ = tr
		}
	})
	return c
}

func oAadhaarSpellings(exotic bool) map[string]string {
	a := oAadhaar
	sp := func(sep string) string { return a[:4] + sep + a[4:8] + sep + a[8:] }
	each := func(sep string) string { return strings.Join(strings.Split(a, ""), sep) }
	shift := func(zero rune) string {
		var b strings.Builder
		for _, r := range a {
			b.WriteRune(zero + (r - '0'))
		}
		return b.String()
	}
	var uesc strings.Builder
	for _, r := range a {
		fmt.Fprintf(&uesc, `\u%04x`, r)
	}
	var ent strings.Builder
	for _, r := range a {
		fmt.Fprintf(&ent, "&#%d;", r)
	}
	var pct strings.Builder
	for _, r := range a {
		fmt.Fprintf(&pct, "%%%02X", r)
	}
	if exotic {
		return map[string]string{
			"zwsp": each("\u200b"), "fullwidth": shift('０'), "devanagari": shift('०'), "arabic-indic": shift('٠'),
			"comma-thousands": "441,003,356,445", "newline": sp("\n"),
		}
	}
	return map[string]string{
		"plain": a, "spaces": sp(" "), "dashes": sp("-"), "dots": sp("."),
		"underscore": sp("_"), "slash": sp("/"), "nbsp": sp("\u00a0"), "tab": sp("\t"),
		"each-space": each(" "), "each-dash": each("-"),
		"json-u-escape": uesc.String(), "html-entities": ent.String(), "percent": pct.String(),
		"plus-space": sp("+"),
	}
}

func oJSONString(s string) string {
	// keep \u escapes as they are (they are already JSON), escape the rest
	if strings.HasPrefix(s, `\u`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SendOTP answered with errors that echo the Aadhaar number in many spellings.
func TestOutsideSecretsAadhaarEchoSpellings(t *testing.T) {
	oRunAadhaarEcho(t, oAadhaarSpellings(false))
}

// An Aadhaar number echoed in exotic spellings (digits of other scripts,
// full-width digits, zero-width spaces between digits, thousands commas,
// line breaks between the groups) is masked in the error text, %v/%+v and
// the Warn log, as the README's "any spelling" promises.
func TestOutsideSecretsAadhaarExoticSpellingsMasked(t *testing.T) {
	oRunAadhaarEcho(t, oAadhaarSpellings(true))
}

func oRunAadhaarEcho(t *testing.T, spellings map[string]string) {
	for name, spelled := range spellings {
		for _, mode := range []string{"json400", "json200fail", "html500", "header", "redirect"} {
			var logbuf bytes.Buffer
			srv := oServer(t, func(r *http.Request) oEcho {
				switch mode {
				case "json400":
					return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"status_code":400,"message":"Aadhaar ` + oJSONString(spelled) + ` is invalid"}`}
				case "json200fail":
					return oEcho{status: 200, ctype: "application/json", body: `{"status":"FAILED","status_code":422,"message":"Aadhaar ` + oJSONString(spelled) + ` rejected"}`}
				case "html500":
					return oEcho{status: 500, ctype: "text/html", body: `<html><body><h1>Error</h1><p>aadhaar_number=` + spelled + `</p></body></html>`}
				case "header":
					return oEcho{status: 400, ctype: "text/plain", body: "bad", headers: map[string]string{"X-Debug": "aadhaar=" + strings.ReplaceAll(spelled, "\n", " "), "Warning": `199 - "` + strings.ReplaceAll(spelled, "\n", " ") + `"`}}
				default:
					return oEcho{status: 302, body: "", headers: map[string]string{"Location": "/err?aadhaar_number=" + url.QueryEscape(spelled)}}
				}
			})
			c := oClient(t, srv.URL, &logbuf)
			p := &inexopay.SendOTPParams{OrderID: "ORDA1", AadhaarNumber: oAadhaar}
			res, err := c.Aadhaar.SendOTP(context.Background(), p)
			if err == nil {
				t.Errorf("%s/%s: no error, res %v", name, mode, res)
				continue
			}
			texts := oErrTexts(err)
			texts = append(texts, logbuf.String(), fmt.Sprintf("%v %+v %#v", p, p, *p))
			for _, s := range texts {
				if l := oLeaks(s); len(l) > 0 {
					t.Errorf("FINDING: %s/%s: %v leaked in %q", name, mode, l, s)
					break
				}
			}
			srv.Close()
		}
	}
}

// VerifyOTP with the OTP echoed in spellings.
func TestOutsideSecretsOTPEcho(t *testing.T) {
	o := oOTP
	oRunOTPEcho(t, map[string]string{
		"plain": o, "spaces": o[:3] + " " + o[3:], "each-dash": strings.Join(strings.Split(o, ""), "-"),
		"json": `\u0035\u0038\u0033\u0039\u0031\u0034`, "entities": "&#53;&#56;&#51;&#57;&#49;&#52;",
		"dots": strings.Join(strings.Split(o, ""), "."),
	})
}

// An OTP echoed in full-width or Devanagari digits, or with zero-width
// spaces between its digits, is masked ("any spelling").
func TestOutsideSecretsOTPExoticSpellingsMasked(t *testing.T) {
	o := oOTP
	oRunOTPEcho(t, map[string]string{
		"fullwidth": "５８３９１４", "devanagari": "५८३९१४", "zwsp": strings.Join(strings.Split(o, ""), "\u200b"),
	})
}

func oRunOTPEcho(t *testing.T, spell map[string]string) {
	for name, s := range spell {
		var logbuf bytes.Buffer
		srv := oServer(t, func(r *http.Request) oEcho {
			return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"message":"OTP ` + oJSONString(s) + ` expired"}`}
		})
		c := oClient(t, srv.URL, &logbuf)
		_, err := c.Aadhaar.VerifyOTP(context.Background(), &inexopay.VerifyOTPParams{OrderID: "O1", RequestID: "REQ1234567", OTP: oOTP, AadhaarNumber: oAadhaar})
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		for _, txt := range append(oErrTexts(err), logbuf.String()) {
			if l := oLeaks(txt); len(l) > 0 {
				t.Errorf("FINDING: otp %s: %v leaked in %q", name, l, txt)
				break
			}
		}
		srv.Close()
	}
}

// The API key echoed: as sent in the form, escaped variants, JSON and HTML.
func TestOutsideSecretsAPIKeyEcho(t *testing.T) {
	k := oKey
	form := url.Values{"api_key": {k}}.Encode()[len("api_key="):]
	var uesc strings.Builder
	for _, r := range k {
		fmt.Fprintf(&uesc, `\u%04x`, r)
	}
	spell := map[string]string{
		"plain": k, "form": form, "form-lower": strings.NewReplacer("%2B", "%2b", "%2F", "%2f", "%3D", "%3d").Replace(form),
		"plus-for-space": strings.ReplaceAll(form, "%2B", "+"), "double": url.QueryEscape(form),
		"path": url.PathEscape(k), "html": html.EscapeString(k), "json-u": uesc.String(),
		"json-slash": strings.ReplaceAll(k, "/", `\/`), "entities-hex": "ik&#x2B;live&#x2F;5Qz&#x3D;8Wm2Rt7Yp3Kx9",
		"json-plus": strings.ReplaceAll(k, "+", `\u002b`),
	}
	for name, s := range spell {
		for _, mode := range []string{"json", "html", "redirect", "header"} {
			var logbuf bytes.Buffer
			srv := oServer(t, func(r *http.Request) oEcho {
				switch mode {
				case "json":
					body := s
					if !strings.Contains(s, `\`) {
						body = oJSONString(s)
					}
					return oEcho{status: 401, ctype: "application/json", body: `{"status":false,"message":"bad key ` + body + `"}`}
				case "html":
					return oEcho{status: 502, ctype: "text/html", body: "<html><body>api_key=" + s + "</body></html>"}
				case "redirect":
					return oEcho{status: 307, headers: map[string]string{"Location": "https://evil.example/login?api_key=" + s}}
				default:
					return oEcho{status: 403, ctype: "text/plain", body: "no", headers: map[string]string{"X-Echo": "api_key=" + s}}
				}
			})
			c := oClient(t, srv.URL, &logbuf)
			_, err := c.Account.Balance(context.Background())
			if err == nil {
				t.Errorf("%s/%s: no error", name, mode)
				continue
			}
			for _, txt := range append(oErrTexts(err), logbuf.String()) {
				if l := oLeaks(txt); len(l) > 0 {
					t.Errorf("FINDING: key %s/%s: %v leaked in %q", name, mode, l, txt)
					break
				}
			}
			srv.Close()
		}
	}
}

// PAN echoed in spellings by OnboardAgent's refusal.
func TestOutsideSecretsPANEcho(t *testing.T) {
	p := oPAN
	oRunPANEcho(t, map[string]string{
		"plain": p, "lower": strings.ToLower(p),
		"json-u": `\u0042\u0051\u004b\u0050\u004d\u0034\u0038\u0032\u0031\u0052`,
		"mixed":  "bQkPm4821r",
	})
}

// A full PAN echoed with spaces or dashes between its parts, with
// zero-width spaces, or in full-width letters and digits is masked ("any
// spelling").
func TestOutsideSecretsPANSeparatedMasked(t *testing.T) {
	oRunPANEcho(t, map[string]string{
		"spaced": "BQKPM 4821 R", "dashes": "BQKPM-4821-R", "zwsp": strings.Join(strings.Split(oPAN, ""), "\u200b"),
		"fullwidth": "ＢＱＫＰＭ４８２１Ｒ",
	})
}

func oRunPANEcho(t *testing.T, spell map[string]string) {
	p := oPAN
	for name, s := range spell {
		var logbuf bytes.Buffer
		srv := oServer(t, func(r *http.Request) oEcho {
			return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"message":"PAN ` + oJSONString(s) + ` already registered"}`}
		})
		c := oClient(t, srv.URL, &logbuf)
		params := &inexopay.OnboardAgentParams{ShopName: "Kumar Telecom", Name: "Binod Kumar", Email: "binodk@example.com",
			Mobile: "7091919185", DateOfBirth: "1990-04-12", Address: "Main Road", StateName: "Bihar",
			CityName: "Araria", Pincode: "852105", PAN: p}
		_, err := c.NSDLBank.OnboardAgent(context.Background(), params)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		for _, txt := range append(oErrTexts(err), logbuf.String()) {
			norm := strings.Map(func(r rune) rune {
				if r >= '！' && r <= '～' {
					return r - 0xFEE0
				}
				if r == '\u200b' || r == ' ' || r == '-' {
					return -1
				}
				return r
			}, txt)
			if strings.Contains(strings.ToUpper(norm), p) {
				t.Errorf("FINDING: pan %s leaked in %q", name, txt)
				break
			}
		}
		srv.Close()
	}
}

// A result's Message that names the Aadhaar number in Devanagari or
// full-width digits (or dashed) is masked: in the field itself and in
// %v/%+v/%#v/slog output.
func TestOutsideSecretsResultMessageUnicodeDigitsMasked(t *testing.T) {
	srv := oServer(t, func(r *http.Request) oEcho {
		return oEcho{status: 200, ctype: "application/json", body: `{"status_code":200,"status":"success","message":"OTP sent for ४४१००३३५६४४५ / 4410-0335-6445 / ４４１００３３５６４４５","data":{"request_id":"ADHRVFR19052420260531_1e2d274","aadhaar":"441003356445","status":"pending"}}`}
	})
	var logbuf bytes.Buffer
	c := oClient(t, srv.URL, &logbuf)
	res, err := c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: "O2", AadhaarNumber: oAadhaar})
	if err != nil {
		t.Fatal(err)
	}
	var sl bytes.Buffer
	slog.New(slog.NewJSONHandler(&sl, nil)).Info("r", "res", res, "v", *res)
	outs := []string{res.Message, fmt.Sprintf("%v", res), fmt.Sprintf("%+v", *res), fmt.Sprintf("%#v", res), sl.String(), logbuf.String()}
	for _, s := range outs {
		if l := oLeaks(s); len(l) > 0 {
			t.Errorf("result leaked %v in %q", l, s)
		}
	}
	if strings.Contains(fmt.Sprintf("%v|%#v|%s", *res, *res, sl.String()), "ADHRVFR19052420260531_1e2") {
		t.Errorf("request id printed whole")
	}
	_ = reflect.TypeOf
}
