package inexopay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// Version is the version of this SDK, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the INEXOPAY API host the SDK talks to unless
// WithBaseURL says otherwise.
const DefaultBaseURL = "https://secure.inexopay.in"

// DefaultMaxResponseBytes is the largest answer the SDK reads; a longer one
// is an error, not an allocation.
const DefaultMaxResponseBytes = 1 << 20

// Endpoint names one API call, as "Service.Method". Use it with WithPath to
// change the path the SDK posts to.
type Endpoint string

// The endpoints of the INEXOPAY API.
const (
	EndpointAccountStatus        Endpoint = "Account.Status"
	EndpointAccountBalance       Endpoint = "Account.Balance"
	EndpointOnboardAgent         Endpoint = "NSDLBank.OnboardAgent"
	EndpointOpenAccount          Endpoint = "NSDLBank.OpenAccount"
	EndpointBankAccountStatus    Endpoint = "NSDLBank.AccountStatus"
	EndpointBankAccountDetails   Endpoint = "NSDLBank.AccountDetails"
	EndpointIncompleteAccountURL Endpoint = "NSDLBank.IncompleteAccountURL"
	EndpointGenerateQR           Endpoint = "Wallet.GenerateQR"
	EndpointPaymentStatus        Endpoint = "Wallet.PaymentStatus"
	EndpointPANRequest           Endpoint = "PAN.Request"
	EndpointPANStatus            Endpoint = "PAN.Status"
	EndpointPANResume            Endpoint = "PAN.Resume"
	EndpointSendOTP              Endpoint = "Aadhaar.SendOTP"
	EndpointVerifyOTP            Endpoint = "Aadhaar.VerifyOTP"
)

// endpointInfo is what the SDK knows of an endpoint: its default path and
// whether a call creates or charges something (and so is never retried once
// it may have reached the API).
type endpointInfo struct {
	path     string
	charging bool
}

var endpoints = map[Endpoint]endpointInfo{
	EndpointAccountStatus:        {"/api/check_status.php", false},
	EndpointAccountBalance:       {"/api/balance.php", false},
	EndpointOnboardAgent:         {"/api/nsdl-bank/v1/onboarding.php", true},
	EndpointOpenAccount:          {"/api/nsdl-bank/v1/account_open.php", true},
	EndpointBankAccountStatus:    {"/api/nsdl-bank/v1/account_status.php", false},
	EndpointBankAccountDetails:   {"/api/nsdl-bank/v1/account_details.php", false},
	EndpointIncompleteAccountURL: {"/api/nsdl-bank/v1/incomplete_url.php", false},
	EndpointGenerateQR:           {"/api/wallet/v1/load_request.php", true},
	EndpointPaymentStatus:        {"/api/wallet/v1/check_status.php", false},
	EndpointPANRequest:           {"/api/nsdl-pan/v1/request_pan.php", true},
	EndpointPANStatus:            {"/api/nsdl-pan/v1/pan_status.php", false},
	EndpointPANResume:            {"/api/nsdl-pan/v1/incomplete_pan.php", true},
	EndpointSendOTP:              {"/api/aadhaar/v1/send_otp.php", true},
	EndpointVerifyOTP:            {"/api/aadhaar/v1/verify_otp.php", true},
}

// Endpoints returns every endpoint with its default path. The map is a new
// copy on each call: changing it changes no Client (use WithPath for that).
func Endpoints() map[Endpoint]string {
	m := make(map[Endpoint]string, len(endpoints))
	for e, info := range endpoints {
		m[e] = info.path
	}
	return m
}

// Charging reports whether a call to e creates or charges something. Such
// calls are retried only when the request never left the machine. It
// reports false for an Endpoint the SDK does not define.
func (e Endpoint) Charging() bool { return endpoints[e].charging }

