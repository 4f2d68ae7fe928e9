package answer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	generateQR     endpoints.Name = "Wallet.GenerateQR"
	accountBalance endpoints.Name = "Account.Balance"
)

// documented returns the documented success answer of the testdata
// directory dir (the root package's recorded answers) as a JSON object.
func documented(t *testing.T, dir string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "responses", dir, "success.json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

func marshal(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestAnswerCodeWithExponent(t *testing.T) {
	ok := documented(t, "wallet_generate_qr")
	delete(ok, "status_code")
	rest := string(marshal(t, ok)[1:])
	resp := func() *http.Response { return &http.Response{StatusCode: 200, Header: http.Header{}} }
	for _, code := range []string{"2e2", "2.00e2", "0e0", "0E+1"} {
		body := `{"status_code":` + code + `,` + rest
		assert.Nil(t, Decode(generateQR, resp(), []byte(body), new(wire.WalletQR), wire.Asked{}, nil), body)
	}
	// An integral code with an exponent is that code: 4.02e2 is 402.
	ae := Decode(generateQR, resp(), []byte(`{"status":"FAILED","status_code":4.02e2,"message":"Insufficient balance"}`), new(wire.WalletQR), wire.Asked{}, nil)
	require.NotNil(t, ae)
	assert.False(t, apierr.Unusable(ae), "a well-formed refusal")
	assert.Equal(t, 402, ae.Code)
	// A code that is not a whole number says nothing for sure.
	for _, body := range []string{
		`{"status":"FAILED","status_code":4.021e2,"message":"x"}`,
		`{"status":"FAILED","error_code":2e-1,"message":"x"}`,
		`{"status_code":200.5,` + rest,
	} {
		ae := Decode(generateQR, resp(), []byte(body), new(wire.WalletQR), wire.Asked{}, nil)
		require.NotNil(t, ae, body)
		assert.True(t, apierr.Unusable(ae), body)
		assert.ErrorIs(t, ae, apierr.ErrServer, body)
		assert.NotContains(t, ae.Message, "not valid JSON", body)
	}
}

func TestDecideIgnoresTheBOMAndContentType(t *testing.T) {
	body := append([]byte("\xef\xbb\xbf"), marshal(t, documented(t, "account_balance"))...)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}}}
	assert.Nil(t, Decode(accountBalance, resp, bytes.Clone(body), new(wire.Balance), wire.Asked{}, nil))
}

// decodeOutcome decodes body, sent with HTTP status, as a PAN.Request
// answer and names the outcome as docs/outcomes.md does.
func decodeOutcome(status int, body string) string {
	resp := &http.Response{StatusCode: status, Header: http.Header{}}
	ae := Decode(endpoints.PANRequest, resp, []byte(body), new(wire.PANApplication), wire.Asked{}, nil)
	switch {
	case ae == nil:
		return "success"
	case apierr.Unusable(ae):
		return "unusable"
	}
	return "refused"
}

// An unpaired UTF-16 surrogate escape makes PHP's json_decode fail
// (JSON_ERROR_UTF16) as invalid UTF-8 does: such an answer says nothing.
func TestDecodeLoneSurrogateIsUnusable(t *testing.T) {
	for _, body := range []string{
		`{"status":"FAILED","status_code":402,"message":"x\ud800"}`,
		`{"status":"FAILED","status_code":402,"message":"x\udc00"}`,
		`{"status":"FAILED","status_code":402,"message":"x\uD800\u0041"}`,
		`{"status":"FAILED","status_code":402,"message":"x\ud800\ud800"}`,
		`{"status":"FAILED","status_code":402,"message":"x","n\ud800":1}`,
		`{"status":"SUCCESS","data":{"url":"https://x.example/\ud800"}}`,
		`{"status":"SUCCESS","data":{"url":"https://x.example/a","x":["\udfff"]}}`,
	} {
		assert.Equal(t, "unusable", decodeOutcome(200, body), body)
		assert.Equal(t, "unusable", decodeOutcome(402, body), body)
	}
	// A paired surrogate escape is one character: still read.
	assert.Equal(t, "refused", decodeOutcome(402, `{"status":"FAILED","status_code":402,"message":"x\ud83d\ude00"}`))
	assert.Equal(t, "refused", decodeOutcome(402, `{"status":"FAILED","status_code":402,"message":"x\\ud800"}`))
}

