// Command inexopay calls the INEXOPAY API from the command line: it prints
// the API balance and account status, the state of wallet loads, PAN
// applications and NSDL bank account openings; makes the charging calls an
// operator needs (wallet QR, PAN request and resume, Aadhaar OTP send and
// verify, agent onboarding, account opening), each after a confirmation
// unless -yes and printing the order id first; checks a host with doctor;
// and serves a webhook endpoint that prints the events it receives and
// logs every refusal.
//
// Usage:
//
//	inexopay [flags] <command> [args] [flags]
//
// The credentials come only from the environment (INEXOPAY_API_KEY and
// INEXOPAY_USERNAME), never from flags, and are never printed. Run
// "inexopay -h" for the commands, flags and exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// With SIGPIPE notified, a write to a closed pipe on stdout (inexopay …
	// | head) fails with EPIPE instead of killing the process, so that a
	// charged call's id is still reported on stderr.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
