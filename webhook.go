package inexopay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/inexopay/inexopay-go/internal/ist"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// maxWebhookBytes is the largest webhook body [ParseWebhook] reads; a
// larger one is refused with HTTP 413.
const maxWebhookBytes = 64 << 10

// WebhookSource is the X-Callback-Source header of INEXOPAY's webhooks.
const WebhookSource = "INEXOPAY-API"

// CallbackType says which URL INEXOPAY posted a webhook to: your global
// webhook URL, or the return_url given with the transaction.
type CallbackType string

// The callback types INEXOPAY sends.
const (
	CallbackGlobal         CallbackType = "global_webhook"
	CallbackPerTransaction CallbackType = "per_transaction"
)

// maxWebhookOrderID is the longest order id a webhook may carry; a longer
// one is refused (400) rather than stored by a dedup store.
const maxWebhookOrderID = 256

// ErrInvalidWebhook is matched by every *[WebhookError].
var ErrInvalidWebhook = errors.New("inexopay: invalid webhook")

// WebhookError says why a webhook was refused. Its Reason never quotes the
// body or the token.
type WebhookError struct {
	// HTTPStatus is what WebhookHandler answers: 400, 401, 403, 405, 413, 415.
	HTTPStatus int
	Reason     string
}

// Error implements error.
func (e *WebhookError) Error() string { return "inexopay: webhook refused: " + e.Reason }

// Is reports whether target is [ErrInvalidWebhook].
func (e *WebhookError) Is(target error) bool { return target == ErrInvalidWebhook }

// WebhookEvent is a status change INEXOPAY posted to your webhook URL. The
// payload is not signed and does not name the product: treat it as a hint,
// find the order in your records, and read its state with that product's
// status call ([WalletService.PaymentStatus], [PANService.Status],
// [NSDLBankService.AccountDetails]) before you act. Values are trimmed.
//
// An event is refused only when it cannot be keyed or authenticated (see
// [ParseWebhook]); anything else odd in it (a datetime the SDK cannot
// read, a stray % in a field, a remark given twice) is accepted as
// received and noted in Warnings, so that no event is lost.
type WebhookEvent struct {
	// OrderID (orderid or order_id) is never empty.
	OrderID string
	Status  Status
	Remark  string
	// DateTime is datetime read as IST; it is the zero time when datetime
	// was absent or in a form the SDK cannot read (RawDateTime keeps it).
	DateTime time.Time
	// RawDateTime is datetime as received, trimmed.
	RawDateTime  string
	CallbackType CallbackType
	Source       string // the X-Callback-Source header: WebhookSource
	// Fields holds every field received, known and unknown, in the order
	// received; a value whose % escapes are malformed is kept as received.
	// Printing it masks values that look like secrets.
	Fields WebhookFields
	// Warnings says, without quoting values, what was odd but accepted;
	// WebhookHandler logs them at level WARN with [WithWebhookLogger].
	Warnings []string
}

var webhookBufPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 512)) }}

// ParseWebhook reads and checks the webhook in r, trimming every value; it
// does not close the body. It fails with a [*WebhookError] only for what
// cannot be read as a webhook or keyed: a method other than POST (405), a
// media type other than form-urlencoded (415), a body over 64 KiB (413),
// or (400) no order id, order ids that disagree (orderid and order_id, or
// either given twice differently), an order id over 256 bytes, with a
// malformed % escape or a ";", or status or datetime given twice
// differently. Anything else is accepted: see [WebhookEvent].Warnings.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	if r.Method != http.MethodPost {
		return nil, &WebhookError{HTTPStatus: http.StatusMethodNotAllowed, Reason: "method must be POST"}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != formMediaType {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != formMediaType {
			return nil, &WebhookError{HTTPStatus: http.StatusUnsupportedMediaType, Reason: "content type must be application/x-www-form-urlencoded"}
		}
	}
	if r.Body == nil {
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "empty body"}
	}
	buf := webhookBufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer webhookBufPool.Put(buf)
	n, err := buf.ReadFrom(io.LimitReader(r.Body, maxWebhookBytes+1))
	if err != nil {
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "reading body: " + err.Error()}
	}
	if n > maxWebhookBytes {
		return nil, &WebhookError{HTTPStatus: http.StatusRequestEntityTooLarge, Reason: "body larger than 64 KiB"}
	}
	ev, werr := parseWebhookBody(buf.Bytes())
	if werr != nil {
		return nil, werr
	}
	ev.Source = r.Header.Get("X-Callback-Source")
	return ev, nil
}

