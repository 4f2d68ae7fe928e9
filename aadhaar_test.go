package inexopay_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

// TestReadmeNamesTheSandboxAadhaar: the README gives users a number that
// passes the SDK's check (inexopaytest proves the sandbox accepts it).
func TestReadmeNamesTheSandboxAadhaar(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(readme), "2345 6789 0124") && strings.Contains(string(readme), "inexopaytest.SandboxAadhaar"),
		"README must name the sandbox's test Aadhaar number")
	assert.Equal(t, "234567890124", inexopaytest.SandboxAadhaar)
	require.NoError(t, (&inexopay.SendOTPParams{OrderID: "O", AadhaarNumber: "2345 6789 0124"}).Validate())
}

// TestAadhaarStatusIsNotATransactionStatus: a verification has its own
// type; "verified" is its success, and it has no Final of a payment.
func TestAadhaarStatusIsNotATransactionStatus(t *testing.T) {
	assert.True(t, inexopay.AadhaarVerified.Verified())
	assert.False(t, inexopay.AadhaarPending.Verified())
	assert.False(t, inexopay.AadhaarStatus("VERIFIED").Verified(), "results are normalised to lower case before use")
}

func TestE2EAadhaar(t *testing.T) {
	clk := inexopaytest.NewClock(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	srv := e2eServer(t, inexopaytest.WithClock(clk.Now), inexopaytest.WithOTPTTL(10*time.Minute), inexopaytest.WithMaxOTPAttempts(3))
	c := srv.Client()
	ctx := context.Background()

	sent, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: e2eAadhaar})
	require.NoError(t, err)
	assert.Equal(t, e2eAadhaar[8:], sent.AadhaarLast4)
	assert.Equal(t, inexopay.AadhaarPending, sent.Status)
	assert.Equal(t, "Successfully generated One Time Password (OTP).", sent.Message)
	assert.Equal(t, clk.Now(), sent.Time.UTC())
	assert.Regexp(t, `^ADHR`, sent.RequestID)
	_, err = c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: e2eAadhaar})
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)

	otp, found := srv.OTP(sent.RequestID)
	require.True(t, found)
	wrong := "000000"
	if otp == wrong {
		wrong = "999999"
	}
	verify := func(requestID, code string) (*inexopay.AadhaarVerification, error) {
		return c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "KYC-1", RequestID: requestID, OTP: code, AadhaarNumber: e2eAadhaar})
	}
	_, err = verify(sent.RequestID, wrong)
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Invalid OTP. 2 attempt(s) remaining")
	assert.NotContains(t, err.Error(), e2eAadhaar)
	v, err := verify(sent.RequestID, otp)
	require.NoError(t, err)
	assert.Equal(t, inexopay.AadhaarVerified, v.Status)
	assert.True(t, v.Status.Verified())
	assert.Equal(t, sent.RequestID, v.RequestID)
	assert.Equal(t, inexopaytest.AadhaarHolder(), v.Details)

	// Expired: the clock passes the TTL before the holder types the OTP.
	sent2, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-2", AadhaarNumber: e2eAadhaar})
	require.NoError(t, err)
	otp2, _ := srv.OTP(sent2.RequestID)
	clk.Advance(10*time.Minute + time.Second)
	_, err = verify(sent2.RequestID, otp2)
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgOTPExpired)

	// Used up: three wrong tries kill the request.
	sent3, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-3", AadhaarNumber: e2eAadhaar})
	require.NoError(t, err)
	otp3, _ := srv.OTP(sent3.RequestID)
	wrong3 := "000000"
	if otp3 == wrong3 {
		wrong3 = "999999"
	}
	for range 2 {
		_, err = verify(sent3.RequestID, wrong3)
		require.ErrorIs(t, err, inexopay.ErrBadRequest)
	}
	_, err = verify(sent3.RequestID, wrong3)
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgOTPAttemptsExceeded)
	_, err = verify(sent3.RequestID, otp3)
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgOTPAttemptsExceeded)

	// VerifyOTP is charging: a lost answer is an unknown outcome.
	srv.InjectFault(inexopay.EndpointVerifyOTP, inexopaytest.Fault{Kind: inexopaytest.FaultDrop}, 1)
	_, err = verify(sent3.RequestID, otp3)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 8, srv.Requests(inexopay.EndpointVerifyOTP))
}

