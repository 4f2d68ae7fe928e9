package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// Every example runs against the in-process sandbox (package
// inexopaytest), so that `go test` checks its output. In your code, create
// the client with NewClient and your credentials instead of srv.Client().
// The sandbox hands out random order ids, request ids and keys, so the
// examples print statuses, amounts and masked values, not ids.

func ExampleNewClient() {
	srv := inexopaytest.NewServer()
	defer srv.Close()

	// In production: inexopay.BodyAuth(os.Getenv("INEXOPAY_API_KEY"),
	// os.Getenv("INEXOPAY_USERNAME")) and no WithBaseURL.
	client, err := inexopay.NewClient(
		inexopay.BodyAuth(srv.APIKey, srv.Username),
		inexopay.WithBaseURL(srv.URL),
		inexopay.WithRetry(3, 250*time.Millisecond, 5*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	// One Client is safe for concurrent use: create it once and share it.
	bal, err := client.Account.Balance(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance:", bal.Amount)
	// Output:
	// balance: 1000.00
}

func ExampleAccountService_Status() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	st, err := client.Account.Status(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.OwnerName, "|", st.PlanName, "|", st.Status)
	fmt.Println("balance:", st.Balance)
	fmt.Println("IP binding:", st.IPStatus)
	// Output:
	// Sandbox Merchant | Sandbox Plan | ACTIVE
	// balance: 1000.00
	// IP binding: NOT_BOUND
}

func ExampleAccountService_Balance() {
	srv := inexopaytest.NewServer(inexopaytest.WithBalance(inexopay.Rupees(250)))
	defer srv.Close()
	client := srv.Client()

	bal, err := client.Account.Balance(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bal.Username, bal.Amount)
	fmt.Println("can pay ₹107:", bal.Amount >= inexopay.Rupees(107))
	// Output:
	// sandbox 250.00
	// can pay ₹107: true
}

func ExampleNSDLBankService_OnboardAgent() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	agent, err := client.NSDLBank.OnboardAgent(context.Background(), &inexopay.OnboardAgentParams{
		ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "9876543210", DateOfBirth: "1990-04-01", Address: "Main Road",
		StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "ABCDE1234F",
	})
	if err != nil {
		log.Fatal(err)
	}
	// Keep the agent id: OpenAccount needs it with the agent's PAN.
	fmt.Println("agent:", agent.AgentID)
	// Output:
	// agent: INX00001
}

func ExampleNSDLBankService_OpenAccount() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	agent, err := client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
		ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "9876543210", DateOfBirth: "1990-04-01", Address: "Main Road",
		StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "ABCDE1234F",
	})
	if err != nil {
		log.Fatal(err)
	}
	open, err := client.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{
		OrderID: inexopay.NewOrderID("ACC"), AccountType: inexopay.SavingsAccount,
		BCAgentID: agent.AgentID, AgentPAN: "ABCDE1234F", FirstName: "Asha", LastName: "Devi",
		Email: "asha@example.com", Phone: "9876543210", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/nsdl/done",
	})
	if err != nil {
		log.Fatal(err)
	}
	// Send the customer to open.RedirectURL to complete the opening; keep
	// open.TxnID (or your order id) to look it up.
	fmt.Println("redirect:", open.RedirectURL != "")
	fmt.Println("txn id:", strings.HasPrefix(open.TxnID, "NSDL"))
	// Output:
	// redirect: true
	// txn id: true
}

