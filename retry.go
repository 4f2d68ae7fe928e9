package inexopay

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// callState travels with a request's context so that the retry policy knows
// what kind of call it decides for and can record what happened.
type callState struct {
	charging bool
	// gotConn is set (by an httptrace hook, on charging calls) once an
	// attempt had a connection to write the request on: from then on the
	// API may have received it.
	gotConn atomic.Bool
	// getConn is set when the transport started to look for a connection.
	// A transport that reports neither (not a net/http.Transport) leaves
	// both unset, and then any attempt may have reached the API.
	getConn atomic.Bool
	// answered is set when the current attempt's answer was read by the
	// response handler, and answerErr is what it found (nil: out holds the
	// decoded answer). dirty says out was decoded into before.
	answered  bool
	answerErr error
	dirty     bool
	// status is the HTTP status of the last answer, for the log line.
	status int
}

// errTemporaryAnswer tells the retry policy that the API answered, but with
// a temporary failure (a 5xx code in the body, a page that is not JSON, an
// answer cut short).
var errTemporaryAnswer = errors.New("inexopay: temporary failure in the answer")

// prepareRetry forgets the previous attempt's answer before the next one.
func prepareRetry(r *http.Request) error {
	if st, _ := r.Context().Value(callStateKey{}).(*callState); st != nil {
		st.answered, st.answerErr = false, nil
	}
	return nil
}

// mayHaveReached reports whether any attempt may have reached the API:
// one had a connection, or the transport does not report connections at
// all (so nothing proves the contrary).
func (st *callState) mayHaveReached() bool { return st.gotConn.Load() || !st.getConn.Load() }

type callStateKey struct{}

// checkRetry is the retry policy. Read-only calls retry on transport errors,
// 429 and 5xx; charging calls retry only while no attempt has had a
// connection, so a request the API may have received is never sent twice.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	if st == nil {
		// Never the case for the SDK's own requests; be safe: a charging
		// call with no connection events counts as having reached the API.
		st = &callState{charging: true}
	}
	if resp != nil {
		st.gotConn.Store(true)
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if isPermanent(err) {
			return false, nil
		}
		if st.charging {
			return isDialError(err) || !st.mayHaveReached(), nil
		}
		return true, nil
	}
	if st.charging {
		return false, nil
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// isDialError reports whether err says the connection could not be made, so
// the request never reached the API.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isPermanent reports transport errors that a retry cannot cure.
func isPermanent(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		s := ue.Err.Error()
		if strings.Contains(s, "unsupported protocol scheme") || strings.Contains(s, "certificate") || strings.Contains(s, "stopped after") {
			return true
		}
	}
	return false
}

// backoff waits between minWait·2^attempt/2 and minWait·2^attempt, capped at
// maxWait; a Retry-After on 429 or 503 is honoured up to maxWait.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
			return min(max(d, minWait), maxWait)
		}
	}
	ceil := maxWait
	if attempt < 30 && minWait<<attempt >= 0 && minWait<<attempt < maxWait {
		ceil = minWait << attempt
	}
	if ceil <= 0 {
		return 0
	}
	half := ceil / 2
	return half + rand.N(ceil-half+1) //nolint:gosec // jitter needs no cryptographic randomness
}

func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// keepLastResponse makes retryablehttp hand back the last answer when the
// retries run out, so that the API's message reaches the caller.
func keepLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil && resp != nil {
		_ = resp.Body.Close()
		resp = nil
	}
	return resp, err
}
