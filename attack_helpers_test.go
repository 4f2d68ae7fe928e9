package inexopay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// idempotencyAuth is an Authenticator that, besides the credentials, sets
// the headers that make net/http treat a POST as replayable.
type idempotencyAuth struct{ Authenticator }

func (a idempotencyAuth) Authenticate(h http.Header, form url.Values) error {
	h.Set("Idempotency-Key", "key-1")
	h.Set("X-Idempotency-Key", "key-1")
	return a.Authenticator.Authenticate(h, form)
}

// atkSetup is one way a program sets up the SDK's transport.
type atkSetup struct {
	name string
	// client returns a Client for base that trusts pool (nil: plain http).
	client func(t *testing.T, base string, pool *x509.CertPool) *Client
}

// atkSetups are the set-ups every attack runs against: the SDK's own
// transport, a transport of the program's own given with WithHTTPClient, a
// middleware transport of the program's (like otelhttp: clones the request,
// wraps its body, and here also adds an Idempotency-Key) around net/http's,
// and an Authenticator that sets Idempotency-Key headers.
func atkSetups(own func(pool *x509.CertPool) http.RoundTripper) []atkSetup {
	return []atkSetup{
		{"sdk-transport", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			c := relClient(t, base)
			trustTestCA(c, pool)
			t.Cleanup(func() { closeIdle(c) })
			return c
		}},
		{"own-transport", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			tr := own(pool)
			t.Cleanup(func() {
				if ci, ok := tr.(interface{ CloseIdleConnections() }); ok {
					ci.CloseIdleConnections()
				}
			})
			return relClient(t, base, WithHTTPClient(&http.Client{Transport: tr}))
		}},
		{"middleware", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			std := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ForceAttemptHTTP2: true}
			t.Cleanup(std.CloseIdleConnections)
			return relClient(t, base, WithHTTPClient(&http.Client{Transport: middleware{std}}))
		}},
		{"idempotency-key", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			c, err := NewClient(idempotencyAuth{BodyAuth(relAPIKey, relUsername)}, WithBaseURL(base),
				WithRetry(3, time.Millisecond, 5*time.Millisecond))
			require.NoError(t, err)
			trustTestCA(c, pool)
			t.Cleanup(func() { closeIdle(c) })
			return c
		}},
	}
}

// atkCtx bounds one attacked call in time.
func atkCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// middleware is a program's RoundTripper around net/http's: it clones the
// request, wraps its body to count bytes (as otelhttp does), and adds an
// Idempotency-Key header below the SDK.
type middleware struct{ next http.RoundTripper }

func (m middleware) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Idempotency-Key", "mw-1")
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = &countingBody{ReadCloser: r.Body}
	}
	return m.next.RoundTrip(r)
}

type countingBody struct {
	io.ReadCloser
	n int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += n
	return n, err
}
