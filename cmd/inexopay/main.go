// Command inexopay calls the INEXOPAY API from the command line: it prints
// the API balance and account status, the state of wallet loads, PAN
// applications and NSDL bank account openings, and serves a webhook
// endpoint that prints the events it receives.
//
// Usage:
//
//	inexopay [flags] <command> [args]
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
