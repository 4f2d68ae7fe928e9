package inexopay_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/validate"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// e2eAadhaar is a valid (Verhoeff-checked) Aadhaar number.
var e2eAadhaar = func() string {
	const body = "38472910563"
	return body + string(validate.VerhoeffDigit(body))
}()

func e2eServer(t *testing.T, opts ...inexopaytest.Option) *inexopaytest.Server {
	t.Helper()
	s := inexopaytest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// e2eAPIError asserts that err is an *APIError matching sentinel with the
// given message.
func e2eAPIError(t *testing.T, err error, sentinel error, message string) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, message, ae.Message)
}

func e2eOnboard(mobile string) *inexopay.OnboardAgentParams {
	return &inexopay.OnboardAgentParams{ShopName: "Kumar Telecom", Name: "Binod Kumar", Email: "binod@example.com",
		Mobile: mobile, DateOfBirth: "1990-04-12", Address: "Main Road, Araria", StateName: "Bihar",
		CityName: "Araria", Pincode: "852105", PAN: "BQKPM4821R"}
}

func e2eOpen(orderID, agentID, returnURL string) *inexopay.OpenAccountParams {
	return &inexopay.OpenAccountParams{OrderID: orderID, AccountType: inexopay.SavingsAccount, BCAgentID: agentID,
		AgentPAN: "BQKPM4821R", FirstName: "Asha", MiddleName: "K", LastName: "Devi", Email: "asha@example.com",
		Phone: "7091919185", PAN: "ZXCVB9876L", Pincode: "852105", ReturnURL: returnURL}
}

func e2ePAN(orderID string) *inexopay.PANRequestParams {
	return &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
}

// e2eCalls calls every service method once with well-formed parameters.
func e2eCalls() map[inexopay.Endpoint]func(context.Context, *inexopay.Client) error {
	return map[inexopay.Endpoint]func(context.Context, *inexopay.Client) error{
		inexopay.EndpointAccountStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Account.Status(ctx)
			return err
		},
		inexopay.EndpointAccountBalance: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Account.Balance(ctx)
			return err
		},
		inexopay.EndpointOnboardAgent: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9123456780"))
			return err
		},
		inexopay.EndpointOpenAccount: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.OpenAccount(ctx, e2eOpen("ACCX", "INX00001", "https://merchant.example/r"))
			return err
		},
		inexopay.EndpointBankAccountStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.AccountStatus(ctx, "ZXCVB9876L")
			return err
		},
		inexopay.EndpointBankAccountDetails: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: "ACCX"})
			return err
		},
		inexopay.EndpointIncompleteAccountURL: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.NSDLBank.IncompleteAccountURL(ctx, "ACCX")
			return err
		},
		inexopay.EndpointGenerateQR: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
			return err
		},
		inexopay.EndpointPaymentStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Wallet.PaymentStatus(ctx, "WAL0000000000001")
			return err
		},
		inexopay.EndpointPANRequest: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.PAN.Request(ctx, e2ePAN("PANX"))
			return err
		},
		inexopay.EndpointPANStatus: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.PAN.Status(ctx, "PANX")
			return err
		},
		inexopay.EndpointPANResume: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.PAN.Resume(ctx, "PANX")
			return err
		},
		inexopay.EndpointSendOTP: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "ADHX", AadhaarNumber: e2eAadhaar})
			return err
		},
		inexopay.EndpointVerifyOTP: func(ctx context.Context, c *inexopay.Client) error {
			_, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "ADHX", RequestID: "ADHRX", OTP: "123456", AadhaarNumber: e2eAadhaar})
			return err
		},
	}
}

