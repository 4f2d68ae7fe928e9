package inexopay

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// OnboardAgentParams describe an agent; all but BCAgentID are required.
type OnboardAgentParams struct {
	ShopName    string
	Name        string
	Email       string
	Mobile      string `mask:"mobile"`
	DateOfBirth string
	Address     string
	StateName   string // the agent's state, such as "Bihar".
	CityName    string
	Pincode     string
	PAN         string `mask:"pan"`
	BCAgentID   string
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

// form normalises a copy of p into the form to post and checks it; see Validate.
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

// Validate reports every bad field of p in one [*ValidationError].
func (p *OnboardAgentParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// Format prints p for every fmt verb, masking the PAN and mobile.
func (p OnboardAgentParams) Format(s fmt.State, verb rune) { redact.Format(s, verb, p) }

// LogValue implements [slog.LogValuer] with the same masking.
func (p OnboardAgentParams) LogValue() slog.Value { return redact.LogValue(p) }

// Agent is an onboarded NSDL agent; AgentID goes to OpenAccountParams.
type Agent struct {
	TxnID   string
	AgentID string
	Message string
}

// OnboardAgent registers an NSDL agent; it may fail with [ErrOutcomeUnknown].
func (s *NSDLBankService) OnboardAgent(ctx context.Context, params *OnboardAgentParams, opts ...CallOption) (*Agent, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.Agent
	if err := s.c.doAsked(ctx, EndpointOnboardAgent, wire.Asked{AgentID: f.BCAgentID, PAN: f.PAN}, f, &w, opts); err != nil {
		return nil, err
	}
	return &Agent{TxnID: wire.TrimID(string(w.Data.TxnID)), AgentID: string(w.Data.AgentID),
		Message: string(w.Message)}, nil
}

// OpenAccountParams describe an account; all but MiddleName are required.
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
	ReturnURL   string // the browser and webhooks go here; put no secret in it
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

// form normalises a copy of p into the form to post and checks it; see Validate.
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

// Validate reports every bad field of p in one [*ValidationError].
func (p *OpenAccountParams) Validate() error {
	_, err := p.form(checker{formats: true})
	return err
}

// AccountType is the kind of NSDL bank account OpenAccount opens.
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

// AccountOpening is a started opening: send the customer to RedirectURL.
type AccountOpening struct {
	RedirectURL string `mask:"url"` // prints with its query masked (it carries a signed token).
	TxnID       string
	CustomerID  int64
	Message     string
}

// Format prints a for every fmt verb, masking the URL's query.
func (a AccountOpening) Format(s fmt.State, verb rune) { redact.Format(s, verb, a) }

// LogValue implements [slog.LogValuer] with the same masking.
func (a AccountOpening) LogValue() slog.Value { return redact.LogValue(a) }

// OpenAccount starts an opening; on [ErrOutcomeUnknown], check AccountDetails.
func (s *NSDLBankService) OpenAccount(ctx context.Context, params *OpenAccountParams, opts ...CallOption) (*AccountOpening, error) {
	f, err := params.form(s.c.checker())
	if err != nil {
		return nil, err
	}
	var w wire.AccountOpening
	if err := s.c.doAsked(ctx, EndpointOpenAccount, wire.Asked{OrderID: f.OrderID, PAN: f.PAN}, f, &w, opts); err != nil {
		return nil, err
	}
	a := &AccountOpening{RedirectURL: string(w.Data), Message: string(w.Message)}
	if u := w.User; u.Set {
		a.TxnID, a.CustomerID = wire.TrimID(string(u.V.TxnID)), int64(u.V.CustomerID)
	}
	return a, nil
}
