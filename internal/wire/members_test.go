package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
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

// membersByDecoder is ReadMembers written with json.Decoder's tokens, as a
// reference for the hand-written walk.
func membersByDecoder(body []byte) (Members, error) {
	var m Members
	if !json.Valid(body) {
		return m, ErrNotObject
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return m, ErrNotObject
	}
	for dec.More() {
		t, _ := dec.Token()
		name, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return m, err
		}
		for i, n := range markerNames {
			if strings.EqualFold(name, n) {
				s := m.slot(i)
				if name == n && s.Exact == nil {
					s.Exact = raw
				} else {
					s.Others = append(s.Others, raw)
				}
				break
			}
		}
	}
	return m, nil
}

func FuzzReadMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"status":"SUCCESS"}`, ` {"STATUS" : [1,{"a":"}"}] ,"status_code":2e2 , "message":"a\"b"} `,
		`{"\u0073tatus":false,"error_code":"0","ſtatus":1}`, `{"a":{"status":1},"status":null}`, `[]`, `{"a":1`, `"x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, gerr := ReadMembers([]byte(body))
		want, werr := membersByDecoder([]byte(body))
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, reference %v", body, gerr, werr)
		}
		if gerr != nil {
			return
		}
		valid, verr := ReadValidMembers([]byte(body))
		if verr != nil || !reflect.DeepEqual(valid, got) {
			t.Fatalf("%q: ReadValidMembers %+v %v, ReadMembers %+v", body, valid, verr, got)
		}
		for i := range markerNames {
			g, w := got.slot(i), want.slot(i)
			if string(bytes.TrimSpace(g.Exact)) != string(bytes.TrimSpace(w.Exact)) || len(g.Others) != len(w.Others) {
				t.Fatalf("%q: member %s: %q %d, reference %q %d", body, markerNames[i], g.Exact, len(g.Others), w.Exact, len(w.Others))
			}
		}
	})
}

// TestTwoValuesComparesWordsAsPHP: two status words are one value when PHP
// reads them as one (trim()'s set, ASCII case), not when only Unicode
// folding makes them equal.
func TestTwoValuesComparesWordsAsPHP(t *testing.T) {
	for body, want := range map[string]string{
		`{"status":"processing","status":" PROCESSING\u0000"}`: "",
		`{"status":"processing","status":"proceſſing"}`:        "status",
		`{"status":"pending","status":"PENDİNG"}`:              "status",
	} {
		m, err := ReadMembers([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, want, m.TwoValues(), body)
	}
}
