package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
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
	// RawDateTime is the datetime received when the SDK could not read it.
	RawDateTime string   `json:"raw_datetime,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

// toEventJSON is the -json line of an event.
func toEventJSON(ev *inexopay.WebhookEvent) eventJSON {
	j := eventJSON{OrderID: ev.OrderID, Status: ev.Status, Remark: ev.Remark,
		DateTime: timeText(ev.DateTime), CallbackType: string(ev.CallbackType), Source: ev.Source, Warnings: ev.Warnings}
	if ev.DateTime.IsZero() {
		j.RawDateTime = ev.RawDateTime
	}
	return j
}

const webhookListenHelp = "Serve INEXOPAY webhooks (POST, any path) and print each event received,\n" +
	"as a line of text or, with -json, of JSON. Every refused webhook (wrong\n" +
	"token, missing order id, not a form …) and every event not acknowledged\n" +
	"is logged on stderr with its reason. Stops on SIGINT or SIGTERM. With\n" +
	"INEXOPAY_WEBHOOK_TOKEN set, webhooks whose URL lacks ?token= with its\n" +
	"value are refused.\n"

// setupWebhookListen registers -listen and returns webhook-listen.
func (c *cli) setupWebhookListen(fs *flag.FlagSet) runFunc {
	addr := fs.String("listen", defaultListen, "serve webhooks on this `address`")
	return func(ctx context.Context, _ *inexopay.Client, _ []string) error {
		return c.webhookListen(ctx, *addr)
	}
}

// webhookListen serves webhooks on addr until ctx ends, printing each
// event on stdout as a line of text or of JSON, and each refusal on stderr.
func (c *cli) webhookListen(ctx context.Context, addr string) error {
	var mu sync.Mutex
	print := func(_ context.Context, ev *inexopay.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if c.opts.json {
			b, err := json.Marshal(toEventJSON(ev))
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.stdout, "%s\n", jsonSafe(b))
			return err
		}
		_, err := fmt.Fprintln(c.stdout, eventLine(ev))
		return err
	}
	opts := []inexopay.WebhookOption{inexopay.WithWebhookLogger(slog.New(&refusalLog{c: c}))}
	if tok := c.env(envWebhookToken); tok != "" {
		opts = append(opts, inexopay.WithWebhookToken(tok))
	}

	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", addr)
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
	} else if ev.RawDateTime != "" {
		b.WriteString(strconv.Quote(ev.RawDateTime)) // not read: as received
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

// refusalLog is a slog.Handler that prints the webhook handler's log
// records (refused webhooks, events not acknowledged) as one line each on
// stderr: "inexopay: webhook refused (HTTP 401): missing or wrong token".
type refusalLog struct {
	c  *cli
	mu sync.Mutex
}

// Enabled implements slog.Handler: every record is printed.
func (h *refusalLog) Enabled(context.Context, slog.Level) bool { return true }

// Handle implements slog.Handler.
func (h *refusalLog) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		return true
	})
	reason := strings.TrimPrefix(attrs["error"], "inexopay: webhook refused: ")
	var line string
	switch r.Message {
	case "inexopay webhook refused":
		line = fmt.Sprintf("webhook refused (HTTP %s): %s", attrs["http_status"], reason)
	case "inexopay webhook callback failed":
		line = fmt.Sprintf("webhook for order %s (status %s) not acknowledged (HTTP 500): %s",
			attrs["order_id"], orDash(attrs["status"]), reason)
	default:
		line = r.Message + ": " + reason
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.c.errorf("%s", oneLine(h.c.clean(line)))
	return nil
}

// WithAttrs implements slog.Handler; the handler's own attributes are not
// printed.
func (h *refusalLog) WithAttrs([]slog.Attr) slog.Handler { return h }

// WithGroup implements slog.Handler.
func (h *refusalLog) WithGroup(string) slog.Handler { return h }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