// Client calls the INEXOPAY API. Create one with NewClient and share it: it
// is safe for concurrent use, and its connections are reused across calls.
type Client struct {
	// Account checks the API status and balance.
	Account *AccountService
	// NSDLBank onboards NSDL bank agents and opens bank accounts.
	NSDLBank *NSDLBankService
	// Wallet loads the API wallet by UPI QR.
	Wallet *WalletService
	// PAN files and tracks NSDL PAN applications.
	PAN *PANService
	// Aadhaar verifies Aadhaar numbers by OTP.
	Aadhaar *AadhaarService

	auth      Authenticator
	rc        *retryablehttp.Client
	logger    *slog.Logger
	userAgent string
	baseURL   string
	urls      map[Endpoint]string
	maxBody   int64
}

type config struct {
	baseURL       string
	httpClient    *http.Client
	retryMax      int
	retryMin      time.Duration
	retryMaxWait  time.Duration
	logger        *slog.Logger
	userAgent     string
	paths         map[Endpoint]string
	allowInsecure bool
	maxBody       int64
}

// Option configures a Client; pass options to NewClient. An option that
// reports an error makes NewClient fail with it; a nil Option is skipped.
type Option func(*config) error

// WithBaseURL sets the scheme and host (and an optional path prefix) of the
// API, such as "https://secure.inexopay.in". Plain http is refused for any
// host other than loopback unless WithInsecureHTTP is also given, because
// credentials travel in every request. An invalid URL, a scheme other than
// https or http, plain http to a host that is not loopback (without
// WithInsecureHTTP), or a query, fragment or user info in the URL makes
// NewClient fail with a *ValidationError.
func WithBaseURL(base string) Option {
	return func(c *config) error {
		c.baseURL = base
		return nil
	}
}

// WithInsecureHTTP allows a plain http base URL for a host that is not
// loopback, such as the provider's http://panel.inexopay.in. The API key then
// crosses the network unencrypted.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.allowInsecure = true
		return nil
	}
}

// WithHTTPClient sets the http.Client the SDK sends requests with. The SDK
// uses a copy whose CheckRedirect refuses every redirect (a redirect would
// send the credentials again, possibly elsewhere). Give the SDK a transport
// of its own: after a failed call the retry layer closes its idle
// connections. The client's Timeout bounds each attempt. A nil client is a
// *ValidationError from NewClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &ValidationError{Field: "httpClient", Reason: "must not be nil"}
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetry sets how many times a failed call is retried (0 disables
// retries) and the bounds of the wait between tries. Waits grow
// exponentially from minWait with random jitter and never exceed maxWait,
// even when the API's Retry-After asks for more. Calls that create or charge
// are retried only when the connection could not be made. A maxRetries
// outside 0 to 20, a negative minWait or a maxWait below minWait makes
// NewClient fail with a *ValidationError.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return func(c *config) error {
		if maxRetries < 0 || maxRetries > 20 {
			return &ValidationError{Field: "maxRetries", Reason: "must be between 0 and 20"}
		}
		if minWait < 0 || maxWait < minWait {
			return &ValidationError{Field: "maxWait", Reason: "must be at least minWait, and minWait not negative"}
		}
		c.retryMax, c.retryMin, c.retryMaxWait = maxRetries, minWait, maxWait
		return nil
	}
}

// WithLogger makes the SDK log each call (endpoint, attempts, HTTP status,
// duration; never credentials or request bodies) to l. Calls log at Debug
// when they succeed and at Warn when they fail. Without it, or with a nil
// l, the SDK logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent header sent with every request. An
// empty ua keeps the SDK's default, "inexopay-go/" + Version.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua != "" {
			c.userAgent = ua
		}
		return nil
	}
}

