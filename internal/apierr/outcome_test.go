package apierr

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutcomeUnknownError(t *testing.T) {
	inner := &APIError{Endpoint: "PAN.Request", HTTPStatus: 502, Code: 502, ContentType: "text/html",
		Snippet: "502 Bad Gateway", Message: "answer is not JSON"}
	e := &OutcomeUnknownError{Endpoint: "PAN.Request", OrderID: "ORD12345", Err: inner}

	msg := e.Error()
	assert.True(t, strings.HasPrefix(msg, "inexopay: PAN.Request: outcome unknown"), msg)
	assert.Contains(t, msg, `"ORD12345"`, "names the order to reconcile")
	assert.Contains(t, msg, "status", "tells the caller to check the status")
	assert.Contains(t, msg, "502 Bad Gateway", "carries the cause")
	assert.Contains(t, msg, "text/html", "carries the cause")
	assert.Equal(t, 1, strings.Count(msg, "inexopay: "), "one prefix: %s", msg)

	assert.ErrorIs(t, e, ErrOutcomeUnknown)
	assert.ErrorIs(t, e, ErrServer, "the cause's sentinel shows through")
	assert.NotErrorIs(t, e, ErrBadRequest)
	assert.Same(t, inner, e.Unwrap())
	var ae *APIError
	require.ErrorAs(t, e, &ae)
	assert.Same(t, inner, ae)

	// Wrapped by the caller.
	var ou *OutcomeUnknownError
	require.ErrorAs(t, fmt.Errorf("billing: %w", e), &ou)
	assert.Equal(t, "ORD12345", ou.OrderID)

	// Without an order id and with a transport cause.
	e2 := &OutcomeUnknownError{Endpoint: "Wallet.GenerateQR", Err: fmt.Errorf("inexopay: Wallet.GenerateQR: %w", io.ErrUnexpectedEOF)}
	msg2 := e2.Error()
	assert.True(t, strings.HasPrefix(msg2, "inexopay: Wallet.GenerateQR: outcome unknown"), msg2)
	assert.NotContains(t, msg2, "for order")
	assert.Contains(t, msg2, "unexpected EOF")
	assert.ErrorIs(t, e2, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, e2, ErrOutcomeUnknown)
	assert.NotErrorIs(t, e2, ErrServer)

	// Without a cause.
	e3 := &OutcomeUnknownError{Endpoint: "Aadhaar.SendOTP", OrderID: "A1"}
	assert.Nil(t, e3.Unwrap())
	assert.ErrorIs(t, e3, ErrOutcomeUnknown)
	assert.Contains(t, e3.Error(), `"A1"`)
	assert.False(t, strings.HasSuffix(e3.Error(), ": "), e3.Error())
}
