package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/ist"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

func TestMain(m *testing.M) {
	if os.Getenv("INEXOPAY_TEST_RUN_MAIN") == "1" {
		// Re-executed by a test as the command itself (see runMain).
		os.Args = append([]string{"inexopay"}, strings.Fields(os.Getenv("INEXOPAY_TEST_ARGS"))...)
		main()
		return
	}
	goleak.VerifyTestMain(m)
}

// TestBrokenPipeOnStdoutIsReported: with stdout a pipe whose reader has
// gone (inexopay … | head), a charged call's result cannot be written: the
// process does not die of SIGPIPE but exits 10 (incomplete), naming the
// order on stderr.
func TestBrokenPipeOnStdoutIsReported(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"SUCCESS","data":{"order_id":"WAL4243","amount":"500.00","qr_url":"https://qr.example/q.png","tx_string":"upi://pay?pa=a@b&am=500.00&tr=WAL4243"}}`)
	}))
	t.Cleanup(api.Close)
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	require.NoError(t, pr.Close()) // nobody reads: the first write gets EPIPE
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "INEXOPAY_TEST_RUN_MAIN=1", "INEXOPAY_TEST_ARGS=-json -base-url "+api.URL+" -yes wallet-qr 500",
		envAPIKey+"=cli_key_0123456789", envUsername+"=cliuser")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = pw, &stderr
	err = cmd.Run()
	require.NoError(t, pw.Close())
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, stderr.String())
	assert.Equal(t, exitIncomplete, ee.ExitCode(), "killed by a signal? %v; stderr: %s", ee, stderr.String())
	assert.Contains(t, stderr.String(), "WAL4243")
}

// capture is an io.Writer safe for concurrent use that also hands each
// complete line to lines, when set.
type capture struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial string
	lines   chan string
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if c.lines != nil {
		s := c.partial + string(p)
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				break
			}
			c.lines <- s[:i]
			s = s[i+1:]
		}
		c.partial = s
	}
	return len(p), nil
}

func (c *capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command with env as its whole environment and nothing
// on stdin, and checks that the API key in env appears in neither output.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runCLIInput(t, env, "", args...)
}

// runCLIInput is runCLI with stdin.
func runCLIInput(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr capture
	code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if key := env[envAPIKey]; key != "" {
		assert.NotContains(t, r.stdout, key, "API key on stdout")
		assert.NotContains(t, r.stderr, key, "API key on stderr")
	}
	return r
}

// sandbox starts an inexopaytest server and returns it with the
// environment and flags that point the command at it.
func sandbox(t *testing.T, opts ...inexopaytest.Option) (*inexopaytest.Server, map[string]string, []string) {
	t.Helper()
	srv := inexopaytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	env := map[string]string{envAPIKey: srv.APIKey, envUsername: srv.Username}
	return srv, env, []string{"-base-url", srv.URL, "-retries", "0"}
}

func args(base []string, more ...string) []string {
	return append(append([]string(nil), base...), more...)
}

func TestHelp(t *testing.T) {
	for _, a := range [][]string{{"-h"}, {"-help"}, {"help"}, {"-json", "-h", "balance"}} {
		r := runCLI(t, nil, a...)
		assert.Equal(t, exitOK, r.code, "%v", a)
		assert.Empty(t, r.stdout)
		assert.True(t, strings.HasPrefix(r.stderr, "usage: inexopay [flags] <command> [args] [flags]\n"), r.stderr)
		for _, want := range []string{
			"wallet-status ORDER", "pan-status ORDER", "account-status PAN", "webhook-listen",
			"-base-url URL", "-json", "-timeout duration", "-header-auth", "-insecure-http",
			"such as http://panel.inexopay.in;\n    \tthe API key then crosses the network unencrypted\n",
			"Plain http is refused for a -base-url host other than loopback unless\n-insecure-http is given",
			"help [COMMAND]", "\"inexopay COMMAND -h\" prints the usage and flags of COMMAND. Flags may go\nbefore or after the command.",
			"doctor", "wallet-qr AMOUNT", "pan-request", "pan-resume ORDER", "aadhaar-send-otp", "aadhaar-verify-otp",
			"agent-onboard", "account-open", "-yes", "-path ENDPOINT=/path", "9  doctor found a problem",
			// -json output is the data, with full PANs and mobile numbers,
			// and the usage says so (TestPANStatus and TestAccountStatus
			// check the output itself).
			"print JSON instead of text (unmasked: full PANs, mobile numbers and Aadhaar holder details)\n",
			"Human output masks PANs, mobile numbers and Aadhaar numbers; -json output\ndoes not mask PANs, mobile numbers or an Aadhaar holder's details",
			"INEXOPAY_API_KEY", "INEXOPAY_USERNAME", "INEXOPAY_BASE_URL",
			"0  success", "2  usage error", "3  invalid parameters", "4  authentication", "5  not found",
			"6  insufficient balance", "7  other API error", "8  network or server error",
		} {
			assert.Contains(t, r.stderr, want)
		}
	}
	r := runCLI(t, nil, "webhook-listen", "-h")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "usage: inexopay [flags] webhook-listen [-listen address]")
	assert.Contains(t, r.stderr, `(default "127.0.0.1:8081")`)
}

func TestUsageErrors(t *testing.T) {
	srv, env, base := sandbox(t)
	cases := []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
	}{
		{"no command", env, base, "inexopay: no command given\nRun 'inexopay -h' for usage.\n"},
		{"unknown command", env, args(base, "refund"), "inexopay: unknown command \"refund\"\nRun 'inexopay -h' for usage.\n"},
		{"unknown flag", env, []string{"-api-key", "x", "balance"}, "inexopay: flag provided but not defined: -api-key\nRun 'inexopay -h' for usage.\n"},
		{"bad flag value", env, []string{"-timeout", "soon", "balance"}, "inexopay: invalid value \"soon\" for flag -timeout: want a duration with a unit, such as 30s, 2m or 1m30s (units: ms, s, m, h)\nRun 'inexopay -h' for usage.\n"},
		{"missing ORDER", env, args(base, "wallet-status"), "inexopay: usage: inexopay [flags] wallet-status [--] ORDER\n"},
		{"extra argument", env, args(base, "balance", "now"), "inexopay: usage: inexopay [flags] balance\n"},
		{"two PANs", env, args(base, "account-status", "ABCDE1234F", "ABCDE1234G"), "inexopay: usage: inexopay [flags] account-status PAN\n"},
		{"empty ORDER", env, args(base, "pan-status", ""), "inexopay: usage: inexopay [flags] pan-status [--] ORDER (the argument is empty)\n"},
		{"missing both", nil, args(base, "balance"), "inexopay: INEXOPAY_API_KEY and INEXOPAY_USERNAME must be set in the environment (credentials are never taken from flags)\n"},
		{"missing key", map[string]string{envUsername: srv.Username}, args(base, "status"), "inexopay: INEXOPAY_API_KEY must be set in the environment (credentials are never taken from flags)\n"},
		{"missing username", map[string]string{envAPIKey: srv.APIKey}, args(base, "status"), "inexopay: INEXOPAY_USERNAME must be set in the environment (credentials are never taken from flags)\n"},
		{"retries out of range", env, args(base, "-retries", "21", "balance"), "inexopay: -retries must be between 0 and 20\n"},
		{"negative timeout", env, args(base, "-timeout", "-1s", "balance"), "inexopay: -timeout must not be negative\n"},
		{"bad base URL", env, []string{"-base-url", "ftp://127.0.0.1", "balance"}, "inexopay: -base-url: scheme must be https (or http)\n"},
		{"plain http remote", env, []string{"-base-url", "http://example.com", "balance"}, "inexopay: -base-url: plain http sends the API key unencrypted; use https, or -insecure-http to accept that\n"},
		{"webhook-listen argument", env, []string{"webhook-listen", "now"}, "inexopay: usage: inexopay [flags] webhook-listen [-listen address]\n"},
		{"webhook-listen flag", env, []string{"webhook-listen", "-port", "1"}, "inexopay: webhook-listen: unknown flag -port\nRun 'inexopay webhook-listen -h' for usage.\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.env, tc.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Empty(t, r.stdout)
			assert.Equal(t, tc.stderr, r.stderr)
		})
	}
	assert.Equal(t, 0, srv.Requests(inexopay.EndpointAccountBalance)+srv.Requests(inexopay.EndpointAccountStatus)+
		srv.Requests(inexopay.EndpointPaymentStatus)+srv.Requests(inexopay.EndpointPANStatus), "usage errors send nothing")
}

func TestBaseURLFromEnvironment(t *testing.T) {
	srv, env, _ := sandbox(t)
	env[envBaseURL] = srv.URL
	r := runCLI(t, env, "-retries", "0", "balance")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, srv.Requests(inexopay.EndpointAccountBalance))
	// The flag wins over the environment.
	env[envBaseURL] = "https://wrong.invalid"
	r = runCLI(t, env, "-base-url", srv.URL, "-retries", "0", "balance")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 2, srv.Requests(inexopay.EndpointAccountBalance))
}

func TestBalance(t *testing.T) {
	srv, env, base := sandbox(t)
	srv.SetBalance(1250_50)
	r := runCLI(t, env, args(base, "balance")...)
	assert.Equal(t, exitOK, r.code)
	assert.Equal(t, "Balance:  1250.50 INR\nUsername: "+srv.Username+"\n", r.stdout)
	assert.Empty(t, r.stderr)

	r = runCLI(t, env, args(base, "-json", "balance")...)
	assert.Equal(t, exitOK, r.code)
	assert.Equal(t, "{\n  \"balance\": 1250.50,\n  \"username\": \""+srv.Username+"\"\n}\n", r.stdout)

	r = runCLI(t, env, args(base, "-header-auth", "balance")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 3, srv.Requests(inexopay.EndpointAccountBalance))
}

func TestHeaderAuthSendsHeadersOnly(t *testing.T) {
	type seen struct {
		key, user, formKey, formUser string
	}
	got := make(chan seen, 1)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got <- seen{r.Header.Get("X-Api-Key"), r.Header.Get("X-Api-Username"), r.PostForm.Get("api_key"), r.PostForm.Get("username")}
		_, _ = w.Write([]byte(`{"status":"SUCCESS","error_code":200,"message":"Balance fetched successfully","balance":1250.50,"username":"jojo"}`))
	}))
	defer api.Close()
	env := map[string]string{envAPIKey: "hdr-key-0123456789", envUsername: "jojo"}
	r := runCLI(t, env, "-base-url", api.URL, "-header-auth", "balance")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, seen{key: "hdr-key-0123456789", user: "jojo"}, <-got)
	r = runCLI(t, env, "-base-url", api.URL, "balance")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, seen{formKey: "hdr-key-0123456789", formUser: "jojo"}, <-got)
}

func TestStatus(t *testing.T) {
	srv, env, base := sandbox(t, inexopaytest.WithOwner("Ravi Stores", "Gold"))
	r := runCLI(t, env, args(base, "status")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Owner:     Ravi Stores\n"+
		"Balance:   1000.00 INR\n"+
		"Status:    ACTIVE\n"+
		"Plan:      Gold\n"+
		"Your IP:   127.0.0.1\n"+
		"IP status: NOT_BOUND\n", r.stdout)

	srv.SetBoundIP("127.0.0.1")
	r = runCLI(t, env, args(base, "-json", "status")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, map[string]any{"owner_name": "Ravi Stores", "balance": 1000.0, "status": "ACTIVE", "plan_name": "Gold",
		"bind_ip": "127.0.0.1", "your_ip": "127.0.0.1", "ip_status": "MATCHED"}, got)

	srv.SetBoundIP("10.1.2.3")
	r = runCLI(t, env, args(base, "status")...)
	assert.Equal(t, exitAuth, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "inexopay: Account.Status: API error 403: IP not whitelisted\n", r.stderr)
}

func TestWalletStatus(t *testing.T) {
	srv, env, base := sandbox(t)
	ctx := context.Background()
	qr, err := srv.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)

	r := runCLI(t, env, args(base, "wallet-status", qr.OrderID)...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Order:       "+qr.OrderID+"\n")
	assert.Contains(t, r.stdout, "Amount:      100.00 INR\n")
	assert.Contains(t, r.stdout, "Status:      pending\n")
	assert.Contains(t, r.stdout, "Remark:      Online Wallet Load via API - Pending\n")

	require.NoError(t, srv.CompleteWalletPayment(qr.OrderID))
	r = runCLI(t, env, args(base, "wallet-status", qr.OrderID)...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Status:      success\n")
	assert.Contains(t, r.stdout, "New balance: 1100.00 INR\n")
	assert.Contains(t, r.stdout, "Mode:        API_UPI_QR\n")

	r = runCLI(t, env, args(base, "-json", "wallet-status", qr.OrderID)...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var got struct {
		OrderID    string          `json:"order_id"`
		Amount     inexopay.Amount `json:"amount"`
		Status     string          `json:"status"`
		DateTime   time.Time       `json:"date_time"`
		Mode       string          `json:"mode"`
		NewBalance inexopay.Amount `json:"new_balance"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, qr.OrderID, got.OrderID)
	assert.Equal(t, inexopay.Rupees(100), got.Amount)
	assert.Equal(t, "success", got.Status)
	assert.Equal(t, "API_UPI_QR", got.Mode)
	assert.Equal(t, inexopay.Rupees(1100), got.NewBalance)
	assert.False(t, got.DateTime.IsZero())

	// The sandbox answers an unknown order with code 400 "Order not found",
	// which the SDK maps to ErrNotFound.
	r = runCLI(t, env, args(base, "wallet-status", "WALNOSUCHORDER")...)
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, "inexopay: Wallet.PaymentStatus: API error 400 (HTTP 200): Order not found\n", r.stderr)
	r = runCLI(t, env, args(base, "wallet-status", "has\tcontrol")...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Equal(t, "inexopay: invalid ORDER: must not contain control characters\n", r.stderr)
}

