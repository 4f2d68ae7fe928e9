package inexopay

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/testkit"
)

// An account record about another PAN or txn id than the one asked is a
// server error that names both (PANs masked), never a success; the same
// id in another case or with spaces around is the one asked; a record
// asked by order id carries no order id, so it is not checked.
func TestBankAccountAnswerIsAboutTheIDAsked(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[relEndpointOf(r.URL.Path)])
	})
	c := relClient(t, srv.URL)
	ctx := context.Background()
	const answered = "NTFPS6013M" // the PAN and txn id of relSuccess's record

	_, err := c.NSDLBank.AccountStatus(ctx, "ABCDE1234F")
	require.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrNotFound)
	msg := err.Error()
	assert.Contains(t, msg, MaskPAN(answered))
	assert.Contains(t, msg, MaskPAN("ABCDE1234F"))
	for _, pan := range []string{answered, "ABCDE1234F"} {
		assert.NotContains(t, strings.ToUpper(msg), pan, "no full PAN in the error")
	}

	acct, err := c.NSDLBank.AccountStatus(ctx, strings.ToLower(answered))
	require.NoError(t, err)
	assert.Equal(t, answered, acct.PAN)

	_, err = c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLOTHERTXN1"})
	require.ErrorIs(t, err, ErrServer)
	assert.Contains(t, err.Error(), `"NSDLUCBDRJCBV"`)
	assert.Contains(t, err.Error(), `"NSDLOTHERTXN1"`)

	_, err = c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "nsdlucbdrjcbv"})
	require.NoError(t, err)
	_, err = c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{OrderID: "ANYORDER1"})
	require.NoError(t, err, "the record carries no order id to compare")
}

// An incomplete-account answer naming another order, under any spelling
// of order_id, at either level, is about that order: unusable.
func TestIncompleteAccountURLOrderIDUnderAnySpelling(t *testing.T) {
	var body string
	srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{ContentType: "application/json", Body: body}
	})
	c, err := NewClient(BodyAuth("nsdl_key_1234567890", "user"), WithBaseURL(srv.URL), WithRetry(0, 0, 0))
	require.NoError(t, err)
	for _, b := range []string{
		`{"status":true,"orderId":"ACC9999","account_url":"https://n/x"}`,
		`{"status":true,"data":{"OrderID":"ACC9999"},"account_url":"https://n/x"}`,
	} {
		body = b
		_, err := c.NSDLBank.IncompleteAccountURL(context.Background(), "ACC1001")
		require.ErrorIs(t, err, ErrServer, b)
		assert.Contains(t, err.Error(), `"ACC9999"`)
	}
	body = `{"status":true,"orderId":"acc1001","account_url":"https://n/x"}`
	_, err = c.NSDLBank.IncompleteAccountURL(context.Background(), "ACC1001")
	require.NoError(t, err)
}
