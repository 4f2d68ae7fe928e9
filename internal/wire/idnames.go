package wire

import "bytes"

// This file says which member names name an id: the id's folded name, the
// other spellings PHP back ends use for it, and PHP's bracket keys
// (orderid[], data[orderid]) read as PHP reads a field's name.

// namedAs reports whether the quoted member name key, decoded, names the
// id name: it is NamedLike name.
func namedAs(key []byte, name string) bool {
	in := key[1 : len(key)-1]
	if bytes.IndexByte(in, '\\') >= 0 {
		s, _, err := unquote(key)
		return err == nil && namedLike(s, name)
	}
	return namedLike(in, name)
}

// spellings are the other folded names under which PHP back ends write the
// id name: order_no for an order id, transaction_id for a txn id, req_id
// for a request id, bcagentid for an agent id, pan_number for a PAN,
// aadhar for an Aadhaar number… A name that only starts like one (pan_mode,
// aadhaar_details, uid) is none of them.
func spellings(name string) []string {
	switch name {
	case "orderid":
		return orderSpellings
	case "pancard":
		return panSpellings
	case "aadhaar":
		return aadhaarSpellings
	case "txnid":
		return txnSpellings
	case "requestid":
		return requestSpellings
	case "agentid":
		return agentSpellings
	}
	return nil
}

var (
	orderSpellings   = []string{"orderno", "ordernumber", "clientorderid", "merchantorderid"}
	txnSpellings     = []string{"transactionid", "txnno", "txnnumber"}
	requestSpellings = []string{"reqid", "requestno"}
	agentSpellings   = []string{"bcagentid"}
	panSpellings     = []string{"pan", "panno", "pannumber", "pannum", "panid", "pancardno", "pancardnumber", "customerpan", "customerpancard"}
	aadhaarSpellings = []string{
		"aadhaarnumber", "aadhaarno", "aadhaarnum", "aadhaarid", "aadhar", "aadharnumber", "aadharno", "aadharnum",
		"adhaar", "adhaarnumber", "adhaarno", "adhar", "adharnumber", "adharno", "uidnumber", "uidno",
		"maskedaadhaar", "maskedaadhar",
	}
)

// phpBase cuts in where PHP starts the keys of the array it makes of a
// name with '[' and a ']' after it: base is the name (order_id of
// order_id[0], data of data[orderid]), keys the rest from that '[' ("" or
// empty when in has none: base is then all of in, an unmatched '[' in it
// folded out).
func phpBase[T string | []byte](in T) (base, keys T) {
	for i := 0; i < len(in); i++ {
		if in[i] == '[' {
			for k := i + 1; k < len(in); k++ {
				if in[k] == ']' {
					return in[:i], in[i:]
				}
			}
			break
		}
	}
	return in, in[:0]
}

// phpKey reads the first of keys, which starts with '[', as PHP does: the
// text up to the first ']' after it (empty for "[]", which appends). rest
// is the keys after it, empty when no '[' follows its ']' (PHP drops what
// is left) or it has no ']'.
func phpKey[T string | []byte](keys T) (key, rest T) {
	for k := 1; k < len(keys); k++ {
		if keys[k] == ']' {
			if rest = keys[k+1:]; len(rest) == 0 || rest[0] != '[' {
				rest = keys[:0]
			}
			return keys[1:k], rest
		}
	}
	return keys[:0], keys[:0]
}

// firstFolded is the first character of in that foldsBase does not leave
// out, lower-cased (0 for none).
func firstFolded[T string | []byte](in T) byte {
	for i := 0; i < len(in); i++ {
		if !foldedOut(in[i]) {
			return lowerASCII(in[i])
		}
	}
	return 0
}

// foldedOut reports whether folding leaves c out of a name.
func foldedOut(c byte) bool { return c == '_' || c == '-' || c == '.' || c == ' ' || c == '[' }

// foldsBase reports whether in, a name's base or key (phpBase, phpKey),
// is name once its ASCII letters are lower-cased and the characters PHP
// turns into '_' in a field's name (' ', '.', an unmatched '['), '_'
// itself and '-' left out.
func foldsBase[T string | []byte](in T, name string) bool {
	j := 0
	for i := 0; i < len(in); i++ {
		c := in[i]
		if foldedOut(c) {
			continue
		}
		if j >= len(name) || lowerASCII(c) != name[j] {
			return false
		}
		j++
	}
	return j == len(name)
}
