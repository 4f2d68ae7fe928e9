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
	if tt, ok := plainTime(v); ok {
		return tt, true
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

// plainTime reads the usual forms without time.Parse: "2006-01-02
// 15:04:05" or with a "T", then optionally "." and 1 to 9 digits, then
// optionally "Z" (UTC; IST without it). ok is false for anything else,
// out-of-range fields included, which parseTime reads with time.Parse.
func plainTime(v string) (time.Time, bool) {
	if len(v) < 19 || v[4] != '-' || v[7] != '-' || (v[10] != ' ' && v[10] != 'T') || v[13] != ':' || v[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(v[0:4])
	month, ok2 := digits(v[5:7])
	day, ok3 := digits(v[8:10])
	hour, ok4 := digits(v[11:13])
	minute, ok5 := digits(v[14:16])
	sec, ok6 := digits(v[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest, nsec := v[19:], 0
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && n <= 9 && '0' <= rest[n] && rest[n] <= '9' {
			nsec = nsec*10 + int(rest[n]-'0')
			n++
		}
		if n == 1 || (n < len(rest) && '0' <= rest[n] && rest[n] <= '9') {
			return time.Time{}, false
		}
		for k := n; k <= 9; k++ {
			nsec *= 10
		}
		rest = rest[n:]
	}
	loc := ist.Zone
	switch {
	case rest == "Z" && v[10] == 'T':
		loc = time.UTC
	case rest != "":
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), true
}

// digits reads s as a non-negative decimal number; false unless all digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// daysIn returns the days of month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
