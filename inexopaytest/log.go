package inexopaytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// logTimeLayout is the timestamp of a log line, with milliseconds and zone.
const logTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// logger writes the request and webhook log.
type logger struct {
	mu       sync.Mutex
	w        io.Writer
	attempts map[string]int // endpoint + order id → requests so far
}

func newLogger(w io.Writer) *logger {
	if w == nil {
		return nil
	}
	return &logger{w: w, attempts: map[string]int{}}
}

func (l *logger) line(now time.Time, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, now.Format(logTimeLayout)+" "+text+"\n")
}

// attempt counts a request of e for orderID and returns its number.
func (l *logger) attempt(e inexopay.Endpoint, orderID string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := string(e) + "\x00" + orderID
	l.attempts[k]++
	return l.attempts[k]
}

// recorder keeps the status and the start of the body a handler writes.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if room := 16<<10 - r.body.Len(); room > 0 {
		r.body.Write(p[:min(len(p), room)])
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (to drop it).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logged wraps an API route with one log line per request.
func (s *Server) logged(e inexopay.Endpoint, h http.Handler) http.Handler {
	if s.log == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Registered with inflight, so that Close waits for the line too.
		if s.enter() {
			defer s.inflight.Done()
		}
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			// A dropped connection aborts the handler with a panic; the line
			// is still written, then the panic goes on.
			s.logRequest(e, r, rec, time.Since(start))
		}()
		h.ServeHTTP(rec, r)
	})
}

func (s *Server) logRequest(e inexopay.Endpoint, r *http.Request, rec *recorder, d time.Duration) {
	var ans struct {
		Message json.RawMessage `json:"message"`
		Status  any             `json:"status"`
		Code    any             `json:"status_code"`
		ErrCode any             `json:"error_code"`
		Data    json.RawMessage `json:"data"`
	}
	isJSON := json.Unmarshal(rec.body.Bytes(), &ans) == nil
	orderID := requestOrderID(r)
	if orderID == "" && isJSON {
		var data struct {
			OrderID string `json:"order_id"`
		}
		if json.Unmarshal(ans.Data, &data) == nil {
			orderID = data.OrderID
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "api     %-29s %s %s", e, r.Method, r.URL.Path)
	if orderID != "" {
		fmt.Fprintf(&b, " order=%s attempt=%d", logValue(orderID), s.log.attempt(e, orderID))
	}
	if rec.status == 0 {
		b.WriteString(" http=- (connection dropped, no answer)")
	} else {
		fmt.Fprintf(&b, " http=%d", rec.status)
	}
	if code := bodyCode(ans.Code, ans.ErrCode); isJSON && code != "" {
		b.WriteString(" code=" + code)
	}
	fmt.Fprintf(&b, " %s", d.Round(10*time.Microsecond))
	if isJSON && failed(rec.status, ans.Status, ans.Code, ans.ErrCode) {
		var msg string
		if json.Unmarshal(ans.Message, &msg) == nil && msg != "" {
			b.WriteString(" refused: " + strconv.Quote(msg))
		}
	} else if !isJSON && rec.status != 0 {
		b.WriteString(" (HTML answer)")
	}
	s.log.line(s.cfg.clock(), b.String())
}

// requestOrderID is the order id a request names, if any.
func requestOrderID(r *http.Request) string {
	for _, k := range []string{"orderid", "order_id", "txn_id", "request_id"} {
		if v := strings.TrimSpace(r.PostForm.Get(k)); v != "" {
			return v
		}
	}
	return ""
}

func bodyCode(vs ...any) string {
	for _, v := range vs {
		switch x := v.(type) {
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			if x != "" {
				return logValue(x)
			}
		}
	}
	return ""
}

// failed reports whether an answer is a refusal: an HTTP status other than
// 200, a status of false or "FAILED", or a code other than 200.
func failed(httpStatus int, status any, codes ...any) bool {
	if httpStatus != http.StatusOK {
		return true
	}
	switch st := status.(type) {
	case bool:
		if !st {
			return true
		}
	case string:
		if strings.EqualFold(st, "failed") {
			return true
		}
	}
	c := bodyCode(codes...)
	return c != "" && c != "200"
}

// logValue keeps a value on its line: control characters and spaces are
// escaped.
func logValue(v string) string {
	if strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' }) < 0 && len(v) <= 80 {
		return v
	}
	if len(v) > 80 {
		v = v[:80]
	}
	return strconv.Quote(v)
}

// maskURL hides the values of a URL's query (such as ?token=) and any user
// info, for logs and the deliveries control.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparsable URL]"
	}
	if u.User != nil {
		u.User = url.User("[REDACTED]")
	}
	if u.RawQuery != "" {
		q := u.Query()
		parts := make([]string, 0, len(q))
		for k := range q {
			parts = append(parts, url.QueryEscape(k)+"=[REDACTED]")
		}
		sort.Strings(parts)
		u.RawQuery = strings.Join(parts, "&")
	}
	u.Fragment = ""
	return u.String()
}

// logAttempt writes the line of one webhook attempt.
func (s *Server) logAttempt(d *Delivery, attempt, code int, err error, dur time.Duration, last bool) {
	if s.log == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "webhook %s order=%s status=%s callback=%s attempt=%d/%d",
		maskURL(d.URL), logValue(d.OrderID), logValue(string(d.Status)), d.CallbackType, attempt, 1+MaxWebhookRetries)
	if code != 0 {
		fmt.Fprintf(&b, " http=%d", code)
	} else {
		b.WriteString(" http=-")
	}
	fmt.Fprintf(&b, " %s", dur.Round(10*time.Microsecond))
	switch {
	case err == nil:
		b.WriteString(" delivered")
	case last:
		b.WriteString(" failed, given up: " + s.errText(err))
	default:
		b.WriteString(" failed, will retry: " + s.errText(err))
	}
	s.log.line(s.cfg.clock(), b.String())
}

// logNotSent writes the line of a webhook that was not posted, and why.
func (s *Server) logNotSent(orderID, status, target string, why string) {
	if s.log == nil {
		return
	}
	where := "no URL"
	if target != "" {
		where = maskURL(target)
	}
	s.log.line(s.cfg.clock(), fmt.Sprintf("webhook %s order=%s status=%s dropped: %s",
		where, logValue(orderID), logValue(status), why))
}

// errText is an error for a log line, quoted, with any URL query masked.
func (s *Server) errText(err error) string { return strconv.Quote(s.errTextPlain(err)) }

// errTextPlain is an error's text with any URL query masked.
func (s *Server) errTextPlain(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + " " + maskURL(ue.URL) + ": " + ue.Err.Error()
	}
	return err.Error()
}