const formMediaType = "application/x-www-form-urlencoded"

// parseWebhookBody decodes the form fields of a webhook as url.ParseQuery
// would, except that a ";" is an ordinary character and a malformed %
// escape outside the order id keeps the value as received.
func parseWebhookBody(body []byte) (*WebhookEvent, *WebhookError) {
	ev := &WebhookEvent{Fields: WebhookFields{}}
	var orderid, orderID, status, ctype string
	var seen uint8 // one bit per field below
	for len(body) > 0 {
		var pair []byte
		if i := bytes.IndexByte(body, '&'); i >= 0 {
			pair, body = body[:i], body[i+1:]
		} else {
			pair, body = body, nil
		}
		if len(bytes.TrimSpace(pair)) == 0 {
			continue
		}
		rawKey, val := pair, []byte(nil)
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			rawKey, val = pair[:i], pair[i+1:]
		}
		name, nameOK := unescapeTrim(rawKey)
		if !nameOK {
			ev.warn("a field name has a malformed % escape and is kept as received")
		}
		v, valOK := unescapeTrim(val)
		var dst *string
		var bit uint8
		orderField := false
		switch name {
		case "orderid":
			dst, bit, orderField = &orderid, 1, true
		case "order_id":
			dst, bit, orderField = &orderID, 2, true
		case "status":
			dst, bit = &status, 4
		case "remark":
			dst, bit = &ev.Remark, 8
		case "datetime":
			dst, bit = &ev.RawDateTime, 16
		case "callback_type":
			dst, bit = &ctype, 32
		}
		if orderField && (!valOK || bytes.IndexByte(val, ';') >= 0) {
			// Readers disagree on what such an order id is: it cannot be
			// keyed.
			return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "malformed form encoding in the order id"}
		}
		if !valOK {
			ev.warn("field " + webhookFieldName(name) + " has a malformed % escape and is kept as received")
		}
		ev.Fields[name] = append(ev.Fields[name], v)
		if dst == nil {
			continue
		}
		if seen&bit != 0 && v != *dst {
			name := webhookFieldName(name)
			if bit&(1|2|4|16) != 0 {
				// The order id, status and datetime key the event: with
				// two values, readers disagree on which counts.
				return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "field " + name + " is repeated with different values"}
			}
			ev.warn("field " + name + " is repeated with different values; the first is used")
			continue
		}
		seen |= bit
		switch {
		case bit == 1 && seen&2 != 0 && v == orderID:
			*dst = orderID // order_id repeated as orderid: one string
		case bit == 2 && seen&1 != 0 && v == orderid:
			*dst = orderid
		default:
			*dst = v
		}
	}
	ev.Status = ParseStatus(status)
	ev.CallbackType = CallbackType(ctype)
	haveOrderid, haveOrderID := seen&1 != 0, seen&2 != 0
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
	if len(ev.OrderID) > maxWebhookOrderID {
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "order id longer than 256 bytes"}
	}
	if ev.RawDateTime != "" {
		t, ok := parseWebhookTime(ev.RawDateTime)
		if !ok {
			ev.warn("datetime is not in a form the SDK reads; DateTime is zero and RawDateTime keeps it")
		}
		ev.DateTime = t
	}
	return ev, nil
}

// LogValue implements [slog.LogValuer]: the event as a group of its
// fields, with Fields masked (see [WebhookFields]) for every handler,
// JSON included.
func (ev WebhookEvent) LogValue() slog.Value { return redact.LogValue(ev) }

func (ev *WebhookEvent) warn(msg string) { ev.Warnings = append(ev.Warnings, msg) }

// webhookFieldName returns a field name for a warning: as it is when short and
// printable, else cut.
func webhookFieldName(name string) string {
	if len(name) == 0 || len(name) > 40 {
		return "(unnamed)"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-'; !ok {
			return "(name not shown)"
		}
	}
	return strconv.Quote(name)
}

