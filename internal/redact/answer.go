package redact

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sync"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// Answer masks, in a decoded answer, every secret of the call (set) that
// any of its string members repeats, at any depth and inside raw JSON a
// service decodes later, before a result is built from it: free text
// (message, remark), ids, a trace id, a holder's details and data alike.
// A secret the call sent is never data the caller needs back (they sent
// it), so a result holds and prints its echo masked; an Aadhaar number or
// a PAN keeps its last 4 characters, as the mask shows them.
func Answer(out wire.Headed, set Set) {
	if out == nil || len(set) == 0 {
		return
	}
	redactMembers(reflect.ValueOf(out), set, 0)
}

var (
	strType     = reflect.TypeFor[wire.Str]()
	textType    = reflect.TypeFor[wire.Text]()
	onlyStrType = reflect.TypeFor[wire.OnlyStr]()
	stateType   = reflect.TypeFor[wire.State]()
	idType      = reflect.TypeFor[wire.ID]()
	rawType     = reflect.TypeFor[json.RawMessage]()
)

// redactRawJSON masks the secrets in every string of a JSON document, at
// any depth; numbers keep their exact text. A document that does not parse
// is returned as it is (decoding it will fail anyway).
func redactRawJSON(raw []byte, set Set) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return raw
	}
	changed := false
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			if c := set.clean(x); c != x {
				changed = true
				return c
			}
		}
		return v
	}
	v = walk(v)
	if !changed {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}

func redactMembers(v reflect.Value, set Set, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			redactMembers(v.Elem(), set, depth+1)
		}
	case reflect.Struct:
		for _, m := range membersOf(v.Type()) {
			fv := v.Field(m.index)
			switch m.kind {
			case memberText:
				// Written back only when a secret was masked.
				if text := fv.String(); text != "" {
					if c := set.clean(text); c != text {
						fv.SetString(c)
					}
				}
			case memberRaw:
				// Decoded later, by the service (a member whose shape
				// depends on success): clean it now, as JSON.
				if raw := fv.Bytes(); set.contains(string(raw)) {
					fv.SetBytes(redactRawJSON(raw, set))
				}
			default:
				redactMembers(fv, set, depth+1)
			}
		}
	}
}

// answerMember is a field of an answer type that redactMembers acts on.
type answerMember struct {
	index int
	kind  uint8 // memberText, memberRaw or memberNested
}

const (
	memberText   = iota // a string member (Str, Text, OnlyStr, ID)
	memberRaw           // raw JSON the service decodes later
	memberNested        // a struct or pointer that may hold either
)

// answerMembers caches, per answer type, the fields redactMembers acts on,
// so that a call does not read the struct's fields again.
var answerMembers sync.Map // reflect.Type → []answerMember

func membersOf(t reflect.Type) []answerMember {
	if ms, ok := answerMembers.Load(t); ok {
		return ms.([]answerMember)
	}
	var ms []answerMember
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch {
		case f.Type == strType || f.Type == textType || f.Type == onlyStrType || f.Type == stateType || f.Type == idType:
			ms = append(ms, answerMember{i, memberText})
		case f.Type == rawType:
			ms = append(ms, answerMember{i, memberRaw})
		case f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer:
			ms = append(ms, answerMember{i, memberNested})
		}
	}
	answerMembers.Store(t, ms)
	return ms
}