func ExampleNSDLBankService_AccountStatus() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	agent, err := client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
		ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "9876543210", DateOfBirth: "1990-04-01", Address: "Main Road",
		StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "ABCDE1234F",
	})
	if err != nil {
		log.Fatal(err)
	}
	orderID := inexopay.NewOrderID("ACC")
	_, err = client.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{
		OrderID: orderID, AccountType: inexopay.SavingsAccount,
		BCAgentID: agent.AgentID, AgentPAN: "ABCDE1234F", FirstName: "Asha", LastName: "Devi",
		Email: "asha@example.com", Phone: "9876543210", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/nsdl/done",
	})
	if err != nil {
		log.Fatal(err)
	}
	// The customer finishes at NSDL; the sandbox plays that part.
	if err := srv.CompleteAccountOpening(orderID); err != nil {
		log.Fatal(err)
	}

	// Look the opening up by the customer's PAN.
	acct, err := client.NSDLBank.AccountStatus(ctx, "ABCDE1234F")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(acct.FirstName, acct.LastName, acct.AccountType, inexopay.MaskPAN(acct.PAN))
	fmt.Println("completed:", acct.Completed)

	// A PAN with no opening is ErrNotFound.
	_, err = client.NSDLBank.AccountStatus(ctx, "ZZZZZ9999Z")
	fmt.Println("unknown PAN:", errors.Is(err, inexopay.ErrNotFound))
	// Output:
	// Asha Devi savings XXXXXX234F
	// completed: true
	// unknown PAN: true
}

func ExampleNSDLBankService_AccountDetails() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	agent, err := client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
		ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "9876543210", DateOfBirth: "1990-04-01", Address: "Main Road",
		StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "ABCDE1234F",
	})
	if err != nil {
		log.Fatal(err)
	}
	orderID := inexopay.NewOrderID("ACC")
	open, err := client.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{
		OrderID: orderID, AccountType: inexopay.CurrentAccount,
		BCAgentID: agent.AgentID, AgentPAN: "ABCDE1234F", FirstName: "Asha", LastName: "Devi",
		Email: "asha@example.com", Phone: "9876543210", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/nsdl/done",
	})
	if err != nil {
		log.Fatal(err)
	}

	// By the txn id OpenAccount returned…
	acct, err := client.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{TxnID: open.TxnID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(acct.AccountType, "completed:", acct.Completed)

	// …or by your own order id.
	acct, err = client.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: orderID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same opening:", acct.TxnID == open.TxnID)
	// Output:
	// current completed: false
	// same opening: true
}

func ExampleNSDLBankService_IncompleteAccountURL() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	agent, err := client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
		ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "9876543210", DateOfBirth: "1990-04-01", Address: "Main Road",
		StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "ABCDE1234F",
	})
	if err != nil {
		log.Fatal(err)
	}
	orderID := inexopay.NewOrderID("ACC")
	_, err = client.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{
		OrderID: orderID, AccountType: inexopay.SavingsAccount,
		BCAgentID: agent.AgentID, AgentPAN: "ABCDE1234F", FirstName: "Asha", LastName: "Devi",
		Email: "asha@example.com", Phone: "9876543210", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/nsdl/done",
	})
	if err != nil {
		log.Fatal(err)
	}

	// The customer left half-way: get a link to finish the opening.
	inc, err := client.NSDLBank.IncompleteAccountURL(ctx, orderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inc.Status, inc.AccountURL != "")

	// Once the opening is no longer pending there is no link.
	if err := srv.CompleteAccountOpening(orderID); err != nil {
		log.Fatal(err)
	}
	_, err = client.NSDLBank.IncompleteAccountURL(ctx, orderID)
	fmt.Println("after completion:", errors.Is(err, inexopay.ErrBadRequest))
	// Output:
	// pending true
	// after completion: true
}

func ExampleWalletService_GenerateQR() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	qr, err := client.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{
		Amount: inexopay.Rupees(500),
	})
	if err != nil {
		log.Fatal(err)
	}
	// Show qr.QRURL, or open qr.UPIString in a UPI app; keep qr.OrderID.
	fmt.Println(qr.Amount, qr.Status, strings.HasPrefix(qr.OrderID, "WAL"))
	fmt.Println("pay to:", qr.UPIID)

	// qr.UPI parses the upi://pay link and checks it against the QR.
	upi, err := qr.UPI()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("link amount:", upi.Amount)
	// Output:
	// 500.00 pending true
	// pay to: inexopay.sandbox@ptys
	// link amount: 500.00
}

