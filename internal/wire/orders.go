package wire

import (
	"bytes"
)

// The ids an answer names are read from each member whose name folds
// (ASCII letters in one case, '_' left out) to "orderid" (order_id,
// orderid, orderId, ORDER_ID…), "requestid", "txnid", "agentid", "pancard"
// or "aadhaar", in any object of the answer, at any depth (the top level, data,
// OpenAccount's user, an array's items). PHP back ends echo the request's field under
// whichever spelling they use, and MySQL finds a row by any case of its id:
// every such member must name the id the call asked about.

// Asked is what a call names, that its answer must be about: the order id
// ("" for none), the request id (Aadhaar.VerifyOTP), the PAN
// (NSDLBank.AccountStatus; OpenAccount's customer PAN), the txn id
// (NSDLBank.AccountDetails), the agent id (NSDLBank.OnboardAgent's
// bcagentid) and the Aadhaar number (Aadhaar.SendOTP and VerifyOTP); "" for
// each not asked; and for Wallet.GenerateQR the amount (0 for none).
type Asked struct {
	OrderID, RequestID  string
	PAN, TxnID, Aadhaar string
	AgentID             string
	Paise               Paise
}

// OtherOrder returns the first order id the JSON object body names that
// is not orderID (ok is false when every one is). When orderID is "" (a
// call that names no order, such as Wallet.GenerateQR, whose order the API
// makes) the first order id named is the one every other must be, and asked
// returns it when ok; otherwise asked is orderID trimmed. body must be valid JSON
// (Decode checks it first). See OtherID.
func OtherOrder(body []byte, orderID string) (asked, id string, ok bool) {
	return OtherID(body, "orderid", orderID)
}

// OtherID returns the first id the JSON object body names under a member
// whose name folds to name ("orderid", "requestid") that is not want. Ids
// compare as the API's database compares order ids, which are ASCII:
// ASCII letters without regard to case, ASCII white space around them
// ignored, any other character as it is (so "WALſK1" or "WALSK1\u00a0" is
// not WALSK1). A string is named as sent (trimmed), a number as sent, any
// other value as a short description ("(a JSON object)"), so that it
// matches no id; null and a string with no visible character (" ",
// "\u200b", Blank) name none. When want is "" the first id named
// is the one the others must be (asked). An id equal to want costs no
// allocation.
func OtherID(body []byte, name, want string) (asked, id string, ok bool) {
	w := idWant{s: trimASCII(want)}
	if id, ok, _ = w.walk(body, 0, name, atTop); ok {
		return w.String(), id, true
	}
	return w.s, "", false
}

// idWant is the id every id named must be: s, or, while s is "", b, the
// first id named, where it lies in the body (or "" for none yet).
// same, when set, says whether an id named is s in place of ASCII case
// folding (a masked or spaced PAN or Aadhaar number, subject.go).
type idWant struct {
	s    string
	b    []byte
	same func(x []byte, s string) bool
}

func (w *idWant) String() string {
	if w.s == "" {
		return string(w.b)
	}
	return w.s
}

// is reports whether x is the id w wants; when w wants none yet, x (not
// empty) becomes it.
func (w *idWant) is(x []byte) bool {
	switch {
	case w.s != "" && w.same != nil:
		return w.same(x, w.s)
	case w.s != "":
		return equalFoldASCII(x, w.s)
	case w.b == nil:
		w.b = x
		return true
	}
	return equalFoldASCII(x, string(w.b))
}

// Where walk is: the depth of the JSON value it reads, as far as the trace
// id exemption (below) cares.
const (
	atTop  = iota // the answer itself
	inMeta        // the answer's top-level meta object
	deeper        // anywhere else
)

