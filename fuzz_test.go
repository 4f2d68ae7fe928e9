package inexopay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ and run in every
// `go test`; run a target for longer with, for example,
//
//	go test -run '^$' -fuzz '^FuzzDecodeAnswer$' -fuzztime 5m -parallel 1 .

// relWireFor returns a fresh answer value of the wire type of e.
func relWireFor(e Endpoint) wire.Headed {
	switch e {
	case EndpointAccountStatus:
		return &wire.AccountStatus{}
	case EndpointAccountBalance:
		return &wire.Balance{}
	case EndpointOnboardAgent:
		return &wire.Agent{}
	case EndpointOpenAccount:
		return &wire.AccountOpening{}
	case EndpointBankAccountStatus, EndpointBankAccountDetails:
		return &wire.BankAccountAnswer{}
	case EndpointIncompleteAccountURL:
		return &wire.IncompleteAccount{}
	case EndpointGenerateQR:
		return &wire.WalletQR{}
	case EndpointPaymentStatus:
		return &wire.WalletPayment{}
	case EndpointPANRequest, EndpointPANResume:
		return &panAnswer{} // JSON, or an HTML form (panform.go)
	case EndpointPANStatus:
		return &wire.PANStatus{}
	case EndpointSendOTP:
		return &wire.AadhaarOTP{}
	case EndpointVerifyOTP:
		return &wire.AadhaarVerification{}
	}
	panic("unknown endpoint " + string(e))
}

// relSentinels are the sentinels an *APIError can match.
var relSentinels = []error{ErrBadRequest, ErrUnauthorized, ErrInsufficientBalance, ErrForbidden, ErrNotFound,
	ErrMethodNotAllowed, ErrRateLimited, ErrServer}

// relFixedTransport answers every request with one canned answer.
type relFixedTransport struct {
	status      int
	contentType string
	body        []byte
}

func (t relFixedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	h := http.Header{}
	if t.contentType != "" {
		h.Set("Content-Type", t.contentType)
	}
	return &http.Response{StatusCode: t.status, Header: h, Request: r,
		Body: io.NopCloser(bytes.NewReader(t.body)), ContentLength: int64(len(t.body))}, nil
}

// relCheckAmount fails when a decoded amount does not survive a round trip
// through its text form, read as an answer's amount (any int64 of paise:
// ParseAmount takes only what a person may ask for).
func relCheckAmount(t *testing.T, what string, a Amount) {
	t.Helper()
	var back Amount
	err := back.UnmarshalJSON([]byte(a.String()))
	if a < 0 || a > MaxAmount {
		// Outside what ParseAmount takes, UnmarshalJSON refuses it too.
		if err == nil || back != 0 {
			t.Fatalf("%s %d read back from %q: %d, %v", what, int64(a), a.String(), back, err)
		}
		return
	}
	if err != nil || back != a {
		t.Fatalf("%s %d does not round-trip through %q: %d, %v", what, int64(a), a.String(), back, err)
	}
}

// relCheckStatus fails when a decoded status is not normalised.
func relCheckStatus(t *testing.T, what string, s Status) {
	t.Helper()
	if ParseStatus(string(s)) != s {
		t.Fatalf("%s %q is not normalised", what, s)
	}
}

