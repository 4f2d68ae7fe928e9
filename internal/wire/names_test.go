package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A member that encoding/json would bind to a field by folding its name
// ("BALANCE", "ſtatus", "DATA") is reported, at any depth; exact names,
// unknown names and values that look like names are not.
func TestMisspelledMember(t *testing.T) {
	for body, want := range map[string]string{
		`{"status":"SUCCESS","balance":"100.00","username":"u"}`:                       "",
		`{"status":"SUCCESS","balance":"100.00","Balance":"99999.00"}`:                 "Balance",
		`{"status":"SUCCESS","BALANCE":"100"}`:                                         "BALANCE",
		`{"status":"SUCCESS","UTR":"X","Remark":"A:B"}`:                                "",
		`{"status":"SUCCESS","note":"BALANCE","balance":"1"}`:                          "",
		`{"status":"SUCCESS","balance":"1","x":{"BALANCE":"9"}}`:                       "BALANCE",
		`{"status":"SUCCESS","balance":"1","x":[{"a":1},{"b":[1,2,{"BALANCE":"9"}]}]}`: "BALANCE",
		"{\"status\":\"SUCCESS\",\"balance\":\"1\",\"\\u0042alance\":\"9\"}":           "Balance",
		`{"STATUS":"FAILED","balance":"1"}`:                                            "STATUS",
		`{"status":"SUCCESS","Error_Code":1,"balance":"1"}`:                            "Error_Code",
		`{"status":"SUCCESS","ba\u2028lance":"1"}`:                                     "",
	} {
		assert.Equal(t, want, MisspelledMember([]byte(body), &Balance{}), body)
	}
	qr := `{"status":"SUCCESS","data":{"order_id":"W1","qr_url":"https://q","ORDER_ID":"W2"}}`
	assert.Equal(t, "ORDER_ID", MisspelledMember([]byte(qr), &WalletQR{}))
	pay := `{"status":"SUCCESS","data":{"order_id":"ORD1","status":"pending","amount":"100.00","ſtatus":"success"}}`
	assert.Equal(t, "ſtatus", MisspelledMember([]byte(pay), &WalletPayment{}))
	twinData := `{"status":"SUCCESS","data":{"url":"https://a"},"DATA":{"URL":"https://evil"}}`
	assert.Equal(t, "DATA", MisspelledMember([]byte(twinData), &PANApplication{}))
}

// The usual answer, with lower-case names, is checked without decoding.
func TestMisspelledMemberAllocations(t *testing.T) {
	body := []byte(`{"status":"SUCCESS","error_code":200,"message":"Balance fetched","balance":1250.50,"username":"MERCHANT"}`)
	out := &Balance{}
	MisspelledMember(body, out)
	assert.Zero(t, testing.AllocsPerRun(50, func() { MisspelledMember(body, out) }))
}
