package inexopay_test

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// An Observer sees every attempt of every call: here the sandbox fails the
// first PAN status call with a 502, the SDK retries it, and the observer
// records both attempts and the call. Feed the same events to OpenTelemetry
// spans or Prometheus counters; Class is a small fixed set, fit for a
// metric label.
func ExampleWithObserver() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	srv.InjectFault(inexopay.EndpointPANStatus, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)

	var mu sync.Mutex
	var lines []string
	obs := inexopay.Observer{
		Attempt: func(_ context.Context, a inexopay.AttemptInfo) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf("attempt %d of %s: HTTP %d %q", a.Attempt, a.Endpoint, a.HTTPStatus, a.Class))
		},
		Call: func(_ context.Context, c inexopay.CallInfo) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf("call %s: %d attempts, HTTP %d %q, outcome unknown: %t",
				c.Endpoint, c.Attempts, c.HTTPStatus, c.Class, c.OutcomeUnknown))
		},
	}
	client, err := inexopay.NewClient(inexopay.BodyAuth(srv.APIKey, srv.Username), inexopay.WithBaseURL(srv.URL),
		inexopay.WithRetry(3, time.Millisecond, 10*time.Millisecond), inexopay.WithObserver(obs))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.PAN.Status(context.Background(), "ORD-UNKNOWN")
	fmt.Println("error:", err != nil)
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// error: true
	// attempt 1 of PAN.Status: HTTP 502 "server"
	// attempt 2 of PAN.Status: HTTP 200 "not_found"
	// call PAN.Status: 2 attempts, HTTP 200 "not_found", outcome unknown: false
}
