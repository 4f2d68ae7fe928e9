// Command quickstart walks through the INEXOPAY SDK.
//
// With no INEXOPAY_API_KEY in the environment it starts the in-process
// sandbox (package inexopaytest) and runs a whole tour against it: account
// status, a wallet load by UPI QR and its payment, a PAN application and its
// status (with both answers the API gives: a URL to redirect to, or an HTML
// form to serve), an Aadhaar OTP verification, and the webhooks the sandbox
// posts to a WebhookHandler. No credentials, no money.
//
// With INEXOPAY_API_KEY and INEXOPAY_USERNAME set (and optionally
// INEXOPAY_BASE_URL) it runs only the read-only calls against that API.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	if os.Getenv("INEXOPAY_API_KEY") != "" {
		err = live(ctx, os.Stdout)
	} else {
		err = tour(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// live runs the read-only calls against a real API.
func live(ctx context.Context, out io.Writer) error {
	opts := []inexopay.Option{}
	if base := os.Getenv("INEXOPAY_BASE_URL"); base != "" {
		opts = append(opts, inexopay.WithBaseURL(base))
	}
	client, err := inexopay.NewClient(inexopay.BodyAuth(os.Getenv("INEXOPAY_API_KEY"), os.Getenv("INEXOPAY_USERNAME")), opts...)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Using", client.BaseURL())
	return status(ctx, out, client)
}

func status(ctx context.Context, out io.Writer, client *inexopay.Client) error {
	st, err := client.Account.Status(ctx)
	if err != nil {
		return fmt.Errorf("account status: %w", err)
	}
	fmt.Fprintf(out, "Account: %s, plan %q, status %s, balance ₹%s, IP %s (%s)\n",
		st.OwnerName, st.PlanName, st.Status, st.Balance, st.YourIP, st.IPStatus)
	bal, err := client.Account.Balance(ctx)
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	fmt.Fprintf(out, "Balance of %s: ₹%s\n", bal.Username, bal.Amount)
	return nil
}

// tour runs every service against the in-process sandbox.
func tour(ctx context.Context, out io.Writer) error {
	// 1. Your webhook endpoint, mounted like any http.Handler.
	events := make(chan *inexopay.WebhookEvent, 16)
	hook := inexopay.WebhookHandler(func(_ context.Context, ev *inexopay.WebhookEvent) error {
		events <- ev
		return nil
	})
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hookSrv := &http.Server{Handler: hook, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hookSrv.Serve(ln) }()
	defer func() { _ = hookSrv.Close() }()
	hookURL := "http://" + ln.Addr().String() + "/inexopay/webhook"

	// 2. The sandbox: a stateful copy of the API on loopback.
	sandbox := inexopaytest.NewServer(inexopaytest.WithWebhookURL(hookURL), inexopaytest.WithWebhookBackoff(10*time.Millisecond))
	defer sandbox.Close()
	client := sandbox.Client()
	fmt.Fprintln(out, "Sandbox running at", sandbox.URL, "as", sandbox.Username)

	if err := status(ctx, out, client); err != nil {
		return err
	}

	// 3. Load the wallet by UPI QR, then pay it (the sandbox plays the payer).
	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(500)})
	if err != nil {
		return fmt.Errorf("generate QR: %w", err)
	}
	fmt.Fprintf(out, "Wallet load %s for ₹%s: %s (%s)\n", qr.OrderID, qr.Amount, qr.Status, qr.UPIString)
	if err := sandbox.CompleteWalletPayment(qr.OrderID); err != nil {
		return err
	}
	pay, err := client.Wallet.PaymentStatus(ctx, qr.OrderID)
	if err != nil {
		return fmt.Errorf("payment status: %w", err)
	}
	fmt.Fprintf(out, "Wallet load %s: %s, new balance ₹%s\n", pay.OrderID, pay.Status, pay.NewBalance)

	// 4. File a PAN application; the fee comes off the balance.
	panOrder := inexopay.NewOrderID("PAN")
	app, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: inexopaytest.SandboxMobile, OrderID: panOrder, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		return fmt.Errorf("PAN request: %w", err)
	}
	fmt.Fprintf(out, "PAN application %s started (JSON answer): %s\n", app.OrderID, handOff(ctx, app))
	if err := panFormAnswer(ctx, out); err != nil {
		return err
	}
	if err := sandbox.CompletePAN(panOrder); err != nil {
		return err
	}
	pst, err := client.PAN.Status(ctx, panOrder)
	if err != nil {
		return fmt.Errorf("PAN status: %w", err)
	}
	fmt.Fprintf(out, "PAN application %s: %s (fee ₹%s)\n", pst.OrderID, pst.Status, pst.Amount)

	// 5. Verify an Aadhaar number by OTP (the sandbox tells us the OTP).
	const aadhaar = inexopaytest.SandboxAadhaar
	adhOrder := inexopay.NewOrderID("ADH")
	otp, err := client.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: adhOrder, AadhaarNumber: aadhaar})
	if err != nil {
		return fmt.Errorf("send OTP: %w", err)
	}
	// The request id works as a credential for VerifyOTP: print only its end.
	fmt.Fprintf(out, "OTP sent for Aadhaar %s: request …%s\n", inexopay.MaskAadhaar(aadhaar), otp.RequestID[max(0, len(otp.RequestID)-4):])
	code, ok := sandbox.OTP(otp.RequestID)
	if !ok {
		return errors.New("sandbox lost the OTP")
	}
	ver, err := client.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{
		OrderID: adhOrder, RequestID: otp.RequestID, OTP: code, AadhaarNumber: aadhaar,
	})
	if err != nil {
		return fmt.Errorf("verify OTP: %w", err)
	}
	fmt.Fprintf(out, "Aadhaar %s: %s, holder %s\n", inexopay.MaskAadhaar(aadhaar), ver.Status, ver.Details.FullName)

	// 6. The webhooks the status changes produced.
	for want := 2; want > 0; want-- {
		select {
		case ev := <-events:
			fmt.Fprintf(out, "Webhook: order %s is %s (%s, %s)\n", ev.OrderID, ev.Status, ev.Remark, ev.CallbackType)
		case <-ctx.Done():
			return fmt.Errorf("waiting for webhooks: %w", ctx.Err())
		}
	}
	fmt.Fprintln(out, "Done.")
	return nil
}

