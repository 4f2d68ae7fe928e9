package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/inexopay/inexopay-go/internal/redact"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/netutil"
)

// Exit codes of the command, as the usage text documents them.
const (
	exitOK           = 0
	exitOther        = 1
	exitUsage        = 2
	exitInvalid      = 3
	exitAuth         = 4
	exitNotFound     = 5
	exitBalance      = 6
	exitAPI          = 7
	exitNetwork      = 8
	exitDoctor       = 9
	exitIncomplete   = 10
	defaultListen    = "127.0.0.1:8081"
	defaultTimeout   = 30 * time.Second
	defaultRetries   = 3
	envAPIKey        = "INEXOPAY_API_KEY" //nolint:gosec // the name of an environment variable, not a credential
	envUsername      = "INEXOPAY_USERNAME"
	envBaseURL       = "INEXOPAY_BASE_URL"
	envWebhookToken  = "INEXOPAY_WEBHOOK_TOKEN" //nolint:gosec // the name of an environment variable, not a credential
	redactedSentinel = "[REDACTED]"
)

const usageText = `usage: inexopay [flags] <command> [args] [flags]

Inexopay calls the INEXOPAY API and prints what it answers.

Read-only commands:
	balance              print the API wallet balance
	status               print the API account status: owner, balance, plan, IP binding
	wallet-status ORDER  print the state of wallet load ORDER
	pan-status ORDER     print the state of PAN application ORDER
	account-status PAN   print the NSDL bank account opening for the customer PAN
	doctor               check the base URL, TLS, credentials, IP binding and every
	                     endpoint's path; exits 9 when anything is wrong

Commands that charge or create (each asks for confirmation unless -yes, and
prints the order id first so that an unknown outcome can be looked up):
	wallet-qr AMOUNT     create a wallet load of AMOUNT rupees and print its UPI QR
	pan-request          file a PAN application (charges the PAN fee)
	pan-resume ORDER     get a fresh URL for an incomplete PAN application
	aadhaar-send-otp     send an Aadhaar OTP
	aadhaar-verify-otp   verify an Aadhaar OTP and print the holder's details
	agent-onboard        onboard an NSDL bank agent
	account-open         start an NSDL bank account opening

Other commands:
	webhook-listen       serve INEXOPAY webhooks and print each event received;
	                     logs every refused webhook with its reason
	help [COMMAND]       print this text, or the usage of COMMAND

"inexopay COMMAND -h" prints the usage and flags of COMMAND. Flags may go
before or after the command. An argument that starts with "-" is taken as a
flag; put "--" before an ORDER that really starts with "-".

Flags:
%s
Environment:
	INEXOPAY_API_KEY        API key (required by every command but webhook-listen)
	INEXOPAY_USERNAME       API username (required likewise)
	INEXOPAY_BASE_URL       default for -base-url
	INEXOPAY_WEBHOOK_TOKEN  when set, webhook-listen refuses webhooks whose URL
	                        lacks ?token= with this value

Credentials are read only from the environment and are never printed.
Plain http is refused for a -base-url host other than loopback unless
-insecure-http is given (the provider's http://panel.inexopay.in needs it);
the API key then crosses the network unencrypted, and a warning says so.
Human output masks PANs, mobile numbers and Aadhaar numbers; -json output
does not mask PANs, mobile numbers or an Aadhaar holder's details: it
prints them in full, but for what repeats a secret the command sent (the
PAN asked, the Aadhaar number, the OTP), masked. No output ever shows an Aadhaar number beyond its last
4 digits, an OTP or the API key.

Exit status:
	0  success
	1  any other failure (also: a charging command not confirmed)
	2  usage error (bad flag, command or argument; missing environment)
	3  invalid parameters, refused before sending (such as a malformed PAN)
	4  authentication or authorization failed (wrong key, IP not bound)
	5  not found
	6  insufficient balance
	7  other API error
	8  network or server error, rate limited, timeout, or outcome unknown
	9  doctor found a problem
	10 charged, but incomplete (a PAN application without a txid, a -form-out
	   page or the result not written): stderr names the order to check
`

// options are the global flags.
type options struct {
	baseURL      string
	json         bool
	timeout      time.Duration
	headerAuth   bool
	retries      int
	insecureHTTP bool
	yes          bool
	paths        pathFlag
}

// pathFlag collects -path ENDPOINT=/path overrides.
type pathFlag map[string]string

func (p *pathFlag) String() string { return "" }