// WithPath overrides the path the SDK posts to for one endpoint, such as
// WithPath(EndpointPANStatus, "/api/v2/pan/status.php"). The path is joined
// to the base URL. An Endpoint the SDK does not define, or a path that does
// not start with "/", makes NewClient fail with a *ValidationError.
func WithPath(e Endpoint, path string) Option {
	return func(c *config) error {
		if _, ok := endpoints[e]; !ok {
			return &ValidationError{Field: "endpoint", Reason: fmt.Sprintf("unknown endpoint %q", string(e))}
		}
		if !strings.HasPrefix(path, "/") {
			return &ValidationError{Field: "path", Reason: "must start with /"}
		}
		if c.paths == nil {
			c.paths = map[Endpoint]string{}
		}
		c.paths[e] = path
		return nil
	}
}

// WithMaxResponseBytes caps the size of an answer the SDK reads (default
// DefaultMaxResponseBytes). A longer answer is an *APIError that is not
// retried; it matches ErrServer unless its HTTP status is a 4xx, which maps
// as usual. A non-positive n makes NewClient fail with
// a *ValidationError.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return &ValidationError{Field: "maxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	}
}

// newTransport returns a transport of the SDK's own, tuned so that many
// goroutines sharing one Client reuse their connections.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// NewClient returns a Client that authenticates with auth. It fails with a
// *ValidationError when auth is nil, an option is invalid, or the base URL
// is not https (plain http is allowed for loopback hosts and with
// WithInsecureHTTP).
func NewClient(auth Authenticator, opts ...Option) (*Client, error) {
	if auth == nil {
		return nil, &ValidationError{Field: "auth", Reason: "is required (BodyAuth or HeaderAuth)"}
	}
	cfg := config{
		baseURL:      DefaultBaseURL,
		retryMax:     3,
		retryMin:     250 * time.Millisecond,
		retryMaxWait: 5 * time.Second,
		userAgent:    "inexopay-go/" + Version,
		maxBody:      DefaultMaxResponseBytes,
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
	var hc *http.Client
	if cfg.httpClient != nil {
		cp := *cfg.httpClient // the caller's client is not changed
		hc = &cp
	} else {
		hc = &http.Client{Transport: newTransport(), Timeout: 30 * time.Second}
	}
	// Never follow a redirect: it would post the credentials (and a charging
	// form) again, possibly to another host or over plain http.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &Client{
		auth:      auth,
		logger:    cfg.logger,
		userAgent: cfg.userAgent,
		baseURL:   base,
		urls:      make(map[Endpoint]string, len(endpoints)),
		maxBody:   cfg.maxBody,
	}
	for e, info := range endpoints {
		p := info.path
		if o, ok := cfg.paths[e]; ok {
			p = o
		}
		c.urls[e] = base + p
	}
	c.rc = &retryablehttp.Client{
		HTTPClient:   hc,
		RetryWaitMin: cfg.retryMin,
		RetryWaitMax: cfg.retryMaxWait,
		RetryMax:     cfg.retryMax,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: keepLastResponse,
		PrepareRetry: prepareRetry,
	}
	if cfg.logger != nil {
		c.rc.Logger = leveledLogger{cfg.logger}
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

// URL returns the full URL the client posts to for e, or "" for an
// Endpoint the SDK does not define.
func (c *Client) URL(e Endpoint) string { return c.urls[e] }

// String describes the client without its credentials.
func (c *Client) String() string { return "inexopay.Client(" + c.baseURL + ")" }

// GoString implements fmt.GoStringer without the credentials.
func (c *Client) GoString() string { return c.String() }

func checkBaseURL(raw string, allowInsecure bool) (string, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return "", &ValidationError{Field: "baseURL", Reason: "must be an absolute URL such as https://secure.inexopay.in"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowInsecure && !isLoopback(u.Hostname()) {
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

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

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

var utf8BOM = []byte("\xef\xbb\xbf")

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// sensitiveFields are form fields whose values never appear in an error or a
// log line, even when the API echoes them back in a message.
var sensitiveFields = [...]string{"api_key", "aadhaar_number", "otp", "pancard", "agent_pancard"}

// do performs one API call: it encodes params as a form, authenticates,
// posts with the retry policy for e, reads a bounded answer, decodes it
// into out and maps every failure to a typed error. orderID is reported in
// an *OutcomeUnknownError.
func (c *Client) do(ctx context.Context, e Endpoint, orderID string, params any, out wire.Headed) (err error) {
	if ctx == nil {
		return &ValidationError{Field: "ctx", Reason: "must not be nil"}
	}
	var form url.Values
	if params != nil {
		if form, err = query.Values(params); err != nil {
			return fmt.Errorf("inexopay: %s: encoding parameters: %w", e, err)
		}
	} else {
		form = url.Values{}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("inexopay: %s: not sent: %w", e, err)
	}
	st := &callState{charging: endpoints[e].charging}
	rctx := context.WithValue(ctx, callStateKey{}, st)
	if st.charging {
		rctx = httptrace.WithClientTrace(rctx, &httptrace.ClientTrace{
			GetConn: func(string) { st.getConn.Store(true) },
			GotConn: func(httptrace.GotConnInfo) { st.gotConn.Store(true) },
		})
	}
	req, err := retryablehttp.NewRequestWithContext(rctx, http.MethodPost, c.urls[e], nil)
	if err != nil {
		return fmt.Errorf("inexopay: %s: %w", e, err)
	}
	if err := c.auth.Authenticate(req.Header, form); err != nil {
		return err
	}
	if err := req.SetBody([]byte(form.Encode())); err != nil {
		return fmt.Errorf("inexopay: %s: %w", e, err)
	}
	// Read and decode each answer as it arrives, so that a temporary
	// failure reported in the body is retried like an HTTP 5xx (on
	// read-only calls).
	req.SetResponseHandler(func(resp *http.Response) error {
		st.status = resp.StatusCode
		st.answered = true
		st.answerErr = c.readAnswer(e, resp, out, st)
		resp.Body = http.NoBody
		// Only a call that may be retried reports the failure to the retry
		// layer (which closes the idle connections when it gives up).
		if !st.charging && isTemporary(st.answerErr) {
			return errTemporaryAnswer
		}
		return nil
	})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	logging := c.logger != nil && c.logger.Enabled(ctx, slog.LevelWarn)
	var start time.Time
	if logging {
		start = time.Now()
	}
	defer func() {
		if err != nil {
			err = redact(err, form, req.Header)
		}
		if logging {
			c.logCall(ctx, e, st.status, time.Since(start), err)
		}
	}()

	resp, err := c.rc.Do(req)
	var result error
	switch {
	case st.answered && (err == nil || !isTemporary(st.answerErr) || errors.Is(err, errTemporaryAnswer)):
		// The API's answer was read. It stands even when the context ended
		// just after: a charge the API confirmed must not look failed.
		result = st.answerErr
	case err == nil:
		// An HTTP status the policy would have retried, on the last try.
		st.status = resp.StatusCode
		result = c.readAnswer(e, resp, out, st)
	default:
		if st.charging && st.mayHaveReached() {
			return &OutcomeUnknownError{Endpoint: string(e), OrderID: orderID, Err: transportError(e, err)}
		}
		return transportError(e, err)
	}
	if result == nil {
		return nil
	}
	// On a charging call, any answer the SDK cannot use (a 5xx, a page that
	// is not JSON, an answer too large or cut short) may follow a charge.
	var re *readError
	if st.charging && (errors.Is(result, ErrServer) || errors.As(result, &re)) {
		return &OutcomeUnknownError{Endpoint: string(e), OrderID: orderID, Err: result}
	}
	return result
}

// readAnswer reads one answer with the size limit, closes its body, and
// decodes it into out. It returns nil on success, an *APIError for what
// the API reported (or for an answer too large or not JSON), or the error
// that cut the reading short.
func (c *Client) readAnswer(e Endpoint, resp *http.Response, out wire.Headed, st *callState) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	// Reading to EOF lets the connection be reused; an answer over the limit
	// is not drained, so its connection is closed.
	n, rerr := buf.ReadFrom(io.LimitReader(resp.Body, c.maxBody+1))
	_ = resp.Body.Close()
	if rerr != nil {
		return &readError{err: fmt.Errorf("inexopay: %s: reading answer: %w", e, rerr)}
	}
	if n > c.maxBody {
		return &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: string(e), kind: ErrServer,
			permanent: true, Message: fmt.Sprintf("answer larger than %d bytes", c.maxBody)}
	}
	if st.dirty {
		// A previous attempt decoded into out: start from zero again.
		reflect.ValueOf(out).Elem().SetZero()
	}
	st.dirty = true
	if apiErr := decodeAnswer(e, resp, buf.Bytes(), out); apiErr != nil {
		return apiErr
	}
	return nil
}

// readError is an answer that was cut short while being read.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// isTemporary reports whether an answer's failure may pass on a second
// try: a 5xx (in the HTTP status or the body), a 429, a page that is not
// JSON, or an answer cut short.
func isTemporary(err error) bool {
	if err == nil {
		return false
	}
	var re *readError
	if errors.As(err, &re) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.Temporary()
}

func transportError(e Endpoint, err error) error {
	return fmt.Errorf("inexopay: %s: %w", e, err)
}

// decodeAnswer turns an HTTP answer into out, or into the *APIError it
// describes.
func decodeAnswer(e Endpoint, resp *http.Response, body []byte, out wire.Headed) *APIError {
	// PHP files saved with a byte order mark send it before the JSON.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(body), utf8BOM))
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: string(e), kind: ErrServer,
			permanent: true, Message: redirectMessage(resp)}
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		ae := &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: string(e),
			ContentType: resp.Header.Get("Content-Type"), Snippet: snippet(trimmed)}
		if ok2xx {
			ae.kind = ErrServer
		}
		if len(trimmed) == 0 {
			ae.Message = "empty answer"
		} else {
			ae.Message = "answer is not JSON"
		}
		ae.RetryAfter = resp.Header.Get("Retry-After")
		return ae
	}
	var jerr error
	if ok2xx {
		if jerr = json.Unmarshal(trimmed, out); jerr == nil && !out.Head().Failed() {
			return nil
		}
	}
	var f wire.Failure
	if err := json.Unmarshal(trimmed, &f); err != nil {
		return &APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: string(e), kind: ErrServer,
			ContentType: resp.Header.Get("Content-Type"), Message: "answer is not valid JSON", Snippet: snippet(trimmed)}
	}
	ae := &APIError{HTTPStatus: resp.StatusCode, Endpoint: string(e), Status: f.Status.String(),
		Message: string(f.Message), RetryAfter: resp.Header.Get("Retry-After")}
	switch code, ok := f.Code(); {
	case ok:
		ae.Code = code
	case !ok2xx:
		ae.Code = resp.StatusCode
	}
	if rc, text, ok := f.RespCode(); ok {
		ae.Code = rc
		if ae.Message == "" {
			ae.Message = text
		}
	}
	if ok2xx && !f.Failed() {
		// The envelope says success but the answer did not fit its type; a
		// second try would get the same shape.
		ae.kind, ae.permanent = ErrServer, true
		ae.Message = "answer does not match the documented shape: " + describeJSONError(jerr)
	}
	return ae
}

