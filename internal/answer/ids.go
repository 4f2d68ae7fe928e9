package answer

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// otherID is an id an answer names that is not the one asked: what ("order",
// "request", "txn id", "agent id", "PAN", "Aadhaar number"; "" when every id is the one asked), the id asked (or, for a
// call that names no order, the first order id the answer names) and the
// answer's other id.
type otherID struct {
	what, asked, answered string
	unasked               bool
	of                    string // what names the other id: "" for the answer
}

// otherIDs checks every order id the answer body names, in any object at
// any depth and under any spelling (wire.OtherID), against the order asked
// — or, for a call that names none, against each other — and every
// request id, txn id, agent id, PAN and Aadhaar number against the one asked, if
// any. The same rule serves every call and every answer, refusals too.
func otherIDs(body []byte, asked wire.Asked) otherID {
	if a, id, ok := wire.OtherOrder(body, asked.OrderID); ok {
		return otherID{what: "order", asked: a, answered: id, unasked: asked.OrderID == ""}
	}
	for _, c := range [...]struct{ what, name, want string }{
		{"request", "requestid", asked.RequestID}, {"txn id", "txnid", asked.TxnID},
		{"agent id", "agentid", asked.AgentID},
	} {
		if c.want == "" {
			continue
		}
		if a, id, ok := wire.OtherID(body, c.name, c.want); ok {
			return otherID{what: c.what, asked: a, answered: id}
		}
	}
	if id, ok := wire.OtherPAN(body, asked.PAN); ok {
		return otherID{what: "PAN", asked: asked.PAN, answered: id}
	}
	if id, ok := wire.OtherAadhaar(body, asked.Aadhaar); ok {
		return otherID{what: "Aadhaar number", asked: asked.Aadhaar, answered: id}
	}
	return otherID{}
}

// message is the error text of o: both ids, cut to their start and masked
// as free text; request ids, which work as credentials, and PANs keep only
// their last 4 characters, Aadhaar numbers their last 4 digits.
func (o otherID) message() string {
	of := cmp.Or(o.of, "answer")
	a, id := shortID(o.asked), shortID(o.answered)
	switch o.what {
	case "request", "PAN":
		a, id = redact.Keep(o.asked, 4), redact.Keep(o.answered, 4)
	case "Aadhaar number":
		return fmt.Sprintf("%s is about the Aadhaar number ending %s, not the one asked (ending %s)",
			of, lastDigits(o.answered), lastDigits(o.asked))
	}
	if o.unasked && o.asked == "" {
		// The first order id named was no id at all (an object, an array, a boolean).
		return "answer's order id is not text or a number: " + id
	}
	if o.unasked {
		return fmt.Sprintf("answer contradicts itself: it names order %q and order %q", a, id)
	}
	return fmt.Sprintf("%s is about %s %q, not %q, the %s asked", of, o.what, id, a, o.what)
}

// lastDigits is the last 4 digits of s ("none" when it has fewer): all of
// an Aadhaar number an error may show.
func lastDigits(s string) string {
	var d []byte
	for i := len(s) - 1; i >= 0 && len(d) < 4; i-- {
		if s[i] >= '0' && s[i] <= '9' {
			d = append([]byte{s[i]}, d...)
		}
	}
	if len(d) < 4 {
		return "(fewer than 4 digits)"
	}
	return string(d)
}

// shortID is id for an error text: its first 40 bytes (the whole id is
// compared), masked as free text.
func shortID(id string) string {
	if len(id) > 40 {
		id = strings.ToValidUTF8(id[:40], "") + "…"
	}
	return redact.FreeText(id)
}