func (p *pathFlag) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok || name == "" || !strings.HasPrefix(path, "/") {
		return errors.New("want ENDPOINT=/path, such as PAN.Status=/api/nsdl-pan/v1/pan_status.php")
	}
	if *p == nil {
		*p = pathFlag{}
	}
	(*p)[name] = path
	return nil
}

// cli holds what one run of the command reads and writes.
type cli struct {
	opts   options
	env    func(string) string
	stdin  *bufio.Reader
	stdout io.Writer
	stderr io.Writer
	// idName and id are the charging command's key ("order_id", "agent_id")
	// and its value, set before the call (after it, when INEXOPAY assigns
	// it), for the -json error line; charged is set once a charging call
	// went through, and out keeps the first error writing to stdout.
	idName, id string
	charged    bool
	out        *stdoutWriter
}

// usageError is a mistake in the command line; it exits with exitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// globalFlags registers the global flags on fs, with the values already
// set (by flags before the command) as defaults, so that they may be given
// before or after the command.
func (c *cli) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.opts.baseURL, "base-url", c.opts.baseURL, "API base `URL`; plain http only for loopback hosts (see -insecure-http)")
	fs.BoolVar(&c.opts.json, "json", c.opts.json, "print JSON instead of text (unmasked: full PANs, mobile numbers and Aadhaar holder details)")
	fs.Var(durationValue{&c.opts.timeout}, "timeout", "give up on an API command after this `duration` (0: no limit)")
	fs.BoolVar(&c.opts.headerAuth, "header-auth", c.opts.headerAuth, "send the credentials in the x-api-key and x-api-username headers instead of the body")
	fs.IntVar(&c.opts.retries, "retries", c.opts.retries, "retry a failed read-only call up to `n` times (0-20)")
	fs.BoolVar(&c.opts.insecureHTTP, "insecure-http", c.opts.insecureHTTP,
		"allow a plain http -base-url for a host that is not loopback, such as http://panel.inexopay.in;\nthe API key then crosses the network unencrypted")
	fs.BoolVar(&c.opts.yes, "yes", c.opts.yes, "do not ask before a command that charges or creates something")
	fs.Var(&c.opts.paths, "path", "use this path for an endpoint, as `ENDPOINT=/path` (such as PAN.Status=/api/v2/pan_status.php);\nrepeatable; 'inexopay doctor' says which paths answer")
}

// run executes the command line args (without the program name) and returns
// the exit code. It reads the environment only through env, and
// confirmations from stdin.
func run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{env: env, stdin: bufio.NewReader(stdin)}
	// Whatever is printed passes clean: a value from the network that no
	// command thought to clean cannot show the API key either.
	c.out = &stdoutWriter{w: stdout}
	c.stdout, c.stderr = cleanWriter{c.out, c}, cleanWriter{stderr, c}
	c.opts.baseURL = inexopay.DefaultBaseURL
	if v := env(envBaseURL); v != "" {
		c.opts.baseURL = v
	}
	c.opts.timeout, c.opts.retries = defaultTimeout, defaultRetries
	fs := flag.NewFlagSet("inexopay", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors and usage itself
	fs.Usage = func() {}
	c.globalFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stderr, fs)
			return exitOK
		}
		c.fail(err, fmt.Sprintf("%v\nRun 'inexopay -h' for usage.", err), exitUsage)
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		c.fail(nil, "no command given\nRun 'inexopay -h' for usage.", exitUsage)
		return exitUsage
	}
	name := rest[0]
	if name == "help" {
		return c.help(fs, rest[1:])
	}
	cmd, known := commandByName(name)
	var err error
	if known {
		err = forCommandLine(cmd, c.outputFailure(c.runCommand(ctx, cmd, rest[1:])))
	} else {
		err = &usageError{fmt.Sprintf("unknown command %q\nRun 'inexopay -h' for usage.", name)}
	}
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var hint *hintError
	var msg string
	switch {
	case errors.As(err, new(*usageError)):
		msg = c.clean(err.Error())
	case errors.As(err, &hint):
		// The error may quote the API or the network: one inert line; the
		// CLI's own hint follows as it is.
		msg = oneLine(c.clean(hint.err.Error())) + "\n" + c.clean(hint.hint)
	default:
		msg = oneLine(c.clean(err.Error()))
	}
	code := exitCode(err)
	c.fail(err, msg, code)
	return code
}

// fail prints an error: under -json as one JSON object on stderr (see
// printErrorJSON), else as "inexopay: " and msg.
func (c *cli) fail(err error, msg string, code int) {
	if c.opts.json {
		c.printErrorJSON(err, msg, code)
		return
	}
	c.errorf("%s", msg)
}

