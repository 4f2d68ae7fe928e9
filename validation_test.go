package inexopay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vtAadhaar returns a 12-digit number built from the 11 digits of body and
// its Verhoeff check digit, so that only the rule under test can fail.
func vtAadhaar(body string) string { return body + string(validate.VerhoeffDigit(body)) }

// vtBadCheckDigit is fxAadhaar with a wrong last digit.
func vtBadCheckDigit() string {
	last := fxAadhaar[11]
	wrong := byte('0' + (last-'0'+1)%10)
	return fxAadhaar[:11] + string(wrong)
}

type vtCase struct {
	name  string
	field string
	call  func(ctx context.Context, c *Client) error
	// secrets must not appear in the error (Aadhaar numbers, OTPs).
	secrets []string
}

func vtOnboard(mod func(p *OnboardAgentParams)) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		p := fxOnboardParams()
		mod(p)
		_, err := c.NSDLBank.OnboardAgent(ctx, p)
		return err
	}
}

func vtOpen(mod func(p *OpenAccountParams)) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		p := fxOpenParams()
		mod(p)
		_, err := c.NSDLBank.OpenAccount(ctx, p)
		return err
	}
}

func vtPAN(mod func(p *PANRequestParams)) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		p := &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew}
		mod(p)
		_, err := c.PAN.Request(ctx, p)
		return err
	}
}

func vtSend(aadhaar, orderID string) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: orderID, AadhaarNumber: aadhaar})
		return err
	}
}

func vtVerify(mod func(p *VerifyOTPParams)) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		p := &VerifyOTPParams{OrderID: "ORD-AADHAAR-1", RequestID: "ADHRVFR19052420260531_1e2d274", OTP: "731942",
			AadhaarNumber: fxAadhaar}
		mod(p)
		_, err := c.Aadhaar.VerifyOTP(ctx, p)
		return err
	}
}

func vtQR(a Amount) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: a})
		return err
	}
}

