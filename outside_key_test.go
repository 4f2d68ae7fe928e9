package inexopay_test

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
)

// A key with a space, '+' and '&', sent by body or header auth, echoed in the
// listed spellings (as sent, %2B/%2b, '+' for a space, twice escaped, HTML,
// JSON): masked everywhere.
func TestOutsideKeyWithSpaceEchoed(t *testing.T) {
	key := "Kx9 p+Q&r=Zt7Yw3Lm"
	marker := "Zt7Yw3Lm"
	formEnc := url.Values{"k": {key}}.Encode()[2:]
	spell := map[string]string{
		"raw": key, "form": formEnc, "form-lower": strings.ReplaceAll(strings.ReplaceAll(formEnc, "%2B", "%2b"), "%3D", "%3d"),
		"pct20": strings.ReplaceAll(url.QueryEscape(key), "+", "%20"), "twice": url.QueryEscape(formEnc),
		"html": html.EscapeString(key), "path": url.PathEscape(key),
	}
	for _, header := range []bool{false, true} {
		for name, s := range spell {
			srv := oServer(t, func(r *http.Request) oEcho {
				return oEcho{status: 502, ctype: "text/html", body: "<p>key=" + s + "</p>", headers: map[string]string{"X-Echo": s}}
			})
			auth := inexopay.Authenticator(inexopay.BodyAuth(key, "merchant01"))
			if header {
				auth = inexopay.HeaderAuth(key, "merchant01")
			}
			var logbuf bytes.Buffer
			c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(1, 0, 0),
				inexopay.WithLogger(slog.New(slog.NewTextHandler(&logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Account.Balance(context.Background())
			srv.Close()
			for _, txt := range append(oErrTexts(err), logbuf.String()) {
				dec := txt
				for i := 0; i < 3; i++ {
					if u, e := url.QueryUnescape(dec); e == nil {
						dec = u
					}
				}
				if strings.Contains(txt, marker) || strings.Contains(html.UnescapeString(dec), "p+Q&r=") {
					t.Errorf("FINDING: header=%v %s: key leaked in %q", header, name, txt)
					break
				}
			}
		}
	}
}
