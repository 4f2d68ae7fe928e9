package redact

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
)

// Keep replaces all but the last keep characters of s with X.
func Keep(s string, keep int) string {
	if s == "" {
		return ""
	}
	if len(s) <= keep {
		return strings.Repeat("X", len(s))
	}
	return strings.Repeat("X", len(s)-keep) + s[len(s)-keep:]
}

// OTP hides an OTP whole.
func OTP(otp string) string {
	if otp == "" {
		return ""
	}
	return redactedText
}

// The masking of printed values is one mechanism for every type that holds
// a secret or personal data: each such field carries a struct tag
//
//	mask:"aadhaar"   an Aadhaar number: all but the last 4 digits become X
//	mask:"pan"       a PAN: all but the last 4 characters become X
//	mask:"mobile"    a mobile number: all but the last 4 digits become X
//	mask:"id"        an id that works as a credential (an OTP request id):
//	                 all but the last 4 characters become X
//	mask:"otp"       an OTP: shown as [REDACTED]
//	mask:"url"       a URL whose query may carry a session token: its
//	                 query is shown as [REDACTED], as RedirectForm does
//	mask:"text"      free text: kept, with runs that look like an Aadhaar
//	                 number, a mobile or a PAN keeping their last 4
//	mask:"personal"  personal data (a name, a date of birth, an address) or
//	                 a value of any other type: shown as [REDACTED]
//
// and the type has two one-line methods that hand themselves to
// maskedFormat and maskedLogValue:
//
//	func (p T) Format(s fmt.State, verb rune) { maskedFormat(s, verb, p) }
//	func (p T) LogValue() slog.Value          { return maskedLogValue(p) }
//
// so that every fmt verb (%v, %+v, %#v, %s, %q, %x, %d …), fmt.Sprint and
// every slog handler print it masked, while the fields keep their values
// for the program. Masking a new field is adding its tag;
// TestEverySecretBearingTypeIsMasked fails for a type that holds a
// secret-named or tagged field (or a masked type) and lacks the methods. An
// empty value prints as empty, so that a reader can tell "not set" from
// "hidden".

// maskKinds maps a mask tag to how a string is masked.
var maskKinds = map[string]func(string) string{
	"aadhaar":  keep4,
	"pan":      keep4,
	"mobile":   keep4,
	"id":       func(s string) string { return Keep(s, 4) },
	"otp":      OTP,
	"url":      Query,
	"personal": OTP,
	"text":     FreeText,
}

// maskedField is how one field of a struct type prints.
type maskedField struct {
	index int
	name  string
	// mask is nil for a field printed as it is.
	mask func(string) string
}

var maskedFieldsCache sync.Map // reflect.Type -> []maskedField

// maskedFields returns the exported fields of struct type t and their masks.
func maskedFields(t reflect.Type) []maskedField {
	if f, ok := maskedFieldsCache.Load(t); ok {
		return f.([]maskedField)
	}
	var out []maskedField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		mf := maskedField{index: i, name: f.Name}
		if kind, ok := f.Tag.Lookup("mask"); ok {
			if m, known := maskKinds[kind]; known && f.Type.Kind() == reflect.String {
				mf.mask = m
			} else {
				mf.mask = OTP // unknown kind or not a string: hidden whole
			}
		}
		out = append(out, mf)
	}
	f, _ := maskedFieldsCache.LoadOrStore(t, out)
	return f.([]maskedField)
}

// maskedFieldValues calls fn with each exported field of the struct v,
// masked by its tag: a masked field comes as a string, any other as its
// value.
func maskedFieldValues(v reflect.Value, fn func(name string, masked bool, val any)) {
	for _, f := range maskedFields(v.Type()) {
		fv := v.Field(f.index)
		switch {
		case f.mask == nil:
			fn(f.name, false, fv.Interface())
		case fv.Kind() == reflect.String:
			fn(f.name, true, f.mask(fv.String()))
		case fv.IsZero():
			fn(f.name, false, fv.Interface())
		default:
			fn(f.name, true, redactedText)
		}
	}
}

// structOf returns the struct v holds (through pointers), or false.
func structOf(v any) (reflect.Value, bool) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return rv, false
		}
		rv = rv.Elem()
	}
	return rv, rv.Kind() == reflect.Struct
}

