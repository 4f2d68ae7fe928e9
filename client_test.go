package inexopay

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	iendpoints "github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- User-Agent ----

func TestEmptyUserAgentKeepsDefault(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
	})
	var got string
	c := relClient(t, srv.URL, WithUserAgent(""), WithHTTPClient(&http.Client{Transport: uaSpy{&got}}))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "inexopay-go/"+Version, got)
}

type uaSpy struct{ got *string }

func (s uaSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	*s.got = r.Header.Get("User-Agent")
	return http.DefaultTransport.RoundTrip(r)
}

// ---- The request: paths, form, headers ----

// The request tests capture what the API receives for every endpoint and
// check it exactly: method, path, headers and the whole form.

const (
	rqKey  = "rq_key_9f8e7d6c5b4a"
	rqUser = "rqmerchant"
)

// rqSeen is one request as the server received it.
type rqSeen struct {
	method string
	path   string
	header http.Header
	form   url.Values
	raw    string
}

// rqServe starts a server that records each request and answers it with
// the documented success answer of the endpoint its path belongs to (dir).
func rqServe(t *testing.T, dir string) (*httptest.Server, <-chan rqSeen) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(fxDir, dir, "success.json"))
	require.NoError(t, err)
	seen := make(chan rqSeen, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		form, perr := url.ParseQuery(string(raw))
		if perr != nil {
			form = url.Values{"!unparsable": {string(raw)}}
		}
		seen <- rqSeen{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), form: form, raw: string(raw)}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// rqOne returns the one request the server received.
func rqOne(t *testing.T, seen <-chan rqSeen) rqSeen {
	t.Helper()
	select {
	case r := <-seen:
		select {
		case extra := <-seen:
			t.Fatalf("a second request reached the server: %s %s", extra.method, extra.path)
		default:
		}
		return r
	default:
		t.Fatal("no request reached the server")
		return rqSeen{}
	}
}

// rqCase is one call and the exact form it must send (credentials aside).
type rqCase struct {
	name string
	dir  string // testdata directory of the endpoint's answers
	e    Endpoint
	call func(ctx context.Context, c *Client) error
	form url.Values
}

func rqValidAadhaar() string { return fxAadhaar }

