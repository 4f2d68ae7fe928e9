package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestQuery: a printed URL hides every place a token travels in: the
// query, the fragment, the userinfo's password (or a userinfo that is only
// a token), and name=value parameters in the path (";jsessionid=",
// "&signcs=", an escaped "%3F"). The scheme, host and the rest of the path
// stay readable.
func TestQuery(t *testing.T) {
	const tok = "SIGNTOKEN98765"
	for in, want := range map[string]string{
		"https://nsdl.example/open?signcs=" + tok:             "https://nsdl.example/open?[REDACTED]",
		"https://nsdl.example/open#signcs=" + tok:             "https://nsdl.example/open#[REDACTED]",
		"https://nsdl.example/open?a=1#" + tok:                "https://nsdl.example/open?[REDACTED]#[REDACTED]",
		"https://user:" + tok + "@nsdl.example/open":          "https://user:[REDACTED]@nsdl.example/open",
		"https://" + tok + "@nsdl.example/open":               "https://[REDACTED]@nsdl.example/open",
		"https://nsdl.example/open;jsessionid=" + tok:         "https://nsdl.example/open;jsessionid=[REDACTED]",
		"https://nsdl.example/a;jsessionid=" + tok + "/b?x=1": "https://nsdl.example/a;jsessionid=[REDACTED]/b?[REDACTED]",
		"https://nsdl.example/open&signcs=" + tok:             "https://nsdl.example/open&signcs=[REDACTED]",
		"https://nsdl.example/open%3Fsigncs=" + tok:           "https://nsdl.example/open%3Fsigncs=[REDACTED]",
		"upi://pay?pa=p@ptys&tr=" + tok:                       "upi://pay?[REDACTED]",
		"upi://pay#tr=" + tok:                                 "upi://pay#[REDACTED]",
		"https://nsdl.example/open":                           "https://nsdl.example/open",
		"":                                                    "",
	} {
		got := Query(in)
		assert.Equal(t, want, got, in)
		assert.NotContains(t, got, tok, in)
	}
}
