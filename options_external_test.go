package inexopay_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
)

// ---- WithPath stays on the base host ----

type oRecRT struct {
	mu   sync.Mutex
	urls []string
}

func (r *oRecRT) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.URL.Scheme+"://"+req.URL.Host)
	r.mu.Unlock()
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, errors.New("recorded, not sent")
}

// WithPath must not move the request (and the credentials) to another host
// or to plain http: the path is joined to the base URL.
func TestWithPathStaysOnBaseHost(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:9", "https://secure.inexopay.in"} {
		for _, p := range []string{"//evil.example/api/balance.php", "/\\evil.example/x", "/..//evil.example/x", "/%2F%2Fevil.example/x", "/@evil.example/x", "/:@evil.example/x", "///evil.example/x"} {
			rec := &oRecRT{}
			c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "u"), inexopay.WithBaseURL(base),
				inexopay.WithPath(inexopay.EndpointAccountBalance, p), inexopay.WithRetry(0, 0, 0),
				inexopay.WithHTTPClient(&http.Client{Transport: rec}))
			if err != nil {
				t.Logf("base %s path %q refused: %v", base, p, err)
				continue // refused: fine
			}
			_, _ = c.Account.Balance(context.Background())
			want := base
			t.Logf("base %s path %q went to %v", base, p, rec.urls)
			for _, u := range rec.urls {
				if u != want {
					t.Errorf("FINDING: base %s, WithPath %q: request went to %s", base, p, u)
				}
			}
		}
	}
}