var rqCases = []rqCase{
	{"Account.Status", "account_status", EndpointAccountStatus, func(ctx context.Context, c *Client) error {
		_, err := c.Account.Status(ctx)
		return err
	}, url.Values{}},
	{"Account.Balance", "account_balance", EndpointAccountBalance, func(ctx context.Context, c *Client) error {
		_, err := c.Account.Balance(ctx)
		return err
	}, url.Values{}},
	{"NSDLBank.OnboardAgent", "nsdl_onboard_agent", EndpointOnboardAgent, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.OnboardAgent(ctx, fxOnboardParams())
		return err
	}, url.Values{"shop_name": {"Binod Store"}, "name": {"Binod Kumar"}, "email": {"binodk@gmail.com"},
		"mobile": {"7091919185"}, "date_of_birth": {"1990-05-17"}, "address": {"Main Road, Ward 4"},
		"state_name": {"Bihar"}, "city_name": {"Supaul"}, "pincode": {"852105"}, "pancard": {"NTFPS6013M"}}},
	{"NSDLBank.OnboardAgent/bcagentid", "nsdl_onboard_agent", EndpointOnboardAgent, func(ctx context.Context, c *Client) error {
		p := fxOnboardParams()
		p.BCAgentID = "INX00042"
		_, err := c.NSDLBank.OnboardAgent(ctx, p)
		return err
	}, url.Values{"shop_name": {"Binod Store"}, "name": {"Binod Kumar"}, "email": {"binodk@gmail.com"},
		"mobile": {"7091919185"}, "date_of_birth": {"1990-05-17"}, "address": {"Main Road, Ward 4"},
		"state_name": {"Bihar"}, "city_name": {"Supaul"}, "pincode": {"852105"}, "pancard": {"NTFPS6013M"},
		"bcagentid": {"INX00042"}}},
	{"NSDLBank.OpenAccount", "nsdl_open_account", EndpointOpenAccount, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.OpenAccount(ctx, fxOpenParams())
		return err
	}, url.Values{"orderid": {"ORD-OPEN-1"}, "account_type": {"2"}, "bcagentid": {"NSDLP7"}, "agent_pancard": {"ABCDE1234F"},
		"first_name": {"Binod"}, "last_name": {"Kumar"}, "email": {"binodk@gmail.com"}, "phone": {"7091919185"},
		"pancard": {"NTFPS6013M"}, "pincode": {"852105"}, "return_url": {"https://merchant.example.com/return"}}},
	{"NSDLBank.OpenAccount/middle_name+savings", "nsdl_open_account", EndpointOpenAccount, func(ctx context.Context, c *Client) error {
		p := fxOpenParams()
		p.MiddleName, p.AccountType = "Prasad", SavingsAccount
		_, err := c.NSDLBank.OpenAccount(ctx, p)
		return err
	}, url.Values{"orderid": {"ORD-OPEN-1"}, "account_type": {"1"}, "bcagentid": {"NSDLP7"}, "agent_pancard": {"ABCDE1234F"},
		"first_name": {"Binod"}, "middle_name": {"Prasad"}, "last_name": {"Kumar"}, "email": {"binodk@gmail.com"},
		"phone": {"7091919185"}, "pancard": {"NTFPS6013M"}, "pincode": {"852105"},
		"return_url": {"https://merchant.example.com/return"}}},
	{"NSDLBank.AccountStatus", "nsdl_account_status", EndpointBankAccountStatus, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountStatus(ctx, "NTFPS6013M")
		return err
	}, url.Values{"pancard": {"NTFPS6013M"}}},
	{"NSDLBank.AccountDetails/txn_id", "nsdl_account_details", EndpointBankAccountDetails, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV"})
		return err
	}, url.Values{"txn_id": {"NSDLUCBDRJCBV"}}},
	{"NSDLBank.AccountDetails/orderid", "nsdl_account_details", EndpointBankAccountDetails, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{OrderID: "ORD-OPEN-1"})
		return err
	}, url.Values{"orderid": {"ORD-OPEN-1"}}},
	{"NSDLBank.AccountDetails/both", "nsdl_account_details", EndpointBankAccountDetails, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV", OrderID: "ORD-OPEN-1"})
		return err
	}, url.Values{"txn_id": {"NSDLUCBDRJCBV"}, "orderid": {"ORD-OPEN-1"}}},
	{"NSDLBank.IncompleteAccountURL", "nsdl_incomplete_url", EndpointIncompleteAccountURL, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
		return err
	}, url.Values{"orderid": {"testbank"}}},
	{"Wallet.GenerateQR/rupees", "wallet_generate_qr", EndpointGenerateQR, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
		return err
	}, url.Values{"amount": {"100"}}},
	{"Wallet.GenerateQR/paise", "wallet_generate_qr", EndpointGenerateQR, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: 10050})
		return err
	}, url.Values{"amount": {"100.50"}}},
	{"Wallet.GenerateQR/five-paise", "wallet_generate_qr", EndpointGenerateQR, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: 1005})
		return err
	}, url.Values{"amount": {"10.05"}}},
	{"Wallet.PaymentStatus", "wallet_payment_status", EndpointPaymentStatus, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.PaymentStatus(ctx, "WAL1234567890123")
		return err
	}, url.Values{"order_id": {"WAL1234567890123"}}},
	{"PAN.Request", "pan_request", EndpointPANRequest, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew})
		return err
	}, url.Values{"number": {"9876543210"}, "orderid": {"ORD12345"}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"}}},
	{"PAN.Request/return_url", "pan_request", EndpointPANRequest, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeESign,
			Type: PANTypeCorrection, ReturnURL: "https://merchant.example.com/pan?x=1&y=2"})
		return err
	}, url.Values{"number": {"9876543210"}, "orderid": {"ORD12345"}, "pan_mode": {"ESIGN"}, "pan_type": {"correction"},
		"return_url": {"https://merchant.example.com/pan?x=1&y=2"}}},
	{"PAN.Status", "pan_status", EndpointPANStatus, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Status(ctx, "ORD12345")
		return err
	}, url.Values{"orderid": {"ORD12345"}}},
	{"PAN.Resume", "pan_resume", EndpointPANResume, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Resume(ctx, "ORD12345")
		return err
	}, url.Values{"orderid": {"ORD12345"}}},
	{"Aadhaar.SendOTP", "aadhaar_send_otp", EndpointSendOTP, func(ctx context.Context, c *Client) error {
		_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "ORD-AADHAAR-1", AadhaarNumber: rqValidAadhaar()})
		return err
	}, url.Values{"orderid": {"ORD-AADHAAR-1"}, "aadhaar_number": {fxAadhaar}}},
	{"Aadhaar.VerifyOTP", "aadhaar_verify_otp", EndpointVerifyOTP, func(ctx context.Context, c *Client) error {
		_, err := c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "ORD-AADHAAR-1", RequestID: "ADHRVFR19052420260531_1e2d274",
			OTP: "731942", AadhaarNumber: rqValidAadhaar()})
		return err
	}, url.Values{"orderid": {"ORD-AADHAAR-1"}, "request_id": {"ADHRVFR19052420260531_1e2d274"}, "otp": {"731942"},
		"aadhaar_number": {fxAadhaar}}},
}

