package inexopay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// NSDLBankService onboards NSDL bank agents and opens accounts for their
// customers. OnboardAgent and OpenAccount are never retried once they may
// have reached the API; the other calls are read-only and retried.
type NSDLBankService struct{ c *Client }

// OnboardAgentParams are the details of an agent for
// [NSDLBankService.OnboardAgent]. Every field but BCAgentID (when empty,
// the API makes one such as INX00001) is required. Email is a bare address,
// Mobile 10 digits starting 6-9 (+91, a leading 0, spaces and hyphens are
// removed; the API refuses a registered one), DateOfBirth YYYY-MM-DD,
// Pincode 6 digits not starting 0, and PAN AAAAA9999A (upper-cased).
type OnboardAgentParams struct {
	ShopName    string
	Name        string
	Email       string
	Mobile      string `mask:"mobile"`
	DateOfBirth string
	Address     string
	// StateName is the agent's state, such as "Bihar".
	StateName string
	CityName  string
	Pincode   string
	PAN       string `mask:"pan"`
	BCAgentID string
}

// onboardAgentForm is the form NSDLBank.OnboardAgent posts.
type onboardAgentForm struct {
	ShopName    string `url:"shop_name"`
	Name        string `url:"name"`
	Email       string `url:"email"`
	Mobile      string `url:"mobile"`
	DateOfBirth string `url:"date_of_birth"`
	Address     string `url:"address"`
	StateName   string `url:"state_name"`
	CityName    string `url:"city_name"`
	Pincode     string `url:"pincode"`
	PAN         string `url:"pancard"`
	BCAgentID   string `url:"bcagentid,omitempty"`
}

// form normalises a copy of p into the form to post and checks it; see
// Validate.
func (p *OnboardAgentParams) form(v checker) (*onboardAgentForm, error) {
	if p == nil {
		return nil, nilParams("OnboardAgentParams")
	}
	f := &onboardAgentForm{
		ShopName: validate.Trim(p.ShopName), Name: validate.Trim(p.Name), Email: validate.Trim(p.Email),
		Mobile: validate.NormalizeMobile(p.Mobile), DateOfBirth: validate.Trim(p.DateOfBirth),
		Address: validate.Trim(p.Address), StateName: validate.Trim(p.StateName), CityName: validate.Trim(p.CityName),
		Pincode: validate.NormalizeDigits(p.Pincode), PAN: validate.NormalizePAN(p.PAN), BCAgentID: validate.Trim(p.BCAgentID),
	}
	v.required("ShopName", f.ShopName, nil)
	v.required("Name", f.Name, nil)
	v.required("Email", f.Email, validate.Email)
	v.required("Mobile", f.Mobile, validate.Mobile)
	v.required("DateOfBirth", f.DateOfBirth, validate.Date)
	v.required("Address", f.Address, nil)
	v.required("StateName", f.StateName, nil)
	v.required("CityName", f.CityName, nil)
	v.required("Pincode", f.Pincode, validate.Pincode)
	v.required("PAN", f.PAN, validate.PAN)
	v.optional("BCAgentID", f.BCAgentID, validate.ID)
	return f, v.result()
}

