package inexopay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
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

// Where the answer's two levels disagree (order_id/data.orderid,
// number/data.number, amount/data.amount), PANStatus keeps the top level
// as the answer, exposes the data level in Data and names each member in
// Conflicts.
func TestPANStatusExposesBothLevels(t *testing.T) {
	answer := `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD12345",
		"reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00",
		"data":{"status":"Success","orderid":"ORD12345X","txid":"484340","amount":110,"opid":"OPB5020WJ7TM",
		"number":"9123456780","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:23:40"}}`
	var current atomic.Pointer[string]
	current.Store(&answer)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, *current.Load())
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth("pan_key_1234567890", "user"), inexopay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	// An answer one of whose levels names another order is not about the
	// order asked: an error naming both, never a success.
	_, err = c.PAN.Status(context.Background(), "ORD12345")
	require.ErrorIs(t, err, inexopay.ErrServer)
	assert.Contains(t, err.Error(), "ORD12345X")

	sameOrder := strings.Replace(answer, `"ORD12345X"`, `"ORD12345"`, 1)
	current.Store(&sameOrder)
	st, err := c.PAN.Status(context.Background(), "ORD12345")
	require.NoError(t, err)
	assert.Equal(t, "ORD12345", st.OrderID)
	assert.Equal(t, "9876543210", st.Mobile)
	assert.Equal(t, inexopay.Rupees(107), st.Amount)
	assert.Equal(t, "ORD12345", st.Data.OrderID)
	assert.Equal(t, "9123456780", st.Data.Mobile)
	assert.Equal(t, inexopay.Rupees(110), st.Data.Amount)
	assert.Equal(t, []string{"number", "amount"}, st.Conflicts)
	out := fmt.Sprintf("%+v %v %#v", st, st.Data, st)
	assert.NotContains(t, out, "9123456780", "the data-level mobile is masked too")

	// Agreeing levels: no conflicts, both exposed.
	agreeing := strings.NewReplacer(`"amount":110`, `"amount":107`, `"9123456780"`, `"9876543210"`).Replace(sameOrder)
	current.Store(&agreeing)
	st, err = c.PAN.Status(context.Background(), "ORD12345")
	require.NoError(t, err)
	assert.Empty(t, st.Conflicts)
	assert.Equal(t, st.OrderID, st.Data.OrderID)

	// An amount of 0 is an amount, not a lack of one: the top level's 0
	// stands, and it conflicts with data's; null or "" lacks one.
	for top, want := range map[string]inexopay.Amount{`0`: 0, `"0.00"`: 0, `null`: inexopay.Rupees(107), `""`: inexopay.Rupees(107)} {
		zero := strings.Replace(agreeing, `"amount":107.00`, `"amount":`+top, 1)
		current.Store(&zero)
		st, err = c.PAN.Status(context.Background(), "ORD12345")
		require.NoError(t, err, top)
		assert.Equal(t, want, st.Amount, top)
		assert.Equal(t, want == 0, slices.Contains(st.Conflicts, "amount"), top)
	}
}

// handOffURLs are hand-off URLs a browser cannot follow on to NSDL, with
// what the error says; "API" stands for the test server's own URL.
var handOffURLs = map[string]string{
	"http://nsdl.example/pan?token=SECRET": "hand-off URL http://nsdl.example/pan?[REDACTED] is plain http",
	"javascript:alert(document.cookie)":    `scheme "javascript" is not https`,
	"data:text/html,<form>SECRET</form>":   `scheme "data" is not https`,
	"/nsdl/pan?token=SECRET":               "not an absolute URL",
	"https://nsdl.example:0/pan":           "port is not one a browser goes to",
	"https://ｎｓｄｌ.example/pan":             "host is not plain ASCII",
	"https://SECURE.inexopay.in./pan":      "points back to the API's own origin",
	"API/nsdl/pan?token=SECRET":            "/nsdl/pan?[REDACTED] points back to the API's own origin",
}

