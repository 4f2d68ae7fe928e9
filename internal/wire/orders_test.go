package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// foldName is the plain reading of a member name OtherID folds: ASCII
// lower case, '_' left out.
func foldName(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c != '_' {
			b.WriteByte(lowerASCII(c))
		}
	}
	return b.String()
}

// answeredID is an order id answeredOrders read; isID is false for a value
// that is not text or a number (described), which no id asked can be.
type answeredID struct {
	v    string
	isID bool
}

// answeredOrders is the plain reading OtherOrder must agree with: every
// order id the body names, in any object at any depth, each name and string
// decoded, in order.
func answeredOrders(body []byte) []answeredID {
	var ids []answeredID
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				walk(x)
			}
		case orderedObject:
			for _, m := range v {
				if foldName(m.key) == "orderid" {
					if id, isID := orderValue(bytes.TrimSpace(m.raw)); id != "" {
						ids = append(ids, answeredID{id, isID})
					}
					continue
				}
				walk(m.val)
			}
		}
	}
	walk(readOrdered(json.NewDecoder(bytes.NewReader(body))))
	return ids
}

// orderedObject is a JSON object's members in the order sent.
type orderedObject []struct {
	key string
	raw json.RawMessage
	val any
}

// readOrdered reads the next JSON value of dec, objects as orderedObject.
func readOrdered(dec *json.Decoder) any {
	var raw json.RawMessage
	if dec.Decode(&raw) != nil {
		return nil
	}
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) > 0 && t[0] == '{':
		d := json.NewDecoder(bytes.NewReader(t))
		_, _ = d.Token()
		var obj orderedObject
		for d.More() {
			k, _ := d.Token()
			key, _ := k.(string)
			var m json.RawMessage
			if d.Decode(&m) != nil {
				return obj
			}
			obj = append(obj, struct {
				key string
				raw json.RawMessage
				val any
			}{key, m, readOrdered(json.NewDecoder(bytes.NewReader(m)))})
		}
		return obj
	case len(t) > 0 && t[0] == '[':
		d := json.NewDecoder(bytes.NewReader(t))
		_, _ = d.Token()
		var arr []any
		for d.More() {
			var m json.RawMessage
			if d.Decode(&m) != nil {
				return arr
			}
			arr = append(arr, readOrdered(json.NewDecoder(bytes.NewReader(m))))
		}
		return arr
	}
	return nil
}

func FuzzOtherOrder(f *testing.F) {
	for _, s := range []string{
		`{"status":"SUCCESS","orderid":"pan1001","order_id":" PAN1001 ","data":{"status":"success","orderid":"Pan1001","order_id":null}}`,
		`{"order_id":"PAN1001","data":{"order_id":"PAN9"}}`, `{"data":{"orderid":9}}`, `{"orderid":{"a":1}}`, `{"orderid":true}`,
		"{\"order\\u005fid\":\"X\",\"data\":{\"orderid\":\"p\\u0041n1001\"}}", `{"orderid":"ÄBC"}`, `{"orderid":"K1"}`,
		`{"data":[{"orderid":"X"}],"orderid":""}`, `{ "orderid" : "X" , "data" : { "order_id" : "Y" } }`,
		`{"data":{"orderId":"PAN9"}}`, `{"OrderID":"PAN1001","data":{"ORDER_ID":"X"}}`, `{"orderid":"PAN1001\u00a0"}`,
	} {
		f.Add(s, "PAN1001")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, body, asked string) {
		if !json.Valid([]byte(body)) {
			return
		}
		want, wantOK := "", false
		first := trimASCII(asked)
		for _, id := range answeredOrders([]byte(body)) {
			if !id.isID {
				want, wantOK = id.v, true
				break
			}
			if first == "" {
				first = id.v
				continue
			}
			if !equalFoldASCII([]byte(id.v), first) {
				want, wantOK = id.v, true
				break
			}
		}
		gotAsked, got, ok := OtherOrder([]byte(body), asked)
		assert.Equal(t, wantOK, ok, body)
		assert.Equal(t, want, got, body)
		if ok {
			assert.Equal(t, first, gotAsked, body)
		}
	})
}

