// Charging commands of the NSDL bank: agent-onboard and account-open.

package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/inexopay/inexopay-go"
)

const onboardHelp = "Onboard an NSDL bank agent (BC agent) and print its agent id, to give\n" +
	"account-open as -bc-agent-id. Without -bc-agent-id INEXOPAY assigns one.\n" +
	"Asks for confirmation unless -yes. Text output masks the mobile number and\n" +
	"the PAN.\n"

const accountOpenHelp = "Start an NSDL bank account opening and print the URL to send the\n" +
	"customer to. Without -order a new order id is generated; it is printed\n" +
	"first, so that an unknown outcome can be looked up. Asks for confirmation\n" +
	"unless -yes. Text output masks the phone number and the PANs.\n"

type agentJSON struct {
	AgentID string `json:"agent_id"`
	TxnID   string `json:"txn_id"`
}

func (c *cli) setupOnboard(fs *flag.FlagSet) runFunc {
	var p inexopay.OnboardAgentParams
	fs.StringVar(&p.ShopName, "shop-name", "", "the agent's shop `name` (required)")
	fs.StringVar(&p.Name, "name", "", "the agent's full `name` (required)")
	fs.StringVar(&p.Email, "email", "", "the agent's email `address` (required)")
	fs.StringVar(&p.Mobile, "mobile", "", "the agent's `mobile` number (required)")
	fs.StringVar(&p.DateOfBirth, "dob", "", "the agent's date of birth, `YYYY-MM-DD` (required)")
	fs.StringVar(&p.Address, "address", "", "the agent's full `address` (required)")
	fs.StringVar(&p.StateName, "state", "", "the `state` (required)")
	fs.StringVar(&p.CityName, "city", "", "the `city` (required)")
	fs.StringVar(&p.Pincode, "pincode", "", "the area `pincode` (required)")
	fs.StringVar(&p.PAN, "pan", "", "the agent's `PAN` (required)")
	fs.StringVar(&p.BCAgentID, "bc-agent-id", "", "your own agent `id` (default: INEXOPAY assigns one)")
	return func(ctx context.Context, client *inexopay.Client, _ []string) error {
		if err := p.Validate(); err != nil {
			return err
		}
		id := p.BCAgentID
		if id == "" {
			id = assignedByAPI + " (printed below once it answers)"
		}
		var a *inexopay.Agent
		err := c.charge("Agent id", id, "onboards an NSDL bank agent",
			[]field{{"Shop", p.ShopName}, {"Name", p.Name}, {"Email", p.Email}, {"Mobile", inexopay.MaskMobile(p.Mobile)},
				{"PAN", inexopay.MaskPAN(p.PAN)}, {"City", p.CityName}},
			"The agent may have been registered: onboarding the same mobile again answers \"ALREADY REGISTER\" if it was.",
			func() (err error) {
				a, err = client.NSDLBank.OnboardAgent(ctx, &p)
				return err
			})
		if err != nil {
			return err
		}
		c.id = a.AgentID
		if c.opts.json {
			return c.printJSON(agentJSON{AgentID: a.AgentID, TxnID: a.TxnID})
		}
		return c.printFields(field{"Agent id", a.AgentID}, field{"Txn id", a.TxnID})
	}
}

type accountOpeningJSON struct {
	OrderID     string `json:"order_id"`
	TxnID       string `json:"txn_id"`
	CustomerID  int64  `json:"customer_id"`
	RedirectURL string `json:"redirect_url"`
}

func (c *cli) setupAccountOpen(fs *flag.FlagSet) runFunc {
	var p inexopay.OpenAccountParams
	order := fs.String("order", "", "your order `id` (default: a new one, printed first)")
	typ := fs.String("type", "savings", "account `type`: savings (1) or current (2)")
	fs.StringVar(&p.BCAgentID, "bc-agent-id", "", "your BC agent `id`, from agent-onboard (required)")
	fs.StringVar(&p.AgentPAN, "agent-pan", "", "the agent's registered `PAN` (required)")
	fs.StringVar(&p.FirstName, "first-name", "", "the customer's first `name` (required)")
	fs.StringVar(&p.MiddleName, "middle-name", "", "the customer's middle `name`")
	fs.StringVar(&p.LastName, "last-name", "", "the customer's last `name` (required)")
	fs.StringVar(&p.Email, "email", "", "the customer's email `address` (required)")
	fs.StringVar(&p.Phone, "phone", "", "the customer's `mobile` number (required)")
	fs.StringVar(&p.PAN, "pan", "", "the customer's `PAN` (required)")
	fs.StringVar(&p.Pincode, "pincode", "", "the customer's area `pincode` (required)")
	fs.StringVar(&p.ReturnURL, "return-url", "", "where the customer is sent afterwards; also receives this opening's webhooks (`URL`, required)")
	return func(ctx context.Context, client *inexopay.Client, _ []string) error {
		switch strings.ToLower(*typ) {
		case "savings", "saving", "1":
			p.AccountType = inexopay.SavingsAccount
		case "current", "2":
			p.AccountType = inexopay.CurrentAccount
		default:
			return &inexopay.ValidationError{Field: "type", Reason: "must be savings or current",
				Errors: []inexopay.FieldError{{Field: "type", Reason: "must be savings or current"}}}
		}
		p.OrderID = orderOrNew(*order, "ACC")
		if err := p.Validate(); err != nil {
			return err
		}
		var a *inexopay.AccountOpening
		err := c.charge("Order id", p.OrderID, "starts an NSDL bank account opening",
			[]field{{"Type", p.AccountType.String()}, {"Customer", strings.Join(strings.Fields(p.FirstName+" "+p.MiddleName+" "+p.LastName), " ")},
				{"Phone", inexopay.MaskMobile(p.Phone)}, {"PAN", inexopay.MaskPAN(p.PAN)}, {"BC agent", p.BCAgentID}, {"Return URL", p.ReturnURL}},
			"The opening may have started: run 'inexopay account-status' with the customer's PAN (or NSDLBank.AccountDetails with order "+p.OrderID+") before trying again.",
			func() (err error) {
				a, err = client.NSDLBank.OpenAccount(ctx, &p)
				return err
			})
		if err != nil {
			return err
		}
		if c.opts.json {
			return c.printJSON(accountOpeningJSON{OrderID: p.OrderID, TxnID: a.TxnID, CustomerID: a.CustomerID, RedirectURL: a.RedirectURL})
		}
		customer := ""
		if a.CustomerID != 0 {
			customer = fmt.Sprint(a.CustomerID)
		}
		return c.printFields(field{"Order", p.OrderID}, field{"Txn id", a.TxnID}, field{"Customer id", customer}, field{"URL", a.RedirectURL})
	}
}
