package inexopay

// Exactly-once tests driven by a real HTTP sender that behaves like
// INEXOPAY: a short client timeout, and up to 10 retries with exponential
// backoff on any non-2xx answer or no answer. Each test ends with the event
// handled exactly once and the sender satisfied.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hookSender posts webhooks as INEXOPAY does.
type hookSender struct {
	client *http.Client
	// first, when set, is called with the answer to the first attempt
	// (0 when there was none).
	first func(code int)
}

// sendResult is what one delivery saw, attempt by attempt.
type sendResult struct {
	codes     []int // 0: no answer (timeout or connection error)
	delivered bool
}

func newHookSender(t *testing.T, timeout time.Duration) *hookSender {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return &hookSender{client: &http.Client{Timeout: timeout, Transport: tr}}
}

// send posts body to target until a 2xx answer, at most 1+10 times, waiting
// 5 ms, 10 ms, … (at most 200 ms) between attempts.
func (s *hookSender) send(target, body string) sendResult {
	var res sendResult
	wait := 5 * time.Millisecond
	for attempt := 0; attempt <= 10; attempt++ {
		if attempt > 0 {
			time.Sleep(wait)
			wait = min(2*wait, 200*time.Millisecond)
		}
		code := s.post(target, body)
		res.codes = append(res.codes, code)
		if attempt == 0 && s.first != nil {
			s.first(code)
		}
		if code >= 200 && code <= 299 {
			res.delivered = true
			return res
		}
	}
	return res
}

func (s *hookSender) post(target, body string) int {
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", WebhookSource)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func countCode(codes []int, code int) int {
	n := 0
	for _, c := range codes {
		if c == code {
			n++
		}
	}
	return n
}

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

	res := sender.send(srv.URL+"/hook", relDocWebhook)
	assert.True(t, res.delivered, "answers %v", res.codes)
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK}, res.codes)
	// A late copy of the same change.
	res = sender.send(srv.URL+"/hook", relDocWebhook)
	assert.Equal(t, []int{http.StatusOK}, res.codes)

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

	res := newHookSender(t, 100*time.Millisecond).send(srv.URL+"/hook", relDocWebhook)
	assert.True(t, res.delivered, "answers %v", res.codes)
	assert.Equal(t, 0, res.codes[0], "the first attempt timed out")
	assert.Equal(t, int64(1), handled.Load(), "handled exactly once; answers %v", res.codes)
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
	results := make([]sendResult, copies+1)
	wg.Go(func() { results[copies] = newHookSender(t, 20*time.Second).send(srv.URL+"/hook", relDocWebhook) })
	<-firstRunning

	var firstAnswers sync.WaitGroup
	var firstMu sync.Mutex
	var firstCodes []int
	firstAnswers.Add(copies)
	sender := newHookSender(t, 20*time.Second)
	sender.first = func(code int) {
		firstMu.Lock()
		firstCodes = append(firstCodes, code)
		firstMu.Unlock()
		firstAnswers.Done()
	}
	for i := range copies {
		wg.Go(func() { results[i] = sender.send(srv.URL+"/hook", relDocWebhook) })
	}
	firstAnswers.Wait()
	close(copiesAnswered)
	wg.Wait()

	for i, r := range results {
		assert.True(t, r.delivered, "delivery %d: answers %v", i, r.codes)
	}
	assert.Equal(t, copies, countCode(firstCodes, http.StatusServiceUnavailable), "every copy was told to come back: %v", firstCodes)
	assert.Equal(t, http.StatusInternalServerError, results[copies].codes[0])
	assert.Equal(t, int64(1), handled.Load(), "handled exactly once")
	assert.Equal(t, int64(2), calls.Load())
	require.Len(t, results, copies+1)
}
