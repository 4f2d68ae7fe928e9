package inexopay

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// NSDLBankService onboards NSDL bank agents and opens NSDL bank accounts
// for their customers. OnboardAgent and OpenAccount create records and are
// never retried once they may have reached the API; the status calls are
// read-only and retried.
type NSDLBankService struct{ c *Client }

// OnboardAgentParams are the details of an agent for
// NSDLBank.OnboardAgent. Every field but BCAgentID is required.
type OnboardAgentParams struct {
	// ShopName is the name of the agent's shop, sent as shop_name.
	ShopName string `url:"shop_name"`
	// Name is the agent's full name, sent as name.
	Name string `url:"name"`
	// Email is the agent's bare e-mail address (name@example.com), sent as
	// email.
	Email string `url:"email"`
	// Mobile is 10 digits starting 6-9, sent as mobile; the API refuses one
	// that is already registered. It is masked in String and %v output.
	Mobile string `url:"mobile"`
	// DateOfBirth is YYYY-MM-DD.
	DateOfBirth string `url:"date_of_birth"`
	// Address is the agent's address, sent as address.
	Address string `url:"address"`
	// StateName is the agent's state, such as "Bihar", sent as state_name.
	StateName string `url:"state_name"`
	// CityName is the agent's city, sent as city_name.
	CityName string `url:"city_name"`
	// Pincode is 6 digits not starting with 0.
	Pincode string `url:"pincode"`
	// PAN is the agent's PAN, AAAAA9999A, sent as pancard. It is masked in
	// String and %v output.
	PAN string `url:"pancard"`
	// BCAgentID is your own agent id; when empty it is not sent and the API
	// generates one (INX00001, …).
	BCAgentID string `url:"bcagentid,omitempty"`
}

// Validate reports the first missing or malformed field, or a nil p, as a
// *ValidationError.
func (p *OnboardAgentParams) Validate() error {
	if p == nil {
		return nilParams("OnboardAgentParams")
	}
	var v checker
	v.required("ShopName", p.ShopName, nil)
	v.required("Name", p.Name, nil)
	v.required("Email", p.Email, validate.Email)
	v.required("Mobile", p.Mobile, validate.Mobile)
	v.required("DateOfBirth", p.DateOfBirth, validate.Date)
	v.required("Address", p.Address, nil)
	v.required("StateName", p.StateName, nil)
	v.required("CityName", p.CityName, nil)
	v.required("Pincode", p.Pincode, validate.Pincode)
	v.required("PAN", p.PAN, validate.PAN)
	v.optional("BCAgentID", p.BCAgentID, validate.OrderID)
	return v.result()
}

// String prints the params with the PAN and mobile masked.
func (p OnboardAgentParams) String() string {
	type plain OnboardAgentParams
	q := plain(p)
	q.PAN, q.Mobile = MaskPAN(q.PAN), MaskMobile(q.Mobile)
	return format("OnboardAgentParams", q)
}

// GoString is String, so that %#v masks too.
func (p OnboardAgentParams) GoString() string { return p.String() }

// LogValue implements slog.LogValuer with the secrets masked.
func (p OnboardAgentParams) LogValue() slog.Value { return slog.StringValue(p.String()) }

// Agent is an onboarded NSDL bank agent.
type Agent struct {
	// TxnID is the API's data.txn_id, its id for the onboarding.
	TxnID string
	// AgentID is the API's data.agent_id: the BC agent id to pass as
	// OpenAccountParams.BCAgentID (your BCAgentID, or one the API generated
	// such as "INX00001"). It is empty when the API omitted it.
	AgentID string
}

// OnboardAgent registers an NSDL bank agent. It fails with a
// *ValidationError before sending when params is nil or a field is missing
// or malformed, with ErrBadRequest when the API refuses the agent (for
// example "THE GIVEN MOBILENUMBER IS ALREADY REGISTER"), and with
// ErrOutcomeUnknown when the answer was lost (also when a success answer
// lacks its data).
func (s *NSDLBankService) OnboardAgent(ctx context.Context, params *OnboardAgentParams, opts ...CallOption) (*Agent, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	var w wire.Agent
	if err := s.c.do(ctx, EndpointOnboardAgent, "", params, &w, opts); err != nil {
		return nil, err
	}
	if w.Data == nil {
		return nil, missingData(EndpointOnboardAgent, "")
	}
	return &Agent{TxnID: string(w.Data.TxnID), AgentID: string(w.Data.AgentID)}, nil
}

