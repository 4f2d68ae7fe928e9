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
