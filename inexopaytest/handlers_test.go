// Tests of the API endpoints: credentials and access, and the life of
// agents, account openings, wallet loads, PAN applications and OTPs.

package inexopaytest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

func TestAuthAndAccess(t *testing.T) {
	s := newServer(t, WithAPIKey("k_test_123456"), WithUsername("jojo"), WithBalance(125050))
	ctx := context.Background()

	code, body := rawDo(t, s, http.MethodPost, inexopay.EndpointAccountStatus, "", nil)
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"status_code":401,"status":"FAILED","message":"API key and username are required"}`, body)

	code, body = rawPost(t, s, inexopay.EndpointAccountBalance, url.Values{"api_key": {"wrong"}, "username": {"jojo"}})
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"status":"FAILED","error_code":401,"message":"Invalid API key or username"}`, body)

	code, body = rawPost(t, s, inexopay.EndpointOnboardAgent, url.Values{"api_key": {"k_test_123456"}, "username": {"other"}})
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"status":false,"message":"Invalid API key or username"}`, body)

	code, body = rawDo(t, s, http.MethodPost, inexopay.EndpointAccountBalance, "",
		http.Header{"X-Api-Key": {"k_test_123456"}, "X-Api-Username": {"jojo"}})
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"status":"SUCCESS","error_code":200,"message":"Balance fetched successfully","balance":1250.50,"username":"jojo"}`, body)
	assert.Contains(t, body, `"balance":1250.50`, "amounts are written exactly")

	code, body = rawDo(t, s, http.MethodGet, inexopay.EndpointPANStatus, "", nil)
	assert.Equal(t, 405, code)
	assert.JSONEq(t, `{"status_code":405,"status":"FAILED","message":"Method Not Allowed. Use POST request."}`, body)

	code, body = rawPost(t, s, inexopay.EndpointAccountStatus, nil)
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"API Status Retrieved","data":{"owner_name":"Sandbox Merchant",
		"api_balance":1250.50,"api_status":"ACTIVE","plan_name":"Sandbox Plan","bind_ip":"","your_ip":"127.0.0.1","ip_status":"NOT_BOUND"}}`, body)

	s.SetBoundIP("127.0.0.1")
	st, err := s.Client().Account.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, &inexopay.AccountStatus{OwnerName: "Sandbox Merchant", Balance: 125050, Status: "ACTIVE",
		PlanName: "Sandbox Plan", BindIP: "127.0.0.1", YourIP: "127.0.0.1", IPStatus: "MATCHED", Message: "API Status Retrieved"}, st)

	s.SetBoundIP("203.0.113.7")
	code, body = rawPost(t, s, inexopay.EndpointPANStatus, url.Values{"orderid": {"X"}})
	assert.Equal(t, 403, code)
	assert.JSONEq(t, `{"status_code":403,"status":"FAILED","message":"IP not whitelisted"}`, body)
	s.SetBoundIP("")

	s.SetAccountStatus("SUSPENDED")
	code, body = rawPost(t, s, inexopay.EndpointBankAccountStatus, url.Values{"pancard": {"ABCDE1234F"}})
	assert.Equal(t, 403, code)
	assert.JSONEq(t, `{"status":false,"message":"Account not approved or subscription expired"}`, body)
	s.SetAccountStatus(AccountActive)

	assert.Equal(t, 3, s.Requests(inexopay.EndpointAccountStatus))
	assert.Equal(t, 2, s.Requests(inexopay.EndpointAccountBalance))
	assert.Equal(t, 2, s.Requests(inexopay.EndpointPANStatus))
	assert.Equal(t, 0, s.Requests(inexopay.EndpointVerifyOTP))
}

func onboardForm(mobile, bcagent string) url.Values {
	f := url.Values{"shop_name": {"Kumar Telecom"}, "name": {"Binod Kumar"}, "email": {"binod@example.com"},
		"mobile": {mobile}, "date_of_birth": {"1990-04-12"}, "address": {"Main Road"}, "state_name": {"Bihar"},
		"city_name": {"Araria"}, "pincode": {"852105"}, "pancard": {"BQKPM4821R"}}
	if bcagent != "" {
		f.Set("bcagentid", bcagent)
	}
	return f
}

func TestOnboarding(t *testing.T) {
	s := newServer(t)
	code, body := rawPost(t, s, inexopay.EndpointOnboardAgent, onboardForm("9876543210", ""))
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"status":true,"message":"Agent verified successfully..!! Now you can create your agent account.","data":{"txn_id":"INX00001","agent_id":"INX00001"}}`, body)

	code, body = rawPost(t, s, inexopay.EndpointOnboardAgent, onboardForm("9876543210", ""))
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"status":false,"message":"Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER"}`, body)

	_, body = rawPost(t, s, inexopay.EndpointOnboardAgent, onboardForm("9876543211", "MYAGENT7"))
	assert.JSONEq(t, `{"status":true,"message":"Agent verified successfully..!! Now you can create your agent account.","data":{"txn_id":"MYAGENT7","agent_id":"MYAGENT7"}}`, body)
	_, body = rawPost(t, s, inexopay.EndpointOnboardAgent, onboardForm("9876543212", "MYAGENT7"))
	assert.JSONEq(t, `{"status":false,"message":"Agent not verified :: THE GIVEN BCAGENTID IS ALREADY REGISTER"}`, body)

	a, err := s.Client().NSDLBank.OnboardAgent(context.Background(), &inexopay.OnboardAgentParams{ShopName: "S", Name: "N",
		Email: "n@example.com", Mobile: "9876543213", DateOfBirth: "1991-01-01", Address: "A", StateName: "S",
		CityName: "C", Pincode: "110001", PAN: "ABCDE1234F"})
	require.NoError(t, err)
	assert.Equal(t, &inexopay.Agent{TxnID: "INX00002", AgentID: "INX00002",
		Message: "Agent verified successfully..!! Now you can create your agent account."}, a)

	f := onboardForm("9876543214", "")
	f.Del("pincode")
	_, body = rawPost(t, s, inexopay.EndpointOnboardAgent, f)
	assert.JSONEq(t, `{"status":false,"message":"Missing required parameter: pincode"}`, body)
	f = onboardForm("12345", "")
	_, body = rawPost(t, s, inexopay.EndpointOnboardAgent, f)
	assert.JSONEq(t, `{"status":false,"message":"Agent not verified :: INVALID MOBILE"}`, body)
}

func openForm(orderID, agentID string) url.Values {
	return url.Values{"orderid": {orderID}, "account_type": {"2"}, "bcagentid": {agentID}, "agent_pancard": {"BQKPM4821R"},
		"first_name": {"Binod"}, "last_name": {"Kumar"}, "email": {"binodk@gmail.com"}, "phone": {"7091919185"},
		"pancard": {"NTFPS6013M"}, "pincode": {"852105"}, "return_url": {"https://merchant.example/return"}}
}

func TestAccountOpeningLifecycle(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now))
	_, _ = rawPost(t, s, inexopay.EndpointOnboardAgent, onboardForm("9876543210", ""))

	code, body := rawPost(t, s, inexopay.EndpointOpenAccount, openForm("ACC1", "INX00001"))
	require.Equal(t, 200, code)
	s.mu.Lock()
	txn := s.st.accounts["ACC1"].txnID
	s.mu.Unlock()
	assert.Regexp(t, `^NSDL[A-Z]{9}$`, txn)
	assert.JSONEq(t, `{"status":true,"message":"Success..!!","data":"`+s.URL+`/sandbox/nsdl/account_open?signcs=`+txn+`","user":{"txn_id":"`+txn+`","customer_id":838822}}`, body)

	// A repeated order id creates nothing.
	_, body = rawPost(t, s, inexopay.EndpointOpenAccount, openForm("ACC1", "INX00001"))
	assert.JSONEq(t, `{"status":false,"message":"Duplicate Order ID"}`, body)
	assert.Equal(t, 1, s.AccountOpeningCount())

	_, body = rawPost(t, s, inexopay.EndpointOpenAccount, openForm("ACC2", "INX00099"))
	assert.JSONEq(t, `{"status":false,"message":"Invalid BC Agent ID"}`, body)
	bad := openForm("ACC2", "INX00001")
	bad.Set("account_type", "3")
	_, body = rawPost(t, s, inexopay.EndpointOpenAccount, bad)
	assert.JSONEq(t, `{"status":false,"message":"Invalid account_type, use 1 (Saving) or 2 (Current)"}`, body)

	pending := `{"status":true,"message":"Success","data":{"id":1,"account_type":2,"txn_id":"` + txn + `","first_name":"Binod","middle_name":null,
		"last_name":"Kumar","email":"binodk@gmail.com","phone":"7091919185","pancard":"NTFPS6013M","pincode":"852105","is_completed":0,
		"message":null,"status":0,"date":"2026-05-04T10:00:00.000000Z","is_refunded":0,"created_at":"2026-05-04T10:00:00.000000Z",
		"updated_at":"2026-05-04T10:00:00.000000Z"}}`
	_, body = rawPost(t, s, inexopay.EndpointBankAccountStatus, url.Values{"pancard": {"NTFPS6013M"}})
	assert.JSONEq(t, pending, body)
	_, body = rawPost(t, s, inexopay.EndpointBankAccountDetails, url.Values{"orderid": {"ACC1"}})
	assert.JSONEq(t, pending, body)
	_, body = rawPost(t, s, inexopay.EndpointBankAccountDetails, url.Values{"txn_id": {txn}})
	assert.JSONEq(t, pending, body)

	notFound := `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`
	_, body = rawPost(t, s, inexopay.EndpointBankAccountStatus, url.Values{"pancard": {"ZZZZZ9999Z"}})
	assert.JSONEq(t, notFound, body)
	_, body = rawPost(t, s, inexopay.EndpointBankAccountDetails, url.Values{"txn_id": {"NSDLNOPE"}})
	assert.JSONEq(t, notFound, body)

	_, body = rawPost(t, s, inexopay.EndpointIncompleteAccountURL, url.Values{"orderid": {"ACC1"}})
	assert.JSONEq(t, `{"status":true,"message":"Redirect URL retrieved successfully.","order_id":"ACC1","txn_id":"`+txn+
		`","account_url":"`+s.URL+`/sandbox/nsdl/account_open?signcs=`+txn+`","status_in_db":"pending"}`, body)

	clk.Advance(time.Hour)
	require.NoError(t, s.CompleteAccountOpening("ACC1"))
	assert.ErrorIs(t, s.CompleteAccountOpening("ACC1"), ErrNotPending)
	assert.ErrorIs(t, s.FailAccountOpening("NOPE"), ErrUnknownOrder)
	_, body = rawPost(t, s, inexopay.EndpointIncompleteAccountURL, url.Values{"orderid": {"ACC1"}})
	assert.JSONEq(t, `{"status":false,"message":"Transaction status is success. URL can only be retrieved for pending transactions."}`, body)

	acc, err := s.Client().NSDLBank.AccountDetails(context.Background(), &inexopay.AccountDetailsParams{OrderID: "ACC1"})
	require.NoError(t, err)
	assert.True(t, acc.Completed)
	assert.Equal(t, 1, acc.Status)
	assert.Equal(t, t0.Add(time.Hour), acc.UpdatedAt)
	assert.Equal(t, t0, acc.CreatedAt)

	_, _ = rawPost(t, s, inexopay.EndpointOpenAccount, openForm("ACC2", "INX00001"))
	require.NoError(t, s.FailAccountOpening("ACC2"))
	_, body = rawPost(t, s, inexopay.EndpointIncompleteAccountURL, url.Values{"orderid": {"ACC2"}})
	assert.JSONEq(t, `{"status":false,"message":"Transaction status is failed. URL can only be retrieved for pending transactions."}`, body)
	// The latest opening for the PAN is the failed one.
	acc, err = s.Client().NSDLBank.AccountStatus(context.Background(), "NTFPS6013M")
	require.NoError(t, err)
	assert.Equal(t, int64(2), acc.ID)
	assert.Equal(t, 2, acc.Status)
	assert.Equal(t, "Account opening failed", acc.RecordMessage)
	assert.False(t, acc.Completed)
}

