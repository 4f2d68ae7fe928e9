package redact

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryableHTTPLogHoldsNoErrorText(t *testing.T) {
	logs := &relSyncBuffer{}
	l := RetryLogger{relDebugLogger(logs)}
	raw := rawError("api_key=" + atkAPIKey)
	l.Error("request failed", "error", raw, "method", "POST", "url", "http://127.0.0.1/api", "req", &http.Request{})
	l.Debug("retrying request", "request", "POST http://127.0.0.1/api (status: 503)", "timeout", time.Second, "remaining", 2)
	l.Error("request failed", "error", &url.Error{Op: "Post", URL: "u", Err: context.DeadlineExceeded})
	out := logs.String()
	assert.NotContains(t, out, "api_key")
	assert.NotContains(t, out, "malformed")
	assert.Contains(t, out, `"error":"Post http://127.0.0.1:1/api/x: unexpected EOF"`)
	assert.Contains(t, out, `"req":"(*http.Request)"`)
	assert.Contains(t, out, `"remaining":2`)
	assert.Contains(t, out, `"error":"Post u: context deadline exceeded: timeout"`)
	var n int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		assert.Contains(t, line, `"level":"DEBUG"`)
		n++
	}
	assert.Equal(t, 3, n)
}

// relSyncBuffer is a log sink safe for concurrent writes.
type relSyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// relDebugLogger logs everything as JSON into buf. Times and durations are
// replaced by fixed text so that their digits cannot match a 6-digit OTP
// by chance.
func relDebugLogger(buf *relSyncBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			if a.Value.Kind() == slog.KindDuration {
				return slog.String(a.Key, "<duration>")
			}
			return a
		},
	}))
}

func (b *relSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *relSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
