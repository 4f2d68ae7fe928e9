// Command inexopay-sandbox runs the inexopaytest sandbox of the INEXOPAY API
// as a standalone server, so that apps in any language can test against
// it. It prints the base URL and the credentials as export lines for a
// shell, points to its index page (GET /: every endpoint, its form fields
// and a ready curl line), then serves until SIGINT or SIGTERM, logging one
// line per API request and per webhook attempt.
//
// Usage:
//
//	inexopay-sandbox [-addr 127.0.0.1:8080] [-api-key KEY] [-username NAME]
//	                 [-balance 1000] [-webhook-url URL] [-allow-remote] [-quiet]
//	                 [-pan-answer json|form]
//
// Point your app at the printed INEXOPAY_BASE_URL. Drive payments, account
// openings and PAN applications with the pages and controls under
// /sandbox/ (see the inexopaytest package), inject faults with
// POST /sandbox/control/fault and read request counts with
// GET /sandbox/control/requests; "inexopay-sandbox -h" lists them all. The
// controls need no credentials. The sandbox listens on loopback unless
// -allow-remote is given. With -pan-answer=form, PAN.Request and PAN.Resume
// answer with an HTML form (as the mail.inexopay.in host does) instead of
// JSON.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/netutil"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "inexopay-sandbox:", err)
		os.Exit(2)
	}
}

