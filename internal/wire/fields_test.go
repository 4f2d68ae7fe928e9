package wire

import "testing"

func TestNamedLike(t *testing.T) {
	for name, want := range map[string]bool{
		"orderid": true, "order_id": true, "ORDER_ID": true, "Order_Id": true, "_orderId_": true,
		"order-id": false, "orderno": true, "order_status": false, "ordſrid": false, "order id": false, "orderid\x00": false, `order"id`: false, "": false,
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
