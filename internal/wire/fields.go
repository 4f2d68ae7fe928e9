package wire

import (
	"net/url"
	"slices"
	"strings"
)

// The ids a form (an HTML answer's) names are read as those of a JSON
// answer: from each field whose name folds to the id's name, compared as
// OtherID compares them.

// NamedLike reports whether name, a form field's or query parameter's
// name, is folded (lower-case ASCII letters, "orderid") once its ASCII
// letters are lower-cased and its '_' left out, as OtherID reads a
// member's name: order_id, orderId, ORDER_ID, and the id's other
// spellings (order_no). A name PHP reads as nested keys under a base
// (data[orderid], req[order_id], a[b][orderid]) names the id when its base
// or any of its keys does.
func NamedLike(name, folded string) bool { return namedLike(name, folded) }

// namedLike is NamedLike for a name held as a string or bytes.
func namedLike[T string | []byte](name T, folded string) bool {
	base, keys := phpBase(name)
	if foldsTo(base, folded) {
		return true
	}
	for len(keys) > 0 {
		var key T
		if key, keys = phpKey(keys); len(key) > 0 && foldsTo(key, folded) {
			return true
		}
	}
	return false
}

// foldsTo reports whether in, a name's base or one of its keys, folds
// (foldsBase) to folded or one of its spellings.
func foldsTo[T string | []byte](in T, folded string) bool {
	first := firstFolded(in)
	if first == 0 {
		return false
	}
	if folded[0] == first && foldsBase(in, folded) {
		return true
	}
	for _, s := range spellings(folded) {
		if s[0] == first && foldsBase(in, s) {
			return true
		}
	}
	return false
}

// TrimID returns id, an id an answer names, without the ASCII white space
// around it, which SameID ignores: the id a result returns.
func TrimID(id string) string { return trimASCII(id) }

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
	if len(vals) == 0 || !asked.anySubject() {
		return "", "", "", false
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range vals[k] {
			if what, want, ok := otherParam(k, v, asked); ok {
				return what, want, trimASCII(v), true
			}
		}
	}
	return "", "", "", false
}

// OtherInQuery is OtherInValues over a URL's raw query, read pair by pair
// as written, as url.ParseQuery reads them (a pair that does not decode, or
// whose name has a ';', is left out). It allocates only to decode a pair.
func OtherInQuery(rawQuery string, asked Asked) (what, want, id string, ok bool) {
	if rawQuery == "" || !asked.anySubject() {
		return "", "", "", false
	}
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(pair, "=")
		if strings.IndexByte(k, ';') >= 0 {
			continue
		}
		var err1, err2 error
		if strings.ContainsAny(k, "%+") {
			k, err1 = url.QueryUnescape(k)
		}
		if strings.ContainsAny(v, "%+") {
			v, err2 = url.QueryUnescape(v)
		}
		if err1 != nil || err2 != nil {
			continue
		}
		if what, want, ok := otherParam(k, v, asked); ok {
			return what, want, trimASCII(v), true
		}
	}
	return "", "", "", false
}

// anySubject reports whether a names an order, PAN or Aadhaar number.
func (a Asked) anySubject() bool { return a.OrderID != "" || a.PAN != "" || a.Aadhaar != "" }

// otherParam reports whether the parameter k=v names an order, PAN or
// Aadhaar number other than the one asked: what it names and the id asked.
func otherParam(k, v string, asked Asked) (what, want string, ok bool) {
	v = trimASCII(v)
	if Blank(v) {
		return "", "", false
	}
	switch want := trimASCII(asked.OrderID); {
	case want != "" && NamedLike(k, "orderid"):
		return "order", want, !equalFoldASCII([]byte(v), want)
	}
	switch want := trimASCII(asked.PAN); {
	case want != "" && NamedLike(k, "pancard"):
		return "PAN", want, !maskedOrFolded([]byte(v), want)
	}
	switch want := trimASCII(asked.Aadhaar); {
	case want != "" && NamedLike(k, "aadhaar"):
		return "Aadhaar number", want, !sameAadhaar([]byte(v), want)
	}
	return "", "", false
}
