package redact

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// answerTextMembers are the JSON members of an answer that hold free text
// the API wrote, which may echo what the request sent.
var answerTextMembers = map[string]bool{"message": true, "remark": true, "response": true}

// Answer masks, in a decoded answer, every secret of the call (set)
// that the API's free text (message, remark) repeats, and the API key
// wherever it appears, before a result is built from it. Other values the API returns as
// data (a PAN it looked up, an id) are kept: results mask those when
// printed.
func Answer(out wire.Headed, set Set) {
	if out == nil || len(set) == 0 {
		return
	}
	redactMembers(reflect.ValueOf(out), set, set.keys(), 0)
}

// keys is the part of set that no answer holds as data: the API key (a PAN
// or an Aadhaar number may be an answer's data, the key never is), masked
// in every member of an answer, not only in its free text.
func (set Set) keys() Set {
	all := true
	for _, sec := range set {
		all = all && sec.kind == secretText
	}
	if all {
		return set
	}
	var ks Set
	for _, sec := range set {
		if sec.kind == secretText {
			ks = append(ks, sec)
		}
	}
	return ks
}

var (
	strType     = reflect.TypeFor[wire.Str]()
	textType    = reflect.TypeFor[wire.Text]()
	onlyStrType = reflect.TypeFor[wire.OnlyStr]()
	stateType   = reflect.TypeFor[wire.State]()
	idType      = reflect.TypeFor[wire.ID]()
	rawType     = reflect.TypeFor[json.RawMessage]()
)

// redactRawJSON masks the secrets in the free-text members of a JSON
// document, at any depth; numbers keep their exact text. A document that
// does not parse is returned as it is (decoding it will fail anyway).
func redactRawJSON(raw []byte, set Set) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return raw
	}
	changed, keys := false, set.keys()
	var walk func(v any, member string) any
	walk = func(v any, member string) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e, k)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e, member)
			}
		case string:
			clean := keys
			if answerTextMembers[member] {
				clean = set
			}
			if c := clean.clean(x); c != x {
				changed = true
				return c
			}
		}
		return v
	}
	v = walk(v, "")
	if !changed {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}

// textMembersHoldSecret reports whether a string value of a free-text
// member of a JSON document (found by a scan for its name, without
// decoding) may hold a secret. Data members, such as the PAN an account
// lookup returns, do not count.
func textMembersHoldSecret(raw []byte, set Set) bool {
	for m := range answerTextMembers {
		name := `"` + m + `"`
		for rest := raw; ; {
			i := bytes.Index(rest, []byte(name))
			if i < 0 {
				break
			}
			rest = rest[i+len(name):]
			v := bytes.TrimLeft(rest, " \t\r\n")
			if len(v) == 0 || v[0] != ':' {
				continue
			}
			v = bytes.TrimLeft(v[1:], " \t\r\n")
			if len(v) == 0 || v[0] != '"' {
				continue
			}
			end := 1
			for end < len(v) && v[end] != '"' {
				if v[end] == '\\' {
					end++
				}
				end++
			}
			if set.contains(string(v[1:min(end, len(v))])) {
				return true
			}
		}
	}
	return false
}

func redactMembers(v reflect.Value, set, keys Set, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			redactMembers(v.Elem(), set, keys, depth+1)
		}
	case reflect.Struct:
		for _, m := range membersOf(v.Type()) {
			fv := v.Field(m.index)
			switch m.kind {
			case memberText, memberData:
				// Written back only when a secret was masked.
				cs := set
				if m.kind == memberData {
					cs = keys
				}
				if v := fv.String(); v != "" {
					if c := cs.clean(v); c != v {
						fv.SetString(c)
					}
				}
			case memberRaw:
				// Decoded later, by the service (a member whose shape
				// depends on success): clean it now, as JSON.
				if raw := fv.Bytes(); textMembersHoldSecret(raw, set) || keys.contains(string(raw)) {
					fv.SetBytes(redactRawJSON(raw, set))
				}
			default:
				redactMembers(fv, set, keys, depth+1)
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
	memberText   = iota // a free-text member (message, remark, response)
	memberData          // any other text member: only the key is masked
	memberRaw           // raw JSON the service decodes later
	memberNested        // a struct or pointer that may hold either
)

// answerMembers caches, per answer type, the fields redactMembers acts on,
// so that a call does not read struct tags again.
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
		name := f.Tag.Get("wire") // the envelope's members, which encoding/json skips
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("json"), ",")
		}
		isText := f.Type == strType || f.Type == textType || f.Type == onlyStrType || f.Type == stateType || f.Type == idType
		switch {
		case isText && answerTextMembers[name]:
			ms = append(ms, answerMember{i, memberText})
		case isText:
			ms = append(ms, answerMember{i, memberData})
		case f.Type == rawType:
			ms = append(ms, answerMember{i, memberRaw})
		case f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer:
			ms = append(ms, answerMember{i, memberNested})
		}
	}
	answerMembers.Store(t, ms)
	return ms
}
