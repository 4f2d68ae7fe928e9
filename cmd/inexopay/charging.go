package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/inexopay/inexopay-go"
)

// errNotConfirmed is the error of a charging command the operator did not
// confirm; nothing was sent.
var errNotConfirmed = errors.New("not confirmed: nothing was sent (give -yes to skip the question)")

// charge runs a command that charges or creates something: it prints the
// order id first (on stdout, or on stderr with -json so that stdout stays
// one JSON document), asks for confirmation on stderr unless -yes, then
// calls. An outcome-unknown error gets lookup, a sentence saying how to
// find out what happened, appended.
func (c *cli) charge(orderLabel, orderID, what string, summary []field, lookup string, call func() error) error {
	if c.opts.json {
		c.errorf("%s: %s", strings.ToLower(orderLabel), oneLine(orderID))
	} else if err := c.printFields(field{orderLabel, orderID}); err != nil {
		return err
	}
	if !c.opts.yes {
		fmt.Fprintf(c.stderr, "This %s.\n", what)
		tw := tabwriter.NewWriter(c.stderr, 0, 0, 1, ' ', 0)
		for _, f := range summary {
			if f.value != "" {
				fmt.Fprintf(tw, "  %s:\t%s\n", f.label, oneLine(f.value))
			}
		}
		_ = tw.Flush()
		fmt.Fprint(c.stderr, "Proceed? [y/N] ")
		answer, err := c.stdin.ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || answer == "") {
			fmt.Fprintln(c.stderr)
			return errNotConfirmed
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "y", "yes":
		default:
			return errNotConfirmed
		}
	}
	err := call()
	if errors.Is(err, inexopay.ErrOutcomeUnknown) {
		return fmt.Errorf("%w\n%s", err, lookup)
	}
	return err
}

// orderOrNew returns id, or a new order id with prefix when id is empty.
func orderOrNew(id, prefix string) string {
	if id = strings.TrimSpace(id); id != "" {
		return id
	}
	return inexopay.NewOrderID(prefix)
}

// --- wallet-qr ---

const walletQRHelp = "Create a wallet load of AMOUNT rupees (such as 100 or 250.50) and print\n" +
	"its UPI QR: the QR image URL and the upi:// link. INEXOPAY assigns the\n" +
	"order id; check the payment with 'inexopay wallet-status ORDER'. Asks for\n" +
	"confirmation unless -yes.\n"

type walletQRJSON struct {
	OrderID           string          `json:"order_id"`
	Amount            inexopay.Amount `json:"amount"`
	Status            inexopay.Status `json:"status"`
	QRURL             string          `json:"qr_url"`
	UPIID             string          `json:"upi_id"`
	AccountHolderName string          `json:"account_holder_name"`
	UPIString         string          `json:"upi_string"`
}

func (c *cli) setupWalletQR(*flag.FlagSet) runFunc {
	return func(ctx context.Context, client *inexopay.Client, args []string) error {
		amount, err := inexopay.ParseAmount(args[0])
		if err != nil || amount <= 0 {
			return amountError(args[0], err)
		}
		var qr *inexopay.WalletQR
		err = c.charge("Order id", "assigned by INEXOPAY (printed below once it answers)",
			"creates a wallet load order (UPI QR)", []field{{"Amount", rupees(amount)}},
			"INEXOPAY assigns a wallet load's order id, so it is not known: look for the load in the INEXOPAY dashboard before trying again.",
			func() (err error) {
				qr, err = client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: amount})
				return err
			})
		if err != nil {
			return err
		}
		if c.opts.json {
			return c.printJSON(walletQRJSON{OrderID: qr.OrderID, Amount: qr.Amount, Status: qr.Status, QRURL: qr.QRURL,
				UPIID: qr.UPIID, AccountHolderName: qr.AccountHolderName, UPIString: qr.UPIString})
		}
		return c.printFields(
			field{"Order", qr.OrderID},
			field{"Amount", rupees(qr.Amount)},
			field{"Status", string(qr.Status)},
			field{"UPI ID", qr.UPIID},
			field{"Payee", qr.AccountHolderName},
			field{"QR URL", qr.QRURL},
			field{"UPI link", qr.UPIString},
		)
	}
}

// --- pan-request, pan-resume ---

const panRequestHelp = "File an NSDL PAN application, charging the PAN fee from the API\n" +
	"balance, and print the URL to send the applicant to. Without -order a new\n" +
	"order id is generated; it is printed first, so that an unknown outcome can\n" +
	"be looked up with 'inexopay pan-status ORDER'. Asks for confirmation\n" +
	"unless -yes. Text output masks the mobile number.\n" + panFormHelp

