package inexopay

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/inexopay/inexopay-go/internal/validate"
)

// This file says what a secret of a call (the API key, an Aadhaar number, an
// OTP, a PAN) is and finds it in any spelling: escaped, with digits of any
// script or full-width forms, with separators between its characters.
// redact.go applies it to errors and answers, log.go to log lines.

// secretKind says how an echoed secret may be spelled and how it is masked.
// Every kind is matched in any escaping, with digits of any script and
// full-width forms read as ASCII (normRune) and invisible format characters
// between its characters (separates).
type secretKind uint8

const (
	// secretText is matched character for character (the API key).
	secretText secretKind = iota
	// secretDigits is a run of digits (Aadhaar number, OTP), matched with
	// separators (white space, dashes, dots, commas…) between the digits.
	secretDigits
	// secretFold is matched without regard to case, with separators
	// between its characters (a PAN).
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
	// only spelling of the secret is plainNorm verbatim: a secretText
	// without a space (which + could spell). plainNorm is empty when norm
	// is not ASCII (no such text can spell it then).
	plain     bool
	plainNorm string
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

// secretSet is every secret of one call, longest first so that a longer
// secret is masked before a shorter one found inside it.
type secretSet []secret

// callSecrets collects the secrets of a call from its form and headers.
func callSecrets(form url.Values, header http.Header) secretSet {
	return withCallSecrets(keySecrets(form[secretFields[0].name], header), form)
}

// keySecrets prepares the secrets of the credentials: the api_key form
// values and the secret headers.
func keySecrets(apiKeys []string, header http.Header) secretSet {
	var set secretSet
	for _, v := range apiKeys {
		set = set.with(secret{value: v, kind: secretFields[0].kind, keep: secretFields[0].keep})
	}
	for _, h := range secretHeaders {
		for _, v := range header.Values(h) {
			set = set.with(secret{value: v, kind: secretText, keep: 4})
			// "Bearer <token>": the token alone may be echoed.
			if _, tok, ok := strings.Cut(v, " "); ok {
				set = set.with(secret{value: strings.TrimSpace(tok), kind: secretText, keep: 4})
			}
		}
	}
	return set
}

// withCallSecrets adds to set the secrets of form other than the API key
// (Aadhaar number, OTP, PAN). set itself is not changed: a set that grows
// is a new one.
func withCallSecrets(set secretSet, form url.Values) secretSet {
	set = slices.Clip(set)
	for _, f := range secretFields[1:] {
		for _, v := range form[f.name] {
			set = set.with(secret{value: v, kind: f.kind, keep: f.keep})
		}
	}
	return set
}

// keySecretCache keeps the prepared secrets of the last credentials a
// Client sent, so that a call does not prepare them again. It is safe for
// concurrent use; a set it returns is never changed.
type keySecretCache struct {
	last atomic.Pointer[keySecretEntry]
}

type keySecretEntry struct {
	apiKeys []string
	headers [len(secretHeaders)][]string
	set     secretSet
}

// get returns the secrets of the credentials in apiKeys and header.
func (kc *keySecretCache) get(apiKeys []string, header http.Header) secretSet {
	if e := kc.last.Load(); e != nil && slices.Equal(e.apiKeys, apiKeys) && e.sameHeaders(header) {
		return e.set
	}
	e := &keySecretEntry{apiKeys: slices.Clone(apiKeys), set: slices.Clip(keySecrets(apiKeys, header))}
	for i, h := range secretHeaders {
		e.headers[i] = slices.Clone(header.Values(h))
	}
	kc.last.Store(e)
	return e.set
}

func (e *keySecretEntry) sameHeaders(header http.Header) bool {
	for i, h := range secretHeaders {
		if !slices.Equal(e.headers[i], header.Values(h)) {
			return false
		}
	}
	return true
}

// callSecrets is the package's callSecrets with the credentials' part
// taken from the Client's cache.
func (c *Client) callSecrets(form url.Values, header http.Header) secretSet {
	set := c.keys.get(form[secretFields[0].name], header)
	for _, f := range secretFields[1:] {
		if len(form[f.name]) > 0 {
			return withCallSecrets(set, form)
		}
	}
	return set
}

// with adds s to the set, longest first, unless it is too short or there.
func (set secretSet) with(s secret) secretSet {
	if len(s.value) < minSecretLen {
		return set
	}
	i := len(set)
	for k, have := range set {
		if have.value == s.value {
			return set
		}
		if len(s.value) > len(have.value) && i == len(set) {
			i = k
		}
	}
	for _, r := range s.value {
		if r = normRune(r); s.kind == secretFold {
			r = lowerRune(r)
		}
		s.norm = append(s.norm, r)
	}
	s.plain = s.kind == secretText && !slices.Contains(s.norm, ' ')
	if ascii := string(s.norm); s.plain && isASCII(ascii) {
		s.plainNorm = ascii
	}
	return slices.Insert(set, i, s)
}

// redactString returns s with every echo of the given secrets masked, in
// any of the spellings an API, a proxy or an HTML page may give it: as sent,
// URL-escaped (%2B, a lower-case %2b, + for a space, %252B), HTML-escaped
// (&#43;, &#x2B;, named references), JSON-escaped (\u002B, \/, surrogate
// pairs), with digits of any script (Devanagari, Arabic-Indic…) and
// full-width forms, with invisible format characters (zero-width spaces)
// between its characters, a PAN in any case, an Aadhaar number, OTP or PAN
// with white space (line breaks too), dashes, dots, commas, slashes or
// underscores between its characters. A secret of
// digits other than 12 (an OTP) is hidden whole; any other keeps its last
// 4 characters when it is longer than 6. Values shorter than 4 bytes are
// ignored. It is for text the API wrote that reaches a result by another
// way than the answer's members, which redactAnswer already cleans.
func redactString(s string, secrets ...string) string {
	var set secretSet
	for _, v := range secrets {
		set = set.with(guessSecret(v))
	}
	return set.clean(s)
}

// guessSecret says how to match and mask a value by its shape.
func guessSecret(v string) secret {
	switch {
	case len(v) == 12 && allDigits(v):
		return secret{value: v, kind: secretDigits, keep: 4}
	case allDigits(v):
		return secret{value: v, kind: secretDigits}
	case validate.PAN(strings.ToUpper(v)) == "":
		return secret{value: v, kind: secretFold, keep: 4}
	}
	return secret{value: v, kind: secretText, keep: 4}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clean masks every secret in s.
func (set secretSet) clean(s string) string { return set.mask(s, false) }

// mask masks every secret in s; with cut, a secret that s ends in the middle
// of (a snippet cut at its length limit) is masked too. s is compared on a
// normalised view (see normRune and separates) and the span of s that
// matched is replaced, so the text around an echo keeps its shape. Each
// position is tried once and a try reads at most a bounded number of
// characters (a secret's length times maxSeparators, through
// maxEscapeDepth layers), so the work is linear in len(s).
func (set secretSet) mask(s string, cut bool) string {
	if len(set) == 0 || s == "" || !cut && set.plainMiss(s) {
		return s
	}
	// An echo starts with the first character of a secret (in any case,
	// width or script) or with the start of an escape. An ASCII byte is
	// looked up; a character beyond ASCII is decoded and normalised first.
	var starts [utf8.RuneSelf]bool
	for _, c := range []byte("%\\&+") {
		starts[c] = true
	}
	var firstsBuf [8]rune
	firsts := firstsBuf[:0]
	for _, sec := range set {
		c := sec.norm[0]
		if c < utf8.RuneSelf {
			starts[c], starts[lowerRune(c)], starts[upperRune(c)] = true, true, true
		}
		firsts = append(firsts, c)
	}
	var b strings.Builder
	last := 0 // s[last:i] is not yet written
	for i := 0; i < len(s); {
		size := 1
		if c := s[i]; c < utf8.RuneSelf {
			if !starts[c] {
				i++
				continue
			}
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			size = n
			if r = normRune(r); !slices.Contains(firsts, r) && !slices.Contains(firsts, lowerRune(r)) {
				i += n
				continue
			}
		}
		var (
			end     = -1
			partial bool
			sec     secret
		)
		for _, sec = range set {
			if end, partial = sec.matchAt(s, i); end > i && (!partial || cut) {
				break
			}
			end = -1
		}
		if end < 0 {
			i += size
			continue
		}
		b.WriteString(s[last:i])
		if partial {
			b.WriteString(strings.Repeat("X", end-i))
		} else {
			b.WriteString(sec.mask())
		}
		i, last = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// plainMiss reports, without the matcher, that s holds no secret of the
// set: every secret is one that plain text can spell only verbatim (see
// secret.plain), s is such text, and holds none of them verbatim.
func (set secretSet) plainMiss(s string) bool {
	for _, sec := range set {
		if !sec.plain {
			return false
		}
	}
	if !plainText(s) {
		return false
	}
	for _, sec := range set {
		if sec.plainNorm != "" && strings.Contains(s, sec.plainNorm) {
			return false
		}
	}
	return true
}

// plainText reports whether s cannot hold an escaped or separated spelling
// of anything: it is ASCII (no digits of other scripts, full-width forms or
// invisible separators), has no % or \ (URL and JSON escapes) and no &
// followed later by ; (an HTML character reference).
func plainText(s string) bool {
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

// contains reports whether s holds any secret of the set.
func (set secretSet) contains(s string) bool { return set.clean(s) != s }

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
// separators between two of them. esc reports whether a character it read
// starts an escape.
func (sec secret) matchDepth(s string, i, depth int) (end int, partial, esc bool) {
	j, k, seps := i, 0, 0
	for k < len(sec.norm) {
		r, next, ok := unitAt(s, j, depth)
		if !ok {
			if k >= 2 && j >= len(s) {
				return j, true, esc
			}
			return -1, false, esc
		}
		esc = esc || r == '%' || r == '\\' || r == '&'
		got := normRune(r)
		if sec.kind == secretFold {
			got = lowerRune(got)
		}
		switch want := sec.norm[k]; {
		case got == want || r == '+' && want == ' ':
			k, seps = k+1, 0
		case k > 0 && seps < maxSeparators && sec.separates(r, got):
			seps++
		default:
			return -1, false, esc
		}
		j = next
	}
	return j, false, esc
}

// separates reports whether r (n once normalised) may stand between two
// characters of an echo of the secret: in any secret, an invisible format
// character (Unicode category Cf: zero-width spaces and joiners, the word
// joiner, a byte order mark, a soft hyphen); in an Aadhaar number, an OTP or
// a PAN also white space (line breaks and no-break spaces included), a
// dash, a dot, a comma, a slash, an underscore or a plus, in any width.
func (sec secret) separates(r, n rune) bool {
	if n < utf8.RuneSelf {
		if sec.kind == secretText {
			return false
		}
		switch n {
		case ' ', '-', '.', ',', '/', '_', '+', '\t', '\n', '\v', '\f', '\r':
			return true
		}
		return false
	}
	if unicode.Is(unicode.Cf, r) {
		return true
	}
	return sec.kind != secretText && (unicode.IsSpace(n) || unicode.Is(unicode.Pd, n))
}

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
// as one character), \/, \\, \", &#NN;, &#xHH; and the common named HTML
// entities; anything else reads as itself (a byte that is not UTF-8 as
// utf8.RuneError).
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
