package upi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/upi"
)

const documentedTxString = "upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR&tn=WAL1234567890123&am=100&tr=WAL1234567890123"

func TestParseUPIValid(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want inexopay.UPIPayment // Raw is checked separately
	}{
		{"documented tx_string", documentedTxString, inexopay.UPIPayment{
			PayeeVPA: "paytmqr5hcr1f@ptys", PayeeName: "INEXOPAY", Amount: 100_00, Currency: "INR",
			Note: "WAL1234567890123", Reference: "WAL1234567890123"}},
		{"upper-case scheme and host", "UPI://PAY?pa=shop@okaxis&am=1.50", inexopay.UPIPayment{
			PayeeVPA: "shop@okaxis", Amount: 150}},
		{"escaped names", "upi://pay?pa=ravi.k-1_2@ybl&pn=Ravi%20Kumar%20%26%20Sons&tn=Order+%2342%3A%20tea&am=1250.5&cu=inr&mc=5411", inexopay.UPIPayment{
			PayeeVPA: "ravi.k-1_2@ybl", PayeeName: "Ravi Kumar & Sons", Note: "Order #42: tea", Amount: 1250_50, Currency: "inr", MerchantCode: "5411"}},
		{"no amount", "upi://pay?pa=a@b", inexopay.UPIPayment{PayeeVPA: "a@b"}},
		{"trailing slash and spaces", "  upi://pay/?pa=a@b&am=0.01\n", inexopay.UPIPayment{PayeeVPA: "a@b", Amount: 1}},
		{"upper-case keys", "upi://pay?PA=a@b&AM=2", inexopay.UPIPayment{PayeeVPA: "a@b", Amount: 200}},
		{"two zero decimals", "upi://pay?pa=a@b&am=107.00", inexopay.UPIPayment{PayeeVPA: "a@b", Amount: 107_00}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := inexopay.ParseUPI(tc.in)
			require.NoError(t, err)
			require.NotNil(t, got.Raw)
			got.Raw = nil
			assert.Equal(t, tc.want, *got)
		})
	}
}

func TestParseUPIKeepsRawParameters(t *testing.T) {
	p, err := inexopay.ParseUPI("upi://pay?pa=a@b&am=5&mode=02&orgid=000000&sign=abc%2Bdef")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"pa": {"a@b"}, "am": {"5"}, "mode": {"02"}, "orgid": {"000000"}, "sign": {"abc+def"}}, p.Raw)
	assert.Equal(t, "upi://pay?pa=a@b&am=5&mode=02&orgid=000000&sign=abc%2Bdef", p.String())
}

