package validate

import "strings"

// Trim removes white space around s.
func Trim(s string) string { return strings.TrimSpace(s) }

// NormalizePAN trims s and upper-cases its ASCII letters: "ntfps6013m"
// becomes "NTFPS6013M". PANs are case-insensitive on the card; the API's
// samples use capitals.
func NormalizePAN(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

// stripSeparators removes the spaces, hyphens, dots and parentheses people
// write inside numbers ("98765 43210", "98765-43210", "(0) 98765…").
func stripSeparators(s string) string {
	s = strings.TrimSpace(s)
	clean := true
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '-', '.', '(', ')', '\t':
			clean = false
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '-', '.', '(', ')', '\t':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// NormalizeMobile rewrites the unambiguous ways of writing an Indian mobile
// number as its 10 digits: "+91 98765 43210", "+919876543210",
// "0091 98765 43210", "919876543210", "09876543210" and "98765-43210" all
// become "9876543210". A prefix is dropped only when 10 digits starting 6-9
// remain; anything else is returned trimmed and separator-free, for Mobile
// to judge.
func NormalizeMobile(s string) string {
	d := stripSeparators(s)
	if Mobile(d) == "" {
		return d
	}
	for _, prefix := range [...]string{"+91", "0091", "91", "0"} {
		if rest, ok := strings.CutPrefix(d, prefix); ok && Mobile(rest) == "" {
			return rest
		}
	}
	return d
}

// NormalizeAadhaar removes the spaces and hyphens of the grouped form UIDAI
// prints ("2345 6789 0124").
func NormalizeAadhaar(s string) string { return stripSeparators(s) }

// NormalizeDigits removes spaces and hyphens written inside a number such as
// a PIN code ("852 105") or an OTP ("731 942").
func NormalizeDigits(s string) string { return stripSeparators(s) }

// NormalizeUpper trims s and upper-cases it, for enumerations the API spells
// in capitals (pan_mode EKYC, ESIGN).
func NormalizeUpper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// NormalizeLower trims s and lower-cases it, for enumerations the API
// spells in lower case (pan_type new_pan, correction).
func NormalizeLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
