package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// MisspelledMember returns the first member name of the JSON body, at any
// depth, that is not the exact name of a field of out's type (a JSON name,
// or the wire name of an envelope marker) but folds to one, as
// encoding/json folds names ("STATUS", "Balance", "ſtatus" for "status",
// "DATA" for "data"), or that one object gives twice with different values
// (two "order_id"s, two "data" objects); "" when there is none. A
// top-level marker (status, status_code, error_code) given twice under its
// exact name is left to Members.TwoValues, which compares values by
// meaning ("SUCCESS" and true are one value). FoldedFrom tells the two
// cases apart.
//
// PHP reads $r['balance'] by its exact name; encoding/json matches names
// without regard to case (and folds "ſ" to "s"), and of two such members
// both keep the last. An answer with such a member can therefore be read
// two ways, or names two orders, and the SDK must not pick one: its caller
// treats it as unusable.
func MisspelledMember(body []byte, out any) string {
	set := namesOf(reflect.TypeOf(out))
	name, walk := scanNames(body, set)
	if walk {
		return misspelledByWalk(body, set.names)
	}
	return name
}

// FoldedFrom returns the name of a field of out's type (as
// MisspelledMember knows them) that name is a folded spelling of
// ("order_id" for "Order_ID"); "" when name is itself one, or folds to
// none. Of two it folds to, the first in byte order is returned.
func FoldedFrom(name string, out any) string {
	set := namesOf(reflect.TypeOf(out))
	if _, exact := set.names[name]; exact {
		return ""
	}
	of := ""
	for n := range set.names {
		if strings.EqualFold(name, n) && (of == "" || n < of) {
			of = n
		}
	}
	return of
}

// isMarker reports whether name is the exact name of an envelope marker
// whose repeats Members.TwoValues compares by meaning.
func isMarker(name string) bool {
	return name == markerNames[0] || name == markerNames[1] || name == markerNames[2]
}

// misspelledByWalk is MisspelledMember by json.Decoder's tokens: it
// unescapes every name and compares the values of a name given twice.
func misspelledByWalk(body []byte, names map[string]struct{}) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	// For each open container: is it an object, does it expect a name next
	// (in an object, names and values alternate), the name whose value
	// comes next, and the values of the names it has seen (a container
	// value is kept as "{" or "[", which never equals another).
	type level struct {
		object, wantName bool
		name             string
		seen             map[string]string
	}
	var stack []*level
	const container = "\x00container"
	// valueRead records the value v of the pending name of the innermost
	// object, and reports the name when the object gave it before with
	// another value.
	valueRead := func(v string) string {
		n := len(stack)
		if n == 0 || !stack[n-1].object {
			return ""
		}
		l := stack[n-1]
		l.wantName = true
		if n == 1 && isMarker(l.name) {
			return "" // Members.TwoValues judges a top-level marker given twice
		}
		if l.seen == nil {
			l.seen = map[string]string{}
		}
		if prev, dup := l.seen[l.name]; dup && (prev != v || v == container) {
			return l.name
		}
		l.seen[l.name] = v
		return ""
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if name := valueRead(container); name != "" {
					return name
				}
				stack = append(stack, &level{object: t == '{', wantName: t == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantName {
				stack[n-1].wantName, stack[n-1].name = false, t
				if _, exact := names[t]; !exact {
					for name := range names {
						if bytes.EqualFold([]byte(t), []byte(name)) {
							return t
						}
					}
				}
				continue
			}
			if name := valueRead("s:" + t); name != "" {
				return name
			}
		default:
			if name := valueRead(fmt.Sprint(t)); name != "" {
				return name
			}
		}
	}
}

// scanNames is MisspelledMember's pass over the bytes of a valid JSON
// body, which spares the usual answer the token walk: it finds each member
// name (a string followed by ':'), checks it against names, and keeps the
// names of every open object to find one given twice in the same object.
// It returns the first name that folds to one of names; walk is set when
// it cannot tell alone: a name with an escape or a non-ASCII byte (which
// encoding/json may fold: "ſ", the Kelvin sign), a name given twice in one
// object (the walk compares the values), or more open names than it keeps.
// Values are skipped, so it allocates nothing.
func scanNames(body []byte, set *nameSet) (name string, walk bool) {
	type open struct {
		depth int
		name  []byte
	}
	var seen [64]open
	n, depth := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '{', '[':
			depth++
			continue
		case '}', ']':
			for n > 0 && seen[n-1].depth == depth {
				n--
			}
			depth--
			continue
		case '"':
		default:
			continue
		}
		start := i + 1
		upper := false
		for i++; i < len(body) && body[i] != '"'; i++ {
			switch c := body[i]; {
			case c == '\\':
				i++
			case c >= 'A' && c <= 'Z':
				upper = true
			}
		}
		key := body[start:min(i, len(body))]
		j := i + 1
		for j < len(body) && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r' || body[j] == '\n') {
			j++
		}
		if j >= len(body) || body[j] != ':' {
			continue
		}
		for _, c := range key {
			if c >= 0x80 || c == '\\' {
				return "", true
			}
		}
		// A lower-case ASCII name folds to no name of a type whose names are
		// lower-case ASCII too: only the others are looked up.
		if upper || set.folds {
			if _, exact := set.names[string(key)]; !exact {
				for name := range set.names {
					if bytes.EqualFold(key, []byte(name)) {
						return string(key), false
					}
				}
			}
		}
		for k := n - 1; k >= 0 && seen[k].depth == depth; k-- {
			if bytes.Equal(seen[k].name, key) {
				return "", true
			}
		}
		if n == len(seen) {
			return "", true
		}
		seen[n] = open{depth: depth, name: key}
		n++
	}
	return "", false
}

// nameSet is the JSON names of a type's fields (fieldNames); folds is set
// when one of them has an upper-case or non-ASCII letter, which a
// lower-case ASCII name may fold to.
type nameSet struct {
	names map[string]struct{}
	folds bool
}

var fieldNameCache sync.Map // reflect.Type → *nameSet

// namesOf returns the names of t's fields (fieldNames), computed once per
// type.
func namesOf(t reflect.Type) *nameSet {
	if s, ok := fieldNameCache.Load(t); ok {
		return s.(*nameSet)
	}
	s := &nameSet{names: fieldNames(t)}
	for name := range s.names {
		for _, c := range []byte(name) {
			s.folds = s.folds || c >= 'A' && c <= 'Z' || c >= 0x80
		}
	}
	fieldNameCache.Store(t, s)
	return s
}

// fieldNames returns the JSON names of every struct field reachable from t
// (through pointers, slices, arrays, maps and embedded structs), the names
// encoding/json binds members to.
func fieldNames(t reflect.Type) map[string]struct{} {
	names := map[string]struct{}{}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := cutComma(tag)
			switch {
			case name == "-":
				// The envelope's markers are read by their exact names (their
				// wire tag): a folded twin of one is misspelled too.
				if w := f.Tag.Get("wire"); w != "" && f.IsExported() {
					names[w] = struct{}{}
				}
				continue
			case f.Anonymous && name == "":
				walk(f.Type)
				continue
			case name == "":
				name = f.Name
			}
			if f.IsExported() {
				names[name] = struct{}{}
			}
			walk(f.Type)
		}
	}
	walk(t)
	return names
}

func cutComma(s string) (string, string, bool) {
	if i := bytes.IndexByte([]byte(s), ','); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