// help runs "inexopay help [COMMAND]".
func (c *cli) help(fs *flag.FlagSet, args []string) int {
	switch {
	case len(args) == 0:
		printUsage(c.stderr, fs)
		return exitOK
	case len(args) > 1:
		c.errorf("usage: inexopay help [COMMAND]")
		return exitUsage
	}
	cmd, known := commandByName(args[0])
	if !known {
		c.errorf("help: unknown command %q\nRun 'inexopay -h' for usage.", args[0])
		return exitUsage
	}
	c.printCommandUsage(cmd)
	return exitOK
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprintf(w, usageText, b.String())
}

// errorf prints "inexopay: " and the message on stderr, once prefixed.
func (c *cli) errorf(format string, args ...any) {
	msg := strings.TrimPrefix(fmt.Sprintf(format, args...), "inexopay: ")
	fmt.Fprintln(c.stderr, "inexopay: "+msg)
}

// clean removes the API key from a message, should anything have echoed it,
// in any spelling: escaped, in another case, spaced out. The SDK already
// redacts it; this is a second line of defence.
func (c *cli) clean(msg string) string {
	if key := c.env(envAPIKey); len(key) >= 4 {
		msg = strings.ReplaceAll(msg, key, redactedSentinel)
		// As it appears in a URL's query or path, should it need escaping.
		msg = strings.ReplaceAll(msg, url.QueryEscape(key), redactedSentinel)
		msg = strings.ReplaceAll(msg, url.PathEscape(key), redactedSentinel)
		// Any other spelling (percent-escaped in lower-case hex or whole,
		// HTML or JSON escapes, another case, + for a space, spaces or
		// dashes between its characters…): the SDK's own matcher, which
		// keeps only the key's last 4 characters.
		msg = redact.AnySpelling(msg, key)
	}
	return msg
}

// cleanWriter writes through c.clean. Each Write is cleaned whole: every
// print of the command writes a line, a tabwriter cell or a JSON document
// in one Write.
type cleanWriter struct {
	w io.Writer
	c *cli
}

func (cw cleanWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(cw.w, cw.c.clean(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// newClient builds a client from the environment and the flags.
func (c *cli) newClient() (*inexopay.Client, error) {
	key, user := c.env(envAPIKey), c.env(envUsername)
	var missing []string
	if key == "" {
		missing = append(missing, envAPIKey)
	}
	if user == "" {
		missing = append(missing, envUsername)
	}
	if len(missing) > 0 {
		return nil, &usageError{strings.Join(missing, " and ") +
			" must be set in the environment (credentials are never taken from flags)"}
	}
	if c.opts.retries < 0 || c.opts.retries > 20 {
		return nil, &usageError{"-retries must be between 0 and 20"}
	}
	if c.opts.timeout < 0 {
		return nil, &usageError{"-timeout must not be negative"}
	}
	auth := inexopay.BodyAuth(key, user)
	if c.opts.headerAuth {
		auth = inexopay.HeaderAuth(key, user)
	}
	opts := []inexopay.Option{
		inexopay.WithBaseURL(c.opts.baseURL),
		inexopay.WithRetry(c.opts.retries, 250*time.Millisecond, 5*time.Second),
		inexopay.WithUserAgent("inexopay-cli/" + inexopay.Version),
	}
	if c.opts.insecureHTTP {
		opts = append(opts, inexopay.WithInsecureHTTP())
	}
	for name, path := range c.opts.paths {
		opts = append(opts, inexopay.WithPath(inexopay.Endpoint(name), path))
	}
	client, err := inexopay.NewClient(auth, opts...)
	if err != nil {
		var ve *inexopay.ValidationError
		switch {
		case errors.As(err, &ve) && ve.Field == "baseURL":
			// The SDK names its option; the command's is a flag.
			return nil, &usageError{"-base-url: " + strings.ReplaceAll(ve.Reason, "WithInsecureHTTP", "-insecure-http")}
		case errors.As(err, &ve) && (ve.Field == "endpoint" || ve.Field == "path"):
			return nil, &usageError{"-path: " + ve.Reason + " (endpoints: " + strings.Join(endpointNames(), ", ") + ")"}
		}
		return nil, err
	}
	if c.opts.insecureHTTP {
		if u, perr := url.Parse(c.opts.baseURL); perr == nil && u.Scheme == "http" && !netutil.IsLoopbackHost(u.Hostname()) {
			c.errorf("warning: -insecure-http: the API key goes to %s over plain http, unencrypted", oneLine(u.Host))
		}
	}
	return client, nil
}
