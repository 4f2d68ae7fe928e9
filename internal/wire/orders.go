package wire

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// orderNames are the member names an answer gives its order id under: the
// API's own order_id, and orderid, the request field's spelling, which PHP
// back ends echo too.
var orderNames = [...]string{"order_id", "orderid"}

// OtherOrder returns the first order id the JSON object body names that is
// not orderID, compared without regard to case, as the API's database does
// (ok is false when every one is orderID). The ids named are each member
// named exactly order_id or orderid, at its top level and in its data
// object, in the order sent: a string trimmed, a number as sent, any other
// value as a short description ("(a JSON object)"), so that it matches no
// order; null and "" name none. body must be valid JSON (Decode checks it
// first). An id equal to orderID costs no allocation.
func OtherOrder(body []byte, orderID string) (id string, ok bool) {
	want := strings.TrimSpace(orderID)
	i := objectStart(body, 0)
	for i >= 0 {
		var key []byte
		if key, i = nextName(body, i); key == nil {
			break
		}
		if nameIs(key, "data") {
			if j := objectStart(body, i); j >= 0 {
				// The data object's members, read in place: the walk
				// then goes on after it.
				if id, ok, i = otherOrderIn(body, j, want); ok {
					return id, true
				}
				continue
			}
		}
		end := skipValue(body, i)
		if id, ok = otherOrder(key, body[i:end], want); ok {
			return id, true
		}
		i = end
	}
	return "", false
}

// otherOrderIn is OtherOrder over the members of the object whose first
// member is at body[i]; next is the index after the object.
func otherOrderIn(body []byte, i int, want string) (id string, ok bool, next int) {
	for {
		var key []byte
		if key, i = nextName(body, i); key == nil {
			return "", false, i
		}
		end := skipValue(body, i)
		if id, ok = otherOrder(key, body[i:end], want); ok {
			return id, true, end
		}
		i = end
	}
}

// otherOrder reports the id of the member key: val when it names an order
// other than want.
func otherOrder(key, val []byte, want string) (string, bool) {
	if !nameIs(key, orderNames[0]) && !nameIs(key, orderNames[1]) {
		return "", false
	}
	val = bytes.TrimSpace(val)
	if len(val) >= 2 && val[0] == '"' && bytes.IndexByte(val[1:len(val)-1], '\\') < 0 {
		// A string without escapes, compared where it lies.
		s := bytes.TrimSpace(val[1 : len(val)-1])
		if len(s) == 0 || equalFold(s, want) {
			return "", false
		}
		return string(s), true
	}
	v := orderValue(val)
	if v == "" || strings.EqualFold(v, want) {
		return "", false
	}
	return v, true
}

// orderValue is the id a member's value val (trimmed, not a string without
// escapes) names; "" for none.
func orderValue(val []byte) string {
	switch {
	case len(val) == 0 || bytes.Equal(val, null):
		return ""
	case val[0] == '"':
		s, _, err := unquote(val)
		if err != nil {
			return "(unreadable string)"
		}
		return strings.TrimSpace(s)
	case val[0] == '-' || val[0] >= '0' && val[0] <= '9':
		return string(val)
	case val[0] == '{' || val[0] == '[':
		return "(a JSON " + kind(val[0]) + ")"
	}
	return "(JSON " + string(val) + ")" // true or false
}

// equalFold is strings.EqualFold for b and s, without a copy of b when
// both are ASCII and of one length.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return strings.EqualFold(string(b), s)
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if x >= utf8.RuneSelf || y >= utf8.RuneSelf {
			return strings.EqualFold(string(b), s)
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// nameIs reports whether the quoted member name key is exactly name.
func nameIs(key []byte, name string) bool {
	in := key[1 : len(key)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		return string(in) == name
	}
	s, _, err := unquote(key)
	return err == nil && s == name
}

// objectStart returns the index after the '{' that opens obj at i, or -1
// when obj holds no object there.
func objectStart(obj []byte, i int) int {
	i = skipSpace(obj, i)
	if i >= len(obj) || obj[i] != '{' {
		return -1
	}
	return i + 1
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