// OpenAccountParams describe a customer's account for NSDLBank.OpenAccount.
// Every field but MiddleName is required.
type OpenAccountParams struct {
	// OrderID is your unique id for this opening.
	OrderID string `url:"orderid"`
	// AccountType is SavingsAccount or CurrentAccount, sent as account_type
	// "1" or "2"; any other value fails Validate.
	AccountType AccountType `url:"account_type"`
	// BCAgentID is the agent id from OnboardAgent.
	BCAgentID string `url:"bcagentid"`
	// AgentPAN is the agent's registered PAN, sent as agent_pancard. It is
	// masked in String and %v output.
	AgentPAN string `url:"agent_pancard"`
	// FirstName is the customer's first name, sent as first_name.
	FirstName string `url:"first_name"`
	// MiddleName is the customer's middle name, sent as middle_name; it is
	// optional and not sent when empty.
	MiddleName string `url:"middle_name,omitempty"`
	// LastName is the customer's last name, sent as last_name.
	LastName string `url:"last_name"`
	// Email is the customer's bare e-mail address, sent as email.
	Email string `url:"email"`
	// Phone is the customer's mobile, 10 digits starting 6-9. It is masked
	// in String and %v output.
	Phone string `url:"phone"`
	// PAN is the customer's PAN, AAAAA9999A, sent as pancard. It is masked
	// in String and %v output.
	PAN string `url:"pancard"`
	// Pincode is the customer's postal code, 6 digits not starting with 0.
	Pincode string `url:"pincode"`
	// ReturnURL is where NSDL sends the customer after the opening.
	ReturnURL string `url:"return_url"`
}

// Validate reports the first missing or malformed field, or a nil p, as a
// *ValidationError.
func (p *OpenAccountParams) Validate() error {
	if p == nil {
		return nilParams("OpenAccountParams")
	}
	var v checker
	v.required("OrderID", p.OrderID, orderID)
	if p.AccountType != SavingsAccount && p.AccountType != CurrentAccount {
		v.fail("AccountType", "must be SavingsAccount (1) or CurrentAccount (2)")
	}
	v.required("BCAgentID", p.BCAgentID, validate.OrderID)
	v.required("AgentPAN", p.AgentPAN, validate.PAN)
	v.required("FirstName", p.FirstName, nil)
	v.required("LastName", p.LastName, nil)
	v.required("Email", p.Email, validate.Email)
	v.required("Phone", p.Phone, validate.Mobile)
	v.required("PAN", p.PAN, validate.PAN)
	v.required("Pincode", p.Pincode, validate.Pincode)
	v.required("ReturnURL", p.ReturnURL, validate.URL)
	return v.result()
}

// String prints the params with the PANs and phone masked.
func (p OpenAccountParams) String() string {
	type plain OpenAccountParams
	q := plain(p)
	q.PAN, q.AgentPAN, q.Phone = MaskPAN(q.PAN), MaskPAN(q.AgentPAN), MaskMobile(q.Phone)
	return format("OpenAccountParams", q)
}

// GoString is String, so that %#v masks too.
func (p OpenAccountParams) GoString() string { return p.String() }

// LogValue implements slog.LogValuer with the secrets masked.
func (p OpenAccountParams) LogValue() slog.Value { return slog.StringValue(p.String()) }

// AccountOpening is a started NSDL account opening: send the customer to
// RedirectURL to complete it.
type AccountOpening struct {
	// RedirectURL is the NSDL page at which the customer completes the
	// opening (the API's data member); it is never empty.
	RedirectURL string
	// TxnID is the API's user.txn_id, such as "NSDLUCBDRJCBV": pass it to
	// AccountDetails. It is empty when the API sent no user member.
	TxnID string
	// CustomerID is the API's user.customer_id; zero when the API sent no
	// user member.
	CustomerID int64
}

