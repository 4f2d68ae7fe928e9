package htmlform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// jsToken is a token of a script: an identifier or keyword ('i'), a string
// ('s', its text without quotes), a decimal number ('n'), punctuation
// ('p'), or 0 past the end. nl is set when a line break comes before it.
type jsToken struct {
	kind byte
	text string
	nl   bool
}

func (t jsToken) is(s string) bool { return t.kind != 0 && t.kind != 's' && t.text == s }

// describe says what the token is, for a refusal: short, and never a
// string's content (it may be an address).
func (t jsToken) describe() string {
	switch {
	case t.kind == 0:
		return "it ends early"
	case t.kind == 's':
		return "a string where none is allowed"
	case len(t.text) > 32:
		return "`" + t.text[:32] + "…`"
	}
	return "`" + t.text + "`"
}

// short is a tag or attribute name fit for a refusal: at most 24 bytes of
// letters, digits, '-' and ':'.
func short(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == ':' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '?'
	}, name)
	if len(name) > 24 {
		name = name[:24] + "…"
	}
	return name
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) || i == 0 && s[i] >= '0' && s[i] <= '9' {
			return false
		}
	}
	return s != ""
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// jsTokens splits a script into tokens, dropping comments (//, /* */, and
// the HTML-like <!-- and, at the start of a line, -->) and white space. It
// refuses what no allowed statement has: other punctuation, escapes,
// non-ASCII outside white space, template substitutions.
func jsTokens(s string) ([]jsToken, string) {
	var toks []jsToken
	nl, lineStart := false, true
	skipLine := func(i int) int {
		if j := strings.IndexAny(s[i:], "\n\r\u2028\u2029"); j >= 0 {
			return i + j
		}
		return len(s)
	}
	for i := 0; i < len(s); {
		c := s[i]
		rest := s[i:]
		switch {
		case c == '\n' || c == '\r':
			nl, lineStart = true, true
			i++
			continue
		case strings.HasPrefix(rest, "\u2028") || strings.HasPrefix(rest, "\u2029"):
			nl, lineStart = true, true
			i += len("\u2028")
			continue
		case strings.HasPrefix(rest, "//") || strings.HasPrefix(rest, "<!--") || lineStart && strings.HasPrefix(rest, "-->"):
			i = skipLine(i)
			continue
		case strings.HasPrefix(rest, "/*"):
			j := strings.Index(rest[2:], "*/")
			if j < 0 {
				return nil, "an unclosed comment"
			}
			if strings.ContainsAny(rest[2:2+j], "\n\r\u2028\u2029") {
				nl, lineStart = true, true
			}
			i += j + 4
			continue
		case c >= 0x80 || c == ' ' || c == '\t' || c == '\v' || c == '\f':
			r, n := utf8.DecodeRuneInString(rest)
			if c >= 0x80 && r != '\ufeff' && !unicode.Is(unicode.Zs, r) {
				return nil, "a character other than ASCII"
			}
			i += n
			continue
		}
		t := jsToken{nl: nl}
		nl, lineStart = false, false
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := strings.IndexByte(rest[1:], c)
			if j < 0 {
				return nil, "an unclosed string"
			}
			t.kind, t.text = 's', rest[1:1+j]
			if strings.ContainsAny(t.text, "\\\n\r") || c == '`' && strings.Contains(t.text, "${") {
				return nil, "a string with an escape, line break or substitution"
			}
		case c >= '0' && c <= '9':
			t.kind, t.text = 'n', rest[:len(rest)-len(strings.TrimLeft(rest, "0123456789"))]
			if len(t.text) < len(rest) && isIdentByte(rest[len(t.text)]) {
				return nil, "a number other than decimal digits"
			}
		case isIdentByte(c):
			n := 1
			for n < len(rest) && isIdentByte(rest[n]) {
				n++
			}
			t.kind, t.text = 'i', rest[:n]
		case strings.HasPrefix(rest, "=>"):
			t.kind, t.text = 'p', "=>"
		case strings.HasPrefix(rest, "=="):
			return nil, "`==`"
		case c == '\\':
			return nil, "an escape"
		case c < 0x21 || c > 0x7e:
			return nil, "a control character"
		case !strings.ContainsRune(".[](){};,:=", rune(c)):
			return nil, "`" + rest[:1] + "`"
		default:
			t.kind, t.text = 'p', rest[:1]
		}
		toks = append(toks, t)
		i += len(t.text)
		if t.kind == 's' {
			i += 2
		}
	}
	return toks, ""
}
