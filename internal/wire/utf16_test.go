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

// loneSurrogateByByte is LoneSurrogate's reading, one byte at a time.
func loneSurrogateByByte(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if i+1 >= len(body) || body[i+1] != 'u' {
			i++
			continue
		}
		r, ok := hex4(body, i+2)
		switch {
		case !ok:
			i++
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			if i+11 >= len(body) || body[i+6] != '\\' || body[i+7] != 'u' {
				return true
			}
			if lo, ok := hex4(body, i+8); !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

// FuzzLoneSurrogate checks the skipping scan against the byte-by-byte one.
func FuzzLoneSurrogate(f *testing.F) {
	for _, s := range []string{`{"m":"x\ud800"}`, `{"m":"\ud83d\ude00"}`, `{"m":"\\\ud800"}`, `{"a":"b\\","c":"\udc00"}`, `\`, `\u`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		assert.Equal(t, loneSurrogateByByte([]byte(body)), LoneSurrogate([]byte(body)), body)
	})
}
