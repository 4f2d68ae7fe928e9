package answer

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// carriesMustHaves reports whether body, a JSON object that the call's
// answer type (out's) did not decode because a member has an unexpected
// type, carries every must-have member of that type all the same: each
// member is read on its own into a fresh value, and one that does not
// decode is skipped. A failure marker beside the members a done call
// returns does not prove that nothing was done (row 7), whatever type some
// other member has. A must-have of an unexpected type is not carried (an
// NSDL refusal's data object is no OpenAccount URL).
func carriesMustHaves(body []byte, out wire.Headed) bool {
	if _, ok := out.(wire.MustHaver); !ok {
		return false
	}
	fresh := reflect.New(reflect.TypeOf(out).Elem())
	readEachMember(body, fresh.Elem())
	return fresh.Interface().(wire.MustHaver).Missing() == ""
}

// readEachMember decodes the members of the JSON object raw into the
// struct v one by one, by their exact json names (as PHP reads them), an
// embedded struct's as v's own; a
// member that does not decode is read member by member when it is an
// object for a pointer to a struct, and else left out.
func readEachMember(raw []byte, v reflect.Value) {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct && f.IsExported() {
			readEachMember(raw, v.Field(i)) // its members are the object's, as encoding/json reads them
			continue
		}
		val, ok := members[name]
		if name == "" || name == "-" || !ok || !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if json.Unmarshal(val, fv.Addr().Interface()) == nil {
			continue
		}
		fv.Set(reflect.Zero(f.Type))
		if ft := f.Type; ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct &&
			bytes.HasPrefix(bytes.TrimSpace(val), []byte("{")) {
			fv.Set(reflect.New(ft.Elem()))
			readEachMember(val, fv.Elem())
		}
	}
}
