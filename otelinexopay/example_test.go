package otelinexopay_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/otelinexopay"
)

// Traces and metrics for every call in one option. Here the sandbox fails
// the first PAN status call with a 502 and the SDK retries it: the call's
// span has a child span per attempt. In production, give your own
// providers (or none: the global ones are used).
func ExampleOption() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	srv.InjectFault(inexopay.EndpointPANStatus, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) }()

	// docs:begin
	client, err := inexopay.NewClient(inexopay.BodyAuth(srv.APIKey, srv.Username),
		inexopay.WithBaseURL(srv.URL),
		otelinexopay.Option(
			otelinexopay.WithTracerProvider(tp),
			otelinexopay.WithMeterProvider(mp),
			// W3C traceparent on each attempt; WithoutPropagation() sends none.
			otelinexopay.WithPropagators(propagation.TraceContext{}),
		))
	if err != nil {
		log.Fatal(err)
	}
	// docs:end
	_, err = client.PAN.Status(context.Background(), "ORD-UNKNOWN")
	fmt.Println("error:", err != nil)
	for _, s := range spans.Ended() {
		var status, outcome, class string
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case "http.response.status_code":
				status = kv.Value.String()
			case otelinexopay.KeyOutcome:
				outcome = kv.Value.String()
			case "error.type":
				class = kv.Value.String()
			}
		}
		fmt.Printf("%s: HTTP %s, error.type %s, outcome %q\n", s.Name(), status, class, outcome)
	}
	// Output:
	// error: true
	// POST: HTTP 502, error.type server, outcome ""
	// POST: HTTP 200, error.type not_found, outcome ""
	// inexopay PAN.Status: HTTP 200, error.type not_found, outcome "refused"
}

// A span per webhook delivery, the parent of the callback's own spans.
func ExampleWebhookOption() {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	confirm := func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		return nil // find the order, confirm with a status call, act
	}
	token := "s3cret"
	// docs:begin
	handler := inexopay.WebhookHandler(confirm,
		inexopay.WithWebhookToken(token),
		inexopay.WithWebhookDedup(nil), // a duplicate is answered without the callback
		otelinexopay.WebhookOption(otelinexopay.WithTracerProvider(tp)))
	// docs:end

	body := "orderid=ORD12345&status=success&remark=Done&datetime=2026-06-03+15:30:00&callback_type=global_webhook"
	for range 2 { // INEXOPAY may deliver an event twice
		r := httptest.NewRequest(http.MethodPost, "/inexopay/webhook?token="+token, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		handler.ServeHTTP(httptest.NewRecorder(), r)
	}
	for _, s := range spans.Ended() {
		var result, status string
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case otelinexopay.KeyWebhookResult:
				result = kv.Value.String()
			case "http.response.status_code":
				status = kv.Value.String()
			}
		}
		fmt.Printf("%s: %s, HTTP %s\n", s.Name(), result, status)
	}
	// Output:
	// inexopay webhook: handled, HTTP 200
	// inexopay webhook: duplicate, HTTP 200
}
