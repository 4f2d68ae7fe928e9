// Package otelinexopay records OpenTelemetry traces and metrics of the calls
// an [inexopay.Client] makes and of the webhooks an [inexopay.WebhookHandler]
// answers, in one option:
//
//	client, err := inexopay.NewClient(auth, otelinexopay.Option())
//
// Each call gets a client span named after its method ("inexopay
// PAN.Request") with a child span per attempt ("POST"); each call is
// measured in a duration histogram, and its attempts and unknown outcomes
// are counted. Every attribute comes from a small fixed set of values (the
// endpoint, the outcome, the error class, HTTP status codes, the host): no
// parameter, credential, answer text or error message is recorded, so no
// API key, Aadhaar number, OTP or PAN can reach a span or a metric.
//
// See docs/opentelemetry.md for every attribute and instrument.
package otelinexopay

import (
	"context"
	"strings"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/inexopay/inexopay-go/otelinexopay"

// The SDK's own attribute keys; the HTTP ones follow the OpenTelemetry
// semantic conventions (http.request.method, server.address, server.port,
// http.response.status_code, http.request.resend_count, error.type).
const (
	// KeyEndpoint is the call's method, such as "PAN.Request".
	KeyEndpoint = attribute.Key("inexopay.endpoint")
	// KeyCharging says whether the call creates or charges something.
	KeyCharging = attribute.Key("inexopay.charging")
	// KeyAttempts is the number of attempts of a call.
	KeyAttempts = attribute.Key("inexopay.attempts")
	// KeyAttempt is the number of an attempt, from 1.
	KeyAttempt = attribute.Key("inexopay.attempt")
	// KeyOutcome is "success", "refused" or "unknown" ([inexopay.Outcome]).
	KeyOutcome = attribute.Key("inexopay.outcome")
	// KeyErrorClass is the error's class ([inexopay.Observer] lists them).
	KeyErrorClass = attribute.Key("inexopay.error_class")
	// KeyWebhookResult is how a webhook delivery was dealt with
	// ([inexopay.WebhookResult]).
	KeyWebhookResult = attribute.Key("inexopay.webhook.result")
	// KeyWebhookDuplicate says the delivery was of an event already handled.
	KeyWebhookDuplicate = attribute.Key("inexopay.webhook.duplicate")
	// KeyWebhookCallbackType is the event's callback type, or "other".
	KeyWebhookCallbackType = attribute.Key("inexopay.webhook.callback_type")
	// KeyWebhookStatus is the event's status, or "other".
	KeyWebhookStatus = attribute.Key("inexopay.webhook.status")
	// KeyWebhookRefusal is why a delivery was refused.
	KeyWebhookRefusal = attribute.Key("inexopay.webhook.refusal_reason")
)

const (
	keyMethod       = attribute.Key("http.request.method")
	keyServerAddr   = attribute.Key("server.address")
	keyServerPort   = attribute.Key("server.port")
	keyStatusCode   = attribute.Key("http.response.status_code")
	keyResendCount  = attribute.Key("http.request.resend_count")
	keyErrorType    = attribute.Key("error.type")
	webhookSpanName = "inexopay webhook"
	attemptSpanName = "POST"
)

// Setting configures [Option] and [WebhookOption].
type Setting func(*config)

type config struct {
	tp        trace.TracerProvider
	mp        metric.MeterProvider
	prop      propagation.TextMapPropagator
	propagate bool
}

// WithTracerProvider sets where spans go; a nil tp, or no such setting,
// means the global provider (otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Setting {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets where metrics go; a nil mp, or no such setting,
// means the global provider (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Setting {
	return func(c *config) { c.mp = mp }
}

// WithPropagators sets how the trace context is written into each
// attempt's request headers; a nil p, or no such setting, means the global
// propagator (otel.GetTextMapPropagator, which writes nothing until one is
// set, as with otelhttp).
func WithPropagators(p propagation.TextMapPropagator) Setting {
	return func(c *config) { c.prop = p }
}

// WithoutPropagation keeps the trace context out of the requests sent to
// INEXOPAY: spans are still recorded, but the API's servers are not told
// the trace and span ids.
func WithoutPropagation() Setting {
	return func(c *config) { c.propagate = false }
}

func newConfig(settings []Setting) config {
	c := config{propagate: true}
	for _, s := range settings {
		if s != nil {
			s(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	if c.prop == nil {
		c.prop = otel.GetTextMapPropagator()
	}
	return c
}

// ctxKey marks the span of one observer in a context; each observer has
// keys of its own, so that two of them on one client keep their spans
// apart.
type ctxKey struct{ name string }

// attrCache hands out the attribute set of each combination of values,
// built once: recording a measurement then allocates nothing.
type attrCache struct {
	mu   sync.RWMutex
	sets map[[2]string]metric.MeasurementOption
	make func(a, b string) attribute.Set
}

func newAttrCache(mk func(a, b string) attribute.Set) *attrCache {
	return &attrCache{sets: map[[2]string]metric.MeasurementOption{}, make: mk}
}

func (c *attrCache) get(a, b string) metric.MeasurementOption {
	k := [2]string{a, b}
	c.mu.RLock()
	o, ok := c.sets[k]
	c.mu.RUnlock()
	if ok {
		return o
	}
	o = metric.WithAttributeSet(c.make(a, b))
	c.mu.Lock()
	c.sets[k] = o
	c.mu.Unlock()
	return o
}

// nameCache hands out the span name of each endpoint, built once.
type nameCache struct {
	mu    sync.RWMutex
	names map[string]string
}

func (c *nameCache) get(e string) string {
	c.mu.RLock()
	n, ok := c.names[e]
	c.mu.RUnlock()
	if ok {
		return n
	}
	n = "inexopay " + e
	c.mu.Lock()
	c.names[e] = n
	c.mu.Unlock()
	return n
}

// spanFrom returns the span stored under key in ctx, if any.
func spanFrom(ctx context.Context, key *ctxKey) (trace.Span, bool) {
	s, ok := ctx.Value(key).(trace.Span)
	return s, ok
}

// firstPart keeps the text before the first ": " of a refusal reason: a
// reason such as "reading body: <net error>" is then one of a fixed set.
func firstPart(s string) string {
	if i := strings.Index(s, ": "); i >= 0 {
		return s[:i]
	}
	return s
}