// TestE2EAccessRefusedEverywhere checks that every method fails with the
// right sentinel when the credentials, account status or IP are wrong, and
// that the server saw each refused call exactly once per attempt.
func TestE2EAccessRefusedEverywhere(t *testing.T) {
	srv := e2eServer(t)
	ctx := context.Background()
	calls := e2eCalls()
	require.Len(t, calls, len(endpoints.Paths[inexopay.Endpoint]()))

	wrongKey := srv.ClientWithAuth(inexopay.BodyAuth("wrong_key_0000", srv.Username))
	wrongUser := srv.ClientWithAuth(inexopay.HeaderAuth(srv.APIKey, "intruder"))
	for e, call := range calls {
		for _, c := range []*inexopay.Client{wrongKey, wrongUser} {
			err := call(ctx, c)
			require.ErrorIs(t, err, inexopay.ErrUnauthorized, e)
			var ae *inexopay.APIError
			require.ErrorAs(t, err, &ae, e)
			assert.Equal(t, 401, ae.HTTPStatus, e)
			assert.Equal(t, "Invalid API key or username", ae.Message, e)
			assert.NotContains(t, err.Error(), srv.APIKey)
		}
		assert.Equal(t, 2, srv.Requests(e), "a 401 is not retried: %s", e)
	}

	srv.SetAccountStatus("EXPIRED")
	for e, call := range calls {
		e2eAPIError(t, call(ctx, srv.Client()), inexopay.ErrForbidden, "Account not approved or subscription expired")
		assert.Equal(t, 3, srv.Requests(e), e)
	}
	srv.SetAccountStatus(inexopaytest.AccountActive)
	srv.SetBoundIP("203.0.113.10")
	for e, call := range calls {
		e2eAPIError(t, call(ctx, srv.Client()), inexopay.ErrForbidden, "IP not whitelisted")
		assert.Equal(t, 4, srv.Requests(e), e)
	}
	assert.Equal(t, inexopay.Rupees(1000), srv.Balance(), "refused calls charge nothing")
	assert.Equal(t, 0, srv.PANCount())
}

func TestE2EAccount(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithBalance(125050), inexopaytest.WithUsername("jojo"),
		inexopaytest.WithOwner("Your Name", "Premium Plan"))
	ctx := context.Background()

	srv.SetBoundIP("127.0.0.1")
	st, err := srv.Client().Account.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, &inexopay.AccountStatus{OwnerName: "Your Name", Balance: 125050, Status: "ACTIVE", PlanName: "Premium Plan",
		BindIP: "127.0.0.1", YourIP: "127.0.0.1", IPStatus: "MATCHED", Message: "API Status Retrieved"}, st)

	for _, c := range []*inexopay.Client{srv.Client(), srv.ClientWithAuth(inexopay.HeaderAuth(srv.APIKey, srv.Username))} {
		b, err := c.Account.Balance(ctx)
		require.NoError(t, err)
		assert.Equal(t, &inexopay.Balance{Amount: 125050, Username: "jojo", Message: "Balance fetched successfully"}, b)
	}

	// A read-only call rides out a 502 burst shorter than its retries.
	srv.InjectFault(inexopay.EndpointAccountBalance, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 2)
	b, err := srv.Client().Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Amount(125050), b.Amount)
	assert.Equal(t, 5, srv.Requests(inexopay.EndpointAccountBalance))
}

func TestE2ENSDLBank(t *testing.T) {
	srv := e2eServer(t)
	c := srv.Client()
	ctx := context.Background()

	agent, err := c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9876501234"))
	require.NoError(t, err)
	assert.Equal(t, &inexopay.Agent{TxnID: "INX00001", AgentID: "INX00001",
		Message: "Agent verified successfully..!! Now you can create your agent account."}, agent)
	_, err = c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9876501234"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER")
	agent2, err := c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9876501235"))
	require.NoError(t, err)
	assert.Equal(t, "INX00002", agent2.AgentID)

	open, err := c.NSDLBank.OpenAccount(ctx, e2eOpen("ACC-1", agent.AgentID, "https://merchant.example/return"))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/sandbox/nsdl/account_open?signcs="+open.TxnID, open.RedirectURL)
	assert.Equal(t, int64(838822), open.CustomerID)
	_, err = c.NSDLBank.OpenAccount(ctx, e2eOpen("ACC-1", agent.AgentID, "https://merchant.example/return"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)
	_, err = c.NSDLBank.OpenAccount(ctx, e2eOpen("ACC-2", "INX09999", "https://merchant.example/return"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Invalid BC Agent ID")
	assert.Equal(t, 1, srv.AccountOpeningCount())

	byPAN, err := c.NSDLBank.AccountStatus(ctx, "ZXCVB9876L")
	require.NoError(t, err)
	assert.Equal(t, open.TxnID, byPAN.TxnID)
	assert.Equal(t, inexopay.SavingsAccount, byPAN.AccountType)
	assert.Equal(t, "K", byPAN.MiddleName)
	assert.False(t, byPAN.Completed)
	assert.Equal(t, 0, byPAN.Status)
	_, err = c.NSDLBank.AccountStatus(ctx, "AAAAA0000A")
	e2eAPIError(t, err, inexopay.ErrNotFound, "Record Not Found")

	byTxn, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{TxnID: open.TxnID})
	require.NoError(t, err)
	byOrder, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: "ACC-1"})
	require.NoError(t, err)
	assert.Equal(t, byPAN, byTxn)
	assert.Equal(t, byPAN, byOrder)
	_, err = c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: "ACC-404"})
	require.ErrorIs(t, err, inexopay.ErrNotFound)

	inc, err := c.NSDLBank.IncompleteAccountURL(ctx, "ACC-1")
	require.NoError(t, err)
	assert.Equal(t, &inexopay.IncompleteAccount{OrderID: "ACC-1", TxnID: open.TxnID, AccountURL: open.RedirectURL,
		Status: inexopay.StatusPending, Message: "Redirect URL retrieved successfully."}, inc)
	_, err = c.NSDLBank.IncompleteAccountURL(ctx, "ACC-404")
	require.ErrorIs(t, err, inexopay.ErrNotFound)

	require.NoError(t, srv.CompleteAccountOpening("ACC-1"))
	_, err = c.NSDLBank.IncompleteAccountURL(ctx, "ACC-1")
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Transaction status is success. URL can only be retrieved for pending transactions.")
	done, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{OrderID: "ACC-1"})
	require.NoError(t, err)
	assert.True(t, done.Completed)
	assert.Equal(t, 1, done.Status)
}

