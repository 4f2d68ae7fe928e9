package inexopay

import (
	"encoding/json"
	"fmt"
	"github.com/inexopay/inexopay-go/internal/wire"
	"io"
	"iter"
	"log/slog"
	"net/url"
	"sort"
	"strings"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
)

// WebhookFields is every field of a webhook as received; printing masks secrets, while Get,
// Values, All and Map return them unmasked. See docs/outcomes.md.
type WebhookFields struct {
	body string // the form body as received
}

// lookup returns the first value of name and whether name was received.
func (f *WebhookFields) lookup(name string) (string, bool) {
	if f == nil {
		return "", false
	}
	for rest := f.body; ; {
		n, v, more, ok := nextFormPair(rest)
		if !ok {
			return "", false
		}
		rest = more
		if k, _ := unescapeTrim(n); k == name {
			val, _ := unescapeTrim(v)
			return val, true
		}
	}
}

// Get returns the first value of name, or "" when it was not received.
func (f *WebhookFields) Get(name string) string {
	v, _ := f.lookup(name)
	return v
}

// Has reports whether a field called name was received, even empty.
func (f *WebhookFields) Has(name string) bool {
	_, ok := f.lookup(name)
	return ok
}

// Values returns every value of name in order, or nil; the slice is new.
func (f *WebhookFields) Values(name string) []string {
	var vs []string
	for k, v := range f.All() {
		if k == name {
			vs = append(vs, v)
		}
	}
	return vs
}

// Names returns each field name once, in first-received order.
func (f *WebhookFields) Names() []string {
	var names []string
	seen := make(map[string]bool)
	for k := range f.All() {
		if !seen[k] {
			seen[k] = true
			names = append(names, k)
		}
	}
	return names
}

// Len returns how many fields were received, counting repeats.
func (f *WebhookFields) Len() int {
	n := 0
	for range f.All() {
		n++
	}
	return n
}

// All yields every field received, name and value, in order.
func (f *WebhookFields) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		if f == nil {
			return
		}
		for rest := f.body; ; {
			n, v, more, ok := nextFormPair(rest)
			if !ok {
				return
			}
			rest = more
			name, _ := unescapeTrim(n)
			value, _ := unescapeTrim(v)
			if !yield(name, value) {
				return
			}
		}
	}
}

// Map returns the fields, unmasked, as a new map (nil for a nil f).
func (f *WebhookFields) Map() map[string][]string {
	if f == nil {
		return nil
	}
	m := make(map[string][]string)
	for k, v := range f.All() {
		m[k] = append(m[k], v)
	}
	return m
}

// MarshalJSON encodes the fields as JSON, masked as printing masks them.
func (f *WebhookFields) MarshalJSON() ([]byte, error) {
	if f == nil {
		return []byte("null"), nil
	}
	return json.Marshal(f.masked())
}

// String returns the fields sorted by name, masked: "map[name:[value]]".
func (f *WebhookFields) String() string { return fmt.Sprint(f.masked()) }

// GoString returns the fields masked, in Go syntax.
func (f *WebhookFields) GoString() string {
	return "inexopay.WebhookFields" + strings.TrimPrefix(fmt.Sprintf("%#v", f.masked()), "map[string][]string")
}

// Format prints the fields masked for every verb.
func (f *WebhookFields) Format(s fmt.State, verb rune) {
	if verb == 'v' && s.Flag('#') {
		_, _ = io.WriteString(s, f.GoString())
		return
	}
	_, _ = fmt.Fprintf(s, fmt.FormatString(s, verb), f.masked())
}

// LogValue logs the fields as a group sorted by name, masked.
func (f *WebhookFields) LogValue() slog.Value {
	m := f.masked()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	attrs := make([]slog.Attr, 0, len(names))
	for _, k := range names {
		attrs = append(attrs, slog.Any(k, m[k]))
	}
	return slog.GroupValue(attrs...)
}

