package apierr

import "strings"

// ValidationError reports the parameters the SDK refused before sending
// anything: every bad field at once, so that a caller fixes them in one
// go. It matches [ErrInvalidParams] with errors.Is. No Reason contains the
// rejected value when it is a secret (Aadhaar number, OTP, API key).
type ValidationError struct {
	// Field is the Go name of the first bad parameter, such as "PAN" or
	// "AadhaarNumber"; Reason says what is wrong with it, such as "must
	// be 10 digits starting 6-9".
	Field  string
	Reason string
	// Errors lists every bad parameter in the order of the params struct,
	// the first being Field and Reason; it may be empty in a
	// ValidationError built by hand.
	Errors []FieldError
}

// FieldError is one bad parameter of a [*ValidationError].
type FieldError struct {
	// Field is the Go name of the parameter; Reason says what is wrong.
	Field  string
	Reason string
}

// Error implements error: "inexopay: invalid Field: Reason", with
// "; invalid Field: Reason" for each further bad parameter.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("inexopay: invalid " + e.Field + ": " + e.Reason)
	for i, fe := range e.Errors {
		if i == 0 && fe.Field == e.Field && fe.Reason == e.Reason {
			continue
		}
		b.WriteString("; invalid " + fe.Field + ": " + fe.Reason)
	}
	return b.String()
}

// Is reports whether target is [ErrInvalidParams].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParams }
