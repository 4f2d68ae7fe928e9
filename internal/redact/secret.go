// Package redact finds the secrets of a call in any spelling and masks them in errors, answers, log lines and printed values.
package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file says what a secret of a call (the API key, an Aadhaar number, an
// OTP, a PAN) is and finds it in any spelling: escaped, with digits of any
// script or full-width forms, with separators between its characters.
// redact.go applies it to errors and answers, log.go to log lines.

// secretKind says how an echoed secret may be spelled and how it is masked.
// Every kind is matched in any escaping, with digits of any script and
// full-width forms read as ASCII (normRune) and separators (white space,
// dashes, dots, commas, invisible characters…: see separates) between its
// characters, as a page or a log line may wrap or group a value.
type secretKind uint8

const (
	// secretText is matched in its own case (the API key).
	secretText secretKind = iota
	// secretDigits is a run of digits (Aadhaar number, OTP).
	secretDigits
	// secretFold is matched without regard to case (a PAN).
	secretFold
)

// secret is one value sent with a call that must never be shown whole.
type secret struct {
	value string
	kind  secretKind
	// keep is how many trailing characters the mask shows.
	keep int
	// norm is the value as an echo is compared with it: normalised by
	// normRune, in lower case for secretFold. set.with fills it.
	norm []rune
	// plain says that in ASCII text without escapes (see plainText) the
	// only spellings of the secret are plainNorm with ASCII separators or
	// none between its characters (see plainHolds): a secretText without a
	// space (which + could spell). plainNorm is empty when norm is not
	// ASCII (no such text can spell it then).
	plain     bool
	plainNorm string
	// plainFold is plainNorm in lower case, which HoldsKey looks for.
	plainFold string
	// foldNorm is, for a secretText, the norm of the same value as a
	// secretFold (in lower case), which HoldsKey matches; set.with fills it.
	foldNorm []rune
}

// mask is what replaces an echo of the secret.
func (sec secret) mask() string {
	if sec.keep == 0 || len(sec.value) <= sec.keep+2 {
		return redactedText
	}
	return strings.Repeat("X", len(sec.value)-sec.keep) + sec.value[len(sec.value)-sec.keep:]
}

// redactedText replaces a secret that is hidden whole.
const redactedText = "[REDACTED]"

// secretFields are the form fields whose values are secrets, with how they
// are matched and masked.
var secretFields = [...]struct {
	name string
	kind secretKind
	keep int
}{
	{"api_key", secretText, 4},
	{"aadhaar_number", secretDigits, 4},
	{"otp", secretDigits, 0},
	{"pancard", secretFold, 4},
	{"agent_pancard", secretFold, 4},
}

// secretHeaders are request headers whose values are secrets.
var secretHeaders = [...]string{"X-Api-Key", "Authorization"}

// minSecretLen is the shortest value treated as a secret: masking every
// echo of two or three characters would mangle any text.
const minSecretLen = 4

// maxEscapeDepth is how many layers of escaping an echo is looked through:
// 2 covers an escape escaped again (%252B, or %5Cu002B: a JSON escape put
// in a URL).
const maxEscapeDepth = 2

// maxSeparators is how many separators may stand between two characters of
// an echo: enough for a line break and an indent, or a space and a
// zero-width space around a dash.
const maxSeparators = 8

// matchAt reports where an echo of the secret that starts at s[i] ends, or
// -1. partial is true when s ends after at least 2 characters of the secret
// had matched. The echo may be escaped up to maxEscapeDepth times; a deeper
// layer is tried only when the one above read the start of an escape (it
// reads the same characters otherwise).
func (sec secret) matchAt(s string, i int) (end int, partial bool) {
	end = -1
	for depth := 0; depth <= maxEscapeDepth; depth++ {
		e, p, esc := sec.matchDepth(s, i, depth)
		if e > i && (end < 0 || partial && !p) {
			end, partial = e, p
			if !p {
				break
			}
		}
		if !esc {
			break
		}
	}
	return end, partial
}

// matchDepth matches the secret against s[i:] read through depth layers of
// unescaping, character by normalised character, with up to maxSeparators
// separators between two of them. A character of the secret that is itself
// a separator ("_" in a key) is matched where it first stands, maybe inside
// the separators before the one the echo meant, so after a run of n such
// characters up to (n+1) times maxSeparators, plus n, may follow. esc
// reports whether a character it read starts an escape.
func (sec secret) matchDepth(s string, i, depth int) (end int, partial, esc bool) {
	j, k, seps, sepRun := i, 0, 0, 0
	for k < len(sec.norm) {
		r, next, ok := unitAt(s, j, depth)
		if !ok {
			if k >= 2 && j >= len(s) {
				return j, true, esc
			}
			return -1, false, esc
		}
		if k >= 2 {
			if e, cut := cutMarkAt(s, j); cut {
				return e, true, esc
			}
		}
		esc = esc || r == '%' || r == '\\' || r == '&'
		got := normRune(r)
		if sec.kind == secretFold {
			got = lowerRune(got)
		}
		switch want := sec.norm[k]; {
		case got == want || r == '+' && want == ' ':
			k, seps = k+1, 0
			if sepRun++; !separates(r, got) {
				sepRun = 0
			}
		case k > 0 && seps < maxSeparators*(sepRun+1)+sepRun && separates(r, got):
			seps++
		default:
			return -1, false, esc
		}
		j = next
	}
	return j, false, esc
}

// separates reports whether r (n once normalised) may stand between two
// characters of an echo of a secret: white space (line breaks and no-break
// spaces included), a dash or a minus sign, a dot (a middle dot, a leader,
// an ideographic full stop too), a comma (an ideographic one too), a slash
// or a backslash, an underscore or a plus, in any width, or an invisible
// format character (Unicode category Cf: zero-width spaces and joiners,
// the word joiner, a byte order mark, a soft hyphen).
func separates(r, n rune) bool {
	if n >= 0 && n < utf8.RuneSelf {
		return asciiSeparator(byte(n))
	}
	switch n {
	case '\u00b7', '\u2024', '\u2027', '\u3001', '\u3002', '\uff61', '\uff64', '\u2212':
		// A middle dot, a one dot leader, a hyphenation point, an ideographic comma or full stop
		// (and their half-width forms), a minus sign.
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.IsSpace(n) || unicode.Is(unicode.Pd, n)
}

// asciiSeparator reports whether the ASCII character c separates (see
// separates).
func asciiSeparator(c byte) bool {
	switch c {
	case ' ', '-', '.', ',', '/', '\\', '_', '+', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// cutMark ends text the SDK cut short before its secrets could be masked
// (a value quoted in an error).
const cutMark = "…"

// partialEscapeOnlyRE is a partial escape and nothing else.
var partialEscapeOnlyRE = regexp.MustCompile(`^(?:` + partialEscape + `)$`)

// cutMarkAt reports whether s[j:] is the cut mark, maybe after an escape
// or a UTF-8 sequence the cut left partial, and where that part ends.
func cutMarkAt(s string, j int) (int, bool) {
	n := strings.Index(s[j:min(len(s), j+24+len(cutMark))], cutMark)
	if n < 0 {
		return 0, false
	}
	if rest := s[j : j+n]; rest != "" && !partialEscapeOnlyRE.MatchString(rest) &&
		(len(rest) >= utf8.UTFMax || utf8.ValidString(rest)) {
		return 0, false
	}
	return j + n, true
}