func vtCases() []vtCase {
	aadhaarBad := map[string]string{
		"11 digits":               fxAadhaar[:11],
		"13 digits":               fxAadhaar + "7",
		"letters":                 fxAadhaar[:6] + "ABCDEF",
		"starts with 0":           vtAadhaar("04100335644"),
		"starts with 1":           vtAadhaar("14100335644"),
		"bad Verhoeff digit":      vtBadCheckDigit(),
		"unicode digits":          "२३४५६७८९०१२४",
		"adjacent digits swapped": "243567890124",
	}
	cs := []vtCase{
		// nil params
		{"OnboardAgent/nil", "OnboardAgentParams", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.OnboardAgent(ctx, nil)
			return err
		}, nil},
		{"OpenAccount/nil", "OpenAccountParams", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.OpenAccount(ctx, nil)
			return err
		}, nil},
		{"AccountDetails/nil", "AccountDetailsParams", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, nil)
			return err
		}, nil},
		{"GenerateQR/nil", "GenerateQRParams", func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.GenerateQR(ctx, nil)
			return err
		}, nil},
		{"PAN.Request/nil", "PANRequestParams", func(ctx context.Context, c *Client) error {
			_, err := c.PAN.Request(ctx, nil)
			return err
		}, nil},
		{"SendOTP/nil", "SendOTPParams", func(ctx context.Context, c *Client) error {
			_, err := c.Aadhaar.SendOTP(ctx, nil)
			return err
		}, nil},
		{"VerifyOTP/nil", "VerifyOTPParams", func(ctx context.Context, c *Client) error {
			_, err := c.Aadhaar.VerifyOTP(ctx, nil)
			return err
		}, nil},

		// OnboardAgent: each required field, then formats.
		{"OnboardAgent/ShopName", "ShopName", vtOnboard(func(p *OnboardAgentParams) { p.ShopName = "" }), nil},
		{"OnboardAgent/Name", "Name", vtOnboard(func(p *OnboardAgentParams) { p.Name = "" }), nil},
		{"OnboardAgent/Email", "Email", vtOnboard(func(p *OnboardAgentParams) { p.Email = "" }), nil},
		{"OnboardAgent/Mobile", "Mobile", vtOnboard(func(p *OnboardAgentParams) { p.Mobile = "" }), nil},
		{"OnboardAgent/DateOfBirth", "DateOfBirth", vtOnboard(func(p *OnboardAgentParams) { p.DateOfBirth = "" }), nil},
		{"OnboardAgent/Address", "Address", vtOnboard(func(p *OnboardAgentParams) { p.Address = "" }), nil},
		{"OnboardAgent/StateName", "StateName", vtOnboard(func(p *OnboardAgentParams) { p.StateName = "" }), nil},
		{"OnboardAgent/CityName", "CityName", vtOnboard(func(p *OnboardAgentParams) { p.CityName = "" }), nil},
		{"OnboardAgent/Pincode", "Pincode", vtOnboard(func(p *OnboardAgentParams) { p.Pincode = "" }), nil},
		{"OnboardAgent/PAN", "PAN", vtOnboard(func(p *OnboardAgentParams) { p.PAN = "" }), nil},
		{"OnboardAgent/email no at", "Email", vtOnboard(func(p *OnboardAgentParams) { p.Email = "binodk.gmail.com" }), nil},
		{"OnboardAgent/email no dot", "Email", vtOnboard(func(p *OnboardAgentParams) { p.Email = "binodk@localhost" }), nil},
		{"OnboardAgent/email display name", "Email", vtOnboard(func(p *OnboardAgentParams) { p.Email = "Binod <binodk@gmail.com>" }), nil},
		{"OnboardAgent/mobile 9 digits", "Mobile", vtOnboard(func(p *OnboardAgentParams) { p.Mobile = "709191918" }), nil},
		{"OnboardAgent/mobile 11 digits", "Mobile", vtOnboard(func(p *OnboardAgentParams) { p.Mobile = "70919191851" }), nil},
		{"OnboardAgent/mobile starts 5", "Mobile", vtOnboard(func(p *OnboardAgentParams) { p.Mobile = "5091919185" }), nil},
		{"OnboardAgent/date 2024-02-30", "DateOfBirth", vtOnboard(func(p *OnboardAgentParams) { p.DateOfBirth = "2024-02-30" }), nil},
		{"OnboardAgent/date dd-mm-yyyy", "DateOfBirth", vtOnboard(func(p *OnboardAgentParams) { p.DateOfBirth = "01-01-2001" }), nil},
		{"OnboardAgent/pincode starts 0", "Pincode", vtOnboard(func(p *OnboardAgentParams) { p.Pincode = "052105" }), nil},
		{"OnboardAgent/pincode 5 digits", "Pincode", vtOnboard(func(p *OnboardAgentParams) { p.Pincode = "85210" }), nil},
		{"OnboardAgent/pincode letters", "Pincode", vtOnboard(func(p *OnboardAgentParams) { p.Pincode = "85210A" }), nil},
		{"OnboardAgent/PAN digits swapped", "PAN", vtOnboard(func(p *OnboardAgentParams) { p.PAN = "NTFP16013M" }), nil},
		{"OnboardAgent/PAN 9 chars", "PAN", vtOnboard(func(p *OnboardAgentParams) { p.PAN = "NTFPS6013" }), nil},
		{"OnboardAgent/BCAgentID control", "BCAgentID", vtOnboard(func(p *OnboardAgentParams) { p.BCAgentID = "INX\n0001" }), nil},
		{"OnboardAgent/mobile +91 then 5", "Mobile", vtOnboard(func(p *OnboardAgentParams) { p.Mobile = "+915091919185" }), nil},
		{"OnboardAgent/ShopName blank", "ShopName", vtOnboard(func(p *OnboardAgentParams) { p.ShopName = "   " }), nil},

		// OpenAccount
		{"OpenAccount/OrderID", "OrderID", vtOpen(func(p *OpenAccountParams) { p.OrderID = "" }), nil},
		{"OpenAccount/OrderID blank", "OrderID", vtOpen(func(p *OpenAccountParams) { p.OrderID = " \t " }), nil},
		{"OpenAccount/OrderID control", "OrderID", vtOpen(func(p *OpenAccountParams) { p.OrderID = "ORD\x001" }), nil},
		{"OpenAccount/AccountType 0", "AccountType", vtOpen(func(p *OpenAccountParams) { p.AccountType = 0 }), nil},
		{"OpenAccount/AccountType 3", "AccountType", vtOpen(func(p *OpenAccountParams) { p.AccountType = 3 }), nil},
		{"OpenAccount/BCAgentID", "BCAgentID", vtOpen(func(p *OpenAccountParams) { p.BCAgentID = "" }), nil},
		{"OpenAccount/AgentPAN", "AgentPAN", vtOpen(func(p *OpenAccountParams) { p.AgentPAN = "" }), nil},
		{"OpenAccount/AgentPAN format", "AgentPAN", vtOpen(func(p *OpenAccountParams) { p.AgentPAN = "ABCDE12345" }), nil},
		{"OpenAccount/FirstName", "FirstName", vtOpen(func(p *OpenAccountParams) { p.FirstName = "" }), nil},
		{"OpenAccount/LastName", "LastName", vtOpen(func(p *OpenAccountParams) { p.LastName = "" }), nil},
		{"OpenAccount/Email", "Email", vtOpen(func(p *OpenAccountParams) { p.Email = "" }), nil},
		{"OpenAccount/Email format", "Email", vtOpen(func(p *OpenAccountParams) { p.Email = "binodk@" }), nil},
		{"OpenAccount/Phone", "Phone", vtOpen(func(p *OpenAccountParams) { p.Phone = "" }), nil},
		{"OpenAccount/Phone starts 5", "Phone", vtOpen(func(p *OpenAccountParams) { p.Phone = "5876543210" }), nil},
		{"OpenAccount/PAN", "PAN", vtOpen(func(p *OpenAccountParams) { p.PAN = "" }), nil},
		{"OpenAccount/PAN format", "PAN", vtOpen(func(p *OpenAccountParams) { p.PAN = "12345ABCDE" }), nil},
		{"OpenAccount/Pincode", "Pincode", vtOpen(func(p *OpenAccountParams) { p.Pincode = "" }), nil},
		{"OpenAccount/Pincode starts 0", "Pincode", vtOpen(func(p *OpenAccountParams) { p.Pincode = "012345" }), nil},
		{"OpenAccount/ReturnURL", "ReturnURL", vtOpen(func(p *OpenAccountParams) { p.ReturnURL = "" }), nil},
		{"OpenAccount/ReturnURL relative", "ReturnURL", vtOpen(func(p *OpenAccountParams) { p.ReturnURL = "/return" }), nil},
		{"OpenAccount/ReturnURL ftp", "ReturnURL", vtOpen(func(p *OpenAccountParams) { p.ReturnURL = "ftp://example.com/r" }), nil},

		// AccountStatus, AccountDetails, IncompleteAccountURL
		{"AccountStatus/empty", "PAN", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountStatus(ctx, "")
			return err
		}, nil},
		{"AccountStatus/format", "PAN", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountStatus(ctx, "NTFPS601")
			return err
		}, nil},
		{"AccountDetails/neither id", "TxnID", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{})
			return err
		}, nil},
		{"AccountDetails/TxnID control", "TxnID", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDL\rUC"})
			return err
		}, nil},
		{"AccountDetails/OrderID control", "OrderID", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{OrderID: "ORD\t1"})
			return err
		}, nil},
		{"IncompleteAccountURL/empty", "OrderID", func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.IncompleteAccountURL(ctx, "")
			return err
		}, nil},

		// Wallet
		{"GenerateQR/amount 0", "Amount", vtQR(0), nil},
		{"GenerateQR/amount negative", "Amount", vtQR(-Rupees(5)), nil},
		{"GenerateQR/amount -1 paisa", "Amount", vtQR(-1), nil},
		{"PaymentStatus/empty", "OrderID", func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.PaymentStatus(ctx, "")
			return err
		}, nil},
		{"PaymentStatus/control", "OrderID", func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.PaymentStatus(ctx, "WAL\x7f1")
			return err
		}, nil},

		// PAN
		{"PAN.Request/Mobile", "Mobile", vtPAN(func(p *PANRequestParams) { p.Mobile = "" }), nil},
		{"PAN.Request/Mobile 9 digits", "Mobile", vtPAN(func(p *PANRequestParams) { p.Mobile = "987654321" }), nil},
		{"PAN.Request/Mobile starts 5", "Mobile", vtPAN(func(p *PANRequestParams) { p.Mobile = "5876543210" }), nil},
		{"PAN.Request/OrderID", "OrderID", vtPAN(func(p *PANRequestParams) { p.OrderID = "" }), nil},
		{"PAN.Request/Mode empty", "Mode", vtPAN(func(p *PANRequestParams) { p.Mode = "" }), nil},
		{"PAN.Request/Mode other", "Mode", vtPAN(func(p *PANRequestParams) { p.Mode = "OFFLINE" }), nil},
		{"PAN.Request/Type empty", "Type", vtPAN(func(p *PANRequestParams) { p.Type = "" }), nil},
		{"PAN.Request/Type other", "Type", vtPAN(func(p *PANRequestParams) { p.Type = "reprint" }), nil},
		{"PAN.Request/ReturnURL", "ReturnURL", vtPAN(func(p *PANRequestParams) { p.ReturnURL = "merchant.example.com/r" }), nil},
		{"GenerateQR/ReturnURL", "ReturnURL", func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100), ReturnURL: "/hook"})
			return err
		}, nil},
		{"PAN.Status/empty", "OrderID", func(ctx context.Context, c *Client) error {
			_, err := c.PAN.Status(ctx, "")
			return err
		}, nil},
		{"PAN.Resume/empty", "OrderID", func(ctx context.Context, c *Client) error {
			_, err := c.PAN.Resume(ctx, "")
			return err
		}, nil},

		// Aadhaar
		{"SendOTP/OrderID", "OrderID", vtSend(fxAadhaar, ""), []string{fxAadhaar}},
		{"SendOTP/Aadhaar empty", "AadhaarNumber", vtSend("", "ORD-1"), nil},
		{"VerifyOTP/OrderID", "OrderID", vtVerify(func(p *VerifyOTPParams) { p.OrderID = "" }), []string{fxAadhaar, "731942"}},
		{"VerifyOTP/RequestID", "RequestID", vtVerify(func(p *VerifyOTPParams) { p.RequestID = "" }), []string{fxAadhaar, "731942"}},
		{"VerifyOTP/OTP empty", "OTP", vtVerify(func(p *VerifyOTPParams) { p.OTP = "" }), []string{fxAadhaar}},
		{"VerifyOTP/OTP 5 digits", "OTP", vtVerify(func(p *VerifyOTPParams) { p.OTP = "73194" }), []string{fxAadhaar, "73194"}},
		{"VerifyOTP/OTP 7 digits", "OTP", vtVerify(func(p *VerifyOTPParams) { p.OTP = "7319420" }), []string{fxAadhaar, "7319420"}},
		{"VerifyOTP/OTP letters", "OTP", vtVerify(func(p *VerifyOTPParams) { p.OTP = "73A942" }), []string{fxAadhaar, "73A942"}},
		{"VerifyOTP/Aadhaar empty", "AadhaarNumber", vtVerify(func(p *VerifyOTPParams) { p.AadhaarNumber = "" }), []string{"731942"}},
	}
	for name, a := range aadhaarBad {
		cs = append(cs,
			vtCase{"SendOTP/Aadhaar " + name, "AadhaarNumber", vtSend(a, "ORD-1"), []string{a}},
			vtCase{"VerifyOTP/Aadhaar " + name, "AadhaarNumber", vtVerify(func(p *VerifyOTPParams) { p.AadhaarNumber = a }),
				[]string{a, "731942"}},
		)
	}
	return cs
}

