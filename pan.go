package inexopay

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/htmlform"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// PANMode is the KYC mode of a PAN application.
type PANMode string

// The PAN KYC modes.
const (
	PANModeEKYC  PANMode = "EKYC"
	PANModeESign PANMode = "ESIGN"
)

// PANType says whether a PAN application is for a new PAN or a correction.
type PANType string

// The PAN application types.
const (
	PANTypeNew        PANType = "new_pan"
	PANTypeCorrection PANType = "correction"
)

// PANRequestParams describe a PAN application for [PANService.Request].
type PANRequestParams struct {
	Mobile    string  `mask:"mobile"`
	OrderID   string  // your unique id for the application (see NewOrderID).
	Mode      PANMode // any case
	Type      PANType // any case
	ReturnURL string  // the browser and webhooks go here; put no secret in it
}

// panRequestForm is the form PAN.Request posts.
type panRequestForm struct {
	Mobile    string `url:"number"`
	OrderID   string `url:"orderid"`
	Mode      string `url:"pan_mode"`
	Type      string `url:"pan_type"`
	ReturnURL string `url:"return_url,omitempty"`
}

func (p *PANRequestParams) form(v checker) (*panRequestForm, error) {
	if p == nil {
		return nil, nilParams("PANRequestParams")
	}
	f := &panRequestForm{
		Mobile: validate.NormalizeMobile(p.Mobile), OrderID: validate.Trim(p.OrderID),
		Mode: validate.NormalizeUpper(string(p.Mode)), Type: validate.NormalizeLower(string(p.Type)),
		ReturnURL: validate.Trim(p.ReturnURL),
	}
	v.required("Mobile", f.Mobile, validate.Mobile)
	v.required("OrderID", f.OrderID, validate.ID)
	v.oneOf("Mode", f.Mode != "", PANMode(f.Mode) == PANModeEKYC || PANMode(f.Mode) == PANModeESign,
		"must be PANModeEKYC or PANModeESign")
	v.oneOf("Type", f.Type != "", PANType(f.Type) == PANTypeNew || PANType(f.Type) == PANTypeCorrection,
		"must be PANTypeNew or PANTypeCorrection")
	v.optional("ReturnURL", f.ReturnURL, validate.URL)
	return f, v.result()
}

