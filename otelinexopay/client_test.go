package otelinexopay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/otelinexopay"
)

// recorders holds an SDK tracer provider with an in-memory span recorder
// and a meter provider with a manual reader.
type recorders struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newRecorders(t testing.TB) *recorders {
	r := &recorders{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	r.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	t.Cleanup(func() {
		_ = r.tp.Shutdown(context.Background())
		_ = r.mp.Shutdown(context.Background())
	})
	return r
}

func (r *recorders) settings(more ...otelinexopay.Setting) []otelinexopay.Setting {
	return append([]otelinexopay.Setting{otelinexopay.WithTracerProvider(r.tp), otelinexopay.WithMeterProvider(r.mp)}, more...)
}

func (r *recorders) metrics(t testing.TB) map[string]metricdata.Aggregation {
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, otelinexopay.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// attrs returns a span's attributes as a map.
func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// headerLog is a transport that records the Traceparent header of every
// request it sends.
type headerLog struct {
	mu   sync.Mutex
	seen []string
}

func (h *headerLog) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.seen = append(h.seen, r.Header.Get("Traceparent"))
	h.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestOptionTracesCalls(t *testing.T) {
	rec := newRecorders(t)
	srv := inexopaytest.NewServer()
	defer srv.Close()
	srv.InjectFault(inexopay.EndpointPANStatus, inexopaytest.Fault{Kind: inexopaytest.FaultHTTP502}, 1)
	srv.InjectFault(inexopay.EndpointPANRequest, inexopaytest.Fault{Kind: inexopaytest.FaultDrop}, 1)
	hl := &headerLog{}
	client := srv.Client(inexopay.WithHTTPClient(&http.Client{Transport: hl}),
		otelinexopay.Option(rec.settings(otelinexopay.WithPropagators(propagation.TraceContext{}))...))

	parentCtx, parent := rec.tp.Tracer("app").Start(context.Background(), "checkout")
	_, err := client.PAN.Status(parentCtx, "ORD-UNKNOWN")
	require.ErrorIs(t, err, inexopay.ErrNotFound)
	parent.End()
	_, err = client.PAN.Request(context.Background(), &inexopay.PANRequestParams{
		Mobile: "9876543210", OrderID: "ORD-PAN-1", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	_, err = client.Account.Balance(context.Background())
	require.NoError(t, err)

	spans := rec.spans.Ended()
	byName := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byName[s.Name()] = append(byName[s.Name()], s)
	}
	require.Len(t, byName["inexopay PAN.Status"], 1)
	call := byName["inexopay PAN.Status"][0]
	assert.Equal(t, trace.SpanKindClient, call.SpanKind())
	assert.Equal(t, parent.SpanContext().SpanID(), call.Parent().SpanID(), "the call's span is a child of the caller's")
	a := attrs(call)
	assert.Equal(t, "POST", a["http.request.method"].AsString())
	u, _ := url.Parse(srv.URL)
	assert.Equal(t, u.Hostname(), a["server.address"].AsString())
	port, _ := strconv.Atoi(u.Port())
	assert.Equal(t, int64(port), a["server.port"].AsInt64())
	assert.Equal(t, "PAN.Status", a[otelinexopay.KeyEndpoint].AsString())
	assert.False(t, a[otelinexopay.KeyCharging].AsBool())
	assert.Equal(t, int64(2), a[otelinexopay.KeyAttempts].AsInt64())
	assert.Equal(t, "refused", a[otelinexopay.KeyOutcome].AsString())
	assert.Equal(t, "not_found", a["error.type"].AsString())
	assert.Equal(t, "not_found", a[otelinexopay.KeyErrorClass].AsString())
	assert.Equal(t, int64(200), a["http.response.status_code"].AsInt64())
	assert.Equal(t, sdktrace.Status{Code: codes.Error, Description: "not_found"}, call.Status())

	var tries []sdktrace.ReadOnlySpan
	for _, s := range byName["POST"] {
		if s.Parent().SpanID() == call.SpanContext().SpanID() {
			tries = append(tries, s)
		}
	}
	require.Len(t, tries, 2, "a child span per attempt")
	first, second := attrs(tries[0]), attrs(tries[1])
	assert.Equal(t, int64(502), first["http.response.status_code"].AsInt64())
	assert.Equal(t, "server", first["error.type"].AsString())
	assert.Equal(t, int64(1), first[otelinexopay.KeyAttempt].AsInt64())
	assert.NotContains(t, first, attribute.Key("http.request.resend_count"))
	assert.Equal(t, int64(1), second["http.request.resend_count"].AsInt64())
	assert.Equal(t, codes.Error, tries[0].Status().Code)

	require.Len(t, byName["inexopay PAN.Request"], 1)
	pan := attrs(byName["inexopay PAN.Request"][0])
	assert.True(t, pan[otelinexopay.KeyCharging].AsBool())
	assert.Equal(t, "unknown", pan[otelinexopay.KeyOutcome].AsString())
	assert.Equal(t, "network", pan["error.type"].AsString())
	assert.NotContains(t, pan, attribute.Key("http.response.status_code"))

	require.Len(t, byName["inexopay Account.Balance"], 1)
	bal := byName["inexopay Account.Balance"][0]
	assert.Equal(t, "success", attrs(bal)[otelinexopay.KeyOutcome].AsString())
	assert.NotContains(t, attrs(bal), attribute.Key("error.type"))
	assert.Equal(t, codes.Unset, bal.Status().Code)

	// Each attempt carried its own span's trace context.
	hl.mu.Lock()
	defer hl.mu.Unlock()
	require.Len(t, hl.seen, 4)
	for i, s := range tries {
		sc := s.SpanContext()
		assert.Equal(t, fmt.Sprintf("00-%s-%s-01", sc.TraceID(), sc.SpanID()), hl.seen[i])
	}
	for _, h := range hl.seen {
		assert.NotEmpty(t, h)
	}

	m := rec.metrics(t)
	dur := m["inexopay.client.call.duration"].(metricdata.Histogram[float64])
	counts := map[string]uint64{}
	for _, dp := range dur.DataPoints {
		e, _ := dp.Attributes.Value(otelinexopay.KeyEndpoint)
		o, _ := dp.Attributes.Value(otelinexopay.KeyOutcome)
		counts[e.AsString()+"/"+o.AsString()] += dp.Count
		assert.Equal(t, 2, dp.Attributes.Len(), "by endpoint and outcome only")
	}
	assert.Equal(t, map[string]uint64{"PAN.Status/refused": 1, "PAN.Request/unknown": 1, "Account.Balance/success": 1}, counts)
	assert.Equal(t, float64(30), dur.DataPoints[0].Bounds[len(dur.DataPoints[0].Bounds)-2])

	tries2 := map[string]int64{}
	for _, dp := range m["inexopay.client.attempts"].(metricdata.Sum[int64]).DataPoints {
		e, _ := dp.Attributes.Value(otelinexopay.KeyEndpoint)
		et, _ := dp.Attributes.Value("error.type")
		tries2[e.AsString()+"/"+et.AsString()] += dp.Value
	}
	assert.Equal(t, map[string]int64{"PAN.Status/server": 1, "PAN.Status/not_found": 1, "PAN.Request/network": 1, "Account.Balance/": 1}, tries2)
	unknown := m["inexopay.client.outcome_unknown"].(metricdata.Sum[int64]).DataPoints
	require.Len(t, unknown, 1)
	assert.Equal(t, int64(1), unknown[0].Value)
	e, _ := unknown[0].Attributes.Value(otelinexopay.KeyEndpoint)
	assert.Equal(t, "PAN.Request", e.AsString())
}

func TestWithoutPropagation(t *testing.T) {
	rec := newRecorders(t)
	srv := inexopaytest.NewServer()
	defer srv.Close()
	hl := &headerLog{}
	client := srv.Client(inexopay.WithHTTPClient(&http.Client{Transport: hl}),
		otelinexopay.Option(rec.settings(otelinexopay.WithPropagators(propagation.TraceContext{}), otelinexopay.WithoutPropagation())...))
	_, err := client.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{""}, hl.seen)
	assert.Len(t, rec.spans.Ended(), 2, "spans are still recorded")
}

// TestOptionBesideObserver checks that a hand-written Observer and the
// option are both told.
func TestOptionBesideObserver(t *testing.T) {
	rec := newRecorders(t)
	srv := inexopaytest.NewServer()
	defer srv.Close()
	var calls int
	client := srv.Client(inexopay.WithObserver(inexopay.Observer{Call: func(context.Context, inexopay.CallInfo) { calls++ }}),
		otelinexopay.Option(rec.settings()...))
	_, err := client.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	assert.Len(t, rec.spans.Ended(), 2)
}

// The secrets of the calls below, as the echo server sees them.
const (
	secKey       = "ik+live/5Qz=8Wm2Rt7Yp3Kx9"
	secAadhaar   = "234567890124"
	secOTP       = "583914"
	secPAN       = "BQKPM4821R"
	secRequestID = "ADHRVFR19052420260531_1e2d274"
)

// echoServer answers every request with the call's secrets echoed in every
// spelling secrettest knows: in the JSON message and status, in headers,
// and in an HTML error page; the answer's kind goes round with each
// request.
func echoServer(t *testing.T) *httptest.Server {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var echoes []string
		for _, s := range []string{secKey, secAadhaar, secOTP, secPAN, secRequestID, r.Header.Get("X-Api-Key")} {
			if s != "" {
				echoes = append(echoes, secrettest.Spellings(s)...)
			}
		}
		for _, vs := range r.Form {
			echoes = append(echoes, vs...)
		}
		text := strings.Join(echoes, " | ")
		mu.Lock()
		n++
		kind := n % 4
		mu.Unlock()
		w.Header().Set("X-Echo", url.QueryEscape(text))
		w.Header().Set("Retry-After", "0")
		switch kind {
		case 0:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<h1>Bad gateway</h1><p>" + text + "</p>"))
		case 1:
			msg, _ := json.Marshal("invalid value " + text)
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"status_code":400,"status":%s,"message":%s}`, msg, msg)
		case 2:
			msg, _ := json.Marshal(text)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = fmt.Fprintf(w, `{"status_code":429,"status":"FAILED","message":%s}`, msg)
		default:
			msg, _ := json.Marshal(text)
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"status_code":200,"status":"SUCCESS","message":%s,"data":{"request_id":%s,"remark":%s,"status":"SUCCESS","agent_id":"INX00001","api_status":"ACTIVE","api_balance":"10.00"}}`, msg, msg, msg)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestNoSecretInTelemetry makes calls that carry an API key, an Aadhaar
// number, an OTP, a request id and a PAN to a server that echoes them in
// every spelling, and searches every span name, attribute, event, link
// and status, and every metric's attributes, for any of them.
func TestNoSecretInTelemetry(t *testing.T) {
	rec := newRecorders(t)
	srv := echoServer(t)
	find := secrettest.NewFinder("api key", secKey, "aadhaar", secAadhaar, "otp", secOTP, "pan", secPAN, "request id", secRequestID)
	opts := []inexopay.Option{inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(2, time.Millisecond, time.Millisecond),
		otelinexopay.Option(rec.settings(otelinexopay.WithPropagators(propagation.TraceContext{}))...)}
	for _, auth := range []inexopay.Authenticator{inexopay.BodyAuth(secKey, "merchant01"), inexopay.HeaderAuth(secKey, "merchant01")} {
		client, err := inexopay.NewClient(auth, opts...)
		require.NoError(t, err)
		ctx := context.Background()
		for range 4 { // every kind of answer for each call
			_, _ = client.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: secAadhaar})
			_, _ = client.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "KYC-1", RequestID: secRequestID, OTP: secOTP, AadhaarNumber: secAadhaar})
			_, _ = client.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{
				ShopName: "Kumar Stores", Name: "Binod Kumar", Email: "binodk@example.com",
				Mobile: "7091919185", DateOfBirth: "1990-04-01", Address: "Main Road",
				StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: secPAN,
			})
			_, _ = client.Account.Status(ctx)
			// Refused before sending: the bad value must not show either.
			_, _ = client.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "KYC-1", AadhaarNumber: secAadhaar + "9"})
		}
	}
	// The server does echo them, and the finder sees them in the raw answer.
	client, err := inexopay.NewClient(inexopay.BodyAuth(secKey, "merchant01"), opts...)
	require.NoError(t, err)
	var info inexopay.ResponseInfo
	_, _ = client.Aadhaar.VerifyOTP(context.Background(), &inexopay.VerifyOTPParams{OrderID: "KYC-1", RequestID: secRequestID,
		OTP: secOTP, AadhaarNumber: secAadhaar}, inexopay.WithResponseInfo(&info))
	require.NotEmpty(t, info.Body)
	assert.Subset(t, find.Find(string(info.Body)), []string{"api key", "aadhaar", "otp", "request id"})

	spans := rec.spans.Ended()
	require.NotEmpty(t, spans)
	var texts []string
	kv := func(attrs []attribute.KeyValue) {
		for _, a := range attrs {
			texts = append(texts, string(a.Key), a.Value.String())
		}
	}
	for _, s := range spans {
		texts = append(texts, s.Name(), s.Status().Description)
		kv(s.Attributes())
		for _, e := range s.Events() {
			texts = append(texts, e.Name)
			kv(e.Attributes)
		}
		for _, l := range s.Links() {
			kv(l.Attributes)
		}
		kv(s.Resource().Attributes())
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, rec.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			texts = append(texts, m.Name, m.Description, m.Unit)
			switch d := m.Data.(type) {
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					kv(dp.Attributes.ToSlice())
				}
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					kv(dp.Attributes.ToSlice())
				}
			default:
				t.Errorf("metric %s of unexpected type %T", m.Name, m.Data)
			}
		}
	}
	seenOutcomes := map[string]bool{}
	for _, s := range spans {
		if v, ok := attrs(s)[otelinexopay.KeyOutcome]; ok {
			seenOutcomes[v.AsString()] = true
		}
	}
	assert.Equal(t, map[string]bool{"success": true, "refused": true, "unknown": true}, seenOutcomes, "every kind of end was met")
	for _, txt := range texts {
		assert.Empty(t, find.Find(txt), "a secret in %q", txt)
	}
}