// vtServer counts the requests that reach it.
func vtServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestValidationRefusesBeforeSending(t *testing.T) {
	srv, n := vtServer(t)
	c := fxClient(t, BodyAuth("vt_key_1234567890", "vtuser"), srv.URL)
	for _, tc := range vtCases() {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(context.Background(), c)
			vtAssert(t, err, tc.field, tc.secrets...)
		})
	}
	assert.Equal(t, int32(0), n.Load(), "no request may reach the server")
}

func vtAssert(t *testing.T, err error, field string, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, "got %T: %v", err, err)
	assert.Equal(t, field, ve.Field)
	assert.NotEmpty(t, ve.Reason)
	assert.ErrorIs(t, err, ErrInvalidParams)
	var ae *APIError
	assert.False(t, errors.As(err, &ae), "a validation failure is not an API error")
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			assert.NotContains(t, text, s, "the error must not repeat a secret")
		}
	}
}

// TestValidationValidInputsPass guards the table: the base parameters it
// mutates are valid, so each case fails for its own reason only.
func TestValidationValidInputsPass(t *testing.T) {
	require.NoError(t, fxOnboardParams().Validate())
	p := fxOnboardParams()
	p.BCAgentID = "INX00001"
	require.NoError(t, p.Validate())
	require.NoError(t, fxOpenParams().Validate())
	o := fxOpenParams()
	o.AccountType, o.MiddleName = SavingsAccount, "Prasad"
	require.NoError(t, o.Validate())
	require.NoError(t, (&AccountDetailsParams{TxnID: "NSDLUCBDRJCBV"}).Validate())
	require.NoError(t, (&AccountDetailsParams{OrderID: "ORD-1"}).Validate())
	require.NoError(t, (&GenerateQRParams{Amount: 1}).Validate())
	require.NoError(t, (&PANRequestParams{Mobile: "6000000000", OrderID: "O", Mode: PANModeESign, Type: PANTypeCorrection,
		ReturnURL: "http://merchant.example.com/r"}).Validate())
	require.NoError(t, (&SendOTPParams{OrderID: "O", AadhaarNumber: fxAadhaar}).Validate())
	require.NoError(t, (&SendOTPParams{OrderID: "O", AadhaarNumber: vtAadhaar("23456789012")}).Validate())
	require.NoError(t, (&VerifyOTPParams{OrderID: "O", RequestID: "R", OTP: "000000", AadhaarNumber: fxAadhaar}).Validate())
	require.NoError(t, (&OnboardAgentParams{ShopName: "S", Name: "N", Email: "a.b+c@mail.example.in", Mobile: "9999999999",
		DateOfBirth: "2000-02-29", Address: "A", StateName: "S", CityName: "C", Pincode: "999999", PAN: "ZZZZZ9999Z"}).Validate())
}

