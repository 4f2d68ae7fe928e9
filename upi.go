package inexopay

import (
	"net/url"
	"sort"
	"strings"
)

// UPIPayment is a UPI payment link, such as the UPIString of a WalletQR:
// upi://pay with PayeeVPA (pa, name@handle), PayeeName (pn), Amount (am;
// zero when left to the payer), Currency (cu: "INR" or empty), Note (tn),
// Reference (tr, where INEXOPAY puts the order id) and MerchantCode (mc).
type UPIPayment struct {
	PayeeVPA     string
	PayeeName    string
	Amount       Amount
	Currency     string
	Note         string
	Reference    string
	MerchantCode string
	// Raw holds every query parameter as sent, also those without a field.
	Raw url.Values
}

// upiField is the ValidationError field of every [ParseUPI] failure.
const upiField = "UPIString"

// upiKnown are the parameters UPIPayment has a field for, in the order
// String writes them.
var upiKnown = []string{"pa", "pn", "mc", "cu", "tn", "am", "tr"}

// ParseUPI parses a UPI payment link such as
// "upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR&am=100&tr=WAL1"
// (scheme and host in any case). It fails with a [*ValidationError] when
// it is not a upi://pay link, its query is malformed, pa is missing or not
// name@handle, a known parameter repeats, am is not a positive amount with
// at most two decimals, or cu is not INR.
func ParseUPI(s string) (*UPIPayment, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		return nil, upiError("is not a URL")
	}
	if !strings.EqualFold(u.Scheme, "upi") {
		return nil, upiError("must be a upi:// link")
	}
	if !strings.EqualFold(u.Host, "pay") || (u.Path != "" && u.Path != "/") || u.User != nil {
		return nil, upiError("must be a upi://pay link")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, upiError("has a malformed query")
	}
	get := func(key string) (string, bool, error) {
		var vals []string
		for k, v := range q {
			if strings.EqualFold(k, key) {
				vals = append(vals, v...)
			}
		}
		switch len(vals) {
		case 0:
			return "", false, nil
		case 1:
			return vals[0], true, nil
		}
		return "", true, upiError("gives " + key + " more than once")
	}
	p := &UPIPayment{Raw: q}
	dst := map[string]*string{"pa": &p.PayeeVPA, "pn": &p.PayeeName, "mc": &p.MerchantCode,
		"cu": &p.Currency, "tn": &p.Note, "tr": &p.Reference}
	var am string
	var haveAm bool
	for _, key := range upiKnown {
		v, ok, err := get(key)
		if err != nil {
			return nil, err
		}
		if key == "am" {
			am, haveAm = v, ok
			continue
		}
		*dst[key] = v
	}
	if p.PayeeVPA == "" {
		return nil, upiError("pa (payee VPA) is required")
	}
	if !isVPA(p.PayeeVPA) {
		return nil, upiError("pa must be a VPA such as name@bank")
	}
	if haveAm {
		a, ok := parseUPIAmount(am)
		if !ok {
			return nil, upiError("am must be a positive rupee amount with at most two decimals")
		}
		p.Amount = a
	}
	if p.Currency != "" && !strings.EqualFold(p.Currency, "INR") {
		return nil, upiError("cu must be INR")
	}
	return p, nil
}

func upiError(reason string) error {
	return &ValidationError{Field: upiField, Reason: reason}
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

// parseUPIAmount accepts digits with an optional decimal point, as UPI
// links write amounts ("100", "100.5", "100.50"), and parses them exactly.
func parseUPIAmount(s string) (Amount, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return 0, false
		}
	}
	a, err := ParseAmount(s)
	if err != nil || a <= 0 {
		return 0, false
	}
	return a, true
}

// String encodes p as a upi://pay link: the fields that are set, then the
// other parameters of Raw in key order ("" for a nil p). It does not
// validate.
func (p *UPIPayment) String() string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("upi://pay")
	sep := byte('?')
	add := func(k, v string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(upiEscape(k))
		b.WriteByte('=')
		b.WriteString(upiEscape(v))
	}
	vals := map[string]string{"pa": p.PayeeVPA, "pn": p.PayeeName, "mc": p.MerchantCode,
		"cu": p.Currency, "tn": p.Note, "tr": p.Reference}
	if p.Amount != 0 {
		vals["am"] = p.Amount.FormValue()
	}
	for _, k := range upiKnown {
		if v := vals[k]; v != "" {
			add(k, v)
		}
	}
	extra := make([]string, 0, len(p.Raw))
	for k := range p.Raw {
		if !isUPIKnown(k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		for _, v := range p.Raw[k] {
			add(k, v)
		}
	}
	return b.String()
}

func isUPIKnown(k string) bool {
	for _, known := range upiKnown {
		if strings.EqualFold(k, known) {
			return true
		}
	}
	return false
}

// upiEscape percent-encodes everything but unreserved characters and '@'.
func upiEscape(s string) string {
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

// UPI parses the QR's UPIString. It fails like [ParseUPI], and when the
// link's amount or payee differs from the QR's, since a UPI app pays the
// link.
func (q *WalletQR) UPI() (*UPIPayment, error) {
	if q == nil {
		return nil, &ValidationError{Field: "WalletQR", Reason: "must not be nil"}
	}
	p, err := ParseUPI(q.UPIString)
	if err != nil {
		return nil, err
	}
	if q.Amount != 0 && p.Amount != q.Amount {
		return nil, upiError("am " + p.Amount.String() + " differs from the QR amount " + q.Amount.String())
	}
	if q.UPIID != "" && !strings.EqualFold(p.PayeeVPA, q.UPIID) {
		return nil, upiError("pa differs from the QR's UPI id")
	}
	return p, nil
}
