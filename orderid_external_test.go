package inexopay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

// TestResultIDsTrimmed: the ids a result returns (order, request, agent,
// txn ids) are the API's without the ASCII white space around them, which
// the ids' comparisons already ignore, on every call that returns one: an
// agent id answered as " INX00042 " goes on to OpenAccountParams as
// INX00042.
func TestResultIDsTrimmed(t *testing.T) {
	ctx := context.Background()
	check := func(name, body string, call func(c *inexopay.Client) ([]string, error), want ...string) {
		t.Helper()
		got, err := call(answeringClient(t, body))
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
	check("OnboardAgent", `{"status":true,"data":{"txn_id":" T1 ","agent_id":" INX00042 \t"}}`,
		func(c *inexopay.Client) ([]string, error) {
			p := e2eOnboard("7091919185")
			p.BCAgentID = "INX00042"
			a, err := c.NSDLBank.OnboardAgent(ctx, p)
			if err != nil {
				return nil, err
			}
			require.NoError(t, e2eOpen("ACC1", a.AgentID, "https://example.com/done").Validate())
			return []string{a.TxnID, a.AgentID}, nil
		}, "T1", "INX00042")
	check("GenerateQR", `{"status":true,"data":{"order_id":"WAL1 ","amount":"100","upi_id":"a@b","tx_string":"upi://pay?pa=a@b&am=100&tr=WAL1"}}`,
		func(c *inexopay.Client) ([]string, error) {
			qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
			if err != nil {
				return nil, err
			}
			return []string{qr.OrderID}, nil
		}, "WAL1")
	check("PaymentStatus", `{"status_code":200,"status":"SUCCESS","data":{"order_id":"\tWAL1 ","amount":100,"status":"pending"}}`,
		func(c *inexopay.Client) ([]string, error) {
			p, err := c.Wallet.PaymentStatus(ctx, "WAL1")
			if err != nil {
				return nil, err
			}
			return []string{p.OrderID}, nil
		}, "WAL1")
	check("VerifyOTP", `{"status":"success","data":{"request_id":" ADHRV1_c135079\t","status":"verified"},"meta":{"request_id":" 86573ba4-c189 "}}`,
		func(c *inexopay.Client) ([]string, error) {
			v, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "KYC-1", RequestID: "ADHRV1_c135079", OTP: "583914", AadhaarNumber: "2345 6789 0124"})
			if err != nil {
				return nil, err
			}
			return []string{v.RequestID, v.TraceID}, nil
		}, "ADHRV1_c135079", "86573ba4-c189")
	check("PAN.Status", `{"status":"SUCCESS","order_id":" PAN1001\r\n","data":{"status":"Pending","orderid":"PAN1001 ","txid":" 484340 "}}`,
		func(c *inexopay.Client) ([]string, error) {
			s, err := c.PAN.Status(ctx, "PAN1001")
			if err != nil {
				return nil, err
			}
			return []string{s.OrderID, s.Data.OrderID, s.TxID}, nil
		}, "PAN1001", "PAN1001", "484340")
	check("PAN.Request", `{"status":"SUCCESS","data":{"txid":" 50089349 ","url":"https://connect.inspay.in/nsdl/pan?txid=50089349","orderid":"PAN1"}}`,
		func(c *inexopay.Client) ([]string, error) {
			a, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "PAN1",
				Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew, ReturnURL: "https://example.com/done"})
			if err != nil {
				return nil, err
			}
			return []string{a.TxID, a.OrderID}, nil
		}, "50089349", "PAN1")
	check("IncompleteAccountURL", `{"status":true,"order_id":" ACC1001\t","txn_id":" NSDLUCB ","account_url":"https://nsdl.example/x","status_in_db":"pending"}`,
		func(c *inexopay.Client) ([]string, error) {
			a, err := c.NSDLBank.IncompleteAccountURL(ctx, "ACC1001")
			if err != nil {
				return nil, err
			}
			return []string{a.OrderID, a.TxnID}, nil
		}, "ACC1001", "NSDLUCB")
	check("OpenAccount", `{"status":true,"data":"https://nsdl.example.com/open?signcs=T","user":{"txn_id":" NSDLQ1\n","customer_id":838822}}`,
		func(c *inexopay.Client) ([]string, error) {
			a, err := c.NSDLBank.OpenAccount(ctx, e2eOpen("ACC1001", "INX00042", "https://example.com/done"))
			if err != nil {
				return nil, err
			}
			return []string{a.TxnID}, nil
		}, "NSDLQ1")
	check("AccountDetails", `{"status":true,"data":{"id":34,"txn_id":" NSDLUCB ","pancard":"NTFPS6013M","is_completed":1}}`,
		func(c *inexopay.Client) ([]string, error) {
			a, err := c.NSDLBank.AccountDetails(ctx, &inexopay.AccountDetailsParams{TxnID: "NSDLUCB"})
			if err != nil {
				return nil, err
			}
			return []string{a.TxnID}, nil
		}, "NSDLUCB")
}

// TestOrderIDNotTextOnCallsNamingNoOrder: an order id that is not text or a
// number (an object, an array, a boolean) makes an answer unusable on the
// calls that name no order too, even alone and even when it holds a plain
// id: ErrServer on a read-only call, ErrOutcomeUnknown on a charging one.
func TestOrderIDNotTextOnCallsNamingNoOrder(t *testing.T) {
	ctx := context.Background()
	for _, id := range []string{`{"id":"X1"}`, `["X1"]`, `true`} {
		_, err := answeringClient(t, `{"status":true,"balance":"100.00","username":"user1","order_id":`+id+`}`).Account.Balance(ctx)
		require.ErrorIs(t, err, inexopay.ErrServer, id)
		_, err = answeringClient(t, `{"status":true,"data":{"agent_id":"AG55","txn_id":"T1"},"order_id":`+id+`}`).
			NSDLBank.OnboardAgent(ctx, e2eOnboard("7091919185"))
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, id)
	}
}