// masked returns the fields as a map, values masked by their name and shape, names by their shape
// (a name may be a stray value: a body of just "234567890124"). Names that mask alike share one
// entry.
func (f *WebhookFields) masked() map[string][]string {
	if f == nil {
		return nil
	}
	out := make(map[string][]string)
	for k, v := range f.All() {
		mk := maskByShape(k)
		out[mk] = append(out[mk], webhookFieldMask(k)(v))
	}
	return out
}

// webhookFieldMask says how a field named name prints.
func webhookFieldMask(name string) func(string) string {
	switch webhookSecretKind(name) {
	case "otp":
		return redact.OTP
	case "aadhaar":
		return MaskAadhaar
	case "pan":
		return MaskPAN
	case "mobile":
		return MaskMobile
	}
	return maskByShape
}

// webhookSecretKind says what secret a field named name holds by its name: "otp" (a token, key,
// secret, password, PIN, CVV or OTP, hidden whole), "aadhaar", "pan", "mobile", or "" for none.
func webhookSecretKind(name string) string {
	n := strings.ToLower(name)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("token", "key", "secret", "passw", "otp", "cvv") || n == "pin" || strings.HasSuffix(n, "_pin"):
		return "otp"
	case has("aadhaar", "aadhar", "uid"):
		return "aadhaar"
	case n == "pan" || has("pancard", "pan_", "_pan", "pannumber", "pan_no"):
		return "pan"
	case has("mobile", "phone"):
		return "mobile"
	}
	return ""
}

// maskByShape masks a value that looks like an Aadhaar number (12 digits), a mobile (10 digits) or
// a PAN, whatever its field's name; in any other value, the runs that look like one (see
// redact.FreeText).
func maskByShape(v string) string {
	switch {
	case len(v) == 12 && redact.AllDigits(v):
		return MaskAadhaar(v)
	case len(v) == 10 && redact.AllDigits(v):
		return MaskMobile(v)
	case len(v) == 10 && validate.PAN(strings.ToUpper(v)) == "":
		return MaskPAN(v)
	}
	return redact.FreeText(v)
}

// nextFormPair cuts the first pair that is not blank off a form body: its name and value, still
// encoded, and the rest of the body; ok is false when no pair is left. A pair without "=" has an
// empty value.
func nextFormPair(s string) (name, value, rest string, ok bool) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if strings.TrimSpace(pair) == "" {
			continue
		}
		name, value, _ = strings.Cut(pair, "=")
		return name, value, s, true
	}
	return "", "", "", false
}

// unescapePHPTrim decodes a form value (kept as received when its % escape
// is malformed) and trims it as PHP's trim() does, keeping the Unicode
// spaces (U+00A0) that strings.TrimSpace would strip: a status read by it is
// "success" only when PHP reads it so.
func unescapePHPTrim(val string) string {
	if s, err := url.QueryUnescape(val); err == nil {
		val = s
	}
	return wire.PHPTrim(val)
}

// unescapeTrim decodes a form value and trims surrounding spaces; with a malformed % escape it
// returns the value as received (trimmed) and false. A value without escapes is returned without a
// copy.
func unescapeTrim(val string) (string, bool) {
	if strings.IndexByte(val, '%') < 0 && strings.IndexByte(val, '+') < 0 {
		return strings.TrimSpace(val), true
	}
	s, err := url.QueryUnescape(val)
	if err != nil {
		return strings.TrimSpace(val), false
	}
	return strings.TrimSpace(s), true
}

// validEscapes reports whether every % in val starts an escape of two hex digits: whether
// url.QueryUnescape would decode val.
func validEscapes(val string) bool {
	for i := strings.IndexByte(val, '%'); i >= 0; {
		if i+2 >= len(val) || !isHex(val[i+1]) || !isHex(val[i+2]) {
			return false
		}
		next := strings.IndexByte(val[i+3:], '%')
		if next < 0 {
			break
		}
		i += 3 + next
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
