package inexopay

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/wire"
)

func TestAmountRupees(t *testing.T) {
	assert.Equal(t, Amount(10000), Rupees(100))
	assert.Equal(t, Amount(0), Rupees(0))
	assert.Equal(t, Amount(-500), Rupees(-5))
	// Beyond an int64 of paise: saturated, never wrapped, and refused by
	// validation.
	assert.Equal(t, Amount(math.MaxInt64), Rupees(184467440737095517))
	assert.Equal(t, Amount(math.MaxInt64), Rupees(math.MaxInt64))
	assert.Equal(t, Amount(math.MinInt64), Rupees(math.MinInt64/50))
	assert.ErrorIs(t, (&GenerateQRParams{Amount: Rupees(184467440737095517)}).Validate(), ErrInvalidParams)
	assert.ErrorIs(t, (&GenerateQRParams{Amount: MaxAmount + 1}).Validate(), ErrInvalidParams)
	assert.NoError(t, (&GenerateQRParams{Amount: MaxAmount}).Validate())
	assert.Equal(t, int64(1250), Amount(125050).Rupees())
	assert.Equal(t, int64(125050), Amount(125050).Paise())
	assert.Equal(t, int64(0), Amount(99).Rupees())
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Amount
	}{
		{"1250.50", 125050},
		{"1250.5", 125050},
		{"107", 10700},
		{"107.00", 10700},
		{"1,250.50", 125050},
		{"1,25,050.50", 12505050},
		{"1,00,000", 1_00_000_00},
		{"100,000", 1_00_000_00},
		{"1,000,000.25", 1_000_000_25},
		{"10,00,000", 10_00_000_00},
		{"0", 0},
		{"0.01", 1},
		{" 42 ", 4200},
		{"10,00,00,000", MaxAmount},
	} {
		got, err := ParseAmount(tc.in)
		if assert.NoError(t, err, tc.in) {
			assert.Equal(t, tc.want, got, tc.in)
		}
	}
	for _, tc := range []struct {
		in     string
		kind   error
		reason string
	}{
		{"1.005", wire.ErrAmountSyntax, "fractions of a paisa"},
		{"0.001", wire.ErrAmountSyntax, "fractions of a paisa"},
		{"107.000", wire.ErrAmountSyntax, "at most 2 decimals"},
		{"2,50", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,2,3", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,0000", wire.ErrAmountSyntax, "misplaced comma"},
		{"10,00,000,000", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,00,0000", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,000.5,0", wire.ErrAmountSyntax, ""},
		{"1e3", wire.ErrAmountSyntax, "exponent"},
		{"1.5e2", wire.ErrAmountSyntax, "exponent"},
		{"1.25E1", wire.ErrAmountSyntax, "exponent"},
		{"-5.25", wire.ErrAmountRange, "negative"},
		{"+5.25", wire.ErrAmountSyntax, ""},
		{".5", wire.ErrAmountSyntax, ""},
		{"5.", wire.ErrAmountSyntax, ""},
		{"10,00,00,000.01", wire.ErrAmountRange, "at most"},
		{"92233720368547758.07", wire.ErrAmountRange, "at most"},
		{"abc", wire.ErrAmountSyntax, ""},
		{"", wire.ErrAmountSyntax, ""},
		{" ", wire.ErrAmountSyntax, ""},
		{".", wire.ErrAmountSyntax, ""},
		{"-", wire.ErrAmountSyntax, ""},
		{"--5", wire.ErrAmountSyntax, ""},
		{"1..2", wire.ErrAmountSyntax, ""},
		{"1.2.3", wire.ErrAmountSyntax, ""},
		{",100", wire.ErrAmountSyntax, ""},
		{"100,", wire.ErrAmountSyntax, ""},
		{"12a", wire.ErrAmountSyntax, ""},
		{"₹100", wire.ErrAmountSyntax, ""},
		{"NaN", wire.ErrAmountSyntax, ""},
		{"Infinity", wire.ErrAmountSyntax, ""},
		{"1e", wire.ErrAmountSyntax, ""},
		{"1e-3", wire.ErrAmountSyntax, ""},
		{"1e1000", wire.ErrAmountSyntax, ""},
		{"1e400", wire.ErrAmountSyntax, "exponent"},
		{"99999999999999999999", wire.ErrAmountRange, ""},
		{"92233720368547758.08", wire.ErrAmountRange, ""},
	} {
		got, err := ParseAmount(tc.in)
		if assert.Error(t, err, "%q parsed as %d", tc.in, got) {
			assert.ErrorIs(t, err, tc.kind, tc.in)
			assert.Contains(t, err.Error(), tc.reason, tc.in)
		}
		assert.Equal(t, Amount(0), got, tc.in)
	}
}

