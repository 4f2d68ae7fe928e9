package inexopay

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// MaxWebhookBytes is the largest webhook body ParseWebhook reads; a larger
// one is refused with HTTP 413.
const MaxWebhookBytes = 64 << 10

// WebhookSource is the X-Callback-Source header INEXOPAY sends with every
// webhook.
const WebhookSource = "INEXOPAY-API"

// The callback types INEXOPAY sends.
const (
	CallbackGlobal         = "global_webhook"
	CallbackPerTransaction = "per_transaction"
)

// ErrInvalidWebhook is matched by every *WebhookError.
var ErrInvalidWebhook = errors.New("inexopay: invalid webhook")

// WebhookError says why a webhook was refused, with the HTTP status the
// handler answers (400, 401, 403, 405, 413 or 415).
type WebhookError struct {
	// HTTPStatus is the status WebhookHandler answers the refused webhook
	// with: 400, 401, 403, 405, 413 or 415.
	HTTPStatus int
	// Reason says what is wrong, such as "method must be POST"; it never
	// quotes the body or the token.
	Reason string
}

// Error implements error.
func (e *WebhookError) Error() string { return "inexopay: webhook refused: " + e.Reason }

// Is reports whether target is ErrInvalidWebhook.
func (e *WebhookError) Is(target error) bool { return target == ErrInvalidWebhook }

// WebhookEvent is a status change INEXOPAY posted to your webhook URL. The
// payload is not signed: treat it as a hint and read the authoritative state
// with the status call for OrderID (PAN.Status, Wallet.PaymentStatus,
// NSDLBank.AccountDetails) before you act on it.
type WebhookEvent struct {
	// OrderID is the payload's orderid, or its order_id when orderid is
	// absent or empty, with surrounding spaces trimmed; it is never empty.
	OrderID string
	// Status is the payload's status normalised to lower case:
	// StatusSuccess, StatusFailed, StatusRefund or StatusPending (an unknown
	// word is kept, lower-cased); empty when the payload has none.
	Status Status
	// Remark is the payload's remark, a human-readable message such as
	// "Transaction Successful"; it may be empty.
	Remark string
	// DateTime is the time of the change (the payload's datetime, sent as
	// "2006-01-02 15:04:05" in IST); zero when the payload has none.
	DateTime time.Time
	// CallbackType is the payload's callback_type, CallbackGlobal or
	// CallbackPerTransaction as sent; it may be empty.
	CallbackType string
	// Source is the X-Callback-Source header, WebhookSource for INEXOPAY.
	Source string
}

var webhookBufPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 512)) }}

// ParseWebhook reads and checks the webhook in r. It fails with a
// *WebhookError when the method is not POST (405), the content type is not a
// form (415), the body is larger than MaxWebhookBytes (413), or the order id
// is missing, orderid and order_id disagree, or datetime is not a timestamp
// (400). It reads the body but does not close it.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	if r.Method != http.MethodPost {
		return nil, &WebhookError{HTTPStatus: http.StatusMethodNotAllowed, Reason: "method must be POST"}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, &WebhookError{HTTPStatus: http.StatusUnsupportedMediaType, Reason: "content type must be application/x-www-form-urlencoded"}
		}
	}
	if r.Body == nil {
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "empty body"}
	}
	buf := webhookBufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer webhookBufPool.Put(buf)
	n, err := buf.ReadFrom(io.LimitReader(r.Body, MaxWebhookBytes+1))
	if err != nil {
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "reading body: " + err.Error()}
	}
	if n > MaxWebhookBytes {
		return nil, &WebhookError{HTTPStatus: http.StatusRequestEntityTooLarge, Reason: "body larger than 64 KiB"}
	}
	ev, werr := parseWebhookBody(buf.Bytes())
	if werr != nil {
		return nil, werr
	}
	ev.Source = r.Header.Get("X-Callback-Source")
	return ev, nil
}

