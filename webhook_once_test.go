package inexopay

// Exactly-once tests driven by a real HTTP sender that behaves like
// INEXOPAY: a short client timeout, and up to 10 retries with exponential
// backoff on any non-2xx answer or no answer. Each test ends with the event
// handled exactly once and the sender satisfied.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newHookSender returns a sender that posts webhooks as INEXOPAY does
// (testkit.WebhookSender), with the INEXOPAY source header.
func newHookSender(t *testing.T, timeout time.Duration) *testkit.WebhookSender {
	s := testkit.NewWebhookSender(t, timeout)
	s.Header.Set("X-Callback-Source", WebhookSource)
	return s
}

func countCode(codes []int, code int) int { return testkit.Delivery{Codes: codes}.Count(code) }

// A callback that panics once: the panic is recovered (500, logged without
// the secrets it carried) and the retry is handled.
func TestWebhookOncePanicOnce(t *testing.T) {
	logs := &relSyncBuffer{}
	var calls, handled atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error {
		if calls.Add(1) == 1 {
			panic("cannot credit customer " + relAadhaar + " with key " + relAPIKey)
		}
		handled.Add(1)
		return nil
	}, WithWebhookDedup(nil), WithWebhookLogger(relDebugLogger(logs)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	sender := newHookSender(t, 2*time.Second)

	res := sender.Send(srv.URL+"/hook", relDocWebhook)
	assert.True(t, res.Delivered, "answers %v", res.Codes)
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK}, res.Codes)
	// A late copy of the same change.
	res = sender.Send(srv.URL+"/hook", relDocWebhook)
	assert.Equal(t, []int{http.StatusOK}, res.Codes)

	assert.Equal(t, int64(1), handled.Load(), "handled exactly once")
	assert.Equal(t, int64(2), calls.Load())
	out := logs.String()
	assert.Contains(t, out, "panicked")
	assert.Contains(t, out, `"order_id":"ORD12345"`)
	for _, secret := range []string{relAadhaar, relAPIKey, "cannot credit"} {
		assert.NotContains(t, out, secret, "the panic's value is not logged")
	}
}

// A callback that runs longer than the sender's timeout and then fails: the
// copies that arrive meanwhile are answered non-2xx, so the sender keeps
// retrying, and a retry after the failure is handled. The callback is not
// cancelled because the sender hung up.
func TestWebhookOnceSlowThenFail(t *testing.T) {
	var calls, handled atomic.Int64
	var cancelledEarly atomic.Bool
	h := WebhookHandler(func(ctx context.Context, _ *WebhookEvent) error {
		if calls.Add(1) == 1 {
			time.Sleep(400 * time.Millisecond) // the sender gives up after 100 ms
			if ctx.Err() != nil {
				cancelledEarly.Store(true)
			}
			return errors.New("ledger unavailable")
		}
		handled.Add(1)
		return nil
	}, WithWebhookDedup(nil))
	srv := httptest.NewServer(h)
	defer srv.Close()

	res := newHookSender(t, 100*time.Millisecond).Send(srv.URL+"/hook", relDocWebhook)
	assert.True(t, res.Delivered, "answers %v", res.Codes)
	assert.Equal(t, 0, res.Codes[0], "the first attempt timed out")
	assert.Equal(t, int64(1), handled.Load(), "handled exactly once; answers %v", res.Codes)
	assert.Equal(t, int64(2), calls.Load())
	assert.False(t, cancelledEarly.Load(), "the callback's context outlives the sender's patience")
}

// 50 copies of one change arrive while the first delivery's callback runs
// and then fails: none of them is told 2xx before the change is handled.
func TestWebhookOnceConcurrentCopiesWhileFirstFails(t *testing.T) {
	const copies = 50
	firstRunning := make(chan struct{})
	copiesAnswered := make(chan struct{})
	var calls, handled atomic.Int64
	h := WebhookHandler(func(context.Context, *WebhookEvent) error {
		if calls.Add(1) == 1 {
			close(firstRunning)
			select {
			case <-copiesAnswered:
			case <-time.After(10 * time.Second):
			}
			return errors.New("first delivery fails")
		}
		handled.Add(1)
		return nil
	}, WithWebhookDedup(nil))
	srv := httptest.NewServer(h)
	defer srv.Close()

	var wg sync.WaitGroup
	results := make([]testkit.Delivery, copies+1)
	wg.Go(func() { results[copies] = newHookSender(t, 20*time.Second).Send(srv.URL+"/hook", relDocWebhook) })
	<-firstRunning

	var firstAnswers sync.WaitGroup
	var firstMu sync.Mutex
	var firstCodes []int
	firstAnswers.Add(copies)
	sender := newHookSender(t, 20*time.Second)
	sender.First = func(code int) {
		firstMu.Lock()
		firstCodes = append(firstCodes, code)
		firstMu.Unlock()
		firstAnswers.Done()
	}
	for i := range copies {
		wg.Go(func() { results[i] = sender.Send(srv.URL+"/hook", relDocWebhook) })
	}
	firstAnswers.Wait()
	close(copiesAnswered)
	wg.Wait()

	for i, r := range results {
		assert.True(t, r.Delivered, "delivery %d: answers %v", i, r.Codes)
	}
	assert.Equal(t, copies, countCode(firstCodes, http.StatusServiceUnavailable), "every copy was told to come back: %v", firstCodes)
	assert.Equal(t, http.StatusInternalServerError, results[copies].Codes[0])
	assert.Equal(t, int64(1), handled.Load(), "handled exactly once")
	assert.Equal(t, int64(2), calls.Load())
	require.Len(t, results, copies+1)
}
