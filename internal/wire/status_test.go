package wire

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusMember(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   Status
		failed bool
		str    string
	}{
		{`true`, Status{Set: true, IsBool: true, Bool: true}, false, "true"},
		{`false`, Status{Set: true, IsBool: true, Bool: false}, true, "false"},
		{`1`, Status{Set: true, IsBool: true, Bool: true}, false, "true"},
		{`0`, Status{Set: true, IsBool: true, Bool: false}, true, "false"},
		{`"1"`, Status{Set: true, Text: "1"}, false, "1"},
		{`"0"`, Status{Set: true, Text: "0"}, true, "0"},
		{`"true"`, Status{Set: true, Text: "true"}, false, "true"},
		{`"false"`, Status{Set: true, Text: "false"}, true, "false"},
		{`"SUCCESS"`, Status{Set: true, Text: "SUCCESS"}, false, "SUCCESS"},
		{`"Success"`, Status{Set: true, Text: "Success"}, false, "Success"},
		{`"success"`, Status{Set: true, Text: "success"}, false, "success"},
		{`"FAILED"`, Status{Set: true, Text: "FAILED"}, true, "FAILED"},
		{`"failed"`, Status{Set: true, Text: "failed"}, true, "failed"},
		{`" Failed "`, Status{Set: true, Text: " Failed "}, true, " Failed "},
		{`"FAILURE"`, Status{Set: true, Text: "FAILURE"}, true, "FAILURE"},
		{`"fail"`, Status{Set: true, Text: "fail"}, true, "fail"},
		{`"error"`, Status{Set: true, Text: "error"}, true, "error"},
		{`"pending"`, Status{Set: true, Text: "pending"}, false, "pending"},
		{`null`, Status{}, false, ""},
	} {
		s := Status{Set: true, Text: "stale"}
		if !assert.NoError(t, json.Unmarshal([]byte(tc.in), &s), tc.in) {
			continue
		}
		assert.Equal(t, tc.want, s, tc.in)
		assert.Equal(t, tc.failed, s.Failed(), "%s: Failed", tc.in)
		assert.Equal(t, tc.str, s.String(), "%s: String", tc.in)
	}
	for _, in := range []string{`{}`, `[]`} {
		var s Status
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
	assert.False(t, Status{}.Failed(), "an absent status says nothing")
}

func TestEnvelopeFailed(t *testing.T) {
	for _, tc := range []struct {
		in      string
		failed  bool
		code    int
		hasCode bool
	}{
		{`{"status_code":200,"status":"SUCCESS"}`, false, 200, true},
		{`{"status_code":"200","status":"Success"}`, false, 200, true},
		{`{"status_code":201}`, false, 201, true},
		{`{"status_code":400,"status":"FAILED"}`, true, 400, true},
		{`{"status_code":"400","status":"FAILED"}`, true, 400, true},
		{`{"status_code":400,"status":"SUCCESS"}`, true, 400, true},
		{`{"status_code":200,"status":"FAILED"}`, true, 200, true},
		{`{"status_code":200,"status":"failed"}`, true, 200, true},
		{`{"error_code":200,"status":"SUCCESS"}`, false, 200, true},
		{`{"error_code":401,"status":"FAILED"}`, true, 401, true},
		{`{"error_code":"401","status":"success"}`, true, 401, true},
		{`{"status_code":200,"error_code":401}`, false, 200, true},
		{`{"status_code":null,"status":true}`, false, 0, false},
		{`{"status":true}`, false, 0, false},
		{`{"status":false}`, true, 0, false},
		{`{"status":1}`, false, 0, false},
		{`{"status":0}`, true, 0, false},
		{`{"status":"1"}`, false, 0, false},
		{`{"status":"true"}`, false, 0, false},
		{`{"status":"false"}`, true, 0, false},
		{`{}`, false, 0, false},
		{`{"message":"ok"}`, false, 0, false},
		{`{"status_code":500}`, true, 500, true},
		{`{"status_code":199}`, true, 199, true},
		{`{"status_code":300}`, true, 300, true},
	} {
		e, err := ParseEnvelope([]byte(tc.in))
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.failed, e.Failed(), "%s: Failed", tc.in)
		code, ok := e.Code()
		assert.Equal(t, tc.hasCode, ok, "%s: has code", tc.in)
		assert.Equal(t, tc.code, code, "%s: code", tc.in)
		assert.Same(t, &e, e.Head())
	}
	for _, in := range []string{`{"status_code":"abc"}`, `{"status":{}}`, `{"error_code":4.5}`} {
		_, err := ParseEnvelope([]byte(in))
		assert.Error(t, err, in)
	}
	// The message is best-effort: an object is kept as its JSON text.
	e, err := ParseEnvelope([]byte(`{"status":"SUCCESS","message":{"en": "ok"}}`))
	require.NoError(t, err)
	assert.Equal(t, Text(`{"en":"ok"}`), e.Message)
}

func TestFailureRespCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		code int
		text string
		ok   bool
	}{
		{`{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`, 99, "Record Not Found", true},
		{`{"status":false,"data":{"response":"Record Not Found","respcode":99}}`, 99, "Record Not Found", true},
		{`{"status":false,"data":{"response":"x","respcode":" 98 "}}`, 98, "x", true},
		{`{"status":false,"data":{"response":"x","respcode":""}}`, 0, "", false},
		{`{"status":false,"data":{"response":"x","respcode":"abc"}}`, 0, "", false},
		{`{"status":false,"data":{"response":"x"}}`, 0, "", false},
		{`{"status":false,"data":"https://example.com"}`, 0, "", false},
		{`{"status":false,"data":null}`, 0, "", false},
		{`{"status":false,"data":[1,2]}`, 0, "", false},
		{`{"status":false,"data":{"respcode":{}}}`, 0, "", false},
		{`{"status":false}`, 0, "", false},
	} {
		var f Failure
		require.NoError(t, json.Unmarshal([]byte(tc.in), &f), tc.in)
		code, text, ok := f.RespCode()
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.code, code, tc.in)
		assert.Equal(t, tc.text, text, tc.in)
	}
}

// A boolean or a usual status word decodes without allocating.
func TestStatusWellTypedAllocations(t *testing.T) {
	for _, in := range []string{`true`, `false`, `1`, `"SUCCESS"`, `"success"`, `"FAILED"`, `"failed"`, `"PENDING"`, `null`} {
		var s Status
		b := []byte(in)
		assert.Zero(t, testing.AllocsPerRun(50, func() { _ = s.UnmarshalJSON(b) }), in)
	}
	for _, in := range []string{`"SUCCESS"`, `"Success"`, `"FAILED"`, `"weird"`, `true`, `0`} {
		var fast, slow Status
		ferr, serr := fast.UnmarshalJSON([]byte(in)), slow.slowUnmarshalJSON([]byte(in))
		assert.Equal(t, serr == nil, ferr == nil, in)
		assert.Equal(t, slow, fast, in)
	}
}

// TestStatusWordAsPHPTrims: a status word is read after trimming what
// PHP's trim() strips (" \t\n\r\0\x0B") and upper-casing ASCII letters only
// (strtoupper); anything else around or in it (a no-break or zero-width
// space, a form feed) or the undocumented "successful" cannot be read.
func TestStatusWordAsPHPTrims(t *testing.T) {
	for in, want := range map[string]Word{
		"SUCCESS": WordSuccess, " success\t": WordSuccess, "\x00SUCCESS\x0b": WordSuccess, "ok": WordSuccess,
		"FAILED": WordFailure, "\r\nFailed \x00": WordFailure, "error": WordFailure, "0": WordFailure,
		"pending": WordNeither, "": WordNeither, "faıled": WordNeither, "ſuccess": WordNeither, "Transaction Pending": WordNeither,
		"\u00a0FAILED": WordOdd, "FAILED\u200b": WordOdd, "\fFAILED": WordOdd, "\u0085SUCCESS": WordOdd,
		"SUC\u200bCESS": WordOdd, "\ufeffSUCCESS": WordOdd, "\u00a0": WordOdd, "successful": WordOdd, "Successful": WordOdd,
	} {
		assert.Equal(t, want, ReadWord(in), "%q", in)
		var s Status
		b, _ := json.Marshal(in)
		err := s.UnmarshalJSON(b)
		if want == WordOdd {
			assert.Error(t, err, "%q", in)
			continue
		}
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want == WordFailure, s.Failed(), "%q", in)
	}
}