func ExampleWalletService_PaymentStatus() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(500)})
	if err != nil {
		log.Fatal(err)
	}
	pay, err := client.Wallet.PaymentStatus(ctx, qr.OrderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pay.Status, pay.Status.Final())

	// The customer pays; the sandbox plays that part.
	if err := srv.CompleteWalletPayment(qr.OrderID); err != nil {
		log.Fatal(err)
	}

	pay, err = client.Wallet.PaymentStatus(ctx, qr.OrderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pay.Status, pay.Status.Final(), "new balance:", pay.NewBalance)
	// Output:
	// pending false
	// success true new balance: 1500.00
}

func ExampleWalletService_WaitForPayment() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	// Bound the wait: the customer may never pay.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(500)})
	if err != nil {
		log.Fatal(err)
	}
	// The customer pays; the sandbox plays that part.
	if err := srv.CompleteWalletPayment(qr.OrderID); err != nil {
		log.Fatal(err)
	}

	pay, err := client.Wallet.WaitForPayment(ctx, qr.OrderID,
		inexopay.WithPollInterval(2*time.Second, 30*time.Second))
	if err != nil {
		log.Fatal(err) // errors.Is(err, context.DeadlineExceeded) when nobody paid
	}
	fmt.Println(pay.Status, pay.Amount, "new balance:", pay.NewBalance)
	// Output:
	// success 500.00 new balance: 1500.00
}

func ExamplePANService_Request() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	params := &inexopay.PANRequestParams{
		Mobile:  "9876543210",
		OrderID: inexopay.NewOrderID("PAN"), // keep it: it is how you reconcile
		Mode:    inexopay.PANModeEKYC,
		Type:    inexopay.PANTypeNew,
	}
	app, err := client.PAN.Request(ctx, params)
	if err != nil {
		log.Fatal(err)
	}
	// Send the applicant on: redirect to app.URL, or serve app.Form when
	// the API answered with an HTML form (see RedirectForm.WritePage).
	fmt.Println("same order:", app.OrderID == params.OrderID)
	fmt.Println("applicant:", inexopay.MaskMobile(app.Mobile))

	bal, err := client.Account.Balance(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance after the fee:", bal.Amount)
	// Output:
	// same order: true
	// applicant: XXXXXX3210
	// balance after the fee: 893.00
}

func ExamplePANService_Status() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	orderID := inexopay.NewOrderID("PAN")
	_, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		log.Fatal(err)
	}
	st, err := client.PAN.Status(ctx, orderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Status, st.Amount)

	// The applicant finishes at NSDL; the sandbox plays that part.
	if err := srv.CompletePAN(orderID); err != nil {
		log.Fatal(err)
	}

	st, err = client.PAN.Status(ctx, orderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Status, st.Status.Final())
	// Output:
	// pending 107.00
	// success true
}

func ExamplePANService_WaitForCompletion() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()

	orderID := inexopay.NewOrderID("PAN")
	_, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		log.Fatal(err)
	}
	// NSDL rejects the application and the fee is refunded.
	if err := srv.FailPAN(orderID); err != nil {
		log.Fatal(err)
	}

	st, err := client.PAN.WaitForCompletion(ctx, orderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Status)
	// Output:
	// refund
}

func ExamplePANService_Resume() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	orderID := inexopay.NewOrderID("PAN")
	app, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		log.Fatal(err)
	}

	// The applicant closed the page: get a fresh link for the same order.
	again, err := client.PAN.Resume(ctx, orderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new link:", again.URL != app.URL)

	// A finished application cannot be resumed.
	if err := srv.CompletePAN(orderID); err != nil {
		log.Fatal(err)
	}
	_, err = client.PAN.Resume(ctx, orderID)
	fmt.Println("after completion:", errors.Is(err, inexopay.ErrBadRequest))
	// Output:
	// new link: true
	// after completion: true
}

