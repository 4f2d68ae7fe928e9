package inexopay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// Version is the version of this SDK, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the host used unless [WithBaseURL] says otherwise.
const DefaultBaseURL = BaseURLSecure

// defaultMaxResponseBytes is the largest answer the SDK reads; a longer one
// is an error, not an allocation.
const defaultMaxResponseBytes = 1 << 20

// Client calls the INEXOPAY API through its services. Create one with
// [NewClient] and share it: it is safe for concurrent use, and its
// connections are reused across calls.
type Client struct {
	Account  *AccountService
	NSDLBank *NSDLBankService
	Wallet   *WalletService
	PAN      *PANService
	Aadhaar  *AadhaarService

	auth      Authenticator
	logger    *slog.Logger
	userAgent string
	baseURL   string
	urls      map[Endpoint]string
	maxBody   int64
	observer  Observer
	// serverAddr and serverPort are the base URL's, for Observer.CallStart.
	serverAddr string
	serverPort int

	// transport sends each attempt: the SDK's own, or the Transport of the
	// http.Client given with WithHTTPClient (whose Timeout and Jar are
	// kept too). The SDK never closes its connections.
	transport http.RoundTripper
	timeout   time.Duration
	jar       http.CookieJar
	// The retry settings of WithRetry, and the retry layer's logger.
	retryMax     int
	retryMin     time.Duration
	retryMaxWait time.Duration
	retryLogger  any
	// noFormatChecks is WithoutValidation: only required fields are checked.
	noFormatChecks bool
	// traced says transport is net/http's *http.Transport, whose connection
	// events httptrace reports: a charging call's body then goes out in one
	// write with the headers (see call.traced).
	traced bool
	// rc is the retry layer every call shares; its http.Client hands each
	// attempt to the call (attempter).
	rc *retryablehttp.Client
	// keys caches the prepared secrets of the credentials (redaction).
	keys *redact.KeyCache
}

// NewClient returns a Client that authenticates with auth. It fails with a
// [*ValidationError] for a nil auth or an invalid option.
func NewClient(auth Authenticator, opts ...Option) (*Client, error) {
	if auth == nil {
		return nil, &ValidationError{Field: "auth", Reason: "is required (BodyAuth or HeaderAuth)"}
	}
	if err := checkAuth(auth); err != nil {
		return nil, err
	}
	cfg := config{
		baseURL:      DefaultBaseURL,
		retryMax:     3,
		retryMin:     250 * time.Millisecond,
		retryMaxWait: 5 * time.Second,
		userAgent:    "inexopay-go/" + Version,
		maxBody:      defaultMaxResponseBytes,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := checkBaseURL(cfg.baseURL, cfg.allowInsecure)
	if err != nil {
		return nil, err
	}
	c := &Client{
		auth:         auth,
		logger:       cfg.logger,
		userAgent:    cfg.userAgent,
		baseURL:      base,
		urls:         make(map[Endpoint]string, len(endpoints)),
		maxBody:      cfg.maxBody,
		observer:     cfg.observer,
		retryMax:     cfg.retryMax,
		retryMin:     cfg.retryMin,
		retryMaxWait: cfg.retryMaxWait,

		noFormatChecks: cfg.noFormatChecks,
	}
	switch hc := cfg.httpClient; {
	case hc == nil:
		c.transport, c.timeout = newTransport(), 30*time.Second
	case hc.Transport == nil:
		c.transport, c.timeout, c.jar = http.DefaultTransport, hc.Timeout, hc.Jar
	default:
		c.transport, c.timeout, c.jar = hc.Transport, hc.Timeout, hc.Jar
	}
	for e, info := range endpoints {
		p := info.Path
		if o, ok := cfg.paths[e]; ok {
			p = o
		}
		c.urls[e] = base + p
	}
	if cfg.logger != nil {
		c.retryLogger = redact.NewRetryLogger(cfg.logger)
	}
	c.serverAddr, c.serverPort = hostPort(base)
	c.keys = new(redact.KeyCache)
	_, c.traced = c.transport.(*http.Transport)
	c.rc = &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: attempter{}, CheckRedirect: stopRedirects, Jar: c.jar},
		Logger:       c.retryLogger,
		RetryWaitMin: c.retryMin,
		RetryWaitMax: c.retryMaxWait,
		// Each call's own limit (WithRetry, WithMaxRetries) is applied by
		// its attempts (call.mayRetry).
		RetryMax:     math.MaxInt32,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: keepLastError,
	}
	c.Account = &AccountService{c}
	c.NSDLBank = &NSDLBankService{c}
	c.Wallet = &WalletService{c}
	c.PAN = &PANService{c}
	c.Aadhaar = &AadhaarService{c}
	return c, nil
}

