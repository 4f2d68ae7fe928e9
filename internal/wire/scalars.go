package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Str is a string that also accepts null (as ""), numbers and booleans (as
// their literal text).
type Str string

// UnmarshalJSON implements json.Unmarshaler.
func (s *Str) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*s = ""
		return nil
	}
	v, _, err := unquote(b)
	if err != nil {
		return err
	}
	*s = Str(v)
	return nil
}

// Int is an integer that accepts a JSON number, a numeric string, "" or null
// (as 0). A fraction of zero ("34.0") is accepted; any other fraction is an
// error. A JSON number (not a string) may have an exponent when its value
// is a whole number in range: 2e2 is 200, 4.02e2 is 402, 2e-1 an error.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	if v, _, ok := plain(b); ok {
		if i, ok := plainInt(v); ok {
			*n = Int(i)
			return nil
		}
	}
	return n.slowUnmarshalJSON(b)
}

// slowUnmarshalJSON is the tolerant path of UnmarshalJSON.
func (n *Int) slowUnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*n = 0
		return nil
	}
	v, quoted, err := unquote(b)
	if err != nil {
		return err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		*n = 0
		return nil
	}
	if !quoted && strings.ContainsAny(v, "eE") {
		// A JSON number with an exponent (2e2, 4.02e2) is that number when
		// it is a whole one in range.
		// The exponent is bounded first: big.Rat would build 10^exp.
		exp, eerr := strconv.Atoi(v[strings.IndexAny(v, "eE")+1:])
		if eerr != nil || exp < -40 || exp > 40 {
			return fmt.Errorf("not an integer: %q", truncate(v))
		}
		r, ok := new(big.Rat).SetString(v)
		if !ok || !r.IsInt() || !r.Num().IsInt64() {
			return fmt.Errorf("not an integer: %q", truncate(v))
		}
		*n = Int(r.Num().Int64())
		return nil
	}
	if i := strings.IndexByte(v, '.'); i >= 0 && strings.Trim(v[i+1:], "0") == "" {
		v = v[:i]
	}
	i, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %q", truncate(v))
	}
	*n = Int(i)
	return nil
}

// OptInt is an Int that remembers whether the member was present and not
// null, without the allocation a pointer would cost.
type OptInt struct {
	Val Int
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *OptInt) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*o = OptInt{}
		return nil
	}
	if err := o.Val.UnmarshalJSON(b); err != nil {
		return err
	}
	o.Set = true
	return nil
}

// Bool is a flag decoded best-effort; it never fails, so that a flag the
// SDK cannot read does not throw away an otherwise usable answer. It is true
// for true, a non-zero number (as a number or as text: 1, 2, "1", "-1") and
// the words "true", "yes", "y" and "on" in any case; false for everything
// else: false, 0, "0", "", null, "false", "no", words it does not know,
// objects and arrays.
type Bool bool

// UnmarshalJSON implements json.Unmarshaler; it never returns an error.
func (p *Bool) UnmarshalJSON(b []byte) error {
	if v, _, ok := plain(b); ok {
		if i, ok := plainInt(v); ok {
			*p = i != 0
			return nil
		}
		switch {
		case string(v) == "false" || len(v) == 0 || asciiEqualFold(v, "no"):
			*p = false
			return nil
		case asciiEqualFold(v, "true") || asciiEqualFold(v, "yes") || asciiEqualFold(v, "y") || asciiEqualFold(v, "on"):
			*p = true
			return nil
		}
	}
	return p.slowUnmarshalJSON(b)
}

// asciiEqualFold reports whether v is word (lower-case ASCII) in any case
// of ASCII letters, as strings.ToLower(v) == word would for such v.
func asciiEqualFold(v []byte, word string) bool {
	if len(v) != len(word) {
		return false
	}
	for i, c := range v {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}

// slowUnmarshalJSON is the tolerant path of UnmarshalJSON.
func (p *Bool) slowUnmarshalJSON(b []byte) error {
	*p = false
	if bytes.Equal(b, null) {
		return nil
	}
	v, _, err := unquote(b)
	if err != nil {
		return nil
	}
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "true", "yes", "y", "on":
		*p = true
		return nil
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f != 0 && !math.IsNaN(f) {
		*p = true
	}
	return nil
}

// Text is a string decoded best-effort, for members the caller can do
// without (names, messages, remarks). It never fails: null is "", numbers
// and booleans are their literal text, and an object or array is kept as
// its JSON text, as it came.
type Text string

// UnmarshalJSON implements json.Unmarshaler; it never returns an error.
func (s *Text) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*s = ""
		return nil
	}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		var buf bytes.Buffer
		if json.Compact(&buf, b) == nil {
			*s = Text(buf.String())
		} else {
			*s = Text(b)
		}
		return nil
	}
	v, _, err := unquote(b)
	if err != nil {
		*s = Text(b)
		return nil
	}
	*s = Text(v)
	return nil
}

// LaxInt is an integer decoded best-effort, for numbers the caller can do
// without (record ids, customer ids, codes). It never fails: what Int
// accepts decodes the same, a number with a fraction is cut to its integer
// part, and anything else (text, booleans, objects, out of range) is 0.
type LaxInt int64

// UnmarshalJSON implements json.Unmarshaler; it never returns an error.
func (n *LaxInt) UnmarshalJSON(b []byte) error {
	if v, _, ok := plain(b); ok {
		if i, ok := plainInt(v); ok {
			*n = LaxInt(i)
			return nil
		}
	}
	return n.slowUnmarshalJSON(b)
}

// slowUnmarshalJSON is the tolerant path of UnmarshalJSON.
func (n *LaxInt) slowUnmarshalJSON(b []byte) error {
	var i Int
	if i.UnmarshalJSON(b) == nil {
		*n = LaxInt(i)
		return nil
	}
	*n = 0
	v, _, err := unquote(b)
	if err != nil {
		return nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err == nil && f > math.MinInt64 && f < math.MaxInt64 {
		*n = LaxInt(f)
	}
	return nil
}

// Obj is a JSON object member decoded best-effort: when the member is an
// object it is decoded into V (whose own members decide whether a bad value
// fails the answer) and Set is true; anything else (null, an empty PHP
// array [], text) leaves V zero and Set false without an error.
type Obj[T any] struct {
	V   T
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *Obj[T]) UnmarshalJSON(b []byte) error {
	var zero T
	o.V, o.Set = zero, false
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	if err := json.Unmarshal(b, &o.V); err != nil {
		return err
	}
	o.Set = true
	return nil
}
