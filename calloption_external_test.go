package inexopay_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
)

// ---- ResponseInfo with echoed headers ----

// ResponseInfo.Header is documented (README, "No secrets leak", Limits) as
// the raw headers of the answer, like ResponseInfo.Body: a header that
// echoes the Aadhaar number or the API key is handed over as it came, while
// the call's error (text, %v/%+v/%#v, wrapped errors) stays masked.
func TestResponseInfoHeaderEcho(t *testing.T) {
	srv := oServer(t, func(r *http.Request) oEcho {
		return oEcho{status: 400, ctype: "application/json", body: `{"status":false,"message":"no"}`,
			headers: map[string]string{"X-Debug-Aadhaar": oAadhaar, "X-Debug-Key": oKey}}
	})
	var logbuf bytes.Buffer
	c := oClient(t, srv.URL, &logbuf)
	var info inexopay.ResponseInfo
	_, err := c.Aadhaar.SendOTP(context.Background(), &inexopay.SendOTPParams{OrderID: "O", AadhaarNumber: oAadhaar}, inexopay.WithResponseInfo(&info))
	srv.Close()
	if err == nil {
		t.Fatal("no error")
	}
	// The documented limit: the headers are raw.
	if got := info.Header.Get("X-Debug-Aadhaar"); got != oAadhaar {
		t.Errorf("ResponseInfo.Header X-Debug-Aadhaar = %q, want the raw value as documented", got)
	}
	if got := info.Header.Get("X-Debug-Key"); got != oKey {
		t.Errorf("ResponseInfo.Header X-Debug-Key = %q, want the raw value as documented", got)
	}
	// The guarantee: the error and the log hold neither.
	for _, o := range append(oErrTexts(err), logbuf.String()) {
		if l := oLeaks(o); len(l) > 0 {
			t.Errorf("%v leaked in %.200q", l, o)
		}
	}
	// The guarantees page must name the limit.
	readme, rerr := os.ReadFile("docs/guarantees.md")
	if rerr != nil {
		t.Fatal(rerr)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), "`ResponseInfo.Header` and `ResponseInfo.Body` are the raw answer") {
		t.Error("docs/guarantees.md does not say that ResponseInfo.Header is raw")
	}
}