// A 5xx in either code member, status_code or error_code, makes the answer
// unusable (docs/outcomes.md rows 9 and 12).
func TestDecodeServerCodeInEitherMember(t *testing.T) {
	for _, body := range []string{
		`{"status":"FAILED","status_code":402,"error_code":503,"message":"x"}`,
		`{"status":"FAILED","status_code":503,"error_code":402,"message":"x"}`,
		`{"status":"FAILED","error_code":500,"message":"x"}`,
	} {
		assert.Equal(t, "unusable", decodeOutcome(200, body), body)
		assert.Equal(t, "unusable", decodeOutcome(402, body), body)
	}
	assert.Equal(t, "refused", decodeOutcome(402, `{"status":"FAILED","status_code":402,"error_code":402,"message":"x"}`))
}

// Statuses that a proxy, a load balancer or the client's own stack may
// send are no proof the API refused, even with a JSON refusal body.
func TestDecodeStatusesNotFromTheAPIAreUnusable(t *testing.T) {
	body := `{"status":"FAILED","status_code":402,"message":"Insufficient balance"}`
	for _, s := range []int{407, 408, 421, 425, 499} {
		assert.Equal(t, "unusable", decodeOutcome(s, body), "HTTP %d", s)
	}
	assert.Equal(t, "refused", decodeOutcome(402, body))
	temporary := func(status int) bool {
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		return IsTemporary(Decode(endpoints.AccountBalance, resp, []byte(body), new(wire.Balance), wire.Asked{}, nil))
	}
	assert.False(t, temporary(407), "a proxy's 407 needs its credentials first")
	for _, s := range []int{408, 421, 425, 499} {
		assert.True(t, temporary(s), "HTTP %d may pass on a second try", s)
	}
}

// A message is no failure marker: at 4xx a message alone (a web
// framework's "Not Found", a route not found) is no refusal; with status
// false or FAILED, or a failure code, it is.
func TestDecodeMessageAloneIsNoRefusal(t *testing.T) {
	for _, m := range []string{`false`, `true`, `{}`, `[]`, `0`, `12`, `{"a":"b"}`, `["x"]`, `null`, `""`, `" "`,
		`"\u200b"`, `"\u00a0 \ufeff"`, `"\u3164"`, `"Not Found"`, `"The route api/x could not be found."`,
		`"Order id already exists"`} {
		assert.Equal(t, "unusable", decodeOutcome(404, `{"message":`+m+`}`), m)
	}
	assert.Equal(t, "refused", decodeOutcome(409, `{"status":false,"message":"Order id already exists"}`))
	assert.Equal(t, "refused", decodeOutcome(409, `{"status":"FAILED","message":"Order id already exists"}`))
	assert.Equal(t, "refused", decodeOutcome(404, `{"status_code":404,"message":"Record Not Found"}`))
}

func decode200(e endpoints.Name, body string, out wire.Headed, orderID string) error {
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	if ae := Decode(e, resp, []byte(body), out, wire.Asked{OrderID: orderID}, nil); ae != nil {
		return ae
	}
	return nil
}

