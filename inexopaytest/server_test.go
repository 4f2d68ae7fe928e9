package inexopaytest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/validate"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// TestMain fails the package when any test leaves a goroutine behind, such
// as a webhook delivery or a handler still running after Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testAadhaar is a valid (Verhoeff-checked) Aadhaar number.
var testAadhaar = func() string {
	const body = "23456789012"
	return body + string(validate.VerhoeffDigit(body))
}()

// t0 is 2026-05-04 15:30:00 IST.
var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// rawPost posts form to e's path with the server's credentials in the body
// (unless the form sets api_key) and returns the HTTP status and body.
func rawPost(t *testing.T, s *Server, e inexopay.Endpoint, form url.Values) (int, string) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["api_key"]; !set {
		form.Set("api_key", s.APIKey)
		form.Set("username", s.Username)
	}
	return rawDo(t, s, http.MethodPost, e, form.Encode(), nil)
}

func rawDo(t *testing.T, s *Server, method string, e inexopay.Endpoint, body string, hdr http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+endpoints.Paths[inexopay.Endpoint]()[e], strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusMethodNotAllowed {
		assert.Equal(t, "POST", resp.Header.Get("Allow"))
	}
	return resp.StatusCode, string(b)
}

func TestDefaults(t *testing.T) {
	s := newServer(t)
	assert.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	assert.Equal(t, "sandbox", s.Username)
	require.True(t, strings.HasPrefix(s.APIKey, "sandbox_key_"))
	assert.Len(t, s.APIKey, len("sandbox_key_")+32)
	assert.Equal(t, inexopay.Rupees(1000), s.Balance())
	other := newServer(t)
	assert.NotEqual(t, s.APIKey, other.APIKey, "keys are random")

	b, err := s.Client().Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &inexopay.Balance{Amount: inexopay.Rupees(1000), Username: "sandbox", Message: "Balance fetched successfully"}, b)
}

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

func TestFaults(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	ctx := context.Background()

	// Read-only calls are retried through 5xx and dropped connections.
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultHTTP500}, 1)
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultDrop}, 1)
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultDelay, Delay: time.Millisecond}, 1)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Rupees(1000), b.Amount)
	assert.Equal(t, 3, s.Requests(inexopay.EndpointAccountBalance))

	// A 502 that outlasts the retries: the HTML page becomes a typed error.
	s.InjectFault(inexopay.EndpointAccountStatus, Fault{Kind: FaultHTTP502}, 5)
	_, err = c.Account.Status(ctx)
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, inexopay.ErrServer)
	assert.Equal(t, 502, ae.HTTPStatus)
	assert.Equal(t, "text/html; charset=UTF-8", ae.ContentType)
	assert.Contains(t, ae.Snippet, "502 Bad Gateway")
	assert.Equal(t, 4, s.Requests(inexopay.EndpointAccountStatus))
	_, err = c.Account.Status(ctx) // the fifth fault, then a retry that succeeds
	require.NoError(t, err)
	assert.Equal(t, 6, s.Requests(inexopay.EndpointAccountStatus))

	params := &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "F1", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
	// Charging calls are not retried; a refused HTML form and drop-before leave no trace.
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultHTMLForm}, 1)
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 200, ae.HTTPStatus)
	assert.Contains(t, ae.Message, "http://nsdl.sandbox.invalid/sandbox/nsdl/pan is plain http", "the SDK refuses the form")
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultDrop}, 1)
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 2, s.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, 0, s.PANCount())
	assert.Equal(t, inexopay.Rupees(1000), s.Balance())

	// Dropped after processing: charged once, answer lost, status tells.
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultDropAfterProcessing}, 1)
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 3, s.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())
	st, err := c.PAN.Status(ctx, "F1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, st.Status)
	// Trying again with the same order id does not charge twice.
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrBadRequest)
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())

	// A delay longer than the caller waits: the wait ends with the request,
	// and the call is still processed (the back end did not notice).
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultDelay, Delay: time.Hour}, 1)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, err = c.PAN.Request(short, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "F2", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	cancel()
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.Eventually(t, func() bool { _, ok := s.PANStatus("F2"); return ok }, 5*time.Second, time.Millisecond)
	assert.Equal(t, inexopay.Rupees(1000)-2*DefaultPANFee, s.Balance())

	// n <= 0 injects nothing.
	s.InjectFault(inexopay.EndpointPANStatus, Fault{Kind: FaultHTTP500}, 0)
	_, err = c.PAN.Status(ctx, "F2")
	require.NoError(t, err)
	assert.Equal(t, "FaultDropAfterProcessing", FaultDropAfterProcessing.String())
	assert.Equal(t, "FaultKind(42)", FaultKind(42).String())
}

