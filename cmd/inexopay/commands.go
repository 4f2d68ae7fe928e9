package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/inexopay/inexopay-go"
)

// field is one line of human output: a label and its value.
type field struct{ label, value string }

// printFields writes the non-empty fields as aligned "Label: value" lines.
func (c *cli) printFields(fields ...field) error {
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 1, ' ', 0)
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		fmt.Fprintf(tw, "%s:\t%s\n", f.label, oneLine(f.value))
	}
	return tw.Flush()
}

// printJSON writes v as indented JSON, with characters a terminal would
// act on escaped (see jsonSafe).
func (c *cli) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = c.stdout.Write(append(jsonSafe(b), '\n'))
	return err
}

// timeText formats a time for output, or "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func rupees(a inexopay.Amount) string { return a.String() + " INR" }

type balanceJSON struct {
	Balance  inexopay.Amount `json:"balance"`
	Username string          `json:"username,omitempty"`
}

func (c *cli) balance(ctx context.Context, client *inexopay.Client, _ []string) error {
	b, err := client.Account.Balance(ctx)
	if err != nil {
		return err
	}
	if c.opts.json {
		return c.printJSON(balanceJSON{Balance: b.Amount, Username: b.Username})
	}
	return c.printFields(field{"Balance", rupees(b.Amount)}, field{"Username", b.Username})
}

type statusJSON struct {
	OwnerName string          `json:"owner_name"`
	Balance   inexopay.Amount `json:"balance"`
	Status    string          `json:"status"`
	PlanName  string          `json:"plan_name"`
	BindIP    string          `json:"bind_ip"`
	YourIP    string          `json:"your_ip"`
	IPStatus  string          `json:"ip_status"`
}

func (c *cli) status(ctx context.Context, client *inexopay.Client, _ []string) error {
	s, err := client.Account.Status(ctx)
	if err != nil {
		return err
	}
	if c.opts.json {
		return c.printJSON(statusJSON{OwnerName: s.OwnerName, Balance: s.Balance, Status: s.Status,
			PlanName: s.PlanName, BindIP: s.BindIP, YourIP: s.YourIP, IPStatus: s.IPStatus})
	}
	return c.printFields(
		field{"Owner", s.OwnerName},
		field{"Balance", rupees(s.Balance)},
		field{"Status", s.Status},
		field{"Plan", s.PlanName},
		field{"Bound IP", s.BindIP},
		field{"Your IP", s.YourIP},
		field{"IP status", s.IPStatus},
	)
}

type walletJSON struct {
	OrderID    string          `json:"order_id"`
	Amount     inexopay.Amount `json:"amount"`
	Status     inexopay.Status `json:"status"`
	DateTime   string          `json:"date_time,omitempty"`
	Bank       string          `json:"bank,omitempty"`
	Mode       string          `json:"mode,omitempty"`
	Remark     string          `json:"remark,omitempty"`
	NewBalance inexopay.Amount `json:"new_balance"`
}

func (c *cli) walletStatus(ctx context.Context, client *inexopay.Client, args []string) error {
	p, err := client.Wallet.PaymentStatus(ctx, args[0])
	if err != nil {
		return err
	}
	if c.opts.json {
		return c.printJSON(walletJSON{OrderID: p.OrderID, Amount: p.Amount, Status: p.Status,
			DateTime: timeText(p.DateTime), Bank: p.Bank, Mode: p.Mode, Remark: p.Remark, NewBalance: p.NewBalance})
	}
	newBalance := ""
	if p.NewBalance != 0 {
		newBalance = rupees(p.NewBalance)
	}
	return c.printFields(
		field{"Order", p.OrderID},
		field{"Amount", rupees(p.Amount)},
		field{"Status", string(p.Status)},
		field{"Time", timeText(p.DateTime)},
		field{"Bank", p.Bank},
		field{"Mode", p.Mode},
		field{"Remark", p.Remark},
		field{"New balance", newBalance},
	)
}

type panJSON struct {
	OrderID    string          `json:"order_id"`
	Status     inexopay.Status `json:"status"`
	Reference  string          `json:"reference,omitempty"`
	Mobile     string          `json:"mobile,omitempty"`
	Amount     inexopay.Amount `json:"amount"`
	DateTime   string          `json:"date_time,omitempty"`
	TxID       string          `json:"txid,omitempty"`
	OperatorID string          `json:"operator_id,omitempty"`
	CreatedAt  string          `json:"created_at,omitempty"`
	UpdatedAt  string          `json:"updated_at,omitempty"`
	// Data is the answer's data level (inexopay.PANStatus.Data), omitted
	// when the answer had none.
	Data *panDataJSON `json:"data,omitempty"`
	// Conflicts names the members the two levels disagree on.
	Conflicts []string `json:"conflicts,omitempty"`
}

