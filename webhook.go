package inexopay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/inexopay/inexopay-go/internal/hookserve"
	"github.com/inexopay/inexopay-go/internal/ist"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// maxWebhookBytes is the largest webhook body [ParseWebhook] reads; a larger one is refused with
// HTTP 413.
const maxWebhookBytes = 64 << 10

// WebhookSource is the X-Callback-Source header of INEXOPAY's webhooks.
const WebhookSource = "INEXOPAY-API"

// CallbackType says whether a webhook went to your global URL or a return_url.
type CallbackType string

// The callback types INEXOPAY sends.
const (
	CallbackGlobal         CallbackType = "global_webhook"
	CallbackPerTransaction CallbackType = "per_transaction"
)

// maxWebhookOrderID is the longest order id a webhook may carry; a longer one is refused (400)
// rather than stored by a dedup store.
const maxWebhookOrderID = 256

// ErrInvalidWebhook is matched by every *[WebhookError].
var ErrInvalidWebhook = errors.New("inexopay: invalid webhook")

// WebhookError says why a webhook was refused, never quoting body or token.
type WebhookError struct {
	HTTPStatus int // what WebhookHandler answers: 400, 401, 403, 405, 413, 415.
	Reason     string
}

// Error implements error.
func (e *WebhookError) Error() string { return "inexopay: webhook refused: " + e.Reason }

// Is reports whether target is [ErrInvalidWebhook].
func (e *WebhookError) Is(target error) bool { return target == ErrInvalidWebhook }

// WebhookEvent is a status change INEXOPAY posted; it is unsigned, so read the order's status
// before you act. Odd events are kept, with Warnings. See docs/outcomes.md.
type WebhookEvent struct {
	OrderID      string // never empty
	Status       Status
	Remark       string    `mask:"text"` // printed with Aadhaar-, mobile- and PAN-like runs masked
	DateTime     time.Time // read as IST; zero when absent or unreadable
	RawDateTime  string    `mask:"text"` // datetime as received
	CallbackType CallbackType
	Source       string         // the X-Callback-Source header
	Fields       *WebhookFields // every field received, masked when printed
	Warnings     []string       // what was odd but accepted, without values
}

// webhookReader is what ParseWebhook reuses from one call to the next.
type webhookReader struct {
	buf bytes.Buffer
	lr  io.LimitedReader
}

var webhookReaders = sync.Pool{New: func() any {
	w := &webhookReader{}
	w.buf.Grow(1024)
	return w
}}

// ParseWebhook reads the webhook in r. It fails with a [*WebhookError] only when the event cannot
// be read or keyed. See docs/outcomes.md.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	if r.Method != http.MethodPost {
		return nil, &WebhookError{HTTPStatus: http.StatusMethodNotAllowed, Reason: "method must be POST"}
	}
	kind, boundary, berr := hookserve.MediaType(r.Header.Get("Content-Type"))
	if berr != nil {
		return nil, &WebhookError{HTTPStatus: berr.Status, Reason: berr.Reason}
	}
	if r.Body == nil {
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "empty body"}
	}
	wr := webhookReaders.Get().(*webhookReader)
	wr.buf.Reset()
	wr.lr = io.LimitedReader{R: r.Body, N: maxWebhookBytes + 1}
	n, err := wr.buf.ReadFrom(&wr.lr)
	wr.lr.R = nil
	switch {
	case err != nil:
		webhookReaders.Put(wr)
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "reading body: " + err.Error()}
	case n > maxWebhookBytes:
		webhookReaders.Put(wr)
		return nil, &WebhookError{HTTPStatus: http.StatusRequestEntityTooLarge, Reason: "body larger than 64 KiB"}
	}
	// The body is copied once, into the string every value of the event is cut from.
	body := wr.buf.String()
	webhookReaders.Put(wr)
	// A UTF-8 byte order mark, which some senders write first, is not part of the body's content
	// (a JSON object's or the first form field's name).
	body = strings.TrimPrefix(body, "\ufeff")
	body, notes, berr := hookserve.ToForm(kind, body, boundary)
	if berr != nil {
		return nil, &WebhookError{HTTPStatus: berr.Status, Reason: berr.Reason}
	}
	ev, werr := parseWebhookBody(body)
	if werr != nil {
		return nil, werr
	}
	ev.Warnings = append(ev.Warnings, notes...)
	ev.Source = r.Header.Get("X-Callback-Source")
	return ev, nil
}

// parsedWebhook puts an event and its fields in one allocation.
type parsedWebhook struct {
	ev     WebhookEvent
	fields WebhookFields
}

