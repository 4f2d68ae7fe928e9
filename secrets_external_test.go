package inexopay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	inexopay "github.com/inexopay/inexopay-go"
)

// ---- Spellings of secrets ----

// o2Fold reads text the way a person (or a log search) would: HTML
// entities and URL escapes (twice) decoded, every decimal digit of any
// script and full-width letter folded to ASCII, upper-cased, and anything
// that is not a letter or digit dropped.
func o2Fold(s string) string {
	s = html.UnescapeString(s)
	for range 2 {
		if u, err := url.QueryUnescape(s); err == nil {
			s = u
		}
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 32)
		case r >= 0xFF10 && r <= 0xFF19:
			b.WriteRune('0' + r - 0xFF10)
		case r >= 0xFF21 && r <= 0xFF3A:
			b.WriteRune('A' + r - 0xFF21)
		case r >= 0xFF41 && r <= 0xFF5A:
			b.WriteRune('A' + r - 0xFF41)
		case r >= 0x1D7CE && r <= 0x1D7FF:
			b.WriteRune('0' + (r-0x1D7CE)%10)
		case unicode.IsDigit(r):
			start := r
			for unicode.IsDigit(start - 1) {
				start--
			}
			b.WriteRune('0' + (r-start)%10)
		}
	}
	return b.String()
}

func o2Spell(digits string, sep string, mapDigit func(rune) string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(mapDigit(r))
	}
	return b.String()
}

func o2Shift(base rune) func(rune) string {
	return func(r rune) string {
		if r >= '0' && r <= '9' {
			return string(base + r - '0')
		}
		if base == 0xFF10 && r >= 'A' && r <= 'Z' {
			return string(0xFF21 + r - 'A')
		}
		return string(r)
	}
}

func o2Ent(f func(rune) string) func(rune) string {
	return func(r rune) string {
		s := f(r)
		var b strings.Builder
		for _, x := range s {
			b.WriteString("&#" + itoa(int(x)) + ";")
		}
		return b.String()
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for n > 0 {
		d = append([]byte{byte('0' + n%10)}, d...)
		n /= 10
	}
	return string(d)
}

func o2Same(r rune) string { return string(r) }

// TestSecretSpellings: the API echoes the Aadhaar number, the OTP
// or the PAN a call sent in spellings the README promises to mask,
// combined: digits of other scripts (Mathematical, Devanagari, Thai)
// with separators, full-width digits as HTML entities or URL-escaped,
// soft hyphens and other invisible format characters, NBSP and tabs, in a
// JSON message and in an HTML 502 page. The error must not hold the
// secret in any spelling that folds back to it.
func TestSecretSpellings(t *testing.T) {
	aad := o2Aadhaar
	spellings := map[string]string{
		"math-bold":              o2Spell(aad, "", o2Shift(0x1D7CE)),
		"math-monospace":         o2Spell(aad, "", o2Shift(0x1D7F6)),
		"devanagari-spaces":      o2Spell(aad[:4], "", o2Shift(0x0966)) + " " + o2Spell(aad[4:8], "", o2Shift(0x0966)) + " " + o2Spell(aad[8:], "", o2Shift(0x0966)),
		"thai-dashes":            o2Spell(aad, "-", o2Shift(0x0E50)),
		"fullwidth-entities":     o2Spell(aad, "", o2Ent(o2Shift(0xFF10))),
		"fullwidth-urlescaped":   url.QueryEscape(o2Spell(aad, "", o2Shift(0xFF10))),
		"soft-hyphen":            o2Spell(aad, "\u00ad", o2Same),
		"zwsp-and-dots":          o2Spell(aad, ".\u200b", o2Same),
		"nbsp-tab":               o2Spell(aad, "\u00a0\t", o2Same),
		"mongolian-vowel-sep":    o2Spell(aad, "\u180e", o2Same),
		"bidi-marks":             o2Spell(aad, "\u200e", o2Same),
		"ascii-entities-spaced":  o2Spell(aad, " ", o2Ent(o2Same)),
		"double-urlescaped-dash": url.QueryEscape(url.QueryEscape(o2Spell(aad, " - ", o2Same))),
		"mixed-scripts":          o2Spell(aad[:6], "", o2Shift(0x0966)) + o2Spell(aad[6:], "", o2Shift(0xFF10)),
	}
	for _, where := range []string{"json", "html502"} {
		for name, sp := range spellings {
			t.Run(where+"/"+name, func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_ = r.ParseForm()
					if where == "json" {
						msg, _ := json.Marshal("invalid [[" + sp + "]]")
						w.Header().Set("Content-Type", "application/json")
						_, _ = w.Write([]byte(`{"status_code":400,"status":"FAILED","message":` + string(msg) + `}`))
						return
					}
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(502)
					_, _ = w.Write([]byte("<p>[[" + sp + "]]</p>"))
				}))
				defer srv.Close()
				c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("O2"), AadhaarNumber: aad})
				if err == nil {
					t.Fatal("want an error")
				}
				txt := err.Error()
				i, j := strings.Index(txt, "[["), strings.LastIndex(txt, "]]")
				if i < 0 || j < i {
					// markers dropped: fold the whole text
					i, j = 0, len(txt)
				}
				if f := o2Fold(txt[i:j]); strings.Contains(f, aad) {
					t.Errorf("Aadhaar number readable in the error: %q (folds to %q)", txt[i:j], f)
				}
			})
		}
	}
}

