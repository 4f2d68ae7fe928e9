package inexopay

import (
	"context"
	"log/slog"
	"time"

	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// PANService files and tracks NSDL PAN applications. Request and Resume
// charge or create and are never retried once they may have reached the
// API; Status is read-only and retried.
type PANService struct{ c *Client }

// PANRequestParams describe a PAN application for PAN.Request. Every field
// but ReturnURL is required.
type PANRequestParams struct {
	// Mobile is the applicant's mobile, 10 digits starting 6-9 (sent as
	// "number").
	Mobile string `url:"number" mask:"mobile"`
	// OrderID is your unique id for the application.
	OrderID string `url:"orderid"`
	// Mode is the KYC mode, PANModeEKYC or PANModeESign, sent as pan_mode;
	// any other value fails Validate.
	Mode PANMode `url:"pan_mode"`
	// Type is PANTypeNew or PANTypeCorrection, sent as pan_type; any other
	// value fails Validate.
	Type PANType `url:"pan_type"`
	// ReturnURL, when set, is where the applicant is sent afterwards and
	// where INEXOPAY posts this application's status webhooks.
	ReturnURL string `url:"return_url,omitempty"`
}

// Validate reports the first missing or malformed field, or a nil p, as a
// *ValidationError.
func (p *PANRequestParams) Validate() error {
	if p == nil {
		return nilParams("PANRequestParams")
	}
	var v checker
	v.required("Mobile", p.Mobile, validate.Mobile)
	v.required("OrderID", p.OrderID, orderID)
	if p.Mode != PANModeEKYC && p.Mode != PANModeESign {
		v.fail("Mode", "must be PANModeEKYC or PANModeESign")
	}
	if p.Type != PANTypeNew && p.Type != PANTypeCorrection {
		v.fail("Type", "must be PANTypeNew or PANTypeCorrection")
	}
	v.optional("ReturnURL", p.ReturnURL, validate.URL)
	return v.result()
}

// String prints p with the mobile masked.
func (p PANRequestParams) String() string { return maskedText(p) }

// GoString is String in Go syntax, so that %#v masks too.
func (p PANRequestParams) GoString() string { return maskedGoString(p) }

// LogValue implements slog.LogValuer: p as a group of its fields, with
// the mobile masked.
func (p PANRequestParams) LogValue() slog.Value { return maskedLogValue(p) }

// PANApplication is a started PAN application: send the applicant to URL.
type PANApplication struct {
	// TxID is the API's data.txid, the portal's transaction id, such as
	// "50089349".
	TxID string
	// URL is the API's data.url, the NSDL page at which the applicant
	// completes the application; empty when the API omitted it.
	URL string
	// Mobile is the applicant's mobile as the API echoed it (data.number);
	// empty when the API omitted it, as Resume's answer does. It is masked
	// when the application is printed or logged.
	Mobile string `mask:"mobile"`
	// OrderID is the API's data.orderid, your order id for the application.
	OrderID string
}

// String prints a with the mobile masked.
func (a PANApplication) String() string { return maskedText(a) }

// GoString is String in Go syntax, so that %#v masks too.
func (a PANApplication) GoString() string { return maskedGoString(a) }

// LogValue implements slog.LogValuer: a as a group of its fields, with
// the mobile masked.
func (a PANApplication) LogValue() slog.Value { return maskedLogValue(a) }

// Request files a PAN application, charging its fee from the API balance.
// It fails with a *ValidationError before sending, with
// ErrInsufficientBalance when the balance cannot pay, with an *APIError for
// other refusals (also when the API answers with an HTML page instead of
// JSON), and with ErrOutcomeUnknown when the answer was lost or a success
// answer lacked its data: then call Status with the same order id before
// trying again.
func (s *PANService) Request(ctx context.Context, params *PANRequestParams, opts ...CallOption) (*PANApplication, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	var w wire.PANApplication
	if err := s.c.do(ctx, EndpointPANRequest, params.OrderID, params, &w, opts); err != nil {
		return nil, err
	}
	return panApplication(EndpointPANRequest, params.OrderID, &w)
}

func panApplication(e Endpoint, orderID string, w *wire.PANApplication) (*PANApplication, error) {
	if w.Data == nil {
		return nil, missingData(e, orderID)
	}
	return &PANApplication{TxID: string(w.Data.TxID), URL: string(w.Data.URL),
		Mobile: string(w.Data.Number), OrderID: string(w.Data.OrderID)}, nil
}

// PANStatus is the state of a PAN application.
type PANStatus struct {
	// OrderID is the API's order_id (or data.orderid when that is absent),
	// your order id for the application.
	OrderID string
	// Reference is the API's reference, such as "OPB5020WJ7TM" (or
	// data.opid when that is absent); empty while the portal has none.
	Reference string
	// Mobile is the applicant's mobile as the API sent it (number, or
	// data.number). It is masked when the status is printed or logged.
	Mobile string `mask:"mobile"`
	// Amount is the fee charged, in paise (the API's amount, or data.amount
	// when that is absent or zero).
	Amount Amount
	// DateTime is the API's date_time; the API sends it without a zone, so
	// it is read as IST. Zero when absent.
	DateTime time.Time
	// Status is the API's data.status normalised to lower case
	// ("Success" becomes StatusSuccess; also StatusPending, StatusFailed,
	// StatusRefund); empty when the answer had no data member.
	Status Status
	// TxID is the API's data.txid, the portal's transaction id; empty when
	// the answer had no data member.
	TxID string
	// OperatorID is the portal's reference (the API's opid).
	OperatorID string
	// CreatedAt is the API's data.created_at (zone-less, read as IST); zero
	// when absent.
	CreatedAt time.Time
	// UpdatedAt is the API's data.updated_at (zone-less, read as IST); zero
	// when absent.
	UpdatedAt time.Time
}

// String prints s with the mobile masked.
func (st PANStatus) String() string { return maskedText(st) }

// GoString is String in Go syntax, so that %#v masks too.
func (st PANStatus) GoString() string { return maskedGoString(st) }

// LogValue implements slog.LogValuer: st as a group of its fields, with
// the mobile masked.
func (st PANStatus) LogValue() slog.Value { return maskedLogValue(st) }

// Status returns the state of a PAN application. It fails with a
// *ValidationError for an empty or malformed order id and with an *APIError
// when the API does not know the order.
func (s *PANService) Status(ctx context.Context, orderID string, opts ...CallOption) (*PANStatus, error) {
	var v checker
	v.required("OrderID", orderID, validate.OrderID)
	if err := v.result(); err != nil {
		return nil, err
	}
	var w wire.PANStatus
	if err := s.c.do(ctx, EndpointPANStatus, orderID, &orderParams{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	st := &PANStatus{
		OrderID:   string(w.OrderID),
		Reference: string(w.Reference),
		Mobile:    string(w.Number),
		Amount:    Amount(w.Amount),
		DateTime:  time.Time(w.DateTime),
	}
	if d := w.Data; d != nil {
		st.Status = ParseStatus(string(d.Status))
		st.TxID = string(d.TxID)
		st.OperatorID = string(d.OpID)
		st.CreatedAt, st.UpdatedAt = time.Time(d.CreatedAt), time.Time(d.UpdatedAt)
		if st.OrderID == "" {
			st.OrderID = string(d.OrderID)
		}
		if st.Mobile == "" {
			st.Mobile = string(d.Number)
		}
		if st.Amount == 0 {
			st.Amount = Amount(d.Amount)
		}
		if st.Reference == "" {
			st.Reference = string(d.OpID)
		}
	}
	return st, nil
}

// Resume returns a fresh URL for an incomplete PAN application. It fails
// with a *ValidationError for an empty or malformed order id, with
// ErrBadRequest when the application cannot be resumed ("URL Expired,
// please try again with a new request"), and with ErrOutcomeUnknown when
// the answer was lost or a success answer lacked its data.
func (s *PANService) Resume(ctx context.Context, orderID string, opts ...CallOption) (*PANApplication, error) {
	var v checker
	v.required("OrderID", orderID, validate.OrderID)
	if err := v.result(); err != nil {
		return nil, err
	}
	var w wire.PANApplication
	if err := s.c.do(ctx, EndpointPANResume, orderID, &orderParams{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	return panApplication(EndpointPANResume, orderID, &w)
}
