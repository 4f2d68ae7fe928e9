package secrettest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDebugLoggerDropsTimesAndDurations(t *testing.T) {
	var buf LogBuffer
	DebugLogger(&buf).Debug("call", "elapsed", 123456*time.Microsecond, "otp_len", 6)
	out := buf.String()
	assert.Contains(t, out, `"level":"DEBUG"`, "debug lines are written")
	assert.Contains(t, out, `"elapsed":"<duration>"`)
	assert.Contains(t, out, `"otp_len":6`)
	assert.NotContains(t, out, `"time"`, "the time of the line is left out")
	assert.NotContains(t, out, "123456", "no duration digits that could match an OTP")
}

func TestLogBufferTakesConcurrentWrites(t *testing.T) {
	var buf LogBuffer
	log := DebugLogger(&buf)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				log.Info("line")
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 400, strings.Count(buf.String(), "\n"), "every line is kept whole")
}

func TestLogBufferLines(t *testing.T) {
	var buf LogBuffer
	assert.Empty(t, buf.Lines(), "nothing written, no lines")
	_, _ = buf.Write([]byte("one\ntwo\n"))
	_, _ = buf.Write([]byte("three"))
	assert.Equal(t, []string{"one", "two", "three"}, buf.Lines())
}
