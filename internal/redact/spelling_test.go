package redact

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestRedactStringUnicodeSpellings(t *testing.T) {
	secrets := []string{atkAPIKey, relAadhaar, relOTP, relAgentPAN}
	a, o, p := relAadhaar, relOTP, relAgentPAN
	groups := func(sep string) string { return a[:4] + sep + a[4:8] + sep + a[8:] }
	pctUTF8 := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
		return b.String()
	}
	jsonU := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r > 0xFFFF {
				r1, r2 := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
				continue
			}
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	entities := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "&#x%X;", r)
		}
		return b.String()
	}
	echoes := []string{
		uniDigits(a, '०'), uniDigits(a, '٠'), uniDigits(a, '۰'), uniDigits(a, '０'), uniDigits(a, '০'),
		uniDigits(a, '௦'), uniDigits(a, '𝟎'), uniDigits(a, '𝟘'), uniDigits(groups(" "), '०'),
		uniJoin(a, "\u200b"), uniJoin(a, "\u200c"), uniJoin(a, "\u200d"), uniJoin(a, "\u2060"), uniJoin(a, "\ufeff"),
		uniJoin(a, "\u00ad"), a[:3] + "," + a[3:6] + "," + a[6:9] + "," + a[9:], groups("\n"), groups("\r\n"),
		groups("\u2028"), groups("\u3000"), groups("\u2013"), groups("\uff0d"), groups(" \u200b "),
		groups("\n      "), uniDigits(uniJoin(a, "\u200b"), '०'),
		pctUTF8(uniDigits(a, '०')), url.QueryEscape(uniJoin(a, "\u200b")), jsonU(uniDigits(a, '०')),
		jsonU(uniDigits(a, '𝟎')), entities(uniDigits(a, '٠')), uniJoin(a, "&ZeroWidthSpace;"),
		uniJoin(a, "&#8203;"),
		uniDigits(o, '０'), uniDigits(o, '०'), uniJoin(o, "\u200b"), uniJoin(o, "\ufeff"),
		"BQKPM 4821 R", "bqkpm-4821-r", uniJoin(p, "\u200b"), uniFullWidth(p), strings.ToLower(uniFullWidth(p)),
		"BQKPM\u00a04821\u00a0R", uniFullWidth("BQKPM") + " 4821 R",
	}
	for _, echo := range echoes {
		for _, text := range []string{echo, "invalid value " + echo + ", try again", "<b>" + echo + "</b>", "नंबर " + echo + " अमान्य"} {
			got := String(text, secrets...)
			assert.False(t, uniLeak(got, []string{a[:8], o}, p), "%q became %q", text, got)
			assert.True(t, strings.Contains(got, "X") || strings.Contains(got, "[REDACTED]"), "%q is masked, not dropped: %q", text, got)
		}
	}
	// The span that matched is replaced: what stands around it is kept.
	assert.Equal(t, "आधार XXXXXXXX"+a[8:]+" अमान्य", String("आधार "+uniDigits(groups(" "), '०')+" अमान्य", secrets...))
	assert.Equal(t, "pan XXXXXX821R!", String("pan "+uniFullWidth(p)+"!", secrets...))
	assert.Equal(t, "otp [REDACTED].", String("otp "+uniJoin(o, "\u200b")+".", secrets...))
	assert.Equal(t, "key "+strings.Repeat("X", len(atkAPIKey)-4)+"3Kx9", String("key "+uniJoin(atkAPIKey, "\u200b"), secrets...))
	// Text without a secret is kept as it is, byte for byte, including
	// digits of other scripts, separators and escapes of runes.
	for _, s := range []string{
		"राशि ₹१२,३४५ जमा", "٣٤٥ ۱۲", "４９７３", "\u200b\ufeff", "%E0%A5%A6%E0", `\ud835\udfce \ud835`, "&#x1D7CE; &#99999999;",
		uniDigits(a[:11], '०') + " " + uniDigits(a[1:], '०'), "BQKPM 4821 Q", "4973-1286-5406",
	} {
		assert.Equal(t, s, String(s, secrets...))
	}
}

// TestRedactDigitValuesOfEveryScript checks that every Unicode decimal
// digit reads as its value: the mask is computed from its block's zero.
func TestRedactDigitValuesOfEveryScript(t *testing.T) {
	n := 0
	for _, tab := range []*unicode.RangeTable{unicode.Nd} {
		for _, r16 := range tab.R16 {
			for z := rune(r16.Lo); z <= rune(r16.Hi); z += 10 {
				n++
				assert.Equal(t, "[REDACTED]", String(uniDigits(relOTP, z), relOTP), "zero %U", z)
			}
		}
		for _, r32 := range tab.R32 {
			for z := rune(r32.Lo); z <= rune(r32.Hi); z += 10 {
				n++
				assert.Equal(t, "[REDACTED]", String(uniDigits(relOTP, z), relOTP), "zero %U", z)
			}
		}
	}
	assert.Greater(t, n, 60)
}