// TestEchoInOtherFields: the secret echoed not in "message" but
// in the status, as a message that is an object or array (kept as its
// JSON text), in error/msg members, and in the Content-Type header an
// *APIError copies.
func TestEchoInOtherFields(t *testing.T) {
	a := o2Aadhaar
	for name, tc := range map[string]struct{ ctype, body string }{
		"status":                {"application/json", `{"status":"FAILED ` + a + `","status_code":400,"message":"x"}`},
		"message-object":        {"application/json", `{"status":"FAILED","status_code":400,"message":{"aadhaar":"` + a + `","key":"` + o2Key + `"}}`},
		"message-array":         {"application/json", `{"status":"FAILED","status_code":400,"message":["` + a + `","` + o2Key + `"]}`},
		"error-members":         {"application/json", `{"status":false,"error":"` + a + `","msg":"` + o2Key + `","errors":{"aadhaar":["` + a + `"]}}`},
		"code-string":           {"application/json", `{"status":"FAILED","status_code":"` + a + `","message":"x"}`},
		"content-type":          {"text/html; charset=\"" + a + "\"; k=" + o2Key, `<p>x</p>`},
		"content-type-json-bad": {"application/json; aadhaar=" + a, `{"status":`},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(400)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("O2"), AadhaarNumber: a})
			o2CheckErrEverywhere(t, err, o2Key, a)
		})
	}
}