// A PAN answer whose data.url a browser cannot follow on to NSDL is not a
// started application: the fee may be charged, so the outcome is unknown,
// and the error names the order and says why, the URL's query masked.
func TestPANRequestRefusesAHandOffURLABrowserCannotFollow(t *testing.T) {
	var handOff atomic.Pointer[string]
	srv := testkit.ServeEcho(t, func(r *http.Request) testkit.Answer {
		u := strings.Replace(*handOff.Load(), "API", "http://"+r.Host, 1)
		return testkit.Answer{ContentType: "application/json", Body: `{"status_code":200,"status":"SUCCESS",` +
			`"message":"PAN Application Initiated Successfully","data":{"txid":"50089349","url":` +
			strconv.Quote(u) + `,"number":"9876543210","orderid":"ORD12345"}}`}
	})
	c, err := inexopay.NewClient(inexopay.BodyAuth("pan_key_1234567890", "user"), inexopay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	params := &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: inexopay.PANModeEKYC,
		Type: inexopay.PANTypeNew}
	for raw, why := range handOffURLs {
		handOff.Store(&raw)
		for name, call := range map[string]func() (*inexopay.PANApplication, error){
			"Request": func() (*inexopay.PANApplication, error) { return c.PAN.Request(ctx, params) },
			"Resume":  func() (*inexopay.PANApplication, error) { return c.PAN.Resume(ctx, "ORD12345") },
		} {
			app, err := call()
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, "%s %s: accepted %+v", name, raw, app)
			var ou *inexopay.OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			assert.Equal(t, "ORD12345", ou.OrderID, name)
			assert.Contains(t, err.Error(), why, name)
			assert.NotContains(t, err.Error(), "SECRET", name)
		}
	}
	for _, good := range []string{"https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349", "API/sandbox/nsdl/pan?txid=1"} {
		handOff.Store(&good)
		app, err := c.PAN.Request(ctx, params)
		require.NoError(t, err, good)
		assert.Equal(t, strings.Replace(good, "API", srv.URL, 1), app.URL)
	}
}

// TestPANStatusOddStateIsUnusable: a PAN state with an invisible character
// around it, or "successful", is never read as "success".
func TestPANStatusOddStateIsUnusable(t *testing.T) {
	for _, st := range []string{`\u00a0Success`, `Success\u2060`, `Successful`} {
		c := answeringClient(t, `{"status_code":200,"status":"SUCCESS","order_id":"ORD1","data":{"status":"`+st+`","orderid":"ORD1"}}`)
		_, err := c.PAN.Status(context.Background(), "ORD1")
		require.ErrorIs(t, err, inexopay.ErrServer, st)
	}
}

// TestPANRequestAnswerAboutOtherOrder: a PAN application answer naming
// another order, under any spelling of its id, may follow a charge for
// another order: the outcome is unknown, the error names both orders and
// carries the one asked.
func TestPANRequestAnswerAboutOtherOrder(t *testing.T) {
	var body string
	c := orderServer(t, http.StatusOK, &body)
	ctx := context.Background()
	params := &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "PAN1001", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
	for _, b := range []string{
		`{"status":"SUCCESS","data":{"txid":"1","orderid":"PAN9999","url":"https://connect.example.in/nsdl/pan?txid=1"}}`,
		`{"status":"SUCCESS","order_id":"PAN9999","data":{"txid":"1","url":"https://connect.example.in/nsdl/pan?txid=1"}}`,
		`{"status":"SUCCESS","ORDER_ID":"PAN9999","data":{"txid":"1","url":"https://connect.example.in/nsdl/pan?txid=1"}}`,
		`{"status":"SUCCESS","data":{"txid":"1","url":"https://connect.example.in/nsdl/pan?txid=1&data[orderid]=PAN9999"}}`,
		`{"status":"SUCCESS","data":{"txid":"1","url":"https://connect.example.in/nsdl/pan?req%5Border_id%5D=PAN9999"}}`,
	} {
		body = b
		for name, call := range map[string]func() (*inexopay.PANApplication, error){
			"Request": func() (*inexopay.PANApplication, error) { return c.PAN.Request(ctx, params) },
			"Resume":  func() (*inexopay.PANApplication, error) { return c.PAN.Resume(ctx, "PAN1001") },
		} {
			res, err := call()
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, name+" "+b)
			assert.Nil(t, res)
			assert.Contains(t, err.Error(), `"PAN9999"`)
			assert.Contains(t, err.Error(), `"PAN1001"`)
			var oe *inexopay.OutcomeUnknownError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "PAN1001", oe.OrderID)
		}
	}
	body = `{"status":"SUCCESS","data":{"txid":"1","orderid":"pan1001","url":"https://connect.example.in/nsdl/pan?txid=1"}}`
	res, err := c.PAN.Request(ctx, params)
	require.NoError(t, err)
	assert.Equal(t, "PAN1001", res.OrderID, "the order asked, not the answer's spelling")
}