func ExampleAadhaarService_SendOTP() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	otp, err := client.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{
		OrderID:       inexopay.NewOrderID("ADH"),
		AadhaarNumber: "234567890124",
	})
	if err != nil {
		log.Fatal(err)
	}
	// Keep otp.RequestID for VerifyOTP; only the last 4 digits come back.
	fmt.Println(otp.Status, otp.AadhaarLast4)

	// A number with a wrong check digit never leaves your server.
	_, err = client.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{
		OrderID:       inexopay.NewOrderID("ADH"),
		AadhaarNumber: "234567890125",
	})
	fmt.Println(err)
	// Output:
	// pending 0124
	// inexopay: invalid AadhaarNumber: fails the Verhoeff check digit
}

func ExampleAadhaarService_VerifyOTP() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	const aadhaar = "234567890124"
	orderID := inexopay.NewOrderID("ADH")
	otp, err := client.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: orderID, AadhaarNumber: aadhaar})
	if err != nil {
		log.Fatal(err)
	}
	code, _ := srv.OTP(otp.RequestID) // in production the holder types it in

	ver, err := client.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{
		OrderID: orderID, RequestID: otp.RequestID, OTP: code, AadhaarNumber: aadhaar,
	})
	if err != nil {
		log.Fatal(err) // errors.Is(err, inexopay.ErrBadRequest) for a wrong or expired OTP
	}
	fmt.Println(ver.Status, "|", ver.Details.FullName, "|", ver.Details.DOB)
	// Output:
	// verified | Sandbox Holder | 01-01-1990
}

// The errors the API reports are *APIError values: branch on the kind with
// errors.Is and read the details with errors.As.
func ExampleAPIError() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	srv.SetBalance(0)
	_, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: inexopay.NewOrderID("PAN"),
		Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	switch {
	case errors.Is(err, inexopay.ErrInsufficientBalance):
		fmt.Println("top up first") // with client.Wallet.GenerateQR
	case err != nil:
		log.Fatal(err)
	}
	var apiErr *inexopay.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.Message)
	}

	_, err = client.PAN.Status(ctx, "PAN-NO-SUCH-ORDER")
	fmt.Println("not found:", errors.Is(err, inexopay.ErrNotFound))
	// Output:
	// top up first
	// 402 Insufficient balance
	// not found: true
}

// A call that charges whose answer was lost is ErrOutcomeUnknown: the SDK
// does not send it again. Look the order up before trying again, and try
// again only with the same order id, so that nothing is charged twice.
func ExampleOutcomeUnknownError() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	// The sandbox files the application, then drops the connection.
	srv.InjectFault(inexopay.EndpointPANRequest,
		inexopaytest.Fault{Kind: inexopaytest.FaultDropAfterProcessing}, 1)

	params := &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: inexopay.NewOrderID("PAN"),
		Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	}
	_, err := client.PAN.Request(ctx, params)
	if errors.Is(err, inexopay.ErrOutcomeUnknown) {
		var unknown *inexopay.OutcomeUnknownError
		errors.As(err, &unknown)
		fmt.Println("outcome unknown for our order:", unknown.OrderID == params.OrderID)

		st, err := client.PAN.Status(ctx, params.OrderID)
		switch {
		case errors.Is(err, inexopay.ErrNotFound):
			// Request again WITH THE SAME order id (params unchanged), never a
			// new one: if the first was filed after all, the API refuses the
			// duplicate order id, and nothing is charged twice.
			_, err = client.PAN.Request(ctx, params)
			fmt.Println("requested again with the same order id:", err)
		case err != nil:
			log.Fatal(err) // still unknown: try the status call later
		default:
			fmt.Println("it was filed:", st.Status) // do not request again
		}
	}
	fmt.Println("PAN.Request calls:", srv.Requests(inexopay.EndpointPANRequest))
	// Output:
	// outcome unknown for our order: true
	// it was filed: pending
	// PAN.Request calls: 1
}