// run parses args, starts the sandbox, prints where it listens and its
// credentials to stdout, and serves until ctx ends. It fails on bad flags,
// a non-loopback -addr without -allow-remote, or an address it cannot
// listen on.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("inexopay-sandbox", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free one)")
	apiKey := fs.String("api-key", "", "API key to accept (default: random sandbox_key_…)")
	username := fs.String("username", inexopaytest.DefaultUsername, "username to accept")
	balance := fs.String("balance", "1000", "starting API balance in rupees, such as 1250.50")
	panFee := fs.String("pan-fee", inexopaytest.DefaultPANFee.String(), "fee PAN.Request charges, in rupees")
	webhookURL := fs.String("webhook-url", "", "global webhook URL")
	backoff := fs.Duration("webhook-backoff", inexopaytest.DefaultWebhookBackoff, "wait before the first webhook retry (doubles per retry)")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback -addr and webhooks to non-loopback hosts")
	panAnswer := fs.String("pan-answer", inexopaytest.PANAnswerJSON.String(), "how PAN.Request and PAN.Resume answer: json, or form (an HTML form leading to the NSDL page)")
	quiet := fs.Bool("quiet", false, "do not log API requests and webhook attempts")
	fs.Usage = func() {
		fmt.Fprint(stdout, usageHead)
		fs.PrintDefaults()
		fmt.Fprint(stdout, usageControls)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if !*allowRemote && !netutil.IsLoopbackAddr(*addr) {
		return fmt.Errorf("-addr %s is not a loopback address; pass -allow-remote to expose the sandbox", *addr)
	}
	bal, err := inexopay.ParseAmount(*balance)
	if err != nil {
		return fmt.Errorf("-balance: %w", err)
	}
	fee, err := inexopay.ParseAmount(*panFee)
	if err != nil {
		return fmt.Errorf("-pan-fee: %w", err)
	}
	answer, err := inexopaytest.ParsePANAnswer(*panAnswer)
	if err != nil {
		return fmt.Errorf("-pan-answer: %w", err)
	}
	opts := []inexopaytest.Option{
		inexopaytest.WithAddr(*addr),
		inexopaytest.WithAPIKey(*apiKey),
		inexopaytest.WithUsername(*username),
		inexopaytest.WithBalance(bal),
		inexopaytest.WithPANFee(fee),
		inexopaytest.WithWebhookURL(*webhookURL),
		inexopaytest.WithWebhookBackoff(*backoff),
		inexopaytest.WithPANAnswer(answer),
	}
	if *allowRemote {
		opts = append(opts, inexopaytest.WithRemoteWebhooks())
	}
	if !*quiet {
		opts = append(opts, inexopaytest.WithRequestLog(stdout))
	}
	srv, err := inexopaytest.Start(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	printBanner(stdout, srv)
	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// printBanner prints where the sandbox listens, its credentials as export
// lines that work pasted into a POSIX shell, and where to go next.
func printBanner(w io.Writer, srv *inexopaytest.Server) {
	fmt.Fprintf(w, "INEXOPAY sandbox listening on %s\n", srv.URL)
	fmt.Fprintf(w, "Every endpoint, its form fields and a ready curl line: open %s/ (or curl it).\n", srv.URL)
	fmt.Fprintf(w, "\nPaste into a shell to point your app or the inexopay CLI at it:\n\n")
	fmt.Fprintf(w, "export INEXOPAY_BASE_URL=%s\n", shellQuote(srv.URL))
	fmt.Fprintf(w, "export INEXOPAY_USERNAME=%s\n", shellQuote(srv.Username))
	fmt.Fprintf(w, "export INEXOPAY_API_KEY=%s\n", shellQuote(srv.APIKey))
	fmt.Fprintf(w, "\nWebhooks: curl -sS %s/sandbox/control/webhook_url --data-urlencode url=http://127.0.0.1:8081/webhook\n", srv.URL)
	fmt.Fprintf(w, "Deliveries: curl -sS %s/sandbox/control/deliveries\n", srv.URL)
	fmt.Fprintf(w, "Faults: curl -sS %s/sandbox/control/fault -d endpoint=PAN.Request -d kind=drop -d n=1\n", srv.URL)
	fmt.Fprintf(w, "Ctrl-C stops. API requests and webhook attempts are logged below (-quiet to stop that).\n\n")
}

// shellQuote quotes s in single quotes for a POSIX shell, so that any
// value (a key with spaces, quotes or $) pastes as it is.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

const usageHead = `usage: inexopay-sandbox [flags]

Runs the inexopaytest sandbox of the INEXOPAY API until SIGINT or SIGTERM,
and prints its base URL and credentials as export lines for a shell
(INEXOPAY_BASE_URL, INEXOPAY_USERNAME, INEXOPAY_API_KEY). GET / on the
sandbox lists every endpoint with its form fields and a ready curl line.
Every API request and webhook attempt is logged on stdout, one line each.

Flags:
`

const usageControls = `
Test controls (form fields, no credentials; JSON answers
{"status":true,"message":"OK",…}, or HTTP 400/404 with {"status":false,"message":…}):
  POST /sandbox/control/wallet/{complete,fail}   order_id
  POST /sandbox/control/account/{complete,fail}  order_id
  POST /sandbox/control/pan/{complete,fail}      order_id
  POST /sandbox/control/aadhaar/otp              request_id (answers "otp")
  POST /sandbox/control/balance                  amount (rupees)
  POST /sandbox/control/account_status           status
  POST /sandbox/control/bound_ip                 ip
  POST /sandbox/control/webhook_url              url (the global webhook URL; "" removes it)
  GET  /sandbox/control/deliveries               (webhook deliveries as JSON)
  POST /sandbox/control/fault                    endpoint, kind, n, delay
  GET  /sandbox/control/requests                 [endpoint]

Faults make the next n calls (default 1) of an endpoint fail:
  endpoint  an endpoint name such as PAN.Request, or its path such as
            /api/nsdl-pan/v1/request_pan.php
  kind      http500, http502 (HTML error page), html_form (HTML with HTTP 200),
            delay (answer late), drop (close the connection unprocessed),
            drop_after_processing (process, charge, then close)
  delay     a Go duration such as 250ms, for kind delay only
Example:
  curl -d endpoint=PAN.Request -d kind=drop -d n=2 http://127.0.0.1:8080/sandbox/control/fault
  curl 'http://127.0.0.1:8080/sandbox/control/requests?endpoint=PAN.Request'
`
