// Package call sends one API call: its attempts, its request body, the retry decision and the observation of each attempt.
package call

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// Config is what a client fixes for every call it sends.
type Config struct {
	// Transport sends each attempt; Traced says it is net/http's
	// *http.Transport, whose connection events httptrace reports.
	Transport http.RoundTripper
	Traced    bool
	// Timeout bounds each attempt, reading the answer included (0: none).
	Timeout time.Duration
	// Jar is the cookie jar of the caller's http.Client, if any.
	Jar http.CookieJar
	// MaxBody is the largest answer read; a longer one is an error.
	MaxBody int64
	// RetryMin and RetryMaxWait bound the wait between attempts.
	RetryMin, RetryMaxWait time.Duration
	// Logger is the retry library's logger (nil: none); it must log no
	// request data (redact.RetryLogger).
	Logger any
}

// Sender sends calls with one retry layer and one http.Client, shared by
// every call; it is safe for concurrent use.
type Sender struct {
	cfg Config
	rc  *retryablehttp.Client
	// templates holds, per URL, a request parsed once (*http.Request);
	// each call copies it.
	templates sync.Map
}

// NewSender returns a Sender for cfg.
func NewSender(cfg Config) *Sender {
	s := &Sender{cfg: cfg}
	s.rc = &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: attempter{}, CheckRedirect: StopRedirects, Jar: cfg.Jar},
		Logger:       cfg.Logger,
		RetryWaitMin: cfg.RetryMin,
		RetryWaitMax: cfg.RetryMaxWait,
		// Each call's own limit (Request.MaxRetries) is applied by its
		// attempts (call.mayRetry).
		RetryMax:     math.MaxInt32,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: keepLastError,
	}
	return s
}

// template returns the request template of url: a POST of url, parsed
// once per Sender.
func (s *Sender) template(url string) (*http.Request, error) {
	if t, ok := s.templates.Load(url); ok {
		return t.(*http.Request), nil
	}
	t, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, nil)
	if err != nil {
		return nil, err
	}
	s.templates.Store(url, t)
	return t, nil
}

// Request is one call, ready to send: nothing in it changes while it is
// sent.
type Request struct {
	Endpoint endpoints.Name
	// Charging says the call creates or charges something: it is then
	// retried only after an attempt that provably sent nothing.
	Charging bool
	URL      string
	// Header holds every header of the call, credentials included; Body
	// is its form, encoded.
	Header http.Header
	Body   []byte
	// Asked is what the call names (its order, "" for none, request,
	// PAN, txn id, Aadhaar number): an answer about another is unusable,
	// and an unknown outcome names the order.
	Asked      wire.Asked
	MaxRetries int
	// KeepRaw keeps the raw answer in Result.Raw.
	KeepRaw bool
	// APIBases are the documented API base URLs, where no hand-off URL of
	// an answer may point.
	APIBases []string
	// Keys are the call's credentials, which no hand-off URL of an answer
	// may carry.
	Keys redact.Set
	// Secrets are the call's secrets, which the caller masks in the
	// decoded answer; Result.Clean says the answer could hold none.
	Secrets redact.Set
	// Out receives the decoded answer.
	Out wire.Headed
	// Observe, if set, is told how each attempt ended. Attempt.Err is not
	// redacted: it may only be classified, never shown.
	Observe func(context.Context, Attempt)
	// ObserveStart, if set, is told that an attempt starts. It returns the
	// context for the attempt (nil: unchanged) and the attempt's own
	// headers (nil: the call's).
	ObserveStart func(ctx context.Context, attempt int, header http.Header) (context.Context, http.Header)
}

// Attempt is how one attempt ended.
type Attempt struct {
	// Number counts from 1; HTTPStatus is 0 when no answer came.
	Number     int
	HTTPStatus int
	Duration   time.Duration
	// Err is the attempt's failure (nil for a usable answer).
	Err error
}

// Result is what a call left behind besides its error: the number of
// attempts and, when the last one got an answer, its status, header and
// (with KeepRaw) raw body.
type Result struct {
	Attempts int
	Answered bool
	Status   int
	Header   http.Header
	Raw      []byte
	// Clean says the answer decoded into Request.Out can hold none of
	// Request.Secrets in any member (redact.Set.AbsentFrom), so masking
	// them there would change nothing.
	Clean bool
}

