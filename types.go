package inexopay

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// Amount is a sum of money in paise (1 rupee = 100 paise), decoded exactly
// from JSON numbers and strings, without float rounding.
type Amount int64

// MaxAmount is the largest amount the SDK sends or parses: ₹10 crore
// (₹10,00,00,000.00). The API document states no maximum; this bound is far
// above UPI's limits and the API's fees, and keeps every amount clear of
// int64 overflow. Validation refuses a larger amount before sending.
const MaxAmount Amount = 10_00_00_000_00

// Rupees returns an Amount of r whole rupees. It never wraps: beyond what
// an Amount holds it saturates to the largest (or smallest) Amount, which
// validation refuses (it is over [MaxAmount], or not positive).
func Rupees(r int64) Amount {
	switch {
	case r > math.MaxInt64/100:
		return Amount(math.MaxInt64)
	case r < math.MinInt64/100:
		return Amount(math.MinInt64)
	}
	return Amount(r * 100)
}

// ParseAmount parses rupees as a person writes them: digits with at most 2
// decimals ("1250.50", "107", "0.5"), optionally grouped by commas where
// Indian ("1,00,000") or international ("100,000") grouping puts them. It is
// the one amount parser of the SDK, the CLI and the sandbox. It fails, with
// an error that matches wire's ErrAmountSyntax or ErrAmountRange and says
// why, on a sign, an exponent ("1e3"), a misplaced comma ("2,50"), more
// than 2 decimals ("fractions of a paisa"), other text, and amounts over
// [MaxAmount].
func ParseAmount(s string) (Amount, error) {
	p, err := parseAmount(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return p, nil
}

func parseAmount(s string) (Amount, error) {
	bad := func(reason string) (Amount, error) {
		return 0, fmt.Errorf("%w: %q %s", wire.ErrAmountSyntax, truncateText(s), reason)
	}
	switch {
	case s == "":
		return bad("is empty")
	case s[0] == '-':
		if len(s) < 2 || s[1] < '0' || s[1] > '9' {
			return bad("is not a rupee amount")
		}
		return 0, fmt.Errorf("%w: %q: negative amounts are not accepted", wire.ErrAmountRange, truncateText(s))
	case strings.ContainsAny(s, "eE"):
		return bad("has an exponent; write the amount in digits")
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || hasDot && frac == "" {
		return bad("needs digits on both sides of the decimal point")
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return bad("is not a rupee amount")
		}
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return bad("has fractions of a paisa (at most 2 decimals)")
		}
		return bad("has more than 2 decimals (write at most 2 decimals)")
	}
	digits, reason := ungroup(intPart)
	if reason != "" {
		return bad(reason)
	}
	if len(digits) > 11 { // over ₹99,99,99,99,999: beyond MaxAmount whatever follows
		return 0, fmt.Errorf("%w: %q is over the maximum: amounts are at most %s", wire.ErrAmountRange, truncateText(s), MaxAmount)
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		n = n*10 + int64(digits[i]-'0')
	}
	n *= 100
	for i, f := 0, frac+"00"; i < 2; i++ {
		if i == 0 {
			n += int64(f[i]-'0') * 10
		} else {
			n += int64(f[i] - '0')
		}
	}
	if Amount(n) > MaxAmount {
		return 0, fmt.Errorf("%w: %q is over the maximum: amounts are at most %s", wire.ErrAmountRange, truncateText(s), MaxAmount)
	}
	return Amount(n), nil
}

// ungroup is wire.Ungroup: the one comma rule of ParseAmount and of the
// amounts in answers.
func ungroup(s string) (digits, reason string) { return wire.Ungroup(s) }

// truncateText shortens s for an error message.
func truncateText(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// String formats the amount in rupees with two decimals: "1250.50".
func (a Amount) String() string { return wire.FormatPaise(int64(a)) }

// Rupees returns the whole rupees of a, dropping the paise.
func (a Amount) Rupees() int64 { return int64(a) / 100 }

// Paise returns a in paise.
func (a Amount) Paise() int64 { return int64(a) }

// FormValue returns a as the API expects it: "100" or "100.50".
func (a Amount) FormValue() string {
	if a%100 == 0 {
		return strconv.FormatInt(int64(a)/100, 10)
	}
	return a.String()
}

// MarshalJSON encodes the amount as a JSON number in rupees: 1250.5 → 1250.50.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalJSON decodes a JSON number or string in rupees exactly; null
// and "" are zero. It fails, leaving a unchanged, on what ParseAmount
// refuses: a sign (so a negative amount), an exponent, an amount over
// [MaxAmount], blank text, a misplaced comma, fractions of a paisa. So
// MarshalJSON's output reads back only for amounts from 0 to MaxAmount.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var p wire.Paise
	if err := p.UnmarshalJSON(b); err != nil {
		return err
	}
	*a = Amount(p)
	return nil
}

// Status is the state of a transaction, lower-cased from whatever the API
// sends ("SUCCESS"); a state the SDK does not know is kept.
type Status string

// The transaction states the API documents.
const (
	StatusPending Status = "pending"
	StatusSuccess Status = "success"
	StatusFailed  Status = "failed"
	StatusRefund  Status = "refund"
)

// ParseStatus normalises a status as sent by the API.
func ParseStatus(s string) Status {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return Status(strings.ToLower(s))
		}
	}
	return Status(s)
}

// Final reports whether s will not change any more: success, failed or
// refund.
func (s Status) Final() bool {
	return s == StatusSuccess || s == StatusFailed || s == StatusRefund
}

// UnmarshalJSON decodes a status string, null (as "") or a number or
// boolean (as its text). It fails on an object or array.
func (s *Status) UnmarshalJSON(b []byte) error {
	var v wire.Str
	if err := v.UnmarshalJSON(bytes.TrimSpace(b)); err != nil {
		return err
	}
	*s = ParseStatus(string(v))
	return nil
}

// MaskAadhaar returns an Aadhaar number with all but its last 4 characters
// replaced by X ("XXXXXXXX0124"), for your own logs; shorter input is all X.
func MaskAadhaar(aadhaar string) string { return redact.Keep(aadhaar, 4) }

// MaskPAN masks a PAN like [MaskAadhaar] ("XXXXXX013M").
func MaskPAN(pan string) string { return redact.Keep(pan, 4) }

// MaskMobile masks a mobile number like [MaskAadhaar] ("XXXXXX3210").
func MaskMobile(mobile string) string { return redact.Keep(mobile, 4) }
