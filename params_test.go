package inexopay

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every form type of the SDK is encoded by a cached plan, exactly as
// go-querystring encodes it.
func TestFormPlanMatchesQuerystring(t *testing.T) {
	values := []string{"", "ORD1", "a b+c&d=e/f?g%h", "नमस्ते", "x~y-z_.", "line\nbreak", "\x00\xff"}
	for _, form := range []any{&sendOTPForm{}, &verifyOTPForm{}, &onboardAgentForm{}, &openAccountForm{},
		&panForm{}, &accountDetailsForm{}, &panRequestForm{}, &orderForm{}, &generateQRForm{}, &walletOrderForm{}} {
		p := formPlanOf(reflect.TypeOf(form))
		require.NotNil(t, p, "%T has a plan", form)
		v := reflect.ValueOf(form).Elem()
		for i, s := range values {
			for f := 0; f < v.NumField(); f++ {
				v.Field(f).SetString(values[(i+f)%len(values)])
			}
			_ = s
			want, err := query.Values(form)
			require.NoError(t, err)
			got, err := encodeForm(form)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%T", form)
			assert.Equal(t, want.Encode(), string(appendForm(nil, got)), "%T", form)
		}
	}
}

// A params type the plan does not cover is encoded by go-querystring.
func TestFormPlanFallsBack(t *testing.T) {
	type other struct {
		N    int      `url:"n"`
		List []string `url:"l"`
	}
	assert.Nil(t, formPlanOf(reflect.TypeOf(&other{})))
	got, err := encodeForm(&other{N: 3, List: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"n": {"3"}, "l": {"a", "b"}}, got)
	got, err = encodeForm(nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

// appendForm writes what url.Values.Encode writes.
func TestAppendFormMatchesEncode(t *testing.T) {
	for _, v := range []url.Values{
		{},
		{"b": {"2"}, "a": {"1", "x y"}},
		{"k&=": {"%+ /?#"}, "z": {""}, "é": {"ü~"}},
	} {
		assert.Equal(t, v.Encode(), string(appendForm([]byte("keep"), v))[4:])
	}
}
