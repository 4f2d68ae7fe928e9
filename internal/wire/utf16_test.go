package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLoneSurrogate(t *testing.T) {
	for body, want := range map[string]bool{
		`{"m":"x\ud800"}`:            true,
		`{"m":"x\udc00"}`:            true,
		`{"m":"\uDBFF\u0041"}`:       true,
		`{"m":"\ud800\ud800"}`:       true,
		`{"m":"\ud800\n"}`:           true,
		`{"m\ud800":1}`:              true,
		`{"m":["a","\udfff"]}`:       true,
		`{"m":"\ud83d\ude00"}`:       false,
		`{"m":"\\ud800"}`:            false,
		`{"m":"\\\ud800"}`:           true,
		`{"m":"\u00e9\"\\"}`:         false,
		`{"m":"plain"}`:              false,
		`{"m":"\uD83D\uDE00\u20ac"}`: false,
		`{"m":"\ud83d\ude00\udc00"}`: true,
	} {
		assert.Equal(t, want, LoneSurrogate([]byte(body)), body)
	}
}
