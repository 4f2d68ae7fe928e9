package inexopay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
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
	ShopName string
	// Name is the agent's full name, sent as name.
	Name string
	// Email is the agent's bare e-mail address (name@example.com), sent as
	// email.
	Email string
	// Mobile is the agent's Indian mobile, sent as mobile: 10 digits
	// starting 6-9 ("+91 98765 43210", "09876543210" and "98765-43210" are
	// reduced to them); the API refuses one that is already registered. It
	// is masked in String and %v output.
	Mobile string `mask:"mobile"`
	// DateOfBirth is YYYY-MM-DD, as the API document says, sent as
	// date_of_birth.
	DateOfBirth string
	// Address is the agent's address, sent as address.
	Address string
	// StateName is the agent's state, such as "Bihar", sent as state_name.
	StateName string
	// CityName is the agent's city, sent as city_name.
	CityName string
	// Pincode is the agent's PIN code, 6 digits not starting with 0, sent
	// as pincode.
	Pincode string
	// PAN is the agent's PAN, AAAAA9999A (lower case is upper-cased), sent
	// as pancard. It is masked in String and %v output.
	PAN string `mask:"pan"`
	// BCAgentID is your own agent id; when empty it is not sent and the API
	// generates one (INX00001, …).
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

// Validate reports, as a *ValidationError, a nil p or the first field that
// is missing or malformed once normalised the way OnboardAgent normalises
// it (trimmed, PAN upper-cased, mobile reduced to 10 digits). It checks a
// copy and never changes p.
func (p *OnboardAgentParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// Format implements [fmt.Formatter]: every verb prints p with the PAN and
// mobile masked.
func (p OnboardAgentParams) Format(s fmt.State, verb rune) { maskedFormat(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p OnboardAgentParams) LogValue() slog.Value { return maskedLogValue(p) }

// Agent is an onboarded NSDL bank agent.
type Agent struct {
	// TxnID is the API's data.txn_id, its id for the onboarding.
	TxnID string
	// AgentID is the API's data.agent_id: the BC agent id to pass as
	// OpenAccountParams.BCAgentID (your BCAgentID, or one the API generated
	// such as "INX00001"). It is empty when the API omitted it.
	AgentID string
	// Message is the API's message, such as "Agent verified
	// successfully..!! Now you can create your agent account."
	Message string
}

// OnboardAgent registers an NSDL bank agent. It fails with a
// *ValidationError before sending when params is nil or a field is missing
// or malformed, with ErrBadRequest when the API refuses the agent (for
// example "THE GIVEN MOBILENUMBER IS ALREADY REGISTER"), and with
// ErrOutcomeUnknown when the answer was lost (also when a success answer
// lacks its data).
func (s *NSDLBankService) OnboardAgent(ctx context.Context, params *OnboardAgentParams, opts ...CallOption) (*Agent, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.Agent
	if err := s.c.do(ctx, EndpointOnboardAgent, "", f, &w, opts); err != nil {
		return nil, err
	}
	if w.Data == nil {
		return nil, missingData(EndpointOnboardAgent, "")
	}
	return &Agent{TxnID: string(w.Data.TxnID), AgentID: string(w.Data.AgentID),
		Message: redactString(string(w.Message), f.PAN)}, nil
}

// OpenAccountParams describe a customer's account for NSDLBank.OpenAccount.
// Every field but MiddleName is required.
type OpenAccountParams struct {
	// OrderID is your unique id for this opening, sent as orderid: any text
	// without control characters (the API states no format or length).
	OrderID string
	// AccountType is SavingsAccount or CurrentAccount, sent as account_type
	// "1" or "2"; any other value fails Validate.
	AccountType AccountType
	// BCAgentID is the agent id from OnboardAgent.
	BCAgentID string
	// AgentPAN is the agent's registered PAN, sent as agent_pancard. It is
	// masked in String and %v output.
	AgentPAN string `mask:"pan"`
	// FirstName is the customer's first name, sent as first_name.
	FirstName string
	// MiddleName is the customer's middle name, sent as middle_name; it is
	// optional and not sent when empty.
	MiddleName string
	// LastName is the customer's last name, sent as last_name.
	LastName string
	// Email is the customer's bare e-mail address, sent as email.
	Email string
	// Phone is the customer's Indian mobile, sent as phone: 10 digits
	// starting 6-9 (+91, a leading 0, spaces and hyphens are removed). It is
	// masked in String and %v output.
	Phone string `mask:"mobile"`
	// PAN is the customer's PAN, AAAAA9999A (lower case is upper-cased),
	// sent as pancard. It is masked in String and %v output.
	PAN string `mask:"pan"`
	// Pincode is the customer's postal code, 6 digits not starting with 0.
	Pincode string
	// ReturnURL, sent as return_url, is where NSDL sends the customer's
	// browser after the opening, and where INEXOPAY posts this opening's
	// status webhooks (callback_type per_transaction) instead of your global
	// webhook URL. Because it lands in the customer's browser history, do
	// not put a secret (such as a webhook token) in it.
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

// Validate reports, as a *ValidationError, a nil p or the first field that
// is missing or malformed once normalised the way OpenAccount normalises it
// (trimmed, PANs upper-cased, phone reduced to 10 digits). It checks a copy
// and never changes p.
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

// Format implements [fmt.Formatter]: every verb prints p with the PANs and
// phone masked.
func (p OpenAccountParams) Format(s fmt.State, verb rune) { maskedFormat(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p OpenAccountParams) LogValue() slog.Value { return maskedLogValue(p) }

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
	// user member or one the SDK cannot read as a number.
	CustomerID int64
	// Message is the API's message, such as "Success..!!".
	Message string
}

// OpenAccount starts an NSDL bank account opening and returns the URL the
// customer completes it at. It fails with a *ValidationError before sending
// (nil params, or a field missing or malformed), with an *APIError the API
// reports, and with ErrOutcomeUnknown when the answer was lost or a success
// answer had no URL: then look the order up with AccountDetails before
// trying again.
func (s *NSDLBankService) OpenAccount(ctx context.Context, params *OpenAccountParams, opts ...CallOption) (*AccountOpening, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.AccountOpening
	if err := s.c.do(ctx, EndpointOpenAccount, f.OrderID, f, &w, opts); err != nil {
		return nil, err
	}
	a := &AccountOpening{RedirectURL: string(w.Data), Message: redactString(string(w.Message), f.PAN, f.AgentPAN)}
	if u := w.User; u.Set {
		a.TxnID, a.CustomerID = string(u.V.TxnID), int64(u.V.CustomerID)
	}
	if a.RedirectURL == "" {
		return nil, missingData(EndpointOpenAccount, f.OrderID)
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
	Phone string `mask:"mobile"`
	// PAN is the customer's PAN (pancard). It is masked in String and %v
	// output.
	PAN string `mask:"pan"`
	// Pincode is the customer's postal code (pincode).
	Pincode string
	// Completed is true once the customer finished the opening (the API's
	// is_completed; read best-effort: any non-zero number is true, and a
	// value the SDK cannot read is false).
	Completed bool
	// RecordMessage is the record's own message about the opening (the
	// API's data.message); empty when the API sends null, as its samples do.
	RecordMessage string
	// Status is the API's numeric state of the opening (status), not
	// documented beyond 1 in its samples of a completed opening.
	Status int
	// Refunded is true when the opening fee was refunded (is_refunded; read
	// like Completed).
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
	// Message is the API's top-level message about the call, such as
	// "Success".
	Message string
}

// Format implements [fmt.Formatter]: every verb prints a with the PAN and
// phone masked.
func (a BankAccount) Format(s fmt.State, verb rune) { maskedFormat(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a BankAccount) LogValue() slog.Value { return maskedLogValue(a) }

type panForm struct {
	PAN string `url:"pancard"`
}

// AccountStatus returns the account opening for a customer's PAN (trimmed
// and upper-cased first). It fails with a *ValidationError for an empty or
// malformed PAN and with ErrNotFound when the API has no record for it.
func (s *NSDLBankService) AccountStatus(ctx context.Context, pan string, opts ...CallOption) (*BankAccount, error) {
	pan, err := s.c.panArg("PAN", pan)
	if err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountStatus, &panForm{PAN: pan}, pan, opts)
}

// AccountDetailsParams select an account opening by TxnID or by OrderID; at
// least one is required.
type AccountDetailsParams struct {
	// TxnID is the transaction id from OpenAccount, sent as txn_id.
	TxnID string
	// OrderID is your order id, sent as orderid, which the API resolves to
	// its txn id.
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

// Validate reports a *ValidationError when p is nil, neither field is set
// (once trimmed) or one holds control characters. It never changes p.
func (p *AccountDetailsParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// AccountDetails returns an account opening by txn id or order id. It fails
// with a *ValidationError when params is nil, neither id is given or one is
// malformed, and with ErrNotFound when the API has no such record.
func (s *NSDLBankService) AccountDetails(ctx context.Context, params *AccountDetailsParams, opts ...CallOption) (*BankAccount, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	return s.bankAccount(ctx, EndpointBankAccountDetails, f, "", opts)
}

// bankAccount posts form and decodes the record; pan is the PAN the call
// was sent with, if any, to mask in the messages.
func (s *NSDLBankService) bankAccount(ctx context.Context, e Endpoint, form any, pan string, opts []CallOption) (*BankAccount, error) {
	var w wire.BankAccountAnswer
	if err := s.c.do(ctx, e, "", form, &w, opts); err != nil {
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
		RecordMessage: redactString(string(d.Message), pan, string(d.PAN)),
		Status:        int(d.Status),
		Refunded:      bool(d.Refunded),
		Date:          time.Time(d.Date),
		CreatedAt:     time.Time(d.CreatedAt),
		UpdatedAt:     time.Time(d.UpdatedAt),
		Message:       redactString(string(w.Message), pan, string(d.PAN)),
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
	// Message is the API's message, such as "Redirect URL retrieved
	// successfully."
	Message string
}

// orderForm is the form of the calls that take only an order id.
type orderForm struct {
	OrderID string `url:"orderid"`
}

// IncompleteAccountURL returns the URL at which the customer of a pending
// account opening can finish it. It fails with a *ValidationError for an
// empty order id (or one with control characters), and with ErrBadRequest (or ErrNotFound, when
// the API's message says "not found") when the opening is not pending or
// not found ("URL can only be retrieved for pending transactions").
func (s *NSDLBankService) IncompleteAccountURL(ctx context.Context, orderID string, opts ...CallOption) (*IncompleteAccount, error) {
	orderID, err := s.c.idArg("OrderID", orderID)
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
