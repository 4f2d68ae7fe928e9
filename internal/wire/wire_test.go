package wire

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/ist"
)

func TestStr(t *testing.T) {
	for in, want := range map[string]Str{
		`"abc"`:           "abc",
		`""`:              "",
		`null`:            "",
		`34`:              "34",
		`1250.50`:         "1250.50",
		`-1`:              "-1",
		`true`:            "true",
		`false`:           "false",
		`"a\"b\\c\u00e9"`: `a"b\cé`,
		`"  spaced  "`:    "  spaced  ",
		` "trimmed" `:     "trimmed",
	} {
		var s Str = "old"
		if assert.NoError(t, json.Unmarshal([]byte(in), &s), in) {
			assert.Equal(t, want, s, in)
		}
	}
	for _, in := range []string{`{}`, `[]`, `{"a":1}`, `["a"]`} {
		var s Str
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
	for _, in := range []string{``, `"unterminated`, `"bad \x escape"`} {
		var s Str
		assert.Error(t, s.UnmarshalJSON([]byte(in)), in)
	}
}

func TestInt(t *testing.T) {
	for in, want := range map[string]Int{
		`34`:                    34,
		`"34"`:                  34,
		`" 34 "`:                34,
		`"838822"`:              838822,
		`34.0`:                  34,
		`"34.00"`:               34,
		`-7`:                    -7,
		`"-7"`:                  -7,
		`0`:                     0,
		`null`:                  0,
		`""`:                    0,
		`"9223372036854775807"`: math.MaxInt64,
		`2e2`:                   200, // a JSON number with an exponent, integral
		`4.02e2`:                402,
		`5E+2`:                  500,
		`0e0`:                   0,
		`-1e0`:                  -1,
	} {
		var n Int = 99
		if assert.NoError(t, json.Unmarshal([]byte(in), &n), in) {
			assert.Equal(t, want, n, in)
		}
	}
	for _, in := range []string{`34.5`, `"34.5"`, `"abc"`, `true`, `{}`, `[]`, `"1e3"`, `"9223372036854775808"`, `"0x10"`, `"12abc"`,
		`4.021e2`, `2e-1`, `1e19`, `1e999999999`, `1e-999999999`} {
		var n Int
		assert.Error(t, json.Unmarshal([]byte(in), &n), in)
	}
}

func TestBool(t *testing.T) {
	for in, want := range map[string]Bool{
		`true`: true, `false`: false,
		`1`: true, `0`: false,
		`"1"`: true, `"0"`: false,
		`"true"`: true, `"false"`: false,
		`"TRUE"`: true, `"False"`: false,
		`"yes"`: true, `"no"`: false,
		`"Y"`: true, `"N"`: false,
		`""`: false, `null`: false,
		`" 1 "`: true, `0.0`: false,
		// Best-effort: non-zero is true, what it cannot read is false.
		`2`: true, `-1`: true, `"2"`: true, `0.5`: true, `"on"`: true, `"OFF"`: false,
		`"maybe"`: false, `"pending"`: false, `{}`: false, `[]`: false, `[1]`: false, `{"a":1}`: false,
		`"NaN"`: false, `"unterminated`: false,
	} {
		b := !want
		if assert.NoError(t, b.UnmarshalJSON([]byte(in)), in) {
			assert.Equal(t, want, b, in)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]Text{
		`"abc"`: "abc", `null`: "", `34`: "34", `true`: "true",
		`{"a": [1, 2]}`: `{"a":[1,2]}`, `[]`: "[]", `"a\"b"`: `a"b`,
	} {
		var s Text = "old"
		if assert.NoError(t, s.UnmarshalJSON([]byte(in)), in) {
			assert.Equal(t, want, s, in)
		}
	}
}

func TestLaxInt(t *testing.T) {
	for in, want := range map[string]LaxInt{
		`34`: 34, `"34"`: 34, `34.0`: 34, `null`: 0, `""`: 0,
		`34.7`: 34, `"-2.5"`: -2, `"abc"`: 0, `true`: 0, `{}`: 0, `[]`: 0, `"1e30"`: 0, `"1e3"`: 1000,
	} {
		var n LaxInt = 99
		if assert.NoError(t, n.UnmarshalJSON([]byte(in)), in) {
			assert.Equal(t, want, n, in)
		}
	}
}

func TestObj(t *testing.T) {
	type inner struct {
		A Str `json:"a"`
	}
	for in, want := range map[string]Obj[inner]{
		`{"a":"x"}`: {V: inner{A: "x"}, Set: true},
		`{}`:        {Set: true},
		`null`:      {},
		`[]`:        {}, // PHP's empty array for an empty object
		`"text"`:    {},
		`7`:         {},
	} {
		o := Obj[inner]{V: inner{A: "old"}, Set: true}
		if assert.NoError(t, json.Unmarshal([]byte(in), &o), in) {
			assert.Equal(t, want, o, in)
		}
	}
	// The inner members keep their own rules: a strict one still fails.
	var o Obj[inner]
	assert.Error(t, json.Unmarshal([]byte(`{"a":{}}`), &o))
}

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for _, tc := range []struct {
		in     string
		want   time.Time
		offset int
	}{
		{"2026-05-04T10:00:00.000000Z", utc(2026, 5, 4, 10, 0, 0, 0), 0},
		{"2026-05-04T10:00:00.123456Z", utc(2026, 5, 4, 10, 0, 0, 123456000), 0},
		{"2026-05-04T10:00:00Z", utc(2026, 5, 4, 10, 0, 0, 0), 0},
		{"2025-01-15T10:30:00+00:00", utc(2025, 1, 15, 10, 30, 0, 0), 0},
		{"2025-01-15T16:00:00+05:30", utc(2025, 1, 15, 10, 30, 0, 0), 19800},
		{"2025-01-15T05:30:00-05:00", utc(2025, 1, 15, 10, 30, 0, 0), -18000},
		// Zone-less forms are IST.
		{"2025-01-15 10:30:00", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2025-01-15T10:30:00", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2025-01-15 10:30:00.5", utc(2025, 1, 15, 5, 0, 0, 500000000), 19800},
		{"2025-01-15T10:30:00.000000", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2025-01-15", utc(2025, 1, 14, 18, 30, 0, 0), 19800},
		{" 2025-01-15 10:30:00 ", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2026-05-04 00:10:00", utc(2026, 5, 3, 18, 40, 0, 0), 19800},
	} {
		got, err := ParseTime(tc.in)
		if !assert.NoError(t, err, tc.in) {
			continue
		}
		assert.True(t, tc.want.Equal(got), "%q = %v, want %v", tc.in, got, tc.want)
		_, off := got.Zone()
		assert.Equal(t, tc.offset, off, "%q offset", tc.in)
	}
	for _, in := range []string{"", "0000-00-00 00:00:00", "0000-00-00"} {
		got, err := ParseTime(in)
		assert.NoError(t, err, in)
		assert.True(t, got.IsZero(), in)
	}
	for _, in := range []string{"15-01-2025", "2025/01/15 10:30:00", "2025-02-30 10:00:00", "2025-01-15 25:00:00",
		"yesterday", "1736937000", "2025-01-15T10:30:00+5:30", "2025-01-15T10:30:00Zjunk"} {
		_, err := ParseTime(in)
		assert.Error(t, err, in)
	}
}

func TestTimeJSON(t *testing.T) {
	var tm Time
	require.NoError(t, json.Unmarshal([]byte(`"2025-01-15 10:30:00"`), &tm))
	assert.True(t, time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC).Equal(time.Time(tm)))
	assert.Equal(t, ist.Zone, time.Time(tm).Location())

	tm = Time(time.Now())
	require.NoError(t, json.Unmarshal([]byte(`null`), &tm))
	assert.True(t, time.Time(tm).IsZero())
	tm = Time(time.Now())
	require.NoError(t, json.Unmarshal([]byte(`""`), &tm))
	assert.True(t, time.Time(tm).IsZero())

	// Best-effort: what is not a timestamp is the zero time, not an error.
	for _, in := range []string{`"soon"`, `{}`, `[]`, `true`, `1736937000`, `"15-01-2025"`} {
		tm = Time(time.Now())
		if assert.NoError(t, json.Unmarshal([]byte(in), &tm), in) {
			assert.True(t, time.Time(tm).IsZero(), in)
		}
	}
}

func TestPaise(t *testing.T) {
	for in, want := range map[string]Paise{
		`1250.50`:    125050,
		`"1250.50"`:  125050,
		`1250.5`:     125050,
		`"1,250.50"`: 125050,
		`107`:        10700,
		`"107.00"`:   10700,
		`107.000`:    10700,
		`0`:          0,
		`null`:       0,
		`""`:         0,
		`0.1`:        10,
		`1100`:       110000,
		`" 100 "`:    10000,
		`"1,00,000"`: 10000000,
		`100000000`:  10000000000, // MaxPaise
	} {
		var p Paise = 123
		if assert.NoError(t, json.Unmarshal([]byte(in), &p), in) {
			assert.Equal(t, want, p, in)
		}
	}
	// An amount in an answer is read like ParseAmount reads one: no sign,
	// no exponent, nothing over MaxPaise, no blank text, no misplaced comma.
	for _, in := range []string{`1.005`, `"abc"`, `true`, `{}`, `[]`, `"1e400"`, `1e400`, `"1.2.3"`, `"₹1"`,
		`-100`, `"-100"`, `-0`, `+5`, `"+5"`, `-5.25`, `1e2`, `1.5e2`, `"1E2"`, `1000000000.01`, `99999999999999999999`,
		`"  "`, `" "`, `"2,50"`, `"1,0000"`, `",100"`} {
		var p Paise
		assert.Error(t, json.Unmarshal([]byte(in), &p), in)
	}
}

// TestPaiseNoFloatDrift: values that are inexact in binary floating point
// decode to the exact paise.
func TestPaiseNoFloatDrift(t *testing.T) {
	for in, want := range map[string]int64{
		"0.29": 29, "1.15": 115, "4.35": 435, "1250.50": 125050, "8.20": 820,
		"1234567.89": 123456789, "90071992547409.93": 9007199254740993,
	} {
		got, err := ParsePaise(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestParsePaiseErrors(t *testing.T) {
	for in, kind := range map[string]error{
		"":                     ErrAmountSyntax,
		"1.005":                ErrAmountSyntax,
		"1e":                   ErrAmountSyntax,
		"1e+":                  ErrAmountSyntax,
		"1eX":                  ErrAmountSyntax,
		"1e1234":               ErrAmountSyntax,
		"e5":                   ErrAmountSyntax,
		"1e400":                ErrAmountRange,
		"1e21":                 ErrAmountRange,
		"99999999999999999999": ErrAmountRange,
		"92233720368547758.08": ErrAmountRange,
		"1,000e2":              ErrAmountSyntax,
	} {
		_, err := ParsePaise(in)
		if assert.Error(t, err, in) {
			assert.True(t, errors.Is(err, kind), "%q: %v, want %v", in, err, kind)
		}
	}
	// The error quotes at most a bounded part of the input.
	long := "1x" + strings.Repeat("9", 500)
	_, err := ParsePaise(long)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 120, err.Error())
}

func TestFormatPaise(t *testing.T) {
	for p, want := range map[int64]string{
		0: "0.00", 1: "0.01", 10: "0.10", 100: "1.00", 125050: "1250.50", -525: "-5.25", -1: "-0.01",
		math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08",
	} {
		assert.Equal(t, want, FormatPaise(p), p)
		if p != math.MinInt64 {
			back, err := ParsePaise(want)
			require.NoError(t, err)
			assert.Equal(t, p, back, "round trip of %s", want)
		}
	}
}

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

// TestAnswersDecodeDocumentedShapes decodes two documented answers straight
// into the wire types, without the client.
func TestAnswersDecodeDocumentedShapes(t *testing.T) {
	var ps PANStatus
	require.NoError(t, json.Unmarshal([]byte(`{"status_code":200,"status":"SUCCESS","order_id":"ORD12345","amount":107.00,
		"date_time":"2025-01-15 10:30:00","data":{"status":"Success","txid":"484340","amount":107,"created_at":"2026-05-04 18:23:40"}}`), &ps))
	assert.False(t, ps.Status.Set, "the envelope is read by exact member names, not by the struct decode")
	assert.Equal(t, Paise(10700), ps.Amount)
	assert.Equal(t, Paise(10700), ps.Data.Amount)
	assert.Equal(t, OnlyStr("Success"), ps.Data.Status)
	assert.True(t, time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC).Equal(time.Time(ps.DateTime)))

	var ba BankAccount
	require.NoError(t, json.Unmarshal([]byte(`{"id":"34","account_type":2,"middle_name":null,"is_completed":1,
		"is_refunded":"0","status":1,"date":"2026-05-04T10:00:00.000000Z"}`), &ba))
	assert.Equal(t, LaxInt(34), ba.ID)
	assert.Equal(t, LaxInt(2), ba.AccountType)
	assert.Equal(t, Text(""), ba.MiddleName)
	assert.Equal(t, Bool(true), ba.Completed)
	assert.Equal(t, Bool(false), ba.Refunded)
}
