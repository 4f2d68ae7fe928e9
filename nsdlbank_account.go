package inexopay

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// The NSDL bank account records: an opening's status and details, and the URL at which a pending
// opening is finished.

// BankAccount is an NSDL account opening as the API records it (times in IST).
type BankAccount struct {
	ID            int64
	AccountType   AccountType
	TxnID         string
	FirstName     string
	MiddleName    string
	LastName      string
	Email         string
	Phone         string `mask:"mobile"`
	PAN           string `mask:"pan"`
	Pincode       string
	Completed     bool
	RecordMessage string
	Status        int
	Refunded      bool
	Date          time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Message       string
}

// Format prints a for every fmt verb, masking the PAN and phone.
func (a BankAccount) Format(s fmt.State, verb rune) { redact.Format(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a BankAccount) LogValue() slog.Value { return redact.LogValue(a) }

type panForm struct {
	PAN string `url:"pancard"`
}

// AccountStatus returns a PAN's opening. It fails with a [*ValidationError], [ErrNotFound], or
// [ErrServer] for another PAN's record.
func (s *NSDLBankService) AccountStatus(ctx context.Context, pan string, opts ...CallOption) (*BankAccount, error) {
	pan, err := s.c.panArg("PAN", pan)
	if err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountStatus, &panForm{PAN: pan}, opts, wire.Asked{PAN: pan})
}

// AccountDetailsParams select an opening by TxnID or OrderID (one required).
type AccountDetailsParams struct {
	TxnID   string
	OrderID string
}

// accountDetailsForm is the form NSDLBank.AccountDetails posts.
type accountDetailsForm struct {
	TxnID   string `url:"txn_id,omitempty"`
	OrderID string `url:"orderid,omitempty"`
}

func (p *AccountDetailsParams) form(v checker) (*accountDetailsForm, error) {
	if p == nil {
		return nil, nilParams("AccountDetailsParams")
	}
	f := &accountDetailsForm{TxnID: validate.Trim(p.TxnID), OrderID: validate.Trim(p.OrderID)}
	if f.TxnID == "" && f.OrderID == "" {
		v.fail("TxnID", "TxnID or OrderID is required")
	}
	v.optional("TxnID", f.TxnID, validate.ID)
	v.optional("OrderID", f.OrderID, validate.ID)
	return f, v.result()
}

// Validate reports every bad field of p in one [*ValidationError].
func (p *AccountDetailsParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// AccountDetails returns an opening by txn or order id, like AccountStatus.
func (s *NSDLBankService) AccountDetails(ctx context.Context, params *AccountDetailsParams, opts ...CallOption) (*BankAccount, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountDetails, f, opts, wire.Asked{OrderID: f.OrderID, TxnID: f.TxnID})
}

// bankAccount posts form, about asked, and decodes the record. The answer, a refusal too, was
// checked to name no other order, txn id or PAN than asked's (internal/answer); the call path has
// masked the call's own secrets (the PAN asked, the API key) in every member.
func (s *NSDLBankService) bankAccount(ctx context.Context, e Endpoint, form any, opts []CallOption, asked wire.Asked) (*BankAccount, error) {
	var w wire.BankAccountAnswer
	if err := s.c.doAsked(ctx, e, asked, form, &w, opts); err != nil {
		return nil, err
	}
	var d wire.BankAccount
	if err := json.Unmarshal(w.Data, &d); err != nil {
		return nil, apierr.MarkServer(&APIError{HTTPStatus: 200, Code: 200, Endpoint: e,
			Message: "answer does not match the documented shape: " + answer.DescribeJSONError(err)}, false, false)
	}
	return &BankAccount{
		ID:            int64(d.ID),
		AccountType:   AccountType(d.AccountType),
		TxnID:         wire.TrimID(string(d.TxnID)),
		FirstName:     string(d.FirstName),
		MiddleName:    string(d.MiddleName),
		LastName:      string(d.LastName),
		Email:         string(d.Email),
		Phone:         string(d.Phone),
		PAN:           string(d.PAN),
		Pincode:       string(d.Pincode),
		Completed:     bool(d.Completed),
		RecordMessage: redact.String(string(d.Message), string(d.PAN)),
		Status:        int(d.Status),
		Refunded:      bool(d.Refunded),
		Date:          time.Time(d.Date),
		CreatedAt:     time.Time(d.CreatedAt),
		UpdatedAt:     time.Time(d.UpdatedAt),
		Message:       redact.String(string(w.Message), string(d.PAN)),
	}, nil
}

// IncompleteAccount is the NSDL page at which a customer resumes an opening.
type IncompleteAccount struct {
	OrderID    string
	TxnID      string
	AccountURL string `mask:"url"` // prints with its query masked (it carries a signed token).
	Status     Status // always StatusPending.
	Message    string
}

// Format prints a for every fmt verb, masking the URL's query.
func (a IncompleteAccount) Format(s fmt.State, verb rune) { redact.Format(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a IncompleteAccount) LogValue() slog.Value { return redact.LogValue(a) }

// IncompleteAccountURL returns the URL to finish a pending opening. It fails with a
// [*ValidationError], an [*APIError], or [ErrServer] for another order.
func (s *NSDLBankService) IncompleteAccountURL(ctx context.Context, orderID string, opts ...CallOption) (*IncompleteAccount, error) {
	orderID, err := s.c.orderIDArg(orderID)
	if err != nil {
		return nil, err
	}
	var w wire.IncompleteAccount
	if err := s.c.do(ctx, EndpointIncompleteAccountURL, orderID, &orderForm{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	return &IncompleteAccount{
		OrderID:    answeredOrder(string(w.OrderID), orderID),
		TxnID:      wire.TrimID(string(w.TxnID)),
		AccountURL: string(w.AccountURL),
		Status:     cmp.Or(ParseStatus(string(w.Status)), StatusPending),
		Message:    string(w.Message),
	}, nil
}
