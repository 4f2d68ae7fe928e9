package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// The must-have members of each answer type, from the samples of the API
// document: the ids, amount, status and URL a call exists to return. A
// success answer that lacks one (absent, null or empty) does not say what
// was done, so it is never a success (see the root package's decide.go).
//
// Each answer type declares them in one method, Missing, which returns the
// JSON path of the first one missing ("data.url"), or "" when all are there.
// Every answer must also be about the order asked (OtherOrder, orders.go).

// MustHaver is implemented by every answer type.
type MustHaver interface {
	Missing() string
}

// OptPaise is a Paise that remembers whether the member was present with a
// value: null and "" leave Set false.
type OptPaise struct {
	Val Paise
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *OptPaise) UnmarshalJSON(b []byte) error {
	*o = OptPaise{}
	t := bytes.TrimSpace(b)
	if bytes.Equal(t, null) || bytes.Equal(t, []byte(`""`)) {
		return nil
	}
	if err := o.Val.UnmarshalJSON(b); err != nil {
		return err
	}
	o.Set = true
	return nil
}

// empty reports whether a must-have string names nothing: it is "" or
// has no visible character (Blank).
func empty[S ~string](s S) bool { return Blank(string(s)) }

// Missing implements MustHaver: data.api_status.
func (a *AccountStatus) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.APIStatus):
		return "data.api_status"
	case !a.Data.APIBalance.Set:
		return "data.api_balance"
	}
	return ""
}

// Missing implements MustHaver: balance.
func (a *Balance) Missing() string {
	if !a.Balance.Set {
		return "balance"
	}
	return ""
}

// Missing implements MustHaver: data.agent_id.
func (a *Agent) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.AgentID):
		return "data.agent_id"
	}
	return ""
}

// Missing implements MustHaver: data, the URL to send the customer to.
func (a *AccountOpening) Missing() string {
	if empty(a.Data) {
		return "data"
	}
	return ""
}

// Missing implements MustHaver: data as an object with its txn_id.
func (a *BankAccountAnswer) Missing() string {
	d := bytes.TrimSpace(a.Data)
	if len(d) == 0 || d[0] != '{' {
		return "data"
	}
	var r struct {
		TxnID ID `json:"txn_id"`
	}
	if json.Unmarshal(d, &r) != nil || empty(r.TxnID) {
		return "data.txn_id"
	}
	return ""
}

// Missing implements MustHaver: account_url.
func (a *IncompleteAccount) Missing() string {
	if empty(a.AccountURL) {
		return "account_url"
	}
	return ""
}

// Missing implements MustHaver: data.order_id and data.qr_url or
// data.tx_string.
func (a *WalletQR) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.OrderID):
		return "data.order_id"
	case empty(a.Data.QRURL) && empty(a.Data.TxString):
		return "data.qr_url"
	}
	return ""
}

// Missing implements MustHaver: data.status and data.amount.
func (a *WalletPayment) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.Status):
		return "data.status"
	case !a.Data.Amount.Set:
		return "data.amount"
	}
	return ""
}

// Missing implements MustHaver: data.url (an HTML form answer is checked
// by the form's own rules instead).
func (a *PANApplication) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.URL):
		return "data.url"
	}
	return ""
}

// Missing implements MustHaver: data.status.
func (a *PANStatus) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.Status):
		return "data.status"
	}
	return ""
}

// Missing implements MustHaver: data.request_id.
func (a *AadhaarOTP) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.RequestID):
		return "data.request_id"
	}
	return ""
}

// Missing implements MustHaver: data.status.
func (a *AadhaarVerification) Missing() string {
	switch {
	case a.Data == nil:
		return "data"
	case empty(a.Data.Status):
		return "data.status"
	}
	return ""
}

// The strict types of must-have members: a must-have of the wrong JSON type
// (PHP's false for "no value", a number where the document shows text) is
// not read as its literal text ("false") but fails the answer, which is
// then never a success.

// OnlyStr is a must-have the document shows as text (a URL, a status): a
// JSON string, or null (as "", so missing). A boolean, number, object or
// array is an error.
type OnlyStr string

// UnmarshalJSON implements json.Unmarshaler.
func (s *OnlyStr) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	if bytes.Equal(t, null) {
		*s = ""
		return nil
	}
	if len(t) == 0 || t[0] != '"' {
		return wrongType(t, reflect.TypeFor[string]())
	}
	v, _, err := unquote(t)
	if err != nil {
		return err
	}
	*s = OnlyStr(v)
	return nil
}

// ID is a must-have id (order id, request id, agent id, txn id): a JSON
// string without the ASCII white space around it (which comparing ids
// ignores), a whole JSON number written with digits only (kept as those
// digits, as PHP sends an integer column), or null (as "", so missing). A
// boolean, another number, an object or an array is an error.
type ID string

// UnmarshalJSON implements json.Unmarshaler.
func (s *ID) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	if bytes.Equal(t, null) {
		*s = ""
		return nil
	}
	if len(t) > 0 && t[0] >= '0' && t[0] <= '9' {
		for _, c := range t {
			if c < '0' || c > '9' {
				return wrongType(t, reflect.TypeFor[string]())
			}
		}
		*s = ID(t)
		return nil
	}
	if len(t) == 0 || t[0] != '"' {
		return wrongType(t, reflect.TypeFor[string]())
	}
	v, _, err := unquote(t)
	if err != nil {
		return err
	}
	*s = ID(TrimID(v))
	return nil
}

// wrongType is the error of a member of the wrong JSON type; encoding/json
// adds the member's name to it.
func wrongType(t []byte, want reflect.Type) error {
	kind := "number"
	switch {
	case len(t) == 0:
		kind = "nothing"
	case t[0] == 't' || t[0] == 'f':
		kind = "bool"
	case t[0] == '{':
		kind = "object"
	case t[0] == '[':
		kind = "array"
	}
	return &json.UnmarshalTypeError{Value: kind, Type: want}
}
