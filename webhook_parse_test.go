package inexopay

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The API document's own sample, spaces before every & included.
const docWebhookVerbatim = "orderid=ORD12345 &order_id=ORD12345 &status=success &remark=Transaction+Successful &datetime=2026-06-03+15:30:00 &callback_type=global_webhook"

func TestParseWebhookDocumentSampleVerbatim(t *testing.T) {
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", docWebhookVerbatim))
	require.NoError(t, err)
	assert.Equal(t, "ORD12345", ev.OrderID)
	assert.Equal(t, StatusSuccess, ev.Status)
	assert.Equal(t, "Transaction Successful", ev.Remark, "every value is trimmed")
	assert.Equal(t, CallbackGlobal, ev.CallbackType)
	assert.Equal(t, "2026-06-03 10:00:00", ev.DateTime.UTC().Format("2006-01-02 15:04:05"))

	ev, err = ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A&remark=+%20spaced%20+&callback_type=per_transaction+"))
	require.NoError(t, err)
	assert.Equal(t, "spaced", ev.Remark)
	assert.Equal(t, CallbackPerTransaction, ev.CallbackType)
}

// A media type is parsed, not matched by prefix.
func TestParseWebhookMediaType(t *testing.T) {
	for ct, want := range map[string]int{
		"application/x-www-form-urlencodedEVIL":            http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded-evil":           http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded/json":           http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded;;":              http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded ; charset=utf8": http.StatusOK,
		"APPLICATION/X-WWW-FORM-URLENCODED":                http.StatusOK,
	} {
		r := relWebhookRequest(http.MethodPost, "/", relDocWebhook)
		r.Header.Set("Content-Type", ct)
		_, err := ParseWebhook(r)
		if want == http.StatusOK {
			assert.NoError(t, err, ct)
			continue
		}
		var we *WebhookError
		if assert.ErrorAs(t, err, &we, ct) {
			assert.Equal(t, want, we.HTTPStatus, ct)
		}
	}
}

// What url.ParseQuery refuses is refused only in the order id, which
// keys the event; elsewhere a ";" is an ordinary character and a malformed
// escape keeps the value as received, with a warning.
func TestParseWebhookRefusesWhatParseQueryRefuses(t *testing.T) {
	for body, refused := range map[string]bool{
		"orderid=A;orderid=B":   true,
		"orderid=A%zz":          true,
		"order_id=A%":           true,
		"orderid=A&remark=x;y":  false,
		"orderid=A&unknown=1;2": false,
		"orderid=A&bad%zz=1":    false,
		"orderid=A&unknown=%g1": false,
		"orderid=A&unknown=%":   false,
		"orderid=A&remark=%zz":  false,
	} {
		_, qerr := url.ParseQuery(body)
		require.Error(t, qerr, "url.ParseQuery refuses %q", body)
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		if !refused {
			require.NoError(t, err, body)
			assert.Equal(t, "A", ev.OrderID, body)
			continue
		}
		var we *WebhookError
		if assert.ErrorAs(t, err, &we, body) {
			assert.Equal(t, http.StatusBadRequest, we.HTTPStatus, body)
		}
	}
}

// Field names are decoded as url.ParseQuery decodes them, so the rules
// against repeated or disagreeing fields cannot be dodged.
func TestParseWebhookDecodesFieldNames(t *testing.T) {
	for _, body := range []string{
		"orderid=A&order%69d=B",
		"orderid=A&order%5Fid=B",
		"order%5Fid=A&order_id=B",
		"orderid=A&status=success&%73tatus=failed",
	} {
		q, err := url.ParseQuery(body)
		require.NoError(t, err, body)
		ids := append(q["orderid"], q["order_id"]...)
		require.True(t, len(ids) == 2 || len(q["status"]) == 2, "net/url sees two values in %q", body)
		_, err = ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		var we *WebhookError
		if assert.ErrorAs(t, err, &we, body) {
			assert.Equal(t, http.StatusBadRequest, we.HTTPStatus, body)
		}
	}
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "order%5Fid=X%2F1&%73tatus=success"))
	require.NoError(t, err)
	assert.Equal(t, "X/1", ev.OrderID)
	assert.Equal(t, StatusSuccess, ev.Status)
}

// Order ids beyond 256 bytes are refused before any store sees them.
func TestParseWebhookOrderIDLength(t *testing.T) {
	ok := strings.Repeat("A", 256)
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid="+ok))
	require.NoError(t, err)
	assert.Equal(t, ok, ev.OrderID)

	calls := 0
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { calls++; return nil }, WithWebhookDedup(nil))
	for _, body := range []string{
		"orderid=" + ok + "B",
		"order_id=" + strings.Repeat("x", 60<<10),
		"orderid=" + strings.Repeat("%41", 257),
	} {
		_, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		var we *WebhookError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, http.StatusBadRequest, we.HTTPStatus)
		assert.Equal(t, http.StatusBadRequest, relServe(h, relWebhookRequest(http.MethodPost, "/", body)).Code)
	}
	assert.Zero(t, calls)
}

func TestWebhookRepeatedFields(t *testing.T) {
	for body, wantErr := range map[string]bool{
		"orderid=A&orderid=B&order_id=B":                               true,
		"orderid=A&status=success&status=failed":                       true,
		"orderid=A&orderid=A&order_id=A&status=success&status=success": false,
	} {
		req, _ := http.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ev, err := ParseWebhook(req)
		if wantErr {
			var we *WebhookError
			require.ErrorAs(t, err, &we, body)
			assert.Equal(t, http.StatusBadRequest, we.HTTPStatus)
			assert.Nil(t, ev)
		} else {
			require.NoError(t, err, body)
			assert.Equal(t, "A", ev.OrderID)
		}
	}
}
