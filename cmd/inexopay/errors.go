package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go"
)

// flagOfField maps the Go name of a params field to the flag that sets it.
var flagOfField = map[string]string{
	"AadhaarNumber": "-aadhaar",
	"AccountType":   "-type",
	"Address":       "-address",
	"AgentPAN":      "-agent-pan",
	"BCAgentID":     "-bc-agent-id",
	"CityName":      "-city",
	"DateOfBirth":   "-dob",
	"Email":         "-email",
	"FirstName":     "-first-name",
	"LastName":      "-last-name",
	"MiddleName":    "-middle-name",
	"Mobile":        "-mobile",
	"Mode":          "-mode",
	"Name":          "-name",
	"OTP":           "-otp",
	"OrderID":       "-order",
	"PAN":           "-pan",
	"Phone":         "-phone",
	"Pincode":       "-pincode",
	"RequestID":     "-request-id",
	"ReturnURL":     "-return-url",
	"ShopName":      "-shop-name",
	"StateName":     "-state",
	"Type":          "-type",
	"type":          "-type",
}

// valueOfConstant maps the SDK's Go constants, as its reasons name them,
// to the values the command takes.
var valueOfConstant = strings.NewReplacer(
	"PANModeEKYC", "EKYC",
	"PANModeESign", "ESIGN",
	"PANTypeNew", "new_pan (or new)",
	"PANTypeCorrection", "correction",
	"SavingsAccount (1)", "savings",
	"CurrentAccount (2)", "current",
)

// cliName returns how the command line names the params field field of
// cmd: its positional argument (ORDER, PAN, AMOUNT) or its flag.
func cliName(cmd command, field string) string {
	switch {
	case cmd.args == "ORDER" && field == "OrderID",
		cmd.args == "PAN" && field == "PAN",
		cmd.args == "AMOUNT" && (field == "Amount" || field == "AMOUNT"):
		return cmd.args
	}
	if f, ok := flagOfField[field]; ok {
		return f
	}
	return field
}

// forCommandLine rewrites a *ValidationError for someone who typed cmd:
// flag names for Go field names, documented values for Go constants. Any
// other error is returned as it is.
func forCommandLine(cmd command, err error) error {
	var ve *inexopay.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	fields := ve.Errors
	if len(fields) == 0 {
		fields = []inexopay.FieldError{{Field: ve.Field, Reason: ve.Reason}}
	}
	out := &inexopay.ValidationError{}
	for _, fe := range fields {
		fe = inexopay.FieldError{Field: cliName(cmd, fe.Field), Reason: valueOfConstant.Replace(fe.Reason)}
		out.Errors = append(out.Errors, fe)
	}
	out.Field, out.Reason = out.Errors[0].Field, out.Errors[0].Reason
	return out
}

// errorKind names the class of err in -json output, after its exit code.
func errorKind(code int) string {
	switch code {
	case exitUsage:
		return "usage"
	case exitInvalid:
		return "invalid_params"
	case exitAuth:
		return "auth"
	case exitNotFound:
		return "not_found"
	case exitBalance:
		return "insufficient_balance"
	case exitAPI:
		return "api"
	case exitNetwork:
		return "network"
	case exitDoctor:
		return "doctor"
	case exitIncomplete:
		return "incomplete"
	}
	return "other"
}

type jsonFieldError struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

type jsonError struct {
	Kind     string           `json:"kind"`
	ExitCode int              `json:"exit_code"`
	Message  string           `json:"message"`
	Fields   []jsonFieldError `json:"fields,omitempty"`
	// OrderID (or AgentID) is the charging command's key, for reconciling.
	OrderID string `json:"order_id,omitempty"`
	AgentID string `json:"agent_id,omitempty"`
}

// printErrorJSON writes err as one line {"error": {...}} on stderr: its kind, the
// exit code, the message as text output would print it, and each bad
// field or flag.
func (c *cli) printErrorJSON(err error, msg string, code int) {
	je := jsonError{Kind: errorKind(code), ExitCode: code, Message: strings.TrimPrefix(msg, "inexopay: ")}
	var ve *inexopay.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Errors {
			je.Fields = append(je.Fields, jsonFieldError{Name: fe.Field, Reason: c.clean(fe.Reason)})
		}
	}
	switch c.idName {
	case "order_id":
		je.OrderID = c.clean(c.id)
	case "agent_id":
		je.AgentID = c.clean(c.id)
	}
	b, merr := json.Marshal(struct {
		Error jsonError `json:"error"`
	}{je})
	if merr != nil {
		c.errorf("%s", msg)
		return
	}
	fmt.Fprintln(c.stderr, string(b))
}

// durationValue is a flag.Value for a duration whose error says what is
// expected: time.ParseDuration's own is "parse error" to flag users.
type durationValue struct{ d *time.Duration }

func (v durationValue) String() string {
	if v.d == nil {
		return ""
	}
	return v.d.String()
}

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err == nil {
		*v.d = d
		return nil
	}
	const want = "want a duration with a unit, such as 30s, 2m or 1m30s (units: ms, s, m, h)"
	if allDigits(s) {
		return errors.New(want + "; a bare number has no unit: for seconds write " + s + "s")
	}
	return errors.New(want)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// amountError explains why text is not an amount of a wallet load.
func amountError(text string, err error) error {
	reason := "must be greater than zero, such as 100 or 250.50"
	if err != nil {
		// The SDK's one amount parser says why: fractions of a paisa, an
		// exponent, a misplaced comma, a sign or over the maximum.
		reason = err.Error() + " (write it such as 100 or 250.50, or 1,00,000; 1 rupee = 100 paise)"
	}
	return &inexopay.ValidationError{Field: "AMOUNT", Reason: reason, Errors: []inexopay.FieldError{{Field: "AMOUNT", Reason: reason}}}
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var ue *usageError
	var ae *inexopay.APIError
	var urlErr *url.Error
	var netErr net.Error
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, errDoctor):
		return exitDoctor
	case errors.Is(err, errNotConfirmed):
		return exitOther
	case errors.As(err, new(*incompleteError)):
		return exitIncomplete
	case errors.As(err, new(*outputError)):
		return exitOther
	case errors.Is(err, inexopay.ErrInvalidParams):
		return exitInvalid
	case errors.Is(err, inexopay.ErrUnauthorized), errors.Is(err, inexopay.ErrForbidden):
		return exitAuth
	case errors.Is(err, inexopay.ErrNotFound):
		return exitNotFound
	case errors.Is(err, inexopay.ErrInsufficientBalance):
		return exitBalance
	case errors.Is(err, inexopay.ErrOutcomeUnknown), errors.Is(err, inexopay.ErrServer),
		errors.Is(err, inexopay.ErrRateLimited):
		return exitNetwork
	case errors.As(err, &ae):
		return exitAPI
	case errors.Is(err, context.Canceled):
		return exitOther
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &urlErr), errors.As(err, &netErr):
		return exitNetwork
	}
	return exitOther
}
