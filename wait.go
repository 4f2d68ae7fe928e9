package inexopay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"time"

	"github.com/inexopay/inexopay-go/internal/call"
)

// WithPollInterval sets the wait helpers' first and longest poll waits.
func WithPollInterval(initial, max time.Duration) CallOption {
	return func(c *callConfig) {
		if initial > 0 {
			c.pollInitial = initial
		}
		if max > 0 {
			c.pollMax = max
		}
	}
}

// next returns the wait after d: d×1.5, capped at max.
func (c callConfig) nextPoll(d time.Duration) time.Duration {
	n := d + d/2
	if n > c.pollMax || n < d { // n < d: overflow
		return c.pollMax
	}
	return n
}

// jitter spreads d by up to ±10% so that many waiters do not poll in step.
func jitter(d time.Duration) time.Duration {
	spread := d / 10
	if spread <= 0 {
		return d
	}
	return d - spread + rand.N(2*spread+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// pollUntilFinal calls fetch until status reports a final state, ctx ends or fetch fails with an
// error that is not transient. It starts no goroutine and stops its timer before returning.
func pollUntilFinal[T any](ctx context.Context, e Endpoint, orderID string, opts []CallOption,
	fetch func(context.Context, string, ...CallOption) (*T, error), status func(*T) Status) (*T, error) {
	if ctx == nil {
		return nil, &ValidationError{Field: "ctx", Reason: "must not be nil"}
	}
	var last *T
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	cfg := newCallConfig(opts)
	delay := cfg.pollInitial
	for {
		v, err := fetch(ctx, orderID, opts...)
		switch {
		case err == nil:
			last = v
			if status(v).Final() {
				return v, nil
			}
		case ctx.Err() != nil:
			return last, waitEnded(e, orderID, last, status, ctx.Err())
		case !transient(err):
			return last, err
		}
		// A status call refused for its rate (429) or a server's 503 may ask for a wait
		// (Retry-After): the next poll honours it, and a context that ends first ends the wait as
		// it ends any other.
		wait := pollWait(jitter(delay), err)
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return last, waitEnded(e, orderID, last, status, ctx.Err())
		case <-timer.C:
		}
		delay = cfg.nextPoll(delay)
	}
}

// waitEnded describes a wait that ctx cut short, wrapping ctxErr.
func waitEnded[T any](e Endpoint, orderID string, last *T, status func(*T) Status, ctxErr error) error {
	state := "no answer yet"
	if last != nil {
		state = "last status " + string(status(last))
		if status(last) == "" {
			state = "last status unknown"
		}
	}
	return fmt.Errorf("inexopay: %s: waiting for order %q (%s): %w", e, orderID, state, ctxErr)
}

// transient reports whether a failed status call may succeed if made again: a server error or rate
// limiting that may pass ([APIError.Temporary]), or a network failure. An answer a second try would
// repeat (one without its must-have members, contradicting itself, or about another order) is not.
func transient(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Temporary()
	}
	if errors.Is(err, ErrServer) || errors.Is(err, ErrRateLimited) {
		return true
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return false
	}
	if call.IsPermanent(err) {
		return false
	}
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// maxPollRetryAfter is the longest Retry-After a wait helper honours between two polls: a server
// asking for longer is polled after this.
const maxPollRetryAfter = 5 * time.Minute

// pollWait is the wait before the next poll: d, or the Retry-After of the failed status call's
// *APIError (err) when that is longer, capped at maxPollRetryAfter.
func pollWait(d time.Duration, err error) time.Duration {
	var ae *APIError
	if err == nil || !errors.As(err, &ae) || ae.RetryAfter <= d {
		return d
	}
	return min(ae.RetryAfter, maxPollRetryAfter)
}
