package inexopay

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

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
	observer      Observer

	noFormatChecks bool // WithoutValidation, in validation.go
}

// Option configures a Client; pass options to NewClient. An option that
// reports an error makes NewClient fail with it; a nil Option is skipped.
type Option func(*config) error

// WithBaseURL sets the scheme and host (and an optional path prefix) of the
// API: one of BaseURLSecure (the default; body or header auth), BaseURLMail
// (a newer portal that calls itself the live base URL; BodyAuth only) or
// BaseURLPanel (plain HTTP; BodyAuth only; needs WithInsecureHTTP), or a
// host of your own. Plain http is refused for any
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

// WithHTTPClient sets the http.Client whose Transport, Timeout and Jar the
// SDK sends requests with; its CheckRedirect is not used (the SDK follows
// no redirect: it would send the credentials again, possibly elsewhere).
// The transport may be shared with other code: the SDK never closes its
// connections. Whatever the transport (HTTP/1.1, HTTP/2, a wrapper such as
// otelhttp), a call that charges is never sent twice by it: the SDK gives it
// a request it cannot replay. The client's Timeout bounds each attempt. A
// nil client is a *ValidationError from NewClient.
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
		if maxRetries < 0 || maxRetries > maxRetryCount {
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
// empty ua keeps the SDK's default, "inexopay-go/" + Version; one that a
// header cannot hold (such as one with a line break) makes NewClient fail
// with a *ValidationError.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if !httpguts.ValidHeaderFieldValue(ua) {
			return &ValidationError{Field: "userAgent", Reason: "contains a byte a header cannot hold (such as a line break)"}
		}
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
// 1 MiB). A longer answer is an *APIError that is not
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

// maxResponseHeaderBytes bounds the headers of an answer on the SDK's own
// transport; larger headers fail the attempt, and are not retried.
const maxResponseHeaderBytes = 64 << 10

// newTransport returns a transport of the SDK's own, tuned so that many
// goroutines sharing one Client reuse their connections, with a bound on
// the size of an answer's headers.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	t.MaxResponseHeaderBytes = maxResponseHeaderBytes
	return t
}
