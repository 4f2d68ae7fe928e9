package ist

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestZone(t *testing.T) {
	for _, month := range []time.Month{time.January, time.July} {
		name, off := time.Date(2026, month, 1, 0, 0, 0, 0, Zone).Zone()
		assert.Equal(t, "IST", name)
		assert.Equal(t, 19800, off, "UTC+05:30 with no daylight saving")
	}
}

func TestFormat(t *testing.T) {
	assert.Equal(t, "2026-05-04 15:30:00", Format(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)))
	assert.Equal(t, "2026-05-05 00:10:00", Format(time.Date(2026, 5, 4, 18, 40, 0, 0, time.UTC)), "the date turns in IST")
	parsed, err := time.ParseInLocation(Layout, "2026-05-04 15:30:00", Zone)
	assert.NoError(t, err)
	assert.True(t, parsed.Equal(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)))
}