// webhookTimeLayouts are the forms of datetime read besides those of the
// API's answers: without seconds, day first (as in India) with - or /,
// and year first with /. All are IST.
var webhookTimeLayouts = [...]string{
	"2006-01-02 15:04", "2006-01-02T15:04",
	"02-01-2006 15:04:05", "02-01-2006 15:04",
	"02/01/2006 15:04:05", "02/01/2006 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04",
}

// parseWebhookTime reads a webhook's datetime; false when no form fits.
func parseWebhookTime(v string) (time.Time, bool) {
	v = strings.Join(strings.Fields(v), " ")
	if t, err := wire.ParseTime(v); err == nil {
		return t, true
	}
	for _, layout := range webhookTimeLayouts {
		if t, err := time.ParseInLocation(layout, v, ist.Zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func needsUnescape(b []byte) bool {
	return bytes.IndexByte(b, '%') >= 0 || bytes.IndexByte(b, '+') >= 0
}

// unescapeTrim decodes a form value and trims surrounding spaces; with a
// malformed % escape it returns the value as received (trimmed) and false.
func unescapeTrim(val []byte) (string, bool) {
	if !needsUnescape(val) {
		return string(bytes.TrimSpace(val)), true
	}
	s, err := url.QueryUnescape(string(val))
	if err != nil {
		return string(bytes.TrimSpace(val)), false
	}
	return strings.TrimSpace(s), true
}

// WebhookFields holds every field of a webhook as received, by name, each
// with its values in the order received. Printing it (fmt's verbs,
// String, slog) masks values that may be secrets: a field named like a
// token, key, password or OTP is shown as [REDACTED]; an Aadhaar number,
// PAN or mobile (by name, or a value of 12 digits or shaped like a PAN)
// keeps its last 4 characters. The map itself holds the values unmasked.
type WebhookFields map[string][]string

// Get returns the first value of name, or "" when it was not received.
func (f WebhookFields) Get(name string) string {
	if v := f[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// String returns the fields sorted by name, masked: "map[name:[value]]".
func (f WebhookFields) String() string { return fmt.Sprint(map[string][]string(f.masked())) }

// GoString returns the fields masked, in Go syntax.
func (f WebhookFields) GoString() string {
	return "inexopay.WebhookFields" + strings.TrimPrefix(fmt.Sprintf("%#v", map[string][]string(f.masked())), "map[string][]string")
}

// Format prints the fields masked for every verb.
func (f WebhookFields) Format(s fmt.State, verb rune) {
	if verb == 'v' && s.Flag('#') {
		_, _ = io.WriteString(s, f.GoString())
		return
	}
	_, _ = fmt.Fprintf(s, fmt.FormatString(s, verb), map[string][]string(f.masked()))
}

// LogValue logs the fields as a group, masked.
func (f WebhookFields) LogValue() slog.Value {
	m := f.masked()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	attrs := make([]slog.Attr, 0, len(names))
	for _, k := range names {
		attrs = append(attrs, slog.Any(k, m[k]))
	}
	return slog.GroupValue(attrs...)
}

func (f WebhookFields) masked() map[string][]string {
	if f == nil {
		return nil
	}
	out := make(map[string][]string, len(f))
	for k, vs := range f {
		mask := webhookFieldMask(k)
		mv := make([]string, len(vs))
		for i, v := range vs {
			mv[i] = mask(v)
		}
		out[mask(k)] = mv
	}
	return out
}

// webhookFieldMask says how a field named name prints.
func webhookFieldMask(name string) func(string) string {
	n := strings.ToLower(name)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("token", "key", "secret", "passw", "otp", "cvv") || n == "pin" || strings.HasSuffix(n, "_pin"):
		return redact.OTP
	case has("aadhaar", "aadhar", "uid"):
		return MaskAadhaar
	case n == "pan" || has("pancard", "pan_", "_pan", "pannumber", "pan_no"):
		return MaskPAN
	case has("mobile", "phone"):
		return MaskMobile
	}
	return maskByShape
}

// maskByShape masks a value that looks like an Aadhaar number (12 digits)
// or a PAN, whatever its field's name.
func maskByShape(v string) string {
	switch {
	case len(v) == 12 && redact.AllDigits(v):
		return MaskAadhaar(v)
	case len(v) == 10 && redact.AllDigits(v):
		return MaskMobile(v)
	case len(v) == 10 && validate.PAN(strings.ToUpper(v)) == "":
		return MaskPAN(v)
	}
	return v
}
