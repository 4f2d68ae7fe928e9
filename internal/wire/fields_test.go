package wire

import (
	"net/url"
	"testing"
)

func TestNamedLike(t *testing.T) {
	for name, want := range map[string]bool{
		"orderid": true, "order_id": true, "ORDER_ID": true, "Order_Id": true, "_orderId_": true,
		"order-id": true, "orderno": true, "order_status": false, "ordſrid": false, "order id": true, "orderid\x00": false, `order"id`: false, "": false,
	} {
		if got := NamedLike(name, "orderid"); got != want {
			t.Errorf("NamedLike(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestSameID(t *testing.T) {
	for _, c := range []struct {
		id, want string
		same     bool
	}{
		{"PAN1001", "PAN1001", true}, {" pan1001\t", "PAN1001", true}, {"PAN1001", " Pan1001 ", true},
		{"PAN9999", "PAN1001", false}, {"PAN1001x", "PAN1001", false}, {"PAN1001\u00a0", "PAN1001", false}, {"", "PAN1001", false},
	} {
		if got := SameID(c.id, c.want); got != c.same {
			t.Errorf("SameID(%q, %q) = %v, want %v", c.id, c.want, got, c.same)
		}
	}
}

// OtherInQuery reads a raw query as OtherInValues reads url.ParseQuery's
// values, and costs no allocation for a query that needs no decoding.
func TestOtherInQuery(t *testing.T) {
	asked := Asked{OrderID: "PAN1001", PAN: "BNZPM2501F", Aadhaar: "234567890124"}
	for _, q := range []string{
		"orderid=PAN9999", "process_id=2&Order_No=PAN9999", "order%5Fid=PAN9999", "pan_number=ZZZZZ9999Z", "pancard=XXXXXX999Z",
		"aadhar=587203916445", "aadhaar_no=5872+0391+6445", "orderid=pan1001&orderid=PAN1002",
		"data[orderid]=PAN9999", "req%5Border_id%5D=PAN9999", "a[b][Order_No]=PAN9999", "x[pan_number]=ZZZZZ9999Z", "data[orderid]=pan1001",
		"orderid=PAN1001", "orderid=%20pan1001%20", "pancard=xxxxxx501f&aadhaar=XXXX+XXXX+0124", "txid=5&pan_mode=EKYC",
		"orderid=", "orderid=%zz", "x;orderid=PAN9999", "orderid", "=PAN9999&&",
	} {
		vals, _ := url.ParseQuery(q)
		w1, a1, id1, ok1 := OtherInQuery(q, asked)
		w2, a2, id2, ok2 := OtherInValues(vals, asked)
		if ok1 != ok2 || w1 != w2 || a1 != a2 || id1 != id2 {
			t.Errorf("%q: query %q %q %q %v, values %q %q %q %v", q, w1, a1, id1, ok1, w2, a2, id2, ok2)
		}
	}
	if _, _, _, ok := OtherInQuery("orderid=PAN9999", Asked{}); ok {
		t.Error("nothing asked: nothing to compare")
	}
	if _, _, id, ok := OtherInQuery("txid=1&data[orderid]=PAN9999", asked); !ok || id != "PAN9999" {
		t.Errorf("data[orderid]: %q %v, want PAN9999", id, ok)
	}
	if n := testing.AllocsPerRun(20, func() {
		OtherInQuery("process_id=2504&txid=50089349&mode=K&orderid=pan1001&data[x][orderid]=pan1001", asked)
	}); n != 0 {
		t.Errorf("OtherInQuery allocates %v times", n)
	}
}

// A name PHP reads as the id's (it turns '.', ' ' and an unmatched '['
// into '_', name[…] into an array under name, and base[key][key2]… into
// nested keys under base), or one written with '-', names the id, as do
// the prefixed spellings of an order id.
func TestNamedLikeAsPHPReadsIt(t *testing.T) {
	for _, name := range []string{"order.id", "order id", "order[id", "order_id[]", "orderid[0]", "order-id", " orderid",
		"client_order_id", "merchant_order_id", "Order-No[]",
		"data[orderid]", "req[order_id]", "x[orderid]", "a[b][OrderId]", "a[][order_no]", "x[orderid]y", "data[orderid][0]"} {
		if !NamedLike(name, "orderid") {
			t.Errorf("NamedLike(%q, orderid) = false", name)
		}
	}
	for _, name := range []string{"pan.card", "customer_pan", "pan[]", "masked_aadhaar", "data[pan_number]", "req[aadhar]"} {
		if !NamedLike(name, "pancard") && !NamedLike(name, "aadhaar") {
			t.Errorf("NamedLike(%q) names no subject", name)
		}
	}
	for _, name := range []string{"order[id]x", "orderid]", "order_status", "orders[]", "reference", "order",
		"order[id]", "x[orderid", "x[order]id", "x[a]y[orderid]", "x[]", "x[0][1]", "data[order_status]"} {
		if NamedLike(name, "orderid") {
			t.Errorf("NamedLike(%q, orderid) = true", name)
		}
	}
}
