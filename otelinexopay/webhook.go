package otelinexopay

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/inexopay/inexopay-go"
)

// WebhookOption returns an [inexopay.WebhookOption] for
// [inexopay.WebhookHandler] that records a server span ("inexopay
// webhook") per delivery, the parent of the callback's own spans, and
// counts deliveries by result. The span holds the result, the HTTP status
// answered, the event's callback type and status (each "other" when not
// one INEXOPAY documents), whether it was a duplicate, and a refusal's
// reason: never the order id, the remark, the token or the body. The
// propagation settings do not apply: INEXOPAY sends no trace context.
func WebhookOption(settings ...Setting) inexopay.WebhookOption {
	c := newConfig(settings)
	o := &webhookObserver{
		tracer:  c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(inexopay.Version)),
		spanKey: &ctxKey{"webhook"},
		byResult: newAttrCache(func(result, _ string) attribute.Set {
			return attribute.NewSet(KeyWebhookResult.String(result))
		}),
	}
	m := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(inexopay.Version))
	var err error
	if o.deliveries, err = m.Int64Counter("inexopay.webhook.deliveries", metric.WithUnit("{delivery}"),
		metric.WithDescription("Webhook deliveries answered, by result.")); err != nil {
		otel.Handle(err)
	}
	return inexopay.WithWebhookObserver(inexopay.WebhookObserver{Start: o.start, Done: o.done})
}

// serverSpan starts a span of kind server.
var serverSpan = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}

type webhookObserver struct {
	tracer     trace.Tracer
	spanKey    *ctxKey
	deliveries metric.Int64Counter
	byResult   *attrCache
}

func (o *webhookObserver) start(ctx context.Context) context.Context {
	ctx, span := o.tracer.Start(ctx, webhookSpanName, serverSpan...)
	return context.WithValue(ctx, o.spanKey, span)
}

func (o *webhookObserver) done(ctx context.Context, d inexopay.WebhookDelivery) {
	if span, ok := spanFrom(ctx, o.spanKey); ok {
		if span.IsRecording() {
			attrs := []attribute.KeyValue{
				KeyWebhookResult.String(string(d.Result)),
				KeyWebhookDuplicate.Bool(d.Result == inexopay.WebhookDuplicate),
			}
			if d.HTTPStatus != 0 {
				attrs = append(attrs, keyStatusCode.Int(d.HTTPStatus))
			}
			if d.Result != inexopay.WebhookRefused {
				attrs = append(attrs, KeyWebhookCallbackType.String(knownCallbackType(d.CallbackType)),
					KeyWebhookStatus.String(knownStatus(d.Status)))
			} else if d.Reason != "" {
				attrs = append(attrs, KeyWebhookRefusal.String(firstPart(d.Reason)))
			}
			switch d.Result {
			case inexopay.WebhookFailed, inexopay.WebhookStoreFailed, inexopay.WebhookAborted:
				attrs = append(attrs, keyErrorType.String(string(d.Result)))
				span.SetStatus(codes.Error, string(d.Result))
			}
			span.SetAttributes(attrs...)
		}
		span.End()
	}
	if o.deliveries != nil {
		o.deliveries.Add(ctx, 1, o.byResult.get(string(d.Result), ""))
	}
}

// knownCallbackType returns t when INEXOPAY documents it, else "other": the
// payload is unsigned, and anyone who knows the URL could put any text in.
func knownCallbackType(t inexopay.CallbackType) string {
	switch t {
	case inexopay.CallbackGlobal, inexopay.CallbackPerTransaction:
		return string(t)
	case "":
		return "none"
	}
	return "other"
}

// knownStatus returns s when the API documents it, else "other".
func knownStatus(s inexopay.Status) string {
	switch s {
	case inexopay.StatusPending, inexopay.StatusSuccess, inexopay.StatusFailed, inexopay.StatusRefund:
		return string(s)
	}
	return "other"
}