func TestE2EWallet(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithMinWalletLoad(inexopay.Rupees(10)))
	c := srv.Client()
	ctx := context.Background()

	qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: 25050})
	require.NoError(t, err)
	assert.Regexp(t, `^WAL[0-9]{13}$`, qr.OrderID)
	assert.Equal(t, inexopay.Amount(25050), qr.Amount)
	assert.Equal(t, inexopay.StatusPending, qr.Status)
	assert.Equal(t, inexopaytest.SandboxVPA, qr.UPIID)
	assert.True(t, strings.HasPrefix(qr.QRURL, srv.URL+"/sandbox/qr?"), qr.QRURL)
	upi, err := qr.UPI()
	require.NoError(t, err)
	assert.Equal(t, inexopaytest.SandboxVPA, upi.PayeeVPA)
	assert.Equal(t, "INEXOPAY", upi.PayeeName)
	assert.Equal(t, inexopay.Amount(25050), upi.Amount)
	assert.Equal(t, qr.OrderID, upi.Reference)
	assert.Equal(t, qr.OrderID, upi.Note)
	assert.Equal(t, "INR", upi.Currency)

	_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: 999})
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Minimum wallet load amount is 10.00")

	p, err := c.Wallet.PaymentStatus(ctx, qr.OrderID)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, p.Status)
	require.NoError(t, srv.CompleteWalletPayment(qr.OrderID))
	p, err = c.Wallet.PaymentStatus(ctx, qr.OrderID)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, p.Status)
	assert.Equal(t, inexopay.Amount(125050), p.NewBalance)
	assert.Equal(t, "API_UPI_QR", p.Mode)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Amount(125050), b.Amount)

	_, err = c.Wallet.PaymentStatus(ctx, "WAL9999999999999")
	e2eAPIError(t, err, inexopay.ErrNotFound, "Order not found")
	// A lost answer to GenerateQR is an unknown outcome, never retried.
	srv.InjectFault(inexopay.EndpointGenerateQR, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP500}, 1)
	_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 3, srv.Requests(inexopay.EndpointGenerateQR))
}

