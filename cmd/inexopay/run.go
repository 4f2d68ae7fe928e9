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
	help [COMMAND]       print this text, or the usage of COMMAND

Flags go before the command. "inexopay COMMAND -h" prints the usage of
COMMAND. An argument that starts with "-" is refused as a misplaced flag;
put "--" before an ORDER that really starts with "-".

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
Human output masks PANs and mobile numbers; -json output does not: it
prints full PANs and mobile numbers.

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
	baseURL      string
	json         bool
	timeout      time.Duration
	headerAuth   bool
	retries      int
	insecureHTTP bool
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
	fs.StringVar(&c.opts.baseURL, "base-url", defaultBase, "API base `URL`; plain http only for loopback hosts (see -insecure-http)")
	fs.BoolVar(&c.opts.json, "json", false, "print JSON instead of text (unmasked: full PANs and mobile numbers)")
	fs.DurationVar(&c.opts.timeout, "timeout", defaultTimeout, "give up on an API command after this `duration` (0: no limit)")
	fs.BoolVar(&c.opts.headerAuth, "header-auth", false, "send the credentials in the x-api-key and x-api-username headers instead of the body")
	fs.IntVar(&c.opts.retries, "retries", defaultRetries, "retry a failed read-only call up to `n` times (0-20)")
	fs.BoolVar(&c.opts.insecureHTTP, "insecure-http", false,
		"allow a plain http -base-url for a host that is not loopback, such as http://panel.inexopay.in;\nthe API key then crosses the network unencrypted")
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
		return c.help(fs, cmdArgs)
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
	msg := c.clean(err.Error())
	if !errors.As(err, new(*usageError)) {
		// The message may quote the API or the network: one inert line.
		msg = oneLine(msg)
	}
	c.errorf("%s", msg)
	return exitCode(err)
}

// commandHelp describes each API command for "inexopay COMMAND -h": its
// synopsis after the command name and what it does.
var commandHelp = map[string]struct{ arg, text string }{
	"balance": {"", "Print the API wallet balance.\n"},
	"status":  {"", "Print the API account status: owner, balance, plan and IP binding.\n"},
	"wallet-status": {"ORDER", "Print the state of wallet load ORDER.\n" +
		"An ORDER that starts with \"-\" goes after \"--\".\n"},
	"pan-status": {"ORDER", "Print the state of PAN application ORDER.\n" +
		"An ORDER that starts with \"-\" goes after \"--\".\n" +
		"Text output masks the mobile number; -json output prints it in full.\n"},
	"account-status": {"PAN", "Print the NSDL bank account opening for the customer PAN.\n" +
		"Text output masks the PAN and the phone number; -json output prints them in full.\n"},
}

// printCommandUsage prints the usage of an API command.
func printCommandUsage(w io.Writer, cmd string) {
	h := commandHelp[cmd]
	fmt.Fprintf(w, "usage: inexopay [flags] %s\n\n%s", synopsisOf(cmd, h.arg), h.text)
	fmt.Fprint(w, "\nFlags go before the command. Run 'inexopay -h' for the flags, the\nenvironment and the exit codes.\n")
}

// synopsisOf is the synopsis of a command taking arg ("" for none): an
// ORDER may follow "--", since order ids may start with "-".
func synopsisOf(cmd, arg string) string {
	switch arg {
	case "":
		return cmd
	case "ORDER":
		return cmd + " [--] " + arg
	}
	return cmd + " " + arg
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
	case args[0] == "webhook-listen":
		_ = c.webhookListen(context.Background(), []string{"-h"}) // prints its usage, returns flag.ErrHelp
		return exitOK
	}
	if _, known := commandHelp[args[0]]; !known {
		c.errorf("help: unknown command %q\nRun 'inexopay -h' for usage.", args[0])
		return exitUsage
	}
	printCommandUsage(c.stderr, args[0])
	return exitOK
}

// isHelpFlag reports whether a command argument asks for help.
func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" || a == "--h" }

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
	cmd, argName, _ := strings.Cut(synopsis, " ")
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelpFlag(a) {
			printCommandUsage(c.stderr, cmd)
			return flag.ErrHelp
		}
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	} else {
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				continue
			}
			if nargs == 0 {
				return &usageError{fmt.Sprintf("%s takes no arguments, and flags go before the command\nusage: inexopay [flags] %s", cmd, synopsis)}
			}
			// The argument is not echoed: it may be a customer's PAN.
			hint := "a PAN never starts with \"-\""
			if argName == "ORDER" {
				hint = "an ORDER that starts with \"-\" goes after \"--\""
			}
			return &usageError{fmt.Sprintf("%s: an argument starts with \"-\": flags go before the command, and %s\nusage: inexopay [flags] %s",
				cmd, hint, synopsisOf(cmd, argName))}
		}
	}
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
	opts := []inexopay.Option{
		inexopay.WithBaseURL(c.opts.baseURL),
		inexopay.WithRetry(c.opts.retries, 250*time.Millisecond, 5*time.Second),
		inexopay.WithUserAgent("inexopay-cli/" + inexopay.Version),
	}
	if c.opts.insecureHTTP {
		opts = append(opts, inexopay.WithInsecureHTTP())
	}
	client, err := inexopay.NewClient(auth, opts...)
	if err != nil {
		var ve *inexopay.ValidationError
		if errors.As(err, &ve) && ve.Field == "baseURL" {
			// The SDK names its option; the command's is a flag.
			return nil, &usageError{"-base-url: " + strings.ReplaceAll(ve.Reason, "WithInsecureHTTP", "-insecure-http")}
		}
		return nil, err
	}
	if c.opts.insecureHTTP {
		if u, perr := url.Parse(c.opts.baseURL); perr == nil && u.Scheme == "http" && !loopbackHost(u.Hostname()) {
			c.errorf("warning: -insecure-http: the API key goes to %s over plain http, unencrypted", oneLine(u.Host))
		}
	}
	return client, nil
}

// loopbackHost reports whether host is localhost or a loopback IP, to
// which plain http never leaves the machine.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
