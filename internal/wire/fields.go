package wire

import (
	"net/url"
	"slices"
	"strconv"
)

// The ids a form (an HTML answer's) names are read as those of a JSON
// answer: from each field whose name folds to the id's name, compared as
// OtherID compares them.

// NamedLike reports whether name, a form field's or query parameter's
// name, is folded (lower-case ASCII letters, "orderid") once its ASCII
// letters are lower-cased and its '_' left out, as OtherID reads a
// member's name: order_id, orderId, ORDER_ID, and the id's other
// spellings (order_no).
func NamedLike(name, folded string) bool {
	return namedAs(strconv.AppendQuote(nil, name), folded)
}

// SameID reports whether id names want as OtherID compares ids: ASCII
// letters without regard to case, ASCII white space around either
// ignored, any other character as it is.
func SameID(id, want string) bool {
	return equalFoldASCII([]byte(trimASCII(id)), trimASCII(want))
}

// OtherInValues returns the first id that vals, a form's fields or a URL's
// query, names that is not the one asked: what ("order", "PAN", "Aadhaar
// number"), the id asked and the id named. Parameters are read in name
// order; an id is named by a parameter whose name is NamedLike its folded
// name or a spelling of it (order_no, pan_number, aadhar), and compared as
// a JSON answer's are (a PAN or Aadhaar number masked to its last 4 is the
// one asked). A blank value names none; an id not asked is not checked.
func OtherInValues(vals url.Values, asked Asked) (what, want, id string, ok bool) {
	if len(vals) == 0 {
		return "", "", "", false
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, c := range [...]struct {
		what, name, want string
		same             func([]byte, string) bool
	}{
		{"order", "orderid", asked.OrderID, nil},
		{"PAN", "pancard", asked.PAN, maskedOrFolded},
		{"Aadhaar number", "aadhaar", asked.Aadhaar, sameAadhaar},
	} {
		want := trimASCII(c.want)
		if want == "" {
			continue
		}
		for _, k := range names {
			if !NamedLike(k, c.name) {
				continue
			}
			for _, v := range vals[k] {
				v = trimASCII(v)
				if Blank(v) {
					continue
				}
				if c.same == nil && !equalFoldASCII([]byte(v), want) || c.same != nil && !c.same([]byte(v), want) {
					return c.what, want, v, true
				}
			}
		}
	}
	return "", "", "", false
}
