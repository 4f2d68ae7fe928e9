package inexopay_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

// TestGenerateQRReturnURLPerTransactionWebhooks: a wallet load started with
// a ReturnURL has its webhooks posted there, as per_transaction callbacks,
// while a load without one still goes to the global webhook URL.
func TestGenerateQRReturnURLPerTransactionWebhooks(t *testing.T) {
	var mu sync.Mutex
	got := map[string][]*inexopay.WebhookEvent{}
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := inexopay.ParseWebhook(r)
		if !assert.NoError(t, err) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got[r.URL.Path+"?"+r.URL.RawQuery] = append(got[r.URL.Path+"?"+r.URL.RawQuery], ev)
		mu.Unlock()
	}))
	defer recv.Close()

	srv := e2eServer(t, inexopaytest.WithWebhookURL(recv.URL+"/global"), inexopaytest.WithWebhookBackoff(time.Millisecond))
	c := srv.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	mine, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100),
		ReturnURL: recv.URL + "/wallet?ref=LOAD-42"})
	require.NoError(t, err)
	assert.Equal(t, "QR generated successfully! Please scan and pay, then use check_status API to verify payment.", mine.Message)
	other, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)

	require.NoError(t, srv.CompleteWalletPayment(mine.OrderID))
	require.NoError(t, srv.FailWalletPayment(other.OrderID))
	ds, err := srv.WaitDeliveries(ctx, 2)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	assert.Equal(t, recv.URL+"/wallet?ref=LOAD-42", ds[0].URL)
	assert.Equal(t, inexopay.CallbackPerTransaction, ds[0].CallbackType)
	assert.Equal(t, recv.URL+"/global", ds[1].URL)
	assert.Equal(t, inexopay.CallbackGlobal, ds[1].CallbackType)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got["/wallet?ref=LOAD-42"], 1)
	ev := got["/wallet?ref=LOAD-42"][0]
	assert.Equal(t, mine.OrderID, ev.OrderID)
	assert.Equal(t, inexopay.StatusSuccess, ev.Status)
	assert.Equal(t, inexopay.CallbackPerTransaction, ev.CallbackType)
	require.Len(t, got["/global?"], 1)
	assert.Equal(t, other.OrderID, got["/global?"][0].OrderID)
}

// TestGenerateQRReturnURLSentOnlyWhenSet checks the form on the wire.
func TestGenerateQRReturnURLSentOnlyWhenSet(t *testing.T) {
	var mu sync.Mutex
	var forms []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		forms = append(forms, r.PostForm.Encode())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status_code":200,"status":"SUCCESS","message":"ok","data":{"order_id":"WAL1","amount":` +
			r.PostForm.Get("amount") + `,"qr_url":"https://q.example/x","tx_string":"upi://pay?pa=x@y","status":"pending"}}`))
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.HeaderAuth("k_0123456789", "u"), inexopay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.NoError(t, err)
	_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: 10050, ReturnURL: "https://m.example/hook?ref=7"})
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"amount=100", "amount=100.50&return_url=https%3A%2F%2Fm.example%2Fhook%3Fref%3D7"}, forms)
}

// TestGenerateQROutcomeUnknownSaysWhatToDo: INEXOPAY assigns a wallet
// load's order id, so a lost answer leaves none to check; the error must
// not send the caller to a status call it cannot make.
func TestGenerateQROutcomeUnknownSaysWhatToDo(t *testing.T) {
	srv := e2eServer(t)
	srv.InjectFault(inexopay.EndpointGenerateQR, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)
	_, err := srv.Client().Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	var ou *inexopay.OutcomeUnknownError
	require.True(t, errors.As(err, &ou))
	assert.Empty(t, ou.OrderID)
	msg := err.Error()
	assert.NotContains(t, msg, "check its status")
	assert.Contains(t, msg, "INEXOPAY assigns the order id")
	assert.Contains(t, msg, "a QR moves no money until it is paid")
	assert.Contains(t, msg, "Account.Balance")
	assert.True(t, strings.HasPrefix(msg, "inexopay: Wallet.GenerateQR: outcome unknown ("), msg)

	// With an order id, the advice is the status call.
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)
	_, err = srv.Client().PAN.Request(context.Background(), e2ePAN("PAN-LOST-1"))
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `for order "PAN-LOST-1" (check its status before retrying)`)
}