func TestOtherOrderSpellings(t *testing.T) {
	for _, body := range []string{
		`{"data":{"orderId":"WAL9999"}}`, `{"data":{"OrderID":"WAL9999"}}`, `{"ORDERID":"WAL9999"}`,
		`{"Order_Id":"WAL9999","data":{}}`, `{"data":{"order_id":"WAL1001","orderId":"WAL9999"}}`,
		`{"data":{"order\u005fId":"WAL9999"}}`, `{"ORDER_ID":"WAL9999"}`,
	} {
		asked, id, ok := OtherOrder([]byte(body), "WAL1001")
		assert.True(t, ok, body)
		assert.Equal(t, "WAL9999", id, body)
		assert.Equal(t, "WAL1001", asked, body)
	}
	for _, body := range []string{
		`{"client_ref":"WAL9999"}`, `{"order~id":"WAL9999"}`, `{"order_status":"WAL9999"}`, `{"data":{"txn_order_id":"WAL9999"}}`,
		`{"OrderId":"wal1001","data":{"ORDER_ID":" WAL1001 "}}`,
	} {
		_, id, ok := OtherOrder([]byte(body), "WAL1001")
		assert.False(t, ok, body)
		assert.Empty(t, id, body)
	}
}

func TestOtherOrderASCIIOnly(t *testing.T) {
	for _, got := range []string{"WAL\u017fK1", "WALS\u212a1", "wal\u017f\u212a1", "WALSK1\u00a0", "\u3000WALSK1", "WALSK1\u200b", "ＷＡＬＳＫ1"} {
		body, _ := json.Marshal(map[string]any{"data": map[string]string{"order_id": got}})
		_, id, ok := OtherOrder(body, "WALSK1")
		assert.True(t, ok, got)
		assert.Equal(t, got, id)
	}
	for _, got := range []string{"walsk1", " WALSK1\t", "WalSk1"} {
		body, _ := json.Marshal(map[string]string{"orderid": got})
		_, _, ok := OtherOrder(body, "WALSK1")
		assert.False(t, ok, got)
	}
}

func TestOtherOrderUnasked(t *testing.T) {
	asked, id, ok := OtherOrder([]byte(`{"order_id":"WAL1","data":{"orderId":"WAL2"}}`), "")
	assert.True(t, ok)
	assert.Equal(t, "WAL1", asked)
	assert.Equal(t, "WAL2", id)
	_, _, ok = OtherOrder([]byte(`{"order_id":null,"data":{"order_id":"wal1","orderId":"WAL1"}}`), "")
	assert.False(t, ok)
}

// TestOtherOrderUnaskedNotAnID: with no order asked, an order id that is
// not text or a number (an object, an array, a boolean, a string that
// cannot be read) is never the id the others must be: it names another
// order, even alone, and even when the object holds a plain id.
func TestOtherOrderUnaskedNotAnID(t *testing.T) {
	for _, body := range []string{
		`{"order_id":{"id":"X1"}}`, `{"order_id":["X1"]}`, `{"order_id":true}`, `{"data":{"orderid":false}}`,
		`{"order_id":"X1","data":{"order_id":{"id":"X1"}}}`,
	} {
		_, id, ok := OtherOrder([]byte(body), "")
		assert.True(t, ok, body)
		assert.True(t, strings.HasPrefix(id, "("), "%s: %q", body, id)
	}
	_, _, ok := OtherOrder([]byte(`{"order_id":"X1","data":{"order_id":1}}`), "")
	assert.True(t, ok, "two different ids")
	_, _, ok = OtherOrder([]byte(`{"order_id":12,"data":{"order_id":"12"}}`), "")
	assert.False(t, ok, "one id, as a number and as text")
}

func TestOtherRequest(t *testing.T) {
	_, id, ok := OtherID([]byte(`{"data":{"request_id":"OTHERREQ","order_id":"X"}}`), "requestid", "REQ1")
	assert.True(t, ok)
	assert.Equal(t, "OTHERREQ", id)
	_, _, ok = OtherID([]byte(`{"data":{"RequestId":"req1"}}`), "requestid", "REQ1")
	assert.False(t, ok)
}

func TestEqualFoldASCII(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		eq   bool
	}{{"abc", "ABC", true}, {"abc", "abd", false}, {"ab", "abc", false}, {"K", "k", true}, {"Äb", "äB", false}, {"ſ", "s", false}, {"\u212a", "k", false}, {"", "", true}} {
		assert.Equal(t, tc.eq, equalFoldASCII([]byte(tc.a), tc.b), tc)
	}
}

// An order id nested at any depth, in objects or arrays, is checked too.
func TestOtherOrderAnyDepth(t *testing.T) {
	for _, body := range []string{
		`{"status":true,"data":"https://x","user":{"txn_id":"T1","customer_id":8,"orderid":"ACC9999"}}`,
		`{"data":{"user":{"order_id":"ACC9999"}}}`, `{"data":[{"order_id":"ACC1001"},{"order_id":"ACC9999"}]}`,
		`{"a":[[1,"x",{"b":{"ORDER_ID":"ACC9999"}}]]}`,
	} {
		asked, id, ok := OtherOrder([]byte(body), "ACC1001")
		assert.True(t, ok, body)
		assert.Equal(t, "ACC9999", id, body)
		assert.Equal(t, "ACC1001", asked, body)
	}
	_, _, ok := OtherOrder([]byte(`{"user":{"orderid":"acc1001"},"data":[{"x":{"order_id":"ACC1001"}}]}`), "ACC1001")
	assert.False(t, ok)
}