// hookReceiver records the webhooks it gets and answers with status(n) for
// the n-th one (from 1).
type hookReceiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	body []string
	hit  chan struct{}
}

func newHookReceiver(t *testing.T, status func(n int) int) *hookReceiver {
	h := &hookReceiver{hit: make(chan struct{}, 100)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, r)
		h.body = append(h.body, string(b))
		n := len(h.got)
		h.mu.Unlock()
		w.WriteHeader(status(n))
		h.hit <- struct{}{}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookReceiver) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

func TestWebhookRetriesAndBackoff(t *testing.T) {
	const base = 100 * time.Microsecond
	clk := NewClock(t0)
	flaky := newHookReceiver(t, func(n int) int {
		if n <= 3 {
			return 500
		}
		return 200
	})
	s := newServer(t, WithClock(clk.Now), WithWebhookURL(flaky.URL+"/hook"), WithWebhookBackoff(base))
	q, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ds, err := s.WaitDeliveries(ctx, 1)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	d := ds[0]
	assert.True(t, d.Done)
	assert.True(t, d.Delivered)
	assert.NoError(t, d.Err)
	assert.Equal(t, 4, d.Attempts)
	assert.Equal(t, 200, d.StatusCode)
	assert.Equal(t, []time.Duration{base, 2 * base, 4 * base}, d.Waits)
	assert.Equal(t, inexopay.CallbackGlobal, d.CallbackType)
	assert.Equal(t, 4, flaky.count())

	flaky.mu.Lock()
	r, body := flaky.got[3], flaky.body[3]
	flaky.mu.Unlock()
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/hook", r.URL.Path)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.Equal(t, "INEXOPAY-API", r.Header.Get("X-Callback-Source"))
	s.mu.Lock()
	utr := s.st.wallets[q.OrderID].utr
	s.mu.Unlock()
	assert.Equal(t, "orderid="+q.OrderID+"&order_id="+q.OrderID+"&status=success&remark=Online+Wallet+Load+via+API+-+Success+-+UTR%3A+"+utr+
		"&datetime=2026-05-04+15%3A30%3A00&callback_type=global_webhook", body)
	assert.Equal(t, url.Values{"orderid": {q.OrderID}, "order_id": {q.OrderID}, "status": {"success"},
		"remark": {"Online Wallet Load via API - Success - UTR: " + utr}, "datetime": {"2026-05-04 15:30:00"},
		"callback_type": {"global_webhook"}}, d.Form)

	// Never accepted: 1 try + 10 retries, then the delivery gives up.
	dead := newHookReceiver(t, func(int) int { return 503 })
	s.SetWebhookURL(dead.URL)
	q2, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(5)})
	require.NoError(t, err)
	require.NoError(t, s.FailWalletPayment(q2.OrderID))
	ds, err = s.WaitDeliveries(ctx, 2)
	require.NoError(t, err)
	d = ds[1]
	assert.False(t, d.Delivered)
	assert.Equal(t, 11, d.Attempts)
	assert.Equal(t, 503, d.StatusCode)
	assert.EqualError(t, d.Err, "inexopaytest: webhook answered HTTP 503")
	want := make([]time.Duration, 10)
	for i := range want {
		want[i] = base << i
	}
	assert.Equal(t, want, d.Waits)
	assert.Equal(t, 11, dead.count())
	assert.Equal(t, "failed", d.Form.Get("status"))
}

