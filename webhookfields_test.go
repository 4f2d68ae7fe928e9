package inexopay

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fields decode a field as ParseWebhook decodes the known ones: names and
// values trimmed and unescaped, a malformed escape kept as received, blank
// pairs skipped, ";" an ordinary character, and a name without "=" an
// empty value.
func TestWebhookFieldsDecoding(t *testing.T) {
	body := " orderid = A%201 & &remark=50%+off&a+b=c+d&%61=x;y&flag&=nameless&bad%zz=%41&&"
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
	require.NoError(t, err)
	var got []string
	for name, value := range ev.Fields.All() {
		got = append(got, name+"="+value)
	}
	assert.Equal(t, []string{"orderid=A 1", "remark=50%+off", "a b=c d", "a=x;y", "flag=", "=nameless", "bad%zz=A"}, got)
	assert.Equal(t, "A 1", ev.OrderID)
	assert.Equal(t, "50%+off", ev.Remark)
	assert.Equal(t, "x;y", ev.Fields.Get("a"))
	assert.True(t, ev.Fields.Has("flag"))
	assert.Equal(t, "A", ev.Fields.Get("bad%zz"))
	// Stopping a range over All early is allowed.
	for range ev.Fields.All() {
		break
	}
}

// An event built by hand, or a nil *WebhookFields, reads as no fields and
// prints without panicking.
func TestWebhookFieldsNil(t *testing.T) {
	var f *WebhookFields
	assert.Empty(t, f.Get("orderid"))
	assert.Nil(t, f.Values("orderid"))
	assert.False(t, f.Has("orderid"))
	assert.Nil(t, f.Names())
	assert.Nil(t, f.Map())
	assert.Zero(t, f.Len())
	for range f.All() {
		t.Fatal("a nil WebhookFields has no fields")
	}
	assert.Equal(t, "map[]", f.String())
	assert.Equal(t, "map[]", fmt.Sprint(f))
	ev := &WebhookEvent{OrderID: "A1"}
	assert.Contains(t, fmt.Sprintf("%+v", ev), "A1")
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("hook", "ev", ev, "fields", f)
	assert.Contains(t, logged.String(), "A1")
}

// Printing masks field names too, and sorts them; %#v is Go syntax.
func TestWebhookFieldsPrinting(t *testing.T) {
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A1&zeta=1&otp=123456&alpha=2"))
	require.NoError(t, err)
	assert.Equal(t, "map[alpha:[2] orderid:[A1] otp:[[REDACTED]] zeta:[1]]", ev.Fields.String())
	assert.Equal(t, ev.Fields.String(), fmt.Sprintf("%v", ev.Fields))
	assert.Equal(t, `inexopay.WebhookFields{"alpha":[]string{"2"}, "orderid":[]string{"A1"}, "otp":[]string{"[REDACTED]"}, "zeta":[]string{"1"}}`, fmt.Sprintf("%#v", ev.Fields))
	assert.NotContains(t, fmt.Sprintf("%+v", *ev), "123456")
	assert.NotContains(t, fmt.Sprintf("%s", ev.Fields), "123456")
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("hook", "fields", ev.Fields)
	assert.Contains(t, logged.String(), "fields.alpha=[2] fields.orderid=[A1] fields.otp=[[REDACTED]] fields.zeta=[1]")
}

// Encoding an event as JSON (as a log line or a queue message might) keeps
// every field name and masks the values that may be secrets.
func TestWebhookFieldsJSON(t *testing.T) {
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A1&otp=123456&utr=412345678901&extra=x&extra=y"))
	require.NoError(t, err)
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	var got struct{ Fields map[string][]string }
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, []string{"x", "y"}, got.Fields["extra"])
	assert.Equal(t, []string{"A1"}, got.Fields["orderid"])
	assert.NotContains(t, string(b), "123456")
	assert.NotContains(t, string(b), "412345678901")
	b, err = json.Marshal(&WebhookEvent{OrderID: "A1"})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"Fields":null`)
}
