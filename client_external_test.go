package inexopay_test

import (
	"strings"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
)

// ---- Base URL with user info ----

// Credentials in the base URL: refused without quoting them.
func TestBaseURLUserInfoNotQuoted(t *testing.T) {
	_, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "u"), inexopay.WithBaseURL("https://u:"+"Wm2Rt7Yp3Kx9zz@api.example"))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, txt := range oErrTexts(err) {
		if strings.Contains(txt, "Wm2Rt7Yp3Kx9zz") {
			t.Errorf("password from the URL quoted: %q", txt)
			break
		}
	}
}
