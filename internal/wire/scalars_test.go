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
		`2e2`:                   200, // a JSON number with an exponent, integral
		`4.02e2`:                402,
		`5E+2`:                  500,
		`0e0`:                   0,
		`-1e0`:                  -1,
	} {
		var n Int = 99
		if assert.NoError(t, json.Unmarshal([]byte(in), &n), in) {
			assert.Equal(t, want, n, in)
		}
	}
	for _, in := range []string{`34.5`, `"34.5"`, `"abc"`, `true`, `{}`, `[]`, `"1e3"`, `"9223372036854775808"`, `"0x10"`, `"12abc"`,
		`4.021e2`, `2e-1`, `1e19`, `1e999999999`, `1e-999999999`} {
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

// decodeAllocs returns the allocations of one UnmarshalJSON of in.
func decodeAllocs(t *testing.T, u json.Unmarshaler, in string) float64 {
	t.Helper()
	b := []byte(in)
	return testing.AllocsPerRun(50, func() { _ = u.UnmarshalJSON(b) })
}

// Well-typed members decode without a copy: numbers, flags and numeric
// strings allocate nothing, a plain string only its result.
func TestScalarsWellTypedAllocations(t *testing.T) {
	for _, tc := range []struct {
		u    json.Unmarshaler
		in   string
		want float64
	}{
		{new(Int), `1234567`, 0}, {new(Int), `"-42"`, 0}, {new(Int), `34.00`, 0}, {new(Int), `null`, 0},
		{new(OptInt), `200`, 0}, {new(OptInt), `"200"`, 0},
		{new(LaxInt), `77`, 0}, {new(LaxInt), `"77"`, 0},
		{new(Bool), `true`, 0}, {new(Bool), `false`, 0}, {new(Bool), `1`, 0}, {new(Bool), `"0"`, 0}, {new(Bool), `"yes"`, 0},
		{new(Str), `"ORD12345"`, 1}, {new(Str), `""`, 0}, {new(Str), `12`, 1},
		{new(Text), `"Transaction Successful"`, 1}, {new(Text), `""`, 0},
	} {
		assert.Equal(t, tc.want, decodeAllocs(t, tc.u, tc.in), "%T %s", tc.u, tc.in)
	}
}

// The fast paths decode as the tolerant path does, for every input they
// take.
func TestScalarsFastPathsAgree(t *testing.T) {
	ins := []string{`0`, `-0`, `7`, `-7`, `"7"`, `" 7 "`, `"+7"`, `+7`, `007`, `34.0`, `34.00`, `34.5`, `"34.000"`, `-1.`, `.0`, `""`, `" "`, `null`,
		`9223372036854775807`, `-9223372036854775808`, `9223372036854775808`, `123456789012345678`, `1234567890123456789`,
		`1e3`, `true`, `false`, `"true"`, `"TRUE"`, `"yes"`, `"Y"`, `"on"`, `"no"`, `1`, `2`, `"1"`, `"-1"`, `"0"`, `0.0`, `"0.5"`,
		`"abc"`, `"a\"b"`, `"\u0031"`, `"tab\tx"`, `[]`, `{}`, `"é"`, `"1_000"`, `"0x10"`}
	for _, in := range ins {
		b := []byte(in)
		var i, si Int
		ierr, sierr := i.UnmarshalJSON(b), si.slowUnmarshalJSON(b)
		assert.Equal(t, sierr == nil, ierr == nil, "Int %s", in)
		assert.Equal(t, si, i, "Int %s", in)
		var l, sl LaxInt
		_, _ = l.UnmarshalJSON(b), sl.slowUnmarshalJSON(b)
		assert.Equal(t, sl, l, "LaxInt %s", in)
		var f, sf Bool
		_, _ = f.UnmarshalJSON(b), sf.slowUnmarshalJSON(b)
		assert.Equal(t, sf, f, "Bool %s", in)
	}
}

// FuzzFastPaths checks that the fast paths decode every JSON scalar as the
// tolerant paths do.
func FuzzFastPaths(f *testing.F) {
	for _, s := range []string{`1`, `"-2.00"`, `"1250.5"`, `true`, `"Yes"`, `"SUCCESS"`, `null`, `"x"`, `12345678901234567890`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var raw json.RawMessage
		if json.Unmarshal([]byte(in), &raw) != nil {
			return // encoding/json never hands such a token to UnmarshalJSON
		}
		b := []byte(raw)
		var i, si Int
		ierr, sierr := i.UnmarshalJSON(b), si.slowUnmarshalJSON(b)
		if (ierr == nil) != (sierr == nil) || i != si {
			t.Fatalf("Int %s: %v %v, tolerant %v %v", in, i, ierr, si, sierr)
		}
		var l, sl LaxInt
		_, _ = l.UnmarshalJSON(b), sl.slowUnmarshalJSON(b)
		var p, sp Bool
		_, _ = p.UnmarshalJSON(b), sp.slowUnmarshalJSON(b)
		var a, sa Paise
		aerr, saerr := a.UnmarshalJSON(b), sa.slowUnmarshalJSON(b)
		var s, ss Status
		serr, sserr := s.UnmarshalJSON(b), ss.slowUnmarshalJSON(b)
		if l != sl || p != sp || a != sa || (aerr == nil) != (saerr == nil) || s != ss || (serr == nil) != (sserr == nil) {
			t.Fatalf("%s: LaxInt %v/%v Bool %v/%v Paise %v/%v Status %+v/%+v", in, l, sl, p, sp, a, sa, s, ss)
		}
	})
}
