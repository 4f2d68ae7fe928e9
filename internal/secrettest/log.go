package secrettest

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
)

// LogBuffer is a log sink that is safe for concurrent writes, for a logger
// shared by the goroutines of one test. Its zero value is ready to use; it
// grows without bound, so it is for tests only.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer; it never fails.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// DebugLogger returns a logger that writes every record, debug ones
// included, as JSON lines into buf. The time of each line is left out and
// every duration is written as "<duration>", so that their digits cannot
// match a 6-digit OTP by chance and make a leak test fail falsely.
func DebugLogger(buf *LogBuffer) *slog.Logger {
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

// Lines returns what was written split at newlines, without the final
// newline; it returns no lines when nothing was written.
func (b *LogBuffer) Lines() []string {
	s := strings.TrimRight(b.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
