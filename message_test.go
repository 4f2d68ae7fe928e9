package inexopay

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResultMessagesMaskEchoedSecrets: the API's message joins every
// result; a secret of the call it echoes (PAN, Aadhaar number, OTP) is
// masked in it, so that printing the result shows none of them.
func TestResultMessagesMaskEchoedSecrets(t *testing.T) {
	echo := map[Endpoint]string{
		EndpointOnboardAgent: `{"status":true,"message":"Agent with PAN ` + relAgentPAN + ` verified","data":{"txn_id":"T1","agent_id":"A1"}}`,
		EndpointOpenAccount: `{"status":true,"message":"Opened for ` + relCustomerPAN + ` by ` + relAgentPAN +
			`","data":"https://nsdl.example/open","user":{"txn_id":"T2","customer_id":1}}`,
		EndpointBankAccountStatus: `{"status":true,"message":"Record for ` + relCustomerPAN + `","data":{"txn_id":"T3","pancard":"` +
			relDocPAN + `","message":"KYC of ` + relDocPAN + ` done","status":1}}`,
		EndpointSendOTP: `{"status_code":200,"status":"success","message":"OTP sent for ` + relAadhaar +
			`","data":{"request_id":"R1","aadhaar":"` + relAadhaar + `","status":"pending"}}`,
		EndpointVerifyOTP: `{"status_code":200,"status":"success","message":"OTP ` + relOTP + ` accepted for ` + relAadhaar +
			`","data":{"request_id":"R1","status":"verified"}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, echo[relEndpointOf(r.URL.Path)])
	}))
	defer srv.Close()
	c := relClient(t, srv.URL)
	ctx := context.Background()

	open := relOpenParams()
	var results []any
	var messages []string
	a, err := c.NSDLBank.OnboardAgent(ctx, relOnboardParams())
	require.NoError(t, err)
	results, messages = append(results, a), append(messages, a.Message)
	o, err := c.NSDLBank.OpenAccount(ctx, open)
	require.NoError(t, err)
	results, messages = append(results, o), append(messages, o.Message)
	b, err := c.NSDLBank.AccountStatus(ctx, strings.ToLower(relCustomerPAN))
	require.NoError(t, err)
	results, messages = append(results, b), append(messages, b.Message, b.RecordMessage)
	s, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "A1", AadhaarNumber: relAadhaar})
	require.NoError(t, err)
	results, messages = append(results, s), append(messages, s.Message)
	v, err := c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "A1", RequestID: "R1", OTP: relOTP, AadhaarNumber: relAadhaar})
	require.NoError(t, err)
	results, messages = append(results, v), append(messages, v.Message)

	for _, m := range messages {
		assert.NotEmpty(t, m)
		relAssertClean(t, "message", m, relSecrets())
	}
	assert.Equal(t, "OTP [REDACTED] accepted for "+MaskAadhaar(relAadhaar), v.Message)
	assert.Equal(t, "Record for "+MaskPAN(relCustomerPAN), b.Message)
	for _, r := range results {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			relAssertClean(t, "result", fmt.Sprintf(verb, r), relSecrets())
		}
	}
}