// redirectMessage describes a redirect the SDK refused to follow, naming
// where it pointed without its query.
func redirectMessage(resp *http.Response) string {
	to := "elsewhere"
	if loc, err := resp.Location(); err == nil {
		loc.RawQuery, loc.Fragment, loc.User = "", "", nil
		to = loc.String()
	}
	return "redirected to " + to + "; the SDK does not follow redirects (check the base URL)"
}

// describeJSONError says which member of an answer had an unexpected type,
// in JSON terms rather than Go ones.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("member %q is a JSON %s, not %s", te.Field, te.Value, jsonKind(te.Type))
		}
		return fmt.Sprintf("a JSON %s where %s was expected", te.Value, jsonKind(te.Type))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	if err == nil {
		return "unknown"
	}
	return err.Error()
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a " + t.Kind().String()
}

// snippet returns the start of a non-JSON answer with markup removed and
// white space collapsed, for an error message.
func snippet(b []byte) string {
	const limit = 120
	var out strings.Builder
	inTag, space := false, false
	for i := 0; i < len(b) && out.Len() < limit; {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			space = true
		case inTag:
		case r == utf8.RuneError && size == 1:
		case r == ' ' || r == '\n' || r == '\t' || r == '\r':
			space = true
		default:
			if space && out.Len() > 0 {
				out.WriteByte(' ')
			}
			space = false
			out.WriteRune(r)
		}
	}
	return out.String()
}