func TestE2EPAN(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithBalance(inexopay.Rupees(300)))
	c := srv.Client()
	ctx := context.Background()

	app, err := c.PAN.Request(ctx, e2ePAN("PAN-1"))
	require.NoError(t, err)
	assert.Equal(t, "PAN-1", app.OrderID)
	assert.Equal(t, "9876543210", app.Mobile)
	assert.Equal(t, srv.URL+"/sandbox/nsdl/pan?process_id=2504&txid="+app.TxID+"&mode=K", app.URL)
	assert.Equal(t, inexopay.Amount(30000-10700), srv.Balance())

	_, err = c.PAN.Request(ctx, e2ePAN("PAN-1"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)
	assert.Equal(t, inexopay.Amount(19300), srv.Balance(), "a repeated order id is not charged")

	_, err = c.PAN.Request(ctx, e2ePAN("PAN-2"))
	require.NoError(t, err)
	_, err = c.PAN.Request(ctx, e2ePAN("PAN-3"))
	e2eAPIError(t, err, inexopay.ErrInsufficientBalance, "Insufficient balance")
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 402, ae.HTTPStatus)
	assert.Equal(t, inexopay.Amount(8600), srv.Balance())
	assert.Equal(t, 2, srv.PANCount())

	st, err := c.PAN.Status(ctx, "PAN-1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, st.Status)
	assert.Equal(t, inexopaytest.DefaultPANFee, st.Amount)
	assert.Equal(t, app.TxID, st.TxID)
	_, err = c.PAN.Status(ctx, "PAN-404")
	e2eAPIError(t, err, inexopay.ErrNotFound, "Order not found")

	res, err := c.PAN.Resume(ctx, "PAN-1")
	require.NoError(t, err)
	assert.NotEqual(t, app.TxID, res.TxID)
	assert.Equal(t, srv.URL+"/sandbox/nsdl/pan_inc?process_id=2504&txid="+res.TxID, res.URL)

	require.NoError(t, srv.CompletePAN("PAN-1"))
	require.NoError(t, srv.FailPAN("PAN-2"))
	assert.Equal(t, inexopay.Amount(8600+10700), srv.Balance(), "a failed application is refunded")
	st, err = c.PAN.Status(ctx, "PAN-1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, st.Status)
	st, err = c.PAN.Status(ctx, "PAN-2")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusRefund, st.Status)
	_, err = c.PAN.Resume(ctx, "PAN-1")
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgURLExpired)

	// An HTML form that posts over plain http (FaultHTMLForm) is refused: outcome unknown.
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultHTMLForm}, 1)
	_, err = c.PAN.Request(ctx, e2ePAN("PAN-4"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "text/html; charset=UTF-8", ae.ContentType)
}

// TestE2ELostAnswerChargedOnce is the reason for FaultDropAfterProcessing:
// the API files and charges the application but the answer is lost. The
// SDK must not retry (that would charge twice) and must say the outcome is
// unknown; the status call then shows the application.
func TestE2ELostAnswerChargedOnce(t *testing.T) {
	srv := e2eServer(t)
	c := srv.Client()
	ctx := context.Background()
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultDropAfterProcessing}, 1)

	_, err := c.PAN.Request(ctx, e2ePAN("LOST-1"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	var ou *inexopay.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "LOST-1", ou.OrderID)
	assert.Equal(t, 1, srv.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, srv.Balance())

	st, err := c.PAN.Status(ctx, "LOST-1")
	require.NoError(t, err)
	assert.Equal(t, "LOST-1", st.OrderID)
	assert.Equal(t, inexopay.StatusPending, st.Status)
	assert.Equal(t, inexopaytest.DefaultPANFee, st.Amount)

	// Blindly trying again is harmless: the order id is taken.
	_, err = c.PAN.Request(ctx, e2ePAN("LOST-1"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)
	assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, srv.Balance())
	assert.Equal(t, 1, srv.PANCount())

	// The same holds for a connection dropped before processing: nothing
	// was filed, and the status call says so.
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultDrop}, 1)
	_, err = c.PAN.Request(ctx, e2ePAN("LOST-2"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	_, err = c.PAN.Status(ctx, "LOST-2")
	require.ErrorIs(t, err, inexopay.ErrNotFound)
	assert.Equal(t, 1, srv.PANCount())
}

func TestE2EAadhaar(t *testing.T) {
	clk := inexopaytest.NewClock(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	srv := e2eServer(t, inexopaytest.WithClock(clk.Now), inexopaytest.WithOTPTTL(10*time.Minute), inexopaytest.WithMaxOTPAttempts(3))
	c := srv.Client()
	ctx := context.Background()

	sent, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: e2eAadhaar})
	require.NoError(t, err)
	assert.Equal(t, e2eAadhaar[8:], sent.AadhaarLast4)
	assert.Equal(t, inexopay.AadhaarPending, sent.Status)
	assert.Equal(t, "Successfully generated One Time Password (OTP).", sent.Message)
	assert.Equal(t, clk.Now(), sent.Time.UTC())
	assert.Regexp(t, `^ADHR`, sent.RequestID)
	_, err = c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: e2eAadhaar})
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)

	otp, found := srv.OTP(sent.RequestID)
	require.True(t, found)
	wrong := "000000"
	if otp == wrong {
		wrong = "999999"
	}
	verify := func(requestID, code string) (*inexopay.AadhaarVerification, error) {
		return c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "KYC-1", RequestID: requestID, OTP: code, AadhaarNumber: e2eAadhaar})
	}
	_, err = verify(sent.RequestID, wrong)
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Invalid OTP. 2 attempt(s) remaining")
	assert.NotContains(t, err.Error(), e2eAadhaar)
	v, err := verify(sent.RequestID, otp)
	require.NoError(t, err)
	assert.Equal(t, inexopay.AadhaarVerified, v.Status)
	assert.True(t, v.Status.Verified())
	assert.Equal(t, sent.RequestID, v.RequestID)
	assert.Equal(t, inexopaytest.AadhaarHolder(), v.Details)

	// Expired: the clock passes the TTL before the holder types the OTP.
	sent2, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-2", AadhaarNumber: e2eAadhaar})
	require.NoError(t, err)
	otp2, _ := srv.OTP(sent2.RequestID)
	clk.Advance(10*time.Minute + time.Second)
	_, err = verify(sent2.RequestID, otp2)
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgOTPExpired)

	// Used up: three wrong tries kill the request.
	sent3, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-3", AadhaarNumber: e2eAadhaar})
	require.NoError(t, err)
	otp3, _ := srv.OTP(sent3.RequestID)
	wrong3 := "000000"
	if otp3 == wrong3 {
		wrong3 = "999999"
	}
	for range 2 {
		_, err = verify(sent3.RequestID, wrong3)
		require.ErrorIs(t, err, inexopay.ErrBadRequest)
	}
	_, err = verify(sent3.RequestID, wrong3)
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgOTPAttemptsExceeded)
	_, err = verify(sent3.RequestID, otp3)
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgOTPAttemptsExceeded)

	// VerifyOTP is charging: a lost answer is an unknown outcome.
	srv.InjectFault(inexopay.EndpointVerifyOTP, inexopaytest.Fault{Kind: inexopaytest.FaultDrop}, 1)
	_, err = verify(sent3.RequestID, otp3)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 8, srv.Requests(inexopay.EndpointVerifyOTP))
}

