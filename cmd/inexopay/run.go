package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go"
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
	defaultListen    = "127.0.0.1:8081"
	defaultTimeout   = 30 * time.Second
	defaultRetries   = 3
	envAPIKey        = "INEXOPAY_API_KEY" //nolint:gosec // the name of an environment variable, not a credential
	envUsername      = "INEXOPAY_USERNAME"
	envBaseURL       = "INEXOPAY_BASE_URL"
	envWebhookToken  = "INEXOPAY_WEBHOOK_TOKEN" //nolint:gosec // the name of an environment variable, not a credential
	redactedSentinel = "[REDACTED]"
)

const usageText = `usage: inexopay [flags] <command> [args]

Inexopay calls the INEXOPAY API and prints what it answers.

Commands:
	balance              print the API wallet balance
	status               print the API account status: owner, balance, plan, IP binding
	wallet-status ORDER  print the state of wallet load ORDER
	pan-status ORDER     print the state of PAN application ORDER
	account-status PAN   print the NSDL bank account opening for the customer PAN
	webhook-listen       serve INEXOPAY webhooks and print each event received;
	                     runs until interrupted (flags: inexopay webhook-listen -h)

Flags:
%s
Environment:
	INEXOPAY_API_KEY        API key (required by every command but webhook-listen)
	INEXOPAY_USERNAME       API username (required likewise)
	INEXOPAY_BASE_URL       default for -base-url
	INEXOPAY_WEBHOOK_TOKEN  when set, webhook-listen refuses webhooks whose URL
	                        lacks ?token= with this value

Credentials are read only from the environment and are never printed.
Human output masks PANs and mobile numbers; -json output does not.

Exit status:
	0  success
	1  any other failure
	2  usage error (bad flag, command or argument; missing environment)
	3  invalid parameters, refused before sending (such as a malformed PAN)
	4  authentication or authorization failed (wrong key, IP not bound)
	5  not found
	6  insufficient balance
	7  other API error
	8  network or server error, rate limited, timeout, or outcome unknown
`

// options are the global flags.
type options struct {
	baseURL    string
	json       bool
	timeout    time.Duration
	headerAuth bool
	retries    int
}

// cli holds what one run of the command writes to.
type cli struct {
	opts   options
	env    func(string) string
	stdout io.Writer
	stderr io.Writer
}

// usageError is a mistake in the command line; it exits with exitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// run executes the command line args (without the program name) and returns
// the exit code. It reads the environment only through env.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	c := &cli{env: env, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("inexopay", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors and usage itself
	fs.Usage = func() {}
	defaultBase := inexopay.DefaultBaseURL
	if v := env(envBaseURL); v != "" {
		defaultBase = v
	}
	fs.StringVar(&c.opts.baseURL, "base-url", defaultBase, "API base `URL`; plain http only for loopback hosts")
	fs.BoolVar(&c.opts.json, "json", false, "print JSON instead of text")
	fs.DurationVar(&c.opts.timeout, "timeout", defaultTimeout, "give up on an API command after this `duration` (0: no limit)")
	fs.BoolVar(&c.opts.headerAuth, "header-auth", false, "send the credentials in the x-api-key and x-api-username headers instead of the body")
	fs.IntVar(&c.opts.retries, "retries", defaultRetries, "retry a failed read-only call up to `n` times (0-20)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stderr, fs)
			return exitOK
		}
		c.errorf("%v\nRun 'inexopay -h' for usage.", err)
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		c.errorf("no command given\nRun 'inexopay -h' for usage.")
		return exitUsage
	}
	cmd, cmdArgs := rest[0], rest[1:]
	var err error
	switch cmd {
	case "help":
		printUsage(stderr, fs)
		return exitOK
	case "balance":
		err = c.apiCommand(ctx, cmd, cmdArgs, 0, c.balance)
	case "status":
		err = c.apiCommand(ctx, cmd, cmdArgs, 0, c.status)
	case "wallet-status":
		err = c.apiCommand(ctx, cmd+" ORDER", cmdArgs, 1, c.walletStatus)
	case "pan-status":
		err = c.apiCommand(ctx, cmd+" ORDER", cmdArgs, 1, c.panStatus)
	case "account-status":
		err = c.apiCommand(ctx, cmd+" PAN", cmdArgs, 1, c.accountStatus)
	case "webhook-listen":
		err = c.webhookListen(ctx, cmdArgs)
	default:
		err = &usageError{fmt.Sprintf("unknown command %q\nRun 'inexopay -h' for usage.", cmd)}
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	c.errorf("%s", c.clean(err.Error()))
	return exitCode(err)
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

// clean removes the API key from a message, should anything have echoed it.
// The SDK already redacts it; this is a second line of defence.
func (c *cli) clean(msg string) string {
	if key := c.env(envAPIKey); len(key) >= 4 {
		msg = strings.ReplaceAll(msg, key, redactedSentinel)
	}
	return msg
}

// apiCommand checks the arguments, builds a client from the environment and
// runs fn with a context bounded by -timeout.
func (c *cli) apiCommand(ctx context.Context, synopsis string, args []string, nargs int,
	fn func(context.Context, *inexopay.Client, []string) error) error {
	if len(args) != nargs {
		return &usageError{fmt.Sprintf("usage: inexopay [flags] %s", synopsis)}
	}
	for _, a := range args {
		if a == "" {
			return &usageError{fmt.Sprintf("usage: inexopay [flags] %s (the argument is empty)", synopsis)}
		}
	}
	client, err := c.newClient()
	if err != nil {
		return err
	}
	if c.opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.timeout)
		defer cancel()
	}
	return fn(ctx, client, args)
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
	client, err := inexopay.NewClient(auth,
		inexopay.WithBaseURL(c.opts.baseURL),
		inexopay.WithRetry(c.opts.retries, 250*time.Millisecond, 5*time.Second),
		inexopay.WithUserAgent("inexopay-cli/"+inexopay.Version))
	if err != nil {
		var ve *inexopay.ValidationError
		if errors.As(err, &ve) && ve.Field == "baseURL" {
			return nil, &usageError{"-base-url: " + ve.Reason}
		}
		return nil, err
	}
	return client, nil
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var ue *usageError
	var ae *inexopay.APIError
	var urlErr *url.Error
	var netErr net.Error
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, inexopay.ErrInvalidParams):
		return exitInvalid
	case errors.Is(err, inexopay.ErrUnauthorized), errors.Is(err, inexopay.ErrForbidden):
		return exitAuth
	case errors.Is(err, inexopay.ErrNotFound):
		return exitNotFound
	case errors.Is(err, inexopay.ErrInsufficientBalance):
		return exitBalance
	case errors.Is(err, inexopay.ErrOutcomeUnknown), errors.Is(err, inexopay.ErrServer),
		errors.Is(err, inexopay.ErrRateLimited):
		return exitNetwork
	case errors.As(err, &ae):
		return exitAPI
	case errors.Is(err, context.Canceled):
		return exitOther
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &urlErr), errors.As(err, &netErr):
		return exitNetwork
	}
	return exitOther
}
