package inexopay

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// WalletService loads your API wallet by UPI QR. GenerateQR is never
// retried once it may have reached the API; PaymentStatus is read-only and
// retried.
type WalletService struct{ c *Client }

// GenerateQRParams ask for a UPI QR to load the wallet.
type GenerateQRParams struct {
	// Amount must be positive (the API may set a minimum).
	Amount Amount
	// ReturnURL, when set, receives this load's webhooks instead of your
	// global URL; a reference of your own in its query is the one way to
	// recognise a load whose answer was lost (see GenerateQR).
	ReturnURL string
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

// Validate reports every missing or malformed field of p in one
// [*ValidationError]; it never changes p.
func (p *GenerateQRParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// WalletQR is a wallet load order awaiting payment: show QRURL (an image)
// or open UPIString (the upi://pay link it encodes) in a UPI app, then
// check PaymentStatus with OrderID (INEXOPAY's, such as "WAL1234567890123").
// UPIID and AccountHolderName are the payee; Status is StatusPending.
type WalletQR struct {
	OrderID string
	Amount  Amount
	// QRURL and UPIString print with their query masked, like every URL
	// of a result; the fields keep their values.
	QRURL             string `mask:"url"`
	UPIID             string
	AccountHolderName string
	UPIString         string `mask:"url"`
	Status            Status
	Message           string
}

// Format prints q for every fmt verb, masking the URLs' queries.
func (q WalletQR) Format(s fmt.State, verb rune) { redact.Format(s, verb, q) }

// LogValue implements [slog.LogValuer] with the same masking.
func (q WalletQR) LogValue() slog.Value { return redact.LogValue(q) }

// GenerateQR creates a wallet load order and returns its UPI QR. It fails
// with a [*ValidationError] before sending, with [ErrBadRequest] when the
// API refuses the amount, and with [ErrOutcomeUnknown] when the answer was
// lost or lacked its data: a QR moves no money until paid, so generate a
// new one (a lost order's webhooks still reach params.ReturnURL).
func (s *WalletService) GenerateQR(ctx context.Context, params *GenerateQRParams, opts ...CallOption) (*WalletQR, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.WalletQR
	if err := s.c.do(ctx, EndpointGenerateQR, "", f, &w, opts); err != nil {
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
		Status:            ParseStatus(string(d.Status)),
		Message:           string(w.Message),
	}, nil
}

// WalletPayment is the state of a wallet load. Bank ("UPI QR - INEXOPAY
// (paytmqr5hcr1f@ptys)"), Mode ("API_UPI_QR") and Remark (which may carry
// the bank's UTR) may be empty; NewBalance is zero when the API omits it.
type WalletPayment struct {
	OrderID string
	Amount  Amount
	// Status is StatusPending, StatusSuccess, StatusFailed or StatusRefund.
	Status Status
	// DateTime is when the state last changed (zone-less, read as IST).
	DateTime   time.Time
	Bank       string
	Mode       string
	Remark     string
	NewBalance Amount
	Message    string
}

type walletOrderForm struct {
	OrderID string `url:"order_id"`
}

// PaymentStatus returns the state of a wallet load order. It fails with a
// [*ValidationError] for a malformed order id, with [ErrNotFound] or
// [ErrBadRequest] when the API does not know the order, and with
// [ErrServer] when the answer lacks its status or amount, contradicts
// itself, or is about another order (the error names both ids).
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
		OrderID:    string(d.OrderID),
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

// WaitForPayment polls PaymentStatus, spaced by [WithPollInterval], until
// the order's status is final and returns that payment. Server errors, 429
// and network failures that may pass keep it polling; other errors return
// at once, among them an answer without its status or amount or about
// another order ([ErrServer], see docs/outcomes.md). When
// ctx ends first it returns the last payment seen (or nil) with an error
// matching ctx.Err(); without a deadline it may poll for ever.
func (s *WalletService) WaitForPayment(ctx context.Context, orderID string, opts ...CallOption) (*WalletPayment, error) {
	return pollUntilFinal(ctx, EndpointPaymentStatus, orderID, opts,
		s.PaymentStatus, func(p *WalletPayment) Status { return p.Status })
}
