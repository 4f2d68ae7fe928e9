package form

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A params type the plan does not cover is encoded by go-querystring.
func TestFormPlanFallsBack(t *testing.T) {
	type other struct {
		N    int      `url:"n"`
		List []string `url:"l"`
	}
	assert.Nil(t, formPlanOf(reflect.TypeOf(&other{})))
	got, err := Encode(&other{N: 3, List: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"n": {"3"}, "l": {"a", "b"}}, got)
	got, err = Encode(nil)
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
		assert.Equal(t, v.Encode(), string(Append([]byte("keep"), v))[4:])
	}
}
