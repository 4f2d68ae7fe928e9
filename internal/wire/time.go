package wire

import (
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
	if v, quoted, ok := plain(b); ok {
		if quoted {
			// The conversion does not escape: it costs no allocation.
			if tt, ok := parseTime(string(v)); ok {
				*t = Time(tt)
			}
		}
		return nil
	}
	v, quoted, err := unquote(b)
	if err != nil || !quoted {
		return nil
	}
	if tt, ok := parseTime(v); ok {
		*t = Time(tt)
	}
	return nil
}

// ParseTime parses the timestamp forms INEXOPAY sends; see Time.
func ParseTime(v string) (time.Time, error) {
	if tt, ok := parseTime(v); ok {
		return tt, nil
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", truncate(strings.TrimSpace(v)))
}

// istLayouts are the zone-less forms ParseTime reads as IST, in the order
// tried.
var istLayouts = [...]string{ist.Layout, "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

// parseTime is ParseTime without the error, so that v does not escape.
func parseTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "0000-00-00") {
		return time.Time{}, true
	}
	if len(v) >= 19 && (v[10] == 'T' || v[10] == 't') && len(v) > 19 && hasZone(v[19:]) {
		tt, err := time.Parse(time.RFC3339Nano, v)
		if err == nil {
			return tt, true
		}
	}
	// Zone-less forms are IST. The layout the shape calls for is tried
	// first, so that a usual value costs no failed attempt (each costs an
	// allocated error); where two layouts fit, they agree.
	if l := istLayoutFor(v); l != "" {
		if tt, err := time.ParseInLocation(l, v, ist.Zone); err == nil {
			return tt, true
		}
	}
	for _, layout := range istLayouts {
		if tt, err := time.ParseInLocation(layout, v, ist.Zone); err == nil {
			return tt, true
		}
	}
	return time.Time{}, false
}

// istLayoutFor returns the zone-less layout v's shape calls for, or "".
func istLayoutFor(v string) string {
	switch {
	case len(v) == 10:
		return istLayouts[4]
	case len(v) == 19 && v[10] == ' ':
		return istLayouts[0]
	case len(v) == 19 && v[10] == 'T':
		return istLayouts[1]
	case len(v) > 19 && v[10] == ' ':
		return istLayouts[2]
	case len(v) > 19 && v[10] == 'T':
		return istLayouts[3]
	}
	return ""
}

func hasZone(rest string) bool {
	return strings.ContainsAny(rest, "Zz+-")
}