// TestGenerateQRForAnotherOrderOrAmount: a QR whose UPI link pays another
// order (tr) or amount (am), or whose amount is not the one asked, would
// credit another load if paid: the outcome is unknown, and the error says
// to generate a new QR.
func TestGenerateQRForAnotherOrderOrAmount(t *testing.T) {
	const link = "upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR"
	for _, tc := range []struct{ name, amount, link string }{
		{"tr of another order", "500", link + "&tn=WAL2&am=500&tr=WAL2"},
		{"am of another amount", "500", link + "&tn=WAL1&am=5000&tr=WAL1"},
		{"amount not the one asked", "5000", link + "&tn=WAL1&am=5000&tr=WAL1"},
	} {
		srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
			return testkit.Answer{ContentType: "application/json", Body: `{"status_code":200,"status":"SUCCESS","data":{` +
				`"order_id":"WAL1","amount":` + tc.amount + `,"qr_url":"https://q.example/x","tx_string":"` + tc.link +
				`","status":"pending"}}`}
		})
		c, err := inexopay.NewClient(inexopay.HeaderAuth("k_0123456789", "u"), inexopay.WithBaseURL(srv.URL))
		require.NoError(t, err)
		qr, err := c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(500)})
		assert.Nil(t, qr, tc.name)
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, tc.name)
		assert.Contains(t, err.Error(), "generate a new one", tc.name)
	}
}

func TestE2EWallet(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithMinWalletLoad(inexopay.Rupees(10)))
	c := srv.Client()
	ctx := context.Background()

	qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: 25050})
	require.NoError(t, err)
	assert.Regexp(t, `^WAL[0-9]{13}$`, qr.OrderID)
	assert.Equal(t, inexopay.Amount(25050), qr.Amount)
	assert.Equal(t, inexopay.StatusPending, qr.Status)
	assert.Equal(t, inexopaytest.SandboxVPA, qr.UPIID)
	assert.True(t, strings.HasPrefix(qr.QRURL, srv.URL+"/sandbox/qr?"), qr.QRURL)
	upi, err := qr.UPI()
	require.NoError(t, err)
	assert.Equal(t, inexopaytest.SandboxVPA, upi.PayeeVPA)
	assert.Equal(t, "INEXOPAY", upi.PayeeName)
	assert.Equal(t, inexopay.Amount(25050), upi.Amount)
	assert.Equal(t, qr.OrderID, upi.Reference)
	assert.Equal(t, qr.OrderID, upi.Note)
	assert.Equal(t, "INR", upi.Currency)

	_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: 999})
	e2eAPIError(t, err, inexopay.ErrBadRequest, "Minimum wallet load amount is 10.00")

	p, err := c.Wallet.PaymentStatus(ctx, qr.OrderID)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, p.Status)
	require.NoError(t, srv.CompleteWalletPayment(qr.OrderID))
	p, err = c.Wallet.PaymentStatus(ctx, qr.OrderID)
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, p.Status)
	assert.Equal(t, inexopay.Amount(125050), p.NewBalance)
	assert.Equal(t, "API_UPI_QR", p.Mode)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Amount(125050), b.Amount)

	_, err = c.Wallet.PaymentStatus(ctx, "WAL9999999999999")
	e2eAPIError(t, err, inexopay.ErrNotFound, "Order not found")
	// A lost answer to GenerateQR is an unknown outcome, never retried.
	srv.InjectFault(inexopay.EndpointGenerateQR, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP500}, 1)
	_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(10)})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 3, srv.Requests(inexopay.EndpointGenerateQR))
}

// answeringClient is a client of a server that answers every call with
// body (HTTP 200).
func answeringClient(t *testing.T, body string) *inexopay.Client {
	t.Helper()
	return answeringClientStatus(t, http.StatusOK, body)
}

