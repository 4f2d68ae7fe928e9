package inexopay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// relDocWebhook is the payload of the API document.
const relDocWebhook = "orderid=ORD12345&order_id=ORD12345&status=success&remark=Transaction+Successful&datetime=2026-06-03+15:30:00&callback_type=global_webhook"

func relWebhookRequest(method, target, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Callback-Source", WebhookSource)
	return r
}

func relServe(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestParseWebhookDocumentedPayload(t *testing.T) {
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/hook", relDocWebhook))
	require.NoError(t, err)
	assert.Equal(t, "ORD12345", ev.OrderID)
	assert.Equal(t, StatusSuccess, ev.Status)
	assert.Equal(t, "Transaction Successful", ev.Remark)
	assert.Equal(t, CallbackGlobal, ev.CallbackType)
	assert.Equal(t, WebhookSource, ev.Source)
	assert.Equal(t, time.Date(2026, 6, 3, 10, 0, 0, 0, time.UTC), ev.DateTime.UTC(), "datetime is IST")
	_, offset := ev.DateTime.Zone()
	assert.Equal(t, 5*3600+1800, offset)
}

func TestParseWebhookOrderIDRules(t *testing.T) {
	ok := map[string]string{
		"orderid=A1&status=failed":                   "A1",
		"order_id=B2&status=refund":                  "B2",
		"orderid=C3&order_id=C3":                     "C3",
		"orderid=+D4+&order_id=D4":                   "D4",
		"status=pending&order_id=E%2F5&remark=x%26y": "E/5",
		// An empty order id names no order: its twin keys the event.
		"orderid=F6&order_id=&status=success": "F6",
		"order_id=&orderid=G7&status=success": "G7",
		"orderid=&orderid=H8&status=success":  "H8",
		"orderid=I9&orderid=+&status=success": "I9",
	}
	for body, want := range ok {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		require.NoError(t, err, body)
		assert.Equal(t, want, ev.OrderID, body)
	}
	bad := []string{
		"",
		"status=success",
		"orderid=&order_id=",
		"orderid=A1&order_id=A2",
		"orderid=%",
		"orderid=A%zz",
		"orderid=A;orderid=B",
	}
	for _, body := range bad {
		_, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		var we *WebhookError
		require.ErrorAs(t, err, &we, body)
		assert.Equal(t, http.StatusBadRequest, we.HTTPStatus, body)
		assert.ErrorIs(t, err, ErrInvalidWebhook)
		w := relServe(WebhookHandler(func(context.Context, *WebhookEvent) error {
			t.Errorf("callback called for %q", body)
			return nil
		}), relWebhookRequest(http.MethodPost, "/", body))
		assert.Equal(t, http.StatusBadRequest, w.Code, body)
	}
}

func TestParseWebhookStatusNormalised(t *testing.T) {
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A&status=SUCCESS"))
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, ev.Status)
	assert.True(t, ev.Status.Final())
}

func TestWebhookMethodMustBePost(t *testing.T) {
	called := false
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { called = true; return nil })
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodHead, http.MethodDelete, http.MethodPatch} {
		w := relServe(h, relWebhookRequest(m, "/", relDocWebhook))
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code, m)
		assert.Equal(t, http.MethodPost, w.Header().Get("Allow"), m)
		_, err := ParseWebhook(relWebhookRequest(m, "/", relDocWebhook))
		var we *WebhookError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, http.StatusMethodNotAllowed, we.HTTPStatus)
	}
	assert.False(t, called)
}

