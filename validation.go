package inexopay

import "github.com/inexopay/inexopay-go/internal/validate"

// checker collects the first validation failure of a params struct.
type checker struct{ err *ValidationError }

func (v *checker) fail(field, reason string) {
	if v.err == nil {
		v.err = &ValidationError{Field: field, Reason: reason}
	}
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
	if val == "" || format == nil {
		return
	}
	if reason := format(val); reason != "" {
		v.fail(field, reason)
	}
}

func (v *checker) result() error {
	if v.err == nil {
		return nil
	}
	return v.err
}

func orderID(s string) string { return validate.OrderID(s) } // order ids share one format

func nilParams(name string) error {
	return &ValidationError{Field: name, Reason: "must not be nil"}
}