// Bad input is refused before anything is sent, as a *ValidationError
// naming the field.
func ExampleValidationError() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	_, err := client.PAN.Request(context.Background(), &inexopay.PANRequestParams{
		Mobile: "12345", OrderID: inexopay.NewOrderID("PAN"),
		Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	var ve *inexopay.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, "-", ve.Reason)
	}
	fmt.Println(errors.Is(err, inexopay.ErrInvalidParams))
	fmt.Println("sent:", srv.Requests(inexopay.EndpointPANRequest))
	// Output:
	// Mobile - must be 10 digits starting with 6, 7, 8 or 9
	// true
	// sent: 0
}

func ExampleClient_Diagnose() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client() // in production: NewClient with your credentials

	d, err := client.Diagnose(context.Background())
	if err != nil {
		log.Fatal(err) // only a nil or ended context
	}
	for _, ck := range d.Failed() {
		// Such as: PAN.Status: /api/nsdl-pan/v1/pan_status.php answers HTTP 404 …
		fmt.Printf("%s %s: %s %s\n", ck.Name, ck.Endpoint, ck.Detail, ck.Fix)
	}
	fmt.Println("all good:", d.OK(), "checks:", len(d.Checks), "protocol:", d.Protocol)
	fmt.Println(d.Checks[len(d.Checks)-1].Endpoint, d.Checks[len(d.Checks)-1].Result == "ok")
	// Output:
	// all good: true checks: 19 protocol: HTTP/1.1
	// Aadhaar.VerifyOTP true
}

// Params and results that hold a secret print it masked, with every fmt
// verb and in slog, while their fields keep the values for the program.
func ExampleVerifyOTPParams_Format() {
	p := inexopay.VerifyOTPParams{OrderID: "ADH1", RequestID: "ADHRVFR19052420260531_1e2d274",
		OTP: "583914", AadhaarNumber: "497312865407"}
	fmt.Printf("%v\n", p)
	fmt.Printf("%#v\n", p)
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	logger.Info("verifying", "params", p)
	fmt.Println(p.OTP == "583914")
	// Output:
	// VerifyOTPParams{OrderID:ADH1 RequestID:XXXXXXXXXXXXXXXXXXXXXXXXXd274 OTP:[REDACTED] AadhaarNumber:XXXXXXXX5407}
	// inexopay.VerifyOTPParams{OrderID:"ADH1", RequestID:"XXXXXXXXXXXXXXXXXXXXXXXXXd274", OTP:"[REDACTED]", AadhaarNumber:"XXXXXXXX5407"}
	// {"level":"INFO","msg":"verifying","params":{"OrderID":"ADH1","RequestID":"XXXXXXXXXXXXXXXXXXXXXXXXXd274","OTP":"[REDACTED]","AadhaarNumber":"XXXXXXXX5407"}}
	// true
}

// An Observer sees every attempt of every call: here the sandbox fails the
// first PAN status call with a 502, the SDK retries it, and the observer
// records both attempts and the call. Feed the same events to OpenTelemetry
// spans or Prometheus counters; Class is a small fixed set, fit for a
// metric label.
func ExampleWithObserver() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	srv.InjectFault(inexopay.EndpointPANStatus, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)

	var mu sync.Mutex
	var lines []string
	obs := inexopay.Observer{
		Attempt: func(_ context.Context, a inexopay.AttemptInfo) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf("attempt %d of %s: HTTP %d %q", a.Attempt, a.Endpoint, a.HTTPStatus, a.Class))
		},
		Call: func(_ context.Context, c inexopay.CallInfo) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf("call %s: %d attempts, HTTP %d %q, outcome unknown: %t",
				c.Endpoint, c.Attempts, c.HTTPStatus, c.Class, c.OutcomeUnknown))
		},
	}
	client, err := inexopay.NewClient(inexopay.BodyAuth(srv.APIKey, srv.Username), inexopay.WithBaseURL(srv.URL),
		inexopay.WithRetry(3, time.Millisecond, 10*time.Millisecond), inexopay.WithObserver(obs))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.PAN.Status(context.Background(), "ORD-UNKNOWN")
	fmt.Println("error:", err != nil)
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// error: true
	// attempt 1 of PAN.Status: HTTP 502 "server"
	// attempt 2 of PAN.Status: HTTP 200 "not_found"
	// call PAN.Status: 2 attempts, HTTP 200 "not_found", outcome unknown: false
}

