// Package money parses rupee amounts into paise: the one strict amount
// parser behind ParseAmount, the CLI and the sandbox.
package money

import (
	"fmt"
	"strings"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// Parse parses s, a rupee amount without sign or exponent, with Indian or
// international comma grouping and at most two decimals, into paise no
// larger than max. Its errors match wire.ErrAmountSyntax or
// wire.ErrAmountRange and say why.
func Parse(s string, max int64) (int64, error) {
	bad := func(reason string) (int64, error) {
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
	digits, reason := wire.Ungroup(intPart)
	if reason != "" {
		return bad(reason)
	}
	if len(digits) > 11 { // over ₹99,99,99,99,999: beyond MaxAmount whatever follows
		return 0, fmt.Errorf("%w: %q is over the maximum: amounts are at most %s", wire.ErrAmountRange, truncateText(s), wire.FormatPaise(max))
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
	if n > max {
		return 0, fmt.Errorf("%w: %q is over the maximum: amounts are at most %s", wire.ErrAmountRange, truncateText(s), wire.FormatPaise(max))
	}
	return n, nil
}

// truncateText shortens s for an error message.
func truncateText(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
