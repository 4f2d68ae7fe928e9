package inexopay

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
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
