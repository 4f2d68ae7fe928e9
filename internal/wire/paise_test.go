package wire

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaise(t *testing.T) {
	for in, want := range map[string]Paise{
		`1250.50`:    125050,
		`"1250.50"`:  125050,
		`1250.5`:     125050,
		`"1,250.50"`: 125050,
		`107`:        10700,
		`"107.00"`:   10700,
		`107.000`:    10700,
		`0`:          0,
		`null`:       0,
		`""`:         0,
		`0.1`:        10,
		`1100`:       110000,
		`" 100 "`:    10000,
		`"1,00,000"`: 10000000,
		`100000000`:  10000000000, // MaxPaise
	} {
		var p Paise = 123
		if assert.NoError(t, json.Unmarshal([]byte(in), &p), in) {
			assert.Equal(t, want, p, in)
		}
	}
	// An amount in an answer is read like ParseAmount reads one: no sign,
	// no exponent, nothing over MaxPaise, no blank text, no misplaced comma.
	for _, in := range []string{`1.005`, `"abc"`, `true`, `{}`, `[]`, `"1e400"`, `1e400`, `"1.2.3"`, `"₹1"`,
		`-100`, `"-100"`, `-0`, `+5`, `"+5"`, `-5.25`, `1e2`, `1.5e2`, `"1E2"`, `1000000000.01`, `99999999999999999999`,
		`"  "`, `" "`, `"2,50"`, `"1,0000"`, `",100"`} {
		var p Paise
		assert.Error(t, json.Unmarshal([]byte(in), &p), in)
	}
}

// TestPaiseNoFloatDrift: values that are inexact in binary floating point
// decode to the exact paise.
func TestPaiseNoFloatDrift(t *testing.T) {
	for in, want := range map[string]int64{
		"0.29": 29, "1.15": 115, "4.35": 435, "1250.50": 125050, "8.20": 820,
		"1234567.89": 123456789, "90071992547409.93": 9007199254740993,
	} {
		got, err := ParsePaise(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestParsePaiseErrors(t *testing.T) {
	for in, kind := range map[string]error{
		"":                     ErrAmountSyntax,
		"1.005":                ErrAmountSyntax,
		"1e":                   ErrAmountSyntax,
		"1e+":                  ErrAmountSyntax,
		"1eX":                  ErrAmountSyntax,
		"1e1234":               ErrAmountSyntax,
		"e5":                   ErrAmountSyntax,
		"1e400":                ErrAmountRange,
		"1e21":                 ErrAmountRange,
		"99999999999999999999": ErrAmountRange,
		"92233720368547758.08": ErrAmountRange,
		"1,000e2":              ErrAmountSyntax,
	} {
		_, err := ParsePaise(in)
		if assert.Error(t, err, in) {
			assert.True(t, errors.Is(err, kind), "%q: %v, want %v", in, err, kind)
		}
	}
	// The error quotes at most a bounded part of the input.
	long := "1x" + strings.Repeat("9", 500)
	_, err := ParsePaise(long)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 120, err.Error())
}

func TestFormatPaise(t *testing.T) {
	for p, want := range map[int64]string{
		0: "0.00", 1: "0.01", 10: "0.10", 100: "1.00", 125050: "1250.50", -525: "-5.25", -1: "-0.01",
		math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08",
	} {
		assert.Equal(t, want, FormatPaise(p), p)
		if p != math.MinInt64 {
			back, err := ParsePaise(want)
			require.NoError(t, err)
			assert.Equal(t, p, back, "round trip of %s", want)
		}
	}
}

// A well-typed amount decodes without allocating, and as ParsePaise reads
// it.
func TestPaiseWellTypedAllocations(t *testing.T) {
	for _, in := range []string{`100`, `100.5`, `100.50`, `"100.50"`, `0`, `"0.00"`} {
		var p Paise
		b := []byte(in)
		assert.Zero(t, testing.AllocsPerRun(50, func() { _ = p.UnmarshalJSON(b) }), in)
	}
	for _, in := range []string{`100`, `100.5`, `100.50`, `"100.50"`, `"-3.25"`, `"+3.25"`, `0`, `"0.00"`, `1.505`, `1.500`, `"1,000.50"`, `1e2`,
		`.5`, `5.`, `-`, `"."`, `""`, `null`, `99999999999999999`, `92233720368547758.07`, `92233720368547758.08`, `" 12.30 "`, `"12 .30"`} {
		b := []byte(in)
		var fast, slow Paise
		ferr, serr := fast.UnmarshalJSON(b), slow.slowUnmarshalJSON(b)
		assert.Equal(t, serr == nil, ferr == nil, in)
		assert.Equal(t, slow, fast, in)
	}
}