func TestPANStatus(t *testing.T) {
	srv, env, base := sandbox(t)
	order := inexopay.NewOrderID("PAN")
	_, err := srv.Client().PAN.Request(context.Background(), &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: order, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)

	r := runCLI(t, env, args(base, "pan-status", order)...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Order:       "+order+"\n")
	assert.Contains(t, r.stdout, "Status:      pending\n")
	assert.Contains(t, r.stdout, "Mobile:      XXXXXX3210\n")
	assert.Contains(t, r.stdout, "Fee:         107.00 INR\n")
	assert.NotContains(t, r.stdout, "9876543210", "human output masks the mobile")

	require.NoError(t, srv.CompletePAN(order))
	r = runCLI(t, env, args(base, "-json", "pan-status", order)...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, order, got["order_id"])
	assert.Equal(t, "success", got["status"])
	assert.Equal(t, "9876543210", got["mobile"], "JSON output is the data, unmasked")
	assert.Equal(t, 107.0, got["amount"])
	assert.NotEmpty(t, got["operator_id"])

	r = runCLI(t, env, args(base, "pan-status", "PANNOSUCHORDER")...)
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, "inexopay: PAN.Status: API error 400 (HTTP 200): Order not found\n", r.stderr)
}

func TestAccountStatus(t *testing.T) {
	srv, env, base := sandbox(t)
	ctx := context.Background()
	client := srv.Client()
	agent, err := client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
		ShopName: "Ravi Stores", Name: "Ravi Kumar", Email: "ravi@example.com", Mobile: "9123456780",
		DateOfBirth: "1990-01-31", Address: "1 Main Road", StateName: "Bihar", CityName: "Patna",
		Pincode: "800001", PAN: "ABCPK1234Q"})
	require.NoError(t, err)
	_, err = client.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{
		OrderID: inexopay.NewOrderID("ACC"), AccountType: inexopay.CurrentAccount, BCAgentID: agent.AgentID,
		AgentPAN: "ABCPK1234Q", FirstName: "Binod", LastName: "Kumar", Email: "binodk@gmail.com",
		Phone: "7091919185", PAN: "NTFPS6013M", Pincode: "852105", ReturnURL: "https://shop.example/back"})
	require.NoError(t, err)

	r := runCLI(t, env, args(base, "account-status", "NTFPS6013M")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Account type: current\n")
	assert.Contains(t, r.stdout, "Name:         Binod Kumar\n")
	assert.Contains(t, r.stdout, "PAN:          XXXXXX013M\n")
	assert.Contains(t, r.stdout, "Phone:        XXXXXX9185\n")
	assert.Contains(t, r.stdout, "Completed:    no\n")
	assert.NotContains(t, r.stdout, "NTFPS6013M", "human output masks the PAN")
	assert.NotContains(t, r.stdout, "7091919185", "human output masks the phone")

	r = runCLI(t, env, args(base, "-json", "account-status", "NTFPS6013M")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, inexopay.MaskPAN("NTFPS6013M"), got["pancard"], "the echo of the PAN asked is masked")
	assert.Equal(t, "7091919185", got["phone"])
	assert.Equal(t, "current", got["account_type"])
	assert.Equal(t, "Binod", got["first_name"])
	assert.Equal(t, false, got["completed"])

	// An unknown PAN is "Record Not Found".
	r = runCLI(t, env, args(base, "account-status", "ZZZZZ9999Z")...)
	assert.Equal(t, exitNotFound, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "inexopay: NSDLBank.AccountStatus: API error 99 (HTTP 200): Record Not Found\n", r.stderr)

	// A malformed PAN is refused before sending, and not echoed.
	before := srv.Requests(inexopay.EndpointBankAccountStatus)
	r = runCLI(t, env, args(base, "account-status", "NTFPS6013")...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Equal(t, "inexopay: invalid PAN: must be 10 characters in the form AAAAA9999A\n", r.stderr)
	assert.Equal(t, before, srv.Requests(inexopay.EndpointBankAccountStatus))
}

func TestExitCodes(t *testing.T) {
	srv, env, base := sandbox(t)

	t.Run("wrong key is 4", func(t *testing.T) {
		bad := map[string]string{envAPIKey: "wrong-key-0123456789", envUsername: srv.Username}
		for _, cmd := range [][]string{{"balance"}, {"status"}, {"wallet-status", "WAL1"}, {"pan-status", "PAN1"}, {"account-status", "ABCDE1234F"}} {
			r := runCLI(t, bad, args(base, cmd...)...)
			assert.Equal(t, exitAuth, r.code, "%v", cmd)
			assert.Contains(t, r.stderr, "API error 401: Invalid API key or username\n")
			assert.True(t, strings.HasPrefix(r.stderr, "inexopay: "), r.stderr)
			assert.NotContains(t, r.stderr, "inexopay: inexopay:")
		}
	})
	t.Run("inactive account is 4", func(t *testing.T) {
		srv.SetAccountStatus("SUSPENDED")
		defer srv.SetAccountStatus("ACTIVE")
		r := runCLI(t, env, args(base, "balance")...)
		assert.Equal(t, exitAuth, r.code)
	})
	t.Run("server error is 8", func(t *testing.T) {
		srv.InjectFault(inexopay.EndpointAccountBalance, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP500}, 1)
		r := runCLI(t, env, args(base, "balance")...)
		assert.Equal(t, exitNetwork, r.code)
		assert.Contains(t, r.stderr, "inexopay: Account.Balance: non-JSON answer (HTTP 500")
	})
	t.Run("HTML instead of JSON is 8", func(t *testing.T) {
		srv.InjectFault(inexopay.EndpointPANStatus, inexopaytest.Fault{Kind: inexopaytest.FaultHTMLForm}, 1)
		r := runCLI(t, env, args(base, "pan-status", "PAN1")...)
		assert.Equal(t, exitNetwork, r.code)
		assert.Contains(t, r.stderr, "non-JSON answer (HTTP 200")
	})
	t.Run("retries cure a dropped connection", func(t *testing.T) {
		srv.InjectFault(inexopay.EndpointAccountBalance, inexopaytest.Fault{Kind: inexopaytest.FaultDrop}, 1)
		before := srv.Requests(inexopay.EndpointAccountBalance)
		r := runCLI(t, env, "-base-url", srv.URL, "-retries", "1", "balance")
		assert.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, before+2, srv.Requests(inexopay.EndpointAccountBalance))
	})
	t.Run("timeout is 8", func(t *testing.T) {
		srv.InjectFault(inexopay.EndpointAccountBalance, inexopaytest.Fault{Kind: inexopaytest.FaultDelay, Delay: time.Hour}, 1)
		r := runCLI(t, env, args(base, "-timeout", "20ms", "balance")...)
		assert.Equal(t, exitNetwork, r.code)
		assert.Contains(t, r.stderr, "context deadline exceeded")
	})
	t.Run("server down is 8", func(t *testing.T) {
		down := "http://" + testkit.ClosedAddr(t)
		r := runCLI(t, env, "-base-url", down, "-retries", "0", "balance")
		assert.Equal(t, exitNetwork, r.code)
		assert.Contains(t, r.stderr, "inexopay: Account.Balance: ")
		assert.Contains(t, r.stderr, "connection refused")
	})
}

