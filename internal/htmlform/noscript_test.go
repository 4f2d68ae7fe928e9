package htmlform

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseReadsNoscriptAsABrowserWithoutScripts: what a browser with
// scripts off reads inside <noscript> (in head or body) as markup and
// that sends it elsewhere, or submits otherwise, makes the page unusable:
// a meta refresh, a <base href>, a form, a named control or one that names
// its own action, method, encoding or form.
func TestParseReadsNoscriptAsABrowserWithoutScripts(t *testing.T) {
	const form = `<form action="https://nsdl.example.com/x" method="post"><input type="hidden" name="a" value="1">`
	for name, tc := range map[string]struct{ page, why string }{
		"meta refresh in head": {`<html><head><noscript><meta http-equiv="refresh" content="0;url=https://evil.example/"></noscript></head><body>` +
			form + `</form></body></html>`, "meta refresh"},
		"meta refresh in body": {form + `</form><noscript><meta http-equiv=" REFRESH " content="0;url=https://evil.example/"></noscript>`, "meta refresh"},
		"meta refresh in the form": {form + `<noscript><p>Continue<meta http-equiv="refresh" content="5"></noscript></form>`,
			"meta refresh"},
		"meta refresh in a nested noscript": {form + `</form><noscript><noscript><meta http-equiv="refresh" content="0;url=https://evil.example/"></noscript>`,
			"meta refresh"},
		"meta refresh, entities": {form + `</form><noscript><meta http-equiv="&#114;efresh" content="0"></noscript>`, "meta refresh"},
		"base in head": {`<head><noscript><base href="https://evil.example/"></noscript></head>` +
			`<form action="/x" method="post"><input name="a" value="1"></form>`, "<base href> inside <noscript>"},
		"a form":             {form + `</form><noscript><form action="https://evil.example/"><input name="b" value="1"></form></noscript>`, "<form> inside <noscript>"},
		"a named submit":     {form + `<noscript><input type="submit" name="orderid" value="PAN9999"></noscript></form>`, "inside <noscript>"},
		"a hidden field":     {form + `<noscript><input type="hidden" name="x" value="1"></noscript></form>`, "inside <noscript>"},
		"a formaction":       {form + `<noscript><button formaction="https://evil.example/">Go</button></noscript></form>`, "inside <noscript>"},
		"a control by form=": {form + `</form><noscript><input type="submit" form="f" value="Go"></noscript>`, "inside <noscript>"},
	} {
		t.Run(name, func(t *testing.T) {
			f, refusal := Parse([]byte(tc.page), pfMustURL(t, pfAPI), pfAPIBases...)
			assert.Nil(t, f)
			require.NotNil(t, refusal)
			assert.Contains(t, refusal.Reason, tc.why)
		})
	}
	// What a browser without scripts does not follow or submit: a nameless
	// submit button (the common fallback), text, an image, a handler that
	// does not run, a <meta> of another kind, tags in a <noscript>'s
	// <textarea> or <title> (text there too).
	for _, inside := range []string{
		`<input type="submit" value="Continue">`, `<button>Continue</button>`, `<p>Please click Continue</p>`,
		`<img src="x.png" onerror="location='https://evil.example'">`, `<meta name="robots" content="noindex">`,
		`<textarea><meta http-equiv="refresh" content="0"></textarea>`, `<title><base href="https://evil.example/"></title>`,
	} {
		page := form + `<noscript>` + inside + `</noscript></form>`
		f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
		require.Nil(t, refusal, inside)
		assert.Equal(t, "https://nsdl.example.com/x", f.Action, inside)
	}
}
