// Package secrettest spells secrets the ways an echoing server might, and
// finds them again in text, for the tests of packages that must never let
// a secret through (errors, logs, spans). It is used by tests only.
package secrettest

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Spellings returns secret written the ways the redaction suite knows: as
// it is, lower- and upper-cased, URL-escaped (once, twice, as a path),
// as HTML entities and JSON \u escapes, grouped by 4 with spaces, dashes,
// dots, NBSP, "&nbsp;" or "%20", each character apart with invisible or
// visible separators, and its digits in other scripts (full-width,
// Devanagari, Arabic-Indic, Thai, mathematical bold).
func Spellings(secret string) []string {
	groups := func(sep string) string {
		var parts []string
		for i := 0; i < len(secret); i += 4 {
			parts = append(parts, secret[i:min(i+4, len(secret))])
		}
		return strings.Join(parts, sep)
	}
	each := func(sep string) string { return strings.Join(strings.Split(secret, ""), sep) }
	var ent, uesc strings.Builder
	for _, r := range secret {
		fmt.Fprintf(&ent, "&#%d;", r)
		fmt.Fprintf(&uesc, `\u%04x`, r)
	}
	out := []string{
		secret, strings.ToLower(secret), strings.ToUpper(secret),
		url.QueryEscape(secret), url.PathEscape(secret), url.QueryEscape(url.QueryEscape(secret)),
		ent.String(), uesc.String(), html.EscapeString(secret),
		groups(" "), groups("-"), groups("."), groups("\u00a0"), groups("&nbsp;"), groups("%20"), groups("\t"),
		each(" "), each("-"), each("\u200b"), each("\u00ad"), each("\u200e"),
	}
	for _, zero := range []rune{0xFF10, 0x0966, 0x0660, 0x0E50, 0x1D7CE} {
		out = append(out, shiftDigits(secret, zero))
	}
	return out
}

// shiftDigits writes the ASCII digits of s in the script whose zero is
// zero.
func shiftDigits(s string, zero rune) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = zero + r - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Fold reads text the way a person (or a log search) would: HTML entities
// and URL escapes (twice) decoded, JSON \u escapes decoded, every decimal
// digit of any script and full-width letter folded to ASCII, upper-cased,
// and anything that is not a letter or digit dropped.
func Fold(s string) string {
	s = html.UnescapeString(s)
	for range 2 {
		if u, err := url.QueryUnescape(s); err == nil {
			s = u
		}
	}
	s = unescapeJSON(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 32)
		case r >= 0xFF21 && r <= 0xFF3A:
			b.WriteRune('A' + r - 0xFF21)
		case r >= 0xFF41 && r <= 0xFF5A:
			b.WriteRune('A' + r - 0xFF41)
		case r >= 0x1D7CE && r <= 0x1D7FF:
			b.WriteRune('0' + (r-0x1D7CE)%10)
		case unicode.IsDigit(r):
			start := r
			for unicode.IsDigit(start - 1) {
				start--
			}
			b.WriteRune('0' + (r-start)%10)
		}
	}
	return b.String()
}

