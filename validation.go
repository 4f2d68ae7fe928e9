package inexopay

import "github.com/inexopay/inexopay-go/internal/validate"

// Input rules, in one place. Every call normalises what is unambiguous on a copy of its input
// (spaces trimmed, PANs upper-cased, mobiles reduced to their 10 digits, …), never changing the
// caller's params, then checks it. By default a call refuses, before sending, a missing required
// field and a value that cannot be right (so that the caller does not pay for a doomed request);
// under WithoutValidation it refuses only missing required fields and leaves formats to the API.

// WithoutValidation leaves format checks to the API (which may still charge).
func WithoutValidation() Option {
	return func(c *config) error {
		c.noFormatChecks = true
		return nil
	}
}

// checker collects every validation failure of a params struct, one per field.
type checker struct {
	err *ValidationError
	// formats is false under WithoutValidation: only presence is checked.
	formats bool
}

func (c *Client) checker() checker { return checker{formats: !c.noFormatChecks} }

func (v *checker) fail(field, reason string) {
	if v.err == nil {
		v.err = &ValidationError{Field: field, Reason: reason}
	}
	for _, fe := range v.err.Errors {
		if fe.Field == field {
			return // one problem per field: the first
		}
	}
	v.err.Errors = append(v.err.Errors, FieldError{Field: field, Reason: reason})
}

// required checks that val is set and, when format is not nil, well formed.
func (v *checker) required(field, val string, format func(string) string) {
	if val == "" {
		v.fail(field, "is required")
		return
	}
	v.optional(field, val, format)
}

// optional checks the format of val when it is set.
func (v *checker) optional(field, val string, format func(string) string) {
	if val == "" || format == nil || !v.formats {
		return
	}
	if reason := format(val); reason != "" {
		v.fail(field, reason)
	}
}

// oneOf checks an enumeration: it must be set, and (when formats are checked) one of the values ok
// accepts.
func (v *checker) oneOf(field string, set, ok bool, reason string) {
	switch {
	case !set:
		v.fail(field, "is required")
	case v.formats && !ok:
		v.fail(field, reason)
	}
}

func (v *checker) result() error {
	if v.err == nil {
		return nil
	}
	return v.err
}

// What the service files share: the checks of positional arguments and of nil params, the form of
// the calls that take only an order id, and the error of a success answer without its data. Every
// order id, positional or in params, is checked by validate.ID under the field name "OrderID".

// orderIDArg normalises and checks a positional order id, as the params structs check theirs:
// trimmed, then validate.ID.
func (c *Client) orderIDArg(s string) (string, error) {
	s = validate.Trim(s)
	v := c.checker()
	v.required("OrderID", s, validate.ID)
	return s, v.result()
}

// panArg normalises and checks a positional PAN.
func (c *Client) panArg(field, s string) (string, error) {
	s = validate.NormalizePAN(s)
	v := c.checker()
	v.required(field, s, validate.PAN)
	return s, v.result()
}

func nilParams(name string) error {
	return &ValidationError{Field: name, Reason: "must not be nil"}
}

// orderForm is the form of the calls that take only an order id.
type orderForm struct {
	OrderID string `url:"orderid"`
}
