package inexopay_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

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
	// Asked by PAN, the record's echo of it is held masked; asked by id, the PAN is data.
	assert.Equal(t, inexopay.MaskPAN("ZXCVB9876L"), byPAN.PAN)
	assert.Equal(t, "ZXCVB9876L", byTxn.PAN)
	assert.Equal(t, "ZXCVB9876L", byOrder.PAN)
	byTxn.PAN, byOrder.PAN = byPAN.PAN, byPAN.PAN
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

// TestOpenAccountAnswerAboutOtherOrder: an opening answer naming another
// order may follow a charge for it: the outcome is unknown, carrying the
// order asked.
func TestOpenAccountAnswerAboutOtherOrder(t *testing.T) {
	body := `{"status":true,"order_id":"ACC9999","data":"https://nsdl.example/x"}`
	c := orderServer(t, http.StatusOK, &body)
	_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "ACC1001",
		AccountType: inexopay.CurrentAccount, BCAgentID: "INX00001", AgentPAN: "NTFPS6013M", FirstName: "Binod",
		LastName: "Kumar", Email: "binodk@gmail.com", Phone: "7091919185", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/done"})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `"ACC9999"`)
	var oe *inexopay.OutcomeUnknownError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ACC1001", oe.OrderID)
}

// An opening answer naming another order in a nested object (the documented "user") is about
// that order: the outcome is unknown.
func TestOpenAccountNestedOtherOrder(t *testing.T) {
	body := `{"status":true,"message":"Success..!!","data":"https://nsdl.example/x","user":{"txn_id":"NSDLUCBDRJCBV","customer_id":838822,"orderid":"ACC9999"}}`
	c := orderServer(t, http.StatusOK, &body)
	_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "ACC1001",
		AccountType: inexopay.CurrentAccount, BCAgentID: "INX00001", AgentPAN: "NTFPS6013M", FirstName: "Binod",
		LastName: "Kumar", Email: "binodk@gmail.com", Phone: "7091919185", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/done"})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `"ACC9999"`)
}

// An onboarding answer for another agent id than the bcagentid asked is not
// this call's: the outcome is unknown. Its case is not the database's.
func TestOnboardAgentAnswerAboutOtherAgent(t *testing.T) {
	params := &inexopay.OnboardAgentParams{ShopName: "Binod Store", Name: "Binod Kumar", Email: "binodk@gmail.com",
		Mobile: "7091919185", DateOfBirth: "1990-01-31", Address: "Main Road", StateName: "Bihar", CityName: "Patna",
		Pincode: "852105", PAN: "NTFPS6013M", BCAgentID: "INX00007"}
	for body, other := range map[string]bool{
		`{"status":true,"data":{"txn_id":"INX00009","agent_id":"INX00009"}}`: true,
		`{"status":true,"data":{"txn_id":"INX00007","agent_id":"inx00007"}}`: false,
	} {
		c := orderServer(t, http.StatusOK, &body)
		_, err := c.NSDLBank.OnboardAgent(context.Background(), params)
		if other {
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, body)
			assert.Contains(t, err.Error(), "INX00009")
		} else {
			require.NoError(t, err, body)
		}
	}
}

// An opening answer naming another customer PAN (at any depth) than the one
// sent is not this call's: the outcome is unknown, the PANs masked.
func TestOpenAccountAnswerAboutOtherPAN(t *testing.T) {
	body := `{"status":true,"data":"https://nsdl.example/x","user":{"txn_id":"NSDLUCBDRJCBV","customer_id":838822,"pancard":"ZZZZZ9999Z"}}`
	c := orderServer(t, http.StatusOK, &body)
	_, err := c.NSDLBank.OpenAccount(context.Background(), &inexopay.OpenAccountParams{OrderID: "ACC1001",
		AccountType: inexopay.CurrentAccount, BCAgentID: "INX00001", AgentPAN: "NTFPS6013M", FirstName: "Binod",
		LastName: "Kumar", Email: "binodk@gmail.com", Phone: "7091919185", PAN: "ABCDE1234F", Pincode: "852105",
		ReturnURL: "https://example.com/done"})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.NotContains(t, err.Error(), "ZZZZZ9999Z")
	assert.NotContains(t, err.Error(), "ABCDE1234F")
}

// An onboarding answer naming another PAN than the agent's is about another
// agent: the outcome is unknown, the PANs masked. The agent's own PAN, in
// any case or masked to its last 4, is this agent's.
func TestOnboardAgentAnswerAboutOtherPAN(t *testing.T) {
	params := &inexopay.OnboardAgentParams{ShopName: "Binod Store", Name: "Binod Kumar", Email: "binodk@gmail.com",
		Mobile: "7091919185", DateOfBirth: "1990-01-31", Address: "Main Road", StateName: "Bihar", CityName: "Patna",
		Pincode: "852105", PAN: "NTFPS6013M"}
	for body, other := range map[string]bool{
		`{"status":true,"data":{"agent_id":"INX00042","pancard":"ZZZZZ9999Z"}}`: true,
		`{"status":true,"data":{"agent_id":"INX00042","pan":"ZZZZZ9999Z"}}`:     true,
		`{"status":true,"data":{"agent_id":"INX00042","pancard":"ntfps6013m"}}`: false,
		`{"status":true,"data":{"agent_id":"INX00042","pancard":"XXXXXX013M"}}`: false,
	} {
		c := orderServer(t, http.StatusOK, &body)
		_, err := c.NSDLBank.OnboardAgent(context.Background(), params)
		if other {
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, body)
			assert.NotContains(t, err.Error(), "ZZZZZ9999Z")
			assert.NotContains(t, err.Error(), "NTFPS6013M")
		} else {
			require.NoError(t, err, body)
		}
	}
}
