package htmlform

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseRefusesFieldsThatReadTwoWays: where a browser's parser and the
// tokenizer that reads the fields disagree on a form or one of its
// controls (markup in <svg> or <math> content: a control there is not a
// field, and a <style>, <title> or <script> there does not hide the markup
// after it), the fields handed off may not be the ones a browser posts:
// the page is unusable. An SVG drawing beside the form changes nothing.
func TestParseRefusesFieldsThatReadTwoWays(t *testing.T) {
	const open = `<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="a" value="1">`
	const submit = `<script>document.forms[0].submit()</script>`
	for name, page := range map[string]string{
		"a field a <style> in <svg> seems to hide":   open + `<svg><style><p><input type="hidden" name="x" value="2"></style></svg></form>` + submit,
		"a field a <title> in <svg> seems to hide":   open + `<svg><title><p><input type="hidden" name="x" value="2"></title></svg></form>` + submit,
		"a field a <script> in <math> seems to hide": open + `<math><script><p><input type="hidden" name="x" value="2"></script></math></form>` + submit,
		"an <input> in <svg> is no field":            open + `<svg><input type="hidden" name="x" value="2"></svg></form>` + submit,
		"a <form> in <svg> is no form":               `<svg><form method="post" action="https://nsdl.example/pan"><input type="hidden" name="a" value="1"></form></svg>` + submit,
		"one control swapped for another":            open + `<svg><input name="ghost" value="g"><style><p><input name="x" value="2"></style></svg></form>` + submit,
	} {
		t.Run(name, func(t *testing.T) {
			f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.NotNil(t, refusal, "fields %v", f)
			assert.Nil(t, f)
			assert.Contains(t, refusal.Reason, "reads two ways")
		})
	}
	for name, page := range map[string]string{
		"a spinner drawn beside the form": `<svg width="20" height="20"><circle cx="10" cy="10" r="8"/><title>Loading</title></svg>` +
			open + `</form>` + submit,
		"a drawing inside the form":    open + `<svg viewBox="0 0 1 1"><path d="M0 0"/></svg><input type="hidden" name="b" value="2"></form>` + submit,
		"a form inside a form":         open + `<form action="https://evil.example/"><input type="hidden" name="b" value="2"></form>` + submit,
		"a field in a <foreignObject>": open + `<svg><foreignObject><input type="hidden" name="b" value="2"></foreignObject></svg></form>` + submit,
	} {
		t.Run(name, func(t *testing.T) {
			f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.Nil(t, refusal, "%v", refusal)
			assert.Equal(t, "1", f.Fields.Get("a"))
		})
	}
}