// An http.Handler that files a PAN application and sends the applicant on,
// whichever way the API answered: a redirect to the URL of a JSON answer,
// or the auto-submitting page of an HTML form answer.
func ExampleRedirectForm_WritePage() {
	// The sandbox answering like the mail.inexopay.in host: an HTML form.
	srv := inexopaytest.NewServer(inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	defer srv.Close()
	client := srv.Client()

	start := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app, err := client.PAN.Request(r.Context(), &inexopay.PANRequestParams{
			Mobile:  "9876543210",
			OrderID: "PAN-EXAMPLE-1", // your order id, saved before the call
			Mode:    inexopay.PANModeEKYC,
			Type:    inexopay.PANTypeNew,
		})
		switch {
		case errors.Is(err, inexopay.ErrOutcomeUnknown):
			// Maybe charged: check PAN.Status before trying again.
			http.Error(w, "Your application is being checked, please retry shortly.", http.StatusServiceUnavailable)
		case err != nil:
			http.Error(w, "The application could not be started.", http.StatusBadGateway)
		case app.Form != nil:
			if err := app.Form.WritePage(w); err != nil {
				http.Error(w, "The application could not be started.", http.StatusInternalServerError)
			}
		default:
			http.Redirect(w, r, app.URL, http.StatusSeeOther)
		}
	})

	rec := httptest.NewRecorder()
	start.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/pan/start", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println("posts to the NSDL page:", strings.Contains(rec.Body.String(), `action="`+srv.URL+`/sandbox/nsdl/pan"`))
	fmt.Println("script allowed by hash:", strings.Contains(rec.Header().Get("Content-Security-Policy"), inexopay.RedirectFormScriptHash))
	// Output:
	// 200 text/html; charset=utf-8
	// posts to the NSDL page: true
	// script allowed by hash: true
}

func ExampleAmount() {
	fee := inexopay.Rupees(107)
	bal := inexopay.Amount(125050) // paise

	fmt.Println(fee, bal)
	fmt.Println(bal.Rupees(), bal.Paise())
	fmt.Println(fee.FormValue(), bal.FormValue()) // as sent to the API
	fmt.Println("after the fee:", bal-fee)
	// Output:
	// 107.00 1250.50
	// 1250 125050
	// 107 1250.50
	// after the fee: 1143.50
}

func ExampleParseAmount() {
	a, err := inexopay.ParseAmount("1250.5")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a, a.Paise())

	_, err = inexopay.ParseAmount("1.005") // a fraction of a paisa
	fmt.Println(err != nil)
	// Output:
	// 1250.50 125050
	// true
}

func ExampleParseUPI() {
	p, err := inexopay.ParseUPI("upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR" +
		"&tn=WAL1234567890123&am=100&tr=WAL1234567890123")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PayeeVPA, p.PayeeName, p.Amount, p.Currency, p.Reference)

	_, err = inexopay.ParseUPI("https://example.com/pay")
	fmt.Println(err)
	// Output:
	// paytmqr5hcr1f@ptys INEXOPAY 100.00 INR WAL1234567890123
	// inexopay: invalid UPIString: must be a upi:// link
}