func TestAmountString(t *testing.T) {
	for _, tc := range []struct {
		in   Amount
		want string
	}{
		{125050, "1250.50"},
		{10700, "107.00"},
		{5, "0.05"},
		{0, "0.00"},
		{-525, "-5.25"},
		{-5, "-0.05"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	} {
		assert.Equal(t, tc.want, tc.in.String(), int64(tc.in))
	}
}

func TestAmountFormValue(t *testing.T) {
	for _, tc := range []struct {
		in   Amount
		want string
	}{
		{Rupees(100), "100"},
		{10050, "100.50"},
		{10005, "100.05"},
		{1, "0.01"},
		{0, "0"},
		{Rupees(1250), "1250"},
	} {
		assert.Equal(t, tc.want, tc.in.FormValue(), int64(tc.in))
	}
}

// TestNoQueryEncoderInPublicAPI: go-querystring is an implementation
// detail; no exported type implements its Encoder, and no exported params
// struct carries url tags (forms are built from unexported types).
func TestNoQueryEncoderInPublicAPI(t *testing.T) {
	for _, v := range []any{Amount(0), AccountType(0), Status(""), AadhaarStatus(""), PANMode(""), PANType("")} {
		_, ok := v.(query.Encoder)
		assert.False(t, ok, "%T implements query.Encoder", v)
	}
	for _, p := range []any{OnboardAgentParams{}, OpenAccountParams{}, AccountDetailsParams{}, GenerateQRParams{},
		PANRequestParams{}, SendOTPParams{}, VerifyOTPParams{}} {
		rt := reflect.TypeOf(p)
		for i := 0; i < rt.NumField(); i++ {
			_, tagged := rt.Field(i).Tag.Lookup("url")
			assert.False(t, tagged, "%s.%s has a url tag", rt.Name(), rt.Field(i).Name)
		}
	}
}

func TestAmountJSON(t *testing.T) {
	type doc struct {
		A Amount `json:"a"`
	}
	b, err := json.Marshal(doc{125050})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1250.50}`, string(b))
	b, err = json.Marshal(doc{-5})
	require.NoError(t, err)
	assert.Equal(t, `{"a":-0.05}`, string(b))

	for _, a := range []Amount{0, 1, 99, 125050, MaxAmount} {
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var back Amount
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		assert.Equal(t, a, back, "round trip of %s", b)
	}

	for in, want := range map[string]Amount{
		`1250.50`: 125050, `1250.5`: 125050, `"1250.50"`: 125050, `"1,250.50"`: 125050,
		`107`: 10700, `"107.00"`: 10700, `107.00`: 10700, `null`: 0, `""`: 0, `0`: 0,
	} {
		var a Amount = 77
		if assert.NoError(t, json.Unmarshal([]byte(in), &a), in) {
			assert.Equal(t, want, a, in)
		}
	}
	// UnmarshalJSON refuses what ParseAmount refuses: a sign, an exponent,
	// an amount over MaxAmount, blank text, a misplaced comma.
	for _, in := range []string{`"abc"`, `1250.505`, `true`, `{}`, `[]`, `"1.005"`, `1e400`,
		`-100`, `"-100"`, `-525`, `1e2`, `"1e2"`, `1000000000.01`, `"  "`, `" "`, `"2,50"`} {
		var a Amount = 77
		assert.Error(t, json.Unmarshal([]byte(in), &a), in)
		assert.Equal(t, Amount(77), a, "%s: left unchanged", in)
	}
	assert.Equal(t, int64(MaxAmount), int64(wire.MaxPaise), "one maximum")
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]Status{
		"success":     StatusSuccess,
		"Success":     StatusSuccess,
		"SUCCESS":     StatusSuccess,
		" Success\n":  StatusSuccess,
		"pending":     StatusPending,
		"PENDING":     StatusPending,
		"Failed":      StatusFailed,
		"FAILED":      StatusFailed,
		"refund":      StatusRefund,
		"Refund":      StatusRefund,
		"":            "",
		"Processing":  "processing",
		"in_progress": "in_progress",
	} {
		assert.Equal(t, want, ParseStatus(in), "%q", in)
	}
}

func TestStatusFinal(t *testing.T) {
	for s, final := range map[Status]bool{
		StatusSuccess: true, StatusFailed: true, StatusRefund: true,
		StatusPending: false, "verified": false, "": false, "processing": false, "SUCCESS": false,
	} {
		assert.Equal(t, final, s.Final(), "%q", s)
	}
}

func TestStatusUnmarshalJSON(t *testing.T) {
	for in, want := range map[string]Status{
		`"SUCCESS"`: StatusSuccess, `"Success"`: StatusSuccess, `"pending"`: StatusPending,
		`" Failed "`: StatusFailed, `null`: "", `""`: "", `1`: "1",
	} {
		var s Status = "x"
		if assert.NoError(t, json.Unmarshal([]byte(in), &s), in) {
			assert.Equal(t, want, s, in)
		}
	}
	for _, in := range []string{`{}`, `[]`, `"unterminated`} {
		var s Status
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
}

func TestAccountTypeAndEnums(t *testing.T) {
	assert.Equal(t, "savings", SavingsAccount.String())
	assert.Equal(t, "current", CurrentAccount.String())
	assert.Equal(t, "7", AccountType(7).String())

	assert.Equal(t, PANMode("EKYC"), PANModeEKYC)
	assert.Equal(t, PANMode("ESIGN"), PANModeESign)
	assert.Equal(t, PANType("new_pan"), PANTypeNew)
	assert.Equal(t, PANType("correction"), PANTypeCorrection)
}

// TestParseAmountErrorIsNotAPIError: a parse failure is a plain error, never
// mistaken for a validation or API failure.
func TestParseAmountErrorIsNotAPIError(t *testing.T) {
	_, err := ParseAmount("abc")
	require.Error(t, err)
	var ae *APIError
	var ve *ValidationError
	assert.False(t, errors.As(err, &ae))
	assert.False(t, errors.As(err, &ve))
}