// Validate reports every bad field of p in one [*ValidationError].
func (p *PANRequestParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// Format prints p for every fmt verb, masking the mobile.
func (p PANRequestParams) Format(s fmt.State, verb rune) { redact.Format(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p PANRequestParams) LogValue() slog.Value { return redact.LogValue(p) }

// PANApplication is a started application: send the browser to URL or Form.
type PANApplication struct {
	TxID    string
	URL     string `mask:"url"` // prints with its query masked (it may carry a session token).
	Form    *RedirectForm
	Mobile  string `mask:"mobile"`
	OrderID string
	Message string
}

// Format prints a for every fmt verb, masking the mobile and the URL's query.
func (a PANApplication) Format(s fmt.State, verb rune) { redact.Format(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a PANApplication) LogValue() slog.Value { return redact.LogValue(a) }

// Request files a PAN application, charging its fee. On [ErrOutcomeUnknown], call Status with the
// same order id before trying again.
func (s *PANService) Request(ctx context.Context, params *PANRequestParams, opts ...CallOption) (*PANApplication, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	w := panAnswer{order: f.OrderID}
	if err := s.c.do(ctx, EndpointPANRequest, f.OrderID, f, &w, opts); err != nil {
		return nil, err
	}
	return panApplication(EndpointPANRequest, f.OrderID, &w)
}

func panApplication(e Endpoint, orderID string, w *panAnswer) (*PANApplication, error) {
	if w.form != nil {
		return &PANApplication{URL: w.form.Action, Form: w.form, OrderID: orderID}, nil
	}
	return &PANApplication{TxID: wire.TrimID(string(w.Data.TxID)), URL: string(w.Data.URL),
		Mobile: string(w.Data.Number), OrderID: orderID, Message: string(w.Message)}, nil
}

// PANStatus is the state of a PAN application. See docs/outcomes.md.
type PANStatus struct {
	OrderID    string
	Reference  string
	Mobile     string `mask:"mobile"`
	Amount     Amount
	DateTime   time.Time
	Status     Status
	TxID       string
	OperatorID string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Message    string
	Data       PANStatusData // the data member; Conflicts: see docs/outcomes.md
	Conflicts  []string
}

// PANStatusData holds the data member of a PAN status answer as given.
type PANStatusData struct {
	OrderID string
	Mobile  string `mask:"mobile"`
	Amount  Amount
}

// Format prints d for every fmt verb, masking the mobile.
func (d PANStatusData) Format(s fmt.State, verb rune) { redact.Format(s, verb, d) }

// LogValue implements [slog.LogValuer] with the same masking.
func (d PANStatusData) LogValue() slog.Value { return redact.LogValue(d) }

// Format prints st for every fmt verb, masking the mobile.
func (st PANStatus) Format(s fmt.State, verb rune) { redact.Format(s, verb, st) }

// LogValue implements [slog.LogValuer] with the same masking.
func (st PANStatus) LogValue() slog.Value { return redact.LogValue(st) }

// Status returns a PAN application's state. It fails with a [*ValidationError], an [*APIError], or
// [ErrServer] for an answer about another order.
func (s *PANService) Status(ctx context.Context, orderID string, opts ...CallOption) (*PANStatus, error) {
	orderID, err := s.c.orderIDArg(orderID)
	if err != nil {
		return nil, err
	}
	var w wire.PANStatus
	if err := s.c.do(ctx, EndpointPANStatus, orderID, &orderForm{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	st := &PANStatus{
		OrderID:   wire.TrimID(string(w.OrderID)),
		Reference: string(w.Reference),
		Mobile:    string(w.Number),
		Amount:    Amount(w.Amount.Val),
		DateTime:  time.Time(w.DateTime),
		Message:   string(w.Message),
	}
	if d := w.Data; d != nil {
		st.Status = ParseStatus(string(d.Status))
		st.TxID = wire.TrimID(string(d.TxID))
		st.OperatorID = string(d.OpID)
		st.CreatedAt, st.UpdatedAt = time.Time(d.CreatedAt), time.Time(d.UpdatedAt)
		st.Data = PANStatusData{OrderID: wire.TrimID(string(d.OrderID)), Mobile: string(d.Number), Amount: Amount(d.Amount.Val)}
		// The order ids of both levels were checked against the order asked (ignoring ASCII case
		// and spaces) before the answer was accepted.
		if st.Mobile != "" && st.Data.Mobile != "" && st.Mobile != st.Data.Mobile {
			st.Conflicts = append(st.Conflicts, "number")
		}
		// An amount of 0 is one; null or "" is none (wire.OptPaise).
		if w.Amount.Set && d.Amount.Set && st.Amount != st.Data.Amount {
			st.Conflicts = append(st.Conflicts, "amount")
		}
		st.OrderID = answeredOrder(st.OrderID, string(d.OrderID))
		if st.Mobile == "" {
			st.Mobile = string(d.Number)
		}
		if !w.Amount.Set {
			st.Amount = Amount(d.Amount.Val)
		}
		if st.Reference == "" {
			st.Reference = string(d.OpID)
		}
	}
	st.OrderID = answeredOrder(st.OrderID, orderID)
	return st, nil
}

// Resume returns a fresh URL for an incomplete application, like Request.
func (s *PANService) Resume(ctx context.Context, orderID string, opts ...CallOption) (*PANApplication, error) {
	orderID, err := s.c.orderIDArg(orderID)
	if err != nil {
		return nil, err
	}
	w := panAnswer{order: orderID}
	if err := s.c.do(ctx, EndpointPANResume, orderID, &orderForm{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	return panApplication(EndpointPANResume, orderID, &w)
}

// WaitForCompletion polls Status until final, like WaitForPayment.
func (s *PANService) WaitForCompletion(ctx context.Context, orderID string, opts ...CallOption) (*PANStatus, error) {
	return pollUntilFinal(ctx, EndpointPANStatus, orderID, opts,
		s.Status, func(p *PANStatus) Status { return p.Status })
}

// panAnswer is the answer of PAN.Request and PAN.Resume: the JSON document, or the form of an HTML
// page.
type panAnswer struct {
	wire.PANApplication
	form  *RedirectForm
	keys  redact.Set // the call's secrets: a page must not carry its credentials
	order string     // the order asked: a form must be about it
}

func (a *panAnswer) setKeys(set redact.Set) { a.keys = set }

// DecodeHTML keeps the form of an HTML answer, or returns the error the
// page amounts to (answer.HTMLDecoder): a page holding the API key, an
// answer with a Refresh header, a page without a usable form (see
// htmlform.Parse), or a form about another order.
func (a *panAnswer) DecodeHTML(e Endpoint, resp *http.Response, body []byte) *APIError {
	var reqURL *url.URL
	if resp.Request != nil {
		reqURL = resp.Request.URL
	}
	var form *htmlform.Form
	refusal := pageCarriesKey(body, a.keys)
	if refusal == nil && len(resp.Header.Values("Refresh")) > 0 {
		refusal = &htmlform.Refusal{Reason: "HTML answer refused: its Refresh header sends the browser elsewhere by itself: cannot tell where the applicant goes"}
	}
	if refusal == nil {
		form, refusal = htmlform.Parse(body, reqURL, apiBases...)
	}
	if refusal == nil {
		refusal = formAboutOtherOrder(form, a.order)
	}
	if refusal == nil {
		a.form = &RedirectForm{Action: form.Action, Method: form.Method, Enctype: form.Enctype, Fields: form.Fields}
		return nil
	}
	ae := apierr.MarkServer(&APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e,
		ContentType: resp.Header.Get("Content-Type"), Message: refusal.Reason}, false, false)
	if refusal.ShowPage {
		// No form at all: the page's text says more than the reason.
		answer.SetSnippet(ae, body)
	}
	return ae
}
