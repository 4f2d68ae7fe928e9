package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBlankHasNoVisibleCharacter(t *testing.T) {
	for _, s := range []string{"", " ", "\t\r\n", "\u200b", "\ufeff", "\u00a0 \u2003", "\u2060", "\x00", "\x0b",
		"\u180e", "\u2800", "\u3164", "\uffa0", "\u202e\u200d", "\u0085\u3000"} {
		assert.True(t, Blank(s), "%q", s)
	}
	for _, s := range []string{"A", "\u200bA", "WAL1\u00a0", "\u0915", "0", "-", "\u00e9"} {
		assert.False(t, Blank(s), "%q", s)
	}
}
