package call

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
)

// checkRetry is the retry policy, asked after every attempt. The attempt
// itself decided whether its call may be retried (see call.failure and
// call.answerMark): read-only calls are retried after a failure with no
// answer, a 429, a 5xx (in the HTTP status or the body), an answer that is
// not JSON or was cut short; calls that charge only when the attempt
// provably left nothing on the network, so a request the API may have
// received is never sent twice. Nothing is retried once the context has
// ended.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var re *retryableError
		return errors.As(err, &re), nil
	}
	m, ok := resp.Body.(*answerMark)
	return ok && m.retry, nil
}

// IsPermanent reports transport errors that a retry cannot cure: a scheme
// or certificate the transport refuses, a header value it will not send
// (such as one with a line break), or an answer whose headers exceed the
// transport's limit.
func IsPermanent(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	return permanentTransportError(ue.Err)
}

// permanentTransportError is isPermanent for an error a transport returned
// (before http.Client wraps it in a *url.Error).
func permanentTransportError(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	if proxyRefusal(s) {
		return true
	}
	for _, p := range permanentTransportErrors {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// permanentTransportErrors are parts of the messages of net/http (HTTP/1.1
// and HTTP/2) for failures that repeat on every try.
var permanentTransportErrors = [...]string{
	"unsupported protocol scheme",
	"certificate",
	"stopped after",
	"invalid header field",
	"invalid method",
	"response headers exceeded",
	"header list larger than",
	// HTTP/2: an answer's header block the client cannot decode within its
	// limit (such as one over the header size bound), or a peer that breaks
	// the protocol for the whole connection.
	"COMPRESSION_ERROR",
	"connection error: PROTOCOL_ERROR",
	// A proxy that refuses the tunnel, and TLS that cannot agree on a
	// version or cipher: the same on every try.
	"Proxy Authentication Required",
	"protocol version not supported",
	"unsupported protocol version",
	"handshake failure",
	"no cipher suite supported",
}

// proxyRefusal reports the error net/http's Transport returns when a proxy
// answers CONNECT with a status other than 200: the status text alone
// ("Forbidden", "Bad Gateway", "Proxy Authentication Required"). The
// tunnel was never opened, so nothing was sent, and the proxy answers every
// try the same way.
func proxyRefusal(s string) bool {
	for code := 400; code < 600; code++ {
		if t := http.StatusText(code); t != "" && s == t {
			return true
		}
	}
	return false
}

// backoff waits between minWait·2^attempt/2 and minWait·2^attempt, capped at
// maxWait; a Retry-After on 429 or 503 is honoured up to maxWait.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := answer.ParseRetryAfter(resp.Header.Get("Retry-After")); ok {
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
