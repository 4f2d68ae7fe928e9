package inexopay_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

// ---- Normalised input echoed back is masked ----

// Secrets given in a non-normalised form (spaces, lower case) and echoed in
// the normalised one (and vice versa) are masked.
func TestNormalisedInputEchoMasked(t *testing.T) {
	type tc struct {
		name string
		echo string
		call func(c *inexopay.Client) error
	}
	cases := []tc{
		{"aadhaar-spaced-in", oAadhaar, func(c *inexopay.Client) error {
			_, err := c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: "O", AadhaarNumber: " 2345-6789-0124 "})
			return err
		}},
		{"otp-spaced-in", oOTP, func(c *inexopay.Client) error {
			_, err := c.Aadhaar.VerifyOTP(context.Background(), &inexopay.VerifyOTPParams{OrderID: "O", RequestID: "R123456", OTP: "583 914", AadhaarNumber: oAadhaar})
			return err
		}},
		{"pan-lower-in", oPAN, func(c *inexopay.Client) error {
			_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "O", AccountType: inexopay.SavingsAccount, BCAgentID: "A1",
				AgentPAN: strings.ToLower(oPAN), FirstName: "B", LastName: "K", Email: "b@example.com", Phone: "9876543210", PAN: "zxcvb9876l", Pincode: "852105", ReturnURL: "https://m.example/r"})
			return err
		}},
		{"pan-customer-echo", "ZXCVB9876L", func(c *inexopay.Client) error {
			_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "O", AccountType: inexopay.SavingsAccount, BCAgentID: "A1",
				AgentPAN: oPAN, FirstName: "B", LastName: "K", Email: "b@example.com", Phone: "9876543210", PAN: "zxcvb9876l", Pincode: "852105", ReturnURL: "https://m.example/r"})
			return err
		}},
	}
	for _, k := range cases {
		srv := oServer(t, func(r *http.Request) oEcho {
			return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"message":"bad ` + k.echo + `"}`}
		})
		c := oClient(t, srv.URL, nil)
		err := k.call(c)
		srv.Close()
		if err == nil {
			t.Errorf("%s: no error", k.name)
			continue
		}
		for _, txt := range oErrTexts(err) {
			if strings.Contains(strings.ToUpper(txt), k.echo) {
				t.Errorf("FINDING: %s: echo unmasked in %q", k.name, txt)
				break
			}
		}
	}
}

// ---- Echoed Aadhaar numbers, OTPs, keys and PANs ----

const (
	oAadhaar = "234567890124"
	oOTP     = "583914"
	oKey     = "ik+live/5Qz=8Wm2Rt7Yp3Kx9"
	oPAN     = "BQKPM4821R"
)

// digitValue maps any Unicode decimal digit to its ASCII form.
func oDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			// decimal digit blocks start at a multiple of 16 plus 0 or 6
			for z := r; z >= r-9; z-- {
				if unicode.IsDigit(z) && !unicode.IsDigit(z-1) {
					b.WriteByte(byte('0' + (r - z)))
					break
				}
			}
		case unicode.IsLetter(r) || strings.ContainsRune(":=?&\"'()[]{}<>;", r):
			// A letter or a syntax character ends a spelling: digits of a
			// timestamp, a port and a duration are not one number.
			b.WriteByte('|')
		}
	}
	return b.String()
}

func oLeaks(s string) []string {
	var found []string
	cands := []string{s, html.UnescapeString(s), oJSONUnescape(s)}
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

// oJSONUnescape replaces JSON's \uXXXX escapes in s by the characters
// they stand for.
func oJSONUnescape(s string) string {
	return oUEscape.ReplaceAllStringFunc(s, func(e string) string {
		r, _ := strconv.ParseUint(e[2:], 16, 32)
		return string(rune(r))
	})
}

var oUEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

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
			"comma-thousands": "234,567,890,124", "newline": sp("\n"),
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
func TestSecretsAadhaarEchoSpellings(t *testing.T) {
	oRunAadhaarEcho(t, oAadhaarSpellings(false))
}

// An Aadhaar number echoed in exotic spellings (digits of other scripts,
// full-width digits, zero-width spaces between digits, thousands commas,
// line breaks between the groups) is masked in the error text, %v/%+v and
// the Warn log, as the README's "any spelling" promises.
func TestSecretsAadhaarExoticSpellingsMasked(t *testing.T) {
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
func TestSecretsOTPEcho(t *testing.T) {
	o := oOTP
	oRunOTPEcho(t, map[string]string{
		"plain": o, "spaces": o[:3] + " " + o[3:], "each-dash": strings.Join(strings.Split(o, ""), "-"),
		"json": `\u0035\u0038\u0033\u0039\u0031\u0034`, "entities": "&#53;&#56;&#51;&#57;&#49;&#52;",
		"dots": strings.Join(strings.Split(o, ""), "."),
	})
}

// An OTP echoed in full-width or Devanagari digits, or with zero-width
// spaces between its digits, is masked ("any spelling").
func TestSecretsOTPExoticSpellingsMasked(t *testing.T) {
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

// oKeyEcho is an answer that echoes s, a spelling of the API key that may
// hold JSON's \r, \n and \t escapes: in a JSON refusal ("json"), an HTML
// error page ("html"), a redirect's Location ("redirect"), a response
// header ("header") or a success's message ("success"). Outside JSON the
// escapes are written as the characters they stand for (a space in a
// header, which cannot hold a line break).
func oKeyEcho(mode, s string) oEcho {
	unJSON := strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t")
	body := s
	if !strings.Contains(s, `\`) {
		body = oJSONString(s)
	}
	switch mode {
	case "json":
		return oEcho{status: 401, ctype: "application/json", body: `{"status":false,"message":"bad key ` + body + `"}`}
	case "html":
		return oEcho{status: 502, ctype: "text/html", body: "<html><body>api_key=" + unJSON.Replace(s) + "</body></html>"}
	case "redirect":
		return oEcho{status: 307, headers: map[string]string{"Location": "https://evil.example/login?api_key=" + s}}
	case "success":
		return oEcho{status: 200, ctype: "application/json", body: `{"status":true,"balance":"10.00","username":"m01","message":"key ` + body + ` ok"}`}
	}
	return oEcho{status: 403, ctype: "text/plain", body: "no", headers: map[string]string{"X-Echo": "api_key=" + strings.NewReplacer(`\r\n`, " ", `\t`, "\t").Replace(s)}}
}

// The API key echoed: as sent in the form, escaped variants, JSON and HTML.
func TestSecretsAPIKeyEcho(t *testing.T) {
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
			srv := oServer(t, func(*http.Request) oEcho { return oKeyEcho(mode, s) })
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

// The API key echoed with separators between its characters (a page or a
// log line that wraps or groups it): in a refusal's message, an HTML error
// page, a response header and a success's message, it reaches no error
// text, log line or printed result.
func TestSecretsAPIKeySeparatedMasked(t *testing.T) {
	each := func(sep string) string { return strings.Join(strings.Split(oKey, ""), sep) }
	spell := map[string]string{
		"wrapped": oKey[:12] + `\r\n  ` + oKey[12:], "tab": oKey[:8] + `\t` + oKey[8:], "spaced": each(" "),
		"dashed": each("-"), "dotted": each("."), "commas": each(","), "slashes": each("/"),
		"underscores": each("_"), "nbsp": each("\u00a0"), "zero-width": each("\u200b"), "grouped": oKey[:6] + " " + oKey[6:12] + " " + oKey[12:],
	}
	finder := secrettest.NewFinder("api key", oKey)
	for name, sp := range spell {
		for _, mode := range []string{"json", "html", "header", "success"} {
			var logbuf bytes.Buffer
			srv := oServer(t, func(*http.Request) oEcho { return oKeyEcho(mode, sp) })
			c := oClient(t, srv.URL, &logbuf)
			res, err := c.Account.Balance(context.Background())
			srv.Close()
			texts := append(oErrTexts(err), logbuf.String(), fmt.Sprintf("%v %+v %#v", res, res, res))
			if mode == "success" && err != nil {
				t.Errorf("%s/%s: %v", name, mode, err)
			}
			if mode != "success" && err == nil {
				t.Errorf("%s/%s: no error", name, mode)
			}
			for _, txt := range texts {
				if found := finder.Find(txt); len(found) > 0 {
					t.Errorf("%s/%s: the key leaked in %q", name, mode, txt)
					break
				}
			}
		}
	}
}

// PAN echoed in spellings by OnboardAgent's refusal.
func TestSecretsPANEcho(t *testing.T) {
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
func TestSecretsPANSeparatedMasked(t *testing.T) {
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
func TestSecretsResultMessageUnicodeDigitsMasked(t *testing.T) {
	srv := oServer(t, func(r *http.Request) oEcho {
		return oEcho{status: 200, ctype: "application/json", body: `{"status_code":200,"status":"success","message":"OTP sent for २३४५६७८९०१२४ / 2345-6789-0124 / ２３４５６７８９０１２４","data":{"request_id":"ADHRVFR19052420260531_1e2d274","aadhaar":"234567890124","status":"pending"}}`}
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

// ---- Echoed secrets in every encoding ----

const (
	o2Key     = "ik_live_Q7w2Zr9Kp4Xm8Tn3"
	o2User    = "merch0042"
	o2Aadhaar = inexopaytest.SandboxAadhaar // 234567890124
	o2OTP     = "583914"
	o2PAN     = "BQKPM4821R"
)

// o2CheckNoSecret fails t when out holds any of secrets' encodings.
func o2CheckNoSecret(t *testing.T, where, out string, secrets ...string) {
	t.Helper()
	secrettest.CheckNoSecret(t, where, out, secrets...)
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

// TestErrorVerbsHeadersEcho: a 401 (JSON) and a 500 (HTML) whose
// headers (Set-Cookie, WWW-Authenticate, a debug header) and body echo
// the API key and the Aadhaar number; every fmt verb (%d and %x print
// unexported fields reflectively or the bytes of a field), every error in
// the chain and slog must keep them out.
func TestErrorVerbsHeadersEcho(t *testing.T) {
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

// TestCustomAuthenticatorEcho: with an Authenticator of one's own
// that sends the key in Authorization and the form, a server that echoes
// it must not get it into an error.
func TestCustomAuthenticatorEcho(t *testing.T) {
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

// TestWithHeaderKeyEcho: a WithHeader value that carries the key
// (an Authorization header for a gateway) echoed back in a 5xx page.
func TestWithHeaderKeyEcho(t *testing.T) {
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

// TestRedirectUserinfoKey: a redirect whose Location carries the key
// as userinfo (raw and URL-escaped) and the Aadhaar number in the query.
func TestRedirectUserinfoKey(t *testing.T) {
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

// TestParamsEveryVerb: params that hold secrets, printed with
// every verb (also %x, %d, %q, %T…), by value and pointer, inside exported
// struct fields, slices and maps, and through slog text/JSON.
func TestParamsEveryVerb(t *testing.T) {
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

// TestServicesPrintNoKey: the Client's exported service fields
// (and the services by value) printed with every verb and slog never show
// the key or username-adjacent credentials.
func TestServicesPrintNoKey(t *testing.T) {
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

// ---- A key with a space, echoed ----

// A key with a space, '+' and '&', sent by body or header auth, echoed in the
// listed spellings (as sent, %2B/%2b, '+' for a space, twice escaped, HTML,
// JSON): masked everywhere.
func TestKeyWithSpaceEchoed(t *testing.T) {
	key := "Kx9 p+Q&r=Zt7Yw3Lm"
	marker := "Zt7Yw3Lm"
	formEnc := url.Values{"k": {key}}.Encode()[2:]
	spell := map[string]string{
		"raw": key, "form": formEnc, "form-lower": strings.ReplaceAll(strings.ReplaceAll(formEnc, "%2B", "%2b"), "%3D", "%3d"),
		"pct20": strings.ReplaceAll(url.QueryEscape(key), "+", "%20"), "twice": url.QueryEscape(formEnc),
		"html": html.EscapeString(key), "path": url.PathEscape(key),
	}
	for _, header := range []bool{false, true} {
		for name, s := range spell {
			srv := oServer(t, func(r *http.Request) oEcho {
				return oEcho{status: 502, ctype: "text/html", body: "<p>key=" + s + "</p>", headers: map[string]string{"X-Echo": s}}
			})
			auth := inexopay.Authenticator(inexopay.BodyAuth(key, "merchant01"))
			if header {
				auth = inexopay.HeaderAuth(key, "merchant01")
			}
			var logbuf bytes.Buffer
			c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(1, 0, 0),
				inexopay.WithLogger(slog.New(slog.NewTextHandler(&logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Account.Balance(context.Background())
			srv.Close()
			for _, txt := range append(oErrTexts(err), logbuf.String()) {
				dec := txt
				for i := 0; i < 3; i++ {
					if u, e := url.QueryUnescape(dec); e == nil {
						dec = u
					}
				}
				if strings.Contains(txt, marker) || strings.Contains(html.UnescapeString(dec), "p+Q&r=") {
					t.Errorf("FINDING: header=%v %s: key leaked in %q", header, name, txt)
					break
				}
			}
		}
	}
}

// ---- Transport errors keep their types ----

// Rebuilt transport errors keep their types: a reset matches ECONNRESET,
// *net.OpError and *url.Error; a cancel matches context.Canceled.
func TestTransportErrorTypesKept(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		time.Sleep(20 * time.Millisecond)
		oRST(c)
		return false
	})
	c := oClientHC(t, s.URL(), nil)
	err := oCharges()[5].call(context.Background(), c)
	var ue *url.Error
	var oe *net.OpError
	if !errors.Is(err, inexopay.ErrOutcomeUnknown) || !errors.Is(err, syscall.ECONNRESET) || !errors.As(err, &ue) || !errors.As(err, &oe) {
		t.Errorf("reset: %v (ECONNRESET %v, url.Error %v, OpError %v)", err, errors.Is(err, syscall.ECONNRESET), errors.As(err, &ue), errors.As(err, &oe))
	}
	s.Close()

	s2 := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		time.Sleep(500 * time.Millisecond)
		return false
	})
	c2 := oClientHC(t, s2.URL(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	err = oCharges()[2].call(ctx, c2)
	s2.Close()
	if !errors.Is(err, context.Canceled) || !errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Errorf("cancel: %v", err)
	}
}
