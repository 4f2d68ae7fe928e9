package inexopay_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
)

// Secrets given in a non-normalised form (spaces, lower case) and echoed in
// the normalised one (and vice versa) are masked.
func TestOutsideNormalisedInputEchoMasked(t *testing.T) {
	type tc struct {
		name string
		echo string
		call func(c *inexopay.Client) error
	}
	cases := []tc{
		{"aadhaar-spaced-in", oAadhaar, func(c *inexopay.Client) error {
			_, err := c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: "O", AadhaarNumber: " 2345-6789-0124 "})
			return err
		}},
		{"otp-spaced-in", oOTP, func(c *inexopay.Client) error {
			_, err := c.Aadhaar.VerifyOTP(context.Background(), &inexopay.VerifyOTPParams{OrderID: "O", RequestID: "R123456", OTP: "583 914", AadhaarNumber: oAadhaar})
			return err
		}},
		{"pan-lower-in", oPAN, func(c *inexopay.Client) error {
			_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "O", AccountType: inexopay.SavingsAccount, BCAgentID: "A1",
				AgentPAN: strings.ToLower(oPAN), FirstName: "B", LastName: "K", Email: "b@example.com", Phone: "9876543210", PAN: "zxcvb9876l", Pincode: "852105", ReturnURL: "https://m.example/r"})
			return err
		}},
		{"pan-customer-echo", "ZXCVB9876L", func(c *inexopay.Client) error {
			_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "O", AccountType: inexopay.SavingsAccount, BCAgentID: "A1",
				AgentPAN: oPAN, FirstName: "B", LastName: "K", Email: "b@example.com", Phone: "9876543210", PAN: "zxcvb9876l", Pincode: "852105", ReturnURL: "https://m.example/r"})
			return err
		}},
	}
	for _, k := range cases {
		srv := oServer(t, func(r *http.Request) oEcho {
			return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"message":"bad ` + k.echo + `"}`}
		})
		c := oClient(t, srv.URL, nil)
		err := k.call(c)
		srv.Close()
		if err == nil {
			t.Errorf("%s: no error", k.name)
			continue
		}
		for _, txt := range oErrTexts(err) {
			if strings.Contains(strings.ToUpper(txt), k.echo) {
				t.Errorf("FINDING: %s: echo unmasked in %q", k.name, txt)
				break
			}
		}
	}
}

// Credentials in the base URL: refused without quoting them.
func TestOutsideBaseURLUserInfoNotQuoted(t *testing.T) {
	_, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "u"), inexopay.WithBaseURL("https://u:"+"Wm2Rt7Yp3Kx9zz@api.example"))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, txt := range oErrTexts(err) {
		if strings.Contains(txt, "Wm2Rt7Yp3Kx9zz") {
			t.Errorf("password from the URL quoted: %q", txt)
			break
		}
	}
}