// relCheckResult checks the values of a successful call.
func relCheckResult(t *testing.T, e Endpoint, res any) {
	t.Helper()
	switch r := res.(type) {
	case *AccountStatus:
		relCheckAmount(t, "balance", r.Balance)
	case *Balance:
		relCheckAmount(t, "balance", r.Amount)
	case *AccountOpening:
		if r.RedirectURL == "" {
			t.Fatal("account opening without its redirect URL")
		}
	case *BankAccount:
		_ = fmt.Sprint(r)
	case *IncompleteAccount:
		relCheckStatus(t, "status", r.Status)
	case *WalletQR:
		relCheckAmount(t, "amount", r.Amount)
		relCheckStatus(t, "status", r.Status)
	case *WalletPayment:
		relCheckAmount(t, "amount", r.Amount)
		relCheckAmount(t, "new balance", r.NewBalance)
		relCheckStatus(t, "status", r.Status)
	case *PANStatus:
		relCheckAmount(t, "amount", r.Amount)
		relCheckStatus(t, "status", r.Status)
	case *AadhaarOTP:
		relCheckStatus(t, "status", Status(r.Status))
		if n := len(r.AadhaarLast4); n != 0 && n != 4 {
			t.Fatalf("AadhaarLast4 %q is not 4 characters", r.AadhaarLast4)
		}
	case *AadhaarVerification:
		relCheckStatus(t, "status", Status(r.Status))
	case *Agent, *PANApplication:
	default:
		t.Fatalf("%s: unexpected result type %T", e, res)
	}
}

func FuzzDecodeAnswer(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 599 {
			status = 100 + int(uint(status)%500)
		}
		ok2xx := status >= 200 && status <= 299

		// decodeAnswer itself, into every wire type.
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}}
		for e := range endpoints {
			out := relWireFor(e)
			ae := answer.Decode(e, resp, body, out, wire.Asked{}, nil)
			if ae == nil {
				if !ok2xx {
					t.Fatalf("%s: HTTP %d decoded as a success", e, status)
				}
				if out.Head().Failed() {
					t.Fatalf("%s: a failed envelope decoded as a success", e)
				}
				continue
			}
			if ae.HTTPStatus != status || ae.Endpoint != e || ae.Error() == "" {
				t.Fatalf("%s: malformed error %#v", e, ae)
			}
			matched := 0
			for _, s := range relSentinels {
				if errors.Is(ae, s) {
					matched++
				}
			}
			if matched != 1 {
				t.Fatalf("%s: %q matches %d sentinels", e, ae.Error(), matched)
			}
		}

		// Every public call, with the answer coming from the network.
		logs := &secrettest.LogBuffer{}
		c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL("https://api.example"),
			WithHTTPClient(&http.Client{Transport: relFixedTransport{status, contentType, body}}),
			WithRetry(0, 0, 0), WithLogger(secrettest.DebugLogger(logs)))
		if err != nil {
			t.Fatal(err)
		}
		for _, rc := range relCalls() {
			res, err := rc.call(context.Background(), c)
			isNil := res == nil || reflect.ValueOf(res).IsNil()
			if err == nil {
				if isNil {
					t.Fatalf("%s: no error and no result", rc.e)
				}
				if !ok2xx {
					t.Fatalf("%s: HTTP %d returned a result", rc.e, status)
				}
				relCheckResult(t, rc.e, res)
				continue
			}
			if !isNil {
				t.Fatalf("%s: a result with the error %v", rc.e, err)
			}
			var ae *APIError
			var ou *OutcomeUnknownError
			if !errors.As(err, &ae) && !errors.As(err, &ou) {
				t.Fatalf("%s: untyped error %T %v", rc.e, err, err)
			}
			if errors.Is(err, ErrOutcomeUnknown) && !endpoints[rc.e].Charging {
				t.Fatalf("%s: a read-only call with an unknown outcome", rc.e)
			}
			msg := err.Error()
			if strings.Contains(msg, relAPIKey) || strings.Contains(msg, relAadhaar) || strings.Contains(msg, relOTP) {
				t.Fatalf("%s: a secret in the error %q", rc.e, msg)
			}
		}
		if strings.Contains(logs.String(), relAPIKey) {
			t.Fatal("the API key in the log")
		}
	})
}

// relWebhookFields re-encodes an event the way INEXOPAY would send it.
func relWebhookFields(ev *WebhookEvent) string {
	v := url.Values{}
	v.Set("orderid", ev.OrderID)
	v.Set("status", string(ev.Status))
	v.Set("remark", ev.Remark)
	v.Set("callback_type", string(ev.CallbackType))
	if !ev.DateTime.IsZero() {
		v.Set("datetime", ev.DateTime.Format(time.RFC3339Nano))
	}
	return v.Encode()
}

