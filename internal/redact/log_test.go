package redact

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/stretchr/testify/assert"
)

func TestRetryableHTTPLogHoldsNoErrorText(t *testing.T) {
	logs := &secrettest.LogBuffer{}
	l := RetryLogger{secrettest.DebugLogger(logs)}
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
