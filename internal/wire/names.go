package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
)

// MisspelledMember returns the first member name of the JSON body, at any
// depth, that is not the exact name of a field of out's type (a JSON name,
// or the wire name of an envelope marker) but folds to one, as
// encoding/json folds names ("STATUS", "Balance", "ſtatus" for "status",
// "DATA" for "data"), or that one object gives twice with different values
// (two "order_id"s, two "data" objects); "" when there is none.
//
// PHP reads $r['balance'] by its exact name; encoding/json matches names
// without regard to case (and folds "ſ" to "s"), and of two such members
// both keep the last. An answer with such a member can therefore be read
// two ways, or names two orders, and the SDK must not pick one: its caller
// treats it as unusable.
func MisspelledMember(body []byte, out any) string {
	names := fieldNames(reflect.TypeOf(out))
	if !mayFold(body) {
		return ""
	}
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

// mayFold reports whether body needs the member walk: a member name (a
// string followed by ":") could fold to another name (it has an
// upper-case ASCII letter, a non-ASCII byte, since encoding/json folds "ſ"
// to "s" and the Kelvin sign to "k", or an escape), or a name occurs twice
// (at any depth; the walk tells whether in one object). Values are
// skipped, so the usual answer is checked without decoding or allocating.
func mayFold(body []byte) bool {
	var seen [48][]byte
	n := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		start := i + 1
		for i++; i < len(body) && body[i] != '"'; i++ {
			if body[i] == '\\' {
				i++
			}
		}
		name := body[start:min(i, len(body))]
		j := i + 1
		for j < len(body) && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r' || body[j] == '\n') {
			j++
		}
		if j >= len(body) || body[j] != ':' {
			continue
		}
		for _, c := range name {
			if c >= 'A' && c <= 'Z' || c >= 0x80 || c == '\\' {
				return true
			}
		}
		if n == len(seen) {
			return true
		}
		for _, prev := range seen[:n] {
			if bytes.Equal(prev, name) {
				return true
			}
		}
		seen[n] = name
		n++
	}
	return false
}

var fieldNameCache sync.Map // reflect.Type → map[string]struct{}

// fieldNames returns the JSON names of every struct field reachable from t
// (through pointers, slices, arrays, maps and embedded structs), the names
// encoding/json binds members to.
func fieldNames(t reflect.Type) map[string]struct{} {
	if m, ok := fieldNameCache.Load(t); ok {
		return m.(map[string]struct{})
	}
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
	fieldNameCache.Store(t, names)
	return names
}

func cutComma(s string) (string, string, bool) {
	if i := bytes.IndexByte([]byte(s), ','); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
