package redact

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/inexopay/inexopay-go/internal/validate"
)

// Set is every secret of one call, longest first so that a longer
// secret is masked before a shorter one found inside it.
type Set []secret

// callSecrets collects the secrets of a call from its form and headers.
func callSecrets(form url.Values, header http.Header) Set {
	return withCallSecrets(keySecrets(form[secretFields[0].name], header), form)
}

// keySecrets prepares the secrets of the credentials: the api_key form
// values and the secret headers.
func keySecrets(apiKeys []string, header http.Header) Set {
	var set Set
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
func withCallSecrets(set Set, form url.Values) Set {
	set = slices.Clip(set)
	for _, f := range secretFields[1:] {
		for _, v := range form[f.name] {
			set = set.with(secret{value: v, kind: f.kind, keep: f.keep})
		}
	}
	return set
}

// KeyCache keeps the prepared secrets of the last credentials a
// Client sent, so that a call does not prepare them again. It is safe for
// concurrent use; a set it returns is never changed.
type KeyCache struct {
	last atomic.Pointer[keySecretEntry]
}

type keySecretEntry struct {
	apiKeys []string
	headers [len(secretHeaders)][]string
	set     Set
}

// get returns the secrets of the credentials in apiKeys and header.
func (kc *KeyCache) get(apiKeys []string, header http.Header) Set {
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

// with adds s to the set, longest first, unless it is too short or there.
func (set Set) with(s secret) Set {
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
	if s.kind == secretText {
		s.foldNorm = make([]rune, len(s.norm))
		for i, r := range s.norm {
			s.foldNorm[i] = lowerRune(r)
		}
	}
	s.plain = s.kind == secretText && !slices.Contains(s.norm, ' ')
	if ascii := string(s.norm); s.plain && isASCII(ascii) {
		s.plainNorm, s.plainFold = ascii, string(s.foldNorm)
	}
	return slices.Insert(set, i, s)
}

// String returns s with every echo of the given secrets masked, in
// any of the spellings an API, a proxy or an HTML page may give it: as sent,
// URL-escaped (%2B, a lower-case %2b, + for a space, %252B), HTML-escaped
// (&#43;, &#x2B;, named references), JSON-escaped (\u002B, \/, \n,
// surrogate pairs), with digits of any script (Devanagari, Arabic-Indic…)
// and full-width forms, a PAN in any case, with up to 8 separators in a
// row between its characters (white space and line breaks, dashes, dots,
// commas, slashes, underscores, "+", invisible format characters such as
// zero-width spaces). A secret of digits other than 12 (an OTP) is hidden
// whole; any other keeps its last 4 characters when it is longer than 6. Values shorter than 4 bytes are
// ignored. It is for text the API wrote that reaches a result by another
// way than the answer's members, which redactAnswer already cleans.
func String(s string, secrets ...string) string {
	var set Set
	for _, v := range secrets {
		set = set.with(guessSecret(v))
	}
	return set.clean(s)
}

// AnySpelling returns s with every echo of the given secrets masked in
// every spelling String knows and also in any case, keeping the last 4
// characters of a secret longer than 6. It is for output that must never
// show a credential in any form a person could read back, such as the
// command line tool's; on other text it may mask more than String does.
// Values shorter than 4 bytes are ignored.
func AnySpelling(s string, secrets ...string) string {
	var set Set
	for _, v := range secrets {
		set = set.with(secret{value: v, kind: secretFold, keep: 4})
	}
	return set.clean(s)
}

// guessSecret says how to match and mask a value by its shape.
func guessSecret(v string) secret {
	switch {
	case len(v) == 12 && AllDigits(v):
		return secret{value: v, kind: secretDigits, keep: 4}
	case AllDigits(v):
		return secret{value: v, kind: secretDigits}
	case validate.PAN(strings.ToUpper(v)) == "":
		return secret{value: v, kind: secretFold, keep: 4}
	}
	return secret{value: v, kind: secretText, keep: 4}
}

// AllDigits reports whether s is all ASCII digits (and not empty).
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Clean returns s with every secret of the set masked, in any spelling.
func (set Set) Clean(s string) string { return set.clean(s) }

// clean masks every secret in s.
func (set Set) clean(s string) string { return set.mask(s, false) }

// mask masks every secret in s; with cut, a secret that s ends in the middle
// of (a snippet cut at its length limit) is masked too. s is compared on a
// normalised view (see normRune and separates) and the span of s that
// matched is replaced, so the text around an echo keeps its shape. Each
// position is tried once and a try reads at most a bounded number of
// characters (a secret's length times maxSeparators, times the longest run
// of separator characters in the secret plus one, through maxEscapeDepth
// layers: see matchDepth), so the work is linear in len(s).
func (set Set) mask(s string, cut bool) string {
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
			if end, partial = sec.matchAt(s, i); end > i && (!partial || cut || strings.HasPrefix(s[end:], cutMark)) {
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

// contains reports whether s holds any secret of the set.
func (set Set) contains(s string) bool { return set.clean(s) != s }

// CallSecrets collects the secrets of a call from its form and headers,
// with the credentials' part taken from the cache.
func (kc *KeyCache) CallSecrets(form url.Values, header http.Header) Set {
	set := kc.get(form[secretFields[0].name], header)
	for _, f := range secretFields[1:] {
		if len(form[f.name]) > 0 {
			return withCallSecrets(set, form)
		}
	}
	return set
}

// HoldsKey reports whether s holds a credential of set (the API key or a
// secret header's value) in any spelling the set masks, and in any case
// too (a key with its case lost is still most of the key): what a page
// must not pass on to a browser or a third party.
func (set Set) HoldsKey(s string) bool {
	if holds, sure := set.plainHoldsKey(s); sure {
		return holds
	}
	return set.matchHoldsKey(s)
}

// matchHoldsKey is HoldsKey by the matcher.
func (set Set) matchHoldsKey(s string) bool {
	// The credentials as secretFold, in the set's order (longest first):
	// what fold.with would make of each, from the norm prepared with it.
	var foldBuf [4]secret
	fold := foldBuf[:0]
	for _, sec := range set {
		if sec.kind == secretText {
			fold = append(fold, secret{value: sec.value, kind: secretFold, keep: sec.keep, norm: sec.foldNorm})
		}
	}
	return Set(fold).contains(s)
}
