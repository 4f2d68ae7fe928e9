package otelinexopay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/otelinexopay"
)

const benchBalanceBody = `{"status":"SUCCESS","error_code":200,"message":"Balance fetched successfully","balance":1520.50,"username":"merchant01"}`

// ringRecorder is a span processor that keeps the last 1024 ended spans in
// memory, like tracetest.SpanRecorder but bounded: a recorder that keeps
// every span of a long benchmark grows the heap without end, and the cost
// of fresh memory would swamp what is measured.
type ringRecorder struct {
	mu    sync.Mutex
	spans [1024]sdktrace.ReadOnlySpan
	n     int
}

func (r *ringRecorder) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (r *ringRecorder) OnEnd(s sdktrace.ReadOnlySpan) {
	r.mu.Lock()
	r.spans[r.n%len(r.spans)] = s
	r.n++
	r.mu.Unlock()
}
func (r *ringRecorder) Shutdown(context.Context) error   { return nil }
func (r *ringRecorder) ForceFlush(context.Context) error { return nil }

// benchClients returns a client without telemetry, one with the option on
// no-op providers, and one with the option on the SDK (every span sampled
// and kept by an in-memory recorder, metrics by a manual reader, the W3C
// trace context in every request), all posting to base through hc.
func benchClients(b *testing.B, base string, hc *http.Client) (plain, noop, sdk *inexopay.Client) {
	b.Helper()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(&ringRecorder{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	mk := func(opts ...inexopay.Option) *inexopay.Client {
		c, err := inexopay.NewClient(inexopay.BodyAuth("bench-key-123456", "jojo"),
			append([]inexopay.Option{inexopay.WithBaseURL(base), inexopay.WithHTTPClient(hc)}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	plain = mk()
	noop = mk(otelinexopay.Option(otelinexopay.WithTracerProvider(tracenoop.NewTracerProvider()),
		otelinexopay.WithMeterProvider(metricnoop.NewMeterProvider())))
	sdk = mk(otelinexopay.Option(otelinexopay.WithTracerProvider(tp), otelinexopay.WithMeterProvider(mp),
		otelinexopay.WithPropagators(propagation.TraceContext{})))
	return plain, noop, sdk
}

// BenchmarkOverhead times Account.Balance calls to a loopback server made
// by the three clients of benchClients, interleaved call by call (the
// order rotates), and reports each instrumented client's median time per
// call over the plain one's: "noop/plain" and "sdk/plain". Medians, since
// on a shared machine a call now and then waits for a core far longer than
// any client's own work.
func BenchmarkOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBalanceBody)
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	defer tr.CloseIdleConnections()
	plain, noop, sdk := benchClients(b, srv.URL, &http.Client{Transport: tr})
	clients := [3]*inexopay.Client{plain, noop, sdk}
	var times [3][]time.Duration
	for j := range times {
		times[j] = make([]time.Duration, 0, b.N)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range 3 {
			j := (i + k) % 3
			t := time.Now()
			if _, err := clients[j].Account.Balance(ctx); err != nil {
				b.Fatal(err)
			}
			times[j] = append(times[j], time.Since(t))
		}
	}
	b.StopTimer()
	var med [3]float64
	for j := range times {
		slices.Sort(times[j])
		med[j] = float64(times[j][len(times[j])/2])
	}
	b.ReportMetric(med[0], "plain-ns/call")
	b.ReportMetric(med[1]/med[0], "noop/plain")
	b.ReportMetric(med[2]/med[0], "sdk/plain")
	b.ReportMetric(0, "ns/op")
}

// memTransport answers every request with body, without a network.
type memTransport struct{ body string }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(m.body)), Request: r}, nil
}

// BenchmarkClientOnly runs each client of benchClients over an in-memory
// transport: the SDK's own cost per call and what telemetry adds to it,
// allocations included, without a network.
func BenchmarkClientOnly(b *testing.B) {
	plain, noop, sdk := benchClients(b, "https://api.invalid", &http.Client{Transport: memTransport{benchBalanceBody}})
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		c    *inexopay.Client
	}{{"plain", plain}, {"noop", noop}, {"sdk", sdk}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := bc.c.Account.Balance(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSpanFloor measures what the OpenTelemetry SDK itself costs for
// the telemetry of one call, with none of this package: a parent and a
// child span with the same attributes, ended, and a histogram and a counter
// recorded. It is the floor under the "sdk" client's overhead.
func BenchmarkSpanFloor(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(&ringRecorder{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	}()
	tracer := tp.Tracer("floor")
	meter := mp.Meter("floor")
	hist, _ := meter.Float64Histogram("d")
	ctr, _ := meter.Int64Counter("c")
	set := metric.WithAttributeSet(attribute.NewSet(attribute.String("e", "Account.Balance"), attribute.String("o", "success")))
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		cctx, call := tracer.Start(ctx, "inexopay Account.Balance", trace.WithSpanKind(trace.SpanKindClient))
		call.SetAttributes(attribute.String("http.request.method", "POST"), attribute.String("server.address", "127.0.0.1"),
			attribute.Int("server.port", 443), attribute.String("inexopay.endpoint", "Account.Balance"), attribute.Bool("inexopay.charging", false))
		_, try := tracer.Start(cctx, "POST", trace.WithSpanKind(trace.SpanKindClient))
		try.SetAttributes(attribute.String("http.request.method", "POST"), attribute.String("inexopay.endpoint", "Account.Balance"), attribute.Int("inexopay.attempt", 1))
		try.SetAttributes(attribute.Int("http.response.status_code", 200))
		try.End()
		ctr.Add(ctx, 1, set)
		call.SetAttributes(attribute.Int("inexopay.attempts", 1), attribute.String("inexopay.outcome", "success"), attribute.Int("http.response.status_code", 200))
		call.End()
		hist.Record(ctx, 0.001, set)
	}
}