func TestWebhookBodyCap(t *testing.T) {
	pad := func(n int) string {
		body := relDocWebhook + "&x="
		return body + strings.Repeat("a", n-len(body))
	}
	var calls atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { calls.Add(1); return nil })
	w := relServe(h, relWebhookRequest(http.MethodPost, "/", pad(maxWebhookBytes)))
	assert.Equal(t, http.StatusOK, w.Code, "exactly 64 KiB is accepted")
	w = relServe(h, relWebhookRequest(http.MethodPost, "/", pad(maxWebhookBytes+1)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Equal(t, int64(1), calls.Load())
	assert.Equal(t, 64<<10, maxWebhookBytes)
}

func TestWebhookContentType(t *testing.T) {
	for ct, want := range map[string]int{
		"application/x-www-form-urlencoded":                http.StatusOK,
		"application/x-www-form-urlencoded; charset=UTF-8": http.StatusOK,
		"Application/X-WWW-Form-Urlencoded":                http.StatusOK,
		"":                                                 http.StatusOK,
		"application/json":                                 http.StatusBadRequest, // read as JSON: not an object
		"multipart/form-data; boundary=x":                  http.StatusBadRequest, // read as multipart: no part
		"multipart/form-data":                              http.StatusUnsupportedMediaType,
		"text/plain":                                       http.StatusUnsupportedMediaType,
	} {
		r := relWebhookRequest(http.MethodPost, "/", relDocWebhook)
		r.Header.Set("Content-Type", ct)
		if ct == "" {
			r.Header.Del("Content-Type")
		}
		w := relServe(WebhookHandler(nil), r)
		assert.Equal(t, want, w.Code, ct)
	}
}

func TestWebhookHandlerAnswersByCallbackResult(t *testing.T) {
	var got *WebhookEvent
	h := WebhookHandler(func(_ context.Context, ev *WebhookEvent) error { got = ev; return nil })
	w := relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	assert.Equal(t, http.StatusOK, w.Code)
	require.NotNil(t, got)
	assert.Equal(t, "ORD12345", got.OrderID)

	h = WebhookHandler(func(context.Context, *WebhookEvent) error { return errors.New("database down") })
	w = relServe(h, relWebhookRequest(http.MethodPost, "/", relDocWebhook))
	assert.Equal(t, http.StatusInternalServerError, w.Code, "a failed callback makes INEXOPAY retry")
}

func TestWebhookURL(t *testing.T) {
	u, err := WebhookURL("https://merchant.example/hooks/inexopay?src=pan", "t0k+en/=&x")
	require.NoError(t, err)
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	assert.Equal(t, "merchant.example", parsed.Host)
	assert.Equal(t, "/hooks/inexopay", parsed.Path)
	assert.Equal(t, "pan", parsed.Query().Get("src"))
	assert.Equal(t, "t0k+en/=&x", parsed.Query().Get("token"))

	for _, tc := range []struct{ base, token string }{
		{"merchant.example/hook", "tok"},
		{"/hook", "tok"},
		{"ftp://merchant.example/hook", "tok"},
		{"https://merchant.example/hook", ""},
		{"https://%zz", "tok"},
	} {
		_, err := WebhookURL(tc.base, tc.token)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, tc.base)
	}
}

func TestWebhookTokenRequired(t *testing.T) {
	const token = "s3cr3t-Token_42"
	var calls atomic.Int64
	logs := &secrettest.LogBuffer{}
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { calls.Add(1); return nil },
		WithWebhookToken(token), WithWebhookLogger(secrettest.DebugLogger(logs)))
	good, err := WebhookURL("https://merchant.example/hook", token)
	require.NoError(t, err)
	u, _ := url.Parse(good)

	w := relServe(h, relWebhookRequest(http.MethodPost, u.RequestURI(), relDocWebhook))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, int64(1), calls.Load())

	for _, target := range []string{"/hook", "/hook?token=", "/hook?token=s3cr3t-Token_4", "/hook?token=" + token + "x", "/hook?TOKEN=" + token} {
		w := relServe(h, relWebhookRequest(http.MethodPost, target, relDocWebhook))
		assert.Equal(t, http.StatusUnauthorized, w.Code, target)
	}
	assert.Equal(t, int64(1), calls.Load(), "the callback never runs without the token")
	assert.Contains(t, logs.String(), `"msg":"inexopay webhook refused"`)
	assert.Contains(t, logs.String(), `"http_status":401`)
	assert.NotContains(t, logs.String(), token, "the token is not logged")
}

func TestWebhookAllowedIPs(t *testing.T) {
	var calls atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { calls.Add(1); return nil },
		WithWebhookAllowedIPs(netip.MustParsePrefix("203.0.113.0/24")),
		WithWebhookAllowedIPs(netip.MustParsePrefix("2001:db8::/32")))
	for remote, want := range map[string]int{
		"203.0.113.7:4431":        http.StatusOK,
		"203.0.113.255:1":         http.StatusOK,
		"[::ffff:203.0.113.7]:80": http.StatusOK,
		"[2001:db8::1]:443":       http.StatusOK,
		"203.0.113.7":             http.StatusOK,
		"198.51.100.1:4431":       http.StatusForbidden,
		"203.0.114.1:4431":        http.StatusForbidden,
		"[2001:db9::1]:443":       http.StatusForbidden,
		"garbage":                 http.StatusForbidden,
		"":                        http.StatusForbidden,
	} {
		r := relWebhookRequest(http.MethodPost, "/", relDocWebhook)
		r.RemoteAddr = remote
		calls.Store(0)
		w := relServe(h, r)
		assert.Equal(t, want, w.Code, remote)
		if want == http.StatusOK {
			assert.Equal(t, int64(1), calls.Load(), remote)
		} else {
			assert.Equal(t, int64(0), calls.Load(), remote)
		}
	}
}

