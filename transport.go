package inexopay

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/call"
	"github.com/inexopay/inexopay-go/internal/form"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// This file is the Client's side of one call, which flows one way: params → form (newRequest) →
// call.Do (internal/call: attempts, retries, answer) → the result and its error, redacted →
// ResponseInfo, Observer, log (finish). Each step takes what the one before returned.

// do performs one API call: it encodes params as a form, authenticates, posts with the retry policy
// for e, reads a bounded answer, decodes it into out and maps every failure to a typed error.
// orderID is reported in an [*OutcomeUnknownError]; an answer about another order is unusable.
func (c *Client) do(ctx context.Context, e Endpoint, orderID string, params any, out wire.Headed, opts []CallOption) error {
	return c.doAsked(ctx, e, wire.Asked{OrderID: orderID}, params, out, opts)
}

// doAsked is do for a call that names a request too (asked.RequestID): an answer about another
// request is unusable as well.
func (c *Client) doAsked(ctx context.Context, e Endpoint, asked wire.Asked, params any, out wire.Headed, opts []CallOption) (err error) {
	if ctx == nil {
		return &ValidationError{Field: "ctx", Reason: "must not be nil"}
	}
	start := time.Now()
	charging := endpoints[e].Charging
	if c.observer.CallStart != nil {
		ctx = startHook(ctx, c.observer.CallStart, CallStartInfo{Endpoint: e, Charging: charging,
			ServerAddress: c.serverAddr, ServerPort: c.serverPort})
	}
	cfg := newCallConfig(opts)
	header, values, err := c.newRequest(ctx, e, params, &cfg)
	var res call.Result
	// An answer that hands a URL or a form on to a browser must not carry
	// the call's credentials.
	// The call's secrets, prepared once (nothing changes the form or the headers once built).
	var secrets, keys redact.Set
	if header != nil {
		secrets = c.callSecrets(values, header)
	}
	_, handsOff := out.(wire.HandOffer)
	checker, checks := out.(keyChecker)
	if (handsOff || checks) && err == nil {
		keys = secrets
	}
	if checks && err == nil {
		checker.setKeys(keys)
	}
	if err == nil {
		req := c.callRequest(e, charging, asked, header, values, keys, out, &cfg)
		req.Secrets = secrets
		res, err = c.sender.Do(ctx, req)
	}
	switch {
	case err != nil && header != nil:
		err = redact.Err(err, secrets)
	case err == nil:
		// Secrets the call sent that the API echoed in any member of the answer are masked before a
		// result is built from it (unless the answer's body could hold none).
		if !res.Clean {
			redact.Answer(out, secrets)
		}
	}
	c.finish(ctx, e, charging, res, &cfg, secrets, start, err)
	return err
}

// keyChecker is an answer that must not pass the call's credentials on
// (panAnswer: a form page must not hand the API key to the applicant's
// browser); do gives it the call's secrets before the call.
type keyChecker interface{ setKeys(redact.Set) }

// newRequest builds the form of a call from params and its headers, with the credentials. It fails,
// with nothing sent, on an invalid option or parameter, a failing Authenticator, or a context that
// has ended; the headers it returns with an error are those the secrets are masked by.
func (c *Client) newRequest(ctx context.Context, e Endpoint, params any, cfg *callConfig) (http.Header, url.Values, error) {
	if cfg.err != nil {
		return nil, nil, cfg.err
	}
	values, err := form.Encode(params)
	if err != nil {
		return nil, nil, fmt.Errorf("inexopay: %s: encoding parameters: %w", e, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("inexopay: %s: not sent: %w", e, err)
	}
	header := c.fixedHeader
	if header == nil || len(cfg.header) > 0 {
		header = c.callHeader(len(cfg.header))
		for k, vs := range cfg.header { // WithHeader: replaces Accept or User-Agent
			header[k] = vs
		}
	}
	if err := c.auth.Authenticate(header, values); err != nil {
		return header, values, err
	}
	return header, values, nil
}

// callHeader returns the fixed headers of a call in a new map, with room for extra more.
func (c *Client) callHeader(extra int) http.Header {
	// The three headers share one backing array; each value slice is full, so that an Add elsewhere
	// copies it rather than writing into the next.
	vals := [...]string{"application/x-www-form-urlencoded", "application/json", c.userAgent}
	hv := vals[:]
	header := make(http.Header, 4+extra)
	header["Content-Type"] = hv[0:1:1]
	header["Accept"] = hv[1:2:2]
	if c.userAgent != "" {
		header["User-Agent"] = hv[2:3:3]
	}
	return header
}

// callRequest is the call.Request of a call: what internal/call needs, copied, with the observer's
// hooks mapped to its own types.
func (c *Client) callRequest(e Endpoint, charging bool, asked wire.Asked, header http.Header, values url.Values,
	keys redact.Set, out wire.Headed, cfg *callConfig) call.Request {
	r := call.Request{Endpoint: e, Charging: charging, URL: c.urls[e], Header: header, Body: form.Append(nil, values),
		Asked: asked, MaxRetries: c.retryMax, KeepRaw: cfg.info != nil, Out: out,
		APIBases: apiBases, Keys: keys}
	if cfg.maxRetries >= 0 {
		r.MaxRetries = cfg.maxRetries
	}
	if hook := c.observer.Attempt; hook != nil {
		r.Observe = func(ctx context.Context, a call.Attempt) {
			hook(ctx, AttemptInfo{Endpoint: e, Attempt: a.Number, HTTPStatus: a.HTTPStatus, Duration: a.Duration,
				Class: apierr.Class(a.Err)})
		}
	}
	if hook := c.observer.AttemptStart; hook != nil {
		r.ObserveStart = func(ctx context.Context, attempt int, h http.Header) (context.Context, http.Header) {
			added := http.Header{}
			next := hook(ctx, AttemptStartInfo{Endpoint: e, Attempt: attempt}, added)
			if len(added) == 0 {
				return next, nil
			}
			// A copy of the map for this attempt only; the values are shared, and no transport
			// changes them.
			own := make(http.Header, len(h)+len(added))
			for k, vs := range h {
				own[k] = vs
			}
			attemptHeaders(own, added)
			return next, own
		}
	}
	return r
}

// finish reports a call that returns err to the caller's ResponseInfo, the observer and the logger.
func (c *Client) finish(ctx context.Context, e Endpoint, charging bool, res call.Result, cfg *callConfig, secrets redact.Set,
	start time.Time, err error) {
	d := time.Since(start)
	if info := cfg.info; info != nil {
		*info = ResponseInfo{Attempts: res.Attempts, Duration: d}
		if res.Answered {
			info.HTTPStatus, info.Header, info.Body, info.secrets = res.Status, res.Header, res.Raw, secrets
		}
	}
	if c.observer.Call != nil {
		outcome := outcomeOf(err)
		c.observer.Call(ctx, CallInfo{Endpoint: e, Charging: charging, Attempts: res.Attempts, HTTPStatus: res.Status,
			Duration: d, Class: apierr.Class(err), OutcomeUnknown: outcome == OutcomeUnknown, Outcome: outcome})
	}
	if c.logger != nil && c.logger.Enabled(ctx, slog.LevelWarn) {
		c.logCall(ctx, e, res.Status, d, err)
	}
}