func TestParseUPIInvalid(t *testing.T) {
	cases := []struct{ name, in, reason string }{
		{"empty", "", "must be a upi:// link"},
		{"https scheme", "https://pay?pa=a@b", "must be a upi:// link"},
		{"upi-like scheme", "upix://pay?pa=a@b", "must be a upi:// link"},
		{"intent scheme", "intent://pay?pa=a@b#Intent;scheme=upi;end", "must be a upi:// link"},
		{"mandate, not pay", "upi://mandate?pa=a@b", "must be a upi://pay link"},
		{"path after pay", "upi://pay/x?pa=a@b", "must be a upi://pay link"},
		{"opaque", "upi:pay?pa=a@b", "must be a upi://pay link"},
		{"not a URL", "upi://pay%zz?pa=a@b", "is not a URL"},
		{"missing pa", "upi://pay?pn=INEXOPAY&am=100", "pa (payee VPA) is required"},
		{"empty pa", "upi://pay?pa=&am=100", "pa (payee VPA) is required"},
		{"pa without handle", "upi://pay?pa=paytmqr5hcr1f", "pa must be a VPA such as name@bank"},
		{"pa with empty name", "upi://pay?pa=@ptys", "pa must be a VPA such as name@bank"},
		{"pa with two @", "upi://pay?pa=a@b@c", "pa must be a VPA such as name@bank"},
		{"pa with space", "upi://pay?pa=a%20b@ptys", "pa must be a VPA such as name@bank"},
		{"two pa", "upi://pay?pa=a@b&pa=evil@b", "gives pa more than once"},
		{"two am across case", "upi://pay?pa=a@b&am=1&AM=1000", "gives am more than once"},
		{"bad amount", "upi://pay?pa=a@b&am=abc", "am must be a positive rupee amount with at most two decimals"},
		{"fraction of a paisa", "upi://pay?pa=a@b&am=1.005", "am must be a positive rupee amount with at most two decimals"},
		{"negative amount", "upi://pay?pa=a@b&am=-5", "am must be a positive rupee amount with at most two decimals"},
		{"zero amount", "upi://pay?pa=a@b&am=0", "am must be a positive rupee amount with at most two decimals"},
		{"comma amount", "upi://pay?pa=a@b&am=1,000", "am must be a positive rupee amount with at most two decimals"},
		{"exponent amount", "upi://pay?pa=a@b&am=1e3", "am must be a positive rupee amount with at most two decimals"},
		{"empty amount", "upi://pay?pa=a@b&am=", "am must be a positive rupee amount with at most two decimals"},
		{"other currency", "upi://pay?pa=a@b&am=1&cu=USD", "cu must be INR"},
		{"malformed query", "upi://pay?pa=a@b&pn=%zz", "has a malformed query"},
		{"fragment hiding a second tr", "upi://pay?pa=a@b&am=100&tr=WAL1#&tr=WAL9&am=5", "has a '#': a UPI app may read the parameters after it"},
		{"fragment hiding a second pa", "upi://pay?pa=a@b&tr=WAL1#&pa=evil@ybl", "has a '#': a UPI app may read the parameters after it"},
		{"empty fragment", "upi://pay?pa=a@b#", "has a '#': a UPI app may read the parameters after it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := inexopay.ParseUPI(tc.in)
			require.Error(t, err)
			assert.Nil(t, p)
			require.ErrorIs(t, err, inexopay.ErrInvalidParams)
			var ve *inexopay.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "UPIString", ve.Field)
			assert.Equal(t, tc.reason, ve.Reason)
		})
	}
}

func TestUPIPaymentString(t *testing.T) {
	p, err := inexopay.ParseUPI(documentedTxString)
	require.NoError(t, err)
	assert.Equal(t, documentedTxString, p.String(), "the documented link round-trips byte for byte")

	p = &inexopay.UPIPayment{PayeeVPA: "ravi@ybl", PayeeName: "Ravi Kumar & Sons", Amount: 1250_50,
		Currency: "INR", Note: "Tea+coffee 100%", Reference: "ORD/1", MerchantCode: "5411"}
	s := p.String()
	assert.Equal(t, "upi://pay?pa=ravi@ybl&pn=Ravi%20Kumar%20%26%20Sons&mc=5411&cu=INR&tn=Tea%2Bcoffee%20100%25&am=1250.50&tr=ORD%2F1", s)
	back, err := inexopay.ParseUPI(s)
	require.NoError(t, err)
	back.Raw = nil
	assert.Equal(t, *p, *back)

	assert.Equal(t, "upi://pay?pa=a@b", (&inexopay.UPIPayment{PayeeVPA: "a@b"}).String())
	assert.Equal(t, "", (*inexopay.UPIPayment)(nil).String())
	// Fields win over Raw for the parameters they cover.
	p = &inexopay.UPIPayment{PayeeVPA: "new@b", Raw: url.Values{"pa": {"old@b"}, "PA": {"old@b"}, "x": {"1", "2"}}}
	assert.Equal(t, "upi://pay?pa=new@b&x=1&x=2", p.String())
}