// TestValidationNilReceivers: Validate on a nil pointer reports the params
// type, never panics.
func TestValidationNilReceivers(t *testing.T) {
	for field, v := range map[string]interface{ Validate() error }{
		"OnboardAgentParams":   (*OnboardAgentParams)(nil),
		"OpenAccountParams":    (*OpenAccountParams)(nil),
		"AccountDetailsParams": (*AccountDetailsParams)(nil),
		"GenerateQRParams":     (*GenerateQRParams)(nil),
		"PANRequestParams":     (*PANRequestParams)(nil),
		"SendOTPParams":        (*SendOTPParams)(nil),
		"VerifyOTPParams":      (*VerifyOTPParams)(nil),
	} {
		vtAssert(t, v.Validate(), field)
	}
}

// TestValidationCredentialsAndContext: NewClient refuses empty credentials
// at once, naming the argument as the caller wrote it; a nil context is
// refused before sending.
func TestValidationCredentialsAndContext(t *testing.T) {
	srv, n := vtServer(t)
	for _, tc := range []struct {
		auth   Authenticator
		field  string
		reason string
	}{
		{BodyAuth("", "vtuser"), "apiKey", "first argument of BodyAuth"},
		{BodyAuth(" \n", "vtuser"), "apiKey", "first argument of BodyAuth"},
		{BodyAuth("vt_key_1234567890", ""), "username", "second argument of BodyAuth"},
		{HeaderAuth("", "vtuser"), "apiKey", "first argument of HeaderAuth"},
		{HeaderAuth("vt_key_1234567890", "  "), "username", "second argument of HeaderAuth"},
	} {
		c, err := NewClient(tc.auth, WithBaseURL(srv.URL))
		assert.Nil(t, c)
		vtAssert(t, err, tc.field)
		assert.Contains(t, err.Error(), tc.reason)
	}
	c := fxClient(t, BodyAuth("vt_key_1234567890", "vtuser"), srv.URL)
	var noCtx context.Context
	_, err := c.Account.Balance(noCtx)
	vtAssert(t, err, "ctx")
	_, err = NewClient(nil)
	vtAssert(t, err, "auth")
	assert.Equal(t, int32(0), n.Load(), "no request may reach the server")
}

