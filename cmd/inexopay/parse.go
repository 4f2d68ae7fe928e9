package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// runFunc runs a command with a client (nil for commands that need none)
// and its positional arguments.
type runFunc func(ctx context.Context, client *inexopay.Client, args []string) error

// command is one subcommand of inexopay.
type command struct {
	name string
	// args is the synopsis of its positional arguments: "", "ORDER", "PAN"
	// or "AMOUNT"; nargs is how many it takes.
	args  string
	nargs int
	// text says what the command does, for "inexopay COMMAND -h".
	text string
	// setup registers the command's own flags on fs and returns the
	// function that runs it, which reads them.
	setup func(c *cli, fs *flag.FlagSet) runFunc
	// noClient is true for commands that do not call the API.
	noClient bool
	// flagSynopsis, when set, follows the command in its synopsis.
	flagSynopsis string
}

// commands lists every command but help, in the order of the usage text.
func commands() []command {
	plain := func(fn func(*cli) runFunc) func(*cli, *flag.FlagSet) runFunc {
		return func(c *cli, _ *flag.FlagSet) runFunc { return fn(c) }
	}
	return []command{
		{name: "balance", text: "Print the API wallet balance.\n",
			setup: plain(func(c *cli) runFunc { return c.balance })},
		{name: "status", text: "Print the API account status: owner, balance, plan and IP binding.\n",
			setup: plain(func(c *cli) runFunc { return c.status })},
		{name: "wallet-status", args: "ORDER", nargs: 1, text: "Print the state of wallet load ORDER.\n" +
			"An ORDER that starts with \"-\" goes after \"--\".\n",
			setup: plain(func(c *cli) runFunc { return c.walletStatus })},
		{name: "pan-status", args: "ORDER", nargs: 1, text: "Print the state of PAN application ORDER.\n" +
			"An ORDER that starts with \"-\" goes after \"--\".\n" +
			"Text output masks the mobile number; -json output prints it in full.\n",
			setup: plain(func(c *cli) runFunc { return c.panStatus })},
		{name: "account-status", args: "PAN", nargs: 1, text: "Print the NSDL bank account opening for the customer PAN.\n" +
			"Text output masks the PAN and the phone number; -json output prints the phone number\n" +
			"in full and the PAN masked (it repeats the PAN asked).\n",
			setup: plain(func(c *cli) runFunc { return c.accountStatus })},
		{name: "doctor", text: doctorHelp, setup: plain(func(c *cli) runFunc { return c.doctor })},
		{name: "wallet-qr", args: "AMOUNT", nargs: 1, text: walletQRHelp, setup: (*cli).setupWalletQR},
		{name: "pan-request", text: panRequestHelp, setup: (*cli).setupPANRequest},
		{name: "pan-resume", args: "ORDER", nargs: 1, text: panResumeHelp, setup: (*cli).setupPANResume},
		{name: "aadhaar-send-otp", text: sendOTPHelp, setup: (*cli).setupSendOTP},
		{name: "aadhaar-verify-otp", text: verifyOTPHelp, setup: (*cli).setupVerifyOTP},
		{name: "agent-onboard", text: onboardHelp, setup: (*cli).setupOnboard},
		{name: "account-open", text: accountOpenHelp, setup: (*cli).setupAccountOpen},
		{name: "webhook-listen", text: webhookListenHelp, setup: (*cli).setupWebhookListen, noClient: true,
			flagSynopsis: "[-listen address]"},
	}
}

func commandByName(name string) (command, bool) {
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

// synopsis is the command with its arguments: an ORDER may follow "--",
// since order ids may start with "-".
func (cmd command) synopsis() string {
	switch {
	case cmd.flagSynopsis != "":
		return cmd.name + " " + cmd.flagSynopsis
	case cmd.args == "":
		return cmd.name
	case cmd.args == "ORDER":
		return cmd.name + " [--] " + cmd.args
	}
	return cmd.name + " " + cmd.args
}

// printCommandUsage prints the usage of a command with its own flags.
func (c *cli) printCommandUsage(cmd command) {
	fmt.Fprintf(c.stderr, "usage: inexopay [flags] %s\n\n%s", cmd.synopsis(), cmd.text)
	own := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	cmd.setup(&cli{}, own)
	var b strings.Builder
	own.SetOutput(&b)
	own.PrintDefaults()
	if b.Len() > 0 {
		fmt.Fprintf(c.stderr, "\nFlags of %s:\n%s", cmd.name, b.String())
	}
	fmt.Fprint(c.stderr, "\nFlags may go before or after the command. Run 'inexopay -h' for the\nglobal flags, the environment and the exit codes.\n")
}

// runCommand parses the command's arguments (its own flags and the global
// ones, in any order, then its positional arguments), builds a client and
// runs it with a context bounded by -timeout.
func (c *cli) runCommand(ctx context.Context, cmd command, args []string) error {
	fs := flag.NewFlagSet("inexopay "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.globalFlags(fs)
	fn := cmd.setup(c, fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printCommandUsage(cmd)
			return err
		}
		return &usageError{cmd.name + ": " + flagError(err) + "\nRun 'inexopay " + cmd.name + " -h' for usage."}
	}
	if len(pos) != cmd.nargs {
		return &usageError{"usage: inexopay [flags] " + cmd.synopsis()}
	}
	for _, a := range pos {
		if a == "" {
			return &usageError{"usage: inexopay [flags] " + cmd.synopsis() + " (the argument is empty)"}
		}
	}
	if cmd.noClient {
		return fn(ctx, nil, pos)
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
	return fn(ctx, client, pos)
}

// parseInterleaved parses flags anywhere in args and returns the other
// arguments in order. Everything after "--" is an argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	flagName      = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// flagError rewords a flag parsing error. An unknown "flag" that does not
// look like a flag name is not echoed: it may be a customer's PAN or an
// order id that starts with "-".
func flagError(err error) string {
	m := undefinedFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	if flagName.MatchString(m[1]) {
		return "unknown flag -" + m[1]
	}
	return `an argument starts with "-" but is not a flag: put "--" before an ORDER that starts with "-" (a PAN never does)`
}

// endpointNames lists the endpoints for -path, sorted.
func endpointNames() []string {
	var names []string
	for _, e := range endpoints.All {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	return names
}