// An order id with no visible character names no order.
func TestOtherOrderBlankNamesNone(t *testing.T) {
	for _, body := range []string{`{"order_id":" "}`, `{"order_id":"\u200b"}`, "{\"order_id\":\"\u200b\u00a0\"}", `{"data":{"orderid":"\t"}}`} {
		_, _, ok := OtherOrder([]byte(body), "PAN1001")
		assert.False(t, ok, body)
		asked, _, ok := OtherOrder([]byte(body+``), "")
		assert.False(t, ok, body)
		assert.Empty(t, asked, body)
	}
}

// meta's request_id is the answer's own trace id: no request id asked.
func TestOtherRequestNotInMeta(t *testing.T) {
	_, _, ok := OtherID([]byte(`{"data":{"request_id":"REQ1"},"meta":{"request_id":"TRACE9"}}`), "requestid", "REQ1")
	assert.False(t, ok)
	_, id, ok := OtherID([]byte(`{"data":{"request_id":"REQ1","x":{"request_id":"REQ2"}},"meta":{"request_id":"TRACE9"}}`), "requestid", "REQ1")
	assert.True(t, ok)
	assert.Equal(t, "REQ2", id)
	_, _, ok = OtherOrder([]byte(`{"meta":{"order_id":"X9"}}`), "X1")
	assert.True(t, ok, "an order id is checked in meta too")
	for _, body := range []string{
		`{"data":{"status":"verified","meta":{"request_id":"OTHER"}}}`,
		`{"data":{"request_id":"REQ1"},"x":[{"meta":{"request_id":"OTHER"}}]}`,
		`{"meta":{"request_id":"TRACE9","meta":{"request_id":"OTHER"}}}`,
	} {
		_, id, ok = OtherID([]byte(body), "requestid", "REQ1")
		assert.True(t, ok, "only the top-level meta is the trace: %s", body)
		assert.Equal(t, "OTHER", id, body)
	}
}

func TestOtherOrderPHPSpellings(t *testing.T) {
	for _, name := range []string{"order_no", "orderNo", "order_number", "ORDERNUMBER"} {
		_, id, ok := OtherOrder([]byte(`{"data":{"`+name+`":"WAL9999"}}`), "WAL1234")
		assert.True(t, ok, name)
		assert.Equal(t, "WAL9999", id, name)
		assert.True(t, NamedLike(name, "orderid"), name)
	}
	_, _, ok := OtherOrder([]byte(`{"data":{"order_status":"WAL9999","orders":"WAL9999"}}`), "WAL1234")
	assert.False(t, ok)
}

func TestOtherIDPHPSpellings(t *testing.T) {
	for _, tc := range []struct{ name, member string }{
		{"txnid", "transaction_id"}, {"txnid", "txn_no"}, {"txnid", "TXN_NUMBER"},
		{"requestid", "req_id"}, {"requestid", "request_no"}, {"agentid", "bcagentid"}, {"agentid", "bc_agent_id"},
	} {
		_, id, ok := OtherID([]byte(`{"data":{"`+tc.member+`":"X9999"}}`), tc.name, "X1001")
		assert.True(t, ok, tc.member)
		assert.Equal(t, "X9999", id, tc.member)
		_, _, ok = OtherID([]byte(`{"data":{"`+tc.member+`":"x1001"}}`), tc.name, "X1001")
		assert.False(t, ok, tc.member)
	}
	_, _, ok := OtherID([]byte(`{"data":{"txid":"50089349","txn_status":"X9"}}`), "txnid", "X1001")
	assert.False(t, ok, "txid is the PAN service's own id, not the txn asked")
}

// A member named as PHP names a nested key (data[orderid], req[txn_no])
// names the id one level down, as an HTML form's field so named does.
func TestOtherIDPHPNestedKeys(t *testing.T) {
	for _, tc := range []struct{ name, member string }{
		{"orderid", "data[orderid]"}, {"orderid", "req[order_id]"}, {"txnid", "req[txn_no]"},
		{"requestid", "a[b][request_id]"}, {"agentid", "x[bcagentid]"},
	} {
		_, id, ok := OtherID([]byte(`{"data":{"`+tc.member+`":"X9999"}}`), tc.name, "X1001")
		assert.True(t, ok, tc.member)
		assert.Equal(t, "X9999", id, tc.member)
		_, _, ok = OtherID([]byte(`{"data":{"`+tc.member+`":"x1001"}}`), tc.name, "X1001")
		assert.False(t, ok, tc.member)
	}
}
