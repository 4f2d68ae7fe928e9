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
// backslashes included, is shown as it is.
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
		case unicode.IsPrint(r):
			out.WriteString(s[i : i+n])
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
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
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
		case r == '\n' || r == '\t' || unicode.IsPrint(r):
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
