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
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/ist"
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

func kind(c byte) string {
	if c == '{' {
		return "object"
	}
	return "array"
}

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

// Time accepts RFC 3339 timestamps with or without fractions
// ("2026-05-04T10:00:00.000000Z", "2025-01-15T10:30:00+00:00") and zone-less
// "2025-01-15 10:30:00" or "2025-01-15T10:30:00", which are IST. "", null and
// the MySQL zero date are the zero time. It is decoded best-effort and never
// fails: a value that is not one of these forms is the zero time too, so
// that a timestamp the SDK cannot read does not throw away the answer.
type Time time.Time

// UnmarshalJSON implements json.Unmarshaler; it never returns an error.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	if bytes.Equal(b, null) {
		return nil
	}
	v, quoted, err := unquote(b)
	if err != nil || !quoted {
		return nil
	}
	if tt, err := ParseTime(v); err == nil {
		*t = Time(tt)
	}
	return nil
}

// ParseTime parses the timestamp forms INEXOPAY sends; see Time.
func ParseTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "0000-00-00") {
		return time.Time{}, nil
	}
	if len(v) >= 19 && (v[10] == 'T' || v[10] == 't') && len(v) > 19 && hasZone(v[19:]) {
		tt, err := time.Parse(time.RFC3339Nano, v)
		if err == nil {
			return tt, nil
		}
	}
	// Zone-less forms are IST.
	for _, layout := range [...]string{ist.Layout, "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if tt, err := time.ParseInLocation(layout, v, ist.Zone); err == nil {
			return tt, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", truncate(v))
}

func hasZone(rest string) bool {
	return strings.ContainsAny(rest, "Zz+-")
}

// Status is the envelope's "status" member, which is a boolean on the NSDL
// bank endpoints and a string ("SUCCESS", "FAILED", "success") elsewhere.
type Status struct {
	Set    bool
	IsBool bool
	Bool   bool
	Text   string
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Status) UnmarshalJSON(b []byte) error {
	*s = Status{}
	if bytes.Equal(b, null) {
		return nil
	}
	v, quoted, err := unquote(b)
	if err != nil {
		return err
	}
	s.Set = true
	if !quoted && (v == "true" || v == "false") {
		s.IsBool, s.Bool = true, v == "true"
		return nil
	}
	if !quoted && (v == "1" || v == "0") {
		s.IsBool, s.Bool = true, v == "1"
		return nil
	}
	s.Text = v
	return nil
}

// Failed reports whether the status member itself says the call failed.
func (s Status) Failed() bool {
	if !s.Set {
		return false
	}
	if s.IsBool {
		return !s.Bool
	}
	switch strings.ToUpper(strings.TrimSpace(s.Text)) {
	case "FAILED", "FAILURE", "FAIL", "ERROR", "FALSE", "0":
		return true
	}
	return false
}

// String returns the status as the API sent it.
func (s Status) String() string {
	if s.IsBool {
		return strconv.FormatBool(s.Bool)
	}
	return s.Text
}

// Envelope holds the members every INEXOPAY answer may carry, whatever its
// shape: a status_code or error_code with a string status, or a boolean
// status. Its members are read by their exact names (ParseEnvelope,
// ReadMembers), never by encoding/json's case-insensitive matching, so a
// struct decode of an answer type leaves them zero. The wire tag names the
// member for code that reads tags (the root package's redaction).
type Envelope struct {
	StatusCode OptInt `json:"-" wire:"status_code"`
	ErrorCode  OptInt `json:"-" wire:"error_code"`
	Status     Status `json:"-" wire:"status"`
	Message    Text   `json:"-" wire:"message"`
}

// ParseEnvelope reads the envelope of the JSON object body by exact
// member names (the first of two with one name). It fails for a body that
// is not one JSON object, or a marker whose value cannot be read.
func ParseEnvelope(body []byte) (Envelope, error) {
	m, err := ReadMembers(body)
	if err != nil {
		return Envelope{}, err
	}
	return m.Envelope()
}

// Code returns the numeric code in the body (status_code, else error_code)
// and whether there was one.
func (e *Envelope) Code() (int, bool) {
	if e.StatusCode.Set {
		return int(e.StatusCode.Val), true
	}
	if e.ErrorCode.Set {
		return int(e.ErrorCode.Val), true
	}
	return 0, false
}

// Failed reports whether the body describes a failure.
func (e *Envelope) Failed() bool {
	if c, ok := e.Code(); ok && (c < 200 || c > 299) {
		return true
	}
	return e.Status.Failed()
}

// ErrorData is the "data" member of an NSDL "Record Not Found" answer.
type ErrorData struct {
	Response Str `json:"response"`
	RespCode Str `json:"respcode"`
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// Head returns the envelope itself; every answer type embeds Envelope, so
// each of them has Head.
func (e *Envelope) Head() *Envelope { return e }

// Headed is implemented by every answer type.
type Headed interface{ Head() *Envelope }

// Failure is the shape of any failed answer: the envelope and a data member
// of any type (an ErrorData object on the NSDL endpoints).
type Failure struct {
	Envelope
	Data json.RawMessage `json:"data"`
}

// UnmarshalJSON implements json.Unmarshaler: the envelope by exact member
// names (ParseEnvelope), data as it came.
func (f *Failure) UnmarshalJSON(b []byte) error {
	env, err := ParseEnvelope(b)
	if err != nil {
		return err
	}
	var d struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	f.Envelope, f.Data = env, d.Data
	return nil
}

// RespCode returns the NSDL respcode and response text in data, if any.
func (f *Failure) RespCode() (code int, text string, ok bool) {
	d := bytes.TrimSpace(f.Data)
	if len(d) == 0 || d[0] != '{' {
		return 0, "", false
	}
	var ed ErrorData
	if json.Unmarshal(d, &ed) != nil || ed.RespCode == "" {
		return 0, "", false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(ed.RespCode)))
	if err != nil {
		return 0, "", false
	}
	return n, string(ed.Response), true
}
