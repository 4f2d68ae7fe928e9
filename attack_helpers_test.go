package inexopay

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// atkCert returns a self-signed certificate for 127.0.0.1 and a pool that
// trusts it, for the TLS servers of the attack tests.
func atkCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "inexopay attack test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

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

// atkListener accepts connections on loopback for the attack servers,
// serves each in its own goroutine, counts them, and closes them all (and
// waits for their goroutines) on close.
type atkListener struct {
	ln    net.Listener
	conns atomic.Int64
	wg    sync.WaitGroup
	mu    sync.Mutex
	open  map[net.Conn]bool
}

// start accepts connections and hands each to serve until close.
func (l *atkListener) start(ln net.Listener, serve func(net.Conn)) {
	l.ln, l.open = ln, map[net.Conn]bool{}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			c, err := l.ln.Accept()
			if err != nil {
				return
			}
			l.conns.Add(1)
			l.mu.Lock()
			l.open[c] = true
			l.mu.Unlock()
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				serve(c)
				l.mu.Lock()
				delete(l.open, c)
				l.mu.Unlock()
			}()
		}
	}()
}

func (l *atkListener) close() {
	_ = l.ln.Close()
	l.mu.Lock()
	for c := range l.open {
		_ = c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
}