// A PAN answer whose data.url carries the API key, in any spelling the
// redaction knows, would hand the key to the applicant's browser and to
// NSDL: like a form carrying it, it is unusable, the outcome unknown, and
// the error says so without the key.
func TestPANRequestRefusesAHandOffURLCarryingTheAPIKey(t *testing.T) {
	const key = "pan_key_1234567890"
	var handOff atomic.Pointer[string]
	srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{ContentType: "application/json", Body: `{"status_code":200,"status":"SUCCESS",` +
			`"message":"PAN Application Initiated Successfully","data":{"txid":"50089349","url":` +
			strconv.Quote(*handOff.Load()) + `,"number":"9876543210","orderid":"ORD12345"}}`}
	})
	c, err := inexopay.NewClient(inexopay.BodyAuth(key, "user"), inexopay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	params := &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: inexopay.PANModeEKYC,
		Type: inexopay.PANTypeNew}
	for _, sp := range secrettest.Spellings(key) {
		for _, raw := range []string{"https://nsdl.example/pan?k=" + url.QueryEscape(sp), "https://nsdl.example/" + url.PathEscape(sp) + "/pan"} {
			handOff.Store(&raw)
			app, err := c.PAN.Request(ctx, params)
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, "%s: accepted %+v", raw, app)
			assert.Contains(t, err.Error(), "API key", raw)
			assert.NotContains(t, err.Error(), key, raw)
			_, err = c.PAN.Resume(ctx, "ORD12345")
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, raw)
		}
	}
	good := "https://nsdl.example/pan?txid=50089349"
	handOff.Store(&good)
	app, err := c.PAN.Request(ctx, params)
	require.NoError(t, err)
	assert.Equal(t, good, app.URL)
}

// A PAN answer, a refusal too, that names another order is not provably about the order asked:
// Status fails with ErrServer (never ErrNotFound), Request's outcome is unknown; the error names
// both orders. A refusal naming the order asked is still a refusal.
func TestPANRefusalAboutAnotherOrder(t *testing.T) {
	ctx := context.Background()
	params := &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "PAN1001", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusNotFound} {
		body := `{"status":false,"message":"Record Not Found","order_id":"PAN9999"}`
		c := orderServer(t, status, &body)
		_, err := c.PAN.Status(ctx, "PAN1001")
		require.ErrorIs(t, err, inexopay.ErrServer, status)
		assert.NotErrorIs(t, err, inexopay.ErrNotFound)
		assert.Contains(t, err.Error(), `"PAN9999"`)
		assert.Contains(t, err.Error(), `"PAN1001"`)

		body = `{"status_code":400,"status":"FAILED","message":"Duplicate Order ID","data":{"orderid":"PAN9999"}}`
		_, err = c.PAN.Request(ctx, params)
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, status)
		assert.NotErrorIs(t, err, inexopay.ErrBadRequest)
		assert.Contains(t, err.Error(), `"PAN9999"`)
	}
	body := `{"status":false,"message":"Record Not Found","order_id":"pan1001"}`
	_, err := orderServer(t, http.StatusNotFound, &body).PAN.Status(ctx, "PAN1001")
	require.ErrorIs(t, err, inexopay.ErrNotFound)
}

// A top-level order id with no visible character names no order: the status's OrderID is the
// one data names, else the order asked.
func TestPANStatusBlankOrderID(t *testing.T) {
	for body, want := range map[string]string{
		`{"status":"SUCCESS","order_id":" ","data":{"orderid":"PAN1001","status":"success"}}`:      "PAN1001",
		`{"status":"SUCCESS","order_id":"\u200b","data":{"orderid":"pan1001","status":"success"}}`: "pan1001",
		`{"status":"SUCCESS","order_id":" ","data":{"orderid":" ","status":"success"}}`:            "PAN1001",
	} {
		st, err := orderServer(t, http.StatusOK, &body).PAN.Status(context.Background(), "PAN1001")
		require.NoError(t, err, body)
		assert.Equal(t, want, st.OrderID, body)
	}
}

// TestPANRequestRefusalCarryingURLDespiteTypes: a refusal carrying data.url
// (the hand-off of an application that may have been charged) is
// outcome-unknown even when data.txid is an object or an array.
func TestPANRequestRefusalCarryingURLDespiteTypes(t *testing.T) {
	for _, txid := range []string{`{"a":1}`, `[1]`} {
		body := `{"status_code":402,"status":"FAILED","message":"Insufficient balance","data":{"txid":` + txid +
			`,"url":"https://nsdl.example.com/p?s=1","orderid":"ORD1001"}}`
		_, err := answeringClientStatus(t, http.StatusPaymentRequired, body).PAN.Request(context.Background(),
			&inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "ORD1001", Mode: inexopay.PANModeEKYC,
				Type: inexopay.PANTypeNew, ReturnURL: "https://example.com/done"})
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, txid)
		assert.NotErrorIs(t, err, inexopay.ErrInsufficientBalance, txid)
	}
}