type panDataJSON struct {
	OrderID string          `json:"order_id,omitempty"`
	Mobile  string          `json:"mobile,omitempty"`
	Amount  inexopay.Amount `json:"amount,omitempty"`
}

// panConflictFields returns the human lines of a PAN status's data level
// where it disagrees with the top level, then the list of conflicts; none
// when the levels agree.
func panConflictFields(s *inexopay.PANStatus) []field {
	var out []field
	for _, name := range s.Conflicts {
		switch name {
		case "number":
			out = append(out, field{"Data mobile", inexopay.MaskMobile(s.Data.Mobile)})
		case "amount":
			out = append(out, field{"Data fee", rupees(s.Data.Amount)})
		}
	}
	if len(s.Conflicts) > 0 {
		out = append(out, field{"Conflicts", strings.Join(s.Conflicts, ", ") +
			" (the answer's top level and its data disagree; the top level is shown above: check the application in the INEXOPAY dashboard before acting)"})
	}
	return out
}

func (c *cli) panStatus(ctx context.Context, client *inexopay.Client, args []string) error {
	s, err := client.PAN.Status(ctx, args[0])
	if err != nil {
		return err
	}
	if c.opts.json {
		out := panJSON{OrderID: s.OrderID, Status: s.Status, Reference: s.Reference, Mobile: s.Mobile,
			Amount: s.Amount, DateTime: timeText(s.DateTime), TxID: s.TxID, OperatorID: s.OperatorID,
			CreatedAt: timeText(s.CreatedAt), UpdatedAt: timeText(s.UpdatedAt), Conflicts: s.Conflicts}
		if s.Data != (inexopay.PANStatusData{}) {
			out.Data = &panDataJSON{OrderID: s.Data.OrderID, Mobile: s.Data.Mobile, Amount: s.Data.Amount}
		}
		return c.printJSON(out)
	}
	fields := []field{
		{"Order", s.OrderID},
		{"Status", string(s.Status)},
		{"Reference", s.Reference},
		{"Mobile", inexopay.MaskMobile(s.Mobile)},
		{"Fee", rupees(s.Amount)},
		{"Time", timeText(s.DateTime)},
		{"Txid", s.TxID},
		{"Operator id", s.OperatorID},
		{"Created", timeText(s.CreatedAt)},
		{"Updated", timeText(s.UpdatedAt)},
	}
	return c.printFields(append(fields, panConflictFields(s)...)...)
}

type accountJSON struct {
	ID          int64  `json:"id"`
	AccountType string `json:"account_type"`
	TxnID       string `json:"txn_id"`
	FirstName   string `json:"first_name"`
	MiddleName  string `json:"middle_name,omitempty"`
	LastName    string `json:"last_name"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	PAN         string `json:"pancard"`
	Pincode     string `json:"pincode,omitempty"`
	Completed   bool   `json:"completed"`
	Message     string `json:"message,omitempty"`
	Status      int    `json:"status"`
	Refunded    bool   `json:"refunded"`
	Date        string `json:"date,omitempty"`
	CreatedAt   string `json:"created_at,omitempty"`
	UpdatedAt   string `json:"updated_at,omitempty"`
}

func (c *cli) accountStatus(ctx context.Context, client *inexopay.Client, args []string) error {
	a, err := client.NSDLBank.AccountStatus(ctx, args[0])
	if err != nil {
		return err
	}
	if c.opts.json {
		return c.printJSON(accountJSON{ID: a.ID, AccountType: a.AccountType.String(), TxnID: a.TxnID,
			FirstName: a.FirstName, MiddleName: a.MiddleName, LastName: a.LastName, Email: a.Email,
			Phone: a.Phone, PAN: a.PAN, Pincode: a.Pincode, Completed: a.Completed, Message: a.RecordMessage,
			Status: a.Status, Refunded: a.Refunded, Date: timeText(a.Date),
			CreatedAt: timeText(a.CreatedAt), UpdatedAt: timeText(a.UpdatedAt)})
	}
	name := strings.Join(strings.Fields(a.FirstName+" "+a.MiddleName+" "+a.LastName), " ")
	return c.printFields(
		field{"Txn id", a.TxnID},
		field{"Account type", a.AccountType.String()},
		field{"Name", name},
		field{"Email", a.Email},
		field{"Phone", inexopay.MaskMobile(a.Phone)},
		field{"PAN", inexopay.MaskPAN(a.PAN)},
		field{"Pincode", a.Pincode},
		field{"Completed", yesNo(a.Completed)},
		field{"Status", strconv.Itoa(a.Status)},
		field{"Refunded", yesNo(a.Refunded)},
		field{"Message", a.RecordMessage},
		field{"Date", timeText(a.Date)},
		field{"Updated", timeText(a.UpdatedAt)},
	)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
