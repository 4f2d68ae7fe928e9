// Tests of the account endpoints, with credentials and access checks.

package inexopaytest

import (
	"context"
	"net/http"
	"net/url"
	"testing"

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