// parseWebhookBody decodes the form fields of a webhook without building a
// url.Values map.
func parseWebhookBody(body []byte) (*WebhookEvent, *WebhookError) {
	ev := &WebhookEvent{}
	var orderid, orderID, status, datetime string
	var seen uint8 // one bit per field below
	for len(body) > 0 {
		var pair []byte
		if i := bytes.IndexByte(body, '&'); i >= 0 {
			pair, body = body[:i], body[i+1:]
		} else {
			pair, body = body, nil
		}
		key, val := pair, []byte(nil)
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			key, val = pair[:i], pair[i+1:]
		}
		var dst *string
		var bit uint8
		switch string(bytes.TrimSpace(key)) {
		case "orderid":
			dst, bit = &orderid, 1
		case "order_id":
			dst, bit = &orderID, 2
		case "status":
			dst, bit = &status, 4
		case "remark":
			dst, bit = &ev.Remark, 8
		case "datetime":
			dst, bit = &datetime, 16
		case "callback_type":
			dst, bit = &ev.CallbackType, 32
		default:
			continue
		}
		var v string
		if err := unescape(val, &v); err != nil {
			return nil, err
		}
		if seen&bit != 0 && v != *dst {
			// Readers disagree on which of two values counts: refuse.
			return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "a field is repeated with different values"}
		}
		seen |= bit
		*dst = v
	}
	ev.Status = ParseStatus(status)
	haveOrderid, haveOrderID := seen&1 != 0, seen&2 != 0
	orderid, orderID = strings.TrimSpace(orderid), strings.TrimSpace(orderID)
	switch {
	case orderid == "" && orderID == "":
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "orderid or order_id is required"}
	case haveOrderid && haveOrderID && orderid != orderID:
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "orderid and order_id disagree"}
	case orderid != "":
		ev.OrderID = orderid
	default:
		ev.OrderID = orderID
	}
	if datetime != "" {
		t, err := wire.ParseTime(datetime)
		if err != nil {
			return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "datetime is not a timestamp"}
		}
		ev.DateTime = t
	}
	return ev, nil
}

func unescape(val []byte, dst *string) *WebhookError {
	if bytes.IndexByte(val, '%') < 0 && bytes.IndexByte(val, '+') < 0 {
		*dst = string(val)
		return nil
	}
	s, err := url.QueryUnescape(string(val))
	if err != nil {
		return &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "malformed form encoding"}
	}
	*dst = s
	return nil
}

// DedupStore remembers which webhooks were handled, so that INEXOPAY's
// retries of one status change reach your callback once. Implementations
// must be safe for concurrent use; back one with your database to share it
// between instances.
type DedupStore interface {
	// Seen records key and reports whether it was already recorded.
	Seen(ctx context.Context, key string) (bool, error)
	// Forget removes key, so that a retry of a webhook whose callback failed
	// is handled again.
	Forget(ctx context.Context, key string) error
}

// MemoryDedupStore is an in-process DedupStore that forgets keys after a
// time to live and holds at most a fixed number of them.
type MemoryDedupStore struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	entries map[string]time.Time
	now     func() time.Time
}

// NewMemoryDedupStore returns a MemoryDedupStore that remembers a key for
// ttl (24 hours when ttl <= 0) and holds at most 100,000 keys, dropping the
// oldest beyond that.
func NewMemoryDedupStore(ttl time.Duration) *MemoryDedupStore {
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	return &MemoryDedupStore{ttl: ttl, max: 100_000, entries: map[string]time.Time{}, now: time.Now}
}

// Seen implements DedupStore. It never fails; a key older than the time to
// live counts as not seen and is recorded again.
func (s *MemoryDedupStore) Seen(_ context.Context, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if t, ok := s.entries[key]; ok && now.Sub(t) < s.ttl {
		return true, nil
	}
	if len(s.entries) >= s.max {
		s.evict(now)
	}
	s.entries[key] = now
	return false, nil
}

// evict drops expired keys, or the oldest tenth when none has expired.
func (s *MemoryDedupStore) evict(now time.Time) {
	for k, t := range s.entries {
		if now.Sub(t) >= s.ttl {
			delete(s.entries, k)
		}
	}
	if len(s.entries) < s.max {
		return
	}
	cut := now
	for _, t := range s.entries {
		if t.Before(cut) {
			cut = t
		}
	}
	cut = cut.Add(now.Sub(cut) / 10)
	for k, t := range s.entries {
		if !t.After(cut) {
			delete(s.entries, k)
		}
	}
}

// Forget implements DedupStore. It never fails, also for a key it does not
// hold.
func (s *MemoryDedupStore) Forget(_ context.Context, key string) error {
	s.mu.Lock()
	delete(s.entries, key)
	s.mu.Unlock()
	return nil
}