// OpenAccount starts an NSDL bank account opening and returns the URL the
// customer completes it at. It fails with a *ValidationError before sending
// (nil params, or a field missing or malformed), with an *APIError the API
// reports, and with ErrOutcomeUnknown when the answer was lost or a success
// answer had no URL: then look the order up with AccountDetails before
// trying again.
func (s *NSDLBankService) OpenAccount(ctx context.Context, params *OpenAccountParams, opts ...CallOption) (*AccountOpening, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	var w wire.AccountOpening
	if err := s.c.do(ctx, EndpointOpenAccount, params.OrderID, params, &w, opts); err != nil {
		return nil, err
	}
	a := &AccountOpening{RedirectURL: string(w.Data)}
	if w.User != nil {
		a.TxnID, a.CustomerID = string(w.User.TxnID), int64(w.User.CustomerID)
	}
	if a.RedirectURL == "" {
		return nil, missingData(EndpointOpenAccount, params.OrderID)
	}
	return a, nil
}

// BankAccount is an NSDL bank account opening as the API records it.
type BankAccount struct {
	// ID is the API's record id (id).
	ID int64
	// AccountType is the API's account_type: SavingsAccount (1) or
	// CurrentAccount (2).
	AccountType AccountType
	// TxnID is the API's txn_id, the id OpenAccount returned.
	TxnID string
	// FirstName is the customer's first name (first_name).
	FirstName string
	// MiddleName is the customer's middle name (middle_name); empty when the
	// API sends null.
	MiddleName string
	// LastName is the customer's last name (last_name).
	LastName string
	// Email is the customer's e-mail address (email).
	Email string
	// Phone is the customer's mobile (phone). It is masked in String and %v
	// output.
	Phone string
	// PAN is the customer's PAN (pancard). It is masked in String and %v
	// output.
	PAN string
	// Pincode is the customer's postal code (pincode).
	Pincode string
	// Completed is true once the customer finished the opening (the API's
	// is_completed).
	Completed bool
	// Message is the API's message about the opening (the record's
	// message); empty when the API sends null, as its samples do.
	Message string
	// Status is the API's numeric state of the opening (status), not
	// documented beyond 1 in its samples of a completed opening.
	Status int
	// Refunded is true when the opening fee was refunded (is_refunded).
	Refunded bool
	// Date is the API's date of the opening, in the zone the API gave (UTC
	// in its samples; a zone-less time is read as IST); zero when absent.
	Date time.Time
	// CreatedAt is when the API created the record (created_at), in the
	// zone the API gave; zero when absent.
	CreatedAt time.Time
	// UpdatedAt is when the API last changed the record (updated_at), in
	// the zone the API gave; zero when absent.
	UpdatedAt time.Time
}

// String prints the account with the PAN and phone masked.
func (a BankAccount) String() string {
	type plain BankAccount
	q := plain(a)
	q.PAN, q.Phone = MaskPAN(q.PAN), MaskMobile(q.Phone)
	return format("BankAccount", q)
}

// GoString is String, so that %#v masks too.
func (a BankAccount) GoString() string { return a.String() }

// LogValue implements slog.LogValuer with the secrets masked.
func (a BankAccount) LogValue() slog.Value { return slog.StringValue(a.String()) }

type panParams struct {
	PAN string `url:"pancard"`
}

// AccountStatus returns the account opening for a customer's PAN. It fails
// with a *ValidationError for a malformed PAN and with ErrNotFound when the
// API has no record for it.
func (s *NSDLBankService) AccountStatus(ctx context.Context, pan string, opts ...CallOption) (*BankAccount, error) {
	var v checker
	v.required("PAN", pan, validate.PAN)
	if err := v.result(); err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountStatus, &panParams{PAN: pan}, opts)
}

// AccountDetailsParams select an account opening by TxnID or by OrderID; at
// least one is required.
type AccountDetailsParams struct {
	// TxnID is the transaction id from OpenAccount.
	TxnID string `url:"txn_id,omitempty"`
	// OrderID is your order id, which the API resolves to its txn id.
	OrderID string `url:"orderid,omitempty"`
}

