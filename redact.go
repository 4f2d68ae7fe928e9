package inexopay

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// sensitiveFields are form fields whose values never appear in an error or a
// log line, even when the API echoes them back in a message.
var sensitiveFields = [...]string{"api_key", "aadhaar_number", "otp", "pancard", "agent_pancard"}

// do performs one API call: it encodes params as a form, authenticates,
// posts with the retry policy for e, reads a bounded answer, decodes it

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