// ---- Normalised values are sent; credentials trimmed ----

// The normalisation tests prove that unambiguous ways of writing a value
// are sent in the one form the API expects, that the caller's params are
// never changed, and that WithoutValidation leaves formats to the API.

// nmServer answers every call with its documented success answer and keeps
// the forms it received, by endpoint.
type nmServer struct {
	*httptest.Server
	mu    sync.Mutex
	forms map[Endpoint]url.Values
	hdrs  map[Endpoint]http.Header
}

func newNMServer(t *testing.T) *nmServer {
	t.Helper()
	s := &nmServer{forms: map[Endpoint]url.Values{}, hdrs: map[Endpoint]http.Header{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := relEndpointOf(r.URL.Path)
		if !assert.NoError(t, r.ParseForm()) {
			return
		}
		s.mu.Lock()
		s.forms[e], s.hdrs[e] = r.PostForm, r.Header.Clone()
		s.mu.Unlock()
		body := relSuccess[e]
		if e == EndpointPANRequest { // an application answer names the order sent
			id, _ := json.Marshal(r.PostForm.Get("orderid"))
			body = strings.Replace(body, `"ORD12345"`, string(id), 1)
		}
		if e == EndpointSendOTP { // an OTP answer names the Aadhaar number sent
			n, _ := json.Marshal(r.PostForm.Get("aadhaar_number"))
			body = strings.Replace(body, `"`+relAadhaar+`"`, string(n), 1)
		}
		if id := r.PostForm.Get("bcagentid"); e == EndpointOnboardAgent && id != "" { // named by the agent id asked
			n, _ := json.Marshal(id)
			body = strings.Replace(body, `"agent_id":"NSDLP7"`, `"agent_id":`+string(n), 1)
		}
		relRespond(w, http.StatusOK, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *nmServer) form(e Endpoint) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.forms[e]
}

func TestNormalisedValuesAreSent(t *testing.T) {
	srv := newNMServer(t)
	c := fxClient(t, BodyAuth("nm_key_0123456789", "nmuser"), srv.URL)
	ctx := context.Background()
	longID := strings.Repeat("O", 100) // the API document states no length

	for _, mobile := range []string{"+91 98765 43210", "+919876543210", "09876543210", "98765-43210", " 9876543210 "} {
		_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: mobile, OrderID: "  " + longID + " ", Mode: "eKyc", Type: "NEW_PAN",
			ReturnURL: " https://merchant.example/pan "})
		require.NoError(t, err, mobile)
		assert.Equal(t, url.Values{"number": {"9876543210"}, "orderid": {longID}, "pan_mode": {"EKYC"},
			"pan_type": {"new_pan"}, "return_url": {"https://merchant.example/pan"}, "api_key": {"nm_key_0123456789"},
			"username": {"nmuser"}}, srv.form(EndpointPANRequest), mobile)
	}

	_, err := c.NSDLBank.OnboardAgent(ctx, &OnboardAgentParams{ShopName: " Binod Store ", Name: "Binod Kumar",
		Email: " binodk@gmail.com", Mobile: "+91 70919 19185", DateOfBirth: "1990-05-17 ", Address: "Main Road",
		StateName: "Bihar", CityName: "Supaul", Pincode: "852 105", PAN: "ntfps6013m", BCAgentID: " INX 0001 "})
	require.NoError(t, err)
	f := srv.form(EndpointOnboardAgent)
	assert.Equal(t, "Binod Store", f.Get("shop_name"))
	assert.Equal(t, "binodk@gmail.com", f.Get("email"))
	assert.Equal(t, "7091919185", f.Get("mobile"))
	assert.Equal(t, "1990-05-17", f.Get("date_of_birth"))
	assert.Equal(t, "852105", f.Get("pincode"))
	assert.Equal(t, "NTFPS6013M", f.Get("pancard"))
	assert.Equal(t, "INX 0001", f.Get("bcagentid"), "a space inside an id is the caller's business")

	_, err = c.NSDLBank.AccountStatus(ctx, " ntfps6013m\n")
	require.NoError(t, err)
	assert.Equal(t, "NTFPS6013M", srv.form(EndpointBankAccountStatus).Get("pancard"))

	_, err = c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: longID, AadhaarNumber: "2345 6789 0124"})
	require.NoError(t, err)
	assert.Equal(t, "234567890124", srv.form(EndpointSendOTP).Get("aadhaar_number"))
	_, err = c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: longID, RequestID: " ADHRVFR19052420260531_1e2d274 ", OTP: " 731 942 ",
		AadhaarNumber: "2345-6789-0124"})
	require.NoError(t, err)
	vf := srv.form(EndpointVerifyOTP)
	assert.Equal(t, "731942", vf.Get("otp"))
	assert.Equal(t, "ADHRVFR19052420260531_1e2d274", vf.Get("request_id"))
	assert.Equal(t, "234567890124", vf.Get("aadhaar_number"))

	_, err = c.Wallet.PaymentStatus(ctx, " WAL1234567890123 ")
	require.NoError(t, err)
	assert.Equal(t, "WAL1234567890123", srv.form(EndpointPaymentStatus).Get("order_id"))
	// The canned answer is about "ORD12345", another order than the one
	// asked: an error naming both, after the request was sent as given.
	_, err = c.PAN.Status(ctx, "ORD 12345")
	require.ErrorIs(t, err, ErrServer)
	assert.Contains(t, err.Error(), `"ORD12345", not "ORD 12345"`)
	assert.Equal(t, "ORD 12345", srv.form(EndpointPANStatus).Get("orderid"))
}

