// Handlers of the Aadhaar endpoints: sending and verifying OTPs.

package inexopaytest

import (
	"crypto/subtle"
	"fmt"
	"time"
)

func (s *Server) hSendOTP(c *call) reply {
	f := c.form
	if m := missing(f, "orderid", "aadhaar_number"); m != "" {
		return bad(styleCode, missingMsg(m))
	}
	orderID, number := arg(c, "orderid"), arg(c, "aadhaar_number")
	if !okID(orderID) {
		return bad(styleCode, "Invalid orderid")
	}
	if !okAadhaar(number) {
		return bad(styleCode, "Invalid Aadhaar number")
	}
	if s.st.otpOrders[idKey(orderID)] != nil {
		return bad(styleCode, MsgDuplicateOrderID)
	}
	o := &otpRequest{
		requestID: s.st.newRequestID(c.now), orderID: orderID, aadhaar: number,
		otp: randomFrom(digitChars, 6), expires: c.now.Add(s.cfg.otpTTL),
		left: s.cfg.maxOTPAttempts, state: "pending",
	}
	s.st.otps[o.requestID] = o
	s.st.otpOrders[idKey(orderID)] = o
	return ok(obj{
		{"status_code", 200}, {"status", "success"},
		{"message", "Successfully generated One Time Password (OTP)."},
		{"data", obj{{"request_id", o.requestID}, {"aadhaar", number}, {"status", "pending"}}},
		{"meta", meta(c.now)},
	})
}

func meta(now time.Time) obj {
	return obj{{"request_id", newUUID()}, {"time", now.UTC().Format(layoutMeta)}}
}

func (s *Server) hVerifyOTP(c *call) reply {
	f := c.form
	if m := missing(f, "orderid", "request_id", "otp", "aadhaar_number"); m != "" {
		return bad(styleCode, missingMsg(m))
	}
	otp, number := arg(c, "otp"), arg(c, "aadhaar_number")
	if !okOTP(otp) {
		return bad(styleCode, "Invalid OTP format, 6 digits required")
	}
	if !okAadhaar(number) {
		return bad(styleCode, "Invalid Aadhaar number")
	}
	o := s.st.otps[arg(c, "request_id")]
	if o == nil {
		return bad(styleCode, MsgInvalidRequestID)
	}
	if subtle.ConstantTimeCompare([]byte(number), []byte(o.aadhaar)) != 1 {
		return bad(styleCode, "Aadhaar number does not match this request")
	}
	switch o.state {
	case "verified":
		return bad(styleCode, MsgOTPAlreadyVerified)
	case "dead":
		return bad(styleCode, MsgOTPAttemptsExceeded)
	}
	if !c.now.Before(o.expires) {
		return bad(styleCode, MsgOTPExpired)
	}
	if subtle.ConstantTimeCompare([]byte(otp), []byte(o.otp)) != 1 {
		o.left--
		if o.left <= 0 {
			o.state = "dead"
			return bad(styleCode, MsgOTPAttemptsExceeded)
		}
		return bad(styleCode, fmt.Sprintf("Invalid OTP. %d attempt(s) remaining", o.left))
	}
	o.state = "verified"
	h := AadhaarHolder()
	return ok(obj{
		{"status_code", 200}, {"status", "success"}, {"message", "Aadhaar verification successful"},
		{"data", obj{
			{"request_id", o.requestID}, {"status", "verified"},
			{"aadhaar_details", obj{{"full_name", h.FullName}, {"dob", h.DOB}, {"gender", h.Gender}, {"address", h.Address}}},
		}},
		{"meta", meta(c.now)},
	})
}