func TestWebhookChecksCombined(t *testing.T) {
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { return nil },
		WithWebhookAllowedIPs(netip.MustParsePrefix("203.0.113.0/24")), WithWebhookToken("tok"))
	r := relWebhookRequest(http.MethodPost, "/?token=tok", relDocWebhook)
	r.RemoteAddr = "198.51.100.1:1"
	assert.Equal(t, http.StatusForbidden, relServe(h, r).Code, "a foreign address is refused even with the token")
	r = relWebhookRequest(http.MethodPost, "/?token=bad", relDocWebhook)
	r.RemoteAddr = "203.0.113.1:1"
	assert.Equal(t, http.StatusUnauthorized, relServe(h, r).Code)
	r = relWebhookRequest(http.MethodPost, "/?token=tok", relDocWebhook)
	r.RemoteAddr = "203.0.113.1:1"
	assert.Equal(t, http.StatusOK, relServe(h, r).Code)
}

func TestWebhookDuplicatesFiltered(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	fail := true
	h := WebhookHandler(func(_ context.Context, ev *WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, ev.OrderID+"/"+string(ev.Status))
		if ev.OrderID == "FAILS" && fail {
			fail = false
			return errors.New("temporary failure")
		}
		return nil
	}, WithWebhookDedup(nil))

	post := func(body string) int {
		return relServe(h, relWebhookRequest(http.MethodPost, "/", body)).Code
	}
	// INEXOPAY retries one change up to 10 times.
	for i := 0; i < 10; i++ {
		assert.Equal(t, http.StatusOK, post(relDocWebhook))
	}
	assert.Equal(t, []string{"ORD12345/success"}, seen)

	// Another status or time of the same order is a new change.
	assert.Equal(t, http.StatusOK, post("orderid=ORD12345&status=refund&datetime=2026-06-04+09:00:00"))
	assert.Equal(t, http.StatusOK, post("orderid=ORD12345&status=refund&datetime=2026-06-04+09:00:01"))
	assert.Equal(t, http.StatusOK, post("orderid=ORD12345&status=refund&datetime=2026-06-04+09:00:01"))
	assert.Len(t, seen, 3)

	// A failed callback is forgotten, so INEXOPAY's retry is handled.
	assert.Equal(t, http.StatusInternalServerError, post("orderid=FAILS&status=success"))
	assert.Equal(t, http.StatusOK, post("orderid=FAILS&status=success"))
	assert.Equal(t, http.StatusOK, post("orderid=FAILS&status=success"))
	assert.Equal(t, []string{"ORD12345/success", "ORD12345/refund", "ORD12345/refund", "FAILS/success", "FAILS/success"}, seen)
}

