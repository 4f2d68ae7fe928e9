package inexopay

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// Amount is a sum of money in paise (1 rupee = 100 paise). It is exact: it
// decodes JSON numbers and strings without float rounding, and never turns
// 1250.50 into 1250.4999.
type Amount int64

// Rupees returns an Amount of r whole rupees. It does not check for
// overflow: r beyond ±92,233,720,368,547,758 wraps around.
func Rupees(r int64) Amount { return Amount(r * 100) }

// ParseAmount parses a rupee amount such as "1250.50", "107" or "107.00".
// It fails on text that is not a number, on fractions of a paisa ("1.005")
// and on amounts too large for an int64 of paise.
func ParseAmount(s string) (Amount, error) {
	p, err := wire.ParsePaise(s)
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

// FormValue returns the amount as the API expects it in a request: "100" for
// whole rupees, else "100.50".
func (a Amount) FormValue() string {
	if a%100 == 0 {
		return strconv.FormatInt(int64(a)/100, 10)
	}
	return a.String()
}

// MarshalJSON encodes the amount as a JSON number in rupees: 1250.5 → 1250.50.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalJSON decodes a JSON number or string in rupees exactly; null and
// "" decode as zero. It fails, leaving a unchanged, on any other text, on
// fractions of a paisa and on amounts too large for an int64 of paise.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var p wire.Paise
	if err := p.UnmarshalJSON(b); err != nil {
		return err
	}
	*a = Amount(p)
	return nil
}

// Status is the state of a transaction: pending, success, failed or refund.
// The SDK lower-cases whatever the API sends ("Success", "SUCCESS"); values
// it does not know are kept as sent, lower-cased.
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
// refund. Pending and unknown states are not final.
func (s Status) Final() bool {
	return s == StatusSuccess || s == StatusFailed || s == StatusRefund
}

// UnmarshalJSON decodes a status string, or null (as ""), and normalises
// it; a number or boolean is kept as its text. It fails, leaving s
// unchanged, on a JSON object or array.
func (s *Status) UnmarshalJSON(b []byte) error {
	var v wire.Str
	if err := v.UnmarshalJSON(bytes.TrimSpace(b)); err != nil {
		return err
	}
	*s = ParseStatus(string(v))
	return nil
}