// echoServer answers every call with status and a message that repeats the
// credentials it was sent, as a careless back end might.
func echoServer(t *testing.T, status int, html bool) *httptest.Server {
	t.Helper()
	return testkit.ServeEcho(t, func(r *http.Request) testkit.Answer {
		key := r.PostForm.Get("api_key") + r.Header.Get("X-Api-Key")
		if html {
			return testkit.Answer{Status: status, ContentType: "text/html", Body: "<html><body>Bad key " + key + "</body></html>"}
		}
		msg, _ := json.Marshal("Key " + key + " refused")
		return testkit.Answer{Status: status, ContentType: "application/json",
			Body: `{"status_code":` + strconv.Itoa(status) + `,"status":"FAILED","message":` + string(msg) + `}`}
	})
}

func TestOtherExitCodesAndKeyNeverPrinted(t *testing.T) {
	const key = "secret-key-0123456789abcdef"
	env := map[string]string{envAPIKey: key, envUsername: "jojo"}
	cases := []struct {
		status int
		html   bool
		code   int
	}{
		{http.StatusPaymentRequired, false, exitBalance},
		{http.StatusMethodNotAllowed, false, exitAPI},
		{http.StatusBadRequest, false, exitAPI},
		{http.StatusUnauthorized, false, exitAuth},
		{http.StatusForbidden, false, exitAuth},
		{http.StatusNotFound, false, exitNotFound},
		{http.StatusTooManyRequests, false, exitNetwork},
		{http.StatusInternalServerError, false, exitNetwork},
		{http.StatusBadGateway, true, exitNetwork},
		{http.StatusOK, true, exitNetwork},
	}
	for _, tc := range cases {
		for _, headerAuth := range []bool{false, true} {
			api := echoServer(t, tc.status, tc.html)
			a := []string{"-base-url", api.URL, "-retries", "0"}
			if headerAuth {
				a = append(a, "-header-auth")
			}
			r := runCLI(t, env, append(a, "balance")...) // runCLI asserts the key is in neither output
			assert.Equal(t, tc.code, r.code, "HTTP %d html=%v header=%v: %s", tc.status, tc.html, headerAuth, r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, "inexopay: Account.Balance: "), r.stderr)
			assert.Contains(t, r.stderr, "XXXXXXXXXXXXXXXXXXXXXXXcdef", "the echoed key is masked")
		}
	}
}

