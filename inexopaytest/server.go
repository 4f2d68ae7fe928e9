package inexopaytest

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// Defaults of the options.
const (
	// DefaultUsername is the username of the sandbox account unless
	// WithUsername says otherwise.
	DefaultUsername = "sandbox"
	// DefaultAddr is the address NewServer listens on unless WithAddr says
	// otherwise: loopback, on a free port.
	DefaultAddr = "127.0.0.1:0"
	// DefaultPANFee is the fee PAN.Request charges, ₹107.00.
	DefaultPANFee = inexopay.Amount(10700)
	// DefaultWebhookBackoff is the wait before the first webhook retry; it
	// doubles for each further retry.
	DefaultWebhookBackoff = time.Second
	// DefaultOTPTTL is how long an Aadhaar OTP stays valid.
	DefaultOTPTTL = 10 * time.Minute
	// DefaultMaxOTPAttempts is how many wrong OTPs an Aadhaar request
	// survives: after that many, the request is dead.
	DefaultMaxOTPAttempts = 3
	// MaxWebhookRetries is how many times a failed webhook delivery is
	// retried (so a delivery makes at most 1+MaxWebhookRetries attempts).
	MaxWebhookRetries = 10
	// AccountActive is the account status under which calls are allowed.
	AccountActive = "ACTIVE"
)

// maxRequestBody caps the request bodies the sandbox reads.
const maxRequestBody = 1 << 20

// ist is India Standard Time, in which the API writes zone-less times.
var ist = time.FixedZone("IST", 5*3600+1800)

// Errors of the test controls, matched with errors.Is.
var (
	// ErrUnknownOrder means the control was given an order id (or request
	// id) the sandbox never issued.
	ErrUnknownOrder = errors.New("inexopaytest: unknown order")
	// ErrNotPending means the transaction is no longer pending, so it
	// cannot be completed or failed.
	ErrNotPending = errors.New("inexopaytest: transaction is not pending")
)

type config struct {
	apiKey         string
	username       string
	balance        inexopay.Amount
	panFee         inexopay.Amount
	minWalletLoad  inexopay.Amount
	webhookURL     string
	backoff        time.Duration
	otpTTL         time.Duration
	maxOTPAttempts int
	addr           string
	clock          func() time.Time
	remoteWebhooks bool
	ownerName      string
	planName       string
	panAnswer      PANAnswer
	log            io.Writer
}

// Option configures a Server; pass options to NewServer or Start.
type Option func(*config)

// WithAPIKey sets the API key the sandbox accepts. Without it (or with "")
// the key is "sandbox_key_" followed by 32 random hex digits.
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithUsername sets the username the sandbox accepts (default "sandbox").
// An empty username keeps the default.
func WithUsername(username string) Option {
	return func(c *config) {
		if username != "" {
			c.username = username
		}
	}
}

// WithBalance sets the starting API balance (default ₹1000.00).
func WithBalance(a inexopay.Amount) Option { return func(c *config) { c.balance = a } }

// WithPANFee sets the fee PAN.Request charges (default ₹107.00).
func WithPANFee(a inexopay.Amount) Option { return func(c *config) { c.panFee = a } }

// WithMinWalletLoad sets the smallest amount Wallet.GenerateQR accepts
// (default ₹1.00).
func WithMinWalletLoad(a inexopay.Amount) Option { return func(c *config) { c.minWalletLoad = a } }

// WithWebhookURL sets the global webhook URL (default none), which receives
// the status changes of transactions that had no return_url.
func WithWebhookURL(u string) Option { return func(c *config) { c.webhookURL = u } }

// WithWebhookBackoff sets the wait before the first retry of a failed
// webhook delivery (default 1s); each further retry waits twice as long as
// the one before. Tests pass a tiny base, such as 100µs. A base below zero
// counts as zero.
func WithWebhookBackoff(base time.Duration) Option {
	return func(c *config) { c.backoff = max(base, 0) }
}

// WithOTPTTL sets how long an Aadhaar OTP stays valid (default 10m),
// measured with the server's clock (see WithClock).
func WithOTPTTL(d time.Duration) Option { return func(c *config) { c.otpTTL = d } }

// WithMaxOTPAttempts sets how many wrong OTPs kill an Aadhaar request
// (default 3). Values below 1 count as 1.
func WithMaxOTPAttempts(n int) Option { return func(c *config) { c.maxOTPAttempts = max(n, 1) } }

// WithAddr sets the address the server listens on (default "127.0.0.1:0",
// a free loopback port). The server listens where it is told: keep it on
// loopback unless you mean to expose the sandbox.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithClock sets the clock the server reads for timestamps and OTP expiry
// (default time.Now). It must be safe for concurrent use. Webhook backoff
// waits are real time regardless. A nil now keeps the default.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.clock = now
		}
	}
}

// WithRemoteWebhooks lets the server post webhooks to hosts that are not
// loopback. Without it such a delivery is recorded as failed with no attempt
// made, so that a test can never reach the network by accident.
func WithRemoteWebhooks() Option { return func(c *config) { c.remoteWebhooks = true } }

