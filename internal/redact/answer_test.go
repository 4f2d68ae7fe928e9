package redact

import (
	"encoding/json"
	"net/url"
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