func ExampleNewOrderID() {
	id := inexopay.NewOrderID("PAN")
	// The rest is a time-ordered, random suffix: ids sort by creation time.
	fmt.Println(strings.HasPrefix(id, "PAN"), len(id))
	fmt.Println(id != inexopay.NewOrderID("PAN"))
	// Output:
	// true 25
	// true
}

func ExampleMaskAadhaar() {
	fmt.Println(inexopay.MaskAadhaar("234567890124"))
	// Output:
	// XXXXXXXX0124
}

func ExampleMaskPAN() {
	fmt.Println(inexopay.MaskPAN("ABCDE1234F"))
	// Output:
	// XXXXXX234F
}

func ExampleMaskMobile() {
	fmt.Println(inexopay.MaskMobile("9876543210"))
	// Output:
	// XXXXXX3210
}

func ExampleParseWebhook() {
	// Your own handler, for when WebhookHandler does not fit.
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := inexopay.ParseWebhook(r)
		if err != nil {
			// A *WebhookError says which HTTP status to answer.
			var werr *inexopay.WebhookError
			status := http.StatusBadRequest
			if errors.As(err, &werr) {
				status = werr.HTTPStatus
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		// The payload is unsigned: confirm with the status call before
		// acting on it (see WebhookHandler).
		fmt.Println(ev.OrderID, ev.Status, ev.CallbackType, ev.Source)
		fmt.Println(ev.DateTime.UTC()) // sent in IST without a zone
		w.WriteHeader(http.StatusOK)
	})

	// What INEXOPAY posts.
	body := "orderid=PAN123&order_id=PAN123&status=Success&remark=PAN+application+submitted" +
		"&datetime=2026-06-03+15%3A30%3A00&callback_type=per_transaction"
	req := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Println(rec.Code)

	// A GET is refused.
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/inexopay/webhook", nil))
	fmt.Println(rec.Code)
	// Output:
	// PAN123 success per_transaction INEXOPAY-API
	// 2026-06-03 10:00:00 +0000 UTC
	// 200
	// 405
}

// The payload is unsigned, so protect the URL with a token, drop INEXOPAY's
// retries of a change already handled, and act on the status call, never on
// the webhook's own status.
func ExampleWebhookHandler() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	const token = "a-long-random-secret" // from your secret store
	handler := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		// This service sells only PAN applications; the payload does not
		// name the product, so with several, route by your own order
		// record first (see the README).
		st, err := client.PAN.Status(ctx, ev.OrderID)
		if err != nil {
			return err // answered 500: INEXOPAY retries
		}
		// Update your order from st (in your database); here, print it.
		fmt.Println("webhook says", ev.Status, "- API says", st.Status)
		return nil // answered 200
	},
		inexopay.WithWebhookToken(token),
		inexopay.WithWebhookDedup(nil), // in memory; share a DedupStore (sqldedup) across replicas
	)
	// In production: mux.Handle("/inexopay/webhook", handler), and give
	// INEXOPAY the URL that inexopay.WebhookURL(yourURL, token) returns.

	orderID := inexopay.NewOrderID("PAN")
	_, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.CompletePAN(orderID); err != nil {
		log.Fatal(err)
	}

	// INEXOPAY posts the change, posts it again (a retry), and someone
	// without the token posts a forged one.
	body := url.Values{"orderid": {orderID}, "status": {"success"}, "datetime": {"2026-06-03 15:30:00"}}.Encode()
	for _, target := range []string{
		"/inexopay/webhook?token=" + token,
		"/inexopay/webhook?token=" + token,
		"/inexopay/webhook",
	} {
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// webhook says success - API says success
	// 200 OK
	// 200 OK (duplicate)
	// 401 Unauthorized
}

