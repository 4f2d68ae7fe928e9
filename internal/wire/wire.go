// Package wire holds the JSON shapes the INEXOPAY API sends and the tolerant
// scalar decoders that PHP back ends need: numbers that arrive as strings,
// null for empty strings, 0/1 for booleans and three timestamp forms.
//
// Two kinds of decoders: strict ones (Str, Int, Paise, Status) for what a
// caller cannot do without, which fail the answer when they cannot read a
// value, and best-effort ones (Text, LaxInt, Bool, Time, Obj) for
// everything else, which never fail.
//
// Nothing here is part of the public API of the SDK; the root package turns
// these shapes into its own clean types.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

var null = []byte("null")

// unquote returns the contents of a JSON string token, or the raw token for
// numbers and literals. ok is false for objects and arrays.
func unquote(b []byte) (s string, quoted bool, err error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", false, errors.New("empty value")
	}
	switch b[0] {
	case '"':
		// Fast path: a well-formed string without escapes.
		if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
			return string(b[1 : len(b)-1]), true, nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return "", false, err
		}
		return v, true, nil
	case '{', '[':
		return "", false, fmt.Errorf("unexpected JSON %s", kind(b[0]))
	}
	return string(b), false, nil
}

// plain returns a scalar token that needs no decoding, without a copy: the
// inside of a string without escapes, or a number or literal as it is.
// ok is false for a string with escapes, an object, an array or nothing;
// the tolerant paths read those.
func plain(b []byte) (v []byte, quoted, ok bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, false, false
	}
	switch b[0] {
	case '"':
		if len(b) < 2 || b[len(b)-1] != '"' {
			return nil, false, false
		}
		in := b[1 : len(b)-1]
		if bytes.IndexByte(in, '\\') >= 0 || bytes.IndexByte(in, '"') >= 0 {
			return nil, false, false
		}
		return in, true, true
	case '{', '[':
		return nil, false, false
	}
	return b, false, true
}

// plainInt reads v as Int does when it is at most 18 digits, with an
// optional "-" and an optional fraction of zeros ("34.00"); ok is false
// for anything else, which the tolerant path reads.
func plainInt(v []byte) (n int64, ok bool) {
	neg := len(v) > 0 && v[0] == '-'
	if neg {
		v = v[1:]
	}
	if i := bytes.IndexByte(v, '.'); i >= 0 {
		for _, c := range v[i+1:] {
			if c != '0' {
				return 0, false
			}
		}
		v = v[:i]
	}
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func kind(c byte) string {
	if c == '{' {
		return "object"
	}
	return "array"
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