func TestWebhookTargets(t *testing.T) {
	global := newHookReceiver(t, func(int) int { return 200 })
	perTxn := newHookReceiver(t, func(int) int { return 204 })
	s := newServer(t, WithWebhookURL(global.URL), WithWebhookBackoff(time.Microsecond))
	c := s.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P1", Mode: inexopay.PANModeEKYC,
		Type: inexopay.PANTypeNew, ReturnURL: perTxn.URL + "/cb"})
	require.NoError(t, err)
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P2", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	require.NoError(t, s.FailPAN("P1"))
	require.NoError(t, s.CompletePAN("P2"))
	ds, err := s.WaitDeliveries(ctx, 2)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	assert.Equal(t, perTxn.URL+"/cb", ds[0].URL)
	assert.Equal(t, "per_transaction", ds[0].Form.Get("callback_type"))
	assert.Equal(t, "refund", ds[0].Form.Get("status"))
	assert.Equal(t, 204, ds[0].StatusCode)
	assert.Equal(t, global.URL, ds[1].URL)
	assert.Equal(t, "global_webhook", ds[1].Form.Get("callback_type"))
	assert.Equal(t, "success", ds[1].Form.Get("status"))
	assert.Equal(t, 1, perTxn.count())
	assert.Equal(t, 1, global.count())

	// No URL at all: no delivery. A remote URL: refused without an attempt.
	s.SetWebhookURL("")
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P3", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	require.NoError(t, s.CompletePAN("P3"))
	assert.Len(t, s.Deliveries(), 2)
	s.SetWebhookURL("https://merchant.example/hook")
	_, err = c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "P4", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	require.NoError(t, s.CompletePAN("P4"))
	ds, err = s.WaitDeliveries(ctx, 3)
	require.NoError(t, err)
	require.Len(t, ds, 3)
	assert.ErrorIs(t, ds[2].Err, ErrRemoteWebhook)
	assert.Equal(t, 0, ds[2].Attempts)
	assert.True(t, ds[2].Done)

	// The SDK's own webhook handler accepts the payload.
	events := make(chan *inexopay.WebhookEvent, 1)
	sdk := httptest.NewServer(inexopay.WebhookHandler(func(_ context.Context, ev *inexopay.WebhookEvent) error {
		events <- ev
		return nil
	}))
	defer sdk.Close()
	s.SetWebhookURL(sdk.URL)
	q, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))
	ev := <-events
	assert.Equal(t, q.OrderID, ev.OrderID)
	assert.Equal(t, inexopay.StatusSuccess, ev.Status)
	assert.Equal(t, inexopay.CallbackGlobal, ev.CallbackType)
	assert.Equal(t, inexopay.WebhookSource, ev.Source)
	_, err = s.WaitDeliveries(ctx, 4)
	require.NoError(t, err)
}

func TestWaitDeliveriesContext(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ds, err := s.WaitDeliveries(ctx, 1)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, ds)
}

// TestCloseStopsDeliveries proves Close ends a delivery waiting out a long
// backoff (goleak in TestMain checks nothing is left running).
func TestCloseStopsDeliveries(t *testing.T) {
	rec := newHookReceiver(t, func(int) int { return 500 })
	s := NewServer(WithWebhookURL(rec.URL), WithWebhookBackoff(time.Hour))
	q, err := s.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
	require.NoError(t, err)
	require.NoError(t, s.CompleteWalletPayment(q.OrderID))
	<-rec.hit // the first attempt arrived; the delivery now waits an hour
	s.Close()
	ds := s.Deliveries()
	require.Len(t, ds, 1)
	assert.True(t, ds[0].Done)
	assert.False(t, ds[0].Delivered)
	assert.Equal(t, 1, ds[0].Attempts)
	assert.ErrorIs(t, ds[0].Err, context.Canceled)
	s.Close() // idempotent

	// Changes after Close are recorded, not delivered.
	s.mu.Lock()
	s.notifyLocked("X", "success", "r", "")
	s.mu.Unlock()
	ds = s.Deliveries()
	assert.ErrorIs(t, ds[1].Err, context.Canceled)
	assert.Equal(t, 1, rec.count())
}

