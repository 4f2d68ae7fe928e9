package inexopay

import (
	"context"
	"time"

	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// WalletService loads your API wallet by UPI QR. GenerateQR creates an order
// and is never retried once it may have reached the API; PaymentStatus is
// read-only and retried.
type WalletService struct{ c *Client }

// GenerateQRParams ask for a UPI QR to load the wallet.
type GenerateQRParams struct {
	// Amount to load; it must be positive. The API may also enforce a
	// minimum.
	Amount Amount `url:"amount"`
}

// Validate reports a *ValidationError for a missing or non-positive amount.
func (p *GenerateQRParams) Validate() error {
	if p == nil {
		return nilParams("GenerateQRParams")
	}
	if p.Amount <= 0 {
		return &ValidationError{Field: "Amount", Reason: "must be greater than zero"}
	}
	return nil
}

// WalletQR is a wallet load order awaiting payment: show QRURL, or open
// UPIString in a UPI app, then check PaymentStatus with OrderID.
type WalletQR struct {
	OrderID           string
	Amount            Amount
	QRURL             string
	UPIID             string
	AccountHolderName string
	// UPIString is the upi://pay link the QR encodes (the API's tx_string).
	UPIString string
	Status    Status
}

// GenerateQR creates a wallet load order for the amount and returns its UPI
// QR. It fails with a *ValidationError for a non-positive amount, with
// ErrBadRequest when the API refuses the amount, and with ErrOutcomeUnknown
// when the answer was lost (the order id is then unknown; list your loads in
// the dashboard before trying again).
func (s *WalletService) GenerateQR(ctx context.Context, params *GenerateQRParams) (*WalletQR, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	var w wire.WalletQR
	if err := s.c.do(ctx, EndpointGenerateQR, "", params, &w); err != nil {
		return nil, err
	}
	if w.Data == nil {
		return nil, missingData(EndpointGenerateQR, "")
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
	}, nil
}

// WalletPayment is the state of a wallet load.
type WalletPayment struct {
	OrderID string
	Amount  Amount
	Status  Status
	// DateTime is when the state last changed.
	DateTime time.Time
	Bank     string
	Mode     string
	Remark   string
	// NewBalance is the wallet balance after a successful load.
	NewBalance Amount
}

type walletOrderParams struct {
	OrderID string `url:"order_id"`
}

// PaymentStatus returns the state of a wallet load order. It fails with a
// *ValidationError for an empty order id and with ErrNotFound or
// ErrBadRequest when the API does not know the order.
func (s *WalletService) PaymentStatus(ctx context.Context, orderID string) (*WalletPayment, error) {
	var v checker
	v.required("OrderID", orderID, validate.OrderID)
	if err := v.result(); err != nil {
		return nil, err
	}
	var w wire.WalletPayment
	if err := s.c.do(ctx, EndpointPaymentStatus, orderID, &walletOrderParams{OrderID: orderID}, &w); err != nil {
		return nil, err
	}
	if w.Data == nil {
		return nil, missingData(EndpointPaymentStatus, orderID)
	}
	d := w.Data
	return &WalletPayment{
		OrderID:    string(d.OrderID),
		Amount:     Amount(d.Amount),
		Status:     ParseStatus(string(d.Status)),
		DateTime:   time.Time(d.DateTime),
		Bank:       string(d.Bank),
		Mode:       string(d.Mode),
		Remark:     string(d.Remark),
		NewBalance: Amount(d.NewBalance),
	}, nil
}
