// The Server and its lifecycle: NewServer and Start, Close (and enter,
// through which Close waits for every handler and delivery), String, and
// the clients pointed at the server.

package inexopaytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// maxRequestBody caps the request bodies the sandbox reads.
const maxRequestBody = 1 << 20

// Server is a running INEXOPAY sandbox. Its controls are safe for
// concurrent use. Close it when done.
type Server struct {
	// URL is the base URL of the sandbox, such as "http://127.0.0.1:41234",
	// for inexopay.WithBaseURL.
	URL string
	// APIKey is the API key the sandbox accepts (WithAPIKey, or a random
	// "sandbox_key_…"). It is a test secret: String and %v do not print it.
	APIKey string
	// Username is the username the sandbox accepts (WithUsername, or
	// DefaultUsername).
	Username string

	cfg       config
	log       *logger
	srv       *http.Server
	serveDone chan struct{}
	ctx       context.Context
	cancel    context.CancelFunc
	hookHTTP  *http.Client
	hookTrans *http.Transport
	closeOnce sync.Once
	// inflight counts running handlers and webhook deliveries; Add is
	// called only with mu held and closed false.
	inflight sync.WaitGroup

	mu     sync.Mutex
	closed bool
	st     state
}

// NewServer starts a sandbox with the given options and returns it. It
// panics when it cannot listen (as httptest.NewServer does); use Start to
// get the error instead.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Start is NewServer returning an error when the server cannot listen on
// its address.
func Start(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.apiKey == "" {
		cfg.apiKey = "sandbox_key_" + randomHex(16)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("inexopaytest: listening on %s: %w", cfg.addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	trans := &http.Transport{DisableKeepAlives: true, Proxy: nil, ResponseHeaderTimeout: 10 * time.Second}
	s := &Server{
		URL:       "http://" + dialAddr(ln.Addr(), cfg.addr),
		APIKey:    cfg.apiKey,
		Username:  cfg.username,
		cfg:       cfg,
		log:       newLogger(cfg.log),
		serveDone: make(chan struct{}),
		ctx:       ctx,
		cancel:    cancel,
		hookTrans: trans,
		hookHTTP: &http.Client{Transport: trans, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	s.st.init(cfg)
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		defer close(s.serveDone)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// dialAddr returns a listener address a client can dial: an unspecified
// host (0.0.0.0, ::, or none) becomes loopback: ::1 when the configured
// address was IPv6, else 127.0.0.1.
func dialAddr(a net.Addr, configured string) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
		if host, _, err := net.SplitHostPort(configured); err == nil {
			if h := net.ParseIP(host); h != nil && h.To4() == nil {
				ip = net.IPv6loopback
			}
		}
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// Close stops the server: it closes the listener and every connection,
// stops every webhook delivery in flight (a stopped delivery is recorded
// with the context's error) and waits until every handler and delivery
// goroutine has returned. Close is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.cancel()
		_ = s.srv.Close()
		<-s.serveDone
		s.inflight.Wait()
		s.hookTrans.CloseIdleConnections()
	})
}

// String describes the server by its URL, without its API key or state
// (which holds OTPs).
func (s *Server) String() string { return "inexopaytest.Server(" + s.URL + ")" }

// GoString is String, so that %#v does not print the API key either.
func (s *Server) GoString() string { return s.String() }

// enter registers a goroutine with inflight; it reports false once Close
// has begun.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.inflight.Add(1)
	return true
}

// Client returns an *inexopay.Client pointed at the sandbox with its
// credentials in the body (BodyAuth) and short retry waits
// (WithRetry(3, time.Millisecond, 10*time.Millisecond)); opts are applied
// after those and may override them. It panics when an option is invalid.
func (s *Server) Client(opts ...inexopay.Option) *inexopay.Client {
	return s.ClientWithAuth(inexopay.BodyAuth(s.APIKey, s.Username), opts...)
}

// ClientWithAuth is Client with other credentials, such as
// inexopay.HeaderAuth(srv.APIKey, srv.Username) or a wrong key. It panics
// when auth is nil or an option is invalid.
func (s *Server) ClientWithAuth(auth inexopay.Authenticator, opts ...inexopay.Option) *inexopay.Client {
	all := append([]inexopay.Option{
		inexopay.WithBaseURL(s.URL),
		inexopay.WithRetry(3, time.Millisecond, 10*time.Millisecond),
	}, opts...)
	c, err := inexopay.NewClient(auth, all...)
	if err != nil {
		panic("inexopaytest: creating client: " + err.Error())
	}
	return c
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+), and only fills b
	return hex.EncodeToString(b)
}
