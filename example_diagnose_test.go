package inexopay_test

import (
	"context"
	"fmt"
	"log"

	"github.com/inexopay/inexopay-go/inexopaytest"
)

func ExampleClient_Diagnose() {
	srv := inexopaytest.NewServer()
	defer srv.Close()
	client := srv.Client() // in production: NewClient with your credentials

	d, err := client.Diagnose(context.Background())
	if err != nil {
		log.Fatal(err) // only a nil or ended context
	}
	for _, ck := range d.Failed() {
		// Such as: PAN.Status: /api/nsdl-pan/v1/pan_status.php answers HTTP 404 …
		fmt.Printf("%s %s: %s %s\n", ck.Name, ck.Endpoint, ck.Detail, ck.Fix)
	}
	fmt.Println("all good:", d.OK(), "checks:", len(d.Checks), "protocol:", d.Protocol)
	fmt.Println(d.Checks[len(d.Checks)-1].Endpoint, d.Checks[len(d.Checks)-1].Result == "ok")
	// Output:
	// all good: true checks: 19 protocol: HTTP/1.1
	// Aadhaar.VerifyOTP true
}