// Do sends r: its attempts, with r's retry policy, until one gives an
// answer the call can stand on. It returns nil with r.Out decoded, an
// *apierr.APIError for what the API refused or an unusable answer of a
// read-only call, an *apierr.OutcomeUnknownError when a charging call may
// have reached the API without a usable answer, or the transport error.
// The error is not redacted: the caller masks r's secrets in it.
func (s *Sender) Do(ctx context.Context, r Request) (Result, error) {
	cl := &call{caller: ctx, e: r.Endpoint, charging: r.Charging, asked: r.Asked, next: s.cfg.Transport,
		maxBody: s.cfg.MaxBody, timeout: s.cfg.Timeout, maxRetries: r.MaxRetries, out: r.Out,
		observe: r.Observe, observeStart: r.ObserveStart, keepBody: r.KeepRaw, apiBases: r.APIBases, keys: r.Keys, secrets: r.Secrets, traced: r.Charging && s.cfg.Traced}
	cl.ctx = callCtx{Context: ctx, cl: cl}
	err := s.send(cl, r)
	return Result{Attempts: cl.attempts, Answered: cl.answered, Status: cl.status, Header: cl.header, Raw: cl.raw, Clean: cl.clean}, err
}

func (s *Sender) send(cl *call, r Request) error {
	if cl.traced {
		cl.trace.GotConn = cl.gotConnHook
		cl.ctx.Context = httptrace.WithClientTrace(cl.caller, &cl.trace)
	}
	tmpl, err := s.template(r.URL)
	if err != nil {
		return fmt.Errorf("inexopay: %s: %w", cl.e, err)
	}
	// The request is the template's, with the call's context, URL (a copy
	// the transport may keep) and headers. It has no body and no GetBody:
	// each attempt gives its own request a body (call.attemptBody), so that
	// neither the retry layer nor net/http can send it again by themselves.
	req := tmpl.WithContext(&cl.ctx)
	cl.url = *tmpl.URL
	req.URL = &cl.url
	req.Header = r.Header
	cl.data = r.Body
	cl.req.Request = req
	resp, err := s.rc.Do(&cl.req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	err = unwrapRetryable(err)
	var result error
	switch {
	case cl.answered && (err == nil || !answer.IsTemporary(cl.answerErr) || cl.charging):
		// The API's answer was read. It stands even when the context ended
		// just after: a charge the API confirmed must not look failed.
		result = cl.answerErr
	case cl.answered || !cl.sent || !cl.charging:
		// A read-only call whose context ended while waiting to retry, or
		// a failure before anything could reach the API.
		return cl.withAttempts(redact.TransportError(cl.e, err))
	default:
		return &apierr.OutcomeUnknownError{Endpoint: cl.e, OrderID: cl.asked.OrderID, Attempts: cl.attempts, Err: redact.TransportError(cl.e, err)}
	}
	if result == nil {
		return nil
	}
	// On a charging call, any answer the SDK cannot use (a 5xx, a page that
	// is not JSON, an answer too large or cut short) may follow a charge.
	var re *redact.ReadError
	if cl.charging && (errors.Is(result, apierr.ErrServer) || errors.As(result, &re)) {
		return &apierr.OutcomeUnknownError{Endpoint: cl.e, OrderID: cl.asked.OrderID, Attempts: cl.attempts, Err: cl.withAttempts(result)}
	}
	return cl.withAttempts(result)
}

// unwrapRetryable removes the retry mark (a *retryableError, inside the
// *url.Error of http.Client) from the error the retry layer returned.
func unwrapRetryable(err error) error {
	if ue, ok := err.(*url.Error); ok {
		if re, ok := ue.Err.(*retryableError); ok {
			cp := *ue
			cp.Err = re.err
			return &cp
		}
	}
	return err
}

// withAttempts records the number of attempts in an *apierr.APIError.
func (cl *call) withAttempts(err error) error {
	var ae *apierr.APIError
	if errors.As(err, &ae) {
		ae.Attempts = cl.attempts
	}
	return err
}
