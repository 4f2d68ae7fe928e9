package inexopay

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/inexopay/inexopay-go/internal/hookserve"
	"github.com/inexopay/inexopay-go/internal/redact"
)

const (
	// defaultWebhookLease is how long WebhookHandler holds the claim of an event while its callback
	// runs, unless WithWebhookLease says otherwise.
	defaultWebhookLease = 5 * time.Minute
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

// WithWebhookToken refuses (401) a webhook without ?token= of this value.
func WithWebhookToken(token string) WebhookOption {
	return func(c *webhookConfig) { c.token, c.tokenSet = token, true }
}

// WithWebhookAllowedIPs refuses (403) a webhook from outside prefixes.
func WithWebhookAllowedIPs(prefixes ...netip.Prefix) WebhookOption {
	return func(c *webhookConfig) {
		c.allowSet = true
		c.allowed = append(c.allowed, prefixes...)
	}
}

// WithWebhookDedup runs your callback once per status change.
func WithWebhookDedup(store DedupStore) WebhookOption {
	return func(c *webhookConfig) {
		if store == nil {
			store = NewMemoryDedupStore(0, 0)
		}
		c.dedup = store
	}
}

// WithWebhookLease sets how long a delivery holds its claim (5 minutes).
func WithWebhookLease(d time.Duration) WebhookOption {
	return func(c *webhookConfig) { c.lease = d }
}

// WithWebhookLogger logs refusals and failures to l, masked.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(c *webhookConfig) { c.logger = l }
}

// WebhookObserver is told of every delivery; see [WithWebhookObserver].
type WebhookObserver struct {
	Start func(ctx context.Context) context.Context    // as a delivery arrives; see docs/outcomes.md
	Done  func(ctx context.Context, d WebhookDelivery) // once the delivery is answered
}

// WebhookResult says how [WebhookHandler] dealt with a delivery.
type WebhookResult string

// The results of a delivery.
const (
	WebhookHandled     WebhookResult = "handled"      // the callback returned nil (200)
	WebhookDuplicate   WebhookResult = "duplicate"    // done already; the callback did not run (200)
	WebhookBusy        WebhookResult = "busy"         // another delivery holds the claim (503)
	WebhookStoreFailed WebhookResult = "store_failed" // the dedup store failed (503)
	WebhookRefused     WebhookResult = "refused"      // refused before the callback (4xx)
	WebhookFailed      WebhookResult = "failed"       // the callback failed or panicked (500)
	WebhookAborted     WebhookResult = "aborted"      // the callback panicked with http.ErrAbortHandler
)

// WebhookDelivery describes one answered delivery, for [WebhookObserver].
type WebhookDelivery struct {
	Result       WebhookResult
	HTTPStatus   int
	CallbackType CallbackType
	Status       Status
	Reason       string
	Duration     time.Duration
}

// WithWebhookObserver tells o of every delivery; given twice, the last.
func WithWebhookObserver(o WebhookObserver) WebhookOption {
	return func(c *webhookConfig) { c.observer = o }
}

// WebhookURL adds token to base; a bad base or token is a [*ValidationError].
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

// WebhookHandler serves webhooks; bad options panic. See docs/outcomes.md.
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
		if ferr := h.callback(r.Context(), ev); ferr != nil {
			if errors.Is(ferr, hookserve.ErrAbortHandler) {
				panic(http.ErrAbortHandler)
			}
			h.fail(w, r, ev, ferr, d)
			return
		}
		d.Result, d.HTTPStatus = WebhookHandled, http.StatusOK
		hookserve.WritePlain(w, http.StatusOK, "OK")
		return
	}
	h.serveOnce(w, r, ev, d)
}

