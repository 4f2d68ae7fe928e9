package htmlform

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestJSTokensComments: comments are dropped as a browser drops them: //,
// /* */, <!-- anywhere and --> only at the start of a line (elsewhere it is
// the operators -- and >); a line break inside /* */ or U+2028 ends a line.
func TestJSTokensComments(t *testing.T) {
	texts := func(src string) []string {
		toks, why := jsTokens(src)
		assert.Empty(t, why, src)
		var out []string
		for _, tok := range toks {
			s := tok.text
			if tok.nl {
				s = "\n" + s
			}
			out = append(out, s)
		}
		return out
	}
	assert.Equal(t, []string{"a", "\nb"}, texts("a // x\nb"))
	assert.Equal(t, []string{"a", "\nb"}, texts("a /* x\n */ b"))
	assert.Equal(t, []string{"a", "b"}, texts("a /* x */ b"))
	assert.Equal(t, []string{"a", "\nb"}, texts("a <!-- x\n /* y */ --> z\nb"))
	assert.Equal(t, []string{"a", "\nb"}, texts("a\u2028b"))
	assert.Equal(t, []string{"a", "b"}, texts("a\u00a0\ufeff\u3000b"))
	assert.Equal(t, []string{"x", "=>", "f", "[", "12", "]"}, texts(`x=>f[12]`))
	assert.Equal(t, []string{"id", "#x"}, texts(`'id' "#x"`))

	for src, why := range map[string]string{
		"a --> b":         "`-`",
		"a /* b":          "unclosed comment",
		"'a":              "unclosed string",
		`'\x61'`:          "escape",
		"`${a}`":          "substitution",
		"0x10":            "decimal",
		"a\u200bb":        "other than ASCII",
		"ｌocation":        "other than ASCII",
		"a\\u0061":        "an escape",
		"a == b":          "`==`",
		"a\x00":           "control",
		"location += 'x'": "`+`",
	} {
		toks, got := jsTokens(src)
		assert.Nil(t, toks, src)
		assert.Contains(t, got, why, src)
	}
}
