package redact

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// Answer masks the call's secrets in every string member of an answer, data
// as well as free text, at any depth and inside raw JSON a service decodes
// later; members that hold none keep their value.
func TestAnswerMasksSecretsInEveryMember(t *testing.T) {
	form := url.Values{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "aadhaar_number": {"234567890124"}, "otp": {"482913"}}
	set := callSecrets(form, nil)
	const want = "F XXXXXXXX0124 [REDACTED] XXXXXXXXXXXXXXXXXXXX3Kx9"

	var v wire.AadhaarVerification
	e := `"F 2345-6789-0124 482913 ik_live_5Qz8Wm2Rt7Yp3Kx9"`
	require.NoError(t, json.Unmarshal([]byte(`{"status":"success","data":{"request_id":`+e+
		`,"status":"verified","aadhaar_details":{"full_name":"Asha","dob":`+e+`,"gender":`+e+`,"address":`+e+
		`}},"meta":{"request_id":`+e+`}}`), &v))
	Answer(&v, set)
	d := v.Data.Details.V
	assert.Equal(t, []string{want, want, want, want, want},
		[]string{string(v.Data.RequestID), string(d.DOB), string(d.Gender), string(d.Address), string(v.Meta.V.RequestID)})
	assert.Equal(t, "Asha", string(d.FullName))

	var b wire.BankAccountAnswer
	pan := callSecrets(url.Values{"pancard": {"ZXCVB9876L"}}, nil)
	require.NoError(t, json.Unmarshal([]byte(`{"status":true,"data":{"id":1,"first_name":"zxcvb 9876l","pancard":"ZXCVB9876L","pincode":"852105"}}`), &b))
	Answer(&b, pan)
	assert.JSONEq(t, `{"id":1,"first_name":"XXXXXX876L","pancard":"XXXXXX876L","pincode":"852105"}`, string(b.Data))
}

// AbsentFrom tells an answer that cannot hold a secret of the call once
// decoded: plain ASCII JSON without escapes that holds no secret verbatim,
// when every secret is spelled only verbatim in such text. Anything else
// is walked.
func TestAbsentFrom(t *testing.T) {
	key := callSecrets(url.Values{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}}, nil)
	const answer = `{"status":"SUCCESS","error_code":200,"message":"ok","data":{"owner_name":"Asha","balance":12.5}}`
	for body, want := range map[string]bool{
		answer:         true,
		" \n" + answer: true,
		`{"message":"key ik_live_5Qz8Wm2Rt7Yp3Kx9"}`:                        false, // verbatim
		`{"message":"key ik\u005flive_5Qz8Wm2Rt7Yp3Kx9"}`:                   false, // an escape
		`{"message":"key ik%5Flive_5Qz8Wm2Rt7Yp3Kx9"}`:                      false,
		`{"message":"key ik&#95;live_5Qz8Wm2Rt7Yp3Kx9"}`:                    false,
		`{"message":"key ik_live_5Qz8 Wm2Rt7Yp3Kx9"}`:                       false, // separated
		`{"message":"key i-k-_-l-i-v-e-_-5-Q-z-8-W-m-2-R-t-7-Y-p-3-K-x-9"}`: false,
		`{"a":"ik_live_5Qz8","b":"Wm2Rt7Yp3Kx9"}`:                           true,  // two strings
		`{"message":"ｉｋ"}`:                                                  false, // not ASCII
		`<html>ok</html>`:                                                   false, // not JSON
		`["ok"]`:                                                            false,
		``:                                                                  false,
	} {
		assert.Equal(t, want, key.AbsentFrom([]byte(body)), body)
	}
	assert.True(t, Set(nil).AbsentFrom([]byte(`x`)))
	for _, form := range []url.Values{
		{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "aadhaar_number": {"234567890124"}}, // separators may split it
		{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "otp": {"482913"}},
		{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "pancard": {"ABCPE1234F"}}, // any case
		{"api_key": {"key with space"}},                                      // + may spell the space
		{"api_key": {"ik,live:5Qz8"}},                                        // compacting JSON may join it
	} {
		assert.False(t, callSecrets(form, nil).AbsentFrom([]byte(answer)), "%v", form)
	}
}

// When AbsentFrom holds, Answer changes nothing in the decoded answer.
func FuzzAbsentFrom(f *testing.F) {
	f.Add(`{"status":"success","data":{"request_id":"r1","status":"verified","aadhaar_details":{"full_name":"k123","dob":123,"gender":{"a": [1 , 2]},"address":"x"}},"meta":{"request_id":"k1234"}}`, "k1234")
	f.Add(`{"status":"success","data":{"address":{"a" :1, "b":2}}}`, "1,2")
	f.Add(`{"data":{"address":[12 ,3]}}`, "12,3")
	f.Add(`{"data":{"address":12e3,"dob":true}}`, "12000")
	f.Add(`{"data":{"address":[12,`+strings.Repeat(" ", 20)+`34]}}`, "1234") // compacted: 12,34
	f.Fuzz(func(t *testing.T, body, key string) {
		set := callSecrets(url.Values{"api_key": {key}}, nil)
		var v wire.AadhaarVerification
		if !set.AbsentFrom([]byte(body)) || json.Unmarshal([]byte(body), &v) != nil {
			return
		}
		before := v
		Answer(&v, set)
		assert.Equal(t, before, v)
	})
}
