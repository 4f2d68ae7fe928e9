package answer

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
)

func decode200(e endpoints.Name, body string, out wire.Headed, orderID string) error {
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	if ae := Decode(e, resp, []byte(body), out, orderID); ae != nil {
		return ae
	}
	return nil
}

// A status answer names its order as order_id or orderid, at the top level
// or in data; every one it sends must be the order asked.
func TestFinding5_OtherOrderOtherSpelling(t *testing.T) {
	for _, tc := range []struct {
		name, body, asked, other string
		e                        endpoints.Name
		out                      func() wire.Headed
	}{
		{"PAN.Status top-level orderid", `{"status":"SUCCESS","orderid":"PAN9","data":{"status":"success"}}`, "PAN1001", "PAN9",
			endpoints.PANStatus, func() wire.Headed { return new(wire.PANStatus) }},
		{"PAN.Status data.order_id", `{"status":"SUCCESS","order_id":"PAN1001","data":{"status":"success","order_id":"PAN9"}}`, "PAN1001", "PAN9",
			endpoints.PANStatus, func() wire.Headed { return new(wire.PANStatus) }},
		{"IncompleteAccountURL data.order_id", `{"status":"SUCCESS","order_id":"ACC1001","account_url":"https://nsdl.example/x","data":{"order_id":"ACC9"}}`, "ACC1001", "ACC9",
			endpoints.IncompleteAccountURL, func() wire.Headed { return new(wire.IncompleteAccount) }},
		{"IncompleteAccountURL top-level orderid", `{"status":"SUCCESS","orderid":"ACC9","account_url":"https://nsdl.example/x"}`, "ACC1001", "ACC9",
			endpoints.IncompleteAccountURL, func() wire.Headed { return new(wire.IncompleteAccount) }},
		{"PaymentStatus data.orderid", `{"status":"SUCCESS","data":{"orderid":"WAL9","status":"success","amount":"1"}}`, "WAL1", "WAL9",
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }},
		{"PaymentStatus top-level orderid", `{"status":"SUCCESS","orderid":"WAL9","data":{"order_id":"WAL1","status":"success","amount":"1"}}`, "WAL1", "WAL9",
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }},
		{"PaymentStatus orderid as a number", `{"status":"SUCCESS","data":{"orderid":9,"status":"success","amount":"1"}}`, "WAL1", "9",
			endpoints.PaymentStatus, func() wire.Headed { return new(wire.WalletPayment) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decode200(tc.e, tc.body, tc.out(), tc.asked)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `"`+tc.other+`"`)
			assert.Contains(t, err.Error(), `"`+tc.asked+`"`)
			assert.Contains(t, err.Error(), "answer is about order")
		})
	}
	// The same order under every spelling, in another case, is this order.
	for _, tc := range []struct {
		e    endpoints.Name
		body string
		out  wire.Headed
	}{
		{endpoints.PANStatus, `{"status":"SUCCESS","orderid":"pan1001","order_id":" PAN1001 ","data":{"status":"success","orderid":"Pan1001","order_id":null}}`, new(wire.PANStatus)},
		{endpoints.PaymentStatus, `{"status":"SUCCESS","orderid":"","data":{"orderid":"pan1001","order_id":"PAN1001","status":"success","amount":"1"}}`, new(wire.WalletPayment)},
		{endpoints.IncompleteAccountURL, `{"status":"SUCCESS","orderid":"PAN1001","account_url":"https://nsdl.example/x","data":{"orderid":"pan1001"}}`, new(wire.IncompleteAccount)},
	} {
		assert.NoError(t, decode200(tc.e, tc.body, tc.out, "PAN1001"), tc.body)
	}
}