// Validate reports a *ValidationError when p is nil, neither field is set
// or one is malformed.
func (p *AccountDetailsParams) Validate() error {
	if p == nil {
		return nilParams("AccountDetailsParams")
	}
	var v checker
	if p.TxnID == "" && p.OrderID == "" {
		v.fail("TxnID", "TxnID or OrderID is required")
	}
	v.optional("TxnID", p.TxnID, validate.OrderID)
	v.optional("OrderID", p.OrderID, orderID)
	return v.result()
}

// AccountDetails returns an account opening by txn id or order id. It fails
// with a *ValidationError when params is nil, neither id is given or one is
// malformed, and with ErrNotFound when the API has no such record.
func (s *NSDLBankService) AccountDetails(ctx context.Context, params *AccountDetailsParams, opts ...CallOption) (*BankAccount, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountDetails, params, opts)
}

func (s *NSDLBankService) bankAccount(ctx context.Context, e Endpoint, params any, opts []CallOption) (*BankAccount, error) {
	var w wire.BankAccountAnswer
	if err := s.c.do(ctx, e, "", params, &w, opts); err != nil {
		return nil, err
	}
	var d wire.BankAccount
	if len(w.Data) == 0 || string(w.Data) == "null" {
		return nil, missingData(e, "")
	}
	if err := json.Unmarshal(w.Data, &d); err != nil {
		return nil, &APIError{HTTPStatus: 200, Code: 200, Endpoint: e, kind: ErrServer,
			Message: "answer does not match the documented shape: " + describeJSONError(err)}
	}
	return &BankAccount{
		ID:          int64(d.ID),
		AccountType: AccountType(d.AccountType),
		TxnID:       string(d.TxnID),
		FirstName:   string(d.FirstName),
		MiddleName:  string(d.MiddleName),
		LastName:    string(d.LastName),
		Email:       string(d.Email),
		Phone:       string(d.Phone),
		PAN:         string(d.PAN),
		Pincode:     string(d.Pincode),
		Completed:   bool(d.Completed),
		Message:     string(d.Message),
		Status:      int(d.Status),
		Refunded:    bool(d.Refunded),
		Date:        time.Time(d.Date),
		CreatedAt:   time.Time(d.CreatedAt),
		UpdatedAt:   time.Time(d.UpdatedAt),
	}, nil
}

// IncompleteAccount is the link at which a customer resumes a pending
// account opening.
type IncompleteAccount struct {
	// OrderID is the API's order_id, your order id for the opening.
	OrderID string
	// TxnID is the API's txn_id for the opening.
	TxnID string
	// AccountURL is the API's account_url, the NSDL page at which the
	// customer resumes the opening; empty when the API omitted it.
	AccountURL string
	// Status is the opening's state in the API's records (status_in_db),
	// normalised to lower case: StatusPending.
	Status Status
}

type orderParams struct {
	OrderID string `url:"orderid"`
}

// IncompleteAccountURL returns the URL at which the customer of a pending
// account opening can finish it. It fails with a *ValidationError for an
// empty or malformed order id, and with ErrBadRequest (or ErrNotFound, when
// the API's message says "not found") when the opening is not pending or
// not found ("URL can only be retrieved for pending transactions").
func (s *NSDLBankService) IncompleteAccountURL(ctx context.Context, orderID string, opts ...CallOption) (*IncompleteAccount, error) {
	var v checker
	v.required("OrderID", orderID, validate.OrderID)
	if err := v.result(); err != nil {
		return nil, err
	}
	var w wire.IncompleteAccount
	if err := s.c.do(ctx, EndpointIncompleteAccountURL, orderID, &orderParams{OrderID: orderID}, &w, opts); err != nil {
		return nil, err
	}
	return &IncompleteAccount{
		OrderID:    string(w.OrderID),
		TxnID:      string(w.TxnID),
		AccountURL: string(w.AccountURL),
		Status:     ParseStatus(string(w.Status)),
	}, nil
}
