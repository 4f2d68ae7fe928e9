package redact

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/stretchr/testify/assert"
)

// Made-up secrets the tests send; none may ever show up in their output.
const (
	atkAPIKey   = "ik+live/5Qz8=Wm2 Rt7Yp3Kx9"
	relOTP      = "583914"
	relAgentPAN = "BQKPM4821R"
)

// relAadhaar is a made-up, valid (Verhoeff-checked) Aadhaar number.
var relAadhaar = func() string {
	const body = "49731286540"
	return body + string(validate.VerhoeffDigit(body))
}()

// TestAnySpellingMasksEverySpelling: AnySpelling masks the secret in every
// spelling of secrettest.Spellings, in another case and with + for a space
// too, and leaves other text alone.
func TestAnySpellingMasksEverySpelling(t *testing.T) {
	const key = "AbCdEfGh0123456789xyZ"
	finder := secrettest.NewFinder("key", key)
	for _, s := range secrettest.Spellings(key) {
		for _, v := range []string{s, url.QueryEscape(s), strings.ToLower(s), strings.ToUpper(s)} {
			got := AnySpelling("echo "+v+" end", key)
			assert.Empty(t, finder.Find(got), "%q -> %q", v, got)
			assert.True(t, strings.HasPrefix(got, "echo ") && strings.HasSuffix(got, " end"), got)
		}
	}
	assert.Equal(t, "nothing here: AbCd", AnySpelling("nothing here: AbCd", key))
}

// TestHoldsKey: HoldsKey finds the credentials (api_key, a secret header's
// token) in every spelling and case, and not the other secrets of a call
// (a PAN or an Aadhaar number may be a form's data) nor other text.
func TestHoldsKey(t *testing.T) {
	const key = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	set := callSecrets(url.Values{"api_key": {key}, "pancard": {relAgentPAN}, "aadhaar_number": {relAadhaar}},
		http.Header{"Authorization": {"Bearer tok_9Hh2Kk7Lm"}})
	for _, sp := range append(secrettest.Spellings(key), secrettest.Spellings("tok_9Hh2Kk7Lm")...) {
		assert.True(t, set.HoldsKey("v="+sp+"&x=1"), "%q", sp)
	}
	for _, s := range []string{"", relAgentPAN, relAadhaar, "https://nsdl.example/pan?txid=50089349", key[:len(key)-3]} {
		assert.False(t, set.HoldsKey(s), "%q", s)
	}
	assert.False(t, Set(nil).HoldsKey(key), "a set without credentials")
}

// Looking for the credentials of a call's secrets in a URL allocates
// nothing: their case-folded form is prepared with the set.
func TestHoldsKeyAllocatesNothing(t *testing.T) {
	var kc KeyCache
	set := kc.CallSecrets(url.Values{"api_key": {"ik_live_5Qz8Wm2Rt7Yp3Kx9"}, "pancard": {relAgentPAN}},
		http.Header{"Authorization": {"Bearer tok_9Hh2Kk7Lm"}})
	const page = "https://onlineservices.proteantech.in/paam/endUserRegisterContact.html?txid=50089349"
	assert.False(t, set.HoldsKey(page))
	assert.True(t, set.HoldsKey(page+"&k=IK_LIVE_5QZ8WM2RT7YP3KX9"))
	assert.Zero(t, testing.AllocsPerRun(50, func() { _ = set.HoldsKey(page) }))
}

// Text the SDK cut before masking it (a value quoted in an error, cut to
// 32 bytes and "…") ends with part of a secret, maybe inside an escape:
// that part is masked, whatever the spelling.
func TestMaskPartialSecretAtTheCutMark(t *testing.T) {
	const key = "sk_live_Q7w9ZxY3kLm2Np8R"
	var kc KeyCache
	set := kc.CallSecrets(url.Values{"api_key": {key}}, nil)
	leak := secrettest.LeakFinder(key[:3], nil, nil)
	for _, sp := range secrettest.Spellings(key) {
		if set.clean(sp) == sp {
			continue // not a spelling of the key (its case changed)
		}
		for n := 1; n <= len(sp); n++ {
			text := `not a rupee amount: "` + sp[:n] + `…" has an exponent`
			got := set.clean(text)
			if n >= len(sp)/2 && leak(got) != "" {
				t.Fatalf("%q cut at %d: %s", sp, n, got)
			}
			assert.True(t, strings.HasSuffix(got, `…" has an exponent`), got)
		}
	}
	// Without the cut mark, a start of the key in text is no echo of it.
	assert.Equal(t, "sk_live is a prefix", set.clean("sk_live is a prefix"))
}

