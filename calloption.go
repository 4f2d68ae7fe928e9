package inexopay

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/redact"
	"golang.org/x/net/http/httpguts"
)

// CallOption configures one call; a call ignores options that do not apply.
type CallOption func(*callConfig)

// callConfig is what the options of one call set. It is built once at the start of the call and
// only read after that.
type callConfig struct {
	// pollInitial and pollMax space the status calls of the wait helpers.
	pollInitial, pollMax time.Duration
	// maxRetries overrides the client's retry count when set (≥ 0).
	maxRetries int
	// header holds the headers WithHeader added, in canonical form.
	header http.Header
	// info receives what is known of the answer (WithResponseInfo).
	info *ResponseInfo
	// err is the first invalid option; the call is refused with it.
	err error
}

func newCallConfig(opts []CallOption) callConfig {
	if len(opts) == 0 {
		return callConfig{pollInitial: defaultPollInitial, pollMax: defaultPollMax, maxRetries: -1}
	}
	// Options are functions the compiler cannot see into, so c lives on the heap: only calls with
	// options pay for it.
	c := callConfig{pollInitial: defaultPollInitial, pollMax: defaultPollMax, maxRetries: -1}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.pollMax < c.pollInitial {
		c.pollMax = c.pollInitial
	}
	return c
}

// fail records the first invalid option of a call.
func (c *callConfig) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// ResponseInfo is what a call learnt of the API's last answer.
type ResponseInfo struct {
	HTTPStatus int
	Header     http.Header
	Body       []byte
	Attempts   int
	Duration   time.Duration

	// secrets are the call's, which the printed forms mask.
	secrets redact.Set
}

// shown is info as it is printed: the secrets of the call masked in the
// header and the body (the fields themselves keep the raw answer).
func (info ResponseInfo) shown() responseInfoShown {
	out := responseInfoShown{HTTPStatus: info.HTTPStatus, Header: info.Header, Body: info.Body,
		Attempts: info.Attempts, Duration: info.Duration}
	if len(info.secrets) == 0 {
		return out
	}
	if info.Header != nil {
		out.Header = make(http.Header, len(info.Header))
		for k, vs := range info.Header {
			masked := make([]string, len(vs))
			for i, v := range vs {
				masked[i] = info.secrets.Clean(v)
			}
			out.Header[info.secrets.Clean(k)] = masked
		}
	}
	if info.Body != nil {
		out.Body = []byte(info.secrets.Clean(string(info.Body)))
	}
	return out
}

// responseInfoShown is ResponseInfo without its methods, for fmt.
type responseInfoShown struct {
	HTTPStatus int
	Header     http.Header
	Body       []byte
	Attempts   int
	Duration   time.Duration
}

// Format prints info with the call's secrets masked, whatever the verb.
func (info ResponseInfo) Format(f fmt.State, verb rune) {
	sh := info.shown()
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "inexopay.ResponseInfo{HTTPStatus:%d, Header:%#v, Body:%#v, Attempts:%d, Duration:%d}",
			sh.HTTPStatus, sh.Header, sh.Body, sh.Attempts, int64(sh.Duration))
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), sh)
}

// LogValue is info with the call's secrets masked, for slog.
func (info ResponseInfo) LogValue() slog.Value {
	sh := info.shown()
	return slog.GroupValue(slog.Int("http_status", sh.HTTPStatus), slog.Any("header", sh.Header),
		slog.String("body", string(sh.Body)), slog.Int("attempts", sh.Attempts), slog.Duration("duration", sh.Duration))
}

// WithResponseInfo makes a call fill *info when it returns (nil is ignored).
func WithResponseInfo(info *ResponseInfo) CallOption {
	return func(c *callConfig) { c.info = info }
}

// reservedHeaders are the headers the SDK sets itself, or that change whether net/http may send a
// request again by itself. The hop-by-hop headers (Connection, Upgrade…) are refused too: HTTP/2
// refuses a request that carries them, on every try.
var reservedHeaders = [...]string{"Content-Type", "X-Api-Key", "X-Api-Username", "Idempotency-Key",
	"X-Idempotency-Key", "Host", "Content-Length",
	"Connection", "Upgrade", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Te", "Trailer"}

// WithHeader adds a header to one call; a reserved one refuses the call.
func WithHeader(key, value string) CallOption {
	return func(c *callConfig) {
		if !httpguts.ValidHeaderFieldName(key) {
			c.fail(&ValidationError{Field: "header", Reason: "name " + quoteName(key) + " is not a valid header name"})
			return
		}
		ck := http.CanonicalHeaderKey(key)
		for _, r := range reservedHeaders {
			if strings.EqualFold(ck, r) {
				c.fail(&ValidationError{Field: "header", Reason: ck + " is set by the SDK and cannot be given per call"})
				return
			}
		}
		if !httpguts.ValidHeaderFieldValue(value) {
			c.fail(&ValidationError{Field: "header", Reason: "the value of " + ck + " contains a byte a header cannot hold (such as a line break)"})
			return
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(ck, value)
	}
}

// quoteName quotes a header name for an error message, cut to a sane length.
func quoteName(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, `"`+s+`"`), "?")
}

// maxRetryCount is the largest retry count [WithRetry] and [WithMaxRetries] accept.
const maxRetryCount = 20

// WithMaxRetries overrides [WithRetry] for one call; n must be 0 to 20.
func WithMaxRetries(n int) CallOption {
	return func(c *callConfig) {
		if n < 0 || n > maxRetryCount {
			c.fail(&ValidationError{Field: "maxRetries", Reason: "must be between 0 and 20"})
			return
		}
		c.maxRetries = n
	}
}

// Default poll intervals of WaitForPayment and WaitForCompletion.
const (
	defaultPollInitial = 2 * time.Second
	defaultPollMax     = 30 * time.Second
)