func TestWalletQRUPI(t *testing.T) {
	qr := &inexopay.WalletQR{OrderID: "WAL1234567890123", Amount: 100_00, UPIID: "paytmqr5hcr1f@ptys",
		AccountHolderName: "INEXOPAY", UPIString: documentedTxString}
	p, err := qr.UPI()
	require.NoError(t, err)
	assert.Equal(t, "paytmqr5hcr1f@ptys", p.PayeeVPA)
	assert.Equal(t, inexopay.Amount(100_00), p.Amount)
	assert.Equal(t, "WAL1234567890123", p.Reference)

	for name, tc := range map[string]struct {
		qr     *inexopay.WalletQR
		reason string
	}{
		"amount differs": {&inexopay.WalletQR{Amount: 200_00, UPIString: documentedTxString},
			"am 100.00 differs from the QR amount 200.00"},
		"payee differs": {&inexopay.WalletQR{UPIID: "other@ptys", UPIString: documentedTxString},
			"pa differs from the QR's UPI id"},
		"no link": {&inexopay.WalletQR{Amount: 100_00}, "must be a upi:// link"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := tc.qr.UPI()
			assert.Nil(t, p)
			var ve *inexopay.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "UPIString", ve.Field)
			assert.Equal(t, tc.reason, ve.Reason)
		})
	}
	_, err = (*inexopay.WalletQR)(nil).UPI()
	require.ErrorIs(t, err, inexopay.ErrInvalidParams)
}

// slowPath is s with an unknown parameter that needs decoding added, so
// that Check reads it through url.Parse and url.ParseQuery.
func slowPath(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return s[:i+1] + "x%2Dy=1&" + s[i+1:]
	}
	return s + "?x%2Dy=1"
}

// Check reads a plain link (no '%', '+' or ';') without allocating, and
// exactly as it reads the same link through url.Parse: the same facts and
// the same error, for valid and invalid links alike.
func TestCheckPlainAgreesWithParsed(t *testing.T) {
	for _, s := range []string{
		documentedTxString, "UPI://PAY/?pa=a@b&am=1.5", "upi://pay?pa=a@b&tr=X&TR=Y", "upi://pay?pa=a@b&am=0",
		"upi://pay?pa=ab&am=1", "upi://pay?pn=x", "upi://pay?pa=a@b&cu=USD", "upi://pay?pa=a@b&am=1e3",
		"upi://pay?pa=a@b&&am=2&=x&tn", "upi://pay", "upi://pay/", "upi://pay?pa=a@b&am=" + strings.Repeat("9", 30),
	} {
		f1, err1 := upi.Check(s, int64(inexopay.MaxAmount))
		f2, err2 := upi.Check(slowPath(s), int64(inexopay.MaxAmount))
		assert.Equal(t, err2, err1, s)
		if err1 == nil { // a failed link's facts are not defined (url.Values order)
			assert.Equal(t, f2, f1, s)
		}
	}
	for _, s := range []string{"upi://pay#?pa=a@b", "upi://pay@x?pa=a@b", "upi://pay:1?pa=a@b", "upi://pay/x?pa=a@b", "upi:pay?pa=a@b"} {
		_, err := upi.Check(s, int64(inexopay.MaxAmount))
		assert.Error(t, err, s)
	}
	assert.Zero(t, testing.AllocsPerRun(20, func() { _, _ = upi.Check(documentedTxString, int64(inexopay.MaxAmount)) }))
}

// A Known parameter given many times is refused however many times it is
// given.
func TestCheckManyRepeats(t *testing.T) {
	s := "upi://pay?pa=a@b" + strings.Repeat("&tr=X", 256)
	_, err := upi.Check(s, int64(inexopay.MaxAmount))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tr more than once")
}

func FuzzCheck(f *testing.F) {
	f.Add(documentedTxString)
	f.Add("upi://pay?pa=a@b&am=1.50&tr=x&TR=y")
	f.Fuzz(func(t *testing.T, s string) {
		f1, err1 := upi.Check(s, int64(inexopay.MaxAmount))
		if strings.HasPrefix(strings.TrimSpace(s), "upi://pay") && !strings.ContainsAny(s, "#%+;") {
			f2, err2 := upi.Check(slowPath(strings.TrimSpace(s)), int64(inexopay.MaxAmount))
			if (err1 == nil) != (err2 == nil) || err1 == nil && f1 != f2 {
				t.Fatalf("%q: plain %v %v, parsed %v %v", s, f1, err1, f2, err2)
			}
		}
		l, err := upi.Parse(s, int64(inexopay.MaxAmount))
		if (err == nil) != (err1 == nil) {
			t.Fatalf("%q: Parse %v, Check %v", s, err, err1)
		}
		if err == nil && l.Paise != f1.Paise {
			t.Fatalf("%q: Parse %d paise, Check %d", s, l.Paise, f1.Paise)
		}
	})
}
