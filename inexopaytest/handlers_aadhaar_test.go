// Tests of the Aadhaar endpoints: sending and verifying OTPs.

package inexopaytest

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

func TestAadhaarOTP(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now), WithOTPTTL(5*time.Minute), WithMaxOTPAttempts(2))
	code, body := rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A1"}, "aadhaar_number": {testAadhaar}})
	require.Equal(t, 200, code)
	s.mu.Lock()
	req := s.st.otpOrders[idKey("A1")]
	rid, uuid := req.requestID, ""
	s.mu.Unlock()
	assert.Regexp(t, `^ADHRVFR040526153000_[0-9a-f]{7}$`, rid)
	if i := strings.Index(body, `"meta":{"request_id":"`); assert.True(t, i > 0) {
		uuid = body[i+len(`"meta":{"request_id":"`):][:36]
	}
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, uuid)
	assert.JSONEq(t, `{"status_code":200,"status":"success","message":"Successfully generated One Time Password (OTP).",
		"data":{"request_id":"`+rid+`","aadhaar":"`+testAadhaar+`","status":"pending"},"meta":{"request_id":"`+uuid+`","time":"2026-05-04T10:00:00+00:00"}}`, body)

	otp, found := s.OTP(rid)
	require.True(t, found)
	assert.Regexp(t, `^[0-9]{6}$`, otp)
	_, found = s.OTP("ADHRnope")
	assert.False(t, found)
	wrong := "000000"
	if otp == wrong {
		wrong = "111111"
	}

	_, body = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A1"}, "aadhaar_number": {testAadhaar}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Duplicate Order ID"}`, body)
	_, body = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A2"}, "aadhaar_number": {"12345678901"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid Aadhaar number"}`, body)

	verify := func(rid, otp string) string {
		_, b := rawPost(t, s, inexopay.EndpointVerifyOTP, url.Values{"orderid": {"A1"}, "request_id": {rid}, "otp": {otp}, "aadhaar_number": {testAadhaar}})
		return b
	}
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid OTP. 1 attempt(s) remaining"}`, verify(rid, wrong))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid request_id"}`, verify("ADHRnope", otp))
	body = verify(rid, otp)
	assert.Contains(t, body, `"meta":{"request_id":"`)
	assert.JSONEq(t, `{"status_code":200,"status":"success","message":"Aadhaar verification successful","data":{"request_id":"`+rid+`",
		"status":"verified","aadhaar_details":{"full_name":"Sandbox Holder","dob":"01-01-1990","gender":"Male",
		"address":"12 Test Lane, Connaught Place, New Delhi, Delhi, 110001"}},"meta":`+body[strings.Index(body, `"meta":`)+7:len(body)-1]+`}`, body)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"OTP already verified for this request"}`, verify(rid, otp))

	// Wrong tries exhaust the request: even the right OTP is refused then.
	_, _ = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A3"}, "aadhaar_number": {testAadhaar}})
	s.mu.Lock()
	rid3 := s.st.otpOrders[idKey("A3")].requestID
	s.mu.Unlock()
	otp3, _ := s.OTP(rid3)
	wrong3 := "000000"
	if otp3 == wrong3 {
		wrong3 = "111111"
	}
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid OTP. 1 attempt(s) remaining"}`, verify(rid3, wrong3))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Maximum OTP attempts exceeded, please request a new OTP"}`, verify(rid3, wrong3))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Maximum OTP attempts exceeded, please request a new OTP"}`, verify(rid3, otp3))

	// Expiry: valid just before the TTL, expired at it.
	_, _ = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A4"}, "aadhaar_number": {testAadhaar}})
	s.mu.Lock()
	rid4 := s.st.otpOrders[idKey("A4")].requestID
	s.mu.Unlock()
	otp4, _ := s.OTP(rid4)
	clk.Advance(5 * time.Minute)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"OTP expired, please request a new OTP"}`, verify(rid4, otp4))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid OTP format, 6 digits required"}`, verify(rid4, "12345"))
}