// TestNormalisationKeepsCallerParams: the calls and Validate work on a copy.
func TestNormalisationKeepsCallerParams(t *testing.T) {
	srv := newNMServer(t)
	c := fxClient(t, BodyAuth("nm_key_0123456789", "nmuser"), srv.URL)
	ctx := context.Background()

	pan := &PANRequestParams{Mobile: "+91 98765 43210", OrderID: " ORD1 ", Mode: "ekyc", Type: "NEW_PAN"}
	before := *pan
	require.NoError(t, pan.Validate())
	_, err := c.PAN.Request(ctx, pan)
	require.NoError(t, err)
	assert.Equal(t, before, *pan)

	open := fxOpenParams()
	open.PAN, open.AgentPAN, open.Phone, open.Pincode = "ntfps6013m", " abcde1234f", "0709-191-9185", "852 105"
	beforeOpen := *open
	require.NoError(t, open.Validate())
	_, err = c.NSDLBank.OpenAccount(ctx, open)
	require.NoError(t, err)
	assert.Equal(t, beforeOpen, *open)
	assert.Equal(t, "NTFPS6013M", srv.form(EndpointOpenAccount).Get("pancard"))
	assert.Equal(t, "7091919185", srv.form(EndpointOpenAccount).Get("phone"))

	send := &SendOTPParams{OrderID: "A1", AadhaarNumber: "2345 6789 0124"}
	beforeSend := *send
	_, err = c.Aadhaar.SendOTP(ctx, send)
	require.NoError(t, err)
	assert.Equal(t, beforeSend, *send)
}