// BaseURL returns the base URL the client posts to.
func (c *Client) BaseURL() string { return c.baseURL }

// Format prints "inexopay.Client(<base URL>)" for every fmt verb, also for
// a Client printed by value: never its credentials or transport.
func (c Client) Format(s fmt.State, _ rune) {
	_, _ = io.WriteString(s, "inexopay.Client("+c.baseURL+")")
}

// hostPort returns the host and port of the checked base URL base, the
// port from its scheme when base names none.
func hostPort(base string) (string, int) {
	u, err := url.Parse(base)
	if err != nil {
		return "", 0
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		port = 443
		if u.Scheme == "http" {
			port = 80
		}
	}
	return u.Hostname(), port
}

func checkBaseURL(raw string, allowInsecure bool) (string, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return "", &ValidationError{Field: "baseURL", Reason: "must be an absolute URL such as https://secure.inexopay.in"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowInsecure && !netutil.IsLoopbackHost(u.Hostname()) {
			return "", &ValidationError{Field: "baseURL", Reason: "plain http sends the API key unencrypted; use https, or WithInsecureHTTP to accept that"}
		}
	default:
		return "", &ValidationError{Field: "baseURL", Reason: "scheme must be https (or http)"}
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", &ValidationError{Field: "baseURL", Reason: "must not carry a query, fragment or user info"}
	}
	return u.String(), nil
}

// do performs one API call: it encodes params as a form, authenticates,
// posts with the retry policy for e, reads a bounded answer, decodes it
// into out and maps every failure to a typed error. orderID is reported in
// an [*OutcomeUnknownError].
func (c *Client) do(ctx context.Context, e Endpoint, orderID string, params any, out wire.Headed, opts []CallOption) (err error) {
	if ctx == nil {
		return &ValidationError{Field: "ctx", Reason: "must not be nil"}
	}
	start := time.Now()
	if c.observer.CallStart != nil {
		ctx = startHook(ctx, c.observer.CallStart, CallStartInfo{Endpoint: e, Charging: endpoints[e].Charging,
			ServerAddress: c.serverAddr, ServerPort: c.serverPort})
	}
	cfg := newCallConfig(opts)
	cl := c.newCall(ctx, e, out, &cfg)
	cl.orderID = orderID
	req, form, err := c.newRequest(cl, params, &cfg)
	if err == nil {
		err = c.send(cl, req, orderID)
	}
	switch {
	case err != nil && req != nil:
		err = redact.Err(err, c.callSecrets(form, req.Header))
	case err == nil:
		// Secrets the API echoed in the answer's free text are masked before
		// a result is built from it.
		redact.Answer(out, c.callSecrets(form, req.Header))
	}
	c.finish(ctx, cl, &cfg, start, err)
	return err
}