// parseWebhookBody decodes the form fields of a webhook as url.ParseQuery would, except that a ";"
// is an ordinary character and a malformed % escape outside the order id keeps the value as
// received. Only the fields the event names are decoded here; Fields decodes the others when asked.
func parseWebhookBody(body string) (*WebhookEvent, *WebhookError) {
	// A UTF-8 byte order mark, which some senders write first, is not part of the first field's
	// name.
	body = strings.TrimPrefix(body, "\ufeff")
	p := &parsedWebhook{fields: WebhookFields{body: body}}
	ev := &p.ev
	ev.Fields = &p.fields
	var orderid, orderID, status, ctype string
	var seen uint8 // one bit per field below
	for rest := body; ; {
		rawName, rawVal, more, ok := nextFormPair(rest)
		if !ok {
			break
		}
		rest = more
		name, nameOK := unescapeTrim(rawName)
		if !nameOK {
			ev.warn("a field name has a malformed % escape and is kept as received")
		}
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
		default:
			if !validEscapes(rawVal) {
				ev.warn("field " + hookserve.FieldName(name) + " has a malformed % escape and is kept as received")
			}
			continue
		}
		v, valOK := unescapeTrim(rawVal)
		if bit == 4 {
			// A status is compared and kept as PHP's trim() leaves it: a no-break space around it
			// makes another, undocumented status.
			v = unescapePHPTrim(rawVal)
		}
		if orderField && (!valOK || strings.IndexByte(rawVal, ';') >= 0 || strings.IndexByte(v, ';') >= 0) {
			// Readers disagree on what such an order id is: it cannot be keyed.
			return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "malformed form encoding in the order id"}
		}
		if !valOK {
			ev.warn("field " + hookserve.FieldName(name) + " has a malformed % escape and is kept as received")
		}
		if orderField && v == "" {
			continue // an empty order id names no order (as in an answer): its twin keys the event
		}
		if seen&bit != 0 && !sameWebhookValue(bit, v, *dst) {
			name := hookserve.FieldName(name)
			if bit&(1|2|4|16) != 0 {
				// The order id, status and datetime key the event: with two values that key
				// differently, readers disagree on which counts.
				return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "field " + name + " is repeated with different values"}
			}
			ev.warn("field " + name + " is repeated with different values; the first is used")
			continue
		}
		if seen&bit != 0 {
			continue // the same value again: the first spelling is kept
		}
		seen |= bit
		*dst = v
	}
	ev.Status = ParseStatus(status)
	switch ev.Status {
	case "", StatusSuccess, StatusFailed, StatusRefund, StatusPending:
	default:
		ev.warn("status is not a documented word (success, failed, refund, pending): it is kept as received; read the order's state with its status call")
	}
	ev.CallbackType = CallbackType(ctype)
	haveOrderid, haveOrderID := seen&1 != 0, seen&2 != 0
	switch {
	case orderid == "" && orderID == "":
		return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "orderid or order_id is required"}
	case haveOrderid && haveOrderID && !wire.SameID(orderid, orderID):
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

// sameWebhookValue reports whether two values of the field marked bit (see parseWebhookBody) mean
// the same: order ids without regard to ASCII case (as docs/outcomes.md compares them: not ſ for s
// or a Kelvin sign for k), statuses as
// ParseStatus reads them, datetimes that read as the same instant (or are the same text).
func sameWebhookValue(bit uint8, a, b string) bool {
	switch {
	case a == b:
		return true
	case bit&(1|2) != 0:
		return wire.SameID(a, b)
	case bit == 4:
		return ParseStatus(a) == ParseStatus(b)
	case bit == 16:
		ta, okA := parseWebhookTime(a)
		tb, okB := parseWebhookTime(b)
		return okA && okB && ta.Equal(tb)
	}
	return false
}

// LogValue implements [slog.LogValuer], with Fields masked.
func (ev WebhookEvent) LogValue() slog.Value { return redact.LogValue(ev) }

// Format prints the event with Remark, RawDateTime and Fields masked.
func (ev WebhookEvent) Format(s fmt.State, verb rune) { redact.Format(s, verb, ev) }

func (ev *WebhookEvent) warn(msg string) { ev.Warnings = append(ev.Warnings, msg) }

// webhookTimeLayouts are the forms of datetime read besides those of the API's answers: without
// seconds, day first (as in India) with - or /, and year first with /. All are IST.
var webhookTimeLayouts = [...]string{
	"2006-01-02 15:04", "2006-01-02T15:04",
	"02-01-2006 15:04:05", "02-01-2006 15:04",
	"02/01/2006 15:04:05", "02/01/2006 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04",
}

// parseWebhookTime reads a webhook's datetime; false when no form fits.
func parseWebhookTime(v string) (time.Time, bool) {
	if needsSpaceFold(v) {
		v = strings.Join(strings.Fields(v), " ")
	}
	if strings.IndexByte(v, ':') < 0 {
		return time.Time{}, false // a date alone is no instant: midnight would be made up
	}
	if len(v) > 10 && v[10] == 't' {
		v = v[:10] + "T" + v[11:] // RFC 3339 allows a lower-case t and z
	}
	if strings.HasSuffix(v, "z") {
		v = v[:len(v)-1] + "Z"
	}
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

// needsSpaceFold reports whether v holds a run of spaces or any other white space, which
// parseWebhookTime folds into single spaces.
func needsSpaceFold(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ' && i+1 < len(v) && v[i+1] == ' ', c != ' ' && (c <= ' ' || c >= 0x80):
			return true
		}
	}
	return false
}