// BenchmarkRedactWorstCase masks 1 MiB answers built to make the matcher
// work hardest: near-misses of every secret at every position, in ASCII,
// in another script's digits, with separators and with escapes.
func BenchmarkRedactWorstCase(b *testing.B) {
	set := callSecrets(url.Values{"api_key": {atkAPIKey}, "aadhaar_number": {relAadhaar}, "otp": {relOTP},
		"pancard": {relAgentPAN}}, nil)
	near := relAadhaar[:11] + "0"
	for _, c := range []struct{ name, unit string }{
		{"ascii-near-miss", near + " "},
		{"devanagari-near-miss", uniDigits(near, '०') + " "},
		{"separated-near-miss", uniJoin(near, "\u200b - ") + " "},
		{"escaped-near-miss", strings.ReplaceAll(pctAll(near), "%", "%25") + " "},
		{"escaped-devanagari-near-miss", url.QueryEscape(url.QueryEscape(uniDigits(near, '०'))) + " "},
		{"spaced-key-near-miss", uniJoin(atkAPIKey[:len(atkAPIKey)-1], " ") + " "},
		{"hindi-prose", "यह एक सामान्य संदेश है। "},
	} {
		text := strings.Repeat(c.unit, (1<<20)/len(c.unit))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if set.clean(text) != text {
					b.Fatal("near-miss masked")
				}
			}
		})
	}
}

// FuzzRedactSpelledEcho puts an echo of an Aadhaar number, an OTP or a PAN,
// spelled with the digits of a script and a separator, between any two
// texts: the echo never survives, valid UTF-8 stays valid, and the matcher
// neither panics nor grows the text more than a mask per 4 bytes.
func FuzzRedactSpelledEcho(f *testing.F) {
	f.Add("invalid ", ", retry", uint8(0), uint16(0x966), "\u200b")
	f.Add("%", ";", uint8(1), uint16(0xFF10), ",")
	f.Add("&#", "", uint8(2), uint16(0x660), "\n ")
	f.Add("४४", "१", uint8(0), uint16(0x30), "")
	f.Fuzz(func(t *testing.T, prefix, suffix string, which uint8, zero uint16, sep string) {
		if !isScriptZero(rune(zero)) {
			zero = '0'
		}
		if len(sep) > maxSeparators {
			sep = sep[:maxSeparators]
		}
		for _, r := range sep {
			if !separates(r, normRune(r)) {
				sep = " "
				break
			}
		}
		secrets := []string{relAadhaar, relOTP, relAgentPAN}
		value := secrets[int(which)%len(secrets)]
		echo := uniJoin(uniDigits(value, rune(zero)), sep)
		in := prefix + echo + suffix
		out := String(in, secrets...)
		if strings.Contains(out, echo) {
			t.Fatalf("%q survived in %q", echo, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("%q became invalid UTF-8 %q", in, out)
		}
		if len(out) > len(in)/4*len(redactedText)+len(in) {
			t.Fatalf("%q grew to %q", in, out)
		}
	})
}

// uniDigits writes the ASCII digits of s with the digits of the script
// whose zero is zero.
func uniDigits(s string, zero rune) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(zero + r - '0')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uniJoin writes the characters of s with sep between them.
func uniJoin(s, sep string) string { return strings.Join(strings.Split(s, ""), sep) }

// uniFullWidth writes s in full-width forms.
func uniFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r + 0xFEE0)
	}
	return b.String()
}

// uniLeak reports whether s holds digits (as a run of Unicode decimal
// digits, whatever stands between them) or the PAN (ignoring case, width
// and anything but letters and digits). It is written apart from the
// matcher: it reads every digit by its value with unicode.Digit ranges.
func uniLeak(s string, digits []string, pan string) bool {
	var ds, alnum strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsDigit(r) {
			z := r
			for unicode.IsDigit(z-1) && (r-z) < 9 && (z-1)%16 != 15 {
				z--
			}
			r = '0' + (r-z)%10
			ds.WriteRune(r)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum.WriteRune(unicode.ToUpper(r))
		}
	}
	for _, d := range digits {
		if strings.Contains(ds.String(), d) {
			return true
		}
	}
	return pan != "" && strings.Contains(alnum.String(), pan)
}

// pctAll writes every byte of s as %XX.
func pctAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// isScriptZero reports whether r is the zero of a script's decimal digits.
func isScriptZero(r rune) bool {
	for _, run := range unicode.Nd.R16 {
		if rune(run.Lo) <= r && r <= rune(run.Hi) {
			return (r-rune(run.Lo))%10 == 0
		}
	}
	return false
}