// redact removes every sensitive value sent with a call (API key, Aadhaar
// number, OTP, PAN) from an error, should the API or a transport error have
// echoed it back.
func redact(err error, form url.Values, header http.Header) error {
	var secrets []string
	for _, f := range sensitiveFields {
		if v := form.Get(f); len(v) >= 4 {
			secrets = append(secrets, v)
		}
	}
	if v := header.Get("X-Api-Key"); len(v) >= 4 {
		secrets = append(secrets, v)
	}
	if len(secrets) == 0 {
		return err
	}
	clean := func(s string) string {
		for _, sec := range secrets {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, maskSecret(sec))
			}
		}
		return s
	}
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Message = clean(ae.Message)
		ae.Snippet = maskCutSecret(clean(ae.Snippet), secrets)
		ae.Status = clean(ae.Status)
	}
	if msg := err.Error(); clean(msg) != msg {
		return &redactedError{msg: clean(msg), err: err}
	}
	return err
}

// maskCutSecret masks the start of a secret that a snippet's length limit
// cut off at its end.
func maskCutSecret(s string, secrets []string) string {
	for _, sec := range secrets {
		for k := len(sec) - 1; k >= 2; k-- {
			if strings.HasSuffix(s, sec[:k]) {
				s = s[:len(s)-k] + strings.Repeat("X", k)
				break
			}
		}
	}
	return s
}

