package wire

import "strconv"

// The ids a form (an HTML answer's) names are read as those of a JSON
// answer: from each field whose name folds to the id's name, compared as
// OtherID compares them.

// NamedLike reports whether name, a form field's or query parameter's
// name, is folded (lower-case ASCII letters, "orderid") once its ASCII
// letters are lower-cased and its '_' left out, as OtherID reads a
// member's name: order_id, orderId, ORDER_ID.
func NamedLike(name, folded string) bool {
	return nameFolds(strconv.AppendQuote(nil, name), folded)
}

// SameID reports whether id names want as OtherID compares ids: ASCII
// letters without regard to case, ASCII white space around either
// ignored, any other character as it is.
func SameID(id, want string) bool {
	return equalFoldASCII([]byte(trimASCII(id)), trimASCII(want))
}
