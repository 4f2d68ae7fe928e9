package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

const cliAadhaar = "234567890124"

// firstLine returns the first line of s and the rest.
func firstLine(s string) (string, string) {
	l, rest, _ := strings.Cut(s, "\n")
	return l, rest
}

// orderFromFirstLine reads "Order id: X" from the first line of stdout.
func orderFromFirstLine(t *testing.T, stdout string) string {
	t.Helper()
	l, _ := firstLine(stdout)
	id, ok := strings.CutPrefix(l, "Order id: ")
	require.True(t, ok, "the order id comes first: %q", stdout)
	return strings.TrimSpace(id)
}

// TestChargingCommands runs every charging command against the sandbox
// with -yes (flags after the command): each prints the order id first,
// does what it says, and masks the mobile, PAN and Aadhaar number.
func TestChargingCommands(t *testing.T) {
	srv, env, base := sandbox(t)

	// wallet-qr: INEXOPAY assigns the order id.
	r := runCLI(t, env, args(base, "wallet-qr", "250.50", "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	l, rest := firstLine(r.stdout)
	assert.Equal(t, "Order id: assigned by INEXOPAY (printed below once it answers)", l)
	assert.Contains(t, rest, "Amount:   250.50 INR\n")
	assert.Contains(t, rest, "UPI link: upi://pay?pa=")
	order := strings.TrimSpace(strings.TrimPrefix(strings.Split(rest, "\n")[0], "Order:"))
	require.NoError(t, srv.CompleteWalletPayment(order), "the QR's order exists")
	r = runCLI(t, env, args(base, "-json", "wallet-qr", "-yes", "100")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "inexopay: order id: assigned by INEXOPAY (printed below once it answers)\n", r.stderr)
	var qr map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &qr))
	assert.Equal(t, 100.0, qr["amount"])
	r = runCLI(t, env, args(base, "wallet-qr", "-yes", "ten")...)
	assert.Equal(t, exitInvalid, r.code)

	// pan-request, then pan-resume of the same order.
	before := srv.Balance()
	r = runCLI(t, env, args(base, "pan-request", "-mobile", "9876543210", "-mode", "esign", "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	panOrder := orderFromFirstLine(t, r.stdout)
	assert.True(t, strings.HasPrefix(panOrder, "PAN"), panOrder)
	st, ok := srv.PANStatus(panOrder)
	require.True(t, ok, "the printed order id is the one filed")
	assert.Equal(t, inexopaytest.PANPending, st)
	assert.Equal(t, before-inexopaytest.DefaultPANFee, srv.Balance())
	assert.NotContains(t, r.stdout, "9876543210")
	assert.Contains(t, r.stdout, "Mobile: "+inexopay.MaskMobile("9876543210")+"\n")
	assert.Contains(t, r.stdout, "URL:    "+srv.URL+"/sandbox/nsdl/pan?")
	r = runCLI(t, env, args(base, "pan-resume", panOrder, "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, panOrder, orderFromFirstLine(t, r.stdout))
	assert.Contains(t, r.stdout, "/sandbox/nsdl/pan_inc?")
	r = runCLI(t, env, args(base, "pan-request", "-order", "MYPAN1", "-mobile", "9876543210", "-yes", "-json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "inexopay: order id: MYPAN1\n", r.stderr)
	assert.Contains(t, r.stdout, `"mobile": "9876543210"`, "-json is unmasked, as documented")

	// aadhaar-send-otp, then aadhaar-verify-otp.
	r = runCLI(t, env, args(base, "aadhaar-send-otp", "-aadhaar", cliAadhaar, "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	orderFromFirstLine(t, r.stdout)
	assert.Contains(t, r.stdout, "Aadhaar:    XXXXXXXX0124\n")
	var requestID string
	for _, line := range strings.Split(r.stdout, "\n") {
		if v, ok := strings.CutPrefix(line, "Request id: "); ok {
			requestID = strings.TrimSpace(v)
		}
	}
	otp, ok := srv.OTP(requestID)
	require.True(t, ok, r.stdout)
	r = runCLI(t, env, args(base, "aadhaar-verify-otp", "-request-id", requestID, "-otp", otp, "-aadhaar", cliAadhaar, "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Status:     verified\n")
	assert.Contains(t, r.stdout, "Holder:     [REDACTED] (name, date of birth and address: use -json)\n")
	assert.NotContains(t, r.stdout, inexopaytest.AadhaarHolder().FullName)
	for _, out := range []string{r.stdout, r.stderr} {
		assert.NotContains(t, out, cliAadhaar)
		assert.NotContains(t, out, otp)
	}

	// agent-onboard, then account-open with its agent id.
	r = runCLI(t, env, args(base, "agent-onboard", "-shop-name", "Ravi Stores", "-name", "Ravi Kumar", "-email", "ravi@example.com",
		"-mobile", "9876543210", "-dob", "1990-01-15", "-address", "12 MG Road", "-state", "Karnataka", "-city", "Bengaluru",
		"-pincode", "560001", "-pan", "ABCDE1234F", "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	l, rest = firstLine(r.stdout)
	assert.Equal(t, "Agent id: assigned by INEXOPAY (printed below once it answers)", l)
	agentID := strings.TrimSpace(strings.TrimPrefix(strings.Split(rest, "\n")[0], "Agent id:"))
	assert.Equal(t, "INX00001", agentID)
	r = runCLI(t, env, args(base, "account-open", "-bc-agent-id", agentID, "-agent-pan", "ABCDE1234F", "-first-name", "Asha",
		"-last-name", "Verma", "-email", "asha@example.com", "-phone", "9123456780", "-pan", "BNZPM2501F", "-pincode", "110001",
		"-return-url", "https://example.com/back", "-type", "current", "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	accOrder := orderFromFirstLine(t, r.stdout)
	assert.True(t, strings.HasPrefix(accOrder, "ACC"), accOrder)
	assert.Contains(t, r.stdout, "URL:         "+srv.URL+"/sandbox/nsdl/account_open?signcs=")
	assert.Equal(t, 1, srv.AccountOpeningCount())
	a, err := srv.Client().NSDLBank.AccountDetails(t.Context(), &inexopay.AccountDetailsParams{OrderID: accOrder})
	require.NoError(t, err)
	assert.Equal(t, inexopay.CurrentAccount, a.AccountType)
}

// TestChargingConfirmation: without -yes a charging command asks on
// stderr, with the values masked, and sends nothing unless the answer is
// y or yes.
func TestChargingConfirmation(t *testing.T) {
	srv, env, base := sandbox(t)
	for _, in := range []string{"", "n\n", "no\n", "maybe\n"} {
		r := runCLIInput(t, env, in, args(base, "pan-request", "-mobile", "9876543210")...)
		assert.Equal(t, exitOther, r.code, "%q", in)
		orderFromFirstLine(t, r.stdout)
		assert.Contains(t, r.stderr, "This files a PAN application and charges the PAN fee from your API balance.\n")
		assert.Contains(t, r.stderr, "  Mobile: "+inexopay.MaskMobile("9876543210")+"\n")
		assert.Contains(t, r.stderr, "Proceed? [y/N] ")
		assert.True(t, strings.HasSuffix(r.stderr, "inexopay: not confirmed: nothing was sent (give -yes to skip the question)\n"), r.stderr)
		assert.NotContains(t, r.stderr, "9876543210")
	}
	assert.Equal(t, 0, srv.Requests(inexopay.EndpointPANRequest))
	for _, in := range []string{"y\n", "YES\n", "y"} {
		r := runCLIInput(t, env, in, args(base, "pan-request", "-mobile", "9876543210")...)
		assert.Equal(t, exitOK, r.code, "%q: %s", in, r.stderr)
	}
	assert.Equal(t, 3, srv.PANCount())

	// Invalid parameters are refused before the question.
	r := runCLIInput(t, env, "y\n", args(base, "aadhaar-send-otp", "-aadhaar", "123456789012")...)
	assert.Equal(t, exitInvalid, r.code)
	assert.NotContains(t, r.stderr, "Proceed?")
	assert.NotContains(t, r.stderr, "123456789012")
	assert.Equal(t, 0, srv.Requests(inexopay.EndpointSendOTP))
}

// TestChargingOutcomeUnknown: when the answer is lost after the charge,
// the order id printed first and the error say how to look it up.
func TestChargingOutcomeUnknown(t *testing.T) {
	srv, env, base := sandbox(t)
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultDropAfterProcessing}, 1)
	r := runCLI(t, env, args(base, "pan-request", "-mobile", "9876543210", "-yes")...)
	assert.Equal(t, exitNetwork, r.code)
	order := orderFromFirstLine(t, r.stdout)
	assert.Contains(t, r.stderr, "The application may have been filed and charged: run 'inexopay pan-status "+order+"' before trying again.\n")
	_, ok := srv.PANStatus(order)
	assert.True(t, ok, "it was filed")
	assert.Equal(t, 1, srv.Requests(inexopay.EndpointPANRequest), "not retried")
	r = runCLI(t, env, args(base, "pan-status", order)...)
	assert.Equal(t, exitOK, r.code, r.stderr)

	srv.InjectFault(inexopay.EndpointGenerateQR, inexopaytest.Fault{Kind: inexopaytest.FaultDropAfterProcessing}, 1)
	r = runCLI(t, env, args(base, "wallet-qr", "100", "-yes")...)
	assert.Equal(t, exitNetwork, r.code)
	assert.Contains(t, r.stderr, "INEXOPAY assigns a wallet load's order id, so it is not known: look for the load in the INEXOPAY dashboard before trying again.\n")
}

// TestDoctor: on the sandbox every check passes (exit 0); on a host where
// a path answers 404 doctor exits 9 and names the endpoint and the -path
// flag to try, which then fixes it.
func TestDoctor(t *testing.T) {
	srv, env, base := sandbox(t)
	r := runCLI(t, env, args(base, "doctor")...)
	assert.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "inexopay doctor: "+srv.URL+"\n")
	assert.Regexp(t, `(?m)^PAN\.Request +ok +/api/nsdl-pan/v1/request_pan\.php answers like an INEXOPAY endpoint`, r.stdout)
	assert.Contains(t, r.stdout, "\nAll 19 checks passed.\n")
	assert.Equal(t, 0, srv.PANCount())

	r = runCLI(t, env, args(base, "doctor", "-json")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var got struct {
		OK     bool   `json:"ok"`
		Base   string `json:"base_url"`
		Checks []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.True(t, got.OK)
	assert.Equal(t, srv.URL, got.Base)
	assert.Len(t, got.Checks, 19)

	// A host like the sandbox, but PAN.Status lives elsewhere.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/nsdl-pan/v1/pan_status.php":
			http.NotFound(w, r)
			return
		case "/api/v2/pan_status.php":
			r.URL.Path = "/api/nsdl-pan/v1/pan_status.php"
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, srv.URL+r.URL.Path, r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	r = runCLI(t, env, "doctor", "-base-url", proxy.URL, "-retries", "0")
	assert.Equal(t, exitDoctor, r.code)
	assert.Regexp(t, `(?m)^PAN\.Status +FAIL +/api/nsdl-pan/v1/pan_status\.php answers HTTP 404 Not Found: the path is probably wrong\.$`, r.stdout)
	assert.Contains(t, r.stdout, `fix: If INEXOPAY gave you another path for PAN.Status, use inexopay.WithPath(inexopay.EndpointPANStatus, "/the/right/path.php"). With this command: -path PAN.Status=/the/right/path.php`)
	assert.Contains(t, r.stdout, "\n1 of 19 checks failed: PAN.Status.\n")
	assert.Equal(t, "inexopay: doctor found a problem: 1 of 19 checks failed\n", r.stderr)

	r = runCLI(t, env, "doctor", "-base-url", proxy.URL, "-retries", "0", "-path", "PAN.Status=/api/v2/pan_status.php")
	assert.Equal(t, exitOK, r.code, r.stdout)
	r = runCLI(t, env, "-base-url", proxy.URL, "-path", "PAN.Status=/api/v2/pan_status.php", "pan-status", "NOPE")
	assert.Equal(t, exitNotFound, r.code, "the -path override reaches the sandbox")

	r = runCLI(t, env, "doctor", "-base-url", proxy.URL, "-path", "PAN.Stat=/x")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `inexopay: -path: unknown endpoint "PAN.Stat" (endpoints: Aadhaar.SendOTP, `)
	r = runCLI(t, env, "doctor", "-path", "PAN.Status")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "want ENDPOINT=/path")
}

// TestPANFormHandOff: against a host that answers PAN.Request and
// PAN.Resume with an HTML form, the CLI prints the whole hand-off (the
// action and every field, masked in text, in full with -json), writes the
// auto-submit page with -form-out, and never prints an empty txid.
func TestPANFormHandOff(t *testing.T) {
	srv, env, base := sandbox(t, inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	page := t.TempDir() + "/page.html"
	r := runCLI(t, env, args(base, "pan-request", "-mobile", "9876543210", "-order", "FORMPAN1", "-yes", "-form-out", page)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Action:")
	assert.Contains(t, r.stdout, "Field ")
	assert.Contains(t, r.stdout, "[REDACTED]")
	assert.NotContains(t, r.stdout, "Txid")
	assert.NotContains(t, r.stdout, "9876543210")

	html, err := os.ReadFile(page)
	require.NoError(t, err, r.stderr)
	assert.Contains(t, string(html), `<form id="inexopay-redirect" method="POST"`)
	fi, err := os.Stat(page)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	r = runCLI(t, env, args(base, "-json", "pan-resume", "FORMPAN1", "-yes")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var out struct {
		TxID *string `json:"txid"`
		Form *struct {
			Action string              `json:"action"`
			Method string              `json:"method"`
			Fields map[string][]string `json:"fields"`
		} `json:"form"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	assert.Nil(t, out.TxID, "no empty txid: %s", r.stdout)
	require.NotNil(t, out.Form, r.stdout)
	assert.NotEmpty(t, out.Form.Action)
	assert.NotEmpty(t, out.Form.Fields)
	_ = srv
}

// TestPANRequestWithoutTxIDIsNotASuccess: a JSON answer with a URL but no
// txid is printed, but the command does not exit as a success.
func TestPANRequestWithoutTxIDIsNotASuccess(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status_code":200,"status":"SUCCESS","data":{"url":"https://nsdl.example/pan?p=1","orderid":"NOTX1"}}`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}
	r := runCLI(t, env, "-base-url", api.URL, "pan-request", "-mobile", "9876543210", "-order", "NOTX1", "-yes")
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "no txid")
	assert.Contains(t, r.stderr, "pan-status NOTX1")
}

// TestWalletQRRefusesMisgroupedAmounts: "2,50" is not ₹250 and "1e3" is not
// ₹1,000: nothing is sent.
func TestWalletQRRefusesMisgroupedAmounts(t *testing.T) {
	srv, env, base := sandbox(t)
	before := srv.Balance()
	for a, reason := range map[string]string{"2,50": "misplaced comma", "1e3": "exponent", "1.005": "fractions of a paisa",
		"10,00,00,001": "maximum"} {
		r := runCLI(t, env, args(base, "wallet-qr", "-yes", a)...)
		assert.Equal(t, exitInvalid, r.code, "%s: %s", a, r.stdout)
		assert.Contains(t, r.stderr, reason, a)
	}
	assert.Equal(t, before, srv.Balance())
}

// TestPANFormJSONMasksTheAPIKey: a form answer that echoes the API key (in
// a field, the action's path or query) prints it masked, with -json too;
// the page written with -form-out keeps the form as it came, since it is
// the hand-off.
func TestPANFormJSONMasksTheAPIKey(t *testing.T) {
	const key = "cli_key_0123456789"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://nsdl.example/pan/`+key+`?session=QTOKEN&k=`+key+`">
<input type="hidden" name="req" value="FIELDTOKEN"><input type="hidden" name="echo_key" value="`+key+`">
<input type="hidden" name="`+key+`" value="x"></form></body></html>`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: key, envUsername: "cliuser"}
	page := t.TempDir() + "/page.html"
	for _, cmd := range [][]string{{"pan-request", "-mobile", "9876543210", "-order", "ECHO1"}, {"pan-resume", "ECHO1"}} {
		for _, json := range []bool{false, true} {
			a := append([]string{"-base-url", api.URL}, cmd...)
			if json {
				a = append([]string{"-json"}, a...)
			}
			r := runCLI(t, env, append(a, "-yes", "-form-out", page)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.NotContains(t, r.stdout+r.stderr, key, "%v json=%v", cmd, json)
			if json {
				assert.Contains(t, r.stdout, "FIELDTOKEN", "other values are printed in full with -json")
			}
			html, err := os.ReadFile(page)
			require.NoError(t, err)
			assert.Contains(t, string(html), `value="`+key+`"`, "the page is the hand-off, as it came")
		}
	}
}
