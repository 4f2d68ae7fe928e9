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
// amounts no larger than max paise. It fails as Check does.
func Parse(s string, max int64) (*Link, error) {
	f, err := Check(s, max)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(strings.TrimSpace(s)) // Check parsed both
	q, _ := url.ParseQuery(u.RawQuery)
	l := &Link{Values: map[string]string{}, Paise: f.Paise, Raw: q}
	for i, key := range Known {
		if f.has[i] {
			l.Values[key] = f.vals[i]
		}
	}
	return l, nil
}

// Facts are the Known parameters of a checked link, and its amount in
// paise (0 when it has no am).
type Facts struct {
	vals  [7]string
	has   [7]bool
	count [7]int
	Paise int64
}

// Get is the value of the Known parameter key (as Known spells it) and
// whether the link has it.
func (f *Facts) Get(key string) (string, bool) {
	for i, k := range Known {
		if k == key {
			return f.vals[i], f.has[i]
		}
	}
	return "", false
}

// Check reads the upi://pay link s as Parse does, keeping only its Known
// parameters. It fails with a *ValidationError when s is not a upi://pay
// link, it has a '#' (a UPI app that splits the link on '&' reads the
// parameters after it too), its query is malformed, pa is missing or not
// name@handle, a Known parameter repeats, am is not a positive amount with
// at most two decimals, or cu is not INR. A link of printable ASCII whose
// query needs no decoding (no '%', '+' or ';') costs no allocation.
func Check(s string, max int64) (Facts, error) {
	s = strings.TrimSpace(s)
	var f Facts
	if q, ok := plainQuery(s); ok {
		for pair := range strings.SplitSeq(q, "&") {
			if pair != "" {
				k, v, _ := strings.Cut(pair, "=")
				f.add(k, v)
			}
		}
	} else {
		q, err := query(s)
		if err != nil {
			return f, err
		}
		for k, vals := range q {
			for _, v := range vals {
				f.add(k, v)
			}
		}
	}
	return f, f.check(max)
}

// plainQuery is the query of s when s is "upi://pay" (any case), an
// optional '/', then nothing or '?' and a query, all printable ASCII
// without '#', '%', '+' or ';': a link that url.Parse and url.ParseQuery
// would read as it is written.
func plainQuery(s string) (string, bool) {
	const head = "upi://pay"
	if len(s) < len(head) || !strings.EqualFold(s[:len(head)], head) {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '#' || c == '%' || c == '+' || c == ';' {
			return "", false
		}
	}
	rest := strings.TrimPrefix(s[len(head):], "/")
	if rest == "" {
		return "", true
	}
	if rest[0] != '?' {
		return "", false
	}
	return rest[1:], true
}

// query is the query of the upi://pay link s, read by url.Parse and
// url.ParseQuery.
func query(s string) (url.Values, error) {
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
	return q, nil
}

// add records the parameter k=v when k is Known (in any case).
func (f *Facts) add(k, v string) {
	for i, known := range Known {
		if strings.EqualFold(k, known) {
			f.vals[i], f.has[i] = v, true
			f.count[i]++
		}
	}
}

// check applies Parse's rules to the parameters read.
func (f *Facts) check(max int64) error {
	for i, key := range Known {
		if f.count[i] > 1 {
			return Error("gives " + key + " more than once")
		}
	}
	pa, _ := f.Get("pa")
	if pa == "" {
		return Error("pa (payee VPA) is required")
	}
	if !isVPA(pa) {
		return Error("pa must be a VPA such as name@bank")
	}
	if am, ok := f.Get("am"); ok {
		a, ok := parseAmount(am, max)
		if !ok {
			return Error("am must be a positive rupee amount with at most two decimals")
		}
		f.Paise = a
	}
	if c, _ := f.Get("cu"); c != "" && !strings.EqualFold(c, "INR") {
		return Error("cu must be INR")
	}
	return nil
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
