// Package validate checks the formats of Indian identifiers and other request
// fields, and normalises the ways of writing them that are unambiguous. Every
// check returns "" when the value is valid, else a reason that never repeats
// the value, so that it is safe to put in an error string even when the value
// is a secret.
//
// Where each rule comes from: the PAN form AAAAA9999A is the Income Tax
// Department's; 10-digit mobiles starting 6-9 are India's numbering plan;
// 6-digit PIN codes not starting 0 are India Post's; 12-digit Aadhaar
// numbers not starting 0 or 1 with a Verhoeff check digit are UIDAI's. The
// INEXOPAY document itself states only "12-digit Aadhaar number", "6-digit
// OTP" and the date form YYYY-MM-DD.
package validate

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
)

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// PAN checks a permanent account number: five capital letters, four digits,
// one capital letter (AAAAA9999A).
func PAN(s string) string {
	if len(s) != 10 {
		return "must be 10 characters in the form AAAAA9999A"
	}
	for i := 0; i < 10; i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i < 5 || i == 9) && !letter || i >= 5 && i < 9 && !digit {
			return "must be in the form AAAAA9999A (capital letters and digits)"
		}
	}
	return ""
}

// Aadhaar checks a 12-digit Aadhaar number: digits only, not starting with 0
// or 1, with a valid Verhoeff check digit.
func Aadhaar(s string) string {
	if len(s) != 12 || !allDigits(s) {
		return "must be 12 digits"
	}
	if s[0] == '0' || s[0] == '1' {
		return "must not start with 0 or 1"
	}
	if !Verhoeff(s) {
		return "fails the Verhoeff check digit"
	}
	return ""
}

// Mobile checks an Indian mobile number: 10 digits starting 6-9.
func Mobile(s string) string {
	if len(s) != 10 || !allDigits(s) || s[0] < '6' {
		return "must be 10 digits starting with 6, 7, 8 or 9"
	}
	return ""
}

// Pincode checks an Indian postal code: 6 digits not starting with 0.
func Pincode(s string) string {
	if len(s) != 6 || !allDigits(s) || s[0] == '0' {
		return "must be 6 digits not starting with 0"
	}
	return ""
}

// OTP checks a one-time password: 6 digits.
func OTP(s string) string {
	if len(s) != 6 || !allDigits(s) {
		return "must be 6 digits"
	}
	return ""
}

// Email checks a bare e-mail address (no display name).
func Email(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "must be an e-mail address such as name@example.com"
	}
	return ""
}

// Date checks a calendar date in the form YYYY-MM-DD.
func Date(s string) string {
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return "must be a date in the form YYYY-MM-DD"
	}
	return ""
}

// ID checks an identifier the caller or the API chose (order ids, txn ids,
// agent ids, request ids): the API document states no format or length, so
// the only rule is that it holds no control characters (which no form
// field should carry). Emptiness is the caller's check.
func ID(s string) string {
	for _, r := range s {
		if unicode.IsControl(r) {
			return "must not contain control characters"
		}
	}
	return ""
}

// URL checks an absolute http or https URL.
func URL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}

var (
	verhoeffD = [10][10]uint8{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]uint8{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
	verhoeffInv = [10]uint8{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

// Verhoeff reports whether the last digit of s is the Verhoeff check digit of
// the others. s must be all digits.
func Verhoeff(s string) bool {
	if !allDigits(s) {
		return false
	}
	var c uint8
	for i := 0; i < len(s); i++ {
		c = verhoeffD[c][verhoeffP[i%8][s[len(s)-1-i]-'0']]
	}
	return c == 0
}

// VerhoeffDigit returns the check digit to append to the digits in s.
func VerhoeffDigit(s string) byte {
	var c uint8
	for i := 0; i < len(s); i++ {
		c = verhoeffD[c][verhoeffP[(i+1)%8][s[len(s)-1-i]-'0']]
	}
	return '0' + verhoeffInv[c]
}