// TestKeySeparatedSpellingsMasked: the API key (and a secret header's
// token) echoed with separators between its characters, as a page or a log
// line may wrap or group it, is masked like the key as sent: white space
// (line breaks, a tab, NBSP), "-", ".", ",", "/", "_", "+", invisible
// characters, up to maxSeparators in a row, and JSON's \n, \t, \r escapes.
// The text around the echo keeps its shape and other text is left alone.
func TestKeySeparatedSpellingsMasked(t *testing.T) {
	const key = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	var kc KeyCache
	set := kc.CallSecrets(url.Values{"api_key": {key}}, http.Header{"Authorization": {"Bearer tok_9Hh2Kk7Lm"}})
	finder := secrettest.NewFinder("key", key, "token", "tok_9Hh2Kk7Lm")
	each := func(s, sep string) string { return strings.Join(strings.Split(s, ""), sep) }
	spellings := []string{
		"ik_live_5Qz8 Wm2Rt7Yp3Kx9", "ik_live_5Qz8\r\n    Wm2Rt7Yp3Kx9", "ik_live_5Qz8\tWm2Rt7\u00a0Yp3Kx9",
		`ik_live_5Qz8\nWm2Rt7\r\n\tYp3Kx9`, "ik_live_5Qz8&#10;Wm2Rt7Yp3Kx9", "ik_live_5Qz8%0AWm2Rt7Yp3Kx9",
		strings.Repeat(" ", 0) + "ik_live_5Qz8" + strings.Repeat(" ", maxSeparators) + "Wm2Rt7Yp3Kx9",
		each(key, " "), each(key, "-"), each(key, "."), each(key, ","), each(key, "/"), each(key, "_"),
		each(key, "+"), each(key, "\u2010"), each(key, " \u200b"), each("tok_9Hh2Kk7Lm", " "),
		// The key's own separator characters (its "_") merge with the
		// separators around them: up to 8 on each side.
		each(key, "_____"), each(key, strings.Repeat("_", maxSeparators)), each(key, " -._,/+\u200b"),
		each(key, "_ -.,/+\u200b"),
		// Dots, commas and dashes of other scripts and a backslash.
		each(key, "\u00b7"), each(key, "\u2024"), each(key, "\u2027"), each(key, "\u3001"), each(key, "\u3002"),
		each(key, "\uff64"), each(key, "\u2212"), each(key, `\`),
	}
	for _, sp := range spellings {
		got := set.Clean("echo [" + sp + "] end")
		assert.Empty(t, finder.Find(got), "%q -> %q", sp, got)
		assert.True(t, strings.HasPrefix(got, "echo [") && strings.HasSuffix(got, "] end"), "%q -> %q", sp, got)
	}
	// A run of separator characters in the key merges with the separators
	// on both sides of each.
	const runKey = "Ab_.-cD9z"
	runSet := callSecrets(url.Values{"api_key": {runKey}}, nil)
	for _, sep := range []string{"_.-_.-__", "-.__.-_.", "________"} {
		sp := each(runKey, sep)
		assert.Empty(t, secrettest.NewFinder("key", runKey).Find(runSet.Clean(sp)), "%q -> %q", sp, runSet.Clean(sp))
	}
	for _, s := range []string{
		"ik_live_5Qz8" + strings.Repeat(" ", maxSeparators+1) + "Wm2Rt7Yp3Kx9", // too far apart to be one word
		"ik_live_5Qz8 Wm2Rt7Yp3Kx", "i k _ l i v e", "IK_LIVE_5QZ8 WM2RT7YP3KX9", // another case: not this key
	} {
		assert.Equal(t, s, set.Clean(s), "%q", s)
	}
}

// TestCleanMasksWhatHoldsKeyFinds: whatever HoldsKey finds in the key's
// own case, Clean masks: a page the SDK refuses to pass on for holding the
// key never prints it either.
func TestCleanMasksWhatHoldsKeyFinds(t *testing.T) {
	const key = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	set := callSecrets(url.Values{"api_key": {key}}, nil)
	finder := secrettest.NewFinder("key", key)
	for _, sp := range secrettest.Spellings(key) {
		if sp == strings.ToLower(key) || sp == strings.ToUpper(key) {
			continue // Clean matches the key's case; HoldsKey any case
		}
		in := "v=" + sp + "&x=1"
		if assert.True(t, set.HoldsKey(in), "%q", sp) {
			assert.Empty(t, finder.Find(set.Clean(in)), "%q -> %q", sp, set.Clean(in))
		}
	}
}