// serveOnce runs the callback under a claim of the event: claim → callback → complete, or release
// when the callback failed.
func (h *webhookHandler) serveOnce(w http.ResponseWriter, r *http.Request, ev *WebhookEvent, d *WebhookDelivery) {
	key, holder := webhookKey(ev), hookserve.NewHolder()
	// The store must hear the outcome even when the sender has gone.
	base := context.WithoutCancel(r.Context())

	// The lease is counted from before the claim was asked for: the store may have taken it at any
	// moment until Claim returned.
	leaseEnd := time.Now().Add(h.cfg.lease)
	sctx, cancel := context.WithTimeout(base, hookserve.StoreTimeout)
	res, err := h.cfg.dedup.Claim(sctx, key, holder, h.cfg.lease)
	cancel()
	switch {
	case err != nil:
		h.storeFailed(r, ev, "claim", err)
		d.Result, d.HTTPStatus = WebhookStoreFailed, http.StatusServiceUnavailable
		hookserve.WriteBusy(w, "dedup store unavailable")
		return
	case res == ClaimDone:
		d.Result, d.HTTPStatus = WebhookDuplicate, http.StatusOK
		hookserve.WritePlain(w, http.StatusOK, "OK (duplicate)")
		return
	case res == ClaimBusy:
		d.Result, d.HTTPStatus = WebhookBusy, http.StatusServiceUnavailable
		hookserve.WriteBusy(w, "in progress")
		return
	case res != ClaimAcquired:
		h.storeFailed(r, ev, "claim", fmt.Errorf("inexopay: DedupStore.Claim returned %v", res))
		d.Result, d.HTTPStatus = WebhookStoreFailed, http.StatusServiceUnavailable
		hookserve.WriteBusy(w, "dedup store unavailable")
		return
	}

	// The callback may finish after the sender gave up; it is told to stop when the lease ends,
	// after which a retry may take the claim over.
	cctx, cancelCB := context.WithDeadline(base, leaseEnd)
	ferr := h.callback(cctx, ev)
	cancelCB()

	if ferr != nil {
		if rerr := hookserve.StoreRetry(base, func(ctx context.Context) error { return h.cfg.dedup.Release(ctx, key, holder) }); rerr != nil {
			// The claim stays until its lease ends; then a retry runs the callback again.
			h.storeFailed(r, ev, "release", rerr)
		}
		if errors.Is(ferr, hookserve.ErrAbortHandler) {
			panic(http.ErrAbortHandler)
		}
		h.fail(w, r, ev, ferr, d)
		return
	}
	if cerr := hookserve.StoreRetry(base, func(ctx context.Context) error { return h.cfg.dedup.Complete(ctx, key, holder) }); cerr != nil {
		// The callback ran: answer 200. A non-2xx would make the sender retry, and once the claim
		// expires the retry would run the callback a second time. The claim is kept (not released),
		// so that copies arriving within the lease are still answered 503.
		h.storeFailed(r, ev, "complete", cerr)
	}
	d.Result, d.HTTPStatus = WebhookHandled, http.StatusOK
	hookserve.WritePlain(w, http.StatusOK, "OK")
}

func (h *webhookHandler) check(r *http.Request) (*WebhookEvent, error) {
	if r.Method != http.MethodPost {
		return nil, &WebhookError{HTTPStatus: http.StatusMethodNotAllowed, Reason: "method must be POST"}
	}
	if h.cfg.allowSet && !hookserve.AllowedPeer(r.RemoteAddr, h.cfg.allowed) {
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
	hookserve.WritePlain(w, status, http.StatusText(status))
}

func (h *webhookHandler) fail(w http.ResponseWriter, r *http.Request, ev *WebhookEvent, err error, d *WebhookDelivery) {
	d.Result, d.HTTPStatus = WebhookFailed, http.StatusInternalServerError
	if h.cfg.logger != nil {
		attrs := []slog.Attr{slog.String("order_id", ev.OrderID), slog.String("status", string(ev.Status)), slog.String("error", h.webhookLogText(ev, err.Error()))}
		var p *hookserve.Panic
		if errors.As(err, &p) {
			attrs = append(attrs, slog.String("stack", string(p.Stack)))
		}
		h.cfg.logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, "inexopay webhook callback failed", attrs...)
	}
	hookserve.WritePlain(w, http.StatusInternalServerError, "callback failed")
}

func (h *webhookHandler) storeFailed(r *http.Request, ev *WebhookEvent, op string, err error) {
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, "inexopay webhook dedup store failed",
			slog.String("op", op), slog.String("order_id", ev.OrderID), slog.String("status", string(ev.Status)), slog.String("error", h.webhookLogText(ev, err.Error())))
	}
}

// callback runs the callback; a panic becomes a *hookserve.Panic, which holds no part of the
// panic's value.
func (h *webhookHandler) callback(ctx context.Context, ev *WebhookEvent) error {
	return hookserve.Call(func() error { return h.fn(ctx, ev) })
}

// webhookKey returns the dedup key of ev (hookserve.Key): its order id (as the event carries it),
// status and datetime (as received when unread). The order id is keyed as received (the first
// spelling of a body that gives it twice), not folded: keys stored by earlier versions stay valid
// across an upgrade, and INEXOPAY retries one body unchanged.
func webhookKey(ev *WebhookEvent) string {
	// RFC3339Nano: changes less than a second apart are two changes, and a whole second keys as it
	// did with RFC3339 (no fraction is written), so stored keys stay valid.
	when := ev.DateTime.UTC().Format(time.RFC3339Nano)
	if ev.DateTime.IsZero() && ev.RawDateTime != "" {
		// Unread: the text as received keys it, so that two changes with unread datetimes stay two.
		when = "raw:" + ev.RawDateTime
	}
	return hookserve.Key(ev.OrderID, string(ev.Status), when)
}

// webhookLogText masks text for a log line of the handler: the handler's token and every value of
// ev's secret-named fields (in any spelling the SDK's redaction knows), what looks like an Aadhaar
// number, mobile or PAN, and the value after a secret-named word (redact.LogText).
func (h *webhookHandler) webhookLogText(ev *WebhookEvent, s string) string {
	var values, whole []string
	if ev != nil {
		for k, v := range ev.Fields.All() {
			switch webhookSecretKind(k) {
			case "":
			case "otp":
				whole = append(whole, v)
			default:
				values = append(values, v)
			}
		}
	}
	return redact.LogText(s, h.cfg.token, values, whole)
}