// WithOwner sets the owner name and plan name Account.Status reports
// (default "Sandbox Merchant" and "Sandbox Plan").
func WithOwner(ownerName, planName string) Option {
	return func(c *config) { c.ownerName, c.planName = ownerName, planName }
}

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
	cfg := config{
		username:       DefaultUsername,
		balance:        inexopay.Rupees(1000),
		panFee:         DefaultPANFee,
		minWalletLoad:  inexopay.Rupees(1),
		backoff:        DefaultWebhookBackoff,
		otpTTL:         DefaultOTPTTL,
		maxOTPAttempts: DefaultMaxOTPAttempts,
		addr:           DefaultAddr,
		clock:          time.Now,
		ownerName:      "Sandbox Merchant",
		planName:       "Sandbox Plan",
	}
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

// FaultKind is a way for the sandbox to fail a call; see InjectFault.
type FaultKind int

// The kinds of fault.
const (
	// FaultHTTP500 answers HTTP 500 with an HTML error page, without
	// processing the call.
	FaultHTTP500 FaultKind = iota + 1
	// FaultHTTP502 answers HTTP 502 with a text/html "502 Bad Gateway" page,
	// without processing the call, as a proxy in front of the API does.
	FaultHTTP502
	// FaultHTMLForm answers HTTP 200 with a text/html auto-submitting form
	// page instead of JSON, whose form posts over plain http to a host that
	// is not loopback (http://nsdl.sandbox.invalid/…): an answer the SDK
	// must refuse (ErrOutcomeUnknown), because it would send the applicant's
	// data unencrypted. The call is not processed: nothing is created or
	// charged. For the form answer the real host gives (processed and
	// charged), start the server with WithPANAnswer(PANAnswerForm).
	FaultHTMLForm
	// FaultDelay waits Fault.Delay and then processes and answers the call
	// normally. When the client gives up first the wait ends early and the
	// call is still processed (as a back end that does not notice the
	// client left), but the answer goes nowhere.
	FaultDelay
	// FaultDrop closes the connection without answering, before the call is
	// processed: nothing is created or charged.
	FaultDrop
	// FaultDropAfterProcessing processes the call fully (creates, charges)
	// and then closes the connection without answering: the answer is lost
	// but the effect is real.
	FaultDropAfterProcessing
)

// String returns the name of the kind, such as "FaultHTTP502".
func (k FaultKind) String() string {
	switch k {
	case FaultHTTP500:
		return "FaultHTTP500"
	case FaultHTTP502:
		return "FaultHTTP502"
	case FaultHTMLForm:
		return "FaultHTMLForm"
	case FaultDelay:
		return "FaultDelay"
	case FaultDrop:
		return "FaultDrop"
	case FaultDropAfterProcessing:
		return "FaultDropAfterProcessing"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault describes how to fail a call.
type Fault struct {
	// Kind is the way to fail.
	Kind FaultKind
	// Delay is how long FaultDelay waits.
	Delay time.Duration
}

type faultSlot struct {
	f Fault
	n int
}

// InjectFault makes the next n calls of endpoint e fail as f says. Faults
// injected for the same endpoint queue up in order. n <= 0 does nothing,
// and faults for an endpoint the SDK does not define never fire.
func (s *Server) InjectFault(e inexopay.Endpoint, f Fault, n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults[e] = append(s.st.faults[e], faultSlot{f: f, n: n})
}

// Requests returns how many requests arrived at endpoint e's path, faulted
// and refused ones included.
func (s *Server) Requests(e inexopay.Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.requests[e]
}

// arrive counts a request to e and takes the next fault queued for it.
func (s *Server) arrive(e inexopay.Endpoint) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests[e]++
	q := s.st.faults[e]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].f
	if q[0].n--; q[0].n == 0 {
		s.st.faults[e] = q[1:]
	}
	return f, true
}

// SetBalance sets the API balance.
func (s *Server) SetBalance(a inexopay.Amount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.balance = a
}

// Balance returns the API balance.
func (s *Server) Balance() inexopay.Amount {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.balance
}

// SetAccountStatus sets the account status. Under AccountActive ("ACTIVE",
// the default) calls are allowed; under any other status every call answers
// HTTP 403 "Account not approved or subscription expired".
func (s *Server) SetAccountStatus(status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.status = status
}

// SetBoundIP binds the API key to an IP address. When ip is not empty and
// differs from the caller's address every call answers HTTP 403 "IP not
// whitelisted"; "" (the default) removes the binding.
func (s *Server) SetBoundIP(ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.boundIP = ip
}

// SetWebhookURL sets the global webhook URL; "" removes it. It applies to
// status changes from then on.
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.webhookURL = u
}

// checkAuth reports the credentials failure of a request, if any: the
// HTTP status and message.
func (s *Server) checkAuth(r *http.Request) (int, string) {
	key, user := r.PostForm.Get("api_key"), r.PostForm.Get("username")
	if key == "" {
		key = r.Header.Get("X-Api-Key")
	}
	if user == "" {
		user = r.Header.Get("X-Api-Username")
	}
	if key == "" || user == "" {
		return http.StatusUnauthorized, msgMissingCredentials
	}
	okKey := subtle.ConstantTimeCompare([]byte(key), []byte(s.APIKey)) == 1
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte(s.Username)) == 1
	if !okKey || !okUser {
		return http.StatusUnauthorized, msgInvalidCredentials
	}
	return 0, ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+), and only fills b
	return hex.EncodeToString(b)
}

// isLoopbackURL reports whether u is an http(s) URL whose host is
// loopback.
func isLoopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return false
	}
	h := p.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