// Format prints v for the verb in s: %#v in Go syntax
// (maskedGoString), any other verb as maskedText formatted with that verb
// and its flags, so that no verb reaches the fields themselves.
func Format(s fmt.State, verb rune, v any) {
	if verb == 'v' && s.Flag('#') {
		_, _ = io.WriteString(s, Text(v, true))
		return
	}
	_, _ = fmt.Fprintf(s, fmt.FormatString(s, verb), Text(v, false))
}

// Text prints a struct value with every field tagged mask masked: as
// %+v does after its type name ("SendOTPParams{OrderID:A1
// AadhaarNumber:XXXXXXXX0124}"), or, with goSyntax, as %#v does
// ("inexopay.SendOTPParams{OrderID:"A1", AadhaarNumber:"XXXXXXXX0124"}").
func Text(v any, goSyntax bool) string {
	name, sep, verb := "", " ", "%+v"
	if goSyntax {
		sep, verb = ", ", "%#v"
	}
	rv, ok := structOf(v)
	if !ok {
		return fmt.Sprintf(verb, v)
	}
	if name = rv.Type().Name(); goSyntax {
		name = rv.Type().String()
	}
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	first := true
	maskedFieldValues(rv, func(name string, _ bool, val any) {
		if !first {
			b.WriteString(sep)
		}
		first = false
		b.WriteString(name)
		b.WriteByte(':')
		fmt.Fprintf(&b, verb, val)
	})
	b.WriteByte('}')
	return b.String()
}

// LogValue returns a struct value as a slog group of its fields, with
// every field tagged mask masked. A field whose type is masked too logs
// through its own LogValue.
func LogValue(v any) slog.Value {
	rv, ok := structOf(v)
	if !ok {
		return slog.AnyValue(v)
	}
	attrs := make([]slog.Attr, 0, rv.NumField())
	maskedFieldValues(rv, func(name string, masked bool, val any) {
		if masked {
			attrs = append(attrs, slog.String(name, val.(string)))
			return
		}
		if rv := reflect.ValueOf(val); rv.Kind() == reflect.Pointer && rv.IsNil() {
			// A nil pointer to a type with value-receiver methods (such as
			// a *RedirectForm) would panic in slog's Resolve.
			attrs = append(attrs, slog.Any(name, nil))
			return
		}
		attrs = append(attrs, slog.Any(name, val))
	})
	return slog.GroupValue(attrs...)
}

// keep4 masks all but the last 4 characters, as the public Mask functions do.
func keep4(s string) string { return Keep(s, 4) }

// Query returns a URL for printing with every place a token may
// travel in masked: the query and the fragment (each replaced whole by
// [REDACTED]), the userinfo's password (or the whole userinfo when it has
// none: "https://TOKEN@host"), and the value of every name=value in the
// path (";jsessionid=", "&signcs=", an escaped "%3Fsigncs="). It works on
// the text, so that a URL that does not parse is masked too; the value the
// program holds is not changed.
func Query(s string) string {
	const red = "[REDACTED]"
	var frag, query string
	hasFrag, hasQuery := false, false
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s, frag, hasFrag = s[:i], s[i+1:], true
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s, query, hasQuery = s[:i], s[i+1:], true
	}
	var b strings.Builder
	rest := s
	if i := strings.Index(rest, "://"); i >= 0 {
		b.WriteString(rest[:i+3])
		rest = rest[i+3:]
		authority := rest
		if j := strings.IndexAny(rest, "/\\"); j >= 0 {
			authority = rest[:j]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			if user, _, ok := strings.Cut(authority[:at], ":"); ok {
				b.WriteString(user + ":" + red)
			} else {
				b.WriteString(red)
			}
			rest = rest[at:]
		}
	}
	// name=value in the path: mask each value up to the next separator.
	for {
		i := strings.IndexByte(rest, '=')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i+1])
		rest = rest[i+1:]
		end := strings.IndexAny(rest, "/;&,")
		if end < 0 {
			end = len(rest)
		}
		if end > 0 {
			b.WriteString(red)
		}
		rest = rest[end:]
	}
	if hasQuery {
		b.WriteString("?")
		if query != "" {
			b.WriteString(red)
		}
	}
	if hasFrag {
		b.WriteString("#")
		if frag != "" {
			b.WriteString(red)
		}
	}
	return b.String()
}

// KnownMask reports whether kind is a mask tag value this package knows
// (`mask:"aadhaar"` and the like).
func KnownMask(kind string) bool { _, ok := maskKinds[kind]; return ok }
