package inexopay

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"runtime/debug"
	"time"
)

const (
	// defaultWebhookLease is how long WebhookHandler holds the claim of
	// an event while its callback runs, unless WithWebhookLease says
	// otherwise.
	defaultWebhookLease = 5 * time.Minute

	// webhookStoreTimeout bounds every DedupStore call; store calls do not
	// end with the request, since a sender that gave up must not leave a
	// claim behind.
	webhookStoreTimeout = 10 * time.Second
	// webhookRetryAfter is the Retry-After (seconds) of a 503 answered
	// while another delivery of the event is in progress or the store
	// failed.
	webhookRetryAfter = "5"
)

type webhookConfig struct {
	token string
	// tokenSet is true once WithWebhookToken was given, even with "".
	tokenSet bool
	// allowSet is true once WithWebhookAllowedIPs was given, even empty.
	allowSet bool
	allowed  []netip.Prefix
	dedup    DedupStore
	lease    time.Duration
	logger   *slog.Logger
	observer WebhookObserver
}

// WebhookOption configures [WebhookHandler].
type WebhookOption func(*webhookConfig)

// WithWebhookToken makes the handler refuse (401) a webhook whose URL lacks
// ?token= with this value ([WebhookURL]); the unsigned payload needs it. An
// empty token makes WebhookHandler panic.
func WithWebhookToken(token string) WebhookOption {
	return func(c *webhookConfig) { c.token, c.tokenSet = token, true }
}

// WithWebhookAllowedIPs makes the handler refuse (403) a webhook whose
// RemoteAddr (set it from a trusted header behind a proxy) is outside
// prefixes. No prefixes makes WebhookHandler panic.
func WithWebhookAllowedIPs(prefixes ...netip.Prefix) WebhookOption {
	return func(c *webhookConfig) {
		c.allowSet = true
		c.allowed = append(c.allowed, prefixes...)
	}
}

// WithWebhookDedup makes the handler call your callback once per status
// change while store remembers it: a done event is answered 200 without
// the callback; one claimed by another delivery, or met by a store error,
// 503 with Retry-After; a failing callback releases its claim (500) for the
// retry; a dead holder's claim ends with its lease. A nil store means
// NewMemoryDedupStore(0, 0), which sees only this process.
func WithWebhookDedup(store DedupStore) WebhookOption {
	return func(c *webhookConfig) {
		if store == nil {
			store = NewMemoryDedupStore(0, 0)
		}
		c.dedup = store
	}
}

// WithWebhookLease sets how long a delivery holds its claim (5 minutes when
// d <= 0); the callback's context ends with it, and a callback that
// outlives it may run twice. It needs [WithWebhookDedup].
func WithWebhookLease(d time.Duration) WebhookOption {
	return func(c *webhookConfig) { c.lease = d }
}

// WithWebhookLogger logs refused webhooks and accepted ones with
// [WebhookEvent].Warnings (level WARN), failing callbacks and store errors
// (ERROR) to l, never the token, the body or a panic's value. The text of
// a callback's or store's error is logged masked: the token, the values of
// the event's secret-named fields, runs that look like an Aadhaar number,
// a mobile or a PAN, and the value after a word such as otp, key, token or
// password.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(c *webhookConfig) { c.logger = l }
}

// WebhookObserver is told of every delivery [WebhookHandler] answers, for
// traces or metrics; give it to [WithWebhookObserver]. Its functions run on
// the request's goroutine: keep them quick and safe for concurrent use; a
// nil one is skipped. Neither is given the request, its token or its body.
type WebhookObserver struct {
	// Start is called as a delivery arrives. The context it returns (derive
	// it from ctx; nil keeps ctx) becomes the request's: the callback and
	// Done receive it (the callback without its cancellation when
	// [WithWebhookDedup] is given).
	Start func(ctx context.Context) context.Context
	// Done is called once the delivery is answered, or as a callback's
	// http.ErrAbortHandler panic goes on up.
	Done func(ctx context.Context, d WebhookDelivery)
}

// WebhookResult says how [WebhookHandler] dealt with a delivery: a small
// fixed set, fit to label a metric.
type WebhookResult string

