package wire

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStr(t *testing.T) {
	for in, want := range map[string]Str{
		`"abc"`:           "abc",
		`""`:              "",
		`null`:            "",
		`34`:              "34",
		`1250.50`:         "1250.50",
		`-1`:              "-1",
		`true`:            "true",
		`false`:           "false",
		`"a\"b\\c\u00e9"`: `a"b\cé`,
		`"  spaced  "`:    "  spaced  ",
		` "trimmed" `:     "trimmed",
	} {
		var s Str = "old"
		if assert.NoError(t, json.Unmarshal([]byte(in), &s), in) {
			assert.Equal(t, want, s, in)
		}
	}
	for _, in := range []string{`{}`, `[]`, `{"a":1}`, `["a"]`} {
		var s Str
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
	for _, in := range []string{``, `"unterminated`, `"bad \x escape"`} {
		var s Str
		assert.Error(t, s.UnmarshalJSON([]byte(in)), in)
	}
}

func TestInt(t *testing.T) {
	for in, want := range map[string]Int{
		`34`:                    34,
		`"34"`:                  34,
		`" 34 "`:                34,
		`"838822"`:              838822,
		`34.0`:                  34,
		`"34.00"`:               34,
		`-7`:                    -7,
		`"-7"`:                  -7,
		`0`:                     0,
		`null`:                  0,
		`""`:                    0,
		`"9223372036854775807"`: math.MaxInt64,
	} {
		var n Int = 99
		if assert.NoError(t, json.Unmarshal([]byte(in), &n), in) {
			assert.Equal(t, want, n, in)
		}
	}
	for _, in := range []string{`34.5`, `"34.5"`, `"abc"`, `true`, `{}`, `[]`, `"1e3"`, `"9223372036854775808"`, `"0x10"`, `"12abc"`} {
		var n Int
		assert.Error(t, json.Unmarshal([]byte(in), &n), in)
	}
}

func TestBool(t *testing.T) {
	for in, want := range map[string]Bool{
		`true`: true, `false`: false,
		`1`: true, `0`: false,
		`"1"`: true, `"0"`: false,
		`"true"`: true, `"false"`: false,
		`"TRUE"`: true, `"False"`: false,
		`"yes"`: true, `"no"`: false,
		`"Y"`: true, `"N"`: false,
		`""`: false, `null`: false,
		`" 1 "`: true, `0.0`: false,
		// Best-effort: non-zero is true, what it cannot read is false.
		`2`: true, `-1`: true, `"2"`: true, `0.5`: true, `"on"`: true, `"OFF"`: false,
		`"maybe"`: false, `"pending"`: false, `{}`: false, `[]`: false, `[1]`: false, `{"a":1}`: false,
		`"NaN"`: false, `"unterminated`: false,
	} {
		b := !want
		if assert.NoError(t, b.UnmarshalJSON([]byte(in)), in) {
			assert.Equal(t, want, b, in)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]Text{
		`"abc"`: "abc", `null`: "", `34`: "34", `true`: "true",
		`{"a": [1, 2]}`: `{"a":[1,2]}`, `[]`: "[]", `"a\"b"`: `a"b`,
	} {
		var s Text = "old"
		if assert.NoError(t, s.UnmarshalJSON([]byte(in)), in) {
			assert.Equal(t, want, s, in)
		}
	}
}

func TestLaxInt(t *testing.T) {
	for in, want := range map[string]LaxInt{
		`34`: 34, `"34"`: 34, `34.0`: 34, `null`: 0, `""`: 0,
		`34.7`: 34, `"-2.5"`: -2, `"abc"`: 0, `true`: 0, `{}`: 0, `[]`: 0, `"1e30"`: 0, `"1e3"`: 1000,
	} {
		var n LaxInt = 99
		if assert.NoError(t, n.UnmarshalJSON([]byte(in)), in) {
			assert.Equal(t, want, n, in)
		}
	}
}

func TestObj(t *testing.T) {
	type inner struct {
		A Str `json:"a"`
	}
	for in, want := range map[string]Obj[inner]{
		`{"a":"x"}`: {V: inner{A: "x"}, Set: true},
		`{}`:        {Set: true},
		`null`:      {},
		`[]`:        {}, // PHP's empty array for an empty object
		`"text"`:    {},
		`7`:         {},
	} {
		o := Obj[inner]{V: inner{A: "old"}, Set: true}
		if assert.NoError(t, json.Unmarshal([]byte(in), &o), in) {
			assert.Equal(t, want, o, in)
		}
	}
	// The inner members keep their own rules: a strict one still fails.
	var o Obj[inner]
	assert.Error(t, json.Unmarshal([]byte(`{"a":{}}`), &o))
}
