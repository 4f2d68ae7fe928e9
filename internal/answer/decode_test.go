package answer

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// decodeOutcome decodes body, sent with HTTP status, as a PAN.Request
// answer and names the outcome as docs/outcomes.md does.
func decodeOutcome(status int, body string) string {
	resp := &http.Response{StatusCode: status, Header: http.Header{}}
	ae := Decode(endpoints.PANRequest, resp, []byte(body), new(wire.PANApplication), "")
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
// unusable (docs/outcomes.md rows 8 and 11).
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
		return IsTemporary(Decode(endpoints.AccountBalance, resp, []byte(body), new(wire.Balance), ""))
	}
	assert.False(t, temporary(407), "a proxy's 407 needs its credentials first")
	for _, s := range []int{408, 421, 425, 499} {
		assert.True(t, temporary(s), "HTTP %d may pass on a second try", s)
	}
}

// A message that is not a JSON string is not a message: at 4xx it does not
// make a refusal, as null and "" do not.
func TestDecodeMessageNotAStringIsNoMarker(t *testing.T) {
	for _, m := range []string{`false`, `true`, `{}`, `[]`, `0`, `12`, `{"a":"b"}`, `["x"]`, `null`, `""`, `" "`} {
		assert.Equal(t, "unusable", decodeOutcome(409, `{"message":`+m+`}`), m)
	}
	assert.Equal(t, "refused", decodeOutcome(409, `{"message":"Order id already exists"}`))
}
