// Command inexopay-sandbox runs the inexopaytest sandbox of the INEXOPAY API
// as a standalone server, so that apps in any language can test against
// it. It prints the base URL and the credentials, then serves until SIGINT
// or SIGTERM.
//
// Usage:
//
//	inexopay-sandbox [-addr 127.0.0.1:8080] [-api-key KEY] [-username NAME]
//	                 [-balance 1000] [-webhook-url URL] [-allow-remote]
//
// Point your app at the printed INEXOPAY_BASE_URL. Drive payments, account
// openings and PAN applications with the pages and controls under
// /sandbox/ (see the inexopaytest package). The sandbox listens on loopback
// unless -allow-remote is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if !*allowRemote && !loopbackAddr(*addr) {
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
	opts := []inexopaytest.Option{
		inexopaytest.WithAddr(*addr),
		inexopaytest.WithAPIKey(*apiKey),
		inexopaytest.WithUsername(*username),
		inexopaytest.WithBalance(bal),
		inexopaytest.WithPANFee(fee),
		inexopaytest.WithWebhookURL(*webhookURL),
		inexopaytest.WithWebhookBackoff(*backoff),
	}
	if *allowRemote {
		opts = append(opts, inexopaytest.WithRemoteWebhooks())
	}
	srv, err := inexopaytest.Start(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "INEXOPAY sandbox listening on %s\n", srv.URL)
	fmt.Fprintf(stdout, "username: %s\n", srv.Username)
	fmt.Fprintf(stdout, "api key:  %s\n", srv.APIKey)
	fmt.Fprintf(stdout, "\nINEXOPAY_BASE_URL=%s\nINEXOPAY_USERNAME=%s\nINEXOPAY_API_KEY=%s\n", srv.URL, srv.Username, srv.APIKey)
	fmt.Fprintf(stdout, "\nTest controls: POST %s/sandbox/control/… (see the inexopaytest package docs). Ctrl-C stops.\n", srv.URL)
	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// loopbackAddr reports whether a listen address is on loopback: its host
// is localhost or a loopback IP. An empty host (all interfaces) is not.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