// The results of a delivery.
const (
	// WebhookHandled: the callback ran and returned nil (200).
	WebhookHandled WebhookResult = "handled"
	// WebhookDuplicate: the dedup store had the event done already (200,
	// the callback did not run).
	WebhookDuplicate WebhookResult = "duplicate"
	// WebhookBusy: another delivery of the event holds its claim (503).
	WebhookBusy WebhookResult = "busy"
	// WebhookStoreFailed: the dedup store failed to claim the event (503).
	WebhookStoreFailed WebhookResult = "store_failed"
	// WebhookRefused: the request was refused before the callback (4xx);
	// Reason says why.
	WebhookRefused WebhookResult = "refused"
	// WebhookFailed: the callback failed or panicked (500).
	WebhookFailed WebhookResult = "failed"
	// WebhookAborted: the callback panicked with http.ErrAbortHandler,
	// which goes on up to net/http (no answer is written).
	WebhookAborted WebhookResult = "aborted"
)

// WebhookDelivery describes one delivery [WebhookHandler] answered, for
// [WebhookObserver]: the Result, the HTTP status it answered (0 when
// aborted), the event's CallbackType and Status (empty when refused), the
// refusal's Reason (the [WebhookError]'s, which never quotes the payload or
// the token), and the time from arrival to answer.
type WebhookDelivery struct {
	Result       WebhookResult
	HTTPStatus   int
	CallbackType CallbackType
	Status       Status
	Reason       string
	Duration     time.Duration
}

// WithWebhookObserver makes the handler tell o of every delivery (see
// [WebhookObserver]). Given more than once, the last one is told.
func WithWebhookObserver(o WebhookObserver) WebhookOption {
	return func(c *webhookConfig) { c.observer = o }
}

// WebhookURL returns base with token=token in its query: the global
// webhook URL for your INEXOPAY profile. Never use it as a return_url the
// browser visits. It fails with a [*ValidationError] for a base that is
// not absolute http(s) or an empty token.
func WebhookURL(base, token string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &ValidationError{Field: "base", Reason: "must be an absolute http or https URL"}
	}
	if token == "" {
		return "", &ValidationError{Field: "token", Reason: "is required"}
	}
	q := u.Query()
	q.Set("token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// WebhookHandler returns an http.Handler that parses INEXOPAY webhooks and
// calls fn with each (a nil fn acknowledges them): 200 when fn returns nil,
// 500 when it fails or panics, so that INEXOPAY retries; a refused webhook
// gets its [*WebhookError]'s status. It panics for an empty
// [WithWebhookToken] or [WithWebhookAllowedIPs]: mistakes for start-up.
func WebhookHandler(fn func(context.Context, *WebhookEvent) error, opts ...WebhookOption) http.Handler {
	if fn == nil {
		fn = func(context.Context, *WebhookEvent) error { return nil }
	}
	var cfg webhookConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.tokenSet && cfg.token == "" {
		panic("inexopay: WithWebhookToken was given an empty token; it would accept every webhook")
	}
	if cfg.allowSet && len(cfg.allowed) == 0 {
		panic("inexopay: WithWebhookAllowedIPs was given no prefixes; it would allow every address")
	}
	if cfg.lease <= 0 {
		cfg.lease = defaultWebhookLease
	}
	return &webhookHandler{fn: fn, cfg: cfg}
}

type webhookHandler struct {
	fn  func(context.Context, *WebhookEvent) error
	cfg webhookConfig
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o := h.cfg.observer
	if o.Start == nil && o.Done == nil {
		h.serve(w, r, &WebhookDelivery{})
		return
	}
	start := time.Now()
	if o.Start != nil {
		if ctx := o.Start(r.Context()); ctx != nil {
			r = r.WithContext(ctx)
		}
	}
	d := WebhookDelivery{Result: WebhookAborted}
	if o.Done != nil {
		defer func() {
			d.Duration = time.Since(start)
			o.Done(r.Context(), d)
		}()
	}
	h.serve(w, r, &d)
}

// serve answers one delivery, recording in d how.
func (h *webhookHandler) serve(w http.ResponseWriter, r *http.Request, d *WebhookDelivery) {
	ev, err := h.check(r)
	if err != nil {
		h.refuse(w, r, err, d)
		return
	}
	d.CallbackType, d.Status = ev.CallbackType, ev.Status
	if len(ev.Warnings) > 0 && h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "inexopay webhook accepted with warnings",
			slog.String("order_id", ev.OrderID), slog.String("status", string(ev.Status)), slog.Any("warnings", ev.Warnings))
	}
	if h.cfg.dedup == nil {
		if ferr := h.call(r.Context(), ev); ferr != nil {
			if errors.Is(ferr, errAbortHandler) {
				panic(http.ErrAbortHandler)
			}
			h.fail(w, r, ev, ferr, d)
			return
		}
		d.Result, d.HTTPStatus = WebhookHandled, http.StatusOK
		writePlain(w, http.StatusOK, "OK")
		return
	}
	h.serveOnce(w, r, ev, d)
}

