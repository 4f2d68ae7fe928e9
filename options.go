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

// Option configures a Client; one that reports an error makes [NewClient] fail.
type Option func(*config) error

// WithBaseURL sets the API's base URL; an invalid one makes NewClient fail.
func WithBaseURL(base string) Option {
	return func(c *config) error {
		c.baseURL = base
		return nil
	}
}

// WithInsecureHTTP allows plain http off loopback (the key goes unencrypted).
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.allowInsecure = true
		return nil
	}
}

// WithHTTPClient sets the http.Client; a nil hc makes NewClient fail.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &ValidationError{Field: "httpClient", Reason: "must not be nil"}
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetry sets how often read-only calls are retried and the wait bounds; charging calls are
// retried only when nothing was sent. NewClient fails for bad values.
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

// WithLogger logs each call to l, never credentials or bodies.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent; one a header cannot hold fails NewClient.
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

// WithPath overrides one endpoint's path; a bad one makes NewClient fail.
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

// WithMaxResponseBytes caps an answer's size (1 MiB); n must be positive.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return &ValidationError{Field: "maxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	}
}

// maxResponseHeaderBytes bounds the headers of an answer on the SDK's own transport; larger headers
// fail the attempt, and are not retried.
const maxResponseHeaderBytes = 64 << 10

// newTransport returns a transport of the SDK's own, tuned so that many goroutines sharing one
// Client reuse their connections, with a bound on the size of an answer's headers.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	t.MaxResponseHeaderBytes = maxResponseHeaderBytes
	return t
}

// The hosts of the API, for [WithBaseURL].
const (
	// BaseURLSecure, the default, documents BodyAuth and HeaderAuth.
	BaseURLSecure = "https://secure.inexopay.in"
	// BaseURLMail is a newer portal; it documents BodyAuth only.
	BaseURLMail = "https://mail.inexopay.in"
	// BaseURLPanel is plain HTTP with BodyAuth only (needs WithInsecureHTTP; the key goes unencrypted).
	BaseURLPanel = "http://panel.inexopay.in"
)

// apiBases are the documented API hosts: no form or hand-off URL an answer gives may send the
// applicant there.
var apiBases = []string{BaseURLSecure, BaseURLMail, BaseURLPanel}

// WithObserver reports every call and attempt to o; given twice, to each.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		c.observer = joinObservers(c.observer, o)
		return nil
	}
}