func TestCleanRedactsKey(t *testing.T) {
	c := &cli{env: func(k string) string { return map[string]string{envAPIKey: "k-12345678"}[k] }}
	assert.Equal(t, "bad key [REDACTED] here", c.clean("bad key k-12345678 here"))
	c = &cli{env: func(string) string { return "" }}
	assert.Equal(t, "unchanged", c.clean("unchanged"))
}

func TestExitCodeMapping(t *testing.T) {
	assert.Equal(t, exitOK, exitCode(nil))
	assert.Equal(t, exitInvalid, exitCode(&inexopay.ValidationError{Field: "PAN", Reason: "x"}))
	assert.Equal(t, exitNetwork, exitCode(&inexopay.OutcomeUnknownError{Endpoint: "PAN.Request"}))
	assert.Equal(t, exitNetwork, exitCode(context.DeadlineExceeded))
	assert.Equal(t, exitNetwork, exitCode(&url.Error{Op: "Post", URL: "http://127.0.0.1", Err: net.ErrClosed}))
	assert.Equal(t, exitOther, exitCode(context.Canceled))
	assert.Equal(t, exitOther, exitCode(assert.AnError))
	assert.Equal(t, exitAPI, exitCode(&inexopay.APIError{HTTPStatus: 200, Code: 418}))
}