// newRequest builds the request of a call: the form from params, the
// headers, the credentials, and a body that each attempt reads once. It
// fails, with nothing sent, on an invalid option or parameter, a failing
// Authenticator, or a context that has ended.
func (c *Client) newRequest(cl *call, params any, cfg *callConfig) (*retryablehttp.Request, url.Values, error) {
	e, ctx := cl.e, cl.ctx.Context
	if cfg.err != nil {
		return nil, nil, cfg.err
	}
	form, err := encodeForm(params)
	if err != nil {
		return nil, nil, fmt.Errorf("inexopay: %s: encoding parameters: %w", e, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("inexopay: %s: not sent: %w", e, err)
	}
	if cl.traced {
		cl.trace.GotConn = cl.gotConnHook
		cl.ctx.Context = httptrace.WithClientTrace(ctx, &cl.trace)
	}
	req, err := retryablehttp.NewRequestWithContext(&cl.ctx, http.MethodPost, c.urls[e], nil)
	if err != nil {
		return nil, nil, fmt.Errorf("inexopay: %s: %w", e, err)
	}
	// The three headers share one backing array; each value slice is full,
	// so that an Add elsewhere copies it rather than writing into the next.
	vals := [...]string{"application/x-www-form-urlencoded", "application/json", c.userAgent}
	hv := vals[:]
	req.Header["Content-Type"] = hv[0:1:1]
	req.Header["Accept"] = hv[1:2:2]
	if c.userAgent != "" {
		req.Header["User-Agent"] = hv[2:3:3]
	}
	for k, vs := range cfg.header { // WithHeader: replaces Accept or User-Agent
		req.Header[k] = vs
	}
	if err := c.auth.Authenticate(req.Header, form); err != nil {
		return req, form, err
	}
	cl.data = appendForm(nil, form)
	if err := req.SetBody(cl.requestBody()); err != nil {
		return req, form, fmt.Errorf("inexopay: %s: %w", e, err)
	}
	// No GetBody: net/http must not send the request again by itself.
	req.GetBody = nil
	return req, form, nil
}

// newCall prepares the state of one call.
func (c *Client) newCall(ctx context.Context, e Endpoint, out wire.Headed, cfg *callConfig) *call {
	charging := endpoints[e].Charging
	cl := &call{caller: ctx, e: e, charging: charging, next: c.transport, maxBody: c.maxBody, timeout: c.timeout,
		maxRetries: c.retryMax, out: out, observe: c.observer.Attempt, observeStart: c.observer.AttemptStart, keepBody: cfg.info != nil,
		traced: charging && c.traced}
	cl.ctx = callCtx{Context: ctx, cl: cl}
	if cfg.maxRetries >= 0 {
		cl.maxRetries = cfg.maxRetries
	}
	return cl
}

// send runs the attempts of a call and turns what the last one found into
// the call's result.
func (c *Client) send(cl *call, req *retryablehttp.Request, orderID string) error {
	resp, err := c.rc.Do(req)
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
		return &OutcomeUnknownError{Endpoint: cl.e, OrderID: orderID, Attempts: cl.attempts, Err: redact.TransportError(cl.e, err)}
	}
	if result == nil {
		return nil
	}
	// On a charging call, any answer the SDK cannot use (a 5xx, a page that
	// is not JSON, an answer too large or cut short) may follow a charge.
	var re *redact.ReadError
	if cl.charging && (errors.Is(result, ErrServer) || errors.As(result, &re)) {
		return &OutcomeUnknownError{Endpoint: cl.e, OrderID: orderID, Attempts: cl.attempts, Err: cl.withAttempts(result)}
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

// withAttempts records the number of attempts in an [*APIError].
func (cl *call) withAttempts(err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Attempts = cl.attempts
	}
	return err
}

// finish reports a call that returns err to the caller's ResponseInfo, the
// observer and the logger.
func (c *Client) finish(ctx context.Context, cl *call, cfg *callConfig, start time.Time, err error) {
	d := time.Since(start)
	if info := cfg.info; info != nil {
		*info = ResponseInfo{Attempts: cl.attempts, Duration: d}
		if cl.answered {
			info.HTTPStatus, info.Header, info.Body = cl.status, cl.header, cl.raw
		}
	}
	if c.observer.Call != nil {
		outcome := outcomeOf(err)
		c.observer.Call(ctx, CallInfo{Endpoint: cl.e, Charging: cl.charging, Attempts: cl.attempts, HTTPStatus: cl.status,
			Duration: d, Class: errorClass(err), OutcomeUnknown: outcome == OutcomeUnknown, Outcome: outcome})
	}
	if c.logger != nil && c.logger.Enabled(ctx, slog.LevelWarn) {
		c.logCall(ctx, cl.e, cl.status, d, err)
	}
}
