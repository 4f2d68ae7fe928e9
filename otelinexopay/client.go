package otelinexopay

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/inexopay/inexopay-go"
)

// durationBuckets are the call-duration histogram's bucket bounds, in
// seconds: those of the HTTP semantic conventions, and 30 and 60 for slow
// charging calls.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60}

// clientSpan starts a span of kind client: made once, since an option
// made per span is an allocation.
var clientSpan = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}

// Option returns an [inexopay.Option] for [inexopay.NewClient] that traces
// and meters every call the client makes (see the package documentation).
// It combines with [inexopay.WithObserver]: both are told. An instrument
// the meter cannot create is reported to otel.Handle and left out; the
// client still works.
func Option(settings ...Setting) inexopay.Option {
	return inexopay.WithObserver(newClientObserver(newConfig(settings)).observer())
}

// clientObserver turns an inexopay.Observer's events into spans and
// measurements.
type clientObserver struct {
	tracer     trace.Tracer
	prop       propagation.TextMapPropagator
	propagate  bool
	callKey    *ctxKey
	attemptKey *ctxKey

	duration       metric.Float64Histogram
	attempts       metric.Int64Counter
	outcomeUnknown metric.Int64Counter
	// byOutcome: endpoint and outcome; byClass: endpoint and error class.
	byOutcome *attrCache
	byClass   *attrCache
	spanNames *nameCache
}

func newClientObserver(c config) *clientObserver {
	o := &clientObserver{
		tracer:     c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(inexopay.Version)),
		prop:       c.prop,
		propagate:  c.propagate,
		callKey:    &ctxKey{"call"},
		spanNames:  &nameCache{names: map[string]string{}},
		attemptKey: &ctxKey{"attempt"},
		byOutcome: newAttrCache(func(e, outcome string) attribute.Set {
			return attribute.NewSet(KeyEndpoint.String(e), KeyOutcome.String(outcome))
		}),
		byClass: newAttrCache(func(e, class string) attribute.Set {
			if class == "" {
				return attribute.NewSet(KeyEndpoint.String(e))
			}
			return attribute.NewSet(KeyEndpoint.String(e), keyErrorType.String(class))
		}),
	}
	m := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(inexopay.Version))
	var err error
	if o.duration, err = m.Float64Histogram("inexopay.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of INEXOPAY API calls, retries included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		otel.Handle(err)
	}
	if o.attempts, err = m.Int64Counter("inexopay.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts sent to the INEXOPAY API, by endpoint and error type.")); err != nil {
		otel.Handle(err)
	}
	if o.outcomeUnknown, err = m.Int64Counter("inexopay.client.outcome_unknown", metric.WithUnit("{call}"),
		metric.WithDescription("Charging calls whose outcome is unknown: reconcile them with a status call.")); err != nil {
		otel.Handle(err)
	}
	return o
}

func (o *clientObserver) observer() inexopay.Observer {
	return inexopay.Observer{CallStart: o.callStart, AttemptStart: o.attemptStart, Attempt: o.attempt, Call: o.call}
}

func (o *clientObserver) callStart(ctx context.Context, c inexopay.CallStartInfo) context.Context {
	ctx, span := o.tracer.Start(ctx, o.spanNames.get(string(c.Endpoint)), clientSpan...)
	if span.IsRecording() {
		span.SetAttributes(
			keyMethod.String(http.MethodPost),
			keyServerAddr.String(c.ServerAddress),
			keyServerPort.Int(c.ServerPort),
			KeyEndpoint.String(string(c.Endpoint)),
			KeyCharging.Bool(c.Charging),
		)
		return context.WithValue(ctx, o.callKey, span)
	}
	// A span that records nothing needs no End.
	return ctx
}

func (o *clientObserver) attemptStart(ctx context.Context, a inexopay.AttemptStartInfo, h http.Header) context.Context {
	ctx, span := o.tracer.Start(ctx, attemptSpanName, clientSpan...)
	if span.IsRecording() {
		attrs := []attribute.KeyValue{
			keyMethod.String(http.MethodPost),
			KeyEndpoint.String(string(a.Endpoint)),
			KeyAttempt.Int(a.Attempt),
		}
		if a.Attempt > 1 {
			attrs = append(attrs, keyResendCount.Int(a.Attempt-1))
		}
		span.SetAttributes(attrs...)
		ctx = context.WithValue(ctx, o.attemptKey, span)
	}
	if o.propagate {
		o.prop.Inject(ctx, propagation.HeaderCarrier(h))
	}
	return ctx
}

func (o *clientObserver) attempt(ctx context.Context, a inexopay.AttemptInfo) {
	if span, ok := spanFrom(ctx, o.attemptKey); ok {
		if span.IsRecording() {
			var buf [3]attribute.KeyValue
			endSpan(span, buf[:0], a.HTTPStatus, a.Class)
		}
		span.End()
	}
	if o.attempts != nil {
		o.attempts.Add(ctx, 1, o.byClass.get(string(a.Endpoint), a.Class))
	}
}

func (o *clientObserver) call(ctx context.Context, c inexopay.CallInfo) {
	if span, ok := spanFrom(ctx, o.callKey); ok {
		if span.IsRecording() {
			var buf [5]attribute.KeyValue
			endSpan(span, append(buf[:0], KeyAttempts.Int(c.Attempts), KeyOutcome.String(string(c.Outcome))), c.HTTPStatus, c.Class)
		}
		span.End()
	}
	e := string(c.Endpoint)
	if o.duration != nil {
		o.duration.Record(ctx, c.Duration.Seconds(), o.byOutcome.get(e, string(c.Outcome)))
	}
	if c.Outcome == inexopay.OutcomeUnknown && o.outcomeUnknown != nil {
		o.outcomeUnknown.Add(ctx, 1, o.byClass.get(e, ""))
	}
}

// endSpan records attrs, the HTTP status and, on failure, the error class
// and an Error status whose description is the class: never an error's
// text.
func endSpan(span trace.Span, attrs []attribute.KeyValue, status int, class string) {
	if status != 0 {
		attrs = append(attrs, keyStatusCode.Int(status))
	}
	if class != "" {
		attrs = append(attrs, keyErrorType.String(class), KeyErrorClass.String(class))
		span.SetStatus(codes.Error, class)
	}
	span.SetAttributes(attrs...)
}
