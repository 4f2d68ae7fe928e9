package answer

import (
	"net/http"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// qrAnswer is a GenerateQR success answer for order WAL1234567890123 of
// amount (JSON) with the UPI link link.
func qrAnswer(amount, link string) []byte {
	return []byte(`{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL1234567890123","amount":` + amount +
		`,"qr_url":"https://q.example/x","tx_string":"` + link + `","status":"pending"}}`)
}

// A GenerateQR answer whose UPI link pays another order (tr, or a tn of an
// order id's shape) or another amount (am), or whose amount is not the one
// asked, is unusable: paying it credits another load.
func TestQRLinkAgreesWithAnswer(t *testing.T) {
	const link = "upi://pay?pa=p@ptys&pn=INEXOPAY&cu=INR"
	for _, tc := range []struct {
		name, amount, link string
		asked              wire.Paise
		why                string // "" for a success
	}{
		{"documented", "100", link + "&tn=WAL1234567890123&am=100&tr=WAL1234567890123", 10000, ""},
		{"tr in another case", "100", link + "&tn=wal1234567890123&am=100.00&tr=wal1234567890123", 10000, ""},
		{"tn a free note", "100", link + "&tn=Wallet%20load%20WAL9&am=100&tr=WAL1234567890123", 10000, ""},
		{"no tr, tn, am", "100", link, 10000, ""},
		{"nothing asked", "100", link + "&am=100&tr=WAL1234567890123", 0, ""},
		{"tr of another order", "100", link + "&tn=WAL1234567890123&am=100&tr=WAL1234567890124", 10000, "tr"},
		{"tn of another order", "100", link + "&tn=WAL1234567890124&am=100&tr=WAL1234567890123", 10000, "tn"},
		{"TR spelled in capitals", "100", link + "&am=100&TR=WAL9", 10000, "tr"},
		{"am differs from amount", "100", link + "&am=1000&tr=WAL1234567890123", 10000, "am"},
		{"amount differs from the amount asked", "1000", link + "&am=1000&tr=WAL1234567890123", 10000, "amount"},
		{"a link a UPI app reads two ways", "100", link + "&tr=WAL1234567890123&tr=WAL2", 10000,
			"answer unusable: data.tx_string: gives tr more than once"},
	} {
		ae := Decode(generateQR, &http.Response{StatusCode: 200, Header: http.Header{}}, qrAnswer(tc.amount, tc.link),
			new(wire.WalletQR), wire.Asked{Paise: tc.asked}, nil)
		if tc.why == "" {
			assert.Nil(t, ae, tc.name)
			continue
		}
		require.NotNil(t, ae, tc.name)
		assert.True(t, apierr.Unusable(ae), tc.name)
		assert.Contains(t, ae.Message, tc.why, tc.name)
	}
}

func TestSameShape(t *testing.T) {
	assert.True(t, sameShape("WAL1", "WAL2"))
	assert.True(t, sameShape("wal1", "WAL2"))
	assert.True(t, sameShape("WAL-12_3", "XYZ-45_6"))
	assert.False(t, sameShape("WAL1", "WAL12"))
	assert.False(t, sameShape("WAL1", "Load"))
	assert.False(t, sameShape("WAL-1", "WAL_1"))
	assert.False(t, sameShape("WAL 1", "WAL 2"), "a note with a space is no id")
}
