package inexopay_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
)

// ResponseInfo: the README excepts only Body ("the raw answer"). A response
// header that echoes the Aadhaar number, printed with the ResponseInfo.
func TestOutsideResponseInfoHeaderEcho(t *testing.T) {
	srv := oServer(t, func(r *http.Request) oEcho {
		return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"message":"no"}`,
			headers: map[string]string{"X-Debug-Aadhaar": oAadhaar, "X-Debug-Key": oKey}}
	})
	c := oClient(t, srv.URL, nil)
	var info inexopay.ResponseInfo
	_, err := c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: "O", AadhaarNumber: oAadhaar}, inexopay.WithResponseInfo(&info))
	srv.Close()
	if err == nil {
		t.Fatal("no error")
	}
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("m", "info", info)
	outs := []string{fmt.Sprintf("%v", info.Header), fmt.Sprintf("%+v", info), b.String()}
	for _, o := range outs {
		if l := oLeaks(o); len(l) > 0 {
			t.Logf("ResponseInfo prints %v raw (the README excepts only Body): %.200q", l, o)
			break
		}
	}
}
