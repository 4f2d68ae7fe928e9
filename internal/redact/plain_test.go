package redact

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Plain ASCII text without escapes is checked with a search for the key as
// sent; anything an echo could be spelled in still goes through the matcher.
func TestSecretSetPlainTextFastPath(t *testing.T) {
	const key = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	set := callSecrets(url.Values{"api_key": {key}}, nil)
	for _, tc := range []struct{ in, want string }{
		{"upi://pay?pa=x@ptys&pn=INEXOPAY&cu=INR&am=100", "upi://pay?pa=x@ptys&pn=INEXOPAY&cu=INR&am=100"},
		{"bad key " + key + " sent", "bad key XXXXXXXXXXXXXXXXXXXXKx9 sent"},
		{"bad key ik_live_5Qz8Wm2Rt7Yp3Kx9&amp;", "bad key XXXXXXXXXXXXXXXXXXXXKx9&amp;"},
		{"bad key ik&#95;live_5Qz8Wm2Rt7Yp3Kx9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
		{"bad key ik%5Flive_5Qz8Wm2Rt7Yp3Kx9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
		{"bad key ik\\u005flive_5Qz8Wm2Rt7Yp3Kx9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
		{"bad key ik_live_5Qz8Wm2Rt7Yp3Kx\u200b9", "bad key XXXXXXXXXXXXXXXXXXXXKx9"},
	} {
		assert.Equal(t, strings.Replace(tc.want, "XXXXXXXXXXXXXXXXXXXXKx9", set[0].mask(), 1), set.clean(tc.in), "%q", tc.in)
	}
}

// FuzzHoldsKey: HoldsKey's plain-text answer (plainHoldsKey) is the
// matcher's or more: it finds the key in any case with any number of
// separators (the matcher with up to maxSeparators), never less.
func FuzzHoldsKey(f *testing.F) {
	f.Add("ik_live_5Qz8Wm2Rt7Yp3Kx9", "https://x.example/?k=IK_LIVE_5QZ8 WM2RT7YP3KX9")
	f.Add("ik_live_5Qz8Wm2Rt7Yp3Kx9", "i-k-_-l-i-v-e-_-5-q-z-8-w-m-2-r-t-7-y-p-3-k-x-9")
	f.Add("Ab_cd", "ab__________cd")
	f.Add("Ab_cd", "https://nsdl.example/pan?txid=50089349")
	f.Fuzz(func(t *testing.T, key, s string) {
		set := callSecrets(url.Values{"api_key": {key}}, nil)
		holds, sure := set.plainHoldsKey(s)
		if !sure {
			return
		}
		if set.matchHoldsKey(s) && !holds {
			t.Fatalf("the matcher finds %q in %q, plainHoldsKey does not", key, s)
		}
	})
}
