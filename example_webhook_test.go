package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

func ExampleParseWebhook() {
	// Your own handler, for when WebhookHandler does not fit.
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := inexopay.ParseWebhook(r)
		if err != nil {
			// A *WebhookError says which HTTP status to answer.
			var werr *inexopay.WebhookError
			status := http.StatusBadRequest
			if errors.As(err, &werr) {
				status = werr.HTTPStatus
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		// The payload is unsigned: confirm with the status call before
		// acting on it (see WebhookHandler).
		fmt.Println(ev.OrderID, ev.Status, ev.CallbackType, ev.Source)
		fmt.Println(ev.DateTime.UTC()) // sent in IST without a zone
		w.WriteHeader(http.StatusOK)
	})

	// What INEXOPAY posts.
	body := "orderid=PAN123&order_id=PAN123&status=Success&remark=PAN+application+submitted" +
		"&datetime=2026-06-03+15%3A30%3A00&callback_type=per_transaction"
	req := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Println(rec.Code)

	// A GET is refused.
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/inexopay/webhook", nil))
	fmt.Println(rec.Code)
	// Output:
	// PAN123 success per_transaction INEXOPAY-API
	// 2026-06-03 10:00:00 +0000 UTC
	// 200
	// 405
}

// The payload is unsigned, so protect the URL with a token, drop INEXOPAY's
// retries of a change already handled, and act on the status call, never on
// the webhook's own status.
func ExampleWebhookHandler() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	const token = "a-long-random-secret" // from your secret store
	handler := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		// This service sells only PAN applications; the payload does not
		// name the product, so with several, route by your own order
		// record first (see the README).
		st, err := client.PAN.Status(ctx, ev.OrderID)
		if err != nil {
			return err // answered 500: INEXOPAY retries
		}
		// Update your order from st (in your database); here, print it.
		fmt.Println("webhook says", ev.Status, "- API says", st.Status)
		return nil // answered 200
	},
		inexopay.WithWebhookToken(token),
		inexopay.WithWebhookDedup(nil), // in memory; share a DedupStore (sqldedup) across replicas
	)
	// In production: mux.Handle("/inexopay/webhook", handler), and give
	// INEXOPAY the URL that inexopay.WebhookURL(yourURL, token) returns.

	orderID := inexopay.NewOrderID("PAN")
	_, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: orderID, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.CompletePAN(orderID); err != nil {
		log.Fatal(err)
	}

	// INEXOPAY posts the change, posts it again (a retry), and someone
	// without the token posts a forged one.
	body := url.Values{"orderid": {orderID}, "status": {"success"}, "datetime": {"2026-06-03 15:30:00"}}.Encode()
	for _, target := range []string{
		"/inexopay/webhook?token=" + token,
		"/inexopay/webhook?token=" + token,
		"/inexopay/webhook",
	} {
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// webhook says success - API says success
	// 200 OK
	// 200 OK (duplicate)
	// 401 Unauthorized
}

// The sandbox posts real webhooks: point it at your handler to test the
// whole flow.
func ExampleWebhookHandler_sandbox() {
	events := make(chan *inexopay.WebhookEvent, 1)
	hooks := httptest.NewServer(inexopay.WebhookHandler(
		func(_ context.Context, ev *inexopay.WebhookEvent) error {
			events <- ev
			return nil
		}, inexopay.WithWebhookToken("secret")))
	defer hooks.Close()

	hookURL, err := inexopay.WebhookURL(hooks.URL+"/inexopay/webhook", "secret")
	if err != nil {
		log.Fatal(err)
	}
	srv := inexopaytest.NewServer(
		inexopaytest.WithWebhookURL(hookURL),
		inexopaytest.WithWebhookBackoff(time.Millisecond),
	)
	defer srv.Close()
	client := srv.Client()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.CompleteWalletPayment(qr.OrderID); err != nil {
		log.Fatal(err)
	}

	ds, err := srv.WaitDeliveries(ctx, 1)
	if err != nil {
		log.Fatal(err)
	}
	ev := <-events
	fmt.Println(ev.OrderID == qr.OrderID, ev.Status, ev.CallbackType)
	fmt.Println("delivered:", ds[0].Delivered, "attempts:", ds[0].Attempts)
	// Output:
	// true success global_webhook
	// delivered: true attempts: 1
}

func ExampleWebhookURL() {
	u, err := inexopay.WebhookURL("https://example.com/inexopay/webhook", "a-long-random-secret")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)
	// Output:
	// https://example.com/inexopay/webhook?token=a-long-random-secret
}

// Two replicas share one DedupStore: a change whose first delivery failed
// is handled by the retry, wherever it lands, and copies of a change
// already handled are acknowledged without running the callback again.
func ExampleWithWebhookDedup() {
	store := inexopay.NewMemoryDedupStore(24*time.Hour, 0) // in production: one store all replicas share
	calls := 0
	callback := func(_ context.Context, ev *inexopay.WebhookEvent) error {
		calls++
		if calls == 1 {
			return errors.New("database briefly down")
		}
		fmt.Println("handled", ev.OrderID, ev.Status)
		return nil
	}
	replicas := []http.Handler{
		inexopay.WebhookHandler(callback, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(time.Minute)),
		inexopay.WebhookHandler(callback, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(time.Minute)),
	}
	body := "orderid=WAL1234567890123&status=success&datetime=2026-06-03+15:30:00"
	for i := range 3 { // INEXOPAY's first delivery and two retries, alternating replicas
		req := httptest.NewRequest(http.MethodPost, "/inexopay/webhook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		replicas[i%2].ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 500 callback failed
	// handled WAL1234567890123 success
	// 200 OK
	// 200 OK (duplicate)
}