// Validate reports every missing or malformed field of p in one
// [*ValidationError]; it never changes p.
func (p *OnboardAgentParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// Format prints p for every fmt verb, masking the PAN and mobile.
func (p OnboardAgentParams) Format(s fmt.State, verb rune) { redact.Format(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p OnboardAgentParams) LogValue() slog.Value { return redact.LogValue(p) }

// Agent is an onboarded NSDL bank agent: AgentID (yours, or one the API
// made; empty when omitted) goes to OpenAccountParams.BCAgentID.
type Agent struct {
	TxnID   string
	AgentID string
	Message string
}

// OnboardAgent registers an NSDL bank agent. It fails with a
// [*ValidationError] before sending, with [ErrBadRequest] when the API
// refuses the agent ("THE GIVEN MOBILENUMBER IS ALREADY REGISTER"), and
// with [ErrOutcomeUnknown] when the answer was lost or lacked its data.
func (s *NSDLBankService) OnboardAgent(ctx context.Context, params *OnboardAgentParams, opts ...CallOption) (*Agent, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.Agent
	if err := s.c.do(ctx, EndpointOnboardAgent, "", f, &w, opts); err != nil {
		return nil, err
	}
	return &Agent{TxnID: string(w.Data.TxnID), AgentID: string(w.Data.AgentID),
		Message: string(w.Message)}, nil
}

// OpenAccountParams describe a customer's account for
// [NSDLBankService.OpenAccount]. Every field but MiddleName is required;
// each is checked and normalised as in [OnboardAgentParams]. OrderID is your
// unique id for the opening (see [NewOrderID]) and BCAgentID the agent's id
// from OnboardAgent.
type OpenAccountParams struct {
	OrderID     string
	AccountType AccountType
	BCAgentID   string
	AgentPAN    string `mask:"pan"`
	FirstName   string
	MiddleName  string
	LastName    string
	Email       string
	Phone       string `mask:"mobile"`
	PAN         string `mask:"pan"`
	Pincode     string
	// ReturnURL is where NSDL sends the customer's browser afterwards, and
	// where INEXOPAY posts this opening's webhooks instead of your global
	// URL. It ends up in the browser's history: put no secret in it.
	ReturnURL string
}

// openAccountForm is the form NSDLBank.OpenAccount posts.
type openAccountForm struct {
	OrderID     string `url:"orderid"`
	AccountType string `url:"account_type"`
	BCAgentID   string `url:"bcagentid"`
	AgentPAN    string `url:"agent_pancard"`
	FirstName   string `url:"first_name"`
	MiddleName  string `url:"middle_name,omitempty"`
	LastName    string `url:"last_name"`
	Email       string `url:"email"`
	Phone       string `url:"phone"`
	PAN         string `url:"pancard"`
	Pincode     string `url:"pincode"`
	ReturnURL   string `url:"return_url"`
}

// form normalises a copy of p into the form to post and checks it; see
// Validate.
func (p *OpenAccountParams) form(v checker) (*openAccountForm, error) {
	if p == nil {
		return nil, nilParams("OpenAccountParams")
	}
	f := &openAccountForm{
		OrderID: validate.Trim(p.OrderID), BCAgentID: validate.Trim(p.BCAgentID),
		AgentPAN: validate.NormalizePAN(p.AgentPAN), FirstName: validate.Trim(p.FirstName),
		MiddleName: validate.Trim(p.MiddleName), LastName: validate.Trim(p.LastName), Email: validate.Trim(p.Email),
		Phone: validate.NormalizeMobile(p.Phone), PAN: validate.NormalizePAN(p.PAN),
		Pincode: validate.NormalizeDigits(p.Pincode), ReturnURL: validate.Trim(p.ReturnURL),
	}
	if p.AccountType != 0 {
		f.AccountType = strconv.Itoa(int(p.AccountType))
	}
	v.required("OrderID", f.OrderID, validate.ID)
	v.oneOf("AccountType", p.AccountType != 0, p.AccountType == SavingsAccount || p.AccountType == CurrentAccount,
		"must be SavingsAccount (1) or CurrentAccount (2)")
	v.required("BCAgentID", f.BCAgentID, validate.ID)
	v.required("AgentPAN", f.AgentPAN, validate.PAN)
	v.required("FirstName", f.FirstName, nil)
	v.required("LastName", f.LastName, nil)
	v.required("Email", f.Email, validate.Email)
	v.required("Phone", f.Phone, validate.Mobile)
	v.required("PAN", f.PAN, validate.PAN)
	v.required("Pincode", f.Pincode, validate.Pincode)
	v.required("ReturnURL", f.ReturnURL, validate.URL)
	return f, v.result()
}

// Validate reports every missing or malformed field of p in one
// [*ValidationError]; it never changes p.
func (p *OpenAccountParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// AccountType is the kind of NSDL bank account OpenAccount opens, sent as
// account_type "1" or "2".
type AccountType int

// The NSDL account types.
const (
	SavingsAccount AccountType = 1
	CurrentAccount AccountType = 2
)

// String returns "savings", "current" or the number.
func (t AccountType) String() string {
	switch t {
	case SavingsAccount:
		return "savings"
	case CurrentAccount:
		return "current"
	}
	return strconv.Itoa(int(t))
}

// Format prints p for every fmt verb, masking the PANs and phone.
func (p OpenAccountParams) Format(s fmt.State, verb rune) { redact.Format(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p OpenAccountParams) LogValue() slog.Value { return redact.LogValue(p) }

// AccountOpening is a started NSDL account opening: send the customer to
// RedirectURL (never empty). TxnID, such as "NSDLUCBDRJCBV", is for
// AccountDetails; it and CustomerID are zero when the API sent no user.
type AccountOpening struct {
	// RedirectURL prints with its query masked (it carries a signed token).
	RedirectURL string `mask:"url"`
	TxnID       string
	CustomerID  int64
	Message     string
}

// Format prints a for every fmt verb, masking the URL's query.
func (a AccountOpening) Format(s fmt.State, verb rune) { redact.Format(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a AccountOpening) LogValue() slog.Value { return redact.LogValue(a) }

// OpenAccount starts an account opening and returns the URL at which the
// customer completes it. It fails with a [*ValidationError] before sending,
// with an [*APIError] the API reports, and with [ErrOutcomeUnknown] when the
// answer was lost or had no URL: look the order up with AccountDetails
// before trying again.
func (s *NSDLBankService) OpenAccount(ctx context.Context, params *OpenAccountParams, opts ...CallOption) (*AccountOpening, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.AccountOpening
	if err := s.c.do(ctx, EndpointOpenAccount, f.OrderID, f, &w, opts); err != nil {
		return nil, err
	}
	a := &AccountOpening{RedirectURL: string(w.Data), Message: string(w.Message)}
	if u := w.User; u.Set {
		a.TxnID, a.CustomerID = string(u.V.TxnID), int64(u.V.CustomerID)
	}
	return a, nil
}

// BankAccount is an NSDL bank account opening as the API records it:
// TxnID is the id OpenAccount returned; Completed and Refunded (the fee)
// are true for any non-zero number; Status is the API's number (1 in its
// samples of a completed opening); RecordMessage is the record's own
// message, Message the call's. Times are read as IST when zone-less and are
// zero when absent; strings sent as null are empty.
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

// AccountStatus returns the account opening for a customer's PAN. It
// fails with a [*ValidationError] for a malformed PAN and with
// [ErrNotFound] when the API has no record.
func (s *NSDLBankService) AccountStatus(ctx context.Context, pan string, opts ...CallOption) (*BankAccount, error) {
	pan, err := s.c.panArg("PAN", pan)
	if err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountStatus, &panForm{PAN: pan}, opts)
}

// AccountDetailsParams select an account opening by TxnID (from
// OpenAccount) or by your OrderID; at least one is required.
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

// Validate reports every missing or malformed field of p in one
// [*ValidationError]; it never changes p.
func (p *AccountDetailsParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// AccountDetails returns an account opening by txn id or order id. It
// fails like AccountStatus.
func (s *NSDLBankService) AccountDetails(ctx context.Context, params *AccountDetailsParams, opts ...CallOption) (*BankAccount, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountDetails, f, opts)
}

// bankAccount posts form and decodes the record. The call path has masked
// the call's own secrets in the messages; the record's PAN is masked here.
func (s *NSDLBankService) bankAccount(ctx context.Context, e Endpoint, form any, opts []CallOption) (*BankAccount, error) {
	var w wire.BankAccountAnswer
	if err := s.c.do(ctx, e, "", form, &w, opts); err != nil {
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
		TxnID:         string(d.TxnID),
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

// IncompleteAccount is the NSDL page (AccountURL; empty when the API
// omitted it) at which a customer resumes a pending account opening.
type IncompleteAccount struct {
	OrderID string
	TxnID   string
	// AccountURL prints with its query masked (it carries a signed token).
	AccountURL string `mask:"url"`
	// Status is StatusPending.
	Status  Status
	Message string
}

// Format prints a for every fmt verb, masking the URL's query.
func (a IncompleteAccount) Format(s fmt.State, verb rune) { redact.Format(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a IncompleteAccount) LogValue() slog.Value { return redact.LogValue(a) }

// IncompleteAccountURL returns the URL at which the customer of a pending
// opening can finish it. It fails with a [*ValidationError] for a malformed
// order id, with [ErrBadRequest] (or [ErrNotFound]) when the opening is
// not pending or not found, and with [ErrServer] when the answer lacks
// account_url or is about another order (the error names both ids).
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
		OrderID:    string(w.OrderID),
		TxnID:      string(w.TxnID),
		AccountURL: string(w.AccountURL),
		Status:     ParseStatus(string(w.Status)),
		Message:    string(w.Message),
	}, nil
}
