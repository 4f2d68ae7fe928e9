package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Everything the command prints that came from the network (an API
// message, a field of an answer, a webhook) goes through oneLine (text) or
// jsonSafe (-json), so that an answer cannot move the cursor, rewrite the
// line (\r), change colours or the window title (ESC and C1 controls such
// as U+009B), reorder the text (bidirectional overrides), or feed the
// terminal bytes that are not UTF-8.

// oneLine keeps a value on its line and inert on a terminal: each control
// character (C0, DEL, C1), format or separator character (such as U+202E or
// U+2028) and byte that is not UTF-8 is shown escaped as in a Go string
// literal (\n, \x1b, \u202e, \xff); every printable character, quotes and
// backslashes included, is shown as it is. Letters that draw nothing (the
// Hangul fillers, U+2800, U+180E) are escaped as well: see visible.
func oneLine(s string) string {
	if isInert(s) {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&out, `\x%02x`, s[i])
		case visible(r):
			out.WriteString(s[i : i+n])
		case unicode.IsPrint(r): // drawn as nothing: QuoteRune would keep it
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			q := strconv.QuoteRune(r)
			out.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return out.String()
}

// isInert reports whether s is valid UTF-8 made of printable characters and
// spaces only.
func isInert(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !visible(r) }) < 0
}

// visible reports whether r is printable and draws something: the Hangul
// fillers (U+115F, U+1160, U+3164, U+FFA0), the blank Braille pattern
// U+2800 and U+180E are printable letters to Unicode but show as nothing,
// so an answer could hide text between them.
func visible(r rune) bool {
	switch r {
	case 0x115f, 0x1160, 0x3164, 0xffa0, 0x2800, 0x180e:
		return false
	}
	return unicode.IsPrint(r)
}

// jsonSafe escapes, in JSON that encoding/json wrote, every character that
// is not printable and that encoding/json leaves as it is (DEL, C1 controls,
// format characters such as U+202E) as \uXXXX. Such characters can only be
// inside strings, where the escape means the same character, so the
// document decodes to the same values. Newlines and spaces between tokens
// are kept.
func jsonSafe(b []byte) []byte {
	if isInert(strings.NewReplacer("\n", "", "\t", "").Replace(string(b))) {
		return b
	}
	var out strings.Builder
	for _, r := range string(b) {
		switch {
		case r == '\n' || r == '\t' || visible(r):
			out.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&out, `\u%04x`, r)
		}
	}
	return []byte(out.String())
}