// TestE2EWebhooks sends the sandbox's status changes to the SDK's own
// webhook handler: per-transaction to the return_url, global otherwise,
// with a failing callback retried until it succeeds.
func TestE2EWebhooks(t *testing.T) {
	var mu sync.Mutex
	var events []*inexopay.WebhookEvent
	failFirst := true
	recv := httptest.NewServer(inexopay.WebhookHandler(func(_ context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if failFirst {
			failFirst = false
			return errors.New("database down")
		}
		events = append(events, ev)
		return nil
	}, inexopay.WithWebhookDedup(nil)))
	defer recv.Close()

	clk := inexopaytest.NewClock(time.Date(2026, 6, 3, 10, 0, 0, 0, time.UTC))
	srv := e2eServer(t, inexopaytest.WithClock(clk.Now), inexopaytest.WithWebhookURL(recv.URL+"/global"),
		inexopaytest.WithWebhookBackoff(50*time.Microsecond))
	c := srv.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	agent, err := c.NSDLBank.OnboardAgent(ctx, e2eOnboard("9876501236"))
	require.NoError(t, err)
	_, err = c.NSDLBank.OpenAccount(ctx, e2eOpen("ACC-W", agent.AgentID, recv.URL+"/return"))
	require.NoError(t, err)
	qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)

	require.NoError(t, srv.FailAccountOpening("ACC-W"))
	_, err = srv.WaitDeliveries(ctx, 1)
	require.NoError(t, err)
	require.NoError(t, srv.CompleteWalletPayment(qr.OrderID))
	ds, err := srv.WaitDeliveries(ctx, 2)
	require.NoError(t, err)

	require.Len(t, ds, 2)
	assert.Equal(t, recv.URL+"/return", ds[0].URL)
	assert.Equal(t, 2, ds[0].Attempts, "the first try got a 500 from the failing callback")
	assert.True(t, ds[0].Delivered)
	assert.Equal(t, recv.URL+"/global", ds[1].URL)
	assert.Equal(t, 1, ds[1].Attempts)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, events, 2)
	ev := *events[0]
	assert.True(t, ev.DateTime.Equal(clk.Now()), "datetime is the change's time (sent in IST): %v", ev.DateTime)
	ev.DateTime = time.Time{}
	assert.Equal(t, inexopay.WebhookEvent{OrderID: "ACC-W", Status: inexopay.StatusFailed, Remark: "Account opening failed",
		CallbackType: inexopay.CallbackPerTransaction, Source: inexopay.WebhookSource}, ev)
	assert.Equal(t, qr.OrderID, events[1].OrderID)
	assert.Equal(t, inexopay.StatusSuccess, events[1].Status)
	assert.Equal(t, inexopay.CallbackGlobal, events[1].CallbackType)
}
