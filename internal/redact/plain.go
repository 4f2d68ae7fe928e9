package redact

import (
	"strings"
	"unicode/utf8"
)

// This file holds the fast paths that answer for plain text (ASCII without
// escapes) without the matcher: a secret such text can spell only with
// ASCII separators or none between its characters is looked for directly.

// plainMiss reports, without the matcher, that s holds no secret of the
// set: every secret is one that plain text can spell only with ASCII
// separators or none between its characters (see secret.plain), s is such
// text, and holds none of them so (see plainHolds).
func (set Set) plainMiss(s string) bool { return plainMissIn(set, s, strings.IndexByte) }

// plainMissIn is plainMiss for text of either kind (indexByte finds a
// byte in it).
func plainMissIn[T string | []byte](set Set, s T, indexByte func(T, byte) int) bool {
	for _, sec := range set {
		if !sec.plain {
			return false
		}
	}
	if !plainText(s) {
		return false
	}
	for _, sec := range set {
		if sec.plainNorm != "" && plainHolds(s, sec.plainNorm, false, indexByte) {
			return false
		}
	}
	return true
}

// plainHolds reports whether s, ASCII text, holds the ASCII secret sec
// with any number of ASCII separators (see asciiSeparator) or none between
// its characters, and with fold in any case (sec is then in lower case):
// every spelling of sec the matcher finds in text without escapes, and more
// (it sets no limit on the separators). A start of sec is tried only where
// sec's first character stands (found with indexByte when not fold), and a
// try ends at the first character that neither is sec's next one nor
// separates; a run of separators is read by at most len(sec) tries, so the
// work is linear in len(s).
func plainHolds[T string | []byte](s T, sec string, fold bool, indexByte func(T, byte) int) bool {
	at := func(j int) byte {
		c := s[j]
		if fold && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c
	}
	for i := 0; i < len(s); i++ {
		if fold {
			if at(i) != sec[0] {
				continue
			}
		} else if n := indexByte(s[i:], sec[0]); n < 0 {
			return false
		} else {
			i += n
		}
		k := 1
		for j := i + 1; k < len(sec) && j < len(s); j++ {
			if at(j) == sec[k] {
				k++
			} else if !asciiSeparator(s[j]) {
				break
			}
		}
		if k == len(sec) {
			return true
		}
	}
	return false
}

// plainText reports whether s cannot hold an escaped or separated spelling
// of anything: it is ASCII (no digits of other scripts, full-width forms or
// invisible separators), has no % or \ (URL and JSON escapes) and no &
// followed later by ; (an HTML character reference).
func plainText[T string | []byte](s T) bool {
	amp := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '%', c == '\\':
			return false
		case c == '&':
			amp = true
		case c == ';' && amp:
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// plainHoldsKey answers HoldsKey without the matcher when it can (sure):
// when s is plain text (see plainText) and every credential of set is one
// that such text spells only with ASCII separators or none between its
// characters (secret.plain), in any case.
func (set Set) plainHoldsKey(s string) (holds, sure bool) {
	if !plainText(s) {
		return false, false
	}
	for _, sec := range set {
		if sec.kind != secretText {
			continue
		}
		if !sec.plain {
			return false, false
		}
		if sec.plainFold != "" && plainHolds(s, sec.plainFold, true, strings.IndexByte) {
			return true, true
		}
	}
	return false, true
}
