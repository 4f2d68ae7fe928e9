package inexopay

import "github.com/inexopay/inexopay-go/internal/redact"

// MaskAadhaar returns an Aadhaar number with all but its last 4 characters
// replaced by X ("XXXXXXXX0124"), for your own logs; shorter input is all X.
func MaskAadhaar(aadhaar string) string { return redact.Keep(aadhaar, 4) }

// MaskPAN masks a PAN like [MaskAadhaar] ("XXXXXX013M").
func MaskPAN(pan string) string { return redact.Keep(pan, 4) }

// MaskMobile masks a mobile number like [MaskAadhaar] ("XXXXXX3210").
func MaskMobile(mobile string) string { return redact.Keep(mobile, 4) }