// TestCloseEndsDelayedCalls proves Close does not wait out a FaultDelay:
// the handler stops sleeping and the caller gets an error.
func TestCloseEndsDelayedCalls(t *testing.T) {
	s := NewServer(WithAPIKey("k_close_test_99"))
	assert.Equal(t, "inexopaytest.Server("+s.URL+")", fmt.Sprint(s))
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", s, s, s), "k_close_test_99")
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultDelay, Delay: time.Hour}, 10)
	c := s.Client(inexopay.WithRetry(0, 0, 0))
	errc := make(chan error, 1)
	go func() {
		_, err := c.Account.Balance(context.Background())
		errc <- err
	}()
	require.Eventually(t, func() bool { return s.Requests(inexopay.EndpointAccountBalance) == 1 }, 5*time.Second, time.Millisecond)
	s.Close()
	assert.Error(t, <-errc)
}

func TestSandboxControls(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	control := func(path string, form url.Values) (int, string) {
		resp, err := http.PostForm(s.URL+"/sandbox/control/"+path, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	q, err := s.Client().Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(50)})
	require.NoError(t, err)
	code, body := control("wallet/complete", url.Values{"order_id": {q.OrderID}})
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"status":true,"message":"OK"}`, body)
	assert.Equal(t, inexopay.Rupees(1050), s.Balance())
	code, body = control("wallet/complete", url.Values{"order_id": {q.OrderID}})
	assert.Equal(t, 400, code)
	assert.JSONEq(t, `{"status":false,"message":"inexopaytest: transaction is not pending: wallet load \"`+q.OrderID+`\" is success"}`, body)
	code, _ = control("pan/fail", url.Values{"order_id": {"nope"}})
	assert.Equal(t, 404, code)

	o, err := s.Client().Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "C1", AadhaarNumber: testAadhaar})
	require.NoError(t, err)
	otp, _ := s.OTP(o.RequestID)
	_, body = control("aadhaar/otp", url.Values{"request_id": {o.RequestID}})
	assert.JSONEq(t, `{"status":true,"message":"OK","otp":"`+otp+`"}`, body)

	_, body = control("balance", url.Values{"amount": {"12.34"}})
	assert.JSONEq(t, `{"status":true,"message":"OK","balance":12.34}`, body)
	assert.Equal(t, inexopay.Amount(1234), s.Balance())
	code, _ = control("balance", url.Values{"amount": {"x"}})
	assert.Equal(t, 400, code)
	_, _ = control("account_status", url.Values{"status": {"EXPIRED"}})
	_, err = s.Client().Account.Balance(ctx)
	assert.ErrorIs(t, err, inexopay.ErrForbidden)
	_, _ = control("account_status", url.Values{"status": {"ACTIVE"}})
	_, _ = control("bound_ip", url.Values{"ip": {"198.51.100.1"}})
	_, err = s.Client().Account.Balance(ctx)
	assert.ErrorIs(t, err, inexopay.ErrForbidden)
	_, _ = control("bound_ip", url.Values{"ip": {""}})
	_, err = s.Client().Account.Balance(ctx)
	assert.NoError(t, err)

	resp, err := http.Get(s.URL + "/sandbox/control/balance")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)

	// The PAN and account pages link to the controls.
	s.SetBalance(inexopay.Rupees(200))
	a, err := s.Client().PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "C2", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.NoError(t, err)
	resp, err = http.Get(a.URL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), `action="/sandbox/control/pan/complete"`)
	assert.Contains(t, string(page), `value="C2"`)
	code, _ = control("pan/complete", url.Values{"order_id": {"C2"}})
	assert.Equal(t, 200, code)
	st, _ := s.PANStatus("C2")
	assert.Equal(t, PANSuccess, st)
	resp, err = http.Get(s.URL + "/sandbox/nsdl/account_open?signcs=NSDLNONE")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
}

func TestStartErrors(t *testing.T) {
	s := newServer(t)
	_, err := Start(WithAddr(strings.TrimPrefix(s.URL, "http://")))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inexopaytest: listening on")
	assert.Panics(t, func() { NewServer(WithAddr("256.0.0.1:0")) })
	assert.Panics(t, func() { s.ClientWithAuth(nil) })
	assert.True(t, errors.Is(s.CompletePAN("x"), ErrUnknownOrder))
}
