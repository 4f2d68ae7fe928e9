package inexopay

import (
	"fmt"
	"strings"
)

// maskKeep replaces all but the last keep characters of s with X.
func maskKeep(s string, keep int) string {
	if s == "" {
		return ""
	}
	if len(s) <= keep {
		return strings.Repeat("X", len(s))
	}
	return strings.Repeat("X", len(s)-keep) + s[len(s)-keep:]
}

// MaskAadhaar returns an Aadhaar number with all but its last 4 digits
// replaced by X ("XXXXXXXX6445"), for your own logs. Input of 4 characters
// or fewer is masked whole, and "" stays "".
func MaskAadhaar(aadhaar string) string { return maskKeep(aadhaar, 4) }

// MaskPAN returns a PAN with all but its last 4 characters replaced by X
// ("XXXXXX013M"). Input of 4 characters or fewer is masked whole, and ""
// stays "".
func MaskPAN(pan string) string { return maskKeep(pan, 4) }

// MaskMobile returns a mobile number with all but its last 4 digits replaced
// by X ("XXXXXX3210"). Input of 4 characters or fewer is masked whole, and
// "" stays "".
func MaskMobile(mobile string) string { return maskKeep(mobile, 4) }

// maskOTP hides an OTP whole.
func maskOTP(otp string) string {
	if otp == "" {
		return ""
	}
	return "[REDACTED]"
}

// format prints v, a copy of a struct with its secrets already masked, in
// the %+v form under the given type name.
func format(name string, v any) string {
	return fmt.Sprintf("%s%+v", name, v)
}
