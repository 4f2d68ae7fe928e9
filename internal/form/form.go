// Package form encodes the params struct of a call as the API's form, by a plan cached per type.
package form

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/google/go-querystring/query"
)

// formPlan is how a params type is encoded as a form: its string fields, in
// order, with the names and omitempty of their url tags. It stands in for
// go-querystring's reflection over the struct on every call, for the types
// whose encoding it reproduces exactly (pointers to structs of string
// fields whose tags are a name and at most omitempty); go-querystring
// encodes every other type.
type formPlan struct {
	fields []formField
}

type formField struct {
	index     int
	name      string
	omitEmpty bool
}

// formPlans caches the plan of each params type (nil: no plan).
var formPlans sync.Map // reflect.Type → *formPlan

// formPlanOf returns the plan of t, or nil when go-querystring must encode
// it.
func formPlanOf(t reflect.Type) *formPlan {
	if p, ok := formPlans.Load(t); ok {
		return p.(*formPlan)
	}
	p := buildFormPlan(t)
	formPlans.Store(t, p)
	return p
}

func buildFormPlan(t reflect.Type) *formPlan {
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	st := t.Elem()
	p := &formPlan{}
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		if f.Anonymous || f.Type.Kind() != reflect.String {
			return nil
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("url")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts != "" && opts != "omitempty" {
			return nil
		}
		if name == "" {
			name = f.Name
		}
		p.fields = append(p.fields, formField{index: i, name: name, omitEmpty: opts == "omitempty"})
	}
	return p
}

// Encode encodes params as a form, by its type's plan or by
// go-querystring. It fails only where go-querystring fails (a params type
// it cannot encode). The form has room for the credentials.
func Encode(params any) (url.Values, error) {
	if params == nil {
		return make(url.Values, 2), nil
	}
	v := reflect.ValueOf(params)
	p := formPlanOf(v.Type())
	if p == nil || v.IsNil() {
		return query.Values(params)
	}
	s := v.Elem()
	form := make(url.Values, len(p.fields)+2)
	vals := make([]string, len(p.fields))
	for i, f := range p.fields {
		x := s.Field(f.index).String()
		if f.omitEmpty && x == "" {
			continue
		}
		vals[i] = x
		form[f.name] = vals[i : i+1 : i+1]
	}
	return form, nil
}

// Append appends v to dst as url.Values.Encode writes it ("URL
// encoded" form, sorted by key), in one allocation when dst has no room.
func Append(dst []byte, v url.Values) []byte {
	var keysBuf [16]string
	keys, n := keysBuf[:0], 0
	for k, vs := range v {
		keys = append(keys, k)
		for _, x := range vs {
			n += len(k) + len(x) + 2
		}
	}
	slices.Sort(keys)
	dst = slices.Grow(dst, n+n/4)
	start := len(dst)
	for _, k := range keys {
		for _, x := range v[k] {
			if len(dst) > start {
				dst = append(dst, '&')
			}
			dst = appendQueryEscape(dst, k)
			dst = append(dst, '=')
			dst = appendQueryEscape(dst, x)
		}
	}
	return dst
}

// appendQueryEscape appends s escaped as url.QueryEscape escapes it.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// HasPlan reports whether the type t (a params type) is encoded by a
// cached plan rather than by go-querystring.
func HasPlan(t reflect.Type) bool { return formPlanOf(t) != nil }
