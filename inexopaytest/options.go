// Options of NewServer and Start: the Option type, every With… function
// and the defaults they change.

package inexopaytest

import (
	"io"
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
)

// config is what the options set; defaultConfig is its value before them.
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

// defaultConfig returns the configuration the options start from. The API
// key stays empty: Start makes a random one when no option sets it.
func defaultConfig() config {
	return config{
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

// WithPANAnswer sets how PAN.Request and PAN.Resume answer: PANAnswerJSON
// (the default) or PANAnswerForm, an HTML page with a form that leads to the
// sandbox's NSDL PAN page.
func WithPANAnswer(a PANAnswer) Option { return func(c *config) { c.panAnswer = a } }

// WithRequestLog makes the server write one line to w for every API
// request and every webhook attempt: the time, the endpoint (or the webhook
// URL), the order id, the HTTP status, the attempt number and the duration.
// Webhooks that are not sent (no URL configured, a host that is not
// loopback without WithRemoteWebhooks, the server closing) get a line that
// says so. Lines never contain the API key, an Aadhaar number, an OTP, a
// mobile number or a PAN; query values of webhook URLs (such as ?token=)
// are masked. Writes to w are serialised. A nil w (the default) logs
// nothing.
func WithRequestLog(w io.Writer) Option { return func(c *config) { c.log = w } }