// The payload is unsigned: trust it only as a hint, protect the URL with a
// token, drop INEXOPAY's retries, and read the authoritative state with the
// status call before acting.
func ExampleWebhookHandler_confirmWithStatusCall() {
	// A stand-in for the INEXOPAY API, so that the example runs offline.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		fmt.Fprintf(w, `{"status_code":200,"status":"SUCCESS","data":{"order_id":%q,"amount":100,"status":"success","new_balance":1100}}`, r.PostForm.Get("order_id"))
	}))
	defer api.Close()
	client, err := NewClient(BodyAuth("your-api-key", "your-username"), WithBaseURL(api.URL))
	if err != nil {
		panic(err)
	}

	const token = "a-long-random-secret"
	returnURL, _ := WebhookURL("https://merchant.example/inexopay/webhook", token)
	_ = returnURL // set it as the global webhook URL in your INEXOPAY profile (never as a return_url)

	handler := WebhookHandler(func(ctx context.Context, ev *WebhookEvent) error {
		// Never credit on the webhook alone: ask the API.
		p, err := client.Wallet.PaymentStatus(ctx, ev.OrderID)
		if err != nil {
			return err // 500: INEXOPAY retries later
		}
		fmt.Printf("webhook says %s, API says %s: credit %s rupees\n", ev.Status, p.Status, p.Amount)
		return nil
	}, WithWebhookToken(token), WithWebhookDedup(NewMemoryDedupStore(24*time.Hour, 0)))

	body := "orderid=WAL1234567890123&order_id=WAL1234567890123&status=success&datetime=2026-06-03+15:30:00&callback_type=per_transaction"
	for i := 0; i < 2; i++ { // the second delivery is a retry, filtered out
		r := httptest.NewRequest(http.MethodPost, "/inexopay/webhook?token="+token, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	// Output:
	// webhook says success, API says success: credit 100.00 rupees
	// 200
	// 200
}

// ---- Parsing webhook bodies ----

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
		"application/x-www-form-urlencoded;;":              http.StatusOK, // unreadable parameters: still a form
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

// A datetime the SDK cannot read does not refuse the event: the raw text
// is kept, DateTime is zero, and a warning says so.
func TestParseWebhookUnreadableDatetimeKept(t *testing.T) {
	for _, dt := range []string{"yesterday", "2026-06-31 15:30:00", "15:30 3rd June"} {
		body := "orderid=A1&status=success&datetime=" + url.QueryEscape(dt)
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		require.NoError(t, err, dt)
		assert.True(t, ev.DateTime.IsZero(), dt)
		assert.Equal(t, dt, ev.RawDateTime, dt)
		require.Len(t, ev.Warnings, 1, dt)
		assert.Contains(t, ev.Warnings[0], "datetime", dt)
	}
	// Two unreadable datetimes of one order are two changes, not one.
	var calls atomic.Int32
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { calls.Add(1); return nil }, WithWebhookDedup(nil))
	for _, body := range []string{"orderid=A1&status=success&datetime=tuesday", "orderid=A1&status=success&datetime=wednesday", "orderid=A1&status=success&datetime=wednesday"} {
		assert.Equal(t, http.StatusOK, relServe(h, relWebhookRequest(http.MethodPost, "/", body)).Code)
	}
	assert.Equal(t, int32(2), calls.Load())
}

// Common spellings of a timestamp are read, as IST, day first.
func TestParseWebhookDatetimeForms(t *testing.T) {
	want := time.Date(2026, 6, 3, 10, 0, 0, 0, time.UTC)
	for _, dt := range []string{"2026-06-03 15:30", "03-06-2026 15:30:00", "03-06-2026 15:30", "03/06/2026 15:30:00", "2026/06/03 15:30:00", "2026-06-03  15:30:00", "2026-06-03T15:30"} {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A1&datetime="+url.QueryEscape(dt)))
		require.NoError(t, err, dt)
		assert.Equal(t, want, ev.DateTime.UTC(), dt)
		assert.Empty(t, ev.Warnings, dt)
		assert.Equal(t, dt, ev.RawDateTime)
	}
}

// Every received field is reachable, unknown ones too, and printing the
// event masks what looks like a secret.
func TestParseWebhookKeepsEveryField(t *testing.T) {
	body := "orderid=A1 &status=success &utr=412345678901 &extra=one&extra=two&aadhaar_number=234567890124&token=s3cr3tT0ken&mobile=9876543210&note=100%25"
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
	require.NoError(t, err)
	assert.Equal(t, "412345678901", ev.Fields.Get("utr"))
	assert.Equal(t, []string{"one", "two"}, ev.Fields.Values("extra"))
	assert.True(t, ev.Fields.Has("extra"))
	assert.False(t, ev.Fields.Has("absent"))
	assert.Empty(t, ev.Fields.Get("absent"))
	assert.Nil(t, ev.Fields.Values("absent"))
	assert.Equal(t, []string{"orderid", "status", "utr", "extra", "aadhaar_number", "token", "mobile", "note"}, ev.Fields.Names())
	assert.Equal(t, 9, ev.Fields.Len())
	var pairs []string
	for name, value := range ev.Fields.All() {
		pairs = append(pairs, name+"="+value)
	}
	assert.Equal(t, []string{"orderid=A1", "status=success", "utr=412345678901", "extra=one", "extra=two",
		"aadhaar_number=234567890124", "token=s3cr3tT0ken", "mobile=9876543210", "note=100%"}, pairs)
	m := ev.Fields.Map()
	assert.Equal(t, []string{"one", "two"}, m["extra"])
	assert.Equal(t, []string{"s3cr3tT0ken"}, m["token"], "the map is for your code: unmasked")
	m["extra"][0] = "changed"
	assert.Equal(t, "one", ev.Fields.Get("extra"), "the map is a copy")
	assert.Equal(t, "A1", ev.Fields.Get("orderid"))
	assert.Equal(t, "100%", ev.Fields.Get("note"))
	assert.Equal(t, "234567890124", ev.Fields.Get("aadhaar_number"))
	for _, out := range []string{fmt.Sprint(ev), fmt.Sprintf("%+v", ev), fmt.Sprintf("%#v", ev), fmt.Sprintf("%v", ev.Fields), fmt.Sprintf("%#v", ev.Fields), ev.Fields.String()} {
		assert.NotContains(t, out, "234567890124", out)
		assert.NotContains(t, out, "s3cr3tT0ken", out)
		assert.NotContains(t, out, "9876543210", out)
		assert.NotContains(t, out, "412345678901", out, "a 12-digit value is masked whatever its name")
		assert.Contains(t, out, "extra", out)
	}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("hook", "ev", ev, "fields", ev.Fields)
	assert.NotContains(t, logged.String(), "234567890124")
	assert.NotContains(t, logged.String(), "s3cr3tT0ken")
	assert.Contains(t, logged.String(), "extra")
}

