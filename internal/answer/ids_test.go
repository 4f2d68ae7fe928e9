package answer

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// decodeAsked decodes body, answered with HTTP status, for a call that asked about asked.
func decodeAsked(e endpoints.Name, status int, body string, out wire.Headed, asked wire.Asked) error {
	resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}}
	if ae := Decode(e, resp, []byte(body), out, asked, nil); ae != nil {
		return ae
	}
	return nil
}

// A refusal that names another order, request, PAN or txn id than the one asked is not provably
// about this call: unusable, whatever the HTTP status, and its error names both.
func TestDecodeRefusalAboutAnotherSubject(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		e          endpoints.Name
		out        func() wire.Headed
		asked      wire.Asked
		has        []string
	}{
		{"PAN.Status top order", `{"status":false,"message":"Record Not Found","order_id":"PAN9999"}`, endpoints.PANStatus,
			func() wire.Headed { return new(wire.PANStatus) }, wire.Asked{OrderID: "PAN1001"}, []string{`"PAN9999"`, `"PAN1001"`}},
		{"PaymentStatus data order", `{"status":"FAILED","status_code":404,"message":"Order not found","data":{"order_id":"WAL9999"}}`,
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }, wire.Asked{OrderID: "WAL1001"}, []string{`"WAL9999"`, `"WAL1001"`}},
		{"VerifyOTP other request", `{"status_code":400,"status":"FAILED","message":"Invalid OTP","data":{"request_id":"OTHERREQ"}}`,
			endpoints.VerifyOTP, func() wire.Headed { return new(wire.AadhaarVerification) }, wire.Asked{OrderID: "ADH1", RequestID: "MYREQ1"}, []string{"XXXXRREQ", "XXREQ1"}},
		{"AccountDetails other txn", `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99","txn_id":"OTHERTXN"}}`,
			endpoints.BankAccountDetails, func() wire.Headed { return new(wire.BankAccountAnswer) }, wire.Asked{TxnID: "NSDLTXN1"}, []string{`"OTHERTXN"`, `"NSDLTXN1"`}},
		{"AccountStatus other PAN", `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99","pancard":"ZZZZZ9999Z"}}`,
			endpoints.BankAccountStatus, func() wire.Headed { return new(wire.BankAccountAnswer) }, wire.Asked{PAN: "BNZPM2501F"}, []string{"XXXXXX999Z", "XXXXXX501F"}},
	} {
		for _, status := range []int{200, 400, 404} {
			err := decodeAsked(tc.e, status, tc.body, tc.out(), tc.asked)
			require.Error(t, err, tc.name)
			assert.Equal(t, "unusable", decisionOf(err), "%s HTTP %d: %v", tc.name, status, err)
			for _, s := range tc.has {
				assert.Contains(t, err.Error(), s, tc.name)
			}
			assert.NotContains(t, err.Error(), "ZZZZZ9999Z")
			assert.NotContains(t, err.Error(), "BNZPM2501F")
		}
	}
	// A refusal about the subject asked, or naming none, is still a refusal.
	err := decodeAsked(endpoints.PANStatus, 404, `{"status":false,"message":"Record Not Found","order_id":"pan1001"}`, new(wire.PANStatus),
		wire.Asked{OrderID: "PAN1001"})
	assert.Equal(t, "refused", decisionOf(err))
}

// An Aadhaar number an OTP answer names must be the one sent (digits compared; a masked one by its
// last 4); the error names the last 4 digits only.
func TestDecodeOtherAadhaar(t *testing.T) {
	asked := wire.Asked{OrderID: "ADH1", RequestID: "ADHRVFR1", Aadhaar: "234567890124"}
	other := `{"status_code":200,"status":"success","data":{"request_id":"ADHRVFR1","status":"verified","aadhaar":"587203916445","aadhaar_details":{"full_name":"Other"}}}`
	err := decodeAsked(endpoints.VerifyOTP, 200, other, new(wire.AadhaarVerification), asked)
	require.Error(t, err)
	assert.Equal(t, "unusable", decisionOf(err))
	assert.Contains(t, err.Error(), "6445")
	assert.Contains(t, err.Error(), "0124")
	assert.NotContains(t, err.Error(), "587203916445")
	assert.NotContains(t, err.Error(), "5872039")
	assert.NotContains(t, err.Error(), "23456789")
	send := `{"status_code":200,"status":"success","data":{"request_id":"ADHRVFR1","aadhaar":"587203916445","status":"pending"}}`
	assert.Error(t, decodeAsked(endpoints.SendOTP, 200, send, new(wire.AadhaarOTP), wire.Asked{OrderID: "ADH1", Aadhaar: "234567890124"}))
	for _, same := range []string{"234567890124", "XXXXXXXX0124", "xxxx xxxx 0124"} {
		body := `{"status":"success","data":{"request_id":"ADHRVFR1","aadhaar":"` + same + `","status":"pending"}}`
		assert.NoError(t, decodeAsked(endpoints.SendOTP, 200, body, new(wire.AadhaarOTP), wire.Asked{OrderID: "ADH1", Aadhaar: "234567890124"}), same)
	}
}

// An order id nested in any object of an answer is checked like one at the top level.
func TestDecodeNestedOtherOrder(t *testing.T) {
	body := `{"status":true,"message":"Success..!!","data":"https://nsdl.example/open?signcs=x","user":{"txn_id":"T1","customer_id":8,"orderid":"ACC9999"}}`
	err := decodeAsked(endpoints.OpenAccount, 200, body, new(wire.AccountOpening), wire.Asked{OrderID: "ACC1001"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"ACC9999"`)
}

// A top-level order id with no visible character names no order.
func TestDecodeBlankOrderIDIsNone(t *testing.T) {
	assert.NoError(t, decodeAsked(endpoints.PANStatus, 200, `{"status":"SUCCESS","order_id":" ","data":{"orderid":"PAN1001","status":"success"}}`,
		new(wire.PANStatus), wire.Asked{OrderID: "PAN1001"}))
}

// decisionOf names what Decode's error makes of an answer.
func decisionOf(err error) string {
	switch {
	case err == nil:
		return "success"
	case apierr.Unusable(err.(*apierr.APIError)):
		return "unusable"
	}
	return "refused"
}