// A status answer names its order as order_id or orderid, at the top level
// or in data; every one it sends must be the order asked.
func TestDecodeOrderIDInEitherSpelling(t *testing.T) {
	for _, tc := range []struct {
		name, body, asked, other string
		e                        endpoints.Name
		out                      func() wire.Headed
	}{
		{"PAN.Status top-level orderid", `{"status":"SUCCESS","orderid":"PAN9","data":{"status":"success"}}`, "PAN1001", "PAN9",
			endpoints.PANStatus, func() wire.Headed { return new(wire.PANStatus) }},
		{"PAN.Status data.order_id", `{"status":"SUCCESS","order_id":"PAN1001","data":{"status":"success","order_id":"PAN9"}}`, "PAN1001", "PAN9",
			endpoints.PANStatus, func() wire.Headed { return new(wire.PANStatus) }},
		{"IncompleteAccountURL data.order_id", `{"status":"SUCCESS","order_id":"ACC1001","account_url":"https://nsdl.example/x","data":{"order_id":"ACC9"}}`, "ACC1001", "ACC9",
			endpoints.IncompleteAccountURL, func() wire.Headed { return new(wire.IncompleteAccount) }},
		{"IncompleteAccountURL top-level orderid", `{"status":"SUCCESS","orderid":"ACC9","account_url":"https://nsdl.example/x"}`, "ACC1001", "ACC9",
			endpoints.IncompleteAccountURL, func() wire.Headed { return new(wire.IncompleteAccount) }},
		{"PaymentStatus data.orderid", `{"status":"SUCCESS","data":{"orderid":"WAL9","status":"success","amount":"1"}}`, "WAL1", "WAL9",
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }},
		{"PaymentStatus top-level orderid", `{"status":"SUCCESS","orderid":"WAL9","data":{"order_id":"WAL1","status":"success","amount":"1"}}`, "WAL1", "WAL9",
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }},
		{"PaymentStatus orderid as a number", `{"status":"SUCCESS","data":{"orderid":9,"status":"success","amount":"1"}}`, "WAL1", "9",
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decode200(tc.e, tc.body, tc.out(), tc.asked)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `"`+tc.other+`"`)
			assert.Contains(t, err.Error(), `"`+tc.asked+`"`)
			assert.Contains(t, err.Error(), "answer is about order")
		})
	}
	// The same order under every spelling, in another case, is this order.
	for _, tc := range []struct {
		e    endpoints.Name
		body string
		out  wire.Headed
	}{
		{endpoints.PANStatus, `{"status":"SUCCESS","orderid":"pan1001","order_id":" PAN1001 ","data":{"status":"success","orderid":"Pan1001","order_id":null}}`, new(wire.PANStatus)},
		{endpoints.PaymentStatus, `{"status":"SUCCESS","orderid":"","data":{"orderid":"pan1001","order_id":"PAN1001","status":"success","amount":"1"}}`, new(wire.WalletPayment)},
		{endpoints.IncompleteAccountURL, `{"status":"SUCCESS","orderid":"PAN1001","account_url":"https://nsdl.example/x","data":{"orderid":"pan1001"}}`, new(wire.IncompleteAccount)},
	} {
		assert.NoError(t, decode200(tc.e, tc.body, tc.out, "PAN1001"), tc.body)
	}
}

