package secrettest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEverySpellingIsFound(t *testing.T) {
	secrets := []string{"234567890124", "583914", "BQKPM4821R", "ik+live/5Qz=8Wm2Rt7Yp3Kx9"}
	f := NewFinder("aadhaar", secrets[0], "otp", secrets[1], "pan", secrets[2], "key", secrets[3])
	for i, s := range secrets {
		for _, sp := range Spellings(s) {
			assert.Contains(t, f.Find("the value <"+sp+"> is wrong"), f.names[i], "%q", sp)
		}
	}
	assert.Empty(t, f.Find("Order ORD12345 not found at 10:30:00, inexopay PAN.Request"))
}