// Len returns the number of keys held.
func (s *MemoryDedupStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

type webhookConfig struct {
	token string
	// tokenSet is true once WithWebhookToken was given, even with "".
	tokenSet bool
	// allowSet is true once WithWebhookAllowedIPs was given, even empty.
	allowSet bool
	allowed  []netip.Prefix
	dedup    DedupStore
	logger   *slog.Logger
}

// WebhookOption configures WebhookHandler.
type WebhookOption func(*webhookConfig)

// WithWebhookToken makes the handler refuse (401) any webhook whose URL does
// not carry ?token= with this value. Build the URLs you give INEXOPAY with
// WebhookURL. The payload is unsigned; a secret in the URL is what proves a
// call came from someone who was given the URL. An empty token (say, an
// unset environment variable) makes WebhookHandler panic rather than
// silently accept every webhook.
func WithWebhookToken(token string) WebhookOption {
	return func(c *webhookConfig) { c.token, c.tokenSet = token, true }
}

// WithWebhookAllowedIPs makes the handler refuse (403) webhooks whose
// connection comes from outside the given prefixes. It reads the TCP peer
// address (http.Request.RemoteAddr); behind a proxy, set RemoteAddr from a
// header you trust before the handler runs. Given no prefixes (say, an
// empty list from configuration) it makes WebhookHandler panic rather than
// silently allow every address; an invalid (zero) netip.Prefix matches no
// address, and a RemoteAddr that is not an IP address is refused.
func WithWebhookAllowedIPs(prefixes ...netip.Prefix) WebhookOption {
	return func(c *webhookConfig) {
		c.allowSet = true
		c.allowed = append(c.allowed, prefixes...)
	}
}

// WithWebhookDedup makes the handler call your callback once per status
// change (order id, status and datetime) while store remembers it; retries
// of a change already handled are answered 200 without calling it. A nil
// store means a NewMemoryDedupStore(24 * time.Hour). When store.Seen fails,
// the handler answers 500 without calling your callback, so that INEXOPAY
// retries.
func WithWebhookDedup(store DedupStore) WebhookOption {
	return func(c *webhookConfig) {
		if store == nil {
			store = NewMemoryDedupStore(0)
		}
		c.dedup = store
	}
}

// WithWebhookLogger makes the handler log refused webhooks and failed
// callbacks to l (never the token or the body). A nil l logs nothing.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(c *webhookConfig) { c.logger = l }
}

// WebhookURL returns base with the query parameter token=token added, for
// the return_url or global webhook URL you give INEXOPAY when the handler
// uses WithWebhookToken. It fails with a *ValidationError when base is not
// an absolute http(s) URL or token is empty. A token= already in base is
// replaced.
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
// calls fn with each. It answers 200 when fn returns nil and 500 when fn
// returns an error, so that INEXOPAY retries; refused webhooks get the
// status of their *WebhookError (see ParseWebhook and the options). A nil
// fn acknowledges every valid webhook. It panics when WithWebhookToken was
// given an empty token or WithWebhookAllowedIPs no prefixes: mistakes in the
// program best found at start-up.
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
	return &webhookHandler{fn: fn, cfg: cfg}
}

type webhookHandler struct {
	fn  func(context.Context, *WebhookEvent) error
	cfg webhookConfig
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev, err := h.check(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	ctx := r.Context()
	var key string
	if h.cfg.dedup != nil {
		key = ev.OrderID + "\x00" + string(ev.Status) + "\x00" + ev.DateTime.UTC().Format(time.RFC3339)
		seen, derr := h.cfg.dedup.Seen(ctx, key)
		if derr != nil {
			h.fail(w, r, ev, derr)
			return
		}
		if seen {
			writePlain(w, http.StatusOK, "OK (duplicate)")
			return
		}
	}
	if ferr := h.fn(ctx, ev); ferr != nil {
		if h.cfg.dedup != nil {
			_ = h.cfg.dedup.Forget(context.WithoutCancel(ctx), key)
		}
		h.fail(w, r, ev, ferr)
		return
	}
	writePlain(w, http.StatusOK, "OK")
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

func (h *webhookHandler) refuse(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadRequest
	var we *WebhookError
	if errors.As(err, &we) {
		status = we.HTTPStatus
	}
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "inexopay webhook refused",
			slog.Int("http_status", status), slog.String("error", err.Error()))
	}
	writePlain(w, status, http.StatusText(status))
}

func (h *webhookHandler) fail(w http.ResponseWriter, r *http.Request, ev *WebhookEvent, err error) {
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelError, "inexopay webhook callback failed",
			slog.String("order_id", ev.OrderID), slog.String("status", string(ev.Status)), slog.String("error", err.Error()))
	}
	writePlain(w, http.StatusInternalServerError, "callback failed")
}

func writePlain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}