// answeringClientStatus is answeringClient with HTTP status status.
func answeringClientStatus(t *testing.T, status int, body string) *inexopay.Client {
	t.Helper()
	srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{Status: status, ContentType: "application/json", Body: body}
	})
	c, err := inexopay.NewClient(inexopay.HeaderAuth("k_0123456789", "u"), inexopay.WithBaseURL(srv.URL))
	require.NoError(t, err)
	return c
}

// orderServer answers every call with body, as a back end that may name
// another order than the one asked.
func orderServer(t *testing.T, status int, body *string) *inexopay.Client {
	t.Helper()
	srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{Status: status, ContentType: "application/json", Body: *body}
	})
	c, err := inexopay.NewClient(inexopay.BodyAuth("wallet_key_1234567890", "user"), inexopay.WithBaseURL(srv.URL),
		inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	return c
}

// TestGenerateQRInvisibleOrderIDIsOutcomeUnknown: an order id made only of
// invisible characters names no order, so the load's outcome is unknown.
func TestGenerateQRInvisibleOrderIDIsOutcomeUnknown(t *testing.T) {
	for _, id := range []string{`\u200b`, `\ufeff`, `\u00a0 \u2003`, `\u2060`, `\u3164`} {
		c := answeringClient(t, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"`+id+
			`","amount":100,"qr_url":"https://q.example/x","status":"pending"}}`)
		_, err := c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, id)
		assert.Contains(t, err.Error(), "data.order_id", id)
	}
}

// TestPaymentStatusRepeatedMemberNamesIt: a member given twice in data, or
// a folded twin of one, makes the answer unusable, and the error says so.
func TestPaymentStatusRepeatedMemberNamesIt(t *testing.T) {
	for body, reason := range map[string]string{
		`{"status":"SUCCESS","error_code":0,"data":{"order_id":"A","order_id":"B","amount":100,"status":"success"}}`: `member "order_id" given twice`,
		`{"status":"SUCCESS","error_code":0,"data":{"order_id":"A","Order_ID":"B","amount":100,"status":"success"}}`: `member "Order_ID" is a folded spelling of "order_id"`,
	} {
		_, err := answeringClient(t, body).Wallet.PaymentStatus(context.Background(), "A")
		require.ErrorIs(t, err, inexopay.ErrServer, body)
		assert.NotErrorIs(t, err, inexopay.ErrBadRequest, body)
		assert.Contains(t, err.Error(), reason, body)
		assert.NotContains(t, err.Error(), "with code", body)
	}
}

// TestPaymentStatusMarkerRepeatedWithOneValue: a marker sent twice with
// values that mean the same says one thing: the answer is a success.
func TestPaymentStatusMarkerRepeatedWithOneValue(t *testing.T) {
	c := answeringClient(t, `{"status":"SUCCESS","status":true,"status_code":200,"status_code":"200",`+
		`"data":{"order_id":"A","amount":100,"status":"success"}}`)
	p, err := c.Wallet.PaymentStatus(context.Background(), "A")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusSuccess, p.Status)
}

// TestGenerateQROddStatusWordIsOutcomeUnknown: a status word with a
// character around it that PHP's trim() keeps is neither a refusal nor a
// success of a charging call.
func TestGenerateQROddStatusWordIsOutcomeUnknown(t *testing.T) {
	const data = `"data":{"order_id":"WAL1","amount":100,"qr_url":"https://q.example/x","status":"pending"}`
	for _, body := range []string{
		`{"status":"FAILED\u00a0","status_code":402,"message":"Insufficient balance"}`,
		`{"status":"\u200bFAILED","status_code":400,"message":"Bad amount"}`,
		`{"status":"\u200bSUCCESS","status_code":200,` + data + `}`,
		`{"status":"successful","status_code":200,` + data + `}`,
	} {
		_, err := answeringClient(t, body).Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, body)
		assert.NotErrorIs(t, err, inexopay.ErrInsufficientBalance, body)
		assert.NotErrorIs(t, err, inexopay.ErrBadRequest, body)
	}
}

