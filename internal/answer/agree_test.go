package answer

import (
	"net/http"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
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

// qrData is a GenerateQR success answer of order WAL1234567890123 and
// amount 100 with the JSON members members added to its data.
func qrData(members string) []byte {
	return []byte(`{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL1234567890123","amount":100,` + members + `}}`)
}

// A UPI link in a query value of data.qr_url (a QR image service's data=)
// is what the payer scans: it passes the same checks as data.tx_string,
// and a link's pa is data.upi_id when the answer gives both.
func TestQRURLAndUPIIDAgreeWithAnswer(t *testing.T) {
	const qr = "https://api.qrserver.com/v1/create-qr-code/?size=300x300&data="
	const ok = "upi%3A%2F%2Fpay%3Fpa%3Dp%40ptys%26am%3D100%26tr%3DWAL1234567890123%26tn%3DWAL1234567890123"
	const tx = `"tx_string":"upi://pay?pa=p@ptys&am=100&tr=WAL1234567890123"`
	for _, tc := range []struct {
		name, members, why string // why "" for a success
	}{
		{"qr_url of the order", `"qr_url":"` + qr + ok + `"`, ""},
		{"qr_url without a link", `"qr_url":"https://q.example/x.png?size=300"`, ""},
		{"qr_url of the order with tx_string", `"qr_url":"` + qr + ok + `",` + tx, ""},
		{"qr_url for another order", `"qr_url":"` + qr + "upi%3A%2F%2Fpay%3Fpa%3Dp%40ptys%26am%3D100%26tr%3DWAL999" + `"`,
			"data.qr_url: the UPI link's tr names another order"},
		{"qr_url for another order beside a good tx_string",
			`"qr_url":"` + qr + "UPI%3A%2F%2Fpay%3Fpa%3Dp%40ptys%26am%3D100%26tn%3DWAL1234567890999" + `",` + tx,
			"data.qr_url: the UPI link's tn names another order"},
		{"qr_url for another amount", `"qr_url":"` + qr + "upi%3A%2F%2Fpay%3Fpa%3Dp%40ptys%26am%3D1000%26tr%3DWAL1234567890123" + `"`,
			"data.qr_url: the UPI link's am 1000.00"},
		{"qr_url with a fragment", `"qr_url":"` + qr + ok + "%23%26tr%3DWAL9" + `"`, "data.qr_url: has a '#'"},
		{"qr_url that is the link", `"qr_url":"upi://pay?pa=p@ptys&tr=WAL9"`, "data.qr_url: the UPI link's tr"},
		{"tx_string with a fragment", `"tx_string":"upi://pay?pa=p@ptys&am=100&tr=WAL1234567890123#&tr=WAL9&am=5"`,
			"data.tx_string: has a '#'"},
		{"qr_url with the link in its path", `"qr_url":"https://q.example/qr/` + "upi%3A%2F%2Fpay%3Fpa%3Dp%40ptys%26am%3D100%26tr%3DWAL999.png" + `"`,
			"data.qr_url: the UPI link's tr names another order"},
		{"qr_url with the order's link in its path", `"qr_url":"https://q.example/qr/` + ok + `.png?size=3"`, ""},
		{"qr_url with the link twice encoded in its path", `"qr_url":"https://q.example/qr/upi%253A%252F%252Fpay%253Fpa%253Dp%2540ptys%2526am%253D5/x.svg"`,
			"data.qr_url: the UPI link's am 5.00"},
		{"qr_url with the link in its fragment", `"qr_url":"https://q.example/qr#upi://pay?pa=p@ptys&am=100&tr=WAL999"`,
			"data.qr_url: the UPI link's tr names another order"},
		{"qr_url with the encoded link in its fragment", `"qr_url":"https://q.example/qr#data=` + "upi%3A%2F%2Fpay%3Fpa%3Devil%40ybl" + `","upi_id":"p@ptys"`,
			"data.qr_url: the UPI link's pa is not data.upi_id"},
		{"qr_url with the order's link in its fragment", `"qr_url":"https://q.example/qr#` + ok + `"`, ""},
		{"qr_url that is an intent link for another order", `"qr_url":"intent://pay?pa=p@ptys&am=100&tr=WAL999#Intent;scheme=upi;package=x;end"`,
			"data.qr_url: the UPI link's tr names another order"},
		{"qr_url with an encoded intent link", `"qr_url":"https://q.example/qr?data=intent%3A%2F%2Fpay%3Fpa%3Dp%40ptys%26am%3D5%23Intent%3BScheme%3DUPI%3Bend"`,
			"data.qr_url: the UPI link's am 5.00"},
		{"qr_url that is an intent link of the order", `"qr_url":"intent://pay?pa=p@ptys&am=100&tr=WAL1234567890123#Intent;scheme=upi;end"`, ""},
		{"qr_url that is an intent for another scheme", `"qr_url":"intent://pay?tr=WAL999#Intent;scheme=https;end"`, ""},
		{"upi_id in another case", `"upi_id":"P@PTYS",` + tx, ""},
		{"upi_id without a link", `"upi_id":"other@ybl","qr_url":"https://q.example/x"`, ""},
		{"pa is not upi_id", `"upi_id":"other@ybl",` + tx, "data.tx_string: the UPI link's pa is not data.upi_id"},
		{"qr_url's pa is not upi_id", `"upi_id":"p@ptys","qr_url":"` + qr + "upi%3A%2F%2Fpay%3Fpa%3Devil%40ybl" + `"`,
			"data.qr_url: the UPI link's pa is not data.upi_id"},
	} {
		ae := Decode(generateQR, &http.Response{StatusCode: 200, Header: http.Header{}}, qrData(tc.members),
			new(wire.WalletQR), wire.Asked{Paise: 10000}, nil)
		if tc.why == "" {
			assert.Nil(t, ae, tc.name)
			continue
		}
		require.NotNil(t, ae, tc.name)
		assert.True(t, apierr.Unusable(ae), tc.name)
		assert.Contains(t, ae.Message, tc.why, tc.name)
	}
}

// A success answer whose own state word says the call did not do what its
// success means is unusable: a VerifyOTP check that is not "verified", a
// SendOTP whose OTP failed, an incomplete opening that is not pending.
func TestStateWordAgreesWithSuccess(t *testing.T) {
	const rid = "ADHR1"
	decode := func(e endpoints.Name, body string, out wire.Headed, asked wire.Asked) *apierr.APIError {
		return Decode(e, &http.Response{StatusCode: 200, Header: http.Header{}}, []byte(body), out, asked, nil)
	}
	verify := func(st string) string {
		return `{"status":"success","status_code":200,"data":{"request_id":"` + rid + `","status":"` + st + `"}}`
	}
	for _, st := range []string{"failed", "pending", "rejected", "invalid", "success", "VERIFIED!"} {
		ae := decode(endpoints.VerifyOTP, verify(st), new(wire.AadhaarVerification), wire.Asked{RequestID: rid})
		require.NotNil(t, ae, st)
		assert.True(t, apierr.Unusable(ae), st)
		assert.Contains(t, ae.Message, "is not verified", st)
	}
	for _, st := range []string{"verified", " Verified ", "VERIFIED"} {
		assert.Nil(t, decode(endpoints.VerifyOTP, verify(st), new(wire.AadhaarVerification), wire.Asked{RequestID: rid}), st)
	}
	send := func(st string) string {
		return `{"status":"success","status_code":200,"data":{"request_id":"` + rid + `","status":"` + st + `"}}`
	}
	for _, st := range []string{"failed", "FAILED", "rejected", "expired"} {
		ae := decode(endpoints.SendOTP, send(st), new(wire.AadhaarOTP), wire.Asked{})
		require.NotNil(t, ae, st)
		assert.Contains(t, ae.Message, "does not say an OTP was sent", st)
	}
	assert.Nil(t, decode(endpoints.SendOTP, send("pending"), new(wire.AadhaarOTP), wire.Asked{}))
	// A state word that cannot be read, or a failure marker written as 0,
	// says no more than a failure word: unusable on either charging call.
	sendRaw := func(st string) string {
		return `{"status":"success","status_code":200,"data":{"request_id":"` + rid + `","status":` + st + `}}`
	}
	qr := func(st string) string {
		return `{"status":true,"data":{"order_id":"WAL1","amount":"100","upi_id":"a@b","tx_string":"upi://pay?pa=a@b&am=100&tr=WAL1","status":` + st + `}}`
	}
	for _, st := range []string{`"FAILED\u00a0"`, `"failed\u200b"`, `"successful"`, `"0"`, `0`, `false`, `"failed"`} {
		ae := decode(endpoints.SendOTP, sendRaw(st), new(wire.AadhaarOTP), wire.Asked{})
		require.NotNil(t, ae, st)
		assert.True(t, apierr.Unusable(ae), st)
		ae = decode(endpoints.GenerateQR, qr(st), new(wire.WalletQR), wire.Asked{})
		require.NotNil(t, ae, "GenerateQR "+st)
		assert.True(t, apierr.Unusable(ae), "GenerateQR "+st)
	}
	// Any other word than one that says the OTP is on its way (the load
	// awaits payment) is unusable too: the API's failure words are not a
	// closed list (unsuccessful, declined, cancelled, timeout…).
	for _, st := range []string{`"unsuccessful"`, `"declined"`, `"denied"`, `"cancelled"`, `"canceled"`, `"aborted"`,
		`"blocked"`, `"timeout"`, `"timed_out"`, `"not_sent"`, `"no"`, `"refund"`} {
		ae := decode(endpoints.SendOTP, sendRaw(st), new(wire.AadhaarOTP), wire.Asked{})
		require.NotNil(t, ae, st)
		assert.True(t, apierr.Unusable(ae), st)
		assert.Contains(t, ae.Message, "does not say an OTP was sent", st)
		ae = decode(endpoints.GenerateQR, qr(st), new(wire.WalletQR), wire.Asked{})
		require.NotNil(t, ae, "GenerateQR "+st)
		assert.True(t, apierr.Unusable(ae), "GenerateQR "+st)
		assert.Contains(t, ae.Message, "does not say a load awaits payment", st)
	}
	for _, st := range []string{`"pending"`, `"Pending "`, `null`, `""`, `"sent"`, `"success"`, `"SUCCESS"`, `"initiated"`, `"generated"`} {
		assert.Nil(t, decode(endpoints.SendOTP, sendRaw(st), new(wire.AadhaarOTP), wire.Asked{}), st)
		assert.Nil(t, decode(endpoints.GenerateQR, qr(st), new(wire.WalletQR), wire.Asked{}), "GenerateQR "+st)
	}
	incomplete := func(st string) string {
		return `{"status":true,"order_id":"ACC1","txn_id":"T","account_url":"https://nsdl.example/x","status_in_db":"` + st + `"}`
	}
	for _, st := range []string{"completed", "success", "failed", "refund"} {
		ae := decode(endpoints.IncompleteAccountURL, incomplete(st), new(wire.IncompleteAccount), wire.Asked{OrderID: "ACC1"})
		require.NotNil(t, ae, st)
		assert.Contains(t, ae.Message, "is not pending", st)
	}
	assert.Nil(t, decode(endpoints.IncompleteAccountURL, incomplete("Pending"), new(wire.IncompleteAccount), wire.Asked{OrderID: "ACC1"}))
}