func TestWithoutValidationLeavesFormatsToTheAPI(t *testing.T) {
	srv := newNMServer(t)
	c := fxClient(t, BodyAuth("nm_key_0123456789", "nmuser"), srv.URL, WithoutValidation())
	strict := fxClient(t, BodyAuth("nm_key_0123456789", "nmuser"), srv.URL)
	ctx := context.Background()

	// Formats the SDK's rules refuse are sent as they are.
	pan := &PANRequestParams{Mobile: "5876543210", OrderID: "ORD\x01", Mode: "OFFLINE", Type: "reprint",
		ReturnURL: "merchant.example/r"}
	_, err := strict.PAN.Request(ctx, pan)
	require.ErrorIs(t, err, ErrInvalidParams)
	_, err = c.PAN.Request(ctx, pan)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"number": {"5876543210"}, "orderid": {"ORD\x01"}, "pan_mode": {"OFFLINE"},
		"pan_type": {"reprint"}, "return_url": {"merchant.example/r"}, "api_key": {"nm_key_0123456789"},
		"username": {"nmuser"}}, srv.form(EndpointPANRequest))

	bad := vtBadCheckDigit()
	_, err = strict.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "A1", AadhaarNumber: bad})
	require.ErrorIs(t, err, ErrInvalidParams)
	_, err = c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "A1", AadhaarNumber: bad})
	require.NoError(t, err)
	assert.Equal(t, bad, srv.form(EndpointSendOTP).Get("aadhaar_number"))

	open := fxOpenParams()
	open.AccountType, open.PAN, open.Email = 3, "12345ABCDE", "not-an-email"
	_, err = c.NSDLBank.OpenAccount(ctx, open)
	require.NoError(t, err)
	assert.Equal(t, "3", srv.form(EndpointOpenAccount).Get("account_type"))
	_, err = c.NSDLBank.AccountStatus(ctx, "NOT A PAN")
	// Sent as given; the record answered is about another PAN, which the
	// SDK still refuses to take for the one asked.
	require.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrInvalidParams)
	assert.Equal(t, "NOT A PAN", srv.form(EndpointBankAccountStatus).Get("pancard"))
	_, err = c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: -Rupees(1)})
	require.NoError(t, err)
	assert.Equal(t, "-1", srv.form(EndpointGenerateQR).Get("amount"))

	// Required fields are still required: nothing is sent for these.
	srv.mu.Lock()
	srv.forms = map[Endpoint]url.Values{}
	srv.mu.Unlock()
	for name, call := range map[string]func() error{
		"Mobile": func() error {
			_, err := c.PAN.Request(ctx, &PANRequestParams{OrderID: "O", Mode: PANModeEKYC, Type: PANTypeNew})
			return err
		},
		"Mode": func() error {
			_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "1", OrderID: "O", Type: PANTypeNew})
			return err
		},
		"AccountType": func() error {
			p := fxOpenParams()
			p.AccountType = 0
			_, err := c.NSDLBank.OpenAccount(ctx, p)
			return err
		},
		"Amount": func() error {
			_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{})
			return err
		},
		"OrderID": func() error {
			_, err := c.PAN.Status(ctx, "   ")
			return err
		},
		"AadhaarNumber": func() error {
			_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "A"})
			return err
		},
	} {
		vtAssert(t, call(), name)
	}
	srv.mu.Lock()
	assert.Empty(t, srv.forms, "nothing may be sent without a required field")
	srv.mu.Unlock()
}