func TestWalletLifecycle(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now), WithMinWalletLoad(inexopay.Rupees(10)))
	code, body := rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"100.50"}})
	require.Equal(t, 200, code)
	s.mu.Lock()
	var id string
	for k := range s.st.wallets {
		id = k
	}
	s.mu.Unlock()
	assert.Regexp(t, `^WAL[0-9]{13}$`, id)
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"QR generated successfully! Please scan and pay, then use check_status API to verify payment.",
		"data":{"order_id":"`+id+`","amount":100.50,"qr_url":"`+s.URL+`/sandbox/qr?order_id=`+id+`","upi_id":"inexopay.sandbox@ptys",
		"account_holder_name":"INEXOPAY","tx_string":"upi://pay?pa=inexopay.sandbox@ptys&pn=INEXOPAY&cu=INR&tn=`+id+`&am=100.50&tr=`+id+`","status":"pending"}}`, body)

	resp, err := http.Get(s.URL + "/sandbox/qr?order_id=" + id)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), "upi://pay?pa=inexopay.sandbox@ptys&amp;pn=INEXOPAY")

	_, body = rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"9.99"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Minimum wallet load amount is 10.00"}`, body)
	_, body = rawPost(t, s, inexopay.EndpointGenerateQR, url.Values{"amount": {"abc"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid amount"}`, body)

	_, body = rawPost(t, s, inexopay.EndpointPaymentStatus, url.Values{"order_id": {id}})
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"`+id+`","amount":100.50,"status":"pending",
		"date_time":"2026-05-04 15:30:00","bank":"UPI QR - INEXOPAY (inexopay.sandbox@ptys)","mode":"API_UPI_QR",
		"remark":"Online Wallet Load via API - Pending","new_balance":1000}}`, body)

	clk.Advance(time.Minute)
	require.NoError(t, s.CompleteWalletPayment(id))
	assert.Equal(t, inexopay.Amount(110050), s.Balance())
	assert.ErrorIs(t, s.CompleteWalletPayment(id), ErrNotPending)
	assert.ErrorIs(t, s.FailWalletPayment(id), ErrNotPending)
	assert.ErrorIs(t, s.CompleteWalletPayment("WAL0"), ErrUnknownOrder)
	// A later spend does not change the recorded new balance.
	s.SetBalance(inexopay.Rupees(5))

	p, err := s.Client().Wallet.PaymentStatus(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, p.Status)
	assert.Equal(t, inexopay.Amount(110050), p.NewBalance)
	assert.Equal(t, inexopay.Amount(10050), p.Amount)
	assert.Equal(t, t0.Add(time.Minute), p.DateTime.UTC())
	assert.Regexp(t, `^Online Wallet Load via API - Success - UTR: SBX[0-9]{9}$`, p.Remark)

	q, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(20)})
	require.NoError(t, err)
	require.NoError(t, s.FailWalletPayment(q.OrderID))
	p, err = s.Client().Wallet.PaymentStatus(context.Background(), q.OrderID)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusFailed, p.Status)
	assert.Equal(t, inexopay.Rupees(5), s.Balance(), "a failed load credits nothing")

	_, body = rawPost(t, s, inexopay.EndpointPaymentStatus, url.Values{"order_id": {"WAL404"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Order not found"}`, body)
}

