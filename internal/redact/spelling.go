package redact

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// normRune returns the character r stands for when an echo is compared
// with a secret: the ASCII digit of a decimal digit of any script, the
// ASCII character of a full-width form (U+FF01 to U+FF5E), else r.
func normRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		return r
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	}
	if d, ok := decimalValue(r); ok {
		return '0' + d
	}
	return r
}

// digitRuns are the runs of decimal digits (Unicode category Nd), sorted.
// Unicode encodes the digits of each script as runs of ten from its zero,
// so a digit's value is its distance from the start of its run, modulo 10.
var digitRuns = func() [][2]rune {
	var runs [][2]rune
	for _, r := range unicode.Nd.R16 {
		if r.Stride == 1 {
			runs = append(runs, [2]rune{rune(r.Lo), rune(r.Hi)})
		}
	}
	for _, r := range unicode.Nd.R32 {
		if r.Stride == 1 {
			runs = append(runs, [2]rune{rune(r.Lo), rune(r.Hi)})
		}
	}
	return runs
}()

// bmpDigits marks the decimal digits below U+10000, one bit each, so that
// most characters are found not to be digits without a search.
var bmpDigits = func() *[1 << 16 / 64]uint64 {
	var bits [1 << 16 / 64]uint64
	for _, run := range digitRuns {
		for r := run[0]; r <= run[1] && r <= 0xFFFF; r++ {
			bits[r/64] |= 1 << (r % 64)
		}
	}
	return &bits
}()

// decimalValue returns the value of r when it is a decimal digit of any
// script.
func decimalValue(r rune) (rune, bool) {
	if r <= 0xFFFF && bmpDigits[r/64]&(1<<(r%64)) == 0 {
		return 0, false
	}
	lo, hi := 0, len(digitRuns)
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); digitRuns[m][1] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(digitRuns) && digitRuns[lo][0] <= r {
		return (r - digitRuns[lo][0]) % 10, true
	}
	return 0, false
}

// unitAt returns the character at s[pos] read through depth layers of
// unescaping, and where the next one starts. A layer undoes %XX (a UTF-8
// sequence of them reads as one character), \uXXXX (a surrogate pair reads
// as one character), \/, \\, \", \n, \t, \r, \b, \f, &#NN;, &#xHH; and
// the common named HTML entities; anything else reads as itself (a byte
// that is not UTF-8 as utf8.RuneError).
func unitAt(s string, pos, depth int) (rune, int, bool) {
	if pos >= len(s) {
		return 0, pos, false
	}
	if depth == 0 {
		if c := s[pos]; c < utf8.RuneSelf {
			return rune(c), pos + 1, true
		}
		r, n := utf8.DecodeRuneInString(s[pos:])
		return r, pos + n, true
	}
	c, p, _ := unitAt(s, pos, depth-1)
	switch c {
	case '%':
		if v, q, ok := hexUnits(s, p, depth-1, 2); ok {
			if v < utf8.RuneSelf {
				return v, q, true
			}
			return percentUTF8(s, v, q, depth-1)
		}
	case '\\':
		d, q, ok := unitAt(s, p, depth-1)
		switch {
		case !ok:
		case d == '/' || d == '\\' || d == '"':
			return d, q, true
		case d == 'n' || d == 't' || d == 'r' || d == 'b' || d == 'f':
			return jsonControl[d], q, true
		case d == 'u' || d == 'U':
			if v, r, ok := hexUnits(s, q, depth-1, 4); ok {
				return jsonSurrogates(s, v, r, depth-1)
			}
		}
	case '&':
		var name [16]rune
		n, q := 0, p
		for n < len(name) {
			d, r, ok := unitAt(s, q, depth-1)
			if !ok || d >= utf8.RuneSelf {
				break
			}
			q = r
			if d == ';' {
				if v, ok := htmlEntity(string(name[:n])); ok {
					return v, q, true
				}
				break
			}
			name[n] = d
			n++
		}
	}
	return c, p, true
}

// jsonControl are the characters JSON's one-letter escapes stand for.
var jsonControl = [...]rune{'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f'}