// unescapeJSON decodes the \uXXXX escapes of s.
func unescapeJSON(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+5 < len(s) && s[i+1] == 'u' {
			if r, ok := hex4(s[i+2 : i+6]); ok {
				b.WriteRune(r)
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hex4 reads four hex digits.
func hex4(h string) (rune, bool) {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | (c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Finder reports which of its secrets show in a text, in any spelling
// that [Fold] reads back.
type Finder struct {
	names  []string
	folded []string
}

// NewFinder returns a Finder for secrets, given as name, value pairs.
func NewFinder(pairs ...string) *Finder {
	f := &Finder{}
	for i := 0; i+1 < len(pairs); i += 2 {
		f.names = append(f.names, pairs[i])
		f.folded = append(f.folded, Fold(pairs[i+1]))
	}
	return f
}

// Find returns the names of the secrets text holds.
func (f *Finder) Find(text string) []string {
	t := Fold(text)
	var found []string
	for i, s := range f.folded {
		if s != "" && strings.Contains(t, s) {
			found = append(found, f.names[i])
		}
	}
	return found
}

// LeakFinder returns a function that names the secret s holds in any
// spelling, or "". It is written apart from the SDK's own matcher: it
// undoes HTML, JSON and URL escaping (twice), ignores case for PANs and
// ignores separators between digits. Tests use it to search errors, logs
// and printed values for secrets a server echoed.
func LeakFinder(key string, digits, pans []string) func(s string) string {
	bareDigits := strings.NewReplacer(" ", "", "-", "", ".", "", "\u00a0", "", "_", "", "/", "", "+", "")
	return func(s string) string {
		views := []string{s}
		for v := s; ; {
			next := html.UnescapeString(jsonUnescape(percentDecode(v)))
			if next == v {
				break
			}
			v = next
			views = append(views, v)
		}
		for _, v := range views {
			for _, v := range []string{v, strings.ReplaceAll(v, "+", " ")} {
				if strings.Contains(v, key) {
					return "the API key"
				}
			}
			up := strings.ToUpper(v)
			for _, p := range pans {
				if strings.Contains(up, p) {
					return "PAN " + p[:2] + "…"
				}
			}
			bare := bareDigits.Replace(v)
			for _, d := range digits {
				if strings.Contains(bare, d) {
					return "digits " + d[:2] + "…"
				}
			}
		}
		return ""
	}
}

// percentDecode decodes every valid %XX, leaving anything else as it is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := parseHexByte(s[i+1 : i+3]); err == nil {
				b.WriteByte(v)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func parseHexByte(h string) (byte, error) {
	v, err := strconv.ParseUint(h, 16, 8)
	return byte(v), err
}

// jsonUnescape decodes \uXXXX (below 256) and \/.
func jsonUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	s = strings.ReplaceAll(s, `\/`, "/")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') && s[i+2] == '0' && s[i+3] == '0' {
			if v, err := parseHexByte(s[i+4 : i+6]); err == nil {
				b.WriteByte(v)
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ErrorChain returns err and every error reachable from it with Unwrap
// (both kinds), for tests that check each wrapped error for secrets.
func ErrorChain(err error) []error {
	var out []error
	var walk func(error, int)
	walk = func(err error, depth int) {
		if err == nil || depth > 50 {
			return
		}
		out = append(out, err)
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e, depth+1)
			}
		}
	}
	walk(err, 0)
	return out
}

// LowerHexEscape percent-escapes v like url.PathEscape, with lower-case hex.
func LowerHexEscape(v string) string {
	out := []byte(url.PathEscape(v))
	for i := 0; i+2 < len(out); i++ {
		if out[i] == '%' {
			out[i+1], out[i+2] = byte(strings.ToLower(string(out[i+1]))[0]), byte(strings.ToLower(string(out[i+2]))[0])
		}
	}
	return string(out)
}

// HTMLEntities writes v as HTML character references: every other letter
// or digit as a decimal reference, anything else as a hexadecimal one.
func HTMLEntities(v string) string {
	var b strings.Builder
	for i, c := range []byte(v) {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			if i%2 == 0 {
				fmt.Fprintf(&b, "&#%d;", c)
			} else {
				b.WriteByte(c)
			}
		default:
			fmt.Fprintf(&b, "&#x%X;", c)
		}
	}
	return b.String()
}

// Encodings returns the spellings in which a raw secret would show up if
// fmt printed it through reflection or a byte verb: as is, hex (both
// cases), and the decimal/octal byte lists of %d/%o on a []byte.
func Encodings(secret string) []string {
	b := []byte(secret)
	dec := make([]string, len(b))
	oct := make([]string, len(b))
	for i, c := range b {
		dec[i] = fmt.Sprintf("%d", c)
		oct[i] = fmt.Sprintf("%o", c)
	}
	out := []string{
		secret,
		hex.EncodeToString(b),
		strings.ToUpper(hex.EncodeToString(b)),
		strings.Join(dec, " "),
		strings.Join(oct, " "),
	}
	if len(b) >= 16 {
		out = append(out, base64.StdEncoding.EncodeToString(b)[:16])
	}
	return out
}

// CheckNoSecret fails t when out holds any of the Encodings of secrets.
func CheckNoSecret(t testing.TB, where, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, enc := range Encodings(s) {
			if strings.Contains(out, enc) {
				t.Errorf("%s leaks secret %q (as %q): %.400s", where, s, enc, out)
			}
		}
	}
}

// Printed returns every way a program may print v: the fmt verbs %v, %+v,
// %#v and %s, and a slog JSON and text line with v as an attribute.
func Printed(v any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n%+v\n%#v\n%s\n", v, v, v, v)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("result", "v", v)
	slog.New(slog.NewTextHandler(&b, nil)).Info("result", "v", v)
	return b.String()
}
