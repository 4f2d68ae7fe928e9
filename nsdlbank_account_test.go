package inexopay

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/secrettest"
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

// An account opening or incomplete account answer whose URL a browser
// cannot follow on to NSDL is unusable: the opening may be charged, so its
// outcome is unknown (naming the order); the read-only call fails with
// ErrServer. The error says why, the URL's query masked.
func TestAccountHandOffURLABrowserCannotFollow(t *testing.T) {
	var handOff atomic.Pointer[string]
	srv := testkit.ServeEcho(t, func(r *http.Request) testkit.Answer {
		u := strconv.Quote(strings.Replace(*handOff.Load(), "API", "http://"+r.Host, 1))
		good := strconv.Quote("https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc")
		body := strings.Replace(relSuccess[relEndpointOf(r.URL.Path)], good, u, 1)
		return testkit.Answer{ContentType: "application/json", Body: body}
	})
	c := relClient(t, srv.URL)
	ctx := context.Background()
	for _, raw := range []string{"http://nsdljiffy.co.in/accountOpen?signcs=SECRET", "javascript:void(0)",
		"accountOpen?signcs=SECRET", "https://nsdljiffy.co.in:99999/a", "API/accountOpen?signcs=SECRET",
		"https://mail.inexopay.in/accountOpen", "https://nsdljiffy.co.in/accountOpen?k=" + relAPIKey,
		"https://nsdljiffy.co.in/" + strings.ToLower(relAPIKey) + "/accountOpen"} {
		handOff.Store(&raw)
		open, err := c.NSDLBank.OpenAccount(ctx, relOpenParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown, "%s: accepted %+v", raw, open)
		var ou *OutcomeUnknownError
		require.ErrorAs(t, err, &ou)
		assert.Equal(t, "ORDACC1", ou.OrderID)
		assert.Contains(t, err.Error(), "hand-off URL")
		assert.NotContains(t, err.Error(), "SECRET")
		assert.NotContains(t, err.Error(), relAPIKey)

		inc, err := c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
		require.ErrorIs(t, err, ErrServer, "%s: accepted %+v", raw, inc)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		assert.Contains(t, err.Error(), "hand-off URL")
		assert.NotContains(t, err.Error(), "SECRET")
	}
	for _, good := range []string{"https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc", "API/sandbox/nsdl/account_open?signcs=1"} {
		handOff.Store(&good)
		open, err := c.NSDLBank.OpenAccount(ctx, relOpenParams())
		require.NoError(t, err, good)
		assert.Equal(t, strings.Replace(good, "API", srv.URL, 1), open.RedirectURL)
		inc, err := c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
		require.NoError(t, err, good)
		assert.Equal(t, open.RedirectURL, inc.AccountURL)
	}
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

// An account refusal naming another txn id, PAN or order than the one asked is not provably about
// the one asked: ErrServer, never ErrNotFound, naming both (PANs masked).
func TestBankAccountRefusalAboutAnotherSubject(t *testing.T) {
	ctx := context.Background()
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusNotFound} {
		var body string
		srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
			return testkit.Answer{Status: status, ContentType: "application/json", Body: body}
		})
		c := relClient(t, srv.URL, WithRetry(0, 0, 0))
		body = `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99","txn_id":"OTHERTXN"}}`
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLTXN1"})
		require.ErrorIs(t, err, ErrServer, status)
		assert.NotErrorIs(t, err, ErrNotFound)
		assert.Contains(t, err.Error(), `"OTHERTXN"`)

		body = `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99","pancard":"ZZZZZ9999Z"}}`
		_, err = c.NSDLBank.AccountStatus(ctx, relCustomerPAN)
		require.ErrorIs(t, err, ErrServer, status)
		assert.NotErrorIs(t, err, ErrNotFound)
		assert.Contains(t, err.Error(), MaskPAN("ZZZZZ9999Z"))
		assert.NotContains(t, err.Error(), "ZZZZZ9999Z")

		body = `{"status":false,"message":"Record not found","order_id":"ACC9999"}`
		_, err = c.NSDLBank.IncompleteAccountURL(ctx, "ACC1001")
		require.ErrorIs(t, err, ErrServer, status)
		assert.NotErrorIs(t, err, ErrNotFound)
		assert.Contains(t, err.Error(), `"ACC9999"`)
	}
}

// TestIncompleteAccountStatusPendingWhenAbsent: only a pending opening has
// a URL to finish it, so a success without status_in_db is StatusPending,
// as IncompleteAccount.Status documents.
func TestIncompleteAccountStatusPendingWhenAbsent(t *testing.T) {
	srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{ContentType: "application/json", Body: `{"status":true,"order_id":"ACC1001","account_url":"https://n.example/x"}`}
	})
	c, err := NewClient(BodyAuth("nsdl_key_1234567890", "user"), WithBaseURL(srv.URL), WithRetry(0, 0, 0))
	require.NoError(t, err)
	inc, err := c.NSDLBank.IncompleteAccountURL(context.Background(), "ACC1001")
	require.NoError(t, err)
	assert.Equal(t, StatusPending, inc.Status)
}