// sendOn is what your HTTP handler does with a started PAN application:
// redirect the applicant to its URL (JSON answer), or serve its form as an
// auto-submitting page (HTML answer, as from mail.inexopay.in).
func sendOn(w http.ResponseWriter, r *http.Request, app *inexopay.PANApplication) {
	if app.Form != nil {
		if err := app.Form.WritePage(w); err != nil {
			http.Error(w, "could not start the application", http.StatusInternalServerError)
		}
		return
	}
	http.Redirect(w, r, app.URL, http.StatusSeeOther)
}

// handOff describes what sendOn answers for app.
func handOff(ctx context.Context, app *inexopay.PANApplication) string {
	rec := httptest.NewRecorder()
	sendOn(rec, httptest.NewRequestWithContext(ctx, http.MethodPost, "/pan/start", nil), app)
	if app.Form == nil {
		return fmt.Sprintf("your handler answers %d, redirecting to %s", rec.Code, rec.Header().Get("Location"))
	}
	return fmt.Sprintf("your handler answers %d with a page that %ss %d fields to %s",
		rec.Code, app.Form.Method, len(app.Form.Fields), app.Form.Action)
}

// panFormAnswer files a PAN application with a sandbox that answers like
// the mail.inexopay.in host, with an HTML form, and follows the form as the
// applicant's browser would.
func panFormAnswer(ctx context.Context, out io.Writer) error {
	formBox := inexopaytest.NewServer(inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	defer formBox.Close()
	app, err := formBox.Client().PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: inexopaytest.SandboxMobile, OrderID: inexopay.NewOrderID("PAN"), Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		return fmt.Errorf("PAN request (form answer): %w", err)
	}
	fmt.Fprintf(out, "PAN application %s started (HTML form answer): %s\n", app.OrderID, handOff(ctx, app))
	// The browser submits the form; here we post its fields ourselves.
	req, err := http.NewRequestWithContext(ctx, app.Form.Method, app.Form.Action, strings.NewReader(app.Form.Fields.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("following the PAN form: %w", err)
	}
	_ = resp.Body.Close()
	visits := formBox.PANPageVisits()
	if resp.StatusCode != http.StatusOK || len(visits) != 1 || !visits[0].Accepted {
		return fmt.Errorf("the sandbox's NSDL page refused the form: %s", resp.Status)
	}
	fmt.Fprintf(out, "The applicant's browser reached the NSDL page for %s\n", visits[0].OrderID)
	return nil
}
