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

// Validate reports a *ValidationError for a nil p or a missing or
// non-positive amount.
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
	// OrderID is the API's data.order_id, the id it gave the load, such as
	// "WAL1234567890123": pass it to PaymentStatus or WaitForPayment.
	OrderID string
	// Amount is the API's data.amount, the sum to pay, in paise.
	Amount Amount
	// QRURL is the API's data.qr_url, an image of the QR to show the payer.
	QRURL string
	// UPIID is the API's data.upi_id, the payee's UPI address
	// (name@handle).
	UPIID string
	// AccountHolderName is the API's data.account_holder_name, the payee's
	// name, such as "INEXOPAY".
	AccountHolderName string
	// UPIString is the upi://pay link the QR encodes (the API's tx_string).
	UPIString string
	// Status is the API's data.status normalised to lower case:
	// StatusPending for a new order.
	Status Status
}

// GenerateQR creates a wallet load order for the amount and returns its UPI
// QR. It fails with a *ValidationError for nil params or a non-positive
// amount, with ErrBadRequest when the API refuses the amount, and with
// ErrOutcomeUnknown when the answer was lost or a success answer lacked its
// data (the order id is then unknown; list your loads in the dashboard
// before trying again).
func (s *WalletService) GenerateQR(ctx context.Context, params *GenerateQRParams, opts ...CallOption) (*WalletQR, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	var w wire.WalletQR
	if err := s.c.do(ctx, EndpointGenerateQR, "", params, &w, opts); err != nil {
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
	// OrderID is the API's data.order_id, the load's order id.
	OrderID string
	// Amount is the API's data.amount, the sum of the load, in paise.
	Amount Amount
	// Status is the API's data.status normalised to lower case:
	// StatusPending, StatusSuccess, StatusFailed or StatusRefund (an
	// unknown state is kept as sent, lower-cased).
	Status Status
	// DateTime is when the state last changed (the API's data.date_time,
	// sent without a zone and so read as IST); zero when absent.
	DateTime time.Time
	// Bank is the API's data.bank, a description of where the money came
	// from, such as "UPI QR - INEXOPAY (paytmqr5hcr1f@ptys)"; it may be
	// empty.
	Bank string
	// Mode is the API's data.mode, such as "API_UPI_QR"; it may be empty.
	Mode string
	// Remark is the API's data.remark, a human-readable note that may carry
	// the bank's UTR ("Online Wallet Load via API - Success - UTR: …"); it
	// may be empty.
	Remark string
	// NewBalance is the wallet balance after a successful load, in paise
	// (the API's data.new_balance); zero when the API omits it.
	NewBalance Amount
}

type walletOrderParams struct {
	OrderID string `url:"order_id"`
}

// PaymentStatus returns the state of a wallet load order. It fails with a
// *ValidationError for an empty or malformed order id, with ErrNotFound or
// ErrBadRequest when the API does not know the order, and with ErrServer
// when a success answer lacks its data.
func (s *WalletService) PaymentStatus(ctx context.Context, orderID string, opts ...CallOption) (*WalletPayment, error) {
	var v checker
	v.required("OrderID", orderID, validate.OrderID)
	if err := v.result(); err != nil {
		return nil, err
	}
	var w wire.WalletPayment
	if err := s.c.do(ctx, EndpointPaymentStatus, orderID, &walletOrderParams{OrderID: orderID}, &w, opts); err != nil {
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