// TestCredentialsTrimmed: a key read from a file with its newline works.
func TestCredentialsTrimmed(t *testing.T) {
	srv := newNMServer(t)
	for _, auth := range []Authenticator{BodyAuth(" nm_key_0123456789\n", " nmuser "), HeaderAuth("nm_key_0123456789\r\n", "nmuser\n")} {
		c := fxClient(t, auth, srv.URL)
		_, err := c.Account.Balance(context.Background())
		require.NoError(t, err)
		srv.mu.Lock()
		f, h := srv.forms[EndpointAccountBalance], srv.hdrs[EndpointAccountBalance]
		srv.mu.Unlock()
		if f.Get("api_key") != "" {
			assert.Equal(t, "nm_key_0123456789", f.Get("api_key"))
			assert.Equal(t, "nmuser", f.Get("username"))
		} else {
			assert.Equal(t, "nm_key_0123456789", h.Get("X-Api-Key"))
			assert.Equal(t, "nmuser", h.Get("X-Api-Username"))
		}
	}
}

// TestValidationFirstFailureWins: with several bad fields the error names
// the first in declaration order.
// Field is the first bad field; the others follow in Errors, and no
// secret is repeated in any of them.
func TestValidationFirstFailureFirst(t *testing.T) {
	err := (&OpenAccountParams{AccountType: 9, Email: "x"}).Validate()
	vtAssert(t, err, "OrderID")
	err = (&VerifyOTPParams{OrderID: "O", RequestID: "R", OTP: "98", AadhaarNumber: "97"}).Validate()
	vtAssert(t, err, "OTP", "98", "97")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Errors, 2)
	assert.Equal(t, "AadhaarNumber", ve.Errors[1].Field)
}

// Validation reports every bad field at once, in one *ValidationError
// whose message names them all.
func TestValidationReportsEveryField(t *testing.T) {
	p := &OnboardAgentParams{ShopName: "Shop", Name: "A", Email: "not-an-email", Mobile: "12345",
		DateOfBirth: "1990-01-01", Address: "x", StateName: "Bihar", CityName: "Patna", Pincode: "12", PAN: "ABCDE1234F"}
	err := p.Validate()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidParams)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, fe := range ve.Errors {
		fields = append(fields, fe.Field)
		assert.NotEmpty(t, fe.Reason, fe.Field)
		assert.Contains(t, err.Error(), fe.Field)
		assert.Contains(t, err.Error(), fe.Reason)
	}
	assert.Equal(t, []string{"Email", "Mobile", "Pincode"}, fields)
	assert.Equal(t, "Email", ve.Field, "Field and Reason are the first problem")
	assert.Equal(t, ve.Errors[0].Reason, ve.Reason)

	// One bad field reads as before.
	err = (&PANRequestParams{Mobile: "9876543210", OrderID: "A1", Mode: "bad", Type: PANTypeNew}).Validate()
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Errors, 1)
	assert.Equal(t, "inexopay: invalid "+ve.Field+": "+ve.Reason, err.Error())

	// Every missing field of an empty params struct.
	err = (&PANRequestParams{}).Validate()
	require.ErrorAs(t, err, &ve)
	assert.GreaterOrEqual(t, len(ve.Errors), 4, err.Error())
}
