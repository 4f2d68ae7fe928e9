package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The envelope's markers (status, status_code, error_code) and its message
// decide what an answer means, so they are read by their exact member
// names, as PHP's $r['status'] reads them. encoding/json matches member
// names without regard to case (and folds "ſ" to "s" and "K" to "k") and
// keeps the last of two members with one name: a struct decode alone
// would let "STATUS":"FAILED" or a repeated "status" turn a complete
// success into a refusal.

// Marker names, in the order of Members' fields.
var markerNames = [...]string{"status", "status_code", "error_code", "message"}

// markerStart holds the first bytes a name that folds to a marker's may
// start with: the first letter of one in either case, a non-ASCII byte
// ("ſtatus") or an escape. ReadValidMembers compares no other name.
var markerStart = func() (t [256]bool) {
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	t['\\'] = true
	for _, n := range markerNames {
		t[n[0]], t[n[0]-'a'+'A'] = true, true
	}
	return t
}()

// Member is what one envelope member of an answer was sent as.
type Member struct {
	// Exact is the raw value of the first member with exactly this name
	// (nil when there is none).
	Exact json.RawMessage
	// Others are the raw values of every further member that encoding/json
	// would also match to this name: the same name again, or a case-folded
	// spelling ("STATUS", "Status", "ſtatus").
	Others []json.RawMessage
}

// Members holds the envelope members of an answer, read by name.
type Members struct {
	Status, StatusCode, ErrorCode, Message Member
}

func (m *Members) slot(i int) *Member {
	switch i {
	case 0:
		return &m.Status
	case 1:
		return &m.StatusCode
	case 2:
		return &m.ErrorCode
	}
	return &m.Message
}

// ErrNotObject is returned by ReadMembers for a body that is not one JSON
// object.
var ErrNotObject = errors.New("not a JSON object")

// ReadMembers reads the top-level members of the JSON object body and
// returns the envelope members by name. It fails for anything that is not
// exactly one valid JSON object. It checks the body with json.Valid and
// then walks its top level by hand, without allocating for the members it
// skips.
func ReadMembers(body []byte) (Members, error) {
	if !json.Valid(body) {
		return Members{}, ErrNotObject
	}
	return ReadValidMembers(body)
}

// ReadValidMembers is ReadMembers for a body already known to be valid
// JSON (json.Unmarshal accepted it): it skips the validity check, and
// fails only when the body is not an object. On a body that is not valid
// JSON its result means nothing.
func ReadValidMembers(body []byte) (Members, error) {
	var m Members
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return m, ErrNotObject
	}
	i = skipSpace(body, i+1)
	for i < len(body) && body[i] == '"' {
		end := skipString(body, i)
		key := body[i+1 : end-1]
		i = skipSpace(body, end)
		i = skipSpace(body, i+1) // the ':'
		vend := skipValue(body, i)
		raw := json.RawMessage(body[i:vend])
		if len(key) > 0 && markerStart[key[0]] && len(key) <= 3*len("status_code") {
			name := string(key) // does not escape: no allocation for a short name
			if bytes.IndexByte(key, '\\') >= 0 {
				var unescaped string
				if json.Unmarshal(body[end-len(key)-2:end], &unescaped) != nil {
					return m, ErrNotObject
				}
				name = strings.Clone(unescaped)
			}
			for j, n := range markerNames {
				if !strings.EqualFold(name, n) {
					continue
				}
				slot := m.slot(j)
				if name == n && slot.Exact == nil {
					slot.Exact = raw
				} else {
					slot.Others = append(slot.Others, raw)
				}
				break
			}
		}
		i = skipSpace(body, vend)
		if i < len(body) && body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	return m, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just after the JSON string starting at
// b[i] (a '"'); b is valid JSON.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just after the JSON value starting at b[i];
// b is valid JSON.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i = skipString(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
			if depth < 0 {
				return i
			}
		case ',':
			if depth == 0 {
				return i
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}

// Envelope returns the envelope the exact member names give, or an error
// naming the member when one of them has a value its type cannot read.
func (m *Members) Envelope() (Envelope, error) {
	var e Envelope
	if m.Status.Exact != nil {
		if err := e.Status.UnmarshalJSON(m.Status.Exact); err != nil {
			return e, markerError(0, err)
		}
	}
	if m.StatusCode.Exact != nil {
		if err := e.StatusCode.UnmarshalJSON(m.StatusCode.Exact); err != nil {
			return e, markerError(1, err)
		}
	}
	if m.ErrorCode.Exact != nil {
		if err := e.ErrorCode.UnmarshalJSON(m.ErrorCode.Exact); err != nil {
			return e, markerError(2, err)
		}
	}
	if m.Message.Exact != nil {
		_ = e.Message.UnmarshalJSON(m.Message.Exact) // never fails
	}
	return e, nil
}

// markerError names the marker (markerNames[i]) whose value err could not
// read.
func markerError(i int, err error) error {
	return fmt.Errorf("member %q: %w", markerNames[i], err)
}

// TwoValues returns the name of the first marker (status, status_code,
// error_code) sent more than once, under its name or a case-folded one,
// with values that differ; "" when there is none. Values differ when they
// decode differently: "SUCCESS" and " success " are one value, 200 and
// "200" too, but "SUCCESS" and null are two.
func (m *Members) TwoValues() string {
	for i, n := range markerNames[:3] {
		s := m.slot(i)
		first, others := s.Exact, s.Others
		if first == nil && len(others) > 0 {
			first, others = others[0], others[1:]
		}
		for _, v := range others {
			if !sameValue(i, first, v) {
				return n
			}
		}
	}
	return ""
}

func sameValue(i int, a, b json.RawMessage) bool {
	if i == 0 {
		var x, y Status
		if x.UnmarshalJSON(a) != nil || y.UnmarshalJSON(b) != nil {
			return bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b))
		}
		if x.Set != y.Set {
			return false
		}
		if w := statusWord(x); w != "" || statusWord(y) != "" {
			return w == statusWord(y)
		}
		return upperASCII(PHPTrim(x.String())) == upperASCII(PHPTrim(y.String()))
	}
	var x, y OptInt
	if x.UnmarshalJSON(a) != nil || y.UnmarshalJSON(b) != nil {
		return bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b))
	}
	return x == y
}

// statusWord is "ok" or "failed" for a status that says so, else "".
func statusWord(s Status) string {
	if s.Failed() {
		return "failed"
	}
	if s.IsBool && s.Bool || !s.IsBool && ReadWord(s.Text) == WordSuccess {
		return "ok"
	}
	return ""
}
