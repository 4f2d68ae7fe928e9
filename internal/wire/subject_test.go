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

func TestOtherSubjectPHPSpellings(t *testing.T) {
	for _, name := range []string{"aadhar", "aadhaar_no", "aadhar_no", "aadhaarNo", "aadhar_number", "adhaar", "adhar", "aadhaar_num", "uid_number", "uid_no", "aadhaar_id"} {
		body := `{"data":{"` + name + `":"587203916445"}}`
		_, ok := OtherAadhaar([]byte(body), "234567890124")
		assert.True(t, ok, body)
		_, ok = OtherAadhaar([]byte(`{"data":{"`+name+`":"XXXXXXXX0124"}}`), "234567890124")
		assert.False(t, ok, name+": the number asked, masked")
	}
	for _, name := range []string{"pan", "PAN", "pan_no", "pan_number", "panNumber", "pan_num", "pancard_no", "pan_card_number", "pan_id"} {
		body := `{"data":{"` + name + `":"ZZZZZ9999Z"}}`
		_, ok := OtherPAN([]byte(body), "BNZPM2501F")
		assert.True(t, ok, body)
		_, ok = OtherPAN([]byte(`{"data":{"`+name+`":"bnzpm2501f"}}`), "BNZPM2501F")
		assert.False(t, ok, name+": the PAN asked")
	}
	for _, name := range []string{"pan_mode", "pan_type", "panel", "span", "aadhaar_details", "uid", "user_id"} {
		body := `{"data":{"` + name + `":"ZZZZZ9999Z"}}`
		_, ok := OtherPAN([]byte(body), "BNZPM2501F")
		assert.False(t, ok, body)
		_, ok = OtherAadhaar([]byte(`{"data":{"`+name+`":"587203916445"}}`), "234567890124")
		assert.False(t, ok, name)
	}
}
