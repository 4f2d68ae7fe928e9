package wire

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Paise is a rupee amount held exactly in paise. It decodes a JSON number or
// a string ("1250.50", "107", "1,250.50") without going through float64;
// null and "" decode as 0. It reads an amount the way the root package's
// ParseAmount does and fails on what ParseAmount refuses: a sign ("-100"),
// an exponent (1e2), an amount over MaxPaise, blank text ("   "), and a
// comma where neither Indian nor international grouping puts one ("2,50").
// Decimals beyond two are accepted only when they are zeros (107.000, as a
// PHP float may print), like ParsePaise.
type Paise int64

// MaxPaise is the largest amount an answer may carry: ₹10 crore in paise,
// the root package's MaxAmount.
const MaxPaise = 10_00_00_000_00

// UnmarshalJSON implements json.Unmarshaler.
func (p *Paise) UnmarshalJSON(b []byte) error {
	if v, _, ok := plain(b); ok {
		if n, ok := plainPaise(v); ok {
			*p = Paise(n)
			return nil
		}
	}
	return p.slowUnmarshalJSON(b)
}

// plainPaise reads v as ParsePaise does when it is 1 to 15 digits with up
// to two decimals ("1250", "1250.5") and at most MaxPaise; ok is false for
// anything else (a sign, an exponent, an amount over MaxPaise…), which the
// tolerant path reads or refuses.
func plainPaise(v []byte) (n int64, ok bool) {
	intPart, frac := v, []byte(nil)
	if i := bytes.IndexByte(v, '.'); i >= 0 {
		intPart, frac = v[:i], v[i+1:]
		if len(frac) == 0 {
			return 0, false // "12.": the tolerant path refuses it
		}
	}
	if len(intPart) == 0 || len(intPart) > 15 || len(frac) > 2 {
		return 0, false
	}
	for _, c := range intPart {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	for i := 0; i < 2; i++ {
		d := byte('0')
		if i < len(frac) {
			d = frac[i]
		}
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int64(d-'0')
	}
	if n > MaxPaise {
		return 0, false
	}
	return n, true
}

// slowUnmarshalJSON is the tolerant path of UnmarshalJSON.
func (p *Paise) slowUnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*p = 0
		return nil
	}
	v, _, err := unquote(b)
	if err != nil {
		return err
	}
	if v == "" {
		*p = 0
		return nil
	}
	t := strings.TrimSpace(v)
	switch {
	case t == "":
		return fmt.Errorf("%w: blank text", ErrAmountSyntax)
	case t[0] == '-' || t[0] == '+':
		return fmt.Errorf("%w: %q: a signed amount", ErrAmountRange, truncate(t))
	case strings.ContainsAny(t, "eE"):
		return fmt.Errorf("%w: %q has an exponent", ErrAmountSyntax, truncate(t))
	}
	if intPart, frac, dot := strings.Cut(t, "."); intPart == "" || dot && frac == "" {
		// ParseAmount's rule: ".5" and "12." are not amounts.
		return fmt.Errorf("%w: %q needs digits on both sides of the decimal point", ErrAmountSyntax, truncate(t))
	}
	if intPart, _, _ := strings.Cut(t, "."); strings.IndexByte(intPart, ',') >= 0 {
		if _, reason := Ungroup(intPart); reason != "" {
			return fmt.Errorf("%w: %q %s", ErrAmountSyntax, truncate(t), reason)
		}
	}
	n, err := ParsePaise(t)
	if err != nil {
		return err
	}
	if n > MaxPaise {
		return fmt.Errorf("%w: %q is over the maximum", ErrAmountRange, truncate(t))
	}
	*p = Paise(n)
	return nil
}