// A bad % escape or a ";" outside the order id does not refuse the event:
// the value is kept as received, with a warning.
func TestParseWebhookBadEscapeOutsideOrderID(t *testing.T) {
	for body, field := range map[string]string{
		"orderid=A1&unknown=%g1&status=success": "unknown",
		"orderid=A1&unknown=%&status=success":   "unknown",
		"orderid=A1&remark=50%+off":             "remark",
		"orderid=A1&remark=x;y&status=success":  "",
		"orderid=A1&bad%zz=1":                   "bad%zz",
	} {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		require.NoError(t, err, body)
		assert.Equal(t, "A1", ev.OrderID, body)
		if field != "" {
			assert.True(t, ev.Fields.Has(field), body)
			require.NotEmpty(t, ev.Warnings, body)
			if !strings.Contains(field, "%") {
				assert.Contains(t, strings.Join(ev.Warnings, ";"), field, body)
			}
		}
	}
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A1&remark=50%+off"))
	require.NoError(t, err)
	assert.Equal(t, "50%+off", ev.Remark, "kept as received")
}

// The handler logs what it accepted with a warning, without the values.
func TestWebhookHandlerLogsWarnings(t *testing.T) {
	var buf secrettest.LogBuffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	var got *WebhookEvent
	h := WebhookHandler(func(_ context.Context, ev *WebhookEvent) error { got = ev; return nil }, WithWebhookLogger(logger))
	w := relServe(h, relWebhookRequest(http.MethodPost, "/", "orderid=A1&status=success&datetime=soon"))
	assert.Equal(t, http.StatusOK, w.Code)
	require.NotNil(t, got)
	out := buf.String()
	assert.Contains(t, out, "level=WARN")
	assert.Contains(t, out, "datetime")
	assert.Contains(t, out, "order_id=A1")
}

// sendLikeINEXOPAY posts body to url as INEXOPAY does (a form body, the
// X-Callback-Source header) and retries a non-2xx answer until 1+10
// attempts were made; it returns the attempts and the last status.
func sendLikeINEXOPAY(t *testing.T, target, body string) (attempts, status int) {
	t.Helper()
	for attempts < 1+10 {
		attempts++
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Callback-Source", WebhookSource)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		if status = resp.StatusCode; status/100 == 2 {
			return attempts, status
		}
	}
	return attempts, status
}

// Webhooks as INEXOPAY sends them (spaces before "&", odd datetimes, an
// unknown field with a stray %) are taken on the first attempt; only what
// cannot be keyed or authenticated uses up the 10 retries.
func TestWebhookSenderLikeINEXOPAY(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	h := WebhookHandler(func(_ context.Context, ev *WebhookEvent) error {
		mu.Lock()
		seen[ev.OrderID]++
		mu.Unlock()
		return nil
	}, WithWebhookToken("tok-1234"), WithWebhookDedup(nil))
	srv := httptest.NewServer(h)
	defer srv.Close()
	good := srv.URL + "/hook?token=tok-1234"
	for i, body := range []string{
		"orderid=ORD1 &order_id=ORD1 &status=success &remark=Transaction+Successful &datetime=2026-06-03+15:30:00 &callback_type=global_webhook",
		"orderid=ORD2 &order_id=ORD2 &status=failed &remark=x &datetime=2026-06-03+15:30 &callback_type=global_webhook",
		"orderid=ORD3 &order_id=ORD3 &status=refund &datetime=03-06-2026+15:30:00 &callback_type=per_transaction",
		"orderid=ORD4 &status=success &datetime=not+a+time &utr=50%+done",
	} {
		attempts, status := sendLikeINEXOPAY(t, good, body)
		assert.Equal(t, 1, attempts, "event %d", i)
		assert.Equal(t, http.StatusOK, status, "event %d", i)
	}
	assert.Equal(t, map[string]int{"ORD1": 1, "ORD2": 1, "ORD3": 1, "ORD4": 1}, seen)
	for target, body := range map[string]string{
		good:                          "status=success &datetime=2026-06-03+15:30:00",
		good + "&x=1":                 "orderid=A &order_id=B &status=success",
		srv.URL + "/hook?token=wrong": "orderid=ORD5 &status=success",
		srv.URL + "/hook":             "orderid=ORD6 &status=success",
		good + "&y=%":                 "orderid=ORD%zz &status=success",
	} {
		attempts, status := sendLikeINEXOPAY(t, target, body)
		assert.Equal(t, 11, attempts, body)
		assert.Contains(t, []int{400, 401}, status, body)
	}
}