const panResumeHelp = "Get a fresh URL for the incomplete PAN application ORDER (a call that\n" +
	"creates something, so it is never retried once sent). Asks for\n" +
	"confirmation unless -yes.\n" + panFormHelp

const panFormHelp = "When the API answers with an HTML form instead of a URL, the whole hand-off\n" +
	"is printed: the form's action, method and every field (text output masks\n" +
	"the values and the action's query; -json prints them, with the API key\n" +
	"masked wherever the form echoes it). -form-out FILE writes the page that\n" +
	"submits the form as it came (readable by you only), to open in the\n" +
	"applicant's browser.\n"

type panApplicationJSON struct {
	OrderID string       `json:"order_id"`
	TxID    string       `json:"txid,omitempty"`
	URL     string       `json:"url"`
	Mobile  string       `json:"mobile,omitempty"`
	Form    *panFormJSON `json:"form,omitempty"`
}

// panFormJSON is the HTML form an application continues with.
type panFormJSON struct {
	Action string              `json:"action"`
	Method string              `json:"method"`
	Fields map[string][]string `json:"fields"`
}

// errNoTxID is returned after printing an application whose JSON answer
// gave no txid: the CLI never reports that as a plain success.
var errNoTxID = errors.New("the API's answer gave no txid for this application")

func (c *cli) printPANApplication(a *inexopay.PANApplication) error {
	if err := c.printPANHandOff(a); err != nil {
		return err
	}
	if a.Form == nil && strings.TrimSpace(a.TxID) == "" {
		return fmt.Errorf("%w: run 'inexopay pan-status %s' to check it before sending the applicant on", errNoTxID, a.OrderID)
	}
	return nil
}

func (c *cli) printPANHandOff(a *inexopay.PANApplication) error {
	// The form comes from the network and may echo the call's secret, the
	// API key (a PAN call carries no Aadhaar number, OTP or PAN): it is
	// masked wherever it appears, with -json too. The -form-out page keeps
	// the form as it came: it is the hand-off.
	if c.opts.json {
		out := panApplicationJSON{OrderID: a.OrderID, TxID: a.TxID, URL: c.clean(a.URL), Mobile: a.Mobile}
		if f := a.Form; f != nil {
			out.Form = &panFormJSON{Action: c.clean(f.Action), Method: f.Method, Fields: map[string][]string{}}
			for k, vs := range f.Fields {
				clean := make([]string, len(vs))
				for i, v := range vs {
					clean[i] = c.clean(v)
				}
				k = c.clean(k)
				out.Form.Fields[k] = append(out.Form.Fields[k], clean...)
			}
		}
		return c.printJSON(out)
	}
	if f := a.Form; f != nil {
		fields := []field{
			{"Order", a.OrderID},
			{"Hand-off", "HTML form (no txid): the applicant's browser must submit it; see -form-out"},
			{"Action", c.clean(maskURLQuery(f.Action))},
			{"Method", f.Method},
		}
		names := make([]string, 0, len(f.Fields))
		for k := range f.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			for range f.Fields[k] {
				fields = append(fields, field{"Field " + c.clean(k), "[REDACTED]"})
			}
		}
		return c.printFields(fields...)
	}
	return c.printFields(
		field{"Order", a.OrderID},
		field{"Txid", a.TxID},
		field{"URL", c.clean(a.URL)},
		field{"Mobile", inexopay.MaskMobile(a.Mobile)},
	)
}

// maskURLQuery hides a URL's query, which may carry a session token.
func maskURLQuery(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return s[:i] + "?[REDACTED]"
	}
	return s
}

// writeFormPage writes the page that submits a's form to path, readable by
// its owner only (the fields carry the applicant's session). Without a form
// it writes nothing and says so.
func (c *cli) writeFormPage(a *inexopay.PANApplication, path string) error {
	if path == "" {
		return nil
	}
	if a.Form == nil {
		c.errorf("the API answered with a URL, not a form: nothing written to %s", path)
		return nil
	}
	pw := &pageWriter{h: http.Header{}}
	if err := a.Form.WritePage(pw); err != nil {
		return err
	}
	if err := os.WriteFile(path, pw.body.Bytes(), 0o600); err != nil {
		return fmt.Errorf("writing the form page: %w", err)
	}
	c.errorf("wrote the page that continues the application to %s: open it in the applicant's browser", path)
	return nil
}

