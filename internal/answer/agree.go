package answer

import (
	"errors"
	"strings"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/upi"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// disagrees says why a success answer's members disagree with each other
// or with what the call asked, or returns "" when they agree. It is the
// one place for such checks beyond the must-haves (wire.MustHaver) and the
// order ids (ids.go).
//
// A Wallet.GenerateQR answer's UPI link (data.tx_string) is what the payer
// pays. INEXOPAY puts the order id in its tr, and also in its tn (the
// note), and the amount in its am. Paying a link whose tr names another
// order, or for another amount, credits another load than the one the
// caller keeps and polls: such an answer is unusable. Rules:
//   - data.amount is the amount asked (when the answer has one);
//   - the link, when there is one, is a upi://pay link that a UPI app
//     reads one way (upi.Parse: no parameter twice, am a rupee amount);
//   - its tr, when present, is data.order_id (ASCII, any case, spaces
//     around ignored);
//   - its tn, when it has an order id's shape (sameShape with
//     data.order_id), is data.order_id; any other tn is a free note;
//   - its am, when present, is data.amount and the amount asked.
func disagrees(out wire.Headed, asked wire.Asked) string {
	qr, ok := out.(*wire.WalletQR)
	if !ok || qr.Data == nil {
		return ""
	}
	d := qr.Data
	if asked.Paise > 0 && d.Amount != 0 && d.Amount != asked.Paise {
		return "data.amount " + rupees(d.Amount) + " is not the amount asked, " + rupees(asked.Paise)
	}
	link := strings.TrimSpace(string(d.TxString))
	if wire.Blank(link) {
		return ""
	}
	l, err := upi.Parse(link, wire.MaxPaise)
	if err != nil {
		reason := "is not a usable upi://pay link"
		var ve *apierr.ValidationError
		if errors.As(err, &ve) {
			reason = ve.Reason
		}
		return "data.tx_string: " + reason
	}
	id := string(d.OrderID)
	if tr, ok := param(l, "tr"); ok && !sameID(tr, id) {
		return "the UPI link's tr names another order than data.order_id (" + shortID(tr) + ", not " + shortID(id) + ")"
	}
	if tn, ok := param(l, "tn"); ok && sameShape(strings.TrimSpace(tn), strings.TrimSpace(id)) && !sameID(tn, id) {
		return "the UPI link's tn names another order than data.order_id (" + shortID(tn) + ", not " + shortID(id) + ")"
	}
	if _, ok := param(l, "am"); ok {
		switch {
		case d.Amount != 0 && wire.Paise(l.Paise) != d.Amount:
			return "the UPI link's am " + rupees(wire.Paise(l.Paise)) + " is not data.amount " + rupees(d.Amount)
		case asked.Paise > 0 && wire.Paise(l.Paise) != asked.Paise:
			return "the UPI link's am " + rupees(wire.Paise(l.Paise)) + " is not the amount asked, " + rupees(asked.Paise)
		}
	}
	return ""
}

// param is the link's value of the Known parameter key, and whether the
// link has it.
func param(l *upi.Link, key string) (string, bool) {
	v, ok := l.Values[key]
	return v, ok
}

// sameID reports whether two order ids are the same: ASCII letters in any
// case (no other folding), ASCII spaces around ignored.
func sameID(a, b string) bool {
	a, b = strings.Trim(a, " \t\r\n"), strings.Trim(b, " \t\r\n")
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// sameShape reports whether s has the shape of the order id id: as long,
// of ASCII letters, digits, '-' and '_' only, with a letter where id has
// a letter (any case), a digit where it has a digit and the same mark
// where it has a mark. "WAL2" has the shape of "WAL1"; "Wallet load" has
// not.
func sameShape(s, id string) bool {
	if len(s) != len(id) || s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], id[i]
		switch {
		case isLetter(a) && isLetter(b), isDigit(a) && isDigit(b):
		case (a == '-' || a == '_') && a == b:
		default:
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// rupees writes p as rupees with two decimals ("500.00").
func rupees(p wire.Paise) string { return wire.FormatPaise(int64(p)) }