func panForm(orderID string) url.Values {
	return url.Values{"number": {"9876543210"}, "orderid": {orderID}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"}}
}

func TestPANLifecycle(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now), WithBalance(inexopay.Rupees(250)), WithPANFee(10700))
	code, body := rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD1"))
	require.Equal(t, 200, code)
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"PAN Application Initiated Successfully",
		"data":{"txid":"50089349","url":"`+s.URL+`/sandbox/nsdl/pan?process_id=2504&txid=50089349&mode=K","number":"9876543210","orderid":"ORD1"}}`, body)
	assert.Equal(t, inexopay.Amount(25000-10700), s.Balance())

	// Same order id: refused, not charged.
	_, body = rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD1"))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Duplicate Order ID"}`, body)
	assert.Equal(t, inexopay.Amount(14300), s.Balance())

	f := panForm("ORD2")
	f.Set("pan_mode", "OFFLINE")
	_, body = rawPost(t, s, inexopay.EndpointPANRequest, f)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid pan_mode, use EKYC or ESIGN"}`, body)
	f = panForm("ORD2")
	f.Set("pan_type", "reprint")
	_, body = rawPost(t, s, inexopay.EndpointPANRequest, f)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid pan_type, use new_pan or correction"}`, body)

	code, body = rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD2"))
	require.Equal(t, 200, code, body)
	assert.Equal(t, inexopay.Amount(3600), s.Balance())
	code, body = rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD3"))
	assert.Equal(t, 402, code)
	assert.JSONEq(t, `{"status_code":402,"status":"FAILED","message":"Insufficient balance"}`, body)
	assert.Equal(t, inexopay.Amount(3600), s.Balance())
	assert.Equal(t, 2, s.PANCount())

	s.mu.Lock()
	opid := s.st.pans["ORD1"].opid
	s.mu.Unlock()
	_, body = rawPost(t, s, inexopay.EndpointPANStatus, url.Values{"orderid": {"ORD1"}})
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD1","reference":"`+opid+`",
		"number":"9876543210","amount":107.00,"date_time":"2026-05-04 15:30:00","data":{"status":"Pending","orderid":"ORD1","txid":"50089349",
		"amount":107,"opid":"`+opid+`","number":"9876543210","created_at":"2026-05-04 15:30:00","updated_at":"2026-05-04 15:30:00"}}`, body)

	_, body = rawPost(t, s, inexopay.EndpointPANResume, url.Values{"orderid": {"ORD1"}})
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"Incomplete PAN Application Resumed",
		"data":{"txid":"50089351","url":"`+s.URL+`/sandbox/nsdl/pan_inc?process_id=2504&txid=50089351","orderid":"ORD1"}}`, body)

	clk.Advance(2 * time.Hour)
	require.NoError(t, s.CompletePAN("ORD1"))
	require.NoError(t, s.FailPAN("ORD2"))
	assert.Equal(t, inexopay.Amount(3600+10700), s.Balance(), "FailPAN refunds the fee")
	assert.ErrorIs(t, s.FailPAN("ORD2"), ErrNotPending)
	assert.ErrorIs(t, s.CompletePAN("ORD9"), ErrUnknownOrder)

	st, err := s.Client().PAN.Status(context.Background(), "ORD1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, st.Status)
	assert.Equal(t, "50089351", st.TxID)
	assert.Equal(t, t0.Add(2*time.Hour), st.UpdatedAt.UTC())
	st, err = s.Client().PAN.Status(context.Background(), "ORD2")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusRefund, st.Status)

	_, body = rawPost(t, s, inexopay.EndpointPANResume, url.Values{"orderid": {"ORD1"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"URL Expired, please try again with a new request"}`, body)
	_, body = rawPost(t, s, inexopay.EndpointPANStatus, url.Values{"orderid": {"ORD404"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Order not found"}`, body)
}

