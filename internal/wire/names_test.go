package wire

import (
	"encoding/json"
	"reflect"
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
	// One object giving a member twice with different values names two
	// things; the same member at two levels, or twice with one value, is fine.
	dup := `{"status":"SUCCESS","order_id":"ORD2","order_id":"ORD1","data":{"status":"success"}}`
	assert.Equal(t, "order_id", MisspelledMember([]byte(dup), &PANStatus{}))
	dupData := `{"status":"SUCCESS","data":{"orderid":"ORD2","orderid":"ORD1","status":"success"}}`
	assert.Equal(t, "orderid", MisspelledMember([]byte(dupData), &PANStatus{}))
	twoData := `{"status":"SUCCESS","data":{"order_id":"A"},"data":{"order_id":"A"}}`
	assert.Equal(t, "data", MisspelledMember([]byte(twoData), &WalletPayment{}))
	levels := `{"status":"SUCCESS","order_id":"A","data":{"order_id":"A","status":"success","amount":1,"x":1,"y":1},"x":1}`
	assert.Equal(t, "", MisspelledMember([]byte(levels), &WalletPayment{}))
	same := `{"status":"SUCCESS","balance":"1.00","balance":"1.00"}`
	assert.Equal(t, "", MisspelledMember([]byte(same), &Balance{}))
	twinData := `{"status":"SUCCESS","data":{"url":"https://a"},"DATA":{"URL":"https://evil"}}`
	assert.Equal(t, "DATA", MisspelledMember([]byte(twinData), &PANApplication{}))
}

// The usual answer, with lower-case names, is checked without decoding,
// also when a name comes again at another level (the documented PAN status
// and QR answers give "status", "amount" and "number" at both levels).
func TestMisspelledMemberAllocations(t *testing.T) {
	for body, out := range map[string]any{
		`{"status":"SUCCESS","error_code":200,"message":"Balance fetched","balance":1250.50,"username":"MERCHANT"}`: &Balance{},
		`{"status_code":200,"status":"SUCCESS","order_id":"ORD1","number":"98","amount":107.00,` +
			`"data":{"status":"Success","orderid":"ORD1","amount":107,"number":"98","x":[{"a":1},{"a":2}]}}`: &PANStatus{},
		`{"status":"SUCCESS","data":{"order_id":"W1","amount":100,"status":"pending"}}`: &WalletQR{},
	} {
		b := []byte(body)
		assert.Equal(t, "", MisspelledMember(b, out), body)
		assert.Zero(t, testing.AllocsPerRun(50, func() { MisspelledMember(b, out) }), body)
	}
}

// FuzzMisspelledMember checks the byte scan against the token walk it
// spares the usual answer, for every answer type with nested objects.
func FuzzMisspelledMember(f *testing.F) {
	for _, s := range []string{`{"status":"SUCCESS","data":{"status":"x","ORDER_ID":1}}`, `{"a":{"b":1},"a":{"b":1}}`,
		`{"data":{"orderid":"A"},"data":{"orderid":"A"},"DATA":1}`, `{"x":[{"a":1},{"a":1,"a":2}]}`,
		"{\"\\u0061mount\":1,\"amount\":2}", `{"ſtatus":1}`, `{"Number":"1","number":"1"}`, `[{"a":1},{"A":1}]`} {
		f.Add(s)
	}
	outs := []any{&Balance{}, &PANStatus{}, &WalletQR{}, &WalletPayment{}, &PANApplication{}}
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		for _, out := range outs {
			got := MisspelledMember([]byte(body), out)
			want := misspelledByWalk([]byte(body), fieldNames(reflect.TypeOf(out)))
			if got != want {
				t.Fatalf("%q into %T: %q, walk %q", body, out, got, want)
			}
		}
	})
}

// A marker given twice at the top level is judged by Members.TwoValues
// (values that mean the same are one value), not by MisspelledMember; the
// same name twice inside data still names two values.
func TestMisspelledMemberLeavesTopLevelMarkers(t *testing.T) {
	for _, body := range []string{
		`{"status":"SUCCESS","status":true,"data":{"order_id":"A"}}`,
		`{"status_code":200,"status_code":"200","error_code":0,"error_code":"0"}`,
	} {
		assert.Equal(t, "", MisspelledMember([]byte(body), &WalletQR{}), body)
	}
	assert.Equal(t, "status", MisspelledMember([]byte(`{"data":{"status":"pending","status":"PENDING"}}`), &WalletQR{}))
	assert.Equal(t, "message", MisspelledMember([]byte(`{"message":"a","message":"b"}`), &WalletQR{}))
}

// FoldedFrom names the documented name a misspelled member folds to, and
// nothing for a documented or unknown name.
func TestFoldedFrom(t *testing.T) {
	for name, want := range map[string]string{
		"Order_ID": "order_id", "DATA": "data", "ſtatus": "status", "Message": "message",
		"order_id": "", "foo": "", "": "",
	} {
		assert.Equal(t, want, FoldedFrom(name, &WalletQR{}), name)
	}
}