// pageWriter collects what RedirectForm.WritePage writes.
type pageWriter struct {
	h    http.Header
	body bytes.Buffer
}

func (w *pageWriter) Header() http.Header         { return w.h }
func (w *pageWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
func (w *pageWriter) WriteHeader(int)             {}

func (c *cli) setupPANRequest(fs *flag.FlagSet) runFunc {
	mobile := fs.String("mobile", "", "the applicant's `mobile` number (required)")
	order := fs.String("order", "", "your order `id` (default: a new one, printed first)")
	mode := fs.String("mode", string(inexopay.PANModeEKYC), "KYC `mode`: EKYC or ESIGN")
	typ := fs.String("type", string(inexopay.PANTypeNew), "application `type`: new_pan (or new) or correction")
	returnURL := fs.String("return-url", "", "where the applicant is sent afterwards and this application's webhooks go (`URL`)")
	formOut := fs.String("form-out", "", "when the API answers with an HTML form, write the page that submits it to `FILE`")
	return func(ctx context.Context, client *inexopay.Client, _ []string) error {
		p := &inexopay.PANRequestParams{Mobile: *mobile, OrderID: orderOrNew(*order, "PAN"),
			Mode: inexopay.PANMode(strings.ToUpper(*mode)), Type: panType(*typ), ReturnURL: *returnURL}
		if err := p.Validate(); err != nil {
			return err
		}
		var a *inexopay.PANApplication
		err := c.charge("Order id", p.OrderID, "files a PAN application and charges the PAN fee from your API balance",
			[]field{{"Mobile", inexopay.MaskMobile(p.Mobile)}, {"Mode", string(p.Mode)}, {"Type", string(p.Type)}, {"Return URL", p.ReturnURL}},
			"The application may have been filed and charged: run 'inexopay pan-status "+p.OrderID+"' before trying again.",
			func() (err error) {
				a, err = client.PAN.Request(ctx, p)
				return err
			})
		if err != nil {
			return err
		}
		if err := c.writeFormPage(a, *formOut); err != nil {
			return err
		}
		return c.printPANApplication(a)
	}
}

func (c *cli) setupPANResume(fs *flag.FlagSet) runFunc {
	formOut := fs.String("form-out", "", "when the API answers with an HTML form, write the page that submits it to `FILE`")
	return func(ctx context.Context, client *inexopay.Client, args []string) error {
		var a *inexopay.PANApplication
		err := c.charge("Order id", args[0], "asks INEXOPAY for a fresh URL of an incomplete PAN application", nil,
			"The application may have been resumed: run 'inexopay pan-status "+args[0]+"' before trying again.",
			func() (err error) {
				a, err = client.PAN.Resume(ctx, args[0])
				return err
			})
		if err != nil {
			return err
		}
		if err := c.writeFormPage(a, *formOut); err != nil {
			return err
		}
		return c.printPANApplication(a)
	}
}

// --- aadhaar-send-otp, aadhaar-verify-otp ---

const sendOTPHelp = "Send an OTP to the mobile linked to an Aadhaar number (a charged call),\n" +
	"and print the request id to verify it with. Without -order a new order id\n" +
	"is generated and printed first. Output never shows more than the last 4\n" +
	"digits of the number. Asks for confirmation unless -yes.\n"

const verifyOTPHelp = "Verify the OTP an Aadhaar holder received (a charged call) and print the\n" +
	"result. Text output redacts the holder's name, date of birth and address;\n" +
	"-json prints them. Asks for confirmation unless -yes.\n"

type aadhaarOTPJSON struct {
	OrderID      string                 `json:"order_id"`
	RequestID    string                 `json:"request_id"`
	Status       inexopay.AadhaarStatus `json:"status"`
	AadhaarLast4 string                 `json:"aadhaar_last4,omitempty"`
	Message      string                 `json:"message,omitempty"`
	TraceID      string                 `json:"trace_id,omitempty"`
	Time         string                 `json:"time,omitempty"`
}

func (c *cli) setupSendOTP(fs *flag.FlagSet) runFunc {
	number := fs.String("aadhaar", "", "the 12-digit Aadhaar `number` (required)")
	order := fs.String("order", "", "your order `id` (default: a new one, printed first)")
	return func(ctx context.Context, client *inexopay.Client, _ []string) error {
		p := &inexopay.SendOTPParams{OrderID: orderOrNew(*order, "AAD"), AadhaarNumber: *number}
		if err := p.Validate(); err != nil {
			return err
		}
		var o *inexopay.AadhaarOTP
		err := c.charge("Order id", p.OrderID, "sends an Aadhaar OTP, a charged call",
			[]field{{"Aadhaar", inexopay.MaskAadhaar(p.AadhaarNumber)}},
			"The OTP may have been sent and charged (order "+p.OrderID+"): ask the holder whether an OTP arrived before trying again with a new order id.",
			func() (err error) {
				o, err = client.Aadhaar.SendOTP(ctx, p)
				return err
			})
		if err != nil {
			return err
		}
		last4 := ""
		if o.AadhaarLast4 != "" {
			last4 = "XXXXXXXX" + o.AadhaarLast4
		}
		if c.opts.json {
			return c.printJSON(aadhaarOTPJSON{OrderID: p.OrderID, RequestID: o.RequestID, Status: o.Status, AadhaarLast4: o.AadhaarLast4,
				Message: o.Message, TraceID: o.TraceID, Time: timeText(o.Time)})
		}
		return c.printFields(
			field{"Order", p.OrderID},
			field{"Request id", o.RequestID},
			field{"Status", string(o.Status)},
			field{"Aadhaar", last4},
			field{"Message", o.Message},
			field{"Trace id", o.TraceID},
			field{"Time", timeText(o.Time)},
		)
	}
}

type aadhaarVerificationJSON struct {
	OrderID   string                 `json:"order_id"`
	RequestID string                 `json:"request_id"`
	Status    inexopay.AadhaarStatus `json:"status"`
	Message   string                 `json:"message,omitempty"`
	FullName  string                 `json:"full_name,omitempty"`
	DOB       string                 `json:"dob,omitempty"`
	Gender    string                 `json:"gender,omitempty"`
	Address   string                 `json:"address,omitempty"`
	TraceID   string                 `json:"trace_id,omitempty"`
	Time      string                 `json:"time,omitempty"`
}

func (c *cli) setupVerifyOTP(fs *flag.FlagSet) runFunc {
	requestID := fs.String("request-id", "", "the request `id` aadhaar-send-otp printed (required)")
	otp := fs.String("otp", "", "the 6-digit `OTP` the holder received (required)")
	number := fs.String("aadhaar", "", "the Aadhaar `number` the OTP was sent for (required)")
	order := fs.String("order", "", "your order `id` (default: a new one, printed first)")
	return func(ctx context.Context, client *inexopay.Client, _ []string) error {
		p := &inexopay.VerifyOTPParams{OrderID: orderOrNew(*order, "AAD"), RequestID: *requestID, OTP: *otp, AadhaarNumber: *number}
		if err := p.Validate(); err != nil {
			return err
		}
		var v *inexopay.AadhaarVerification
		err := c.charge("Order id", p.OrderID, "verifies an Aadhaar OTP, a charged call",
			[]field{{"Request id", p.RequestID}, {"Aadhaar", inexopay.MaskAadhaar(p.AadhaarNumber)}, {"OTP", "******"}},
			"The OTP may have been verified (order "+p.OrderID+"); an OTP is good for one verification.",
			func() (err error) {
				v, err = client.Aadhaar.VerifyOTP(ctx, p)
				return err
			})
		if err != nil {
			return err
		}
		if c.opts.json {
			return c.printJSON(aadhaarVerificationJSON{OrderID: p.OrderID, RequestID: v.RequestID, Status: v.Status, Message: v.Message,
				FullName: v.Details.FullName, DOB: v.Details.DOB, Gender: v.Details.Gender, Address: v.Details.Address,
				TraceID: v.TraceID, Time: timeText(v.Time)})
		}
		holder := ""
		if v.Details != (inexopay.AadhaarDetails{}) {
			holder = "[REDACTED] (name, date of birth and address: use -json)"
		}
		return c.printFields(
			field{"Order", p.OrderID},
			field{"Request id", v.RequestID},
			field{"Status", string(v.Status)},
			field{"Message", v.Message},
			field{"Holder", holder},
			field{"Gender", v.Details.Gender},
			field{"Trace id", v.TraceID},
		)
	}
}

// --- agent-onboard, account-open ---

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
			id = "assigned by INEXOPAY (printed below once it answers)"
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

// panType reads -type: the documented new_pan or correction, or new.
func panType(s string) inexopay.PANType {
	if s = strings.ToLower(strings.TrimSpace(s)); s == "new" {
		return inexopay.PANTypeNew
	}
	return inexopay.PANType(s)
}