// TestDuplicateOrderConcurrent files one order id from many goroutines at
// once: exactly one application is created and charged.
func TestDuplicateOrderConcurrent(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.PAN.Request(context.Background(), &inexopay.PANRequestParams{Mobile: "9876543210",
				OrderID: "SAME", Mode: inexopay.PANModeESign, Type: inexopay.PANTypeCorrection})
		}()
	}
	wg.Wait()
	okCount := 0
	for _, err := range errs {
		if err == nil {
			okCount++
			continue
		}
		var ae *inexopay.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, MsgDuplicateOrderID, ae.Message)
	}
	assert.Equal(t, 1, okCount)
	assert.Equal(t, 1, s.PANCount())
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())
	assert.Equal(t, 16, s.Requests(inexopay.EndpointPANRequest))
}

func TestAadhaarOTP(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now), WithOTPTTL(5*time.Minute), WithMaxOTPAttempts(2))
	code, body := rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A1"}, "aadhaar_number": {testAadhaar}})
	require.Equal(t, 200, code)
	s.mu.Lock()
	req := s.st.otpOrders["A1"]
	rid, uuid := req.requestID, ""
	s.mu.Unlock()
	assert.Regexp(t, `^ADHRVFR040526153000_[0-9a-f]{7}$`, rid)
	if i := strings.Index(body, `"meta":{"request_id":"`); assert.True(t, i > 0) {
		uuid = body[i+len(`"meta":{"request_id":"`):][:36]
	}
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, uuid)
	assert.JSONEq(t, `{"status_code":200,"status":"success","message":"Successfully generated One Time Password (OTP).",
		"data":{"request_id":"`+rid+`","aadhaar":"`+testAadhaar+`","status":"pending"},"meta":{"request_id":"`+uuid+`","time":"2026-05-04T10:00:00+00:00"}}`, body)

	otp, found := s.OTP(rid)
	require.True(t, found)
	assert.Regexp(t, `^[0-9]{6}$`, otp)
	_, found = s.OTP("ADHRnope")
	assert.False(t, found)
	wrong := "000000"
	if otp == wrong {
		wrong = "111111"
	}

	_, body = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A1"}, "aadhaar_number": {testAadhaar}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Duplicate Order ID"}`, body)
	_, body = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A2"}, "aadhaar_number": {"12345678901"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid Aadhaar number"}`, body)

	verify := func(rid, otp string) string {
		_, b := rawPost(t, s, inexopay.EndpointVerifyOTP, url.Values{"orderid": {"A1"}, "request_id": {rid}, "otp": {otp}, "aadhaar_number": {testAadhaar}})
		return b
	}
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid OTP. 1 attempt(s) remaining"}`, verify(rid, wrong))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid request_id"}`, verify("ADHRnope", otp))
	body = verify(rid, otp)
	assert.Contains(t, body, `"meta":{"request_id":"`)
	assert.JSONEq(t, `{"status_code":200,"status":"success","message":"Aadhaar verification successful","data":{"request_id":"`+rid+`",
		"status":"verified","aadhaar_details":{"full_name":"Sandbox Holder","dob":"01-01-1990","gender":"Male",
		"address":"12 Test Lane, Connaught Place, New Delhi, Delhi, 110001"}},"meta":`+body[strings.Index(body, `"meta":`)+7:len(body)-1]+`}`, body)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"OTP already verified for this request"}`, verify(rid, otp))

	// Wrong tries exhaust the request: even the right OTP is refused then.
	_, _ = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A3"}, "aadhaar_number": {testAadhaar}})
	s.mu.Lock()
	rid3 := s.st.otpOrders["A3"].requestID
	s.mu.Unlock()
	otp3, _ := s.OTP(rid3)
	wrong3 := "000000"
	if otp3 == wrong3 {
		wrong3 = "111111"
	}
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid OTP. 1 attempt(s) remaining"}`, verify(rid3, wrong3))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Maximum OTP attempts exceeded, please request a new OTP"}`, verify(rid3, wrong3))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Maximum OTP attempts exceeded, please request a new OTP"}`, verify(rid3, otp3))

	// Expiry: valid just before the TTL, expired at it.
	_, _ = rawPost(t, s, inexopay.EndpointSendOTP, url.Values{"orderid": {"A4"}, "aadhaar_number": {testAadhaar}})
	s.mu.Lock()
	rid4 := s.st.otpOrders["A4"].requestID
	s.mu.Unlock()
	otp4, _ := s.OTP(rid4)
	clk.Advance(5 * time.Minute)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"OTP expired, please request a new OTP"}`, verify(rid4, otp4))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid OTP format, 6 digits required"}`, verify(rid4, "12345"))
}
