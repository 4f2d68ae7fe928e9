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
type WebhookEvent struct {
	// OrderID (orderid or order_id) is never empty; DateTime is read as IST.
	OrderID      string
	Status       Status
	Remark       string
	DateTime     time.Time
	CallbackType CallbackType
	Source       string // the X-Callback-Source header: WebhookSource
}

var webhookBufPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 512)) }}

// ParseWebhook reads and checks the webhook in r, trimming every value; it
// does not close the body. It fails with a [*WebhookError] for a method
// other than POST (405), a media type other than form-urlencoded (415), a
// body over 64 KiB (413), or (400) a malformed form, an order id missing,
// over 256 bytes or given twice, a field repeated differently, or a
// datetime that is not a timestamp.
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
// would, without building a url.Values map.
func parseWebhookBody(body []byte) (*WebhookEvent, *WebhookError) {
	ev := &WebhookEvent{}
	var orderid, orderID, status, datetime, ctype string
	var seen uint8 // one bit per field below
	for len(body) > 0 {
		var pair []byte
		if i := bytes.IndexByte(body, '&'); i >= 0 {
			pair, body = body[:i], body[i+1:]
		} else {
			pair, body = body, nil
		}
		if bytes.IndexByte(pair, ';') >= 0 {
			// net/url refuses it too: some readers split on it.
			return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "invalid semicolon separator in form"}
		}
		if len(pair) == 0 {
			continue
		}
		rawKey, val := pair, []byte(nil)
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			rawKey, val = pair[:i], pair[i+1:]
		}
		name := bytes.TrimSpace(rawKey)
		if needsUnescape(rawKey) {
			k, err := url.QueryUnescape(string(rawKey))
			if err != nil {
				return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "malformed form encoding"}
			}
			name = []byte(strings.TrimSpace(k))
		}
		var dst *string
		var bit uint8
		switch string(name) { // not allocated
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
			dst, bit = &ctype, 32
		default:
			if !validEscapes(val) {
				return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "malformed form encoding"}
			}
			continue
		}
		var scratch [128]byte
		b, werr := unescapeTrim(scratch[:0], val)
		if werr != nil {
			return nil, werr
		}
		if seen&bit != 0 {
			if string(b) != *dst {
				// Readers disagree on which of two values counts: refuse.
				return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "a field is repeated with different values"}
			}
			continue
		}
		seen |= bit
		switch {
		case bit == 1 && seen&2 != 0 && string(b) == orderID:
			*dst = orderID // order_id repeated as orderid: one string
		case bit == 2 && seen&1 != 0 && string(b) == orderid:
			*dst = orderid
		default:
			*dst = string(b)
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
	if datetime != "" {
		t, err := wire.ParseTime(datetime)
		if err != nil {
			return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "datetime is not a timestamp"}
		}
		ev.DateTime = t
	}
	return ev, nil
}

func needsUnescape(b []byte) bool {
	return bytes.IndexByte(b, '%') >= 0 || bytes.IndexByte(b, '+') >= 0
}

// unescapeTrim appends to dst the form value val decoded as
// url.QueryUnescape decodes it (+ is a space, %XX a byte; a % without two
// hex digits is an error), trimmed of surrounding white space as
// strings.TrimSpace trims.
func unescapeTrim(dst, val []byte) ([]byte, *WebhookError) {
	if !needsUnescape(val) {
		return bytes.TrimSpace(val), nil
	}
	for i := 0; i < len(val); i++ {
		switch c := val[i]; c {
		case '+':
			dst = append(dst, ' ')
		case '%':
			if i+2 >= len(val) || !isHex(val[i+1]) || !isHex(val[i+2]) {
				return nil, &WebhookError{HTTPStatus: http.StatusBadRequest, Reason: "malformed form encoding"}
			}
			dst = append(dst, unhex(val[i+1])<<4|unhex(val[i+2]))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return bytes.TrimSpace(dst), nil
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// validEscapes reports whether every % in b starts a %XX escape, as
// url.QueryUnescape requires.
func validEscapes(b []byte) bool {
	for i := bytes.IndexByte(b, '%'); i >= 0; i = bytes.IndexByte(b, '%') {
		if len(b) < i+3 || !isHex(b[i+1]) || !isHex(b[i+2]) {
			return false
		}
		b = b[i+3:]
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