// The documented payload is parsed with one string per distinct value: an
// escaped value is decoded straight into its string, and order_id
// repeating orderid shares its string.
func TestParseWebhookAllocations(t *testing.T) {
	body := []byte(benchWebhookBody)
	rd := bytes.NewReader(body)
	req := httptest.NewRequest(http.MethodPost, "/webhook", rd)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var ev *WebhookEvent
	allocs := testing.AllocsPerRun(100, func() {
		rd.Reset(body)
		var err error
		if ev, err = ParseWebhook(req); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, "Transaction Successful", ev.Remark)
	assert.Equal(t, "ORD12345", ev.OrderID)
	assert.LessOrEqual(t, allocs, 4.0)
}

// A webhook value is decoded as url.QueryUnescape and strings.TrimSpace
// decode it; a malformed escape keeps the value as received.
func TestWebhookValueDecodingMatchesNetURL(t *testing.T) {
	for _, in := range []string{"", "plain", " a+b ", "%41%42c", "%e0%A4%A8", "100%", "%4", "%zz", "+%20+x+%0A",
		"%c2%a0x%c2%a0", "a%2Bb", "%%41", strings.Repeat("%41", 100)} {
		want, err := url.QueryUnescape(in)
		got, ok := unescapeTrim(in)
		if err != nil {
			// Kept as received, trimmed, and flagged.
			assert.False(t, ok, "%q", in)
			assert.Equal(t, strings.TrimSpace(in), got, "%q", in)
			continue
		}
		require.True(t, ok, "%q", in)
		assert.Equal(t, strings.TrimSpace(want), got, "%q", in)
	}
}

// Deliveries that differ only in how the same order id, status or instant
// is spelled can be keyed: they are accepted, with one key. Only values
// that really differ stay refused.
func TestParseWebhookKeyableSpellingsAccepted(t *testing.T) {
	for body, want := range map[string]string{
		"orderid=ORD15&status=success&status=SUCCESS":                                          "ORD15",
		"orderid=ord7&order_id=ORD7&status=success":                                            "ord7",
		"orderid=ord7&orderid=+ORD7+&status=success":                                           "ord7",
		"orderid=A22&status=success&datetime=2026-06-03+15:30:00&datetime=2026-06-03T15:30:00": "A22",
		"\ufefforderid=ORD21&status=success":                                                   "ORD21",
	} {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
		require.NoError(t, err, body)
		assert.Equal(t, want, ev.OrderID, body)
		assert.Equal(t, StatusSuccess, ev.Status, body)
	}
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "\ufefforderid=B1&status=success"))
	require.NoError(t, err)
	assert.Equal(t, []string{"orderid", "status"}, ev.Fields.Names(), "the BOM is not part of the first name")
	for _, body := range []string{
		"orderid=ORD7&order_id=ORD8",
		"orderid=A&status=success&status=failed",
		"orderid=A&status=success&datetime=2026-06-03+15:30:00&datetime=2026-06-03+15:30:01",
		"orderid=A&status=success&datetime=garbage&datetime=2026-06-03+15:30:00",
	} {
		requireWebhookRefused(t, body)
	}
}

// requireWebhookRefused requires ParseWebhook to refuse the form body with
// a 400.
func requireWebhookRefused(t *testing.T, body string) {
	t.Helper()
	_, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
	var we *WebhookError
	require.ErrorAs(t, err, &we, body)
	assert.Equal(t, http.StatusBadRequest, we.HTTPStatus, body)
}

