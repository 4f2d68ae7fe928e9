package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

type oOddStore struct {
	res inexopay.ClaimResult
	err error
}

func (s oOddStore) Claim(context.Context, string, string, time.Duration) (inexopay.ClaimResult, error) {
	return s.res, s.err
}
func (oOddStore) Complete(context.Context, string, string) error { return nil }
func (oOddStore) Release(context.Context, string, string) error  { return nil }

// A store that fails (an error, whatever result comes with it) or answers
// something that is not a ClaimResult: never 2xx, so the event is not lost.
func TestOutsideWebhookOddStoreAnswers(t *testing.T) {
	cases := []oOddStore{
		{inexopay.ClaimDone, errors.New("db")},
		{inexopay.ClaimAcquired, errors.New("db")},
		{inexopay.ClaimBusy, errors.New("db")},
		{0, nil},
		{99, nil},
		{-1, nil},
		{0, context.DeadlineExceeded},
	}
	for _, st := range cases {
		var n atomic.Int32
		h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			n.Add(1)
			return nil
		}, inexopay.WithWebhookDedup(st))
		w := outsidePost(h, outsideForm("ORDS", "success", "2024-05-01 10:00:00"))
		tag := fmt.Sprintf("res=%d err=%v", st.res, st.err)
		if w.Code/100 == 2 && n.Load() == 0 {
			t.Errorf("FINDING: %s: answered %d without running the callback (event lost)", tag, w.Code)
		}
		if st.err != nil && (w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "") {
			t.Errorf("%s: code %d, Retry-After %q", tag, w.Code, w.Header().Get("Retry-After"))
		}
	}
}

// The same instant spelled differently in datetime: at most one callback
// among the copies the handler accepts.
func TestOutsideWebhookDatetimeSpellings(t *testing.T) {
	var n atomic.Int32
	h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		n.Add(1)
		return nil
	}, inexopay.WithWebhookDedup(nil))
	var accepted []string
	for _, dt := range []string{"2024-05-01 10:00:00", "2024-05-01T10:00:00", "2024-05-01 10:00:00.000", "2024-05-01T04:30:00Z",
		"2024-05-01T10:00:00+05:30", "2024-05-01 10:00", "01-05-2024 10:00:00", " 2024-05-01 10:00:00 ", "2024-05-01  10:00:00"} {
		w := outsidePost(h, outsideForm("ORDT", "success", dt))
		if w.Code == 200 {
			accepted = append(accepted, dt)
		}
	}
	if int(n.Load()) != 1 {
		t.Errorf("FINDING: one change (same instant) ran the callback %d times; accepted spellings %q", n.Load(), accepted)
	}
}

// The webhook token: refused when wrong, repeated or absent.
func TestOutsideWebhookTokenVariants(t *testing.T) {
	h := inexopay.WebhookHandler(nil, inexopay.WithWebhookToken("s3cret"))
	for _, q := range []string{"", "?token=S3CRET", "?token=wrong&token=s3cret", "?Token=s3cret", "?token=s3cret%00", "?token=+s3cret"} {
		r := httptestRequest("/hook"+q, "orderid=A&status=success")
		w := doHandler(h, r)
		if w.Code == 200 {
			t.Errorf("token %q accepted", q)
		}
		if strings.Contains(w.Body.String(), "s3cret") {
			t.Errorf("token echoed")
		}
	}
	if w := doHandler(h, httptestRequest("/hook?token=s3cret", "orderid=A&status=success")); w.Code != 200 {
		t.Errorf("right token refused: %d", w.Code)
	}
}

func httptestRequest(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func doHandler(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Memory store: a stale holder's Release or Complete after another took the
// expired claim over: Release must not drop the new claim.
func TestOutsideMemoryStoreStaleHolder(t *testing.T) {
	st := inexopay.NewMemoryDedupStore(0, 0)
	ctx := context.Background()
	k := "v1:" + strings.Repeat("ab", 32)
	a, b, c := strings.Repeat("a", 32), strings.Repeat("b", 32), strings.Repeat("c", 32)
	if r, err := st.Claim(ctx, k, a, 50*time.Millisecond); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal(r, err)
	}
	time.Sleep(80 * time.Millisecond)
	if r, err := st.Claim(ctx, k, b, time.Minute); err != nil || r != inexopay.ClaimAcquired {
		t.Fatal("takeover", r, err)
	}
	_ = st.Release(ctx, k, a)
	if r, err := st.Claim(ctx, k, c, time.Minute); err != nil || r != inexopay.ClaimBusy {
		t.Errorf("FINDING: stale release dropped the live claim: %v %v", r, err)
	}
	_ = st.Complete(ctx, k, a)
	if r, _ := st.Claim(ctx, k, c, time.Minute); r != inexopay.ClaimDone {
		t.Errorf("late complete by the stale holder: %v (documented: Complete succeeds after the lease)", r)
	}
}
