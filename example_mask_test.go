package inexopay_test

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/inexopay/inexopay-go"
)

// Params and results that hold a secret print it masked, with every fmt
// verb and in slog, while their fields keep the values for the program.
func ExampleVerifyOTPParams_Format() {
	p := inexopay.VerifyOTPParams{OrderID: "ADH1", RequestID: "ADHRVFR19052420260531_1e2d274",
		OTP: "583914", AadhaarNumber: "497312865407"}
	fmt.Printf("%v\n", p)
	fmt.Printf("%#v\n", p)
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	logger.Info("verifying", "params", p)
	fmt.Println(p.OTP == "583914")
	// Output:
	// VerifyOTPParams{OrderID:ADH1 RequestID:XXXXXXXXXXXXXXXXXXXXXXXXXd274 OTP:[REDACTED] AadhaarNumber:XXXXXXXX5407}
	// inexopay.VerifyOTPParams{OrderID:"ADH1", RequestID:"XXXXXXXXXXXXXXXXXXXXXXXXXd274", OTP:"[REDACTED]", AadhaarNumber:"XXXXXXXX5407"}
	// {"level":"INFO","msg":"verifying","params":{"OrderID":"ADH1","RequestID":"XXXXXXXXXXXXXXXXXXXXXXXXXd274","OTP":"[REDACTED]","AadhaarNumber":"XXXXXXXX5407"}}
	// true
}
