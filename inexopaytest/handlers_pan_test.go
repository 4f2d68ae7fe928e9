// Tests of the PAN endpoints: the life of an application and duplicate
// order ids.

package inexopaytest

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

func panForm(orderID string) url.Values {
	return url.Values{"number": {"9876543210"}, "orderid": {orderID}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"}}
}

func TestPANLifecycle(t *testing.T) {
	clk := NewClock(t0)
	s := newServer(t, WithClock(clk.Now), WithBalance(inexopay.Rupees(250)), WithPANFee(10700))
	code, body := rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD1"))
	require.Equal(t, 200, code)
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"PAN Application Initiated Successfully",
		"data":{"txid":"50089349","url":"`+s.URL+`/sandbox/nsdl/pan?process_id=2504&txid=50089349&mode=K","number":"9876543210","orderid":"ORD1"}}`, body)
	assert.Equal(t, inexopay.Amount(25000-10700), s.Balance())

	// Same order id: refused, not charged.
	_, body = rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD1"))
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Duplicate Order ID"}`, body)
	assert.Equal(t, inexopay.Amount(14300), s.Balance())

	f := panForm("ORD2")
	f.Set("pan_mode", "OFFLINE")
	_, body = rawPost(t, s, inexopay.EndpointPANRequest, f)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid pan_mode, use EKYC or ESIGN"}`, body)
	f = panForm("ORD2")
	f.Set("pan_type", "reprint")
	_, body = rawPost(t, s, inexopay.EndpointPANRequest, f)
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Invalid pan_type, use new_pan or correction"}`, body)

	code, body = rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD2"))
	require.Equal(t, 200, code, body)
	assert.Equal(t, inexopay.Amount(3600), s.Balance())
	code, body = rawPost(t, s, inexopay.EndpointPANRequest, panForm("ORD3"))
	assert.Equal(t, 402, code)
	assert.JSONEq(t, `{"status_code":402,"status":"FAILED","message":"Insufficient balance"}`, body)
	assert.Equal(t, inexopay.Amount(3600), s.Balance())
	assert.Equal(t, 2, s.PANCount())

	s.mu.Lock()
	opid := s.st.pans[idKey("ORD1")].opid
	s.mu.Unlock()
	_, body = rawPost(t, s, inexopay.EndpointPANStatus, url.Values{"orderid": {"ORD1"}})
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD1","reference":"`+opid+`",
		"number":"9876543210","amount":107.00,"date_time":"2026-05-04 15:30:00","data":{"status":"Pending","orderid":"ORD1","txid":"50089349",
		"amount":107,"opid":"`+opid+`","number":"9876543210","created_at":"2026-05-04 15:30:00","updated_at":"2026-05-04 15:30:00"}}`, body)

	_, body = rawPost(t, s, inexopay.EndpointPANResume, url.Values{"orderid": {"ORD1"}})
	assert.JSONEq(t, `{"status_code":200,"status":"SUCCESS","message":"Incomplete PAN Application Resumed",
		"data":{"txid":"50089351","url":"`+s.URL+`/sandbox/nsdl/pan_inc?process_id=2504&txid=50089351","orderid":"ORD1"}}`, body)

	clk.Advance(2 * time.Hour)
	require.NoError(t, s.CompletePAN("ORD1"))
	require.NoError(t, s.FailPAN("ORD2"))
	assert.Equal(t, inexopay.Amount(3600+10700), s.Balance(), "FailPAN refunds the fee")
	assert.ErrorIs(t, s.FailPAN("ORD2"), ErrNotPending)
	assert.ErrorIs(t, s.CompletePAN("ORD9"), ErrUnknownOrder)

	st, err := s.Client().PAN.Status(context.Background(), "ORD1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, st.Status)
	assert.Equal(t, "50089351", st.TxID)
	assert.Equal(t, t0.Add(2*time.Hour), st.UpdatedAt.UTC())
	st, err = s.Client().PAN.Status(context.Background(), "ORD2")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusRefund, st.Status)

	_, body = rawPost(t, s, inexopay.EndpointPANResume, url.Values{"orderid": {"ORD1"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"URL Expired, please try again with a new request"}`, body)
	_, body = rawPost(t, s, inexopay.EndpointPANStatus, url.Values{"orderid": {"ORD404"}})
	assert.JSONEq(t, `{"status_code":400,"status":"FAILED","message":"Order not found"}`, body)
}

// TestDuplicateOrderConcurrent files one order id from many goroutines at
// once: exactly one application is created and charged.
func TestDuplicateOrderConcurrent(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.PAN.Request(context.Background(), &inexopay.PANRequestParams{Mobile: "9876543210",
				OrderID: "SAME", Mode: inexopay.PANModeESign, Type: inexopay.PANTypeCorrection})
		}()
	}
	wg.Wait()
	okCount := 0
	for _, err := range errs {
		if err == nil {
			okCount++
			continue
		}
		var ae *inexopay.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, MsgDuplicateOrderID, ae.Message)
	}
	assert.Equal(t, 1, okCount)
	assert.Equal(t, 1, s.PANCount())
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())
	assert.Equal(t, 16, s.Requests(inexopay.EndpointPANRequest))
}
