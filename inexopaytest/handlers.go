// Handlers: what the endpoint handlers share (answer timestamps and form
// field checks). Each product's handlers are in handlers_<product>.go.

package inexopaytest

import (
	"net/url"
	"strings"
	"time"
)

// Timestamp layouts of the answers.
const (
	// layoutNSDL is the NSDL bank records' UTC timestamp.
	layoutNSDL = "2006-01-02T15:04:05.000000Z"
	// layoutMeta is the Aadhaar meta time.
	layoutMeta = "2006-01-02T15:04:05+00:00"
)

func fmtNSDL(t time.Time) string { return t.UTC().Format(layoutNSDL) }

// missing returns the first of names the form lacks (empty after trimming).
func missing(form url.Values, names ...string) string {
	for _, n := range names {
		if strings.TrimSpace(form.Get(n)) == "" {
			return n
		}
	}
	return ""
}

// fieldCheck judges one form field by the sandbox's own rules (rules.go);
// ok reports whether the trimmed value is acceptable.
type fieldCheck struct {
	field string
	ok    func(string) bool
}

// firstInvalid returns the first field, in order, that is set and fails its
// check, or "".
func firstInvalid(f url.Values, checks []fieldCheck) string {
	for _, c := range checks {
		if v := strings.TrimSpace(f.Get(c.field)); v != "" && !c.ok(v) {
			return c.field
		}
	}
	return ""
}

func missingMsg(name string) string { return "Missing required parameter: " + name }
