package wire

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/ist"
)

// Time accepts RFC 3339 timestamps with or without fractions
// ("2026-05-04T10:00:00.000000Z", "2025-01-15T10:30:00+00:00") and zone-less
// "2025-01-15 10:30:00" or "2025-01-15T10:30:00", which are IST. "", null and
// the MySQL zero date are the zero time. It is decoded best-effort and never
// fails: a value that is not one of these forms is the zero time too, so
// that a timestamp the SDK cannot read does not throw away the answer.
type Time time.Time

// UnmarshalJSON implements json.Unmarshaler; it never returns an error.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	if bytes.Equal(b, null) {
		return nil
	}
	v, quoted, err := unquote(b)
	if err != nil || !quoted {
		return nil
	}
	if tt, err := ParseTime(v); err == nil {
		*t = Time(tt)
	}
	return nil
}

// ParseTime parses the timestamp forms INEXOPAY sends; see Time.
func ParseTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "0000-00-00") {
		return time.Time{}, nil
	}
	if len(v) >= 19 && (v[10] == 'T' || v[10] == 't') && len(v) > 19 && hasZone(v[19:]) {
		tt, err := time.Parse(time.RFC3339Nano, v)
		if err == nil {
			return tt, nil
		}
	}
	// Zone-less forms are IST.
	for _, layout := range [...]string{ist.Layout, "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if tt, err := time.ParseInLocation(layout, v, ist.Zone); err == nil {
			return tt, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", truncate(v))
}

func hasZone(rest string) bool {
	return strings.ContainsAny(rest, "Zz+-")
}
