package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/ist"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for _, tc := range []struct {
		in     string
		want   time.Time
		offset int
	}{
		{"2026-05-04T10:00:00.000000Z", utc(2026, 5, 4, 10, 0, 0, 0), 0},
		{"2026-05-04T10:00:00.123456Z", utc(2026, 5, 4, 10, 0, 0, 123456000), 0},
		{"2026-05-04T10:00:00Z", utc(2026, 5, 4, 10, 0, 0, 0), 0},
		{"2025-01-15T10:30:00+00:00", utc(2025, 1, 15, 10, 30, 0, 0), 0},
		{"2025-01-15T16:00:00+05:30", utc(2025, 1, 15, 10, 30, 0, 0), 19800},
		{"2025-01-15T05:30:00-05:00", utc(2025, 1, 15, 10, 30, 0, 0), -18000},
		// Zone-less forms are IST.
		{"2025-01-15 10:30:00", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2025-01-15T10:30:00", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2025-01-15 10:30:00.5", utc(2025, 1, 15, 5, 0, 0, 500000000), 19800},
		{"2025-01-15T10:30:00.000000", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2025-01-15", utc(2025, 1, 14, 18, 30, 0, 0), 19800},
		{" 2025-01-15 10:30:00 ", utc(2025, 1, 15, 5, 0, 0, 0), 19800},
		{"2026-05-04 00:10:00", utc(2026, 5, 3, 18, 40, 0, 0), 19800},
	} {
		got, err := ParseTime(tc.in)
		if !assert.NoError(t, err, tc.in) {
			continue
		}
		assert.True(t, tc.want.Equal(got), "%q = %v, want %v", tc.in, got, tc.want)
		_, off := got.Zone()
		assert.Equal(t, tc.offset, off, "%q offset", tc.in)
	}
	for _, in := range []string{"", "0000-00-00 00:00:00", "0000-00-00"} {
		got, err := ParseTime(in)
		assert.NoError(t, err, in)
		assert.True(t, got.IsZero(), in)
	}
	for _, in := range []string{"15-01-2025", "2025/01/15 10:30:00", "2025-02-30 10:00:00", "2025-01-15 25:00:00",
		"yesterday", "1736937000", "2025-01-15T10:30:00+5:30", "2025-01-15T10:30:00Zjunk"} {
		_, err := ParseTime(in)
		assert.Error(t, err, in)
	}
}

func TestTimeJSON(t *testing.T) {
	var tm Time
	require.NoError(t, json.Unmarshal([]byte(`"2025-01-15 10:30:00"`), &tm))
	assert.True(t, time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC).Equal(time.Time(tm)))
	assert.Equal(t, ist.Zone, time.Time(tm).Location())

	tm = Time(time.Now())
	require.NoError(t, json.Unmarshal([]byte(`null`), &tm))
	assert.True(t, time.Time(tm).IsZero())
	tm = Time(time.Now())
	require.NoError(t, json.Unmarshal([]byte(`""`), &tm))
	assert.True(t, time.Time(tm).IsZero())

	// Best-effort: what is not a timestamp is the zero time, not an error.
	for _, in := range []string{`"soon"`, `{}`, `[]`, `true`, `1736937000`, `"15-01-2025"`} {
		tm = Time(time.Now())
		if assert.NoError(t, json.Unmarshal([]byte(in), &tm), in) {
			assert.True(t, time.Time(tm).IsZero(), in)
		}
	}
}

// The documented timestamp forms decode without allocating.
func TestTimeWellTypedAllocations(t *testing.T) {
	for _, in := range []string{`"2026-05-04T10:00:00.000000Z"`, `"2025-01-15T10:30:00+00:00"`, `"2025-01-15 10:30:00"`, `""`, `null`} {
		var tt Time
		b := []byte(in)
		assert.Zero(t, testing.AllocsPerRun(50, func() { _ = tt.UnmarshalJSON(b) }), in)
	}
}

// plainTime reads what it takes exactly as time.Parse does, and parseTime
// gives the same answer with and without it.
func FuzzPlainTime(f *testing.F) {
	for _, s := range []string{"2026-05-04T10:00:00.000000Z", "2025-01-15 10:30:00", "2025-01-15T10:30:00", "2024-02-29 23:59:59.5",
		"2023-02-29 10:00:00", "2025-13-01 00:00:00", "2025-01-15 24:00:00", "2025-01-15 10:30:60", "2025-01-15 10:30:00.1234567891",
		"2025-01-15 10:30:00.", "2025-01-15 10:30:00Z", "2025-01-15T10:30:00+05:30", "0001-01-01 00:00:00", "2025-1-15 10:30:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, ok := plainTime(v)
		if !ok {
			return
		}
		var want time.Time
		var err error
		if strings.HasSuffix(v, "Z") {
			want, err = time.Parse(time.RFC3339Nano, v)
		} else {
			layout := "2006-01-02 15:04:05.999999999"
			if v[10] == 'T' {
				layout = "2006-01-02T15:04:05.999999999"
			}
			want, err = time.ParseInLocation(layout, v, ist.Zone)
		}
		if err != nil || got != want {
			t.Fatalf("%q: plainTime %v, time.Parse %v %v", v, got, want, err)
		}
	})
}