// startListener runs webhook-listen until the returned stop is called and
// returns its URL, its stdout lines and a function that stops it and
// returns its exit code and stderr.
func startListener(t *testing.T, env map[string]string, extra ...string) (string, chan string, func() (int, string)) {
	t.Helper()
	stdout := &capture{lines: make(chan string, 100)}
	stderr := &capture{lines: make(chan string, 100)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append(extra, "webhook-listen", "-listen", "127.0.0.1:0"), func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
	}()
	var first string
	select {
	case first = <-stderr.lines:
	case code := <-done:
		cancel()
		t.Fatalf("webhook-listen exited with %d: %s", code, stderr.String())
	}
	const prefix = "inexopay: listening for webhooks on "
	require.True(t, strings.HasPrefix(first, prefix), first)
	u := strings.TrimSuffix(strings.TrimPrefix(first, prefix), " (stop with Ctrl-C)")
	stopped := false
	stop := func() (int, string) {
		if !stopped {
			stopped = true
			cancel()
		}
		return <-done, stderr.String()
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return u, stdout.lines, stop
}

func TestWebhookListenPrintsSandboxEvents(t *testing.T) {
	srv, _, _ := sandbox(t, inexopaytest.WithWebhookBackoff(time.Millisecond))
	u, lines, stop := startListener(t, nil)
	require.True(t, strings.HasPrefix(u, "http://127.0.0.1:"), u)
	srv.SetWebhookURL(u + "hook")

	qr, err := srv.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)
	require.NoError(t, srv.CompleteWalletPayment(qr.OrderID))
	line := <-lines
	fields := strings.SplitN(line, " ", 5)
	require.Len(t, fields, 5, line)
	_, err = time.Parse(time.RFC3339, fields[0])
	assert.NoError(t, err, "the line starts with the event time")
	assert.Equal(t, []string{qr.OrderID, "success", "global_webhook"}, fields[1:4])
	assert.True(t, strings.HasPrefix(fields[4], `"Online Wallet Load via API - Success - UTR: `), fields[4])

	ds, err := srv.WaitDeliveries(context.Background(), 1)
	require.NoError(t, err)
	require.Len(t, ds, 1)

	code, stderr := stop()
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasSuffix(stderr, "inexopay: stopped listening\n"), stderr)
}

