package inexopaytest

import (
	"strings"
	"time"
)

// The sandbox judges requests by its own rules, as a lenient PHP back end
// would: values are trimmed (PHP's trim), required fields must be present,
// and only values that are obviously broken are refused. It deliberately
// does not share the SDK's validation, so that a test against it can show
// the SDK refusing what the API would take. Each rule returns true when the
// value is acceptable.

// digits reports whether s is n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// okMobile: 10 digits, the length of every Indian mobile number.
func okMobile(s string) bool { return digits(s, 10) }

// okPincode: 6 digits.
func okPincode(s string) bool { return digits(s, 6) }

// okOTP: 6 digits, as the document says.
func okOTP(s string) bool { return digits(s, 6) }

// okAadhaar: 12 digits, as the document says. The check digit is UIDAI's
// business, not this back end's.
func okAadhaar(s string) bool { return digits(s, 12) }

// okPAN: five letters, four digits, a letter, in any case.
func okPAN(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < 10; i++ {
		c := s[i] | 0x20 // lower-cases letters, leaves digits alone
		letter := c >= 'a' && c <= 'z'
		digit := s[i] >= '0' && s[i] <= '9'
		if (i < 5 || i == 9) && !letter || i >= 5 && i < 9 && !digit {
			return false
		}
	}
	return true
}

// okEmail: something@something.something.
func okEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.ContainsAny(s, " <>")
}

// okDate: YYYY-MM-DD, as the document says.
func okDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// okURL: an http or https URL.
func okURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") && len(l) > 7 || strings.HasPrefix(l, "https://") && len(l) > 8
}

// okID: an order id, agent id or request id; anything without control
// characters (a PHP back end stores what it gets).
func okID(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// arg is a form value trimmed the way PHP's trim() does.
func arg(c *call, name string) string { return strings.TrimSpace(c.form.Get(name)) }
