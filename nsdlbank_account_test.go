package inexopay

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/secrettest"
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
	assert.Equal(t, MaskPAN(answered), acct.PAN, "the echo of the PAN asked is held masked")

	_, err = c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLOTHERTXN1"})
	require.ErrorIs(t, err, ErrServer)
	assert.Contains(t, err.Error(), `"NSDLUCBDRJCBV"`)
	assert.Contains(t, err.Error(), `"NSDLOTHERTXN1"`)

	_, err = c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "nsdlucbdrjcbv"})
	require.NoError(t, err)
	_, err = c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{OrderID: "ANYORDER1"})
	require.NoError(t, err, "the record carries no order id to compare")
}

// An account record that echoes the PAN and the API key the call sent in
// every string member (its own PAN too, in another case) is the record
// asked, and its result holds them masked: no print of it (fmt, slog,
// encoding/json) shows them.
func TestBankAccountMasksEchoedSecretsInEveryField(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		pan := r.PostForm.Get("pancard")
		echo, _ := json.Marshal("x " + strings.ToLower(pan) + " " + r.PostForm.Get("api_key"))
		e := string(echo)
		relRespond(w, http.StatusOK, `{"status":true,"message":`+e+`,"data":{"id":34,"account_type":2,"txn_id":`+e+
			`,"first_name":`+e+`,"middle_name":`+e+`,"last_name":`+e+`,"email":`+e+`,"phone":`+e+`,"pancard":"`+
			strings.ToLower(pan)+`","pincode":`+e+`,"is_completed":1,"message":`+e+`,"status":1}}`)
	})
	c := relClient(t, srv.URL)
	a, err := c.NSDLBank.AccountStatus(context.Background(), relCustomerPAN)
	require.NoError(t, err)
	assert.Equal(t, MaskPAN(relCustomerPAN), a.PAN)
	raw, err := json.Marshal(a)
	require.NoError(t, err)
	secrettest.CheckNoSecret(t, "BankAccount", secrettest.Printed(a)+string(raw), relCustomerPAN,
		strings.ToLower(relCustomerPAN), relAPIKey)
}
