package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file cuts the text of a non-JSON answer to the snippet an error
// shows. The whole text is masked first (scrub), then cut: a cut made
// before the masking could end inside an escaped secret, whose start no
// longer spells the whole secret and would stay.

// SnippetLimit is about how many bytes of an answer's text a snippet
// keeps: Cut ends at the first character boundary at or past it.
const SnippetLimit = 120

// partialEscapeRE is an escape the end of a cut text may stop inside: a %XX
// (also escaped again, %25XX or %5CuXXXX), a JSON \uXXXX, an HTML character
// reference or named entity (also as &amp;…).
var partialEscapeRE = regexp.MustCompile(`(?:` + partialEscape + `)$`)

const partialEscape = `%(?:25)?[0-9A-Fa-f]?|%5[Cc](?:[uU][0-9A-Fa-f]{0,3})?|\\(?:[uU][0-9A-Fa-f]{0,3})?|&(?:amp;?)?(?:#[xX]?[0-9A-Fa-f]{0,7}|[A-Za-z][A-Za-z0-9]{0,15})?`

// Cut returns text cut to SnippetLimit bytes (at a character boundary),
// without an escape the cut would leave partial; text that fits is
// returned as it is.
func Cut(text string) string {
	if len(text) <= SnippetLimit {
		return text
	}
	n := SnippetLimit
	for n < len(text) && !utf8.RuneStart(text[n]) {
		n++
	}
	s := strings.TrimRight(text[:n], " ")
	if loc := partialEscapeRE.FindStringIndex(s); loc != nil {
		s = strings.TrimRight(s[:loc[0]], " ")
	}
	return s
}

// PANs returns s with every word shaped like a PAN (5 letters, 4 digits,
// a letter, in any case) masked to its last 4 characters, whoever sent it:
// what an error or a log line shows of a PAN.
func PANs(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	return panRunRE.ReplaceAllStringFunc(s, keep4)
}
