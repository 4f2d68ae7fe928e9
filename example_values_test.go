package inexopay_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/inexopay/inexopay-go"
)

func ExampleAmount() {
	fee := inexopay.Rupees(107)
	bal := inexopay.Amount(125050) // paise

	fmt.Println(fee, bal)
	fmt.Println(bal.Rupees(), bal.Paise())
	fmt.Println(fee.FormValue(), bal.FormValue()) // as sent to the API
	fmt.Println("after the fee:", bal-fee)
	// Output:
	// 107.00 1250.50
	// 1250 125050
	// 107 1250.50
	// after the fee: 1143.50
}

func ExampleParseAmount() {
	a, err := inexopay.ParseAmount("1250.5")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a, a.Paise())

	_, err = inexopay.ParseAmount("1.005") // a fraction of a paisa
	fmt.Println(err != nil)
	// Output:
	// 1250.50 125050
	// true
}

func ExampleParseUPI() {
	p, err := inexopay.ParseUPI("upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR" +
		"&tn=WAL1234567890123&am=100&tr=WAL1234567890123")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PayeeVPA, p.PayeeName, p.Amount, p.Currency, p.Reference)

	_, err = inexopay.ParseUPI("https://example.com/pay")
	fmt.Println(err)
	// Output:
	// paytmqr5hcr1f@ptys INEXOPAY 100.00 INR WAL1234567890123
	// inexopay: invalid UPIString: must be a upi:// link
}

func ExampleNewOrderID() {
	id := inexopay.NewOrderID("PAN")
	// The rest is a time-ordered, random suffix: ids sort by creation time.
	fmt.Println(strings.HasPrefix(id, "PAN"), len(id))
	fmt.Println(id != inexopay.NewOrderID("PAN"))
	// Output:
	// true 25
	// true
}

func ExampleMaskAadhaar() {
	fmt.Println(inexopay.MaskAadhaar("234567890124"))
	// Output:
	// XXXXXXXX0124
}

func ExampleMaskPAN() {
	fmt.Println(inexopay.MaskPAN("ABCDE1234F"))
	// Output:
	// XXXXXX234F
}

func ExampleMaskMobile() {
	fmt.Println(inexopay.MaskMobile("9876543210"))
	// Output:
	// XXXXXX3210
}