// TestAadhaarResultsMaskEchoedSecretsInEveryField: an API that echoes the
// Aadhaar number, the OTP and the API key the call sent in every string
// member (ids, trace id, the holder's details) gives results that hold
// them masked, so that no print of them (fmt, slog, encoding/json) shows
// them; the last 4 digits of the Aadhaar number stay readable.
func TestAadhaarResultsMaskEchoedSecretsInEveryField(t *testing.T) {
	srv := testkit.ServeEcho(t, func(r *http.Request) testkit.Answer {
		a := r.PostForm.Get("aadhaar_number")
		echo, _ := json.Marshal("x " + a[:4] + " " + a[4:8] + " " + a[8:] + " " + r.PostForm.Get("otp") + " " + r.PostForm.Get("api_key"))
		e := string(echo)
		meta := `"meta":{"request_id":` + e + `,"time":"2025-01-15T10:30:00+00:00"}`
		if r.PostForm.Get("otp") == "" {
			return testkit.Answer{Body: `{"status_code":200,"status":"success","message":` + e + `,"data":{"request_id":` + e +
				`,"aadhaar":"` + a + `","status":"pending"},` + meta + `}`}
		}
		// VerifyOTP checks data.request_id against the request id sent.
		return testkit.Answer{Body: `{"status_code":200,"status":"success","message":` + e + `,"data":{"request_id":"` +
			r.PostForm.Get("request_id") + `","status":"verified","aadhaar_details":{"full_name":` + e + `,"dob":` + e + `,"gender":` + e + `,"address":` + e + `}},` + meta + `}`}
	})
	c := oClient(t, srv.URL, nil)
	ctx := context.Background()
	spaced := oAadhaar[:4] + " " + oAadhaar[4:8] + " " + oAadhaar[8:]

	sent, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "A1", AadhaarNumber: oAadhaar})
	require.NoError(t, err)
	assert.Equal(t, oAadhaar[8:], sent.AadhaarLast4)
	assert.Contains(t, sent.TraceID, oAadhaar[8:], "the last 4 digits stay")
	raw, err := json.Marshal(sent)
	require.NoError(t, err)
	secrettest.CheckNoSecret(t, "AadhaarOTP", secrettest.Printed(sent)+string(raw), oAadhaar, spaced, oKey)

	v, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "A1", RequestID: "R1", OTP: oOTP, AadhaarNumber: oAadhaar})
	require.NoError(t, err)
	assert.Equal(t, inexopay.AadhaarVerified, v.Status)
	assert.Contains(t, v.Details.Gender, "[REDACTED]", "the OTP is hidden whole")
	raw, err = json.Marshal(v)
	require.NoError(t, err)
	secrettest.CheckNoSecret(t, "AadhaarVerification", secrettest.Printed(v)+string(raw), oAadhaar, spaced, oOTP, oKey)
}

// TestAadhaarAnswerAboutOtherOrderOrRequest: an OTP answer naming another
// order, or a verification naming another request than the one sent, is
// not about this call: the outcome is unknown, and the request ids show
// only their last 4 characters.
func TestAadhaarAnswerAboutOtherOrderOrRequest(t *testing.T) {
	var body string
	c := orderServer(t, http.StatusOK, &body)
	ctx := context.Background()
	body = `{"status":"success","order_id":"ADH9999","data":{"request_id":"R1","orderid":"ADH9999"}}`
	_, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "ADH1001", AadhaarNumber: e2eAadhaar})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `"ADH9999"`)

	verify := &inexopay.VerifyOTPParams{OrderID: "ADH1001", RequestID: "MYREQUEST0017", OTP: "123456", AadhaarNumber: e2eAadhaar}
	body = `{"status":"success","data":{"status":"verified","request_id":"OTHERREQUEST42"}}`
	_, err = c.Aadhaar.VerifyOTP(ctx, verify)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "ST42")
	assert.NotContains(t, err.Error(), "OTHERREQUEST42")
	var oe *inexopay.OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ADH1001", oe.OrderID)

	body = `{"status":"success","data":{"status":"verified","request_id":"myrequest0017"}}`
	_, err = c.Aadhaar.VerifyOTP(ctx, verify)
	require.NoError(t, err)
}