// serveOnce runs the callback under a claim of the event: claim → callback
// → complete, or release when the callback failed.
func (h *webhookHandler) serveOnce(w http.ResponseWriter, r *http.Request, ev *WebhookEvent, d *WebhookDelivery) {
	key, holder := webhookKey(ev), newWebhookHolder()
	// The store must hear the outcome even when the sender has gone.
	base := context.WithoutCancel(r.Context())

	// The lease is counted from before the claim was asked for: the store
	// may have taken it at any moment until Claim returned.
	leaseEnd := time.Now().Add(h.cfg.lease)
	sctx, cancel := context.WithTimeout(base, webhookStoreTimeout)
	res, err := h.cfg.dedup.Claim(sctx, key, holder, h.cfg.lease)
	cancel()
	switch {
	case err != nil:
		h.storeFailed(r, ev, "claim", err)
		d.Result, d.HTTPStatus = WebhookStoreFailed, http.StatusServiceUnavailable
		writeBusy(w, "dedup store unavailable")
		return
	case res == ClaimDone:
		d.Result, d.HTTPStatus = WebhookDuplicate, http.StatusOK
		writePlain(w, http.StatusOK, "OK (duplicate)")
		return
	case res == ClaimBusy:
		d.Result, d.HTTPStatus = WebhookBusy, http.StatusServiceUnavailable
		writeBusy(w, "in progress")
		return
	case res != ClaimAcquired:
		h.storeFailed(r, ev, "claim", fmt.Errorf("inexopay: DedupStore.Claim returned %v", res))
		d.Result, d.HTTPStatus = WebhookStoreFailed, http.StatusServiceUnavailable
		writeBusy(w, "dedup store unavailable")
		return
	}

	// The callback may finish after the sender gave up; it is told to stop
	// when the lease ends, after which a retry may take the claim over.
	cctx, cancelCB := context.WithDeadline(base, leaseEnd)
	ferr := h.call(cctx, ev)
	cancelCB()

	if ferr != nil {
		if rerr := storeRetry(base, func(ctx context.Context) error { return h.cfg.dedup.Release(ctx, key, holder) }); rerr != nil {
			// The claim stays until its lease ends; then a retry runs
			// the callback again.
			h.storeFailed(r, ev, "release", rerr)
		}
		if errors.Is(ferr, errAbortHandler) {
			panic(http.ErrAbortHandler)
		}
		h.fail(w, r, ev, ferr, d)
		return
	}
	if cerr := storeRetry(base, func(ctx context.Context) error { return h.cfg.dedup.Complete(ctx, key, holder) }); cerr != nil {
		// The callback ran: answer 200. A non-2xx would make the sender
		// retry, and once the claim expires the retry would run the
		// callback a second time. The claim is kept (not released), so
		// that copies arriving within the lease are still answered 503.
		h.storeFailed(r, ev, "complete", cerr)
	}
	d.Result, d.HTTPStatus = WebhookHandled, http.StatusOK
	writePlain(w, http.StatusOK, "OK")
}

// storeWaits are the pauses between the attempts of a Complete or Release
// that failed: a store that hiccups briefly still hears the outcome.
var storeWaits = [...]time.Duration{50 * time.Millisecond, 250 * time.Millisecond}

// storeRetry calls op up to three times within webhookStoreTimeout and
// returns its last error.
func storeRetry(base context.Context, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(base, webhookStoreTimeout)
	defer cancel()
	err := op(ctx)
	for _, wait := range storeWaits {
		if err == nil {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		err = op(ctx)
	}
	return err
}

// errAbortHandler marks a callback that panicked with http.ErrAbortHandler,
// which is re-raised once the claim is released.
var errAbortHandler = errors.New("inexopay: webhook callback aborted the handler")

// call runs the callback and turns a panic into an error that holds no
// part of the panic's value (it may hold anything, secrets included).
func (h *webhookHandler) call(ctx context.Context, ev *WebhookEvent) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler { //nolint:errorlint // the sentinel is compared as net/http does
			err = errAbortHandler
			return
		}
		err = &webhookPanic{value: p, stack: debug.Stack()}
	}()
	return h.fn(ctx, ev)
}