// TestResultsEchoKey
// Was a finding of the outside review, now fixed: README "No secrets leak": "The API key ... never appear[s] ...
// in %v/%+v/%#v/slog output of params, results and the client" and "When
// the API ... echoes a secret that the call sent, it is masked in any
// spelling". A back end that builds text and URLs from the request echoes
// the key the call sent into a success answer: WalletPayment.Remark is
// masked, but WalletPayment.Bank and WalletQR.QRURL (types without
// Format/LogValue) print the API key verbatim with %v, %+v, %#v and slog
// JSON. Observed: key in clear in 4 verbs x 2 result types; promised:
// never.
func TestResultsEchoKey(t *testing.T) {
	k := o2Key
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "load_request") {
			_, _ = w.Write([]byte(`{"status_code":200,"status":"SUCCESS","message":"QR generated","data":{"order_id":"WAL3535413367206","amount":100,"qr_url":"https://pay.example/qr?order_id=WAL3535413367206&api_key=` + k + `","upi_id":"inexopay.sandbox@ptys","account_holder_name":"INEXOPAY","tx_string":"upi://pay?pa=inexopay.sandbox@ptys&pn=INEXOPAY&cu=INR&tn=WAL3535413367206&am=100&tr=WAL3535413367206","status":"pending"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL6699063177041","amount":100,"status":"success","date_time":"2026-11-25 23:06:32","bank":"UPI QR (key ` + k + `)","mode":"API_UPI_QR","remark":"Wallet Load via API key=` + k + ` - UTR: SBX310332382","new_balance":1100}}`))
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	if err != nil {
		t.Fatal(err)
	}
	pay, err := c.Wallet.PaymentStatus(ctx, "WAL6699063177041")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{qr, *qr, pay, *pay} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			o2CheckNoSecret(t, fmt.Sprintf("%T %s", v, verb), fmt.Sprintf(verb, v), k)
		}
		var b strings.Builder
		slog.New(slog.NewJSONHandler(&b, nil)).Info("r", "result", v)
		o2CheckNoSecret(t, fmt.Sprintf("%T slog", v), b.String(), k)
	}
}

// TestResultMessagesMaskPAN: results "mask the secrets the API
// echoes in their messages": the PAN a call sent, echoed lower-cased,
// spaced or full-width in Agent.Message, AccountOpening.Message and a
// BankAccount's record message, must not print.
func TestResultMessagesMaskPAN(t *testing.T) {
	const agentPAN, custPAN = "NTFPS6013M", "ABCDE1234F"
	fw := o2Spell(custPAN, "", o2Shift(0xFF10))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.Contains(r.URL.Path, "onboarding"):
			_, _ = w.Write([]byte(`{"status":true,"message":"Agent ntfps6013m verified (n t f p s 6 0 1 3 m)","data":{"txn_id":"INX00001","agent_id":"INX00001"}}`))
		case strings.Contains(r.URL.Path, "account_open"):
			_, _ = w.Write([]byte(`{"status":true,"message":"Success for ` + fw + ` by agent ` + strings.ToLower(agentPAN) + `","data":"https://nsdl.example/open?signcs=NSDLLWRLLTZEU","user":{"txn_id":"NSDLLWRLLTZEU","customer_id":838822}}`))
		default:
			_, _ = w.Write([]byte(`{"status":true,"message":"Success abcde-1234-f","data":{"id":1,"account_type":1,"txn_id":"NSDLLWRLLTZEU","first_name":"Asha","middle_name":null,"last_name":"Devi","email":"asha@example.com","phone":"9876543210","pancard":"ABCDE1234F","pincode":"852105","is_completed":0,"message":"KYC pending for a.b.c.d.e.1.2.3.4.f","status":0,"date":"2026-11-25T17:37:00Z","is_refunded":0,"created_at":"2026-11-25T17:37:00Z","updated_at":"2026-11-25T17:37:00Z"}}`))
		}
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ag, err := c.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "7091919185", DateOfBirth: "1990-04-01", Address: "Main Road", StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: agentPAN})
	if err != nil {
		t.Fatal(err)
	}
	op, err := c.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{OrderID: inexopay.NewOrderID("ACC"), AccountType: inexopay.SavingsAccount,
		BCAgentID: "INX00001", AgentPAN: agentPAN, FirstName: "Asha", LastName: "Devi", Email: "asha@example.com", Phone: "9876543210",
		PAN: custPAN, Pincode: "852105", ReturnURL: "https://example.com/nsdl/done"})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := c.NSDLBank.AccountStatus(ctx, custPAN)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{ag, *ag, op, *op, acct, *acct} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			out := fmt.Sprintf(verb, v)
			for _, p := range []string{agentPAN, custPAN} {
				if strings.Contains(o2Fold(out), p) {
					t.Errorf("%T %s shows PAN %s: %s", v, verb, p, out)
				}
			}
		}
	}
}
