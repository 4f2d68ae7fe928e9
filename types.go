package inexopay

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/money"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// Amount is a sum of money in paise, decoded exactly, without float rounding.
type Amount int64

// MaxAmount is the largest amount the SDK sends or parses, ₹10 crore.
const MaxAmount Amount = 10_00_00_000_00

// Rupees returns r whole rupees, saturating (never wrapping) when too large.
func Rupees(r int64) Amount {
	switch {
	case r > math.MaxInt64/100:
		return Amount(math.MaxInt64)
	case r < math.MinInt64/100:
		return Amount(math.MinInt64)
	}
	return Amount(r * 100)
}

// ParseAmount parses rupees ("1,00,000.50"), failing with the reason.
func ParseAmount(s string) (Amount, error) {
	p, err := money.Parse(strings.TrimSpace(s), int64(MaxAmount))
	if err != nil {
		return 0, err
	}
	return Amount(p), nil
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

// UnmarshalJSON decodes rupees exactly; it fails where [ParseAmount] does.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var p wire.Paise
	if err := p.UnmarshalJSON(b); err != nil {
		return err
	}
	*a = Amount(p)
	return nil
}

// Status is a transaction's state, lower-cased; an unknown state is kept.
type Status string

// The transaction states the API documents.
const (
	StatusPending Status = "pending"
	StatusSuccess Status = "success"
	StatusFailed  Status = "failed"
	StatusRefund  Status = "refund"
)

// ParseStatus normalises a status as the API's PHP compares it: trimmed as trim() trims, ASCII lower-cased.
func ParseStatus(s string) Status { return Status(wire.LowerASCII(wire.PHPTrim(s))) }

// Final reports whether s will not change any more: success, failed or refund.
func (s Status) Final() bool {
	return s == StatusSuccess || s == StatusFailed || s == StatusRefund
}

// UnmarshalJSON decodes a status; it fails on an object or array.
func (s *Status) UnmarshalJSON(b []byte) error {
	var v wire.Str
	if err := v.UnmarshalJSON(bytes.TrimSpace(b)); err != nil {
		return err
	}
	*s = ParseStatus(string(v))
	return nil
}

// MaskAadhaar replaces all but the last 4 characters with X ("XXXXXXXX0124").
func MaskAadhaar(aadhaar string) string { return redact.Keep(aadhaar, 4) }

// MaskPAN masks a PAN like [MaskAadhaar] ("XXXXXX013M").
func MaskPAN(pan string) string { return redact.Keep(pan, 4) }

// MaskMobile masks a mobile number like [MaskAadhaar] ("XXXXXX3210").
func MaskMobile(mobile string) string { return redact.Keep(mobile, 4) }