func TestWebhookListenJSONAndToken(t *testing.T) {
	env := map[string]string{envWebhookToken: "tok-123"}
	u, lines, stop := startListener(t, env, "-json")

	post := func(target, body string) int {
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Callback-Source", "INEXOPAY-API")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	body := "orderid=ORD12345&order_id=ORD12345&status=success&remark=Transaction+Successful&datetime=2026-06-03+15:30:00&callback_type=global_webhook"
	assert.Equal(t, http.StatusUnauthorized, post(u+"cb", body), "no token")
	assert.Equal(t, http.StatusUnauthorized, post(u+"cb?token=nope", body), "wrong token")
	assert.Equal(t, http.StatusBadRequest, post(u+"cb?token=tok-123", "status=success"), "no order id")
	assert.Equal(t, http.StatusOK, post(u+"cb?token=tok-123", body))
	assert.Equal(t, http.StatusOK, post(u+"cb?token=tok-123", "orderid=ORD2&status=FAILED&remark=line1%0Aline2"))

	assert.JSONEq(t, `{"order_id":"ORD12345","status":"success","remark":"Transaction Successful","datetime":"2026-06-03T15:30:00+05:30","callback_type":"global_webhook","source":"INEXOPAY-API"}`, <-lines)
	assert.JSONEq(t, `{"order_id":"ORD2","status":"failed","remark":"line1\nline2","source":"INEXOPAY-API"}`, <-lines)
	resp, err := http.Get(u + "cb?token=tok-123")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	http.DefaultClient.CloseIdleConnections()

	code, stderr := stop()
	assert.Equal(t, exitOK, code)
	// Every refusal is logged on stderr with its reason, never the token.
	var refusals []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "webhook refused") {
			refusals = append(refusals, l)
		}
	}
	assert.Equal(t, []string{
		"inexopay: webhook refused (HTTP 401): missing or wrong token",
		"inexopay: webhook refused (HTTP 401): missing or wrong token",
		"inexopay: webhook refused (HTTP 400): orderid or order_id is required",
		"inexopay: webhook refused (HTTP 405): method must be POST",
	}, refusals)
	assert.NotContains(t, stderr, "tok-123")
	assert.NotContains(t, stderr, "nope")
	select {
	case l := <-lines:
		t.Fatalf("refused webhooks printed %q", l)
	default:
	}
}

func TestWebhookListenAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	r := runCLI(t, nil, "webhook-listen", "-listen", l.Addr().String())
	assert.Equal(t, exitOther, r.code)
	assert.True(t, strings.HasPrefix(r.stderr, "inexopay: webhook-listen: listen tcp "+l.Addr().String()), r.stderr)
	assert.Contains(t, r.stderr, "address already in use")
}

func TestEventLine(t *testing.T) {
	ev := &inexopay.WebhookEvent{OrderID: "ORD1", Status: inexopay.StatusRefund, Remark: "Fee \"refunded\"\nok",
		DateTime: time.Date(2026, 6, 3, 15, 30, 0, 0, ist.Zone), CallbackType: inexopay.CallbackPerTransaction}
	assert.Equal(t, `2026-06-03T15:30:00+05:30 ORD1 refund per_transaction "Fee \"refunded\"\nok"`, eventLine(ev))
	assert.Equal(t, "- ORD\\n2 - -", eventLine(&inexopay.WebhookEvent{OrderID: "ORD\n2"}))
}

