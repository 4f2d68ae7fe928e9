package answer

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// TestUnusableReasons: an unusable answer's error names what makes it
// unusable, not another rule's words.
func TestUnusableReasons(t *testing.T) {
	const qr = `"data":{"order_id":"A","qr_url":"https://q.example/x"}`
	for _, tc := range []struct {
		status int
		body   string
		reason string
	}{
		{200, `{"status":"SUCCESS","error_code":0,"data":{"order_id":"A","order_id":"B","qr_url":"https://q.example/x"}}`,
			`answer contradicts itself: member "order_id" given twice`},
		{200, `{"status":"SUCCESS","error_code":0,"data":{"order_id":"A","Order_ID":"B","qr_url":"https://q.example/x"}}`,
			`answer contradicts itself: member "Order_ID" is a folded spelling of "order_id"`},
		{200, `{"status":"SUCCESS","error_code":0,"Data":{"order_id":"A","qr_url":"https://q.example/x"}}`,
			`answer contradicts itself: member "Data" is a folded spelling of "data"`},
		{200, `{"status":"FAILED","Message":"x"}`,
			`answer contradicts itself: member "Message" is a folded spelling of "message"`},
		{200, `{"status":"SUCCESS",` + qr + `,"foo":1,"foo":2}`,
			`answer contradicts itself: member "foo" given twice`},
		{200, `{"status":"SUCCESS","status":"FAILED"}`,
			`answer contradicts itself: member "status" sent twice with different values`},
		{200, `{"status":"SUCCESS","STATUS":"FAILED"}`,
			`answer contradicts itself: member "status" sent twice with different values`},
		{200, `{"status":{}}`,
			`answer contradicts itself: unreadable marker: member "status": unexpected JSON object`},
		{200, `{"status":"SUCCESS","status_code":"abc"}`,
			`answer contradicts itself: unreadable marker: member "status_code": not an integer: "abc"`},
		{200, `{"status":"SUCCESS","status_code":400}`,
			`answer contradicts itself: status "SUCCESS" with status_code 400`},
		{200, `{"status":"FAILED","error_code":0}`,
			`answer contradicts itself: status "FAILED" with error_code 0`},
		{200, `{"status":"SUCCESS","status_code":500}`,
			`answer contradicts itself: status "SUCCESS" with status_code 500`},
		{200, `{"status":"SUCCESS","status_code":200,"error_code":500}`,
			`answer contradicts itself: status "SUCCESS" with error_code 500`},
		{200, `{"status_code":200,"error_code":400}`,
			`answer contradicts itself: status_code 200 with error_code 400`},
		{200, `{"status":"FAILED","status_code":500}`,
			`server failure: status_code 500 in the answer`},
		{200, `{"status":"FAILED","status_code":400,"error_code":503}`,
			`server failure: error_code 503 in the answer`},
		{200, `{"status":"FAILED","status_code":500,"message":"db down"}`, `db down`},
		{400, `{"status":"FAILED","status_code":500}`, `server failure: status_code 500 in the answer`},
		{400, `{"status_code":500}`, `server failure: status_code 500 in the answer`},
		{400, `{"status":"SUCCESS"}`, `HTTP 400 with a body that says success`},
		{400, `{"x":1}`, `HTTP 400 with a JSON body that neither refuses nor succeeds`},
		{408, `{"status":"FAILED","message":"x"}`, `HTTP 408 may come from a proxy or the network, not the API`},
		{500, `{"status":"FAILED","message":"x"}`, `x`},
		{200, `{"status":"SUCCESS","data":{"order_id":{},"qr_url":"https://q.example/x"}}`,
			`answer's order id is not text or a number: (a JSON object)`},
		{200, `{"status":"SUCCESS","data":{"order_id":"","qr_url":"https://q.example/x"}}`,
			`success answer without its must-have member data.order_id`},
		{200, `{"status":"SUCCESS","data":{"order_id":"\u200b","qr_url":"https://q.example/x"}}`,
			`success answer without its must-have member data.order_id`},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
		ae := Decode(generateQR, resp, []byte(tc.body), new(wire.WalletQR), wire.Asked{}, nil)
		require.NotNil(t, ae, tc.body)
		assert.True(t, apierr.Unusable(ae), tc.body)
		assert.Equal(t, tc.reason, ae.Message, "%d %s", tc.status, tc.body)
	}
}

// TestMarkerRepeatedWithOneValue: a marker sent twice with values that mean
// the same says one thing (docs/outcomes.md), so the answer is a success.
func TestMarkerRepeatedWithOneValue(t *testing.T) {
	const qr = `"data":{"order_id":"A","qr_url":"https://q.example/x"}`
	for _, body := range []string{
		`{"status":"SUCCESS","status":true,` + qr + `}`,
		`{"status_code":200,"status_code":"200",` + qr + `}`,
		`{"error_code":0,"error_code":0.0,` + qr + `}`,
	} {
		resp := &http.Response{StatusCode: 200, Header: http.Header{}}
		assert.Nil(t, Decode(generateQR, resp, []byte(body), new(wire.WalletQR), wire.Asked{}, nil), body)
	}
	// In data, a member given twice with different texts still names two
	// values.
	resp := &http.Response{StatusCode: 200, Header: http.Header{}}
	ae := Decode(generateQR, resp, []byte(`{"status":"SUCCESS","data":{"order_id":"A","qr_url":"https://q.example/x","status":"pending","status":"PENDING"}}`), new(wire.WalletQR), wire.Asked{}, nil)
	require.NotNil(t, ae)
	assert.Equal(t, `answer contradicts itself: member "status" given twice`, ae.Message)
}

// TestDecodeOddStatusWordIsUnusable: a status word with anything around it
// that PHP's trim() keeps is neither a refusal nor a success.
func TestDecodeOddStatusWordIsUnusable(t *testing.T) {
	const qr = `"data":{"order_id":"A","qr_url":"https://q.example/x"}`
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `{"status":"FAILED\u00a0","status_code":402,"message":"Insufficient balance"}`},
		{200, `{"status":"\u200bFAILED","error_code":400,"message":"x"}`},
		{400, `{"status":"\u00a0FAILED","message":"x"}`},
		{400, `{"status":"FAILED\f","status_code":400,"message":"x"}`},
		{200, `{"status":"\u200bSUCCESS","status_code":200,` + qr + `}`},
		{200, `{"status":"SUCCESS\u00a0",` + qr + `}`},
		{200, `{"status":"successful","status_code":200,` + qr + `}`},
		{400, `{"status":"Successful","message":"x"}`},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
		ae := Decode(generateQR, resp, []byte(tc.body), new(wire.WalletQR), wire.Asked{}, nil)
		require.NotNil(t, ae, tc.body)
		assert.True(t, apierr.Unusable(ae), tc.body)
		assert.Contains(t, ae.Message, `unreadable marker: member "status"`, tc.body)
	}
	// PHP's trim() strips NUL and vertical tab: the word is then read.
	resp := &http.Response{StatusCode: 200, Header: http.Header{}}
	assert.Nil(t, Decode(generateQR, resp, []byte(`{"status":"\u0000SUCCESS\u000b",`+qr+`}`), new(wire.WalletQR), wire.Asked{}, nil))
	ae := Decode(generateQR, resp, []byte(`{"status":"FAILED\u0000","status_code":400,"message":"x"}`), new(wire.WalletQR), wire.Asked{}, nil)
	require.NotNil(t, ae)
	assert.False(t, apierr.Unusable(ae))
}
