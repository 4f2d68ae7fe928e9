package wire

import (
	"fmt"
	"unicode"
)

// Blank reports whether s has no visible character: every rune is Unicode
// White_Space, a format or control character (categories Cf, Cc), or a
// filler that draws nothing (U+115F, U+1160, U+180E, U+2800, U+3164,
// U+FFA0). A must-have id, status or URL made only of such runes
// ("\u200b", "\ufeff", "\u00a0 \u2003") names nothing, so it is missing.
func Blank(s string) bool {
	for _, r := range s {
		if !Invisible(r) {
			return false
		}
	}
	return true
}

// Invisible reports whether r draws nothing, by [Blank]'s rule.
func Invisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x180E, 0x2800, 0x3164, 0xFFA0:
		return true
	}
	return unicode.Is(unicode.White_Space, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r)
}

// State is a must-have state word (data.status of the payment, PAN and
// Aadhaar verification answers): an OnlyStr that ReadWord does not find
// odd, so that a state with an invisible character around it that PHP's
// trim() keeps ("success\u00a0"), or the undocumented "successful", is
// never read as a documented state. A blank one decodes (as missing).
type State string

// UnmarshalJSON implements json.Unmarshaler.
func (s *State) UnmarshalJSON(b []byte) error {
	var o OnlyStr
	if err := o.UnmarshalJSON(b); err != nil {
		return err
	}
	if why := oddWhy(string(o)); why != "" && !Blank(string(o)) {
		return fmt.Errorf("state %q cannot be read: %s", truncate(string(o)), why)
	}
	*s = State(o)
	return nil
}
