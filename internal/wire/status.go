package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

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
	v, quoted, ok := plain(b)
	if !ok {
		return s.slowUnmarshalJSON(b)
	}
	if !quoted {
		switch string(v) {
		case "true", "1":
			*s = Status{Set: true, IsBool: true, Bool: true}
			return nil
		case "false", "0":
			*s = Status{Set: true, IsBool: true}
			return nil
		}
		return s.slowUnmarshalJSON(b)
	}
	if w, ok := statusWords[string(v)]; ok {
		*s = Status{Set: true, Text: w}
		return nil
	}
	return s.slowUnmarshalJSON(b)
}

// statusWords are the usual texts of the status member, kept as constants
// so that decoding them does not allocate.
var statusWords = func() map[string]string {
	m := map[string]string{}
	for _, w := range []string{"SUCCESS", "FAILED", "FAILURE", "PENDING", "PROCESSING", "ERROR", "REFUND", "INITIATED"} {
		for _, v := range []string{w, strings.ToLower(w), w[:1] + strings.ToLower(w[1:])} {
			m[v] = v
		}
	}
	return m
}()

// slowUnmarshalJSON is the tolerant path of UnmarshalJSON.
func (s *Status) slowUnmarshalJSON(b []byte) error {
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
	if !quoted {
		// Any other JSON number: PHP reads 1.0 and 1e0 as "1" (success) and
		// 0.0 as "0" (failure); any other number says nothing for sure.
		f, ferr := strconv.ParseFloat(v, 64)
		switch {
		case ferr == nil && f == 1:
			s.IsBool, s.Bool = true, true
			return nil
		case ferr == nil && f == 0:
			s.IsBool = true
			return nil
		}
		*s = Status{}
		return fmt.Errorf("status %q is neither a word nor 1 or 0", truncate(v))
	}
	if ReadWord(v) == WordOdd {
		*s = Status{}
		return fmt.Errorf("status %q is not a word PHP's trim() and strtoupper() read: %s", truncate(v), oddWhy(v))
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
	return ReadWord(s.Text) == WordFailure
}

// Word is what the text of a status member says (ReadWord).
type Word uint8

// The meanings of a status text.
const (
	WordNeither Word = iota // a word that says neither ("pending"), or ""
	WordSuccess             // "SUCCESS", "ok", "true", "1" in any ASCII case
	WordFailure             // "FAILED", "failure", "fail", "error", "false", "0"
	WordOdd                 // cannot be read for sure: see ReadWord
)

// phpTrimSet is what PHP's trim() strips by default.
const phpTrimSet = " \t\n\r\x00\x0b"

// PHPTrim trims s as PHP's trim() does: only " \t\n\r\0\x0B", not the
// form feed, U+0085, U+00A0 or other Unicode spaces strings.TrimSpace
// strips.
func PHPTrim(s string) string { return strings.Trim(s, phpTrimSet) }

// ReadWord reads a status text as the provider's PHP compares it: trimmed
// by PHPTrim, upper-cased in ASCII only (strtoupper). It is WordOdd when
// what is left has a character that draws nothing other than the space
// (Invisible: a no-break or zero-width space, a form feed), which PHP
// would keep and a person would not see, or when it is "successful", a
// word the API does not document that reads like its "success" (the SDK
// reads it as nothing, everywhere: docs/outcomes.md).
func ReadWord(text string) Word {
	if oddWhy(text) != "" {
		return WordOdd
	}
	switch upperASCII(PHPTrim(text)) {
	case "SUCCESS", "OK", "TRUE", "1":
		return WordSuccess
	case "FAILED", "FAILURE", "FAIL", "ERROR", "FALSE", "0":
		return WordFailure
	}
	return WordNeither
}

// oddWhy says why ReadWord finds text odd, "" when it does not.
func oddWhy(text string) string {
	t := PHPTrim(text)
	for _, r := range t {
		if r != ' ' && Invisible(r) {
			return fmt.Sprintf("it has %U, which draws nothing", r)
		}
	}
	if equalFoldASCII(t, "SUCCESSFUL") {
		return "the API documents no such word"
	}
	return ""
}

// upperASCII upper-cases the ASCII letters of s, as PHP 8's strtoupper.
func upperASCII(s string) string { return shiftASCII(s, 'a', 'A') }

// LowerASCII lower-cases the ASCII letters of s only, as PHP 8's
// strtolower: "İ" stays, where strings.ToLower would make it "i".
func LowerASCII(s string) string { return shiftASCII(s, 'A', 'a') }

// shiftASCII maps the ASCII letters from..from+25 of s to to..to+25,
// copying s only when one is there.
func shiftASCII(s string, from, to byte) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= from && c <= from+25 {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= from && b[j] <= from+25 {
					b[j] = b[j] - from + to
				}
			}
			return string(b)
		}
	}
	return s
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
