package inexopay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		relRespond(w, http.StatusOK, relSuccess[e])
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
	_, err = c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: longID, RequestID: " R1 ", OTP: " 731 942 ",
		AadhaarNumber: "2345-6789-0124"})
	require.NoError(t, err)
	vf := srv.form(EndpointVerifyOTP)
	assert.Equal(t, "731942", vf.Get("otp"))
	assert.Equal(t, "R1", vf.Get("request_id"))
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
	require.NoError(t, err)
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