// TestPaymentStatusUndocumentedStates: an undocumented state is kept as
// sent (never final), "successful" or a state with an invisible character
// around it is unusable, never the documented "success".
func TestPaymentStatusUndocumentedStates(t *testing.T) {
	pay := func(st string) (*inexopay.WalletPayment, error) {
		return answeringClient(t, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"A","amount":100,"status":"`+st+`"}}`).
			Wallet.PaymentStatus(context.Background(), "A")
	}
	for st, want := range map[string]inexopay.Status{
		"refunded": "refunded", "Cancelled": "cancelled", "REVERSED": "reversed", "processing": "processing",
		"Initiated": "initiated", "pending": inexopay.StatusPending, "failed": inexopay.StatusFailed,
	} {
		p, err := pay(st)
		require.NoError(t, err, st)
		assert.Equal(t, want, p.Status, st)
		assert.Equal(t, want == inexopay.StatusFailed, p.Status.Final(), st)
	}
	for _, st := range []string{"successful", "Successful", `\u00a0success`, `success\u200b`, `FA\u0130LED`} {
		p, err := pay(st)
		if st == `FA\u0130LED` { // not a word the API documents: kept, never "failed"
			require.NoError(t, err)
			assert.NotEqual(t, inexopay.StatusFailed, p.Status)
			continue
		}
		require.ErrorIs(t, err, inexopay.ErrServer, st)
	}
}

// TestGenerateQRInvisibleMessageIsNoRefusal: a 4xx whose only word is a
// message with no visible character does not say the load was refused.
func TestGenerateQRInvisibleMessageIsNoRefusal(t *testing.T) {
	for _, m := range []string{`\u200b`, `\u00a0 \ufeff`} {
		_, err := answeringClientStatus(t, http.StatusBadRequest, `{"message":"`+m+`"}`).
			Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
		require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, m)
		assert.NotErrorIs(t, err, inexopay.ErrBadRequest, m)
	}
}

// TestPaymentStatusOrderIDUnderAnySpelling: a member whose name is order_id
// in any ASCII case, with or without its '_', at either level, names the
// order the answer is about; another order makes the answer unusable.
func TestPaymentStatusOrderIDUnderAnySpelling(t *testing.T) {
	var body string
	c := orderServer(t, http.StatusOK, &body)
	for _, b := range []string{
		`{"status":"SUCCESS","data":{"orderId":"WAL9999","status":"success","amount":"500"}}`,
		`{"status":"SUCCESS","data":{"OrderID":"WAL9999","status":"success","amount":"500"}}`,
		`{"status":"SUCCESS","ORDERID":"WAL9999","data":{"status":"success","amount":"500"}}`,
		`{"status":"SUCCESS","data":{"order_id":"WAL1001","orderId":"WAL9999","status":"success","amount":"500"}}`,
	} {
		body = b
		_, err := c.Wallet.PaymentStatus(context.Background(), "WAL1001")
		require.ErrorIs(t, err, inexopay.ErrServer, b)
		assert.Contains(t, err.Error(), `"WAL9999"`, b)
		assert.Contains(t, err.Error(), `"WAL1001"`, b)
	}
	body = `{"status":"SUCCESS","orderId":"wal1001","data":{"order_id":" WAL1001 ","status":"success","amount":"500"}}`
	_, err := c.Wallet.PaymentStatus(context.Background(), "WAL1001")
	require.NoError(t, err)
}

// TestPaymentStatusOrderIDComparedASCIIOnly: only ASCII letters compare
// without regard to case and only ASCII white space is trimmed, as order
// ids are ASCII: a Unicode fold or space is another order.
func TestPaymentStatusOrderIDComparedASCIIOnly(t *testing.T) {
	var body string
	c := orderServer(t, http.StatusOK, &body)
	for _, id := range []string{"WAL\u017fK1", "WALS\u212a1", "WALSK1\u00a0", "\u3000WALSK1"} {
		body = `{"status":"SUCCESS","data":{"order_id":"` + id + `","status":"success","amount":"500"}}`
		res, err := c.Wallet.PaymentStatus(context.Background(), "WALSK1")
		require.ErrorIs(t, err, inexopay.ErrServer, id)
		assert.Nil(t, res)
	}
}

// TestGenerateQRAnswerNamingTwoOrders: the API makes a load's order id;
// an answer naming two different ones is unusable, so the outcome is
// unknown.
func TestGenerateQRAnswerNamingTwoOrders(t *testing.T) {
	body := `{"status":"SUCCESS","order_id":"WAL2","data":{"order_id":"WAL1","qr_url":"https://q.example/x","amount":"100"}}`
	c := orderServer(t, http.StatusOK, &body)
	_, err := c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `"WAL1"`)
	assert.Contains(t, err.Error(), `"WAL2"`)
}

// TestPartialContentIsNeverARefusal: the SDK never asks for part of an
// answer, so a 206 is a part of one: unusable even when it reads as a
// refusal or a success.
func TestPartialContentIsNeverARefusal(t *testing.T) {
	body := `{"status":"FAILED","status_code":400,"message":"Invalid order"}`
	c := orderServer(t, http.StatusPartialContent, &body)
	_, err := c.Wallet.PaymentStatus(context.Background(), "WAL1001")
	require.ErrorIs(t, err, inexopay.ErrServer)
	assert.NotErrorIs(t, err, inexopay.ErrBadRequest)
	_, err = c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	body = `{"status":"SUCCESS","data":{"order_id":"WAL1001","status":"success","amount":"500"}}`
	_, err = c.Wallet.PaymentStatus(context.Background(), "WAL1001")
	require.ErrorIs(t, err, inexopay.ErrServer)
}

// A payment status refusal naming another order is not provably about the order asked: ErrServer,
// never ErrNotFound, naming both orders.
func TestPaymentStatusRefusalAboutAnotherOrder(t *testing.T) {
	body := `{"status":"FAILED","status_code":404,"message":"Order not found","data":{"order_id":"WAL9999"}}`
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusNotFound} {
		_, err := orderServer(t, status, &body).Wallet.PaymentStatus(context.Background(), "WAL1001")
		require.ErrorIs(t, err, inexopay.ErrServer, status)
		assert.NotErrorIs(t, err, inexopay.ErrNotFound)
		assert.Contains(t, err.Error(), `"WAL9999"`)
		assert.Contains(t, err.Error(), `"WAL1001"`)
	}
}

// A payment whose data.order_id has no visible character names no order: its OrderID is the
// order asked.
func TestPaymentStatusBlankOrderID(t *testing.T) {
	body := `{"status":"SUCCESS","data":{"order_id":" ","status":"success","amount":"500.00"}}`
	p, err := orderServer(t, http.StatusOK, &body).Wallet.PaymentStatus(context.Background(), "WAL1001")
	require.NoError(t, err)
	assert.Equal(t, "WAL1001", p.OrderID)
}

// TestGenerateQRStatusPending: a new load waits for its payment, so a
// success is StatusPending, as documented, whether data.status is absent
// or any word that says the load started ("success" included: it is the
// QR's generation that succeeded, not the payment).
func TestGenerateQRStatusPending(t *testing.T) {
	for _, st := range []string{``, `,"status":"pending"`, `,"status":"success"`, `,"status":"generated"`, `,"status":"Created"`} {
		qr, err := answeringClient(t, `{"status":true,"data":{"order_id":"WAL1","amount":"100","upi_id":"a@b","tx_string":"upi://pay?pa=a@b&am=100&tr=WAL1"`+st+`}}`).
			Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
		require.NoError(t, err, st)
		assert.Equal(t, inexopay.StatusPending, qr.Status, st)
		assert.False(t, qr.Status.Final(), st)
	}
}

// TestGenerateQRTopLevelAmountChecked: an amount at the answer's top level,
// which the document does not show but a back end may add, must be the
// amount asked, as data.amount must: a load for another amount is not this
// call's.
func TestGenerateQRTopLevelAmountChecked(t *testing.T) {
	const data = `"data":{"order_id":"WAL1","qr_url":"https://qr.example.net/q.png","status":"pending"}`
	for amount, ok := range map[string]bool{`"1000.00"`: false, `0`: false, `"100"`: true, `100.00`: true, `null`: true} {
		_, err := answeringClient(t, `{"status":"SUCCESS","amount":`+amount+`,`+data+`}`).
			Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
		if ok {
			require.NoError(t, err, amount)
		} else {
			require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown, amount)
			assert.Contains(t, err.Error(), "is not the amount asked", amount)
		}
	}
}