// rqDefaultPaths are the default paths of client.go, written out so that a
// change to them fails here.
var rqDefaultPaths = map[Endpoint]string{
	EndpointAccountStatus:        "/api/check_status.php",
	EndpointAccountBalance:       "/api/balance.php",
	EndpointOnboardAgent:         "/api/nsdl-bank/v1/onboarding.php",
	EndpointOpenAccount:          "/api/nsdl-bank/v1/account_open.php",
	EndpointBankAccountStatus:    "/api/nsdl-bank/v1/account_status.php",
	EndpointBankAccountDetails:   "/api/nsdl-bank/v1/account_details.php",
	EndpointIncompleteAccountURL: "/api/nsdl-bank/v1/incomplete_url.php",
	EndpointGenerateQR:           "/api/wallet/v1/load_request.php",
	EndpointPaymentStatus:        "/api/wallet/v1/check_status.php",
	EndpointPANRequest:           "/api/nsdl-pan/v1/request_pan.php",
	EndpointPANStatus:            "/api/nsdl-pan/v1/pan_status.php",
	EndpointPANResume:            "/api/nsdl-pan/v1/incomplete_pan.php",
	EndpointSendOTP:              "/api/aadhaar/v1/send_otp.php",
	EndpointVerifyOTP:            "/api/aadhaar/v1/verify_otp.php",
}

func TestRequestDefaultPathsTable(t *testing.T) {
	assert.Equal(t, rqDefaultPaths, iendpoints.Paths[Endpoint]())
	covered := map[Endpoint]bool{}
	for _, c := range rqCases {
		covered[c.e] = true
	}
	assert.Len(t, covered, len(rqDefaultPaths), "every endpoint has a request case")
}

func TestRequestExactFormAndHeaders(t *testing.T) {
	auths := []struct {
		name   string
		auth   Authenticator
		inBody bool
	}{
		{"BodyAuth", BodyAuth(rqKey, rqUser), true},
		{"HeaderAuth", HeaderAuth(rqKey, rqUser), false},
	}
	for _, a := range auths {
		for _, tc := range rqCases {
			t.Run(a.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				srv, seen := rqServe(t, tc.dir)
				c := fxClient(t, a.auth, srv.URL)
				require.NoError(t, tc.call(context.Background(), c))
				r := rqOne(t, seen)

				assert.Equal(t, http.MethodPost, r.method)
				assert.Equal(t, rqDefaultPaths[tc.e], r.path)
				assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
				assert.Equal(t, "application/json", r.header.Get("Accept"))
				assert.Equal(t, "inexopay-go/"+Version, r.header.Get("User-Agent"))

				want := url.Values{}
				for k, v := range tc.form {
					want[k] = v
				}
				if a.inBody {
					want.Set("api_key", rqKey)
					want.Set("username", rqUser)
					assert.Empty(t, r.header.Values("X-Api-Key"), "no key header with BodyAuth")
					assert.Empty(t, r.header.Values("X-Api-Username"), "no username header with BodyAuth")
				} else {
					assert.Equal(t, []string{rqKey}, r.header.Values("X-Api-Key"))
					assert.Equal(t, []string{rqUser}, r.header.Values("X-Api-Username"))
					assert.NotContains(t, r.raw, rqKey, "no key in the body with HeaderAuth")
					assert.NotContains(t, r.raw, rqUser, "no username in the body with HeaderAuth")
				}
				assert.Equal(t, want, r.form, "form sent")
			})
		}
	}
}

