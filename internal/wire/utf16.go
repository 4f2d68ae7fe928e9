package wire

import "bytes"

// LoneSurrogate reports whether the JSON text body has a \u escape of an
// unpaired UTF-16 surrogate: a high one (\uD800–\uDBFF) not followed by an
// escaped low one, or a low one (\uDC00–\uDFFF) alone. PHP's json_decode
// refuses such a text (JSON_ERROR_UTF16) as it refuses invalid UTF-8,
// while encoding/json reads the escape as U+FFFD. body is valid JSON, so a
// backslash occurs only inside a string.
func LoneSurrogate(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			k := bytes.IndexByte(body[i:], '\\')
			if k < 0 {
				return false
			}
			i += k
		}
		if i+1 >= len(body) || body[i+1] != 'u' {
			i++ // a two-byte escape such as \\ or \"
			continue
		}
		r, ok := hex4(body, i+2)
		switch {
		case !ok:
			i++
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			if i+11 >= len(body) || body[i+6] != '\\' || body[i+7] != 'u' {
				return true
			}
			if lo, ok := hex4(body, i+8); !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

// hex4 reads the four hex digits at b[i:i+4].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