// Ungroup returns the digits of an integer part without its grouping
// commas, or why the commas are misplaced: every group but the first must
// have 3 digits (international), or the last 3 and the others 2 (Indian);
// the first group has 1 to 3 (international) or 1 to 2 (Indian) digits.
func Ungroup(s string) (digits, reason string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != ',' {
			return "", "is not a rupee amount"
		}
	}
	if strings.IndexByte(s, ',') < 0 {
		return s, "" // no allocation for an amount without grouping
	}
	groups := strings.Split(s, ",")
	first, rest := groups[0], groups[1:]
	last := rest[len(rest)-1]
	international, indian := len(first) >= 1 && len(first) <= 3, len(first) >= 1 && len(first) <= 2 && len(last) == 3
	for i, g := range rest {
		international = international && len(g) == 3
		if i < len(rest)-1 {
			indian = indian && len(g) == 2
		}
	}
	if !international && !indian {
		return "", "has a misplaced comma (group digits as 1,00,000 or 100,000)"
	}
	return strings.Join(groups, ""), ""
}

// ErrAmountSyntax and ErrAmountRange describe why ParsePaise failed.
var (
	ErrAmountSyntax = errors.New("not a rupee amount")
	ErrAmountRange  = errors.New("rupee amount out of range")
)

// ParsePaise parses a decimal rupee amount into paise exactly: an optional
// sign, digits (with optional thousands commas), and up to two decimals;
// further decimals are accepted only when they are zeros ("107.000").
// Exponents are accepted when the result is a whole number of paise
// ("1.5e2").
func ParsePaise(s string) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := parseExp(s[i+1:])
		if err != nil {
			return 0, fmt.Errorf("%w: %q", ErrAmountSyntax, truncate(s))
		}
		exp, s = e, s[:i]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	if intPart == "" && frac == "" {
		return 0, fmt.Errorf("%w: %q", ErrAmountSyntax, truncate(s))
	}
	digits := make([]byte, 0, len(intPart)+len(frac))
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ',' && exp == 0 && i > 0 && i < len(intPart)-1:
		default:
			return 0, fmt.Errorf("%w: %q", ErrAmountSyntax, truncate(s))
		}
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 0, fmt.Errorf("%w: %q", ErrAmountSyntax, truncate(s))
		}
	}
	digits = append(digits, frac...)
	// The value is digits × 10^(exp - len(frac)); in paise, × 10^2 more.
	scale := exp - len(frac) + 2
	if scale < 0 {
		// Drop trailing digits, which must be zeros.
		drop := -scale
		if drop > len(digits) {
			drop = len(digits)
		}
		for _, c := range digits[len(digits)-drop:] {
			if c != '0' {
				return 0, fmt.Errorf("%w: %q has fractions of a paisa", ErrAmountSyntax, truncate(s))
			}
		}
		digits = digits[:len(digits)-drop]
		scale = 0
	}
	if scale > 20 {
		return 0, fmt.Errorf("%w: %q", ErrAmountRange, truncate(s))
	}
	var n uint64
	for _, c := range digits {
		d := uint64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, fmt.Errorf("%w: %q", ErrAmountRange, truncate(s))
		}
		n = n*10 + d
	}
	for ; scale > 0; scale-- {
		if n > math.MaxInt64/10 {
			return 0, fmt.Errorf("%w: %q", ErrAmountRange, truncate(s))
		}
		n *= 10
	}
	if neg {
		return -int64(n), nil
	}
	return int64(n), nil
}

func parseExp(s string) (int, error) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || len(s) > 3 {
		return 0, ErrAmountSyntax
	}
	e := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, ErrAmountSyntax
		}
		e = e*10 + int(s[i]-'0')
	}
	if neg {
		e = -e
	}
	return e, nil
}

// FormatPaise formats paise as rupees with two decimals: "1250.50".
func FormatPaise(p int64) string {
	var buf [24]byte
	i := len(buf)
	var u uint64
	if p < 0 {
		u = uint64(^p) + 1 //nolint:gosec // ^p is -p-1 >= 0 here; +1 gives the magnitude, MinInt64 included
	} else {
		u = uint64(p) //nolint:gosec // p >= 0 here
	}
	for k := 0; k < 2; k++ {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	buf[i] = '.'
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if p < 0 {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
