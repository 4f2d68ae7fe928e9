package answer

import (
	"fmt"
	"strings"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// otherID is an id an answer names that is not the one asked: what ("order"
// or "request"; "" when every id is the one asked), the id asked (or, for a
// call that names no order, the first order id the answer names) and the
// answer's other id.
type otherID struct {
	what, asked, answered string
	unasked               bool
}

// otherIDs checks every order id the answer body names, at either level
// and under any spelling (wire.OtherID), against the order asked — or,
// for a call that names none, against each other — and every request id
// against the request asked, if any. The same rule serves every call.
func otherIDs(body []byte, asked wire.Asked) otherID {
	if a, id, ok := wire.OtherOrder(body, asked.OrderID); ok {
		return otherID{what: "order", asked: a, answered: id, unasked: asked.OrderID == ""}
	}
	if asked.RequestID != "" {
		if a, id, ok := wire.OtherID(body, "requestid", asked.RequestID); ok {
			return otherID{what: "request", asked: a, answered: id}
		}
	}
	return otherID{}
}

// message is the error text of o: both ids, cut to their start and masked
// as free text; request ids, which work as credentials, keep only their
// last 4 characters.
func (o otherID) message() string {
	a, id := shortID(o.asked), shortID(o.answered)
	if o.what == "request" {
		a, id = redact.Keep(o.asked, 4), redact.Keep(o.answered, 4)
	}
	if o.unasked {
		return fmt.Sprintf("answer contradicts itself: it names order %q and order %q", a, id)
	}
	return fmt.Sprintf("answer is about %s %q, not %q, the %s asked", o.what, id, a, o.what)
}

// shortID is id for an error text: its first 40 bytes (the whole id is
// compared), masked as free text.
func shortID(id string) string {
	if len(id) > 40 {
		id = strings.ToValidUTF8(id[:40], "") + "…"
	}
	return redact.FreeText(id)
}
