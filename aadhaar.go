package inexopay

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// AadhaarStatus is the lower-cased state of an Aadhaar OTP check.
type AadhaarStatus string

// The verification states the API documents.
const (
	AadhaarPending  AadhaarStatus = "pending"
	AadhaarVerified AadhaarStatus = "verified"
)

// Verified reports whether s is AadhaarVerified.
func (s AadhaarStatus) Verified() bool { return s == AadhaarVerified }

// SendOTPParams ask for an OTP for an Aadhaar number. See docs/outcomes.md.
type SendOTPParams struct {
	OrderID       string
	AadhaarNumber string `mask:"aadhaar"`
}

// sendOTPForm is the form Aadhaar.SendOTP posts.
type sendOTPForm struct {
	OrderID       string `url:"orderid"`
	AadhaarNumber string `url:"aadhaar_number"`
}

func (p *SendOTPParams) form(v checker) (*sendOTPForm, error) {
	if p == nil {
		return nil, nilParams("SendOTPParams")
	}
	f := &sendOTPForm{OrderID: validate.Trim(p.OrderID), AadhaarNumber: validate.NormalizeAadhaar(p.AadhaarNumber)}
	v.required("OrderID", f.OrderID, validate.ID)
	v.required("AadhaarNumber", f.AadhaarNumber, validate.Aadhaar)
	return f, v.result()
}

// Validate reports every bad field of p in one [*ValidationError].
func (p *SendOTPParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// Format prints p for every fmt verb, masking the Aadhaar number.
func (p SendOTPParams) Format(s fmt.State, verb rune) { redact.Format(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p SendOTPParams) LogValue() slog.Value { return redact.LogValue(p) }

// AadhaarOTP is a sent OTP: pass RequestID to VerifyOTP. See docs/outcomes.md.
type AadhaarOTP struct {
	RequestID    string `mask:"id"`
	Status       AadhaarStatus
	Message      string
	AadhaarLast4 string
	TraceID      string
	Time         time.Time
}

// Format prints o for every fmt verb, masking the request id.
func (o AadhaarOTP) Format(s fmt.State, verb rune) { redact.Format(s, verb, o) }

// LogValue implements [slog.LogValuer] with the same masking.
func (o AadhaarOTP) LogValue() slog.Value { return redact.LogValue(o) }

// SendOTP sends an OTP to the Aadhaar holder's mobile. It fails with a [*ValidationError], an
// [*APIError] or [ErrOutcomeUnknown].
func (s *AadhaarService) SendOTP(ctx context.Context, params *SendOTPParams, opts ...CallOption) (*AadhaarOTP, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.AadhaarOTP
	if err := s.c.doAsked(ctx, EndpointSendOTP, wire.Asked{OrderID: f.OrderID, Aadhaar: f.AadhaarNumber}, f, &w, opts); err != nil {
		return nil, err
	}
	o := &AadhaarOTP{
		RequestID: string(w.Data.RequestID),
		// data.status said the OTP was sent (else the call failed): it
		// waits for its check.
		Status:  AadhaarPending,
		Message: redact.String(string(w.Message), string(w.Data.Aadhaar)),
	}
	if a := strings.TrimSpace(string(w.Data.Aadhaar)); len(a) >= 4 {
		o.AadhaarLast4 = a[len(a)-4:]
	}
	if m := w.Meta; m.Set {
		o.TraceID, o.Time = wire.TrimID(string(m.V.RequestID)), time.Time(m.V.Time)
	}
	return o, nil
}

// VerifyOTPParams submit the OTP with SendOTP's RequestID and AadhaarNumber.
type VerifyOTPParams struct {
	OrderID       string
	RequestID     string `mask:"id"`
	OTP           string `mask:"otp"`
	AadhaarNumber string `mask:"aadhaar"`
}

// verifyOTPForm is the form Aadhaar.VerifyOTP posts.
type verifyOTPForm struct {
	OrderID       string `url:"orderid"`
	RequestID     string `url:"request_id"`
	OTP           string `url:"otp"`
	AadhaarNumber string `url:"aadhaar_number"`
}

func (p *VerifyOTPParams) form(v checker) (*verifyOTPForm, error) {
	if p == nil {
		return nil, nilParams("VerifyOTPParams")
	}
	f := &verifyOTPForm{OrderID: validate.Trim(p.OrderID), RequestID: validate.Trim(p.RequestID),
		OTP: validate.NormalizeDigits(p.OTP), AadhaarNumber: validate.NormalizeAadhaar(p.AadhaarNumber)}
	v.required("OrderID", f.OrderID, validate.ID)
	v.required("RequestID", f.RequestID, validate.ID)
	v.required("OTP", f.OTP, validate.OTP)
	v.required("AadhaarNumber", f.AadhaarNumber, validate.Aadhaar)
	return f, v.result()
}

// Validate reports every bad field of p in one [*ValidationError].
func (p *VerifyOTPParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// Format prints p for every fmt verb, masking the fields tagged mask.
func (p VerifyOTPParams) Format(s fmt.State, verb rune) { redact.Format(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p VerifyOTPParams) LogValue() slog.Value { return redact.LogValue(p) }

// AadhaarDetails are the holder's details, personal data that print masked.
type AadhaarDetails struct {
	FullName string `mask:"personal"`
	DOB      string `mask:"personal"`
	Gender   string
	Address  string `mask:"personal"`
}

// Format prints d for every fmt verb, masking the fields tagged mask.
func (d AadhaarDetails) Format(s fmt.State, verb rune) { redact.Format(s, verb, d) }

// LogValue implements [slog.LogValuer] with the same masking.
func (d AadhaarDetails) LogValue() slog.Value { return redact.LogValue(d) }

// AadhaarVerification is the result of a verified OTP. See docs/outcomes.md.
type AadhaarVerification struct {
	RequestID string `mask:"id"`
	Status    AadhaarStatus
	Message   string
	Details   AadhaarDetails
	TraceID   string
	Time      time.Time
}

// Format prints v for every fmt verb, masking the fields tagged mask.
func (v AadhaarVerification) Format(s fmt.State, verb rune) { redact.Format(s, verb, v) }

// LogValue implements [slog.LogValuer] with the same masking.
func (v AadhaarVerification) LogValue() slog.Value { return redact.LogValue(v) }

// VerifyOTP checks the OTP; a wrong or expired one is [ErrBadRequest].
func (s *AadhaarService) VerifyOTP(ctx context.Context, params *VerifyOTPParams, opts ...CallOption) (*AadhaarVerification, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.AadhaarVerification
	if err := s.c.doAsked(ctx, EndpointVerifyOTP, wire.Asked{OrderID: f.OrderID, RequestID: f.RequestID,
		Aadhaar: f.AadhaarNumber}, f, &w, opts); err != nil {
		return nil, err
	}
	v := &AadhaarVerification{
		RequestID: wire.TrimID(string(w.Data.RequestID)),
		Status:    AadhaarStatus(ParseStatus(string(w.Data.Status))),
		Message:   string(w.Message),
	}
	if d := w.Data.Details; d.Set {
		v.Details = AadhaarDetails{FullName: string(d.V.FullName), DOB: string(d.V.DOB), Gender: string(d.V.Gender),
			Address: string(d.V.Address)}
	}
	if m := w.Meta; m.Set {
		v.TraceID, v.Time = wire.TrimID(string(m.V.RequestID)), time.Time(m.V.Time)
	}
	return v, nil
}
