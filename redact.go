package inexopay

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/inexopay/inexopay-go/internal/redact"
)

// This file is the Client's side of redaction (internal/redact finds and masks the secrets): the
// secrets of one call, and its log line.

// callSecrets is every secret of one call (form and headers), with the credentials' part taken from
// the Client's cache.
func (c *Client) callSecrets(form url.Values, header http.Header) redact.Set {
	return c.keys.CallSecrets(form, header)
}

// logCall logs one call: at Debug when it succeeded, at Warn (with its redacted error) when it
// failed.
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
