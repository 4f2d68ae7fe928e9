package inexopaytest

import (
	"bytes"
	"encoding/json"

	inexopay "github.com/inexopay/inexopay-go"
)

// field is one member of an obj.
type field struct {
	k string
	v any
}

// obj is a JSON object that keeps its members in the order written, so
// that answers read like the documented ones.
type obj []field

// MarshalJSON implements json.Marshaler.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := encodeTo(&b, f.k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := encodeTo(&b, f.v); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encodeTo writes v as JSON without HTML escaping and without the trailing
// newline of json.Encoder.
func encodeTo(b *bytes.Buffer, v any) error {
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Write(bytes.TrimRight(tmp.Bytes(), "\n"))
	return nil
}

// marshal encodes v as a JSON document without HTML escaping.
func marshal(v any) []byte {
	var b bytes.Buffer
	if err := encodeTo(&b, v); err != nil {
		// Only obj, strings, numbers, booleans and nil are encoded here.
		panic("inexopaytest: encoding answer: " + err.Error())
	}
	return b.Bytes()
}

// num writes an amount as a JSON number with two decimals (1250.50),
// exactly, never through a float.
func num(a inexopay.Amount) json.Number { return json.Number(a.String()) }

// shortNum writes an amount as a JSON number without decimals when it is a
// whole number of rupees (100), else with two (100.50).
func shortNum(a inexopay.Amount) json.Number { return json.Number(a.FormValue()) }

// nullable returns nil (JSON null) for "", as the PHP back end sends.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// style is the failure envelope an endpoint answers with.
type style int

const (
	// styleCode is {"status_code":N,"status":"FAILED","message":…}.
	styleCode style = iota
	// styleErrorCode is {"status":"FAILED","error_code":N,"message":…}, the
	// balance endpoint's.
	styleErrorCode
	// styleBool is {"status":false,"message":…}, the NSDL bank endpoints'.
	styleBool
)

// failBody is the failure envelope of style st.
func failBody(st style, code int, msg string) obj {
	switch st {
	case styleErrorCode:
		return obj{{"status", "FAILED"}, {"error_code", code}, {"message", msg}}
	case styleBool:
		return obj{{"status", false}, {"message", msg}}
	}
	return obj{{"status_code", code}, {"status", "FAILED"}, {"message", msg}}
}

// reply is what a handler answers: an HTTP status and a JSON body.
type reply struct {
	code int
	body any
	// html, when set, is sent as a text/html page instead of body.
	html string
}

func ok(body any) reply { return reply{code: 200, body: body} }

// bad is a business failure: HTTP 200 with code 400 in the body.
func bad(st style, msg string) reply { return reply{code: 200, body: failBody(st, 400, msg)} }

// deny is an auth failure: the HTTP status equals the code in the body.
func deny(st style, code int, msg string) reply {
	return reply{code: code, body: failBody(st, code, msg)}
}