func TestCommandHelp(t *testing.T) {
	srv, env, base := sandbox(t)
	const tail = "\nFlags may go before or after the command. Run 'inexopay -h' for the\nglobal flags, the environment and the exit codes.\n"
	want := map[string]string{
		"balance": "usage: inexopay [flags] balance\n\nPrint the API wallet balance.\n" + tail,
		"status":  "usage: inexopay [flags] status\n\nPrint the API account status: owner, balance, plan and IP binding.\n" + tail,
		"wallet-status": "usage: inexopay [flags] wallet-status [--] ORDER\n\nPrint the state of wallet load ORDER.\n" +
			"An ORDER that starts with \"-\" goes after \"--\".\n" + tail,
		"pan-status": "usage: inexopay [flags] pan-status [--] ORDER\n\nPrint the state of PAN application ORDER.\n" +
			"An ORDER that starts with \"-\" goes after \"--\".\n" +
			"Text output masks the mobile number; -json output prints it in full.\n" + tail,
		"account-status": "usage: inexopay [flags] account-status PAN\n\n" +
			"Print the NSDL bank account opening for the customer PAN.\n" +
			"Text output masks the PAN and the phone number; -json output prints the phone number\n" +
			"in full and the PAN masked (it repeats the PAN asked).\n" + tail,
	}
	for cmd, text := range want {
		for _, h := range []string{"-h", "-help", "--help"} {
			for _, a := range [][]string{{cmd, h}, {"-json", cmd, h}, {cmd, "ORD1", h}, {cmd, h, "ORD1", "ORD2"}} {
				r := runCLI(t, env, args(base, a...)...)
				assert.Equal(t, exitOK, r.code, "%v", a)
				assert.Empty(t, r.stdout, "%v", a)
				assert.Equal(t, text, r.stderr, "%v", a)
			}
		}
		r := runCLI(t, nil, "help", cmd)
		assert.Equal(t, exitOK, r.code, cmd)
		assert.Empty(t, r.stdout)
		assert.Equal(t, text, r.stderr, "help %s", cmd)
	}
	// Help needs no credentials and sends nothing.
	r := runCLI(t, nil, "pan-status", "-h")
	assert.Equal(t, exitOK, r.code)
	assert.Equal(t, want["pan-status"], r.stderr)
	for _, e := range []inexopay.Endpoint{inexopay.EndpointAccountBalance, inexopay.EndpointAccountStatus,
		inexopay.EndpointPaymentStatus, inexopay.EndpointPANStatus, inexopay.EndpointBankAccountStatus} {
		assert.Equal(t, 0, srv.Requests(e), "%s: help sends nothing", e)
	}

	r = runCLI(t, nil, "help", "webhook-listen")
	assert.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stderr, "usage: inexopay [flags] webhook-listen [-listen address]\n"), r.stderr)
	r = runCLI(t, nil, "webhook-listen", "--help")
	assert.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stderr, "usage: inexopay [flags] webhook-listen [-listen address]\n"), r.stderr)
	r = runCLI(t, nil, "--help")
	assert.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stderr, "usage: inexopay [flags] <command> [args] [flags]\n"), r.stderr)

	r = runCLI(t, nil, "help", "refund")
	assert.Equal(t, exitUsage, r.code)
	assert.Equal(t, "inexopay: help: unknown command \"refund\"\nRun 'inexopay -h' for usage.\n", r.stderr)
	r = runCLI(t, nil, "help", "balance", "status")
	assert.Equal(t, exitUsage, r.code)
	assert.Equal(t, "inexopay: usage: inexopay help [COMMAND]\n", r.stderr)
}

