package redact

import (
	"regexp"
	"strings"
)

// This file masks free text (a webhook's remark, the text of a callback's
// error): the text itself is kept, with what looks like an Aadhaar number,
// a mobile number or a PAN masked (FreeText), and the value after a
// secret-named word (Labelled).

var (
	// aadhaarRunRE is 12 digits, also written in groups of 4 with a space
	// or a dash between them.
	aadhaarRunRE = regexp.MustCompile(`\b[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}\b`)
	// mobileRunRE is an Indian mobile number: 10 digits starting 6-9 (a
	// Unix time in seconds, which starts 1, is not one).
	mobileRunRE = regexp.MustCompile(`\b[6-9][0-9]{9}\b`)
	// panRunRE is a PAN in any case.
	panRunRE = regexp.MustCompile(`(?i)\b[a-z]{5}[0-9]{4}[a-z]\b`)
	// labelledRE is a secret-named word, a separator (":", "=" or white
	// space) and the value after it.
	labelledRE = regexp.MustCompile(`(?i)\b(otp|m?pin|cvv|token|api[_-]?key|key|secret|passw(?:or)?d|pass|pwd)(\s*[:=]\s*|\s+)("?)([^\s"&,;()]+)`)
)

// FreeText returns s with every run that looks like an Aadhaar number, a
// mobile number or a PAN keeping only its last 4 characters (the rest
// become X, as the public Mask functions do); the rest of the text is
// kept.
func FreeText(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s // every run masked holds a digit
	}
	s = aadhaarRunRE.ReplaceAllStringFunc(s, keep4)
	s = mobileRunRE.ReplaceAllStringFunc(s, keep4)
	return panRunRE.ReplaceAllStringFunc(s, keep4)
}

// Labelled returns s with the value after each secret-named word
// ("otp 482913", "key=sk_…", "token: …") shown as [REDACTED].
func Labelled(s string) string {
	return labelledRE.ReplaceAllString(s, "${1}${2}${3}"+redactedText)
}

// LogText masks s for a log line: token (when not empty) in any spelling,
// each of values (matched and masked by its shape, as a form field is),
// each of whole (hidden whole, as an OTP is), then FreeText and Labelled.
func LogText(s, token string, values, whole []string) string {
	var set Set
	if token != "" {
		set = set.with(secret{value: token, kind: secretText})
	}
	for _, v := range values {
		set = set.with(guessSecret(v))
	}
	for _, v := range whole {
		sec := guessSecret(v)
		sec.keep = 0
		set = set.with(sec)
	}
	return Labelled(FreeText(set.clean(s)))
}
