package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/inexopay/inexopay-go"
)

// shutdownGrace bounds how long webhook-listen waits for webhooks being
// handled when it stops.
const shutdownGrace = 5 * time.Second

type eventJSON struct {
	OrderID      string          `json:"order_id"`
	Status       inexopay.Status `json:"status"`
	Remark       string          `json:"remark,omitempty"`
	DateTime     string          `json:"datetime,omitempty"`
	CallbackType string          `json:"callback_type,omitempty"`
	Source       string          `json:"source,omitempty"`
}

// webhookListen serves webhooks on -listen until ctx ends, printing each
// event on stdout as a line of text or of JSON.
func (c *cli) webhookListen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("webhook-listen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	addr := fs.String("listen", defaultListen, "serve webhooks on this `address`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.stderr, "usage: inexopay [flags] webhook-listen [-listen address]\n\n"+
				"Serve INEXOPAY webhooks (POST, any path) and print each event received,\n"+
				"as a line of text or, with -json, of JSON. Stops on SIGINT or SIGTERM.\n"+
				"With INEXOPAY_WEBHOOK_TOKEN set, webhooks whose URL lacks ?token= with\n"+
				"its value are refused.\n\n")
			fs.SetOutput(c.stderr)
			fs.PrintDefaults()
			return err
		}
		return &usageError{"webhook-listen: " + err.Error() + "\nRun 'inexopay webhook-listen -h' for usage."}
	}
	if fs.NArg() > 0 {
		return &usageError{"usage: inexopay [flags] webhook-listen [-listen address]"}
	}

	var mu sync.Mutex
	print := func(_ context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if c.opts.json {
			b, err := json.Marshal(eventJSON{OrderID: ev.OrderID, Status: ev.Status, Remark: ev.Remark,
				DateTime: timeText(ev.DateTime), CallbackType: string(ev.CallbackType), Source: ev.Source})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.stdout, "%s\n", b)
			return err
		}
		_, err := fmt.Fprintln(c.stdout, eventLine(ev))
		return err
	}
	var opts []inexopay.WebhookOption
	if tok := c.env(envWebhookToken); tok != "" {
		opts = append(opts, inexopay.WithWebhookToken(tok))
	}

	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		// %v, not %w: a listen failure is a local problem (exit 1), not
		// a network failure of the API.
		return fmt.Errorf("webhook-listen: %v", err)
	}
	srv := &http.Server{
		Handler:           inexopay.WebhookHandler(print, opts...),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	c.errorf("listening for webhooks on http://%s/ (stop with Ctrl-C)", l.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	select {
	case err := <-served:
		return fmt.Errorf("webhook-listen: %v", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-served; err == nil && !errors.Is(serr, http.ErrServerClosed) {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("webhook-listen: stopping: %v", err)
	}
	c.errorf("stopped listening")
	return nil
}

// eventLine formats an event as one line of text:
//
//	2026-06-03T15:30:00+05:30 ORD12345 success global_webhook "Transaction Successful"
func eventLine(ev *inexopay.WebhookEvent) string {
	var b strings.Builder
	if t := timeText(ev.DateTime); t != "" {
		b.WriteString(t)
	} else {
		b.WriteString("-")
	}
	b.WriteByte(' ')
	b.WriteString(oneLine(ev.OrderID))
	b.WriteByte(' ')
	st := string(ev.Status)
	if st == "" {
		st = "-"
	}
	b.WriteString(oneLine(st))
	b.WriteByte(' ')
	cb := string(ev.CallbackType)
	if cb == "" {
		cb = "-"
	}
	b.WriteString(oneLine(cb))
	if ev.Remark != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(ev.Remark))
	}
	return b.String()
}
