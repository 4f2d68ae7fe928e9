package netutil

import (
	"net/url"
	"strconv"
	"strings"
)

// ValidPort reports whether a browser can go to u's port: none (the
// scheme's default), or a decimal number from 1 to 65535, leading zeros
// allowed ("0443" is 443). A port of 0, above 65535 or not a number leaves
// the browser nowhere to go.
func ValidPort(u *url.URL) bool {
	// u.Port() hides a port that is not a number: read the host's text.
	p := ""
	if i := strings.LastIndexByte(u.Host, ':'); i > strings.LastIndexByte(u.Host, ']') {
		p = u.Host[i+1:]
	}
	if p == "" {
		return true
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(p, 10, 64)
	return err == nil && n >= 1 && n <= 65535
}
