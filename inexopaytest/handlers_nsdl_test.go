// Tests of the NSDL bank endpoints: onboarding and the life of account
// openings.

package inexopaytest

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

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
	txn := s.st.accounts[idKey("ACC1")].txnID
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