// walk is OtherID over the JSON value at body[i] (after white space) and
// every object and array nested in it, read in place; at is where the value
// lies (atTop for the answer); next is the index after the value.
func (w *idWant) walk(body []byte, i int, name string, at int) (id string, ok bool, next int) {
	i = skipSpace(body, i)
	if i >= len(body) {
		return "", false, i
	}
	switch body[i] {
	case '{':
		i++
		for {
			var key []byte
			if key, i = nextName(body, i); key == nil {
				return "", false, i
			}
			if at == inMeta && name == "requestid" && namedAs(key, name) {
				i = skipValue(body, i) // the answer's own trace id
				continue
			}
			if !namedAs(key, name) {
				if id, ok, i = w.walk(body, i, name, below(at, key)); ok {
					return id, true, i
				}
				continue
			}
			end := skipValue(body, i)
			if id, ok = w.other(key, body[i:end], name); ok {
				return id, true, end
			}
			i = end
		}
	case '[':
		for i = skipSpace(body, i+1); i < len(body) && body[i] != ']'; {
			if id, ok, i = w.walk(body, i, name, deeper); ok {
				return id, true, i
			}
			if i = skipSpace(body, i); i < len(body) && body[i] == ',' {
				i = skipSpace(body, i+1)
			}
		}
		return "", false, min(i+1, len(body))
	}
	return "", false, skipValue(body, i)
}

// other reports the id of the member key: val when it names an id other
// than the one w wants.
func (w *idWant) other(key, val []byte, name string) (string, bool) {
	if !namedAs(key, name) {
		return "", false
	}
	val = bytes.TrimSpace(val)
	if len(val) >= 2 && val[0] == '"' && bytes.IndexByte(val[1:len(val)-1], '\\') < 0 {
		// A string without escapes, compared where it lies.
		s := trimASCIIBytes(val[1 : len(val)-1])
		if blankBytes(s) || w.is(s) {
			return "", false
		}
		return string(s), true
	}
	v, isID := orderValue(val)
	switch {
	case v == "":
		return "", false
	case !isID:
		return v, true // no id at all: never the one wanted, nor the first one named
	case w.is([]byte(v)):
		return "", false
	}
	return v, true
}

// orderValue is the id a member's value val (trimmed, not a string without
// escapes) names, "" for none; isID is false when val is not text or a
// number, and v then describes it ("(a JSON object)").
func orderValue(val []byte) (v string, isID bool) {
	switch {
	case len(val) == 0 || bytes.Equal(val, null):
		return "", true
	case val[0] == '"':
		s, _, err := unquote(val)
		if err != nil {
			return "(unreadable string)", false
		}
		if Blank(s) {
			return "", true
		}
		return trimASCII(s), true
	case val[0] == '-' || val[0] >= '0' && val[0] <= '9':
		return string(val), true
	case val[0] == '{' || val[0] == '[':
		return "(a JSON " + kind(val[0]) + ")", false
	}
	return "(JSON " + string(val) + ")", false // true or false
}

// blankBytes is Blank for b, with no allocation when b has a visible ASCII
// character.
func blankBytes(b []byte) bool {
	for _, c := range b {
		if c > ' ' && c < 0x7f {
			return false
		}
	}
	return Blank(string(b))
}

// equalFoldASCII reports whether b and s are equal with ASCII letters
// compared without regard to case; every other byte must be equal.
func equalFoldASCII[T string | []byte](b T, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lowerASCII(b[i]) != lowerASCII(s[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isSpaceASCII(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimASCIIBytes removes ASCII white space around b.
func trimASCIIBytes(b []byte) []byte {
	for len(b) > 0 && isSpaceASCII(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpaceASCII(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// trimASCII removes ASCII white space around s.
func trimASCII(s string) string {
	for len(s) > 0 && isSpaceASCII(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpaceASCII(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// below is where the value of the member key of an object at at lies: in
// the top-level meta, whose request_id is the answer's own trace id
// (AadhaarVerification.TraceID), never the request asked; or deeper, where
// a meta's request_id (data.meta.request_id) is checked as any other.
func below(at int, key []byte) int {
	if at != atTop {
		return deeper
	}
	in := key[1 : len(key)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		if string(in) == "meta" {
			return inMeta
		}
		return deeper
	}
	if s, _, err := unquote(key); err == nil && s == "meta" {
		return inMeta
	}
	return deeper
}

// nextName reads the name of the member of a valid JSON object that
// starts at (or after the ',' at) i: its quoted name and the index of its
// value. At the end of the object key is nil and next is the index after
// the object.
func nextName(obj []byte, i int) (key []byte, next int) {
	i = skipSpace(obj, i)
	if i < len(obj) && obj[i] == ',' {
		i = skipSpace(obj, i+1)
	}
	if i >= len(obj) || obj[i] != '"' {
		return nil, min(i+1, len(obj)) // past the '}'
	}
	end := skipString(obj, i)
	key = obj[i:end]
	i = skipSpace(obj, end)
	return key, skipSpace(obj, i+1) // past the ':'
}
