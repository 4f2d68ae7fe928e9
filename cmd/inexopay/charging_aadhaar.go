// Charging commands of Aadhaar: aadhaar-send-otp and aadhaar-verify-otp.

package main

import (
	"context"
	"flag"

	"github.com/inexopay/inexopay-go"
)

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