// webhookPanic is a recovered panic of a callback. Its text names the
// panic's type (and a runtime error's message) but never the value, which
// may hold secrets.
type webhookPanic struct {
	value any
	stack []byte
}

func (p *webhookPanic) Error() string {
	if re, ok := p.value.(runtime.Error); ok {
		return "callback panicked: " + re.Error()
	}
	return fmt.Sprintf("callback panicked with a %T", p.value)
}

// webhookKey returns the dedup key of ev: "v1:" and the hex SHA-256 of the
// order id (as the event carries it), the status and the datetime (as received when unread), each
// length-prefixed; printable,
// 67 bytes, storable in any database.
func webhookKey(ev *WebhookEvent) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	when := ev.DateTime.UTC().Format(time.RFC3339)
	if ev.DateTime.IsZero() && ev.RawDateTime != "" {
		// Unread: the text as received keys it, so that two changes
		// with unread datetimes stay two.
		when = "raw:" + ev.RawDateTime
	}
	// The order id is keyed as received (the first spelling of a body that
	// gives it twice), not folded: keys stored by earlier versions stay
	// valid across an upgrade, and INEXOPAY retries one body unchanged.
	for _, part := range [...]string{ev.OrderID, string(ev.Status), when} {
		_, _ = h.Write(n[:binary.PutUvarint(n[:], uint64(len(part)))])
		_, _ = io.WriteString(h, part)
	}
	var sum [sha256.Size]byte
	var out [3 + 2*sha256.Size]byte
	copy(out[:], "v1:")
	hex.Encode(out[3:], h.Sum(sum[:0]))
	return string(out[:])
}

// newWebhookHolder returns a random token naming one delivery attempt.
func newWebhookHolder() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

func (h *webhookHandler) check(r *http.Request) (*WebhookEvent, error) {
	if r.Method != http.MethodPost {
		return nil, &WebhookError{HTTPStatus: http.StatusMethodNotAllowed, Reason: "method must be POST"}
	}
	if h.cfg.allowSet && !h.allowedPeer(r.RemoteAddr) {
		return nil, &WebhookError{HTTPStatus: http.StatusForbidden, Reason: "source address not allowed"}
	}
	if h.cfg.tokenSet {
		got := r.URL.Query().Get("token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(h.cfg.token)) != 1 {
			return nil, &WebhookError{HTTPStatus: http.StatusUnauthorized, Reason: "missing or wrong token"}
		}
	}
	return ParseWebhook(r)
}

func (h *webhookHandler) allowedPeer(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range h.cfg.allowed {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

func (h *webhookHandler) refuse(w http.ResponseWriter, r *http.Request, err error, d *WebhookDelivery) {
	status := http.StatusBadRequest
	var we *WebhookError
	if errors.As(err, &we) {
		status = we.HTTPStatus
		d.Reason = we.Reason
	}
	d.Result, d.HTTPStatus = WebhookRefused, status
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "inexopay webhook refused",
			slog.Int("http_status", status), slog.String("error", h.webhookLogText(nil, err.Error())))
	}
	writePlain(w, status, http.StatusText(status))
}

func (h *webhookHandler) fail(w http.ResponseWriter, r *http.Request, ev *WebhookEvent, err error, d *WebhookDelivery) {
	d.Result, d.HTTPStatus = WebhookFailed, http.StatusInternalServerError
	if h.cfg.logger != nil {
		attrs := []slog.Attr{slog.String("order_id", ev.OrderID), slog.String("status", string(ev.Status)), slog.String("error", h.webhookLogText(ev, err.Error()))}
		var p *webhookPanic
		if errors.As(err, &p) {
			attrs = append(attrs, slog.String("stack", string(p.stack)))
		}
		h.cfg.logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, "inexopay webhook callback failed", attrs...)
	}
	writePlain(w, http.StatusInternalServerError, "callback failed")
}

func (h *webhookHandler) storeFailed(r *http.Request, ev *WebhookEvent, op string, err error) {
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, "inexopay webhook dedup store failed",
			slog.String("op", op), slog.String("order_id", ev.OrderID), slog.String("status", string(ev.Status)), slog.String("error", h.webhookLogText(ev, err.Error())))
	}
}

// writeBusy answers 503 with Retry-After, so that the sender tries again
// later; a 4xx would tell many senders to give up.
func writeBusy(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", webhookRetryAfter)
	writePlain(w, http.StatusServiceUnavailable, msg)
}

func writePlain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}
