package redact

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
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

// AbsentFrom reports that no member Answer masks can hold a secret of set
// once decoded from body, a JSON answer, so that Answer would change
// nothing. It holds when every secret is one that plain text spells only
// with ASCII separators or none between its characters (secret.plain: the
// API key or a secret header, not an Aadhaar number, OTP or PAN, which
// other scripts may spell), none has a character of JSON's structure
// ({}[],:" or white space), and body is an object in such text (ASCII
// without escapes: see plainText) that holds no secret so (plainHolds).
// Every string member is then a piece of body (a string's inside, a
// number's or literal's text as the lax types keep it, raw JSON), or such a
// piece with the white space between its tokens removed (Text of an object
// or array, compacted): that removal only takes separators out, and
// plainHolds finds a secret with any number of them.
func (set Set) AbsentFrom(body []byte) bool {
	if len(set) == 0 {
		return true
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return false
	}
	for _, sec := range set {
		if strings.ContainsAny(sec.plainNorm, "{}[],:\" \t\r\n") {
			return false
		}
	}
	return plainMissIn(set, body, bytes.IndexByte)
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
