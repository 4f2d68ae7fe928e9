package wire

// The PAN and Aadhaar number an answer names are compared as the API may
// write them: in another case, spaced, or masked to their last 4.

// OtherPAN returns the first PAN the JSON object body names (a member whose
// name folds to "pancard" or a spelling of it such as pan_number, at any depth) that is not pan: ASCII case is
// ignored, and a PAN masked to its last 4 ("XXXXXX501F") is pan when those
// are. ok is false when every one is, or pan is "". body must be valid JSON.
func OtherPAN(body []byte, pan string) (id string, ok bool) {
	return otherSubject(body, pan, maskedOrFolded, "pancard")
}

// OtherAadhaar returns the first Aadhaar number the JSON object body names
// (a member whose name folds to "aadhaar" or a spelling of it such as
// aadhaar_number or aadhar, at any depth)
// that is not aadhaar: digits are compared, spaces and hyphens between them
// ignored, and a number masked to its last 4 ("XXXXXXXX6445",
// "xxxx xxxx 6445") is aadhaar when those are. ok is false when every one
// is, or aadhaar is "". body must be valid JSON. id is as the answer wrote
// it: never put it in an error whole.
func OtherAadhaar(body []byte, aadhaar string) (id string, ok bool) {
	return otherSubject(body, aadhaar, sameAadhaar, "aadhaar")
}

// otherSubject is the first id named under name (or its spellings) that same
// says is not want; none when want is "".
func otherSubject(body []byte, want string, same func([]byte, string) bool, name string) (string, bool) {
	if trimASCII(want) == "" {
		return "", false
	}
	w := idWant{s: trimASCII(want), same: same}
	id, ok, _ := w.walk(body, 0, name, atTop)
	return id, ok
}

// maskedOrFolded reports whether x is s with ASCII case ignored, or s
// masked to its last 4 (see masked).
func maskedOrFolded(x []byte, s string) bool {
	return equalFoldASCII(x, s) || masked(x, s)
}

// sameAadhaar reports whether x names the Aadhaar number s: the same
// digits with only spaces or hyphens between them, or s masked.
func sameAadhaar(x []byte, s string) bool {
	if masked(x, s) {
		return true
	}
	j := 0
	for _, c := range x {
		switch {
		case c >= '0' && c <= '9':
			if j >= len(s) || s[j] != c {
				return false
			}
			j++
		case c != ' ' && c != '-':
			return false
		}
	}
	return j == len(s)
}

// masked reports whether x is s masked: its last 4 characters are s's
// (ASCII case ignored) and every one before them is 'X', 'x', '*' or a
// space, at least one of them not a space.
func masked(x []byte, s string) bool {
	if len(x) <= 4 || len(s) < 4 || !equalFoldASCII(x[len(x)-4:], s[len(s)-4:]) {
		return false
	}
	mask := false
	for _, c := range x[:len(x)-4] {
		switch c {
		case 'X', 'x', '*':
			mask = true
		case ' ':
		default:
			return false
		}
	}
	return mask
}
