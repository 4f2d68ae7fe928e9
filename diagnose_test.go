package inexopay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// TestDiagnoseCookieEcho: the API sets a cookie derived from the
// key on the credentials check and its error pages echo the Cookie
// header; Diagnose's probes (which use the user's Jar) must not carry the
// key into the Diagnosis.
func TestDiagnoseCookieEcho(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), o2Key) {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: o2Key, Path: "/"})
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"FAILED","status_code":401,"message":"Invalid API key"}`)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, "<p>Cookie: "+r.Header.Get("Cookie")+"</p>")
	}))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
		inexopay.WithHTTPClient(&http.Client{Transport: tr, Jar: jar}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := c.Diagnose(ctx)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(d)
	for _, out := range []string{fmt.Sprintf("%v", d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d), string(js)} {
		o2CheckNoSecret(t, "diagnosis", out, o2Key)
	}
	// the same echo through a normal call is masked:
	_, err = c.Account.Balance(ctx)
	o2CheckErrEverywhere(t, err, o2Key)
}
