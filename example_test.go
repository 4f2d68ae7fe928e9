package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go"
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
// does not send it again. Look the order up before trying again, so that
// nothing is charged twice.
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
			fmt.Println("never filed: safe to request again")
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
