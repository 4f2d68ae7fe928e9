package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// answeredOrders is the plain reading OtherOrder must agree with: every
// order id the body names, each name and string decoded, in order.
func answeredOrders(body []byte) []string {
	var ids []string
	var walk func(obj []byte, top bool)
	walk = func(obj []byte, top bool) {
		dec := json.NewDecoder(bytes.NewReader(obj))
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return
		}
		for dec.More() {
			t, _ := dec.Token()
			key, _ := t.(string)
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return
			}
			if top && key == "data" {
				walk(raw, false)
				continue
			}
			if key == "order_id" || key == "orderid" {
				if v := orderValue(bytes.TrimSpace(raw)); v != "" {
					ids = append(ids, v)
				}
			}
		}
	}
	walk(body, true)
	return ids
}

func FuzzOtherOrder(f *testing.F) {
	for _, s := range []string{
		`{"status":"SUCCESS","orderid":"pan1001","order_id":" PAN1001 ","data":{"status":"success","orderid":"Pan1001","order_id":null}}`,
		`{"order_id":"PAN1001","data":{"order_id":"PAN9"}}`, `{"data":{"orderid":9}}`, `{"orderid":{"a":1}}`, `{"orderid":true}`,
		"{\"order\\u005fid\":\"X\",\"data\":{\"orderid\":\"p\\u0041n1001\"}}", `{"orderid":"ÄBC"}`, `{"orderid":"K1"}`,
		`{"data":[{"orderid":"X"}],"orderid":""}`, `{ "orderid" : "X" , "data" : { "order_id" : "Y" } }`,
	} {
		f.Add(s, "PAN1001")
	}
	f.Fuzz(func(t *testing.T, body, asked string) {
		if !json.Valid([]byte(body)) {
			return
		}
		want, wantOK := "", false
		for _, id := range answeredOrders([]byte(body)) {
			if !strings.EqualFold(id, strings.TrimSpace(asked)) {
				want, wantOK = id, true
				break
			}
		}
		got, ok := OtherOrder([]byte(body), asked)
		assert.Equal(t, wantOK, ok, body)
		assert.Equal(t, want, got, body)
	})
}

func TestEqualFold(t *testing.T) {
	for _, tc := range [][2]string{{"abc", "ABC"}, {"abc", "abd"}, {"ab", "abc"}, {"K", "k"}, {"Äb", "äB"}, {"ſ", "s"}, {"", ""}} {
		assert.Equal(t, strings.EqualFold(tc[0], tc[1]), equalFold([]byte(tc[0]), tc[1]), tc)
	}
}
