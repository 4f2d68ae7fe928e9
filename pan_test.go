package inexopay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

func TestE2EPAN(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithBalance(inexopay.Rupees(300)))
	c := srv.Client()
	ctx := context.Background()

	app, err := c.PAN.Request(ctx, e2ePAN("PAN-1"))
	require.NoError(t, err)
	assert.Equal(t, "PAN-1", app.OrderID)
	assert.Equal(t, "9876543210", app.Mobile)
	assert.Equal(t, srv.URL+"/sandbox/nsdl/pan?process_id=2504&txid="+app.TxID+"&mode=K", app.URL)
	assert.Equal(t, inexopay.Amount(30000-10700), srv.Balance())

	_, err = c.PAN.Request(ctx, e2ePAN("PAN-1"))
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgDuplicateOrderID)
	assert.Equal(t, inexopay.Amount(19300), srv.Balance(), "a repeated order id is not charged")

	_, err = c.PAN.Request(ctx, e2ePAN("PAN-2"))
	require.NoError(t, err)
	_, err = c.PAN.Request(ctx, e2ePAN("PAN-3"))
	e2eAPIError(t, err, inexopay.ErrInsufficientBalance, "Insufficient balance")
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 402, ae.HTTPStatus)
	assert.Equal(t, inexopay.Amount(8600), srv.Balance())
	assert.Equal(t, 2, srv.PANCount())

	st, err := c.PAN.Status(ctx, "PAN-1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, st.Status)
	assert.Equal(t, inexopaytest.DefaultPANFee, st.Amount)
	assert.Equal(t, app.TxID, st.TxID)
	_, err = c.PAN.Status(ctx, "PAN-404")
	e2eAPIError(t, err, inexopay.ErrNotFound, "Order not found")

	res, err := c.PAN.Resume(ctx, "PAN-1")
	require.NoError(t, err)
	assert.NotEqual(t, app.TxID, res.TxID)
	assert.Equal(t, srv.URL+"/sandbox/nsdl/pan_inc?process_id=2504&txid="+res.TxID, res.URL)

	require.NoError(t, srv.CompletePAN("PAN-1"))
	require.NoError(t, srv.FailPAN("PAN-2"))
	assert.Equal(t, inexopay.Amount(8600+10700), srv.Balance(), "a failed application is refunded")
	st, err = c.PAN.Status(ctx, "PAN-1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, st.Status)
	st, err = c.PAN.Status(ctx, "PAN-2")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusRefund, st.Status)
	_, err = c.PAN.Resume(ctx, "PAN-1")
	e2eAPIError(t, err, inexopay.ErrBadRequest, inexopaytest.MsgURLExpired)

	// An HTML form that posts over plain http (FaultHTMLForm) is refused: outcome unknown.
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultHTMLForm}, 1)
	_, err = c.PAN.Request(ctx, e2ePAN("PAN-4"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "text/html; charset=UTF-8", ae.ContentType)
}
