package otelinexopay_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/otelinexopay"
)

const webhookToken = "wh-tok-9f3Kq2Lm8Zp1"

func postWebhook(t *testing.T, h http.Handler, target, body string) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestWebhookOptionSpans(t *testing.T) {
	rec := newRecorders(t)
	var inCallback []trace.SpanContext
	fail := true
	h := inexopay.WebhookHandler(func(ctx context.Context, _ *inexopay.WebhookEvent) error {
		inCallback = append(inCallback, trace.SpanContextFromContext(ctx))
		if fail {
			fail = false
			return errors.New("database down")
		}
		return nil
	}, inexopay.WithWebhookToken(webhookToken), inexopay.WithWebhookDedup(nil), otelinexopay.WebhookOption(rec.settings()...))
	good := "/hook?token=" + webhookToken
	body := "orderid=ORD-" + secAadhaar + "&status=success&remark=" + secOTP + "&datetime=2026-06-03+15:30:00&callback_type=global_webhook"
	assert.Equal(t, 500, postWebhook(t, h, good, body))
	assert.Equal(t, 200, postWebhook(t, h, good, body))
	assert.Equal(t, 200, postWebhook(t, h, good, body))
	assert.Equal(t, 401, postWebhook(t, h, "/hook?token="+secKey, body))
	assert.Equal(t, 200, postWebhook(t, h, good, strings.Replace(body, "status=success", "status=On+Hold+"+secPAN, 1)))

	spans := rec.spans.Ended()
	require.Len(t, spans, 5)
	type row struct {
		result, callbackType, status, refusal string
		code                                  int64
		duplicate                             bool
		statusCode                            codes.Code
	}
	var got []row
	for _, s := range spans {
		assert.Equal(t, "inexopay webhook", s.Name())
		assert.Equal(t, trace.SpanKindServer, s.SpanKind())
		a := attrs(s)
		got = append(got, row{a[otelinexopay.KeyWebhookResult].AsString(), a[otelinexopay.KeyWebhookCallbackType].AsString(),
			a[otelinexopay.KeyWebhookStatus].AsString(), a[otelinexopay.KeyWebhookRefusal].AsString(),
			a["http.response.status_code"].AsInt64(), a[otelinexopay.KeyWebhookDuplicate].AsBool(), s.Status().Code})
	}
	assert.Equal(t, []row{
		{"failed", "global_webhook", "success", "", 500, false, codes.Error},
		{"handled", "global_webhook", "success", "", 200, false, codes.Unset},
		{"duplicate", "global_webhook", "success", "", 200, true, codes.Unset},
		{"refused", "", "", "missing or wrong token", 401, false, codes.Unset},
		{"handled", "global_webhook", "other", "", 200, false, codes.Unset},
	}, got)
	require.Len(t, inCallback, 3)
	assert.Equal(t, spans[0].SpanContext().SpanID(), inCallback[0].SpanID(), "the callback runs under the delivery's span")

	// Nothing of the order id, remark, token or odd status is recorded.
	find := secrettest.NewFinder("aadhaar", secAadhaar, "otp", secOTP, "api key", secKey, "pan", secPAN, "token", webhookToken)
	for _, s := range spans {
		assert.Empty(t, find.Find(s.Name()+" "+s.Status().Description))
		for _, kv := range s.Attributes() {
			assert.Empty(t, find.Find(kv.Value.String()), "%s", kv.Key)
			assert.NotContains(t, kv.Value.String(), "ORD-")
		}
	}

	m := rec.metrics(t)
	counts := map[string]int64{}
	for _, dp := range m["inexopay.webhook.deliveries"].(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value(otelinexopay.KeyWebhookResult)
		counts[v.AsString()] += dp.Value
		assert.Equal(t, []attribute.KeyValue{otelinexopay.KeyWebhookResult.String(v.AsString())}, dp.Attributes.ToSlice())
	}
	assert.Equal(t, map[string]int64{"failed": 1, "handled": 2, "duplicate": 1, "refused": 1}, counts)
}
