package inexopay

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/upi"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// GenerateQRParams ask for a UPI QR to load the wallet.
type GenerateQRParams struct {
	Amount    Amount // must be positive (the API may set a minimum).
	ReturnURL string // gets this load's webhooks; see docs/outcomes.md
}

// generateQRForm is the form Wallet.GenerateQR posts.
type generateQRForm struct {
	Amount    string `url:"amount"`
	ReturnURL string `url:"return_url,omitempty"`
}

func (p *GenerateQRParams) form(v checker) (*generateQRForm, error) {
	if p == nil {
		return nil, nilParams("GenerateQRParams")
	}
	f := &generateQRForm{ReturnURL: validate.Trim(p.ReturnURL)}
	if p.Amount != 0 {
		f.Amount = p.Amount.FormValue()
	}
	v.oneOf("Amount", p.Amount != 0, p.Amount > 0, "must be greater than zero")
	if p.Amount > MaxAmount {
		v.fail("Amount", "must be at most "+MaxAmount.String()+" rupees (MaxAmount)")
	}
	v.optional("ReturnURL", f.ReturnURL, validate.URL)
	return f, v.result()
}

// Validate reports every bad field of p in one [*ValidationError].
func (p *GenerateQRParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// WalletQR is a wallet load awaiting payment: show QRURL or open UPIString.
type WalletQR struct {
	OrderID           string
	Amount            Amount
	QRURL             string `mask:"url"` // query masked when printed
	UPIID             string
	AccountHolderName string
	UPIString         string `mask:"url"` // query masked when printed
	Status            Status
	Message           string
}

// Format prints q for every fmt verb, masking the URLs' queries.
func (q WalletQR) Format(s fmt.State, verb rune) { redact.Format(s, verb, q) }

// LogValue implements [slog.LogValuer] with the same masking.
func (q WalletQR) LogValue() slog.Value { return redact.LogValue(q) }

// GenerateQR creates a wallet load and its UPI QR. It fails with a [*ValidationError],
// [ErrBadRequest] or [ErrOutcomeUnknown] (then generate a new one).
func (s *WalletService) GenerateQR(ctx context.Context, params *GenerateQRParams, opts ...CallOption) (*WalletQR, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.WalletQR
	if err := s.c.doAsked(ctx, EndpointGenerateQR, wire.Asked{Paise: wire.Paise(params.Amount)}, f, &w, opts); err != nil {
		return nil, err
	}
	d := w.Data
	return &WalletQR{
		OrderID:           string(d.OrderID),
		Amount:            Amount(d.Amount),
		QRURL:             string(d.QRURL),
		UPIID:             string(d.UPIID),
		AccountHolderName: string(d.AccountHolderName),
		UPIString:         string(d.TxString),
		// data.status said the load started (else the call failed): it
		// waits for its payment.
		Status:  StatusPending,
		Message: string(w.Message),
	}, nil
}

// WalletPayment is the state of a wallet load. See docs/outcomes.md.
type WalletPayment struct {
	OrderID    string
	Amount     Amount
	Status     Status    // StatusPending, StatusSuccess, StatusFailed or StatusRefund.
	DateTime   time.Time // when the state last changed (zone-less, read as IST).
	Bank       string
	Mode       string
	Remark     string
	NewBalance Amount
	Message    string
}

type walletOrderForm struct {
	OrderID string `url:"order_id"`
}

// PaymentStatus returns a wallet load's state. It fails with a [*ValidationError], [ErrNotFound],
// or [ErrServer] for an answer about another order.
func (s *WalletService) PaymentStatus(ctx context.Context, orderID string, opts ...CallOption) (*WalletPayment, error) {
	orderID, err := s.c.orderIDArg(orderID)
	if err != nil {
		return nil, err
	}
	var w wire.WalletPayment
	if err := s.c.do(ctx, EndpointPaymentStatus, orderID, &walletOrderForm{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	d := w.Data
	return &WalletPayment{
		OrderID:    answeredOrder(string(d.OrderID), orderID),
		Amount:     Amount(d.Amount.Val),
		Status:     ParseStatus(string(d.Status)),
		DateTime:   time.Time(d.DateTime),
		Bank:       string(d.Bank),
		Mode:       string(d.Mode),
		Remark:     string(d.Remark),
		NewBalance: Amount(d.NewBalance),
		Message:    string(w.Message),
	}, nil
}

// WaitForPayment polls PaymentStatus until final. When ctx ends first it returns the last payment
// seen with ctx's error. See docs/outcomes.md.
func (s *WalletService) WaitForPayment(ctx context.Context, orderID string, opts ...CallOption) (*WalletPayment, error) {
	return pollUntilFinal(ctx, EndpointPaymentStatus, orderID, opts,
		s.PaymentStatus, func(p *WalletPayment) Status { return p.Status })
}

// UPIPayment is a upi://pay payment link. See docs/outcomes.md.
type UPIPayment struct {
	PayeeVPA     string
	PayeeName    string
	Amount       Amount
	Currency     string
	Note         string
	Reference    string
	MerchantCode string
	Raw          url.Values // every query parameter as sent, also those without a field.
}

// ParseUPI parses a upi://pay link, or fails with a [*ValidationError].
func ParseUPI(s string) (*UPIPayment, error) {
	l, err := upi.Parse(s, int64(MaxAmount))
	if err != nil {
		return nil, err
	}
	v := l.Values
	return &UPIPayment{PayeeVPA: v["pa"], PayeeName: v["pn"], Amount: Amount(l.Paise), Currency: v["cu"],
		Note: v["tn"], Reference: v["tr"], MerchantCode: v["mc"], Raw: l.Raw}, nil
}

// String encodes p as a upi://pay link, without validating it.
func (p *UPIPayment) String() string {
	if p == nil {
		return ""
	}
	v := map[string]string{"pa": p.PayeeVPA, "pn": p.PayeeName, "mc": p.MerchantCode,
		"cu": p.Currency, "tn": p.Note, "tr": p.Reference}
	if p.Amount != 0 {
		v["am"] = p.Amount.FormValue()
	}
	return upi.Encode(v, p.Raw)
}

// UPI parses UPIString; it fails like [ParseUPI] or when it differs from the QR.
func (q *WalletQR) UPI() (*UPIPayment, error) {
	if q == nil {
		return nil, &ValidationError{Field: "WalletQR", Reason: "must not be nil"}
	}
	p, err := ParseUPI(q.UPIString)
	if err != nil {
		return nil, err
	}
	if q.Amount != 0 && p.Amount != q.Amount {
		return nil, upi.Error("am " + p.Amount.String() + " differs from the QR amount " + q.Amount.String())
	}
	if q.UPIID != "" && !strings.EqualFold(p.PayeeVPA, q.UPIID) {
		return nil, upi.Error("pa differs from the QR's UPI id")
	}
	return p, nil
}
