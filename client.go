package inexopay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// Version is the version of this SDK, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the INEXOPAY API host the SDK talks to unless
// WithBaseURL says otherwise: BaseURLSecure, which documents both body and
// header authentication. BaseURLMail and BaseURLPanel (plain HTTP) publish
// the same API with body authentication only.
const DefaultBaseURL = "https://secure.inexopay.in"

// DefaultMaxResponseBytes is the largest answer the SDK reads; a longer one
// is an error, not an allocation.
const DefaultMaxResponseBytes = 1 << 20

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
	// noFormatChecks is WithoutValidation: only required fields are checked.
	noFormatChecks bool
}

// NewClient returns a Client that authenticates with auth. It fails with a
// *ValidationError when auth is nil, an option is invalid, or the base URL
// is not https (plain http is allowed for loopback hosts and with
// WithInsecureHTTP).
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

		noFormatChecks: cfg.noFormatChecks,
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

func isLoopback(host string) bool { return netutil.IsLoopbackHost(host) }

// into out and maps every failure to a typed error. orderID is reported in
// an *OutcomeUnknownError.
func (c *Client) do(ctx context.Context, e Endpoint, orderID string, params any, out wire.Headed, opts []CallOption) (err error) {
	call := newCallConfig(opts)
	_ = call // per-call settings are read below as they are added
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
		} else {
			redactAnswer(out, form, req.Header)
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