// The sandbox posts real webhooks: point it at your handler to test the
// whole flow.
func ExampleWebhookHandler_sandbox() {
	events := make(chan *inexopay.WebhookEvent, 1)
	hooks := httptest.NewServer(inexopay.WebhookHandler(
		func(_ context.Context, ev *inexopay.WebhookEvent) error {
			events <- ev
			return nil
		}, inexopay.WithWebhookToken("secret")))
	defer hooks.Close()

	hookURL, err := inexopay.WebhookURL(hooks.URL+"/inexopay/webhook", "secret")
	if err != nil {
		log.Fatal(err)
	}
	srv := inexopaytest.NewServer(
		inexopaytest.WithWebhookURL(hookURL),
		inexopaytest.WithWebhookBackoff(time.Millisecond),
	)
	defer srv.Close()
	client := srv.Client()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.CompleteWalletPayment(qr.OrderID); err != nil {
		log.Fatal(err)
	}

	ds, err := srv.WaitDeliveries(ctx, 1)
	if err != nil {
		log.Fatal(err)
	}
	ev := <-events
	fmt.Println(ev.OrderID == qr.OrderID, ev.Status, ev.CallbackType)
	fmt.Println("delivered:", ds[0].Delivered, "attempts:", ds[0].Attempts)
	// Output:
	// true success global_webhook
	// delivered: true attempts: 1
}

func ExampleWebhookURL() {
	u, err := inexopay.WebhookURL("https://example.com/inexopay/webhook", "a-long-random-secret")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)
	// Output:
	// https://example.com/inexopay/webhook?token=a-long-random-secret
}

// Two replicas share one DedupStore: a change whose first delivery failed
// is handled by the retry, wherever it lands, and copies of a change
// already handled are acknowledged without running the callback again.
func ExampleWithWebhookDedup() {
	store := inexopay.NewMemoryDedupStore(24*time.Hour, 0) // in production: one store all replicas share
	calls := 0
	callback := func(_ context.Context, ev *inexopay.WebhookEvent) error {
		calls++
		if calls == 1 {
			return errors.New("database briefly down")
		}
		fmt.Println("handled", ev.OrderID, ev.Status)
		return nil
	}
	replicas := []http.Handler{
		inexopay.WebhookHandler(callback, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(time.Minute)),
		inexopay.WebhookHandler(callback, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(time.Minute)),
	}
	body := "orderid=WAL1234567890123&status=success&datetime=2026-06-03+15:30:00"
	for i := range 3 { // INEXOPAY's first delivery and two retries, alternating replicas
		req := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		replicas[i%2].ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 500 callback failed
	// handled WAL1234567890123 success
	// 200 OK
	// 200 OK (duplicate)
}

// Testing with the sandbox: complete payments, set the balance and inject
// faults from the test, as the README shows.
func Example_testingWithTheSandbox() {
	ctx := context.Background()
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client() // already pointed at the sandbox

	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.CompleteWalletPayment(qr.OrderID); err != nil { // the customer paid
		log.Fatal(err)
	}
	srv.SetBalance(0) // the next PAN.Request gets 402
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)

	p, err := client.Wallet.PaymentStatus(ctx, qr.OrderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("payment:", p.Status)
	_, err = client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: inexopay.NewOrderID("PAN"),
		Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	fmt.Println("PAN.Request:", errors.Is(err, inexopay.ErrServer) || errors.Is(err, inexopay.ErrOutcomeUnknown))
	// Output:
	// payment: success
	// PAN.Request: true
}

// WithPath changes the path of one endpoint, for a host whose paths differ
// from the defaults.
func ExampleWithPath() {
	auth := inexopay.BodyAuth("key-0123456789", "merchant")
	client, err := inexopay.NewClient(auth,
		inexopay.WithBaseURL("https://mail.inexopay.in"),
		inexopay.WithPath(inexopay.EndpointPANStatus, "/api/nsdl-pan/v2/pan_status.php"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	// Output:
	// https://mail.inexopay.in
}