// PHP's curl posts multipart/form-data when given an array of fields; a
// form media type with a parameter that cannot be read is still a form.
func TestParseWebhookMultipartAndLooseFormTypes(t *testing.T) {
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	require.NoError(t, w.WriteField("orderid", "MP1"))
	require.NoError(t, w.WriteField("status", "success"))
	require.NoError(t, w.WriteField("datetime", "2026-06-03 15:30:00"))
	require.NoError(t, w.WriteField("remark", "a&b=c"))
	fw, err := w.CreateFormFile("receipt", "r.txt")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("file body"))
	require.NoError(t, w.Close())

	r := relWebhookRequest(http.MethodPost, "/", mp.String())
	r.Header.Set("Content-Type", w.FormDataContentType())
	ev, err := ParseWebhook(r)
	require.NoError(t, err)
	assert.Equal(t, "MP1", ev.OrderID)
	assert.Equal(t, StatusSuccess, ev.Status)
	assert.False(t, ev.DateTime.IsZero())
	assert.Equal(t, "a&b=c", ev.Remark)
	assert.Equal(t, "a&b=c", ev.Fields.Get("remark"))
	assert.False(t, ev.Fields.Has("receipt"), "file parts are not fields")
	assert.NotEmpty(t, ev.Warnings, "an ignored file part is noted")

	for _, ct := range []string{
		"application/x-www-form-urlencoded; charset",
		"application/x-www-form-urlencoded; charset=\"utf-8",
	} {
		r := relWebhookRequest(http.MethodPost, "/", "orderid=BP1&status=success")
		r.Header.Set("Content-Type", ct)
		ev, err := ParseWebhook(r)
		require.NoError(t, err, ct)
		assert.Equal(t, "BP1", ev.OrderID, ct)
	}
	r = relWebhookRequest(http.MethodPost, "/", `{"orderid":"J1","status":"SUCCESS","amount":100.50,"meta":{"a":1}}`)
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	ev, err = ParseWebhook(r)
	require.NoError(t, err)
	assert.Equal(t, "J1", ev.OrderID)
	assert.Equal(t, StatusSuccess, ev.Status)
	assert.Equal(t, "100.50", ev.Fields.Get("amount"))
	assert.NotEmpty(t, ev.Warnings, "an object member is ignored, with a warning")

	for ct, body := range map[string]string{
		"multipart/form-data":                  mp.String(), // no boundary
		"multipart/form-data; boundary=nosuch": mp.String(),
		"application/json":                     `{"note":"x"}`,
		"application/json; charset=utf-8":      `["orderid","A"]`,
		"text/plain":                           "orderid=TP1&status=success",
	} {
		r := relWebhookRequest(http.MethodPost, "/", body)
		r.Header.Set("Content-Type", ct)
		_, err := ParseWebhook(r)
		var we *WebhookError
		require.ErrorAs(t, err, &we, ct)
	}
}

// A printed event masks Aadhaar-like and PAN-like runs in the free text
// it keeps (RawDateTime, Remark); the values themselves are kept.
func TestWebhookEventPrintsMasked(t *testing.T) {
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/",
		"orderid=A1&status=success&datetime=garbage+234567890124&remark=pan+ABCDE1234F+ok"))
	require.NoError(t, err)
	assert.Equal(t, "garbage 234567890124", ev.RawDateTime)
	assert.Equal(t, "pan ABCDE1234F ok", ev.Remark)
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("ev", "ev", ev)
	for _, p := range []string{fmt.Sprintf("%v", *ev), fmt.Sprintf("%+v", ev), fmt.Sprintf("%#v", *ev), fmt.Sprint(ev), b.String()} {
		assert.NotContains(t, p, "234567890124")
		assert.NotContains(t, p, "ABCDE1234F")
		assert.Contains(t, p, "A1")
	}
}

// TestParseWebhookUndocumentedStatus: a webhook status other than the
// documented success, failed, refund and pending is kept as sent (trimmed
// as PHP trims), never read as a documented one, and noted in Warnings.
func TestParseWebhookUndocumentedStatus(t *testing.T) {
	for raw, want := range map[string]Status{
		"successful": "successful", "Refunded": "refunded", "cancelled": "cancelled",
		"%C2%A0success": "\u00a0success", "success%E2%80%8B": "success\u200b", "%0Csuccess": "\fsuccess",
	} {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A&status="+raw))
		require.NoError(t, err, raw)
		assert.Equal(t, want, ev.Status, raw)
		assert.False(t, ev.Status.Final(), raw)
		require.Len(t, ev.Warnings, 1, raw)
		assert.Contains(t, ev.Warnings[0], "status", raw)
	}
	for _, raw := range []string{"success", "+Failed+", "REFUND", "pending", "success%00"} {
		ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A&status="+raw))
		require.NoError(t, err, raw)
		assert.Empty(t, ev.Warnings, raw)
	}
}

