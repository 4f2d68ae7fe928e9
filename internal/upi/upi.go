// Package upi parses and writes upi://pay payment links, the links a UPI
// app pays, refusing links a UPI app would read another way.
package upi

import (
	"net/url"
	"sort"
	"strings"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/money"
)

// Field is the ValidationError field of every Parse failure.
const Field = "UPIString"

// Known are the parameters a link has a field for, in the order Encode
// writes them: payee VPA, payee name, merchant code, currency, note,
// amount and reference.
var Known = []string{"pa", "pn", "mc", "cu", "tn", "am", "tr"}

// Link is a parsed upi://pay link: the value of each Known parameter
// (absent ones are ""), the amount in paise (0 when left to the payer),
// and every parameter as sent.
type Link struct {
	Values map[string]string
	Paise  int64
	Raw    url.Values
}

// Parse parses a upi://pay link (scheme and host in any case), with
// amounts no larger than max paise. It fails with a *ValidationError when
// it is not a upi://pay link, it has a '#' (a UPI app that splits the
// link on '&' reads the parameters after it too), its query is malformed,
// pa is missing or not
// name@handle, a Known parameter repeats, am is not a positive amount with
// at most two decimals, or cu is not INR.
func Parse(s string, max int64) (*Link, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		return nil, Error("is not a URL")
	}
	if !strings.EqualFold(u.Scheme, "upi") {
		return nil, Error("must be a upi:// link")
	}
	if !strings.EqualFold(u.Host, "pay") || (u.Path != "" && u.Path != "/") || u.User != nil {
		return nil, Error("must be a upi://pay link")
	}
	if strings.Contains(s, "#") {
		return nil, Error("has a '#': a UPI app may read the parameters after it")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, Error("has a malformed query")
	}
	l := &Link{Values: map[string]string{}, Raw: q}
	haveAm := false
	for _, key := range Known {
		var vals []string
		for k, v := range q {
			if strings.EqualFold(k, key) {
				vals = append(vals, v...)
			}
		}
		if len(vals) > 1 {
			return nil, Error("gives " + key + " more than once")
		}
		if len(vals) == 1 {
			l.Values[key] = vals[0]
			haveAm = haveAm || key == "am"
		}
	}
	if l.Values["pa"] == "" {
		return nil, Error("pa (payee VPA) is required")
	}
	if !isVPA(l.Values["pa"]) {
		return nil, Error("pa must be a VPA such as name@bank")
	}
	if haveAm {
		a, ok := parseAmount(l.Values["am"], max)
		if !ok {
			return nil, Error("am must be a positive rupee amount with at most two decimals")
		}
		l.Paise = a
	}
	if c := l.Values["cu"]; c != "" && !strings.EqualFold(c, "INR") {
		return nil, Error("cu must be INR")
	}
	return l, nil
}

// Error is the *ValidationError of a link that fails for reason.
func Error(reason string) error {
	return &apierr.ValidationError{Field: Field, Reason: reason}
}

// isVPA checks name@handle: a name of letters, digits, '.', '-' and '_',
// and a handle of letters, digits, '.' and '-', each non-empty.
func isVPA(s string) bool {
	name, handle, ok := strings.Cut(s, "@")
	if !ok || name == "" || handle == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	for i := 0; i < len(handle); i++ {
		if c := handle[i]; !isAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// parseAmount accepts digits with an optional decimal point, as UPI
// links write amounts ("100", "100.5", "100.50"), and parses them exactly.
func parseAmount(s string, max int64) (int64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return 0, false
		}
	}
	a, err := money.Parse(s, max)
	if err != nil || a <= 0 {
		return 0, false
	}
	return a, true
}

// Encode writes a upi://pay link: the Known parameters of values that are
// set, then the other parameters of raw in key order. It does not
// validate.
func Encode(values map[string]string, raw url.Values) string {
	var b strings.Builder
	b.WriteString("upi://pay")
	sep := byte('?')
	add := func(k, v string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(escape(k))
		b.WriteByte('=')
		b.WriteString(escape(v))
	}
	for _, k := range Known {
		if v := values[k]; v != "" {
			add(k, v)
		}
	}
	extra := make([]string, 0, len(raw))
	for k := range raw {
		if !isKnown(k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		for _, v := range raw[k] {
			add(k, v)
		}
	}
	return b.String()
}

func isKnown(k string) bool {
	for _, known := range Known {
		if strings.EqualFold(k, known) {
			return true
		}
	}
	return false
}

// escape percent-encodes everything but unreserved characters and '@'.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