// maskSecret keeps the last four characters of a secret at most.
func maskSecret(s string) string {
	if len(s) <= 6 {
		return "[REDACTED]"
	}
	return strings.Repeat("X", len(s)-4) + s[len(s)-4:]
}

// redactedError replaces the text of an error that carried a secret, while
// keeping errors.Is and errors.As working on the original.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (c *Client) logCall(ctx context.Context, e Endpoint, status int, d time.Duration, err error) {
	if err == nil {
		if c.logger.Enabled(ctx, slog.LevelDebug) {
			c.logger.LogAttrs(ctx, slog.LevelDebug, "inexopay call", slog.String("endpoint", string(e)),
				slog.Int("http_status", status), slog.Duration("duration", d))
		}
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "inexopay call failed", slog.String("endpoint", string(e)),
		slog.Int("http_status", status), slog.Duration("duration", d), slog.String("error", err.Error()))
}

// leveledLogger adapts slog to retryablehttp's LeveledLogger. retryablehttp
// logs only the method, the URL (which carries no credentials: they travel
// in the body or headers) and transport errors.
type leveledLogger struct{ l *slog.Logger }

func (l leveledLogger) Error(msg string, kv ...any) { l.l.Debug("retryablehttp: "+msg, kv...) }
func (l leveledLogger) Info(msg string, kv ...any)  { l.l.Debug("retryablehttp: "+msg, kv...) }
func (l leveledLogger) Debug(msg string, kv ...any) { l.l.Debug("retryablehttp: "+msg, kv...) }
func (l leveledLogger) Warn(msg string, kv ...any)  { l.l.Debug("retryablehttp: "+msg, kv...) }