// Checking the order a status answer names costs no allocation when it is
// the order asked: the answer allocates what its decoding does, no more.
func TestDecodeOrderCheckAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		e   endpoints.Name
		dir string
		out func() wire.Headed
	}{
		{endpoints.PANStatus, "pan_status", func() wire.Headed { return new(wire.PANStatus) }},
		{endpoints.PaymentStatus, "wallet_payment_status", func() wire.Headed { return new(wire.WalletPayment) }},
	} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "responses", tc.dir, "success.json"))
		require.NoError(t, err)
		var head struct {
			OrderID string `json:"order_id"`
			Data    struct {
				OrderID string `json:"orderid"`
				Order2  string `json:"order_id"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal(raw, &head))
		order := cmp.Or(head.OrderID, head.Data.OrderID, head.Data.Order2)
		require.NotEmpty(t, order, tc.dir)
		require.NoError(t, decode200(tc.e, string(raw), tc.out(), order), tc.dir)
		resp := &http.Response{StatusCode: 200, Header: http.Header{}}
		allocs := func(orderID string) float64 {
			return testing.AllocsPerRun(50, func() { _ = Decode(tc.e, resp, raw, tc.out(), wire.Asked{OrderID: orderID}, nil) })
		}
		assert.Equal(t, allocs(""), allocs(order), tc.dir)
	}
}

// Every member whose name folds to order_id (ASCII case, '_' left out)
// names the order, on every call: a status call's, a charging call's, and
// for a call that names no order, each other's.
func TestDecodeOrderIDFoldedSpellingsOnEveryCall(t *testing.T) {
	for _, tc := range []struct {
		name, body, asked string
		e                 endpoints.Name
		out               wire.Headed
	}{
		{"PaymentStatus data.orderId", `{"status":"SUCCESS","data":{"orderId":"WAL9","status":"success","amount":"1"}}`, "WAL1",
			endpoints.PaymentStatus, new(wire.WalletPayment)},
		{"IncompleteAccountURL top-level ORDERID", `{"status":true,"ORDERID":"WAL9","account_url":"https://n/x"}`, "WAL1",
			endpoints.IncompleteAccountURL, new(wire.IncompleteAccount)},
		{"PAN.Request data.orderid", `{"status":"SUCCESS","data":{"txid":"1","orderid":"WAL9","url":"https://c.example/p"}}`, "WAL1",
			endpoints.PANRequest, new(wire.PANApplication)},
		{"OpenAccount order_id", `{"status":true,"order_id":"WAL9","data":"https://n/x"}`, "WAL1",
			endpoints.OpenAccount, new(wire.AccountOpening)},
		{"SendOTP data.orderid", `{"status":"success","data":{"request_id":"R1","orderid":"WAL9"}}`, "WAL1",
			endpoints.SendOTP, new(wire.AadhaarOTP)},
		{"GenerateQR two orders", `{"status":"SUCCESS","OrderID":"WAL9","data":{"order_id":"WAL1","qr_url":"https://q/x"}}`, "",
			endpoints.GenerateQR, new(wire.WalletQR)},
	} {
		err := decode200(tc.e, tc.body, tc.out, tc.asked)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), `"WAL9"`, tc.name)
		assert.Contains(t, err.Error(), `"WAL1"`, tc.name)
	}
}

// Order ids compare as ASCII: a Unicode case fold or white space that is
// not ASCII makes another order.
func TestDecodeOrderIDComparedASCIIOnly(t *testing.T) {
	for _, id := range []string{"WAL\u017fK1", "WALS\u212a1", "WALSK1\u00a0", "\u3000WALSK1"} {
		body := `{"status":"SUCCESS","data":{"order_id":"` + id + `","status":"success","amount":"1"}}`
		assert.Error(t, decode200(endpoints.PaymentStatus, body, new(wire.WalletPayment), "WALSK1"), id)
	}
	assert.NoError(t, decode200(endpoints.PaymentStatus, `{"status":"SUCCESS","data":{"order_id":" walsk1\t","status":"success","amount":"1"}}`,
		new(wire.WalletPayment), "WALSK1"))
}

// A verification answer about another request than the one sent is not
// this verification; its message keeps the request ids' last 4 only.
func TestDecodeOtherRequest(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Header: http.Header{}}
	body := []byte(`{"status":"success","data":{"status":"verified","request_id":"OTHERREQ42"}}`)
	ae := Decode(endpoints.VerifyOTP, resp, body, new(wire.AadhaarVerification), wire.Asked{OrderID: "ADH1", RequestID: "MYREQ0017"}, nil)
	require.NotNil(t, ae)
	assert.Contains(t, ae.Message, "XXXXXXEQ42")
	assert.Contains(t, ae.Message, "XXXXX0017")
	assert.NotContains(t, ae.Message, "OTHERREQ42")
	assert.Nil(t, Decode(endpoints.VerifyOTP, resp, []byte(`{"status":"success","data":{"status":"verified","request_id":"myreq0017"}}`),
		new(wire.AadhaarVerification), wire.Asked{OrderID: "ADH1", RequestID: "MYREQ0017"}, nil))
}

// A 206 is part of an answer: unusable, whatever it says.
func TestDecodePartialContent(t *testing.T) {
	assert.Equal(t, "unusable", decodeOutcome(206, `{"status":"FAILED","status_code":400,"message":"Invalid order"}`))
	assert.Equal(t, "unusable", decodeOutcome(206, `{"status":"SUCCESS","balance":"1.00"}`))
}

// A refusal whose body carries every must-have of the call's success answer
// (a URL, a request id) does not prove nothing was done: it is unusable. The
// documented NSDL refusal with data.response and data.respcode stays one.
func TestRefusalCarryingSuccessMembers(t *testing.T) {
	resp := func(s int) *http.Response { return &http.Response{StatusCode: s, Header: http.Header{}} }
	for _, tc := range []struct {
		e      endpoints.Name
		status int
		body   string
		out    wire.Headed
	}{
		{"PAN.Request", 200, `{"status_code":402,"status":"FAILED","message":"Insufficient balance","data":{"txid":"50089349","url":"https://connect.inspay.in/nsdl/pan?txid=50089349","orderid":"PAN1001"}}`, new(wire.PANApplication)},
		{"NSDLBank.OpenAccount", 200, `{"status":false,"message":"Low balance","data":"https://nsdljiffy.co.in/x?signcs=1","user":{"txn_id":"NSDLUCBDRJCBV","customer_id":838822}}`, new(wire.AccountOpening)},
		{"Aadhaar.SendOTP", 400, `{"status_code":400,"status":"FAILED","message":"x","data":{"request_id":"ADHRVFR19052420260531_1e2d274","status":"pending"}}`, new(wire.AadhaarOTP)},
	} {
		ae := Decode(tc.e, resp(tc.status), []byte(tc.body), tc.out, wire.Asked{}, nil)
		require.NotNil(t, ae, tc.body)
		assert.True(t, apierr.Unusable(ae), tc.body)
		assert.Contains(t, ae.Message, "does not prove nothing was done")
	}
	ae := Decode("NSDLBank.AccountStatus", resp(200), []byte(`{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`),
		new(wire.BankAccountAnswer), wire.Asked{PAN: "ABCDE1234F"}, nil)
	require.NotNil(t, ae)
	assert.False(t, apierr.Unusable(ae), "the documented refusal")
}

// A hand-off URL whose query names another order, PAN or Aadhaar number
// (under any spelling an answer's member may use) would carry the
// applicant's browser on with someone else's application: the answer is
// unusable. The ids asked, in any case or masked, are fine.
func TestDecodeHandOffURLAboutAnotherID(t *testing.T) {
	decode := func(e endpoints.Name, body string, out wire.Headed, asked wire.Asked) *apierr.APIError {
		resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
		return Decode(e, resp, []byte(body), out, asked, nil)
	}
	pan := wire.Asked{OrderID: "PAN1001"}
	acc := wire.Asked{OrderID: "ACC1001", PAN: "BNZPM2501F"}
	for _, tc := range []struct {
		e            endpoints.Name
		body         string
		out          func() wire.Headed
		asked        wire.Asked
		other, shown string
	}{
		{endpoints.PANRequest, `{"status":"SUCCESS","data":{"txid":"5","url":"https://nsdl.example/pan?process_id=2&orderid=PAN9999","orderid":"PAN1001"}}`,
			func() wire.Headed { return new(wire.PANApplication) }, pan, "order", "PAN9999"},
		{endpoints.PANRequest, `{"status":"SUCCESS","data":{"txid":"5","url":"https://nsdl.example/pan?Order_No=PAN9999"}}`,
			func() wire.Headed { return new(wire.PANApplication) }, pan, "order", "PAN9999"},
		{endpoints.IncompleteAccountURL, `{"status":true,"order_id":"ACC1001","account_url":"https://nsdl.example/open?order_id=ACC9999"}`,
			func() wire.Headed { return new(wire.IncompleteAccount) }, wire.Asked{OrderID: "ACC1001"}, "order", "ACC9999"},
		{endpoints.OpenAccount, `{"status":true,"data":"https://nsdl.example/open?pancard=ZZZZZ9999Z"}`,
			func() wire.Headed { return new(wire.AccountOpening) }, acc, "PAN", "999Z"},
		{endpoints.OpenAccount, `{"status":true,"data":"https://nsdl.example/open?pan_number=ZZZZZ9999Z"}`,
			func() wire.Headed { return new(wire.AccountOpening) }, acc, "PAN", "999Z"},
	} {
		ae := decode(tc.e, tc.body, tc.out(), tc.asked)
		require.NotNil(t, ae, tc.body)
		assert.ErrorIs(t, ae, apierr.ErrServer, tc.body)
		assert.Contains(t, ae.Message, "hand-off URL", tc.body)
		assert.Contains(t, ae.Message, tc.other, tc.body)
		assert.Contains(t, ae.Message, tc.shown, tc.body)
		assert.NotContains(t, ae.Message, "ZZZZZ9999Z", "a PAN is shown by its last 4 only")
	}
	for _, tc := range []struct {
		e     endpoints.Name
		body  string
		out   wire.Headed
		asked wire.Asked
	}{
		{endpoints.PANRequest, `{"status":"SUCCESS","data":{"txid":"5","url":"https://nsdl.example/pan?orderid=pan1001&txid=5&pan_mode=EKYC"}}`, new(wire.PANApplication), pan},
		{endpoints.OpenAccount, `{"status":true,"data":"https://nsdl.example/open?pancard=XXXXXX501F&orderid=ACC1001&order_status="}`, new(wire.AccountOpening), acc},
	} {
		assert.Nil(t, decode(tc.e, tc.body, tc.out, tc.asked), tc.body)
	}
}

// A non-JSON answer that echoes a secret near the snippet's length limit,
// in any spelling the redaction knows: the whole text is masked before it
// is cut, so no cut leaves a partial secret (nor a partial escape of one)
// in the error.
func TestSnippetMasksSecretsBeforeTheCut(t *testing.T) {
	const (
		key     = "sk_live_Q7w9ZxY3kLm2Np8R"
		aadhaar = "234567890123"
		otp     = "482913"
	)
	form := url.Values{"api_key": {key}, "aadhaar_number": {aadhaar}, "otp": {otp}}
	var kc redact.KeyCache
	secrets := kc.CallSecrets(form, nil)
	for _, sec := range []string{key, aadhaar, otp} {
		half := sec[:len(sec)/2]
		leak := secrettest.LeakFinder(half, []string{half}, nil)
		for _, sp := range secrettest.Spellings(sec) {
			for n := 0; n < redact.SnippetLimit+4; n++ {
				body := strings.Repeat("x", n) + " " + sp + " tail"
				resp := &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"text/html"}}}
				err := redact.Err(notJSON(generateQR, resp, []byte(body)), secrets)
				if what := leak(err.Error()); what != "" {
					t.Fatalf("%s spelled %q after %d bytes: %s in %s", sec, sp, n, what, err)
				}
			}
		}
	}
}

// A cut that ends inside an escape drops the partial escape.
func TestSnippetDropsAPartialEscapeAtTheCut(t *testing.T) {
	for _, tail := range []string{"%", "%7", "%25", "%257", `\`, `\u`, `\u00`, "&", "&#", "&#11", "&#x7", "&amp", "&lowbar"} {
		text := strings.Repeat("y", redact.SnippetLimit-len(tail)) + tail + "more text"
		got := Snippet([]byte(text))
		assert.Equal(t, strings.Repeat("y", redact.SnippetLimit-len(tail)), got, "tail %q", tail)
	}
	// Text that fits is kept whole, a trailing % too.
	assert.Equal(t, "100%", Snippet([]byte("100%")))
}