// TestFlagsAfterCommand: global flags work after the command too, in any
// order with its arguments.
func TestFlagsAfterCommand(t *testing.T) {
	srv, env, _ := sandbox(t)
	srv.SetBalance(1250_50)
	r := runCLI(t, env, "-base-url", srv.URL, "balance", "-json")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "{\n  \"balance\": 1250.50,\n  \"username\": \""+srv.Username+"\"\n}\n", r.stdout)
	r = runCLI(t, env, "balance", "-retries", "0", "-base-url", srv.URL, "-json")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"balance": 1250.50`)
	r = runCLI(t, env, "-json", "balance", "-base-url="+srv.URL, "-header-auth")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 3, srv.Requests(inexopay.EndpointAccountBalance))

	qr, err := srv.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)
	for _, a := range [][]string{
		{"wallet-status", qr.OrderID, "-json", "-base-url", srv.URL},
		{"wallet-status", "-json", "-base-url", srv.URL, qr.OrderID},
		{"-base-url", srv.URL, "wallet-status", "-json", "--", qr.OrderID},
	} {
		r = runCLI(t, env, a...)
		assert.Equal(t, exitOK, r.code, "%v: %s", a, r.stderr)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), "%v", a)
		assert.Equal(t, qr.OrderID, got["order_id"])
	}
}

func TestDashArguments(t *testing.T) {
	srv, env, base := sandbox(t)
	const notAFlag = "an argument starts with \"-\" but is not a flag: put \"--\" before an ORDER that starts with \"-\" (a PAN never does)"
	cases := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"dash ORDER", []string{"pan-status", "-ORD1"},
			"inexopay: pan-status: " + notAFlag + "\nRun 'inexopay pan-status -h' for usage.\n"},
		{"dash PAN not echoed", []string{"account-status", "-NTFPS6013M"},
			"inexopay: account-status: " + notAFlag + "\nRun 'inexopay account-status -h' for usage.\n"},
		{"unknown flag", []string{"balance", "-jsn"},
			"inexopay: balance: unknown flag -jsn\nRun 'inexopay balance -h' for usage.\n"},
		{"bad value after the command", []string{"status", "-retries=many"},
			"inexopay: status: invalid value \"many\" for flag -retries: parse error\nRun 'inexopay status -h' for usage.\n"},
		{"double dash, no ORDER", []string{"pan-status", "--"}, "inexopay: usage: inexopay [flags] pan-status [--] ORDER\n"},
		{"argument to balance", []string{"balance", "now"}, "inexopay: usage: inexopay [flags] balance\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, env, args(base, tc.args...)...)
			assert.Equal(t, exitUsage, r.code)
			assert.Empty(t, r.stdout)
			assert.Equal(t, tc.stderr, r.stderr)
		})
	}
	assert.Equal(t, 0, srv.Requests(inexopay.EndpointAccountBalance)+srv.Requests(inexopay.EndpointAccountStatus)+
		srv.Requests(inexopay.EndpointPaymentStatus)+srv.Requests(inexopay.EndpointPANStatus)+
		srv.Requests(inexopay.EndpointBankAccountStatus), "usage errors send nothing")

	// After "--" an ORDER may start with "-", even "-h": it is sent. A lone
	// "-" is an argument, and a trailing "--" ends the flags.
	r := runCLI(t, env, args(base, "pan-status", "--", "-ORD1")...)
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, "inexopay: PAN.Status: API error 400 (HTTP 200): Order not found\n", r.stderr)
	r = runCLI(t, env, args(base, "wallet-status", "--", "-h")...)
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, "inexopay: Wallet.PaymentStatus: API error 400 (HTTP 200): Order not found\n", r.stderr)
	r = runCLI(t, env, args(base, "wallet-status", "-")...)
	assert.Equal(t, exitNotFound, r.code)
	r = runCLI(t, env, args(base, "pan-status", "ORD1", "--")...)
	assert.Equal(t, exitNotFound, r.code)
	r = runCLI(t, env, args(base, "balance", "--")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 2, srv.Requests(inexopay.EndpointPANStatus))
	assert.Equal(t, 2, srv.Requests(inexopay.EndpointPaymentStatus))
	assert.Equal(t, 1, srv.Requests(inexopay.EndpointAccountBalance))
}

func TestInsecureHTTP(t *testing.T) {
	env := map[string]string{envAPIKey: "insecure-key-0123456789", envUsername: "jojo"}
	newCLI := func(baseURL string, insecure bool) (*cli, *capture) {
		var stderr capture
		return &cli{opts: options{baseURL: baseURL, insecureHTTP: insecure, retries: 0},
			env: func(k string) string { return env[k] }, stdout: io.Discard, stderr: &stderr}, &stderr
	}

	// The provider's plain-http host: accepted with the flag, with a
	// warning. No call is made.
	c, stderr := newCLI("http://panel.inexopay.in", true)
	client, err := c.newClient()
	require.NoError(t, err)
	assert.Equal(t, "http://panel.inexopay.in", client.BaseURL())
	assert.Equal(t, "inexopay: warning: -insecure-http: the API key goes to panel.inexopay.in over plain http, unencrypted\n", stderr.String())

	c, stderr = newCLI("http://panel.inexopay.in", false)
	_, err = c.newClient()
	var ue *usageError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "-base-url: plain http sends the API key unencrypted; use https, or -insecure-http to accept that", err.Error())
	assert.Empty(t, stderr.String())

	// No warning where nothing crosses the network in the clear.
	for _, u := range []string{"https://secure.inexopay.in", "http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"} {
		c, stderr = newCLI(u, true)
		_, err = c.newClient()
		require.NoError(t, err, u)
		assert.Empty(t, stderr.String(), u)
	}
	c, stderr = newCLI("http://10.0.0.7:8080", true)
	_, err = c.newClient()
	require.NoError(t, err)
	assert.Equal(t, "inexopay: warning: -insecure-http: the API key goes to 10.0.0.7:8080 over plain http, unencrypted\n", stderr.String())

	// Through run, against the loopback sandbox: the flag works, no warning.
	srv, senv, _ := sandbox(t)
	r := runCLI(t, senv, "-insecure-http", "-base-url", srv.URL, "-retries", "0", "balance")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	assert.Equal(t, 1, srv.Requests(inexopay.EndpointAccountBalance))

	// Through run with a remote plain-http host, the warning comes first.
	// The context is already cancelled, so no connection is attempted.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut capture
	code := run(ctx, []string{"-insecure-http", "-base-url", "http://192.0.2.1:9", "-retries", "0", "balance"},
		func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	assert.Equal(t, exitOther, code)
	assert.Empty(t, out.String())
	lines := strings.SplitAfter(errOut.String(), "\n")
	require.Len(t, lines, 3, errOut.String())
	assert.Equal(t, "inexopay: warning: -insecure-http: the API key goes to 192.0.2.1:9 over plain http, unencrypted\n", lines[0])
	assert.Equal(t, "inexopay: Account.Balance: not sent: context canceled\n", lines[1])
	assert.NotContains(t, errOut.String(), env[envAPIKey])
}
