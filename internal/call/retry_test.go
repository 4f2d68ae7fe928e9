package call

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
)

func TestBackoffHonoursAndClampsRetryAfter(t *testing.T) {
	resp := func(status int, ra string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		if ra != "" {
			r.Header.Set("Retry-After", ra)
		}
		return r
	}
	minW, maxW := time.Millisecond, 20*time.Millisecond
	assert.Equal(t, maxW, backoff(minW, maxW, 0, resp(429, "1")), "1 s clamped to the max wait")
	assert.Equal(t, maxW, backoff(minW, maxW, 0, resp(503, "86400")))
	assert.Equal(t, 2*time.Second, backoff(time.Millisecond, time.Minute, 0, resp(429, "2")), "honoured below the max")
	assert.Equal(t, minW, backoff(minW, maxW, 0, resp(429, "0")), "never below the min wait")
	date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	assert.Equal(t, maxW, backoff(minW, maxW, 0, resp(503, date)), "HTTP-date form")
	for attempt := 0; attempt < 40; attempt++ {
		for range 20 {
			d := backoff(4*time.Millisecond, time.Second, attempt, resp(429, "soon"))
			ceil := time.Second
			if attempt < 8 {
				ceil = 4 * time.Millisecond << attempt
			}
			assert.GreaterOrEqual(t, d, ceil/2, "attempt %d", attempt)
			assert.LessOrEqual(t, d, ceil, "attempt %d", attempt)
		}
	}
	assert.Equal(t, time.Duration(0), backoff(0, 0, 3, nil))
}

func TestBackoffHasJitter(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[backoff(time.Millisecond, time.Second, 5, nil)] = true
	}
	assert.Greater(t, len(seen), 1, "waits are randomised")
}

func TestBackoffGrowsFromZeroMinWait(t *testing.T) {
	for attempt, ceil := range []time.Duration{0, 0, 0} {
		assert.Equal(t, ceil, backoff(0, time.Second, attempt, nil), "attempt %d: 0 << n is 0", attempt)
	}
	for attempt := 0; attempt < 5; attempt++ {
		d := backoff(time.Millisecond, time.Second, attempt, nil)
		ceil := time.Millisecond << attempt
		assert.GreaterOrEqual(t, d, ceil/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, ceil, "attempt %d", attempt)
	}
}

// The SDK must not run retryablehttp's defaults: its policy retries POSTs
// and its logger writes every request to stderr. One retry layer serves
// every call of a Client.
func TestRetryablehttpDefaultsReplaced(t *testing.T) {
	s := NewSender(Config{Transport: http.DefaultTransport, MaxBody: 1 << 20})
	assert.Nil(t, s.rc.Logger, "no logging without a logger")
	assert.NotNil(t, s.rc.CheckRetry)
	assert.NotNil(t, s.rc.Backoff)
	assert.NotNil(t, s.rc.ErrorHandler)
	assert.IsType(t, attempter{}, s.rc.HTTPClient.Transport, "every attempt passes through the call")

	// The policy itself follows what the attempt decided: a charging call
	// with a 503 is not retried, even though
	// retryablehttp.DefaultRetryPolicy would retry it.
	var out wire.PANApplication
	cl := &call{e: endpoints.PANRequest, charging: true, maxRetries: 3, out: &out}
	cl.attempts, cl.answerErr = 1, &apierr.APIError{HTTPStatus: 503, Code: 503}
	resp := &http.Response{StatusCode: 503, Body: cl.answerMark()}
	retry, err := checkRetry(context.Background(), resp, nil)
	assert.NoError(t, err)
	assert.False(t, retry)
	// Nor after a failure that may have reached the API.
	retry, _ = checkRetry(context.Background(), nil, cl.failure(io.ErrUnexpectedEOF))
	assert.False(t, retry)
	cl.unsent = true
	retry, _ = checkRetry(context.Background(), nil, cl.failure(io.ErrUnexpectedEOF))
	assert.True(t, retry, "an attempt that provably sent nothing may be retried")
	cl.attempts = 4
	retry, _ = checkRetry(context.Background(), nil, cl.failure(io.ErrUnexpectedEOF))
	assert.False(t, retry, "not past the call's retry limit")
	// A read-only call is retried after a 503.
	ro := &call{e: endpoints.AccountStatus, maxRetries: 3, out: &wire.AccountStatus{}}
	ro.attempts, ro.answerErr = 1, &apierr.APIError{HTTPStatus: 503, Code: 503}
	retry, _ = checkRetry(context.Background(), &http.Response{StatusCode: 503, Body: ro.answerMark()}, nil)
	assert.True(t, retry)
}
