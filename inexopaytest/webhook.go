// Webhooks: the deliveries of status changes, their retries, and
// Deliveries and WaitDeliveries to inspect them.

package inexopaytest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/ist"
	"github.com/inexopay/inexopay-go/internal/netutil"
)

// MaxWebhookRetries is how many times a failed webhook delivery is retried
// (so a delivery makes at most 1+MaxWebhookRetries attempts).
const MaxWebhookRetries = 10

// ErrRemoteWebhook is the Err of a delivery to a host that is not loopback
// when the server was started without WithRemoteWebhooks; no attempt is
// made.
var ErrRemoteWebhook = errors.New("inexopaytest: webhook URL is not loopback (see WithRemoteWebhooks)")

// Delivery is one webhook: one status change posted to one URL, with all
// its attempts.
type Delivery struct {
	// URL is where the webhook is posted.
	URL string
	// CallbackType is inexopay.CallbackPerTransaction (the transaction's
	// return_url) or inexopay.CallbackGlobal.
	CallbackType inexopay.CallbackType
	// OrderID is the order id posted (as both orderid and order_id).
	OrderID string
	// Status is the status posted: inexopay.StatusSuccess,
	// inexopay.StatusFailed or inexopay.StatusRefund.
	Status inexopay.Status
	// Form is the payload posted, as a receiver reads it: each value
	// without the space the body puts before the next "&".
	Form url.Values
	// Attempts is how many posts were made so far (at most
	// 1+MaxWebhookRetries).
	Attempts int
	// Waits are the backoff waits before each retry, in order:
	// base, 2·base, 4·base, …
	Waits []time.Duration
	// StatusCode is the HTTP status of the last attempt, 0 when it got no
	// answer.
	StatusCode int
	// Err is the error of the last attempt: a transport error, a non-2xx
	// status, ErrRemoteWebhook, or the context error when Close stopped the
	// delivery; nil once delivered.
	Err error
	// Delivered is true once an attempt got a 2xx answer.
	Delivered bool
	// Done is true once the delivery ended: delivered, retries exhausted, or
	// stopped by Close.
	Done bool
}

func (d *Delivery) clone() Delivery {
	c := *d
	c.Form = url.Values{}
	for k, v := range d.Form {
		c.Form[k] = append([]string(nil), v...)
	}
	c.Waits = append([]time.Duration(nil), d.Waits...)
	return c
}

// Deliveries returns a copy of every webhook delivery so far, in the order
// the status changes happened, including those still in flight (Done
// false).
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.st.deliveries))
	for i, d := range s.st.deliveries {
		out[i] = d.clone()
	}
	return out
}

// WaitDeliveries blocks until at least n deliveries are Done and returns
// them all (in the order of Deliveries). It fails with ctx's error when ctx
// ends first, returning what it has.
func (s *Server) WaitDeliveries(ctx context.Context, n int) ([]Delivery, error) {
	for {
		s.mu.Lock()
		done := 0
		for _, d := range s.st.deliveries {
			if d.Done {
				done++
			}
		}
		ch := s.st.changed
		s.mu.Unlock()
		if done >= n {
			return s.Deliveries(), nil
		}
		select {
		case <-ctx.Done():
			return s.Deliveries(), ctx.Err()
		case <-ch:
		}
	}
}

// signalLocked wakes every WaitDeliveries; s.mu must be held.
func (s *Server) signalLocked() {
	close(s.st.changed)
	s.st.changed = make(chan struct{})
}

// notifyLocked posts a status change of orderID to returnURL, or to the
// global webhook URL when returnURL is empty; nothing happens when neither
// is set. s.mu must be held.
func (s *Server) notifyLocked(orderID, status, remark, returnURL string) {
	target, ctype := returnURL, inexopay.CallbackPerTransaction
	if target == "" {
		target, ctype = s.st.webhookURL, inexopay.CallbackGlobal
	}
	if target == "" {
		s.logNotSent(orderID, status, "", "no return_url and no global webhook URL (set one with POST /sandbox/control/webhook_url url=…)")
		return
	}
	dt := ist.Format(s.cfg.clock())
	fields := [][2]string{{"orderid", orderID}, {"order_id", orderID}, {"status", status},
		{"remark", remark}, {"datetime", dt}, {"callback_type", string(ctype)}}
	body := webhookBody(fields)
	form := url.Values{}
	for _, f := range fields {
		form.Add(f[0], f[1])
	}
	d := &Delivery{URL: target, CallbackType: ctype, OrderID: orderID, Status: inexopay.ParseStatus(status), Form: form}
	s.st.deliveries = append(s.st.deliveries, d)
	switch {
	case s.closed:
		d.Err, d.Done = context.Canceled, true
		s.logNotSent(orderID, status, target, "the sandbox is closing")
	case !s.cfg.remoteWebhooks && !netutil.IsLoopbackURL(target):
		d.Err, d.Done = ErrRemoteWebhook, true
		s.logNotSent(orderID, status, target, "not a loopback host; the sandbox posts webhooks elsewhere only with -allow-remote (WithRemoteWebhooks)")
	default:
		s.inflight.Add(1)
		go s.deliver(d, body)
		return
	}
	s.signalLocked()
}

// webhookBody spells fields as the API document's sample payload does:
// in the documented order (url.Values.Encode would sort the keys), a space
// before each "&", a space in a value as "+" and ":" left as is, so that
// receivers are tested against what INEXOPAY sends.
func webhookBody(fields [][2]string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteString(" &")
		}
		b.WriteString(url.QueryEscape(f[0]))
		b.WriteByte('=')
		b.WriteString(strings.ReplaceAll(url.QueryEscape(f[1]), "%3A", ":"))
	}
	return b.String()
}

// deliver posts d until it is delivered, the retries run out or the server
// closes.
func (s *Server) deliver(d *Delivery, body string) {
	defer s.inflight.Done()
	wait := s.cfg.backoff
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			s.mu.Lock()
			d.Waits = append(d.Waits, wait)
			s.mu.Unlock()
			t := time.NewTimer(wait)
			select {
			case <-s.ctx.Done():
				t.Stop()
				s.finish(d, s.ctx.Err())
				return
			case <-t.C:
			}
			wait *= 2
		}
		start := time.Now()
		code, err := s.post(d.URL, body)
		delivered := err == nil
		if s.ctx.Err() != nil && !delivered {
			err = s.ctx.Err()
		}
		last := delivered || attempt == MaxWebhookRetries || s.ctx.Err() != nil
		// Logged before the delivery is marked done, so that a reader woken
		// by WaitDeliveries finds the line.
		s.logAttempt(d, attempt+1, code, err, time.Since(start), last)
		s.mu.Lock()
		d.Attempts++
		d.StatusCode, d.Err = code, err
		if last {
			d.Delivered, d.Done = delivered, true
			s.signalLocked()
		}
		s.mu.Unlock()
		if last {
			return
		}
	}
}

func (s *Server) finish(d *Delivery, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d.Err, d.Done = err, true
	s.signalLocked()
}

// post makes one attempt: it returns the HTTP status (0 without an answer)
// and an error unless the status is 2xx.
func (s *Server) post(target, body string) (int, error) {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	req.Header.Set("User-Agent", "INEXOPAY-Webhook/sandbox")
	resp, err := s.hookHTTP.Do(req) //nolint:gosec // posting to the URL the test configured is the point; non-loopback targets are refused unless WithRemoteWebhooks
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("inexopaytest: webhook answered HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
