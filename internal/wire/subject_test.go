package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOtherAadhaar(t *testing.T) {
	const asked = "234567890124"
	for _, same := range []string{
		`{"data":{"aadhaar":"234567890124"}}`, `{"data":{"aadhaar":"2345 6789 0124"}}`, `{"data":{"aadhaar":234567890124}}`,
		`{"data":{"aadhaar":"XXXXXXXX0124"}}`, `{"data":{"aadhaar":"xxxx xxxx 0124"}}`, `{"data":{"aadhaar":"********0124"}}`,
		`{"data":{"aadhaar":null,"aadhaar_details":{"full_name":"A"}}}`, `{"data":{"aadhaar_number":"234567890124"}}`,
	} {
		_, ok := OtherAadhaar([]byte(same), asked)
		assert.False(t, ok, same)
	}
	for _, other := range []string{
		`{"data":{"aadhaar":"587203916445"}}`, `{"data":{"aadhaar":"XXXXXXXX6445"}}`, `{"data":{"aadhaar":"2345-6789-0124-9"}}`,
		`{"data":{"aadhaar":"23456789012"}}`, `{"data":{"aadhaar":"ABCDEFGH0124"}}`, `{"data":{"aadhaar":"0124"}}`,
		`{"data":{"aadhaar":{"n":"234567890124"}}}`, `{"user":{"Aadhaar_Number":"587203916445"}}`,
	} {
		id, ok := OtherAadhaar([]byte(other), asked)
		assert.True(t, ok, other)
		assert.NotEmpty(t, id, other)
	}
	_, ok := OtherAadhaar([]byte(`{"data":{"aadhaar":"587203916445"}}`), "")
	assert.False(t, ok, "no number asked: nothing to compare")
}

func TestOtherPAN(t *testing.T) {
	for _, same := range []string{
		`{"data":{"pancard":"BNZPM2501F"}}`, `{"data":{"pancard":"bnzpm2501f"}}`, `{"data":{"pancard":"XXXXXX501F"}}`, `{"data":{}}`,
	} {
		_, ok := OtherPAN([]byte(same), "BNZPM2501F")
		assert.False(t, ok, same)
	}
	for _, other := range []string{`{"data":{"pancard":"ZZZZZ9999Z"}}`, `{"data":{"PanCard":"XXXXXX999Z"}}`, `{"x":[{"pancard":"ZZZZZ9999Z"}]}`} {
		id, ok := OtherPAN([]byte(other), "BNZPM2501F")
		assert.True(t, ok, other)
		assert.NotEmpty(t, id, other)
	}
}
