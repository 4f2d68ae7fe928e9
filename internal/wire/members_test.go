package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadMembersExactNames(t *testing.T) {
	for _, tc := range []struct {
		in     string
		status string // Status.String() of the envelope
		twice  string
	}{
		{`{"status":"SUCCESS","data":{}}`, "SUCCESS", ""},
		{`{"STATUS":"FAILED","data":{}}`, "", ""}, // a lone folded spelling is not the marker
		{`{"Status":false}`, "", ""},
		{`{"ſtatus":"FAILED"}`, "", ""},
		{`{"status":"SUCCESS","STATUS":"FAILED"}`, "SUCCESS", "status"},
		{`{"STATUS":"FAILED","status":"SUCCESS"}`, "SUCCESS", "status"},
		{`{"status":"SUCCESS","status":"FAILED"}`, "SUCCESS", "status"},
		{`{"status":"SUCCESS","status":" success "}`, "SUCCESS", ""},
		{`{"status":true,"STATUS":"SUCCESS"}`, "true", ""},
		{`{"status":"SUCCESS","STATUS":null}`, "SUCCESS", "status"},
		{`{"status_code":200,"STATUS_CODE":"200"}`, "", ""},
		{`{"status_code":200,"Status_Code":500}`, "", "status_code"},
		{`{"error_code":0,"error_code":1}`, "", "error_code"},
		{`{"message":"a","MESSAGE":"b"}`, "", ""},
		{`{"data":{"status":"FAILED"}}`, "", ""},
		{`{"\u0073tatus":"FAILED"}`, "FAILED", ""}, // an escaped name is its text
		{` { "data" : { "status" : "x" , "STATUS" : [ "}" , "\"" ] } , "status" : "SUCCESS" , "m" : 1.5e3 } `, "SUCCESS", ""},
		{`{"a":"}\",{","status":true,"b":[[],{}],"STATUS":"success"}`, "true", ""},
		{`{"a":null,"status":false,"c":-1,"Status":true}`, "false", "status"},
	} {
		m, err := ReadMembers([]byte(tc.in))
		require.NoError(t, err, tc.in)
		env, err := m.Envelope()
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.status, env.Status.String(), tc.in)
		if tc.status == "" {
			assert.False(t, env.Status.Set, "%s: a folded name is not the marker", tc.in)
		}
		assert.Equal(t, tc.twice, m.TwoValues(), tc.in)
	}
	for _, in := range []string{``, `[]`, `{"a":1`, `{"a":1} x`, `"s"`} {
		_, err := ReadMembers([]byte(in))
		assert.Error(t, err, in)
	}
}
