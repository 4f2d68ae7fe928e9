package answer

import (
	"errors"
	"net/url"
	"strconv"
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
// A Wallet.GenerateQR answer's UPI link is what the payer pays: data.tx_string,
// and any link in data.qr_url (a QR image service's data=, path or
// fragment), which is all the caller gets when there is no tx_string.
// INEXOPAY puts the order id in its tr, and also in its tn (the note),
// and the amount in its am. Paying a link whose tr names another order,
// or for another amount, credits another load than the one the caller
// keeps and polls: such an answer is unusable. Rules:
//   - data.amount, and a top-level amount, is the amount asked (when the
//     answer has one);
//   - each link (qrLinks) passes linkDisagrees.
func disagrees(out wire.Headed, asked wire.Asked) string {
	if why := stateDisagrees(out); why != "" {
		return why
	}
	qr, ok := out.(*wire.WalletQR)
	if !ok {
		return ""
	}
	if asked.Paise > 0 && qr.Amount.Set && qr.Amount.Val != asked.Paise {
		return "amount " + rupees(qr.Amount.Val) + " is not the amount asked, " + rupees(asked.Paise)
	}
	if qr.Data == nil {
		return ""
	}
	d := qr.Data
	if asked.Paise > 0 && d.Amount != 0 && d.Amount != asked.Paise {
		return "data.amount " + rupees(d.Amount) + " is not the amount asked, " + rupees(asked.Paise)
	}
	want := qrFacts{id: string(d.OrderID), amount: d.Amount, asked: asked.Paise, upiID: strings.TrimSpace(string(d.UPIID))}
	if link := strings.TrimSpace(string(d.TxString)); !wire.Blank(link) {
		if why := linkDisagrees(link, want); why != "" {
			return "data.tx_string: " + why
		}
	}
	for _, link := range qrLinks(string(d.QRURL)) {
		if why := linkDisagrees(link, want); why != "" {
			return "data.qr_url: " + why
		}
	}
	return ""
}

// stateDisagrees says why a success answer's own state word says the call
// did not do what a success means, or returns "": Aadhaar.VerifyOTP's
// data.status must be "verified" (a "failed" or "pending" check verified
// nobody); Aadhaar.SendOTP's and Wallet.GenerateQR's data.status, when
// given, must be a word that says the OTP is on its way or the load awaits
// payment (startedWord: the API's failure words are not a closed list);
// NSDLBank.IncompleteAccountURL's status_in_db, when given, must be
// "pending" (only a pending opening can be finished). Words are read as
// PHP's trim() and strtolower() leave them; a word that cannot be read so
// (wire.State) or is not a string makes the answer unusable before this.
func stateDisagrees(out wire.Headed) string {
	quotedID := func(s string) string { return strconv.Quote(shortID(s)) }
	word := func(s string) string { return wire.LowerASCII(wire.PHPTrim(s)) }
	switch o := out.(type) {
	case *wire.AadhaarVerification:
		if o.Data != nil && word(string(o.Data.Status)) != "verified" {
			return "data.status " + quotedID(string(o.Data.Status)) + " is not verified: the OTP verified nobody"
		}
	case *wire.AadhaarOTP:
		if o.Data != nil && !startedWord(word(string(o.Data.Status))) {
			return "data.status " + quotedID(string(o.Data.Status)) + " does not say an OTP was sent"
		}
	case *wire.WalletQR:
		if o.Data != nil && !startedWord(word(string(o.Data.Status))) {
			return "data.status " + quotedID(string(o.Data.Status)) + " does not say a load awaits payment"
		}
	case *wire.IncompleteAccount:
		if st := string(o.Status); !wire.Blank(st) && word(st) != "pending" {
			return "status_in_db " + quotedID(st) + " is not pending: the opening cannot be finished"
		}
	}
	return ""
}

// startedWord reports whether w, a state word trimmed and lower-cased (or
// empty: absent), says that what Aadhaar.SendOTP or Wallet.GenerateQR
// starts has started: the document's "pending", or a word a PHP back end
// writes for the same ("sent", "success", "generated"…). Any other word,
// a failure one or one the SDK does not know, leaves the outcome unknown.
func startedWord(w string) bool {
	switch w {
	case "", "pending", "sent", "otp_sent", "otp sent", "success", "generated", "created", "initiated", "processing":
		return true
	}
	return false
}

// qrFacts is what a GenerateQR answer's UPI links must agree with: its
// data.order_id, data.amount and data.upi_id ("" and 0 when absent) and
// the amount asked (0 when none).
type qrFacts struct {
	id     string
	amount wire.Paise
	asked  wire.Paise
	upiID  string
}

// linkDisagrees says why the UPI link link disagrees with want, or
// returns "" when it agrees:
//   - it is a upi://pay link that a UPI app reads one way (upi.Parse: no
//     parameter twice, no '#', am a rupee amount);
//   - its tr, when present, is the order id (ASCII, any case, spaces
//     around ignored);
//   - its tn, when it has an order id's shape (sameShape with the order
//     id), is the order id; any other tn is a free note;
//   - its am, when present, is data.amount and the amount asked;
//   - its pa is data.upi_id (any case) when the answer has one.
func linkDisagrees(link string, want qrFacts) string {
	l, err := upi.Check(link, wire.MaxPaise)
	if err != nil {
		var ve *apierr.ValidationError
		if errors.As(err, &ve) {
			return ve.Reason
		}
		return "is not a usable upi://pay link"
	}
	id := want.id
	if tr, ok := l.Get("tr"); ok && !sameID(tr, id) {
		return "the UPI link's tr names another order than data.order_id (" + shortID(tr) + ", not " + shortID(id) + ")"
	}
	if tn, ok := l.Get("tn"); ok && sameShape(strings.TrimSpace(tn), strings.TrimSpace(id)) && !sameID(tn, id) {
		return "the UPI link's tn names another order than data.order_id (" + shortID(tn) + ", not " + shortID(id) + ")"
	}
	if _, ok := l.Get("am"); ok {
		switch {
		case want.amount != 0 && wire.Paise(l.Paise) != want.amount:
			return "the UPI link's am " + rupees(wire.Paise(l.Paise)) + " is not data.amount " + rupees(want.amount)
		case want.asked > 0 && wire.Paise(l.Paise) != want.asked:
			return "the UPI link's am " + rupees(wire.Paise(l.Paise)) + " is not the amount asked, " + rupees(want.asked)
		}
	}
	if pa, _ := l.Get("pa"); want.upiID != "" && !strings.EqualFold(strings.TrimSpace(pa), want.upiID) {
		return "the UPI link's pa is not data.upi_id"
	}
	return ""
}

// qrLinks are the UPI links in the QR URL s: s itself when it is a upi:
// link, else every piece of it that decodes (percent-decoded up to three
// times) to a upi: link (or an Android intent: link for the upi scheme):
// a query value, a path segment (an image name's
// extension, such as ".png", left out) and the fragment or a value in it.
// A QR image service may take the link in any of them.
func qrLinks(s string) []string {
	s = strings.TrimSpace(s)
	if l, ok := intentLink(s); ok {
		s = l
	}
	if isUPI(s) {
		return []string{s}
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	var links []string
	add := func(v string, image bool) {
		v = strings.TrimSpace(v)
		for i := 0; i < 3 && !isUPI(v) && strings.Contains(v, "%"); i++ {
			if v, err = url.PathUnescape(v); err != nil {
				return
			}
		}
		if l, ok := intentLink(v); ok {
			v = l
		}
		if !isUPI(v) {
			return
		}
		if image {
			v = withoutImageExt(v)
		}
		links = append(links, v)
	}
	q, _ := url.ParseQuery(u.RawQuery) // what parses; a malformed pair is no link
	for _, vals := range q {
		for _, v := range vals {
			add(v, false)
		}
	}
	for seg := range strings.SplitSeq(u.EscapedPath(), "/") {
		add(seg, true)
	}
	if frag := u.EscapedFragment(); frag != "" {
		add(frag, false)
		for pair := range strings.SplitSeq(frag, "&") {
			if _, v, ok := strings.Cut(pair, "="); ok {
				add(v, false)
			}
		}
	}
	return links
}

// intentLink is the upi: link an Android intent: link s opens
// ("intent://pay?…#Intent;scheme=upi;…;end": the same link with the scheme
// its fragment names), and false when s is no intent for the upi scheme.
func intentLink(s string) (string, bool) {
	if !hasPrefixFold(s, "intent:") {
		return "", false
	}
	link, frag, _ := strings.Cut(s[len("intent:"):], "#")
	for part := range strings.SplitSeq(frag, ";") {
		if k, v, ok := strings.Cut(part, "="); ok && strings.EqualFold(strings.TrimSpace(k), "scheme") &&
			strings.EqualFold(strings.TrimSpace(v), "upi") {
			return "upi:" + link, true
		}
	}
	return "", false
}

// withoutImageExt is the link l without the image file extension that a
// QR image URL's path segment ends in.
func withoutImageExt(l string) string {
	for _, ext := range [...]string{".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"} {
		if len(l) > len(ext) && strings.EqualFold(l[len(l)-len(ext):], ext) {
			return l[:len(l)-len(ext)]
		}
	}
	return l
}

// isUPI reports whether s is a upi: link (scheme in any case).
func isUPI(s string) bool { return hasPrefixFold(s, "upi:") }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
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