// percentUTF8 reads the rest of a UTF-8 sequence written as %XX escapes
// (read at depth) whose first byte, lead (0x80 to 0xFF), ends at pos. A
// sequence that is not UTF-8 reads as utf8.RuneError, one escape long.
func percentUTF8(s string, lead rune, pos, depth int) (rune, int, bool) {
	var buf [utf8.UTFMax]byte
	buf[0] = byte(lead & 0xFF)
	want := 0
	switch {
	case lead&0xE0 == 0xC0:
		want = 2
	case lead&0xF0 == 0xE0:
		want = 3
	case lead&0xF8 == 0xF0:
		want = 4
	default:
		return utf8.RuneError, pos, true
	}
	q := pos
	for n := 1; n < want; n++ {
		c, p, ok := unitAt(s, q, depth)
		if !ok || c != '%' {
			return utf8.RuneError, pos, true
		}
		v, r, ok := hexUnits(s, p, depth, 2)
		if !ok || v&0xC0 != 0x80 {
			return utf8.RuneError, pos, true
		}
		buf[n], q = byte(v&0xFF), r
	}
	r, _ := utf8.DecodeRune(buf[:want])
	return r, q, true
}

// jsonSurrogates completes a \uXXXX escape (v, ending at pos) that is the
// first half of a surrogate pair with the \uXXXX after it (read at depth).
func jsonSurrogates(s string, v rune, pos, depth int) (rune, int, bool) {
	if v < 0xD800 || v > 0xDBFF {
		return v, pos, true
	}
	if c, p, ok := unitAt(s, pos, depth); ok && c == '\\' {
		if d, q, ok := unitAt(s, p, depth); ok && (d == 'u' || d == 'U') {
			if lo, r, ok := hexUnits(s, q, depth, 4); ok {
				if pair := utf16.DecodeRune(v, lo); pair != utf8.RuneError {
					return pair, r, true
				}
			}
		}
	}
	return v, pos, true
}

// hexUnits reads n (at most 4) hex digits at depth.
func hexUnits(s string, pos, depth, n int) (rune, int, bool) {
	var v rune
	for range n {
		c, next, ok := unitAt(s, pos, depth)
		if !ok {
			return 0, pos, false
		}
		d, isHex := digitValue(c, true)
		if !isHex {
			return 0, pos, false
		}
		v, pos = v<<4|d, next
	}
	return v, pos, true
}

// htmlNamed are the named HTML character references an echo may use, for
// what the matcher compares: the escapes of ASCII and the separators.
var htmlNamed = map[string]rune{
	"amp": '&', "quot": '"', "lt": '<', "gt": '>', "apos": '\'', "plus": '+',
	"nbsp": ' ', "NonBreakingSpace": ' ', "ensp": ' ', "emsp": ' ', "thinsp": ' ',
	"ZeroWidthSpace": '\u200b', "zwnj": '\u200c', "zwj": '\u200d', "NoBreak": '\u2060', "shy": '\u00ad',
	"NewLine": '\n', "Tab": '\t', "hyphen": '-', "dash": '-', "comma": ',', "period": '.', "sol": '/',
	"lowbar": '_', "UnderBar": '_',
}

// htmlEntity decodes the name of an HTML character reference (between & and
// ;).
func htmlEntity(name string) (rune, bool) {
	if v, ok := htmlNamed[name]; ok {
		return v, true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, hex := name[1:], false
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, hex = digits[1:], true
	}
	var v rune
	for _, c := range digits {
		d, ok := digitValue(c, hex)
		if !ok {
			return 0, false
		}
		if hex {
			v = v*16 + d
		} else {
			v = v*10 + d
		}
		if v > unicode.MaxRune {
			return 0, false
		}
	}
	if digits == "" {
		return 0, false
	}
	return v, true
}

func upperRune(r rune) rune {
	if r >= 'a' && r <= 'z' {
		return r - 'a' + 'A'
	}
	return r
}

func lowerRune(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

func digitValue(c rune, hex bool) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case hex && c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case hex && c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