// TestParseWebhookJSONRepeatedFields: a JSON webhook that gives orderid,
// order_id, status or datetime twice with values that key differently is
// refused (400), as a form's is: the last value must not silently win. The
// same value twice is one; another field given twice keeps its first value
// with a warning.
func TestParseWebhookJSONRepeatedFields(t *testing.T) {
	parse := func(body string) (*WebhookEvent, error) {
		r := relWebhookRequest(http.MethodPost, "/", body)
		r.Header.Set("Content-Type", "application/json")
		return ParseWebhook(r)
	}
	for _, body := range []string{
		`{"orderid":"ORD1","orderid":"ORD2","status":"success"}`,
		`{"order_id":"ORD1","order_id":"ORD2","status":"success"}`,
		`{"orderid":"ORD1","status":"success","status":"failed"}`,
		`{"orderid":"ORD1","status":"success","datetime":"2025-01-15 10:30:00","datetime":"2025-01-15 11:30:00"}`,
	} {
		_, err := parse(body)
		var we *WebhookError
		require.ErrorAs(t, err, &we, body)
		assert.Equal(t, http.StatusBadRequest, we.HTTPStatus, body)
		assert.Contains(t, we.Reason, "is repeated with different values", body)
	}
	ev, err := parse(`{"orderid":"ORD1","orderid":"ord1","status":"success","remark":"first","remark":"second"}`)
	require.NoError(t, err)
	assert.Equal(t, "ORD1", ev.OrderID)
	assert.Equal(t, "first", ev.Remark)
	assert.NotEmpty(t, ev.Warnings)
	_, err = parse(`{"orderid":"ORD1","status":"success"} {"orderid":"ORD2"}`)
	require.Error(t, err, "a second JSON value after the object")
}

// TestParseWebhookOrderIDsCompareAsASCII: orderid and order_id (or one given
// twice) name one order only when they are the same in ASCII letters of any
// case, as the API's collation compares order ids: a long s (ſ) or a Kelvin
// sign (K) that Unicode folds to s or k names another order.
func TestParseWebhookOrderIDsCompareAsASCII(t *testing.T) {
	for _, body := range []string{
		"orderid=WAL%C5%BFK1&order_id=WALSK1&status=success",
		"orderid=WALS%E2%84%AA1&order_id=WALSK1&status=success",
		"orderid=WALS%E2%84%AA1&orderid=WALSK1&status=success",
	} {
		requireWebhookRefused(t, body)
	}
	ev, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=walsk1&order_id=WALSK1&status=success"))
	require.NoError(t, err)
	assert.Equal(t, "walsk1", ev.OrderID)
}

// TestParseWebhookEdges: a JSON body that starts with a byte order mark is
// read as one without (as a form's is); a status repeated with a no-break
// space around it (never a documented state) is another status than the
// plain one: refused; an order id with a ";" is refused however it was
// encoded (%3B, JSON); a date without a time is not read (DateTime zero,
// a warning); RFC 3339 with a lower-case t and z is read.
func TestParseWebhookEdges(t *testing.T) {
	r := relWebhookRequest(http.MethodPost, "/", "\ufeff"+`{"orderid":"A1","status":"success"}`)
	r.Header.Set("Content-Type", "application/json")
	ev, err := ParseWebhook(r)
	require.NoError(t, err)
	assert.Equal(t, "A1", ev.OrderID)

	requireWebhookRefused(t, "orderid=A1&status=success&status=success%C2%A0")
	requireWebhookRefused(t, "orderid=A1%3BB&status=success")
	r = relWebhookRequest(http.MethodPost, "/", `{"orderid":"A1;B","status":"success"}`)
	r.Header.Set("Content-Type", "application/json")
	_, err = ParseWebhook(r)
	var we *WebhookError
	require.ErrorAs(t, err, &we)

	ev, err = ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A1&status=success&datetime=2026-06-03"))
	require.NoError(t, err)
	assert.True(t, ev.DateTime.IsZero(), "a date alone is no instant")
	assert.Equal(t, "2026-06-03", ev.RawDateTime)
	assert.NotEmpty(t, ev.Warnings)

	ev, err = ParseWebhook(relWebhookRequest(http.MethodPost, "/", "orderid=A1&status=success&datetime=2026-06-03t10:00:45z"))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 6, 3, 10, 0, 45, 0, time.UTC), ev.DateTime.UTC())
}
