package inexopaytest

import (
	"context"
	"go/build"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

// TestSandboxDoesNotShareSDKValidation: the sandbox must judge requests by
// its own rules; importing the SDK's validation would make it agree with
// the SDK by construction and hide an SDK that is too strict.
func TestSandboxDoesNotShareSDKValidation(t *testing.T) {
	p, err := build.ImportDir(".", 0)
	require.NoError(t, err)
	for _, imp := range p.Imports {
		assert.NotEqual(t, "github.com/inexopay/inexopay-go/internal/validate", imp)
	}
}

// TestSandboxIsLenientLikeAPHPBackEnd: what the SDK refuses by default but a
// lenient back end takes is accepted (sent through WithoutValidation);
// what is obviously broken is refused with a message.
func TestSandboxIsLenientLikeAPHPBackEnd(t *testing.T) {
	s := newServer(t)
	c := s.ClientWithAuth(inexopay.BodyAuth(s.APIKey, s.Username))
	lax, err := inexopay.NewClient(inexopay.BodyAuth(s.APIKey, s.Username), inexopay.WithBaseURL(s.URL),
		inexopay.WithoutValidation(), inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	ctx := context.Background()

	// A mobile starting 5 and an Aadhaar number without a valid check
	// digit are the SDK's rules, not this back end's.
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "5876543210", OrderID: "P1", Mode: inexopay.PANModeEKYC,
		Type: inexopay.PANTypeNew})
	require.ErrorIs(t, err, inexopay.ErrInvalidParams)
	app, err := lax.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "5876543210", OrderID: "P1", Mode: inexopay.PANModeEKYC,
		Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	assert.Equal(t, "P1", app.OrderID)
	_, err = lax.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "A1", AadhaarNumber: "123456789012"})
	require.NoError(t, err)

	// An order id of any length, with spaces, as PHP would store it.
	long := strings.Repeat("L", 120) + " x"
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: long, Mode: inexopay.PANModeESign,
		Type: inexopay.PANTypeCorrection})
	require.NoError(t, err)
	st, err := c.PAN.Status(ctx, long)
	require.NoError(t, err)
	assert.Equal(t, long, st.OrderID)

	// Values are trimmed, and case does not matter where it cannot.
	_, body := rawPost(t, s, inexopay.EndpointPANRequest, url.Values{"number": {" 9876543211 "}, "orderid": {" P2 "},
		"pan_mode": {"esign"}, "pan_type": {"NEW_PAN"}})
	assert.Contains(t, body, `"orderid":"P2"`)

	// Obviously broken values are refused.
	for _, tc := range []struct {
		form url.Values
		msg  string
	}{
		{url.Values{"number": {"98765"}, "orderid": {"P3"}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"}}, "Invalid mobile number"},
		{url.Values{"number": {"9876543210"}, "orderid": {"P3"}, "pan_mode": {"KYC"}, "pan_type": {"new_pan"}},
			"Invalid pan_mode, use EKYC or ESIGN"},
		{url.Values{"number": {"9876543210"}, "orderid": {"P\x013"}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"}}, "Invalid orderid"},
		{url.Values{"number": {"9876543210"}, "orderid": {"P3"}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"},
			"return_url": {"ftp://x"}}, "Invalid return_url"},
	} {
		_, body := rawPost(t, s, inexopay.EndpointPANRequest, tc.form)
		assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"`+tc.msg+`"}`, body, tc.form.Encode())
	}
	_, body = rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"100"}, "return_url": {"not a url"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid return_url"}`, body)
}

// TestSandboxAadhaarIsValidAndAccepted: the number the README names for the
// sandbox passes the SDK's own check and goes through a whole verification.
func TestSandboxAadhaarIsValidAndAccepted(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	ctx := context.Background()
	for _, written := range []string{SandboxAadhaar, "2345 6789 0124"} {
		p := &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("KYC"), AadhaarNumber: written}
		require.NoError(t, p.Validate(), written)
		sent, err := c.Aadhaar.SendOTP(ctx, p)
		require.NoError(t, err, written)
		assert.Equal(t, "0124", sent.AadhaarLast4)
		otp, ok := s.OTP(sent.RequestID)
		require.True(t, ok)
		ver, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: p.OrderID, RequestID: sent.RequestID, OTP: otp,
			AadhaarNumber: written})
		require.NoError(t, err)
		assert.True(t, ver.Status.Verified())
	}
}
