package inexopay

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/call"
	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/redact"
)

// Version is the version of this SDK, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the host used unless [WithBaseURL] says otherwise.
const DefaultBaseURL = BaseURLSecure

// defaultMaxResponseBytes is the largest answer the SDK reads; a longer one is an error, not an
// allocation.
const defaultMaxResponseBytes = 1 << 20

// Client calls the INEXOPAY API; share one, it is safe for concurrent use.
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

	// transport sends each attempt: the SDK's own, or the Transport of the http.Client given with
	// WithHTTPClient (whose Timeout and Jar are kept too). The SDK never closes its connections.
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
	// traced says transport is net/http's *http.Transport, whose connection events httptrace
	// reports: a charging call's body then goes out in one write with the headers (see
	// internal/call).
	traced bool
	// sender sends every call: one retry layer and one http.Client, shared (internal/call).
	sender *call.Sender
	// keys caches the prepared secrets of the credentials (redaction).
	keys *redact.KeyCache
	// fixedHeader, when set, is the headers of every call without WithHeader, shared by them: the
	// Authenticator (BodyAuth) writes no header, the transport (net/http's) changes none, and there
	// is no cookie jar (http.Client adds its cookies to the request's headers).
	fixedHeader http.Header
}

// NewClient returns a Client; a nil auth or bad option is a [*ValidationError].
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
	if _, body := auth.(bodyAuth); body && c.traced && c.jar == nil {
		c.fixedHeader = c.callHeader(0)
	}
	c.sender = call.NewSender(call.Config{Transport: c.transport, Traced: c.traced, Timeout: c.timeout, Jar: c.jar,
		MaxBody: c.maxBody, RetryMin: c.retryMin, RetryMaxWait: c.retryMaxWait, Logger: c.retryLogger})
	c.Account = &AccountService{c}
	c.NSDLBank = &NSDLBankService{c}
	c.Wallet = &WalletService{c}
	c.PAN = &PANService{c}
	c.Aadhaar = &AadhaarService{c}
	return c, nil
}

// BaseURL returns the base URL the client posts to.
func (c *Client) BaseURL() string { return c.baseURL }

// Format prints "inexopay.Client(<base URL>)", never credentials.
func (c Client) Format(s fmt.State, _ rune) {
	_, _ = io.WriteString(s, "inexopay.Client("+c.baseURL+")")
}

// hostPort returns the host and port of the checked base URL base, the port from its scheme when
// base names none.
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

// Authenticator adds credentials to a request; its error fails the call.
type Authenticator interface {
	Authenticate(header http.Header, form url.Values) error
}

// credentials is the API key and username shared by both built-in authenticators. The key is held
// through a *string, which fmt prints as an address with every verb, so that not even reflection
// over unexported fields (printing a Client value, or an authenticator inside another struct, with
// %v, %+v or %s) can show it.
type credentials struct {
	key      *string
	username string
	// ctor is the constructor the caller used ("BodyAuth", "HeaderAuth"), to name the argument in
	// an error.
	ctor string
}

// newCredentials trims white space around the key and username (a key read from a file often ends
// with a newline; neither ever starts or ends with a space).
func newCredentials(ctor, apiKey, username string) credentials {
	apiKey = strings.TrimSpace(apiKey)
	return credentials{key: &apiKey, username: strings.TrimSpace(username), ctor: ctor}
}

func (c credentials) apiKey() string { return *c.key }

// check reports an empty key or username as a [*ValidationError] naming the argument as the caller
// wrote it.
func (c credentials) check() error {
	if c.apiKey() == "" {
		return &ValidationError{Field: "apiKey", Reason: "is empty: the first argument of " + c.ctor +
			" must be the API key from the INEXOPAY dashboard"}
	}
	if c.username == "" {
		return &ValidationError{Field: "username", Reason: "is empty: the second argument of " + c.ctor +
			" must be your INEXOPAY username"}
	}
	return nil
}

// checkAuth lets [NewClient] refuse the built-in authenticators' empty credentials at once rather
// than at the first call.
func checkAuth(a Authenticator) error {
	if c, ok := a.(interface{ check() error }); ok {
		return c.check()
	}
	return nil
}

type bodyAuth struct{ credentials }

// BodyAuth sends the credentials as form fields; empty ones fail [NewClient].
func BodyAuth(apiKey, username string) Authenticator {
	return bodyAuth{newCredentials("BodyAuth", apiKey, username)}
}

// Authenticate implements Authenticator.
func (a bodyAuth) Authenticate(_ http.Header, form url.Values) error {
	if err := a.check(); err != nil {
		return err
	}
	form.Set("api_key", a.apiKey())
	form.Set("username", a.username)
	return nil
}

// String returns a description that never includes the API key.
func (a bodyAuth) String() string {
	return "inexopay.BodyAuth(username=" + a.username + ", api_key=[REDACTED])"
}

// GoString implements fmt.GoStringer with the key redacted.
func (a bodyAuth) GoString() string { return a.String() }

type headerAuth struct{ credentials }

// HeaderAuth sends the credentials as headers; empty ones fail [NewClient].
func HeaderAuth(apiKey, username string) Authenticator {
	return headerAuth{newCredentials("HeaderAuth", apiKey, username)}
}

// Authenticate implements Authenticator.
func (a headerAuth) Authenticate(h http.Header, _ url.Values) error {
	if err := a.check(); err != nil {
		return err
	}
	h["X-Api-Key"] = []string{a.apiKey()}
	h["X-Api-Username"] = []string{a.username}
	return nil
}

// String returns a description that never includes the API key.
func (a headerAuth) String() string {
	return "inexopay.HeaderAuth(username=" + a.username + ", api_key=[REDACTED])"
}

// GoString implements fmt.GoStringer with the key redacted.
func (a headerAuth) GoString() string { return a.String() }

// AccountService checks your API account; its calls are read-only and retried.
type AccountService struct{ c *Client }

// NSDLBankService onboards NSDL agents and opens bank accounts.
type NSDLBankService struct{ c *Client }

// WalletService loads your API wallet by UPI QR. See docs/outcomes.md.
type WalletService struct{ c *Client }

// PANService files and tracks NSDL PAN applications. See docs/outcomes.md.
type PANService struct{ c *Client }

// AadhaarService verifies Aadhaar numbers by OTP; both calls charge.
type AadhaarService struct{ c *Client }
