package redact

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// RetryLogger adapts slog to retryablehttp's LeveledLogger, at Debug
// level. retryablehttp logs the method, the URL (which carries no
// credentials: they travel in the body or headers), waits, and the raw
// error of each failed attempt, which may quote an answer that echoed the
// request. It does not say which call an attempt belongs to, so the secrets
// to mask are unknown here: errors are logged as the facts about them that
// hold no request data (see safeErrorText), and any other value that is not
// a plain string, number or duration as its type only. The SDK's own
// "inexopay call failed" line carries the call's full error, redacted.
type RetryLogger struct{ l *slog.Logger }

// Error logs a retry library message at Debug, values made safe.
func (l RetryLogger) Error(msg string, kv ...any) { l.l.Debug("retryablehttp: "+msg, safeKV(kv)...) }

// Info logs a retry library message at Debug, values made safe.
func (l RetryLogger) Info(msg string, kv ...any) { l.l.Debug("retryablehttp: "+msg, safeKV(kv)...) }

// Debug logs a retry library message at Debug, values made safe.
func (l RetryLogger) Debug(msg string, kv ...any) { l.l.Debug("retryablehttp: "+msg, safeKV(kv)...) }

// Warn logs a retry library message at Debug, values made safe.
func (l RetryLogger) Warn(msg string, kv ...any) { l.l.Debug("retryablehttp: "+msg, safeKV(kv)...) }

// safeKV returns retryablehttp's key-value pairs with every value that may
// hold request data replaced by what can be said without it.
func safeKV(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		switch x := v.(type) {
		case string, bool, int, int64, time.Duration:
			out[i] = x
		case error:
			out[i] = safeErrorText(x)
		default:
			out[i] = fmt.Sprintf("(%T)", v)
		}
	}
	return out
}

// safeErrorText describes a transport error by facts that hold no request
// data: the operation and URL of a *url.Error, a timeout, the context's
// end, an errno, a dial failure, an end of stream. Its own text is left out:
// it may quote what the server sent.
func safeErrorText(err error) string {
	var parts []string
	var ue *url.Error
	if errors.As(err, &ue) {
		parts = append(parts, ue.Op+" "+ue.URL)
	}
	facts := len(parts)
	var op *net.OpError
	if errors.As(err, &op) {
		parts = append(parts, op.Op+" "+op.Net)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		parts = append(parts, "lookup "+dns.Name+": "+dns.Err)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		parts = append(parts, errno.Error())
	}
	for _, s := range safeSentinels {
		if errors.Is(err, s) {
			parts = append(parts, s.Error())
		}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		parts = append(parts, "timeout")
	}
	if len(parts) == facts {
		parts = append(parts, "transport error (details withheld: they may repeat the request)")
	}
	return strings.Join(parts, ": ")
}

// NewRetryLogger returns the retry library's logger writing to l at Debug.
func NewRetryLogger(l *slog.Logger) RetryLogger { return RetryLogger{l} }