func TestRequestUserAgentOverride(t *testing.T) {
	srv, seen := rqServe(t, "account_balance")
	c := fxClient(t, BodyAuth(rqKey, rqUser), srv.URL, WithUserAgent("acme-billing/2.3 (+ops@acme.example)"))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "acme-billing/2.3 (+ops@acme.example)", rqOne(t, seen).header.Get("User-Agent"))
}

func TestRequestWithPathOverridesOneEndpoint(t *testing.T) {
	srv, seen := rqServe(t, "pan_status")
	c := fxClient(t, BodyAuth(rqKey, rqUser), srv.URL, WithPath(EndpointPANStatus, "/api/v2/pan/status.php"))
	_, err := c.PAN.Status(context.Background(), "ORD12345")
	require.NoError(t, err)
	assert.Equal(t, "/api/v2/pan/status.php", rqOne(t, seen).path)
	assert.Equal(t, srv.URL+"/api/v2/pan/status.php", c.urls[EndpointPANStatus])

	// Every other endpoint keeps its default.
	for e, p := range rqDefaultPaths {
		if e != EndpointPANStatus {
			assert.Equal(t, srv.URL+p, c.urls[e], e)
		}
	}
	// The server answers every call with a status answer, which has no
	// data.url: a charging call's outcome is then unknown.
	_, err = c.PAN.Resume(context.Background(), "ORD12345")
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, rqDefaultPaths[EndpointPANResume], rqOne(t, seen).path)
}

func TestRequestWithPathRejectsBadInput(t *testing.T) {
	_, err := NewClient(BodyAuth(rqKey, rqUser), WithPath("PAN.Nope", "/x.php"))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "endpoint", ve.Field)
	_, err = NewClient(BodyAuth(rqKey, rqUser), WithPath(EndpointPANStatus, "x.php"))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "path", ve.Field)
}

func TestRequestBaseURLWithPathPrefix(t *testing.T) {
	for _, suffix := range []string{"/gateway/inexo", "/gateway/inexo/"} {
		srv, seen := rqServe(t, "account_status")
		c := fxClient(t, HeaderAuth(rqKey, rqUser), srv.URL+suffix)
		assert.Equal(t, srv.URL+"/gateway/inexo", c.BaseURL())
		_, err := c.Account.Status(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "/gateway/inexo/api/check_status.php", rqOne(t, seen).path, suffix)
	}
}

// TestRequestBodyIsPlainForm checks the raw body byte for byte: keys sorted,
// reserved characters of values escaped, as PHP's $_POST reads it.
func TestRequestBodyIsPlainForm(t *testing.T) {
	srv, seen := rqServe(t, "pan_request")
	c := fxClient(t, HeaderAuth(rqKey, rqUser), srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345",
		Mode: PANModeEKYC, Type: PANTypeNew, ReturnURL: "https://merchant.example.com/pan?x=1&y=2"})
	require.NoError(t, err)
	r := rqOne(t, seen)
	assert.Equal(t, "number=9876543210&orderid=ORD12345&pan_mode=EKYC&pan_type=new_pan&"+
		"return_url=https%3A%2F%2Fmerchant.example.com%2Fpan%3Fx%3D1%26y%3D2", r.raw)
}
