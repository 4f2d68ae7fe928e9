package inexopay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
		"orderid=A1&datetime=yesterday",
		"orderid=A1&remark=%zz",
		"orderid=%",
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
		"application/json":                                 http.StatusUnsupportedMediaType,
		"multipart/form-data; boundary=x":                  http.StatusUnsupportedMediaType,
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
	logs := &relSyncBuffer{}
	h := WebhookHandler(func(context.Context, *WebhookEvent) error { calls.Add(1); return nil },
		WithWebhookToken(token), WithWebhookLogger(relDebugLogger(logs)))
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

// Whatever url.ParseQuery refuses is refused: a ";" separator anywhere,
// malformed percent-encoding in any name or value.
func TestParseWebhookRefusesWhatParseQueryRefuses(t *testing.T) {
	for _, body := range []string{
		"orderid=A;orderid=B",
		"orderid=A&remark=x;y",
		"orderid=A&unknown=1;2",
		"orderid=A&bad%zz=1",
		"orderid=A&unknown=%g1",
		"orderid=A&unknown=%",
		"orderid=A&remark=%zz",
	} {
		_, qerr := url.ParseQuery(body)
		require.Error(t, qerr, "url.ParseQuery refuses %q", body)
		_, err := ParseWebhook(relWebhookRequest(http.MethodPost, "/", body))
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
