package main

import (
	"encoding/json"
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
	assert.Empty(t, r.stderr, "with -json the order id goes into the error line only")
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
	assert.Empty(t, r.stderr)
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