// An OTP answer about another Aadhaar number than the one sent (data.aadhaar, digits compared, a
// masked one by its last 4) is not this call's: the outcome is unknown, a verification of another
// person never a success, and the error shows the numbers' last 4 digits only. A verification
// refused for another request is not provably this one's refusal either.
func TestAadhaarAnswerAboutAnotherNumber(t *testing.T) {
	var body string
	c := orderServer(t, http.StatusOK, &body)
	ctx := context.Background()
	last4 := e2eAadhaar[len(e2eAadhaar)-4:]
	send := &inexopay.SendOTPParams{OrderID: "ADH1001", AadhaarNumber: e2eAadhaar}
	verify := &inexopay.VerifyOTPParams{OrderID: "ADH1001", RequestID: "ADHRVFR1", OTP: "123456", AadhaarNumber: e2eAadhaar}
	for _, other := range []string{"587203916445", "XXXXXXXX6445", "xxxx xxxx 6445"} {
		body = `{"status_code":200,"status":"success","data":{"request_id":"ADHRVFR1","aadhaar":"` + other + `","status":"pending"}}`
		_, err := c.Aadhaar.SendOTP(ctx, send)
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, other)
		body = `{"status_code":200,"status":"success","data":{"request_id":"ADHRVFR1","status":"verified","aadhaar":"` + other +
			`","aadhaar_details":{"full_name":"Other Person"}}}`
		_, err = c.Aadhaar.VerifyOTP(ctx, verify)
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, other)
		assert.Contains(t, err.Error(), "6445")
		assert.Contains(t, err.Error(), last4)
		assert.NotContains(t, err.Error(), "5872039")
		assert.NotContains(t, err.Error(), e2eAadhaar[:8])
	}
	for _, same := range []string{e2eAadhaar, "XXXXXXXX" + last4, "xxxx xxxx " + last4} {
		body = `{"status":"success","data":{"request_id":"ADHRVFR1","aadhaar":"` + same + `","status":"pending"}}`
		_, err := c.Aadhaar.SendOTP(ctx, send)
		require.NoError(t, err, same)
	}
	for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
		body = `{"status_code":400,"status":"FAILED","message":"Invalid OTP","data":{"request_id":"OTHERREQ"}}`
		_, err := orderServer(t, status, &body).Aadhaar.VerifyOTP(ctx, verify)
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, status)
		assert.NotErrorIs(t, err, inexopay.ErrBadRequest)
	}
}

// TestSendOTPStatusPending: a sent OTP waits for its check, so a success
// is AadhaarPending (as documented) whether data.status is absent or any
// word that says the OTP was sent ("success", "sent"…), and the last 4
// digits are read from the echoed number without the spaces around.
func TestSendOTPStatusPending(t *testing.T) {
	for _, st := range []string{``, `,"status":"pending"`, `,"status":"success"`, `,"status":"sent"`, `,"status":"OTP_SENT"`} {
		c := answeringClient(t, `{"status":true,"data":{"request_id":"ADHRV1_1e2d274","aadhaar":" XXXXXXXX0124 "`+st+`}}`)
		otp, err := c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: "2345 6789 0124"})
		require.NoError(t, err, st)
		assert.Equal(t, inexopay.AadhaarPending, otp.Status, st)
		assert.False(t, otp.Status.Verified(), st)
		assert.Equal(t, "0124", otp.AadhaarLast4, st)
	}
}