func FuzzParseWebhook(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := http.NewRequest(http.MethodPost, "https://merchant.example/hook", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Callback-Source", WebhookSource)
		ev, err := ParseWebhook(r)
		if err != nil {
			var we *WebhookError
			if !errors.As(err, &we) || (we.HTTPStatus != http.StatusBadRequest && we.HTTPStatus != http.StatusRequestEntityTooLarge) {
				t.Fatalf("unexpected error %T %v", err, err)
			}
			return
		}
		if ev.OrderID == "" || strings.TrimSpace(ev.OrderID) != ev.OrderID {
			t.Fatalf("order id %q", ev.OrderID)
		}
		if ev.Source != WebhookSource {
			t.Fatalf("source %q", ev.Source)
		}
		relCheckStatus(t, "status", ev.Status)

		again := relWebhookFields(ev)
		r2, _ := http.NewRequest(http.MethodPost, "https://merchant.example/hook", strings.NewReader(again))
		r2.Header.Set("X-Callback-Source", WebhookSource)
		ev2, err := ParseWebhook(r2)
		if err != nil {
			t.Fatalf("re-encoded event %q does not parse: %v", again, err)
		}
		if !ev.DateTime.Equal(ev2.DateTime) {
			t.Fatalf("datetime %v became %v", ev.DateTime, ev2.DateTime)
		}
		ev2.DateTime = ev.DateTime
		// What was received as such (every field, the raw datetime, the
		// warnings) differs by construction; the event's meaning must not.
		ev.Fields, ev2.Fields, ev.Warnings, ev2.Warnings = nil, nil, nil, nil
		ev.RawDateTime, ev2.RawDateTime = "", ""
		if !reflect.DeepEqual(ev, ev2) {
			t.Fatalf("event %#v became %#v via %q", ev, ev2, again)
		}

		// The handler answers every body without panicking, 200 or a refusal.
		h := WebhookHandler(func(context.Context, *WebhookEvent) error { return nil }, WithWebhookDedup(nil))
		r3, _ := http.NewRequest(http.MethodPost, "https://merchant.example/hook", bytes.NewReader(body))
		w := &relRecorder{header: http.Header{}}
		h.ServeHTTP(w, r3)
		if w.status != http.StatusOK {
			t.Fatalf("handler answered %d to a body ParseWebhook accepts", w.status)
		}
	})
}

// relRecorder is a minimal ResponseWriter for the fuzz loop.
type relRecorder struct {
	header http.Header
	status int
}

func (r *relRecorder) Header() http.Header         { return r.header }
func (r *relRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (r *relRecorder) WriteHeader(status int)      { r.status = status }

func FuzzParseAmount(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if a, err := ParseAmount(s); err == nil {
			relCheckAmount(t, "parsed "+s, a)
			if back, err := ParseAmount(a.FormValue()); err != nil || back != a {
				t.Fatalf("FormValue %q of %d: %d, %v", a.FormValue(), int64(a), back, err)
			}
			js, _ := a.MarshalJSON()
			var b Amount
			if err := b.UnmarshalJSON(js); err != nil || b != a {
				t.Fatalf("JSON %s of %d: %d, %v", js, int64(a), b, err)
			}
			if a.Rupees()*100+a.Paise()%100 != a.Paise() {
				t.Fatalf("rupees and paise of %d", int64(a))
			}
		}
		// Every amount from 0 to MaxAmount prints and decodes back (with
		// ParseAmount and UnmarshalJSON); any other is refused by both.
		if n != math.MinInt64 {
			relCheckAmount(t, "int64", Amount(n))
		}
		if a := Amount(n); a >= 0 && a <= MaxAmount {
			if back, err := ParseAmount(a.String()); err != nil || back != a {
				t.Fatalf("ParseAmount(%q): %d, %v", a.String(), back, err)
			}
		}
	})
}
