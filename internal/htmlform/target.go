package htmlform

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/redact"
)

// Target says why a browser sent to u (a form's action, resolved, or a
// hand-off URL of a JSON answer) would not be sent on to NSDL, or "" when
// it would. name calls u in the reason ("its action") and shown is the text
// of u the reason may quote, its query masked. reqURL is the URL of the API
// call that returned u (nil when unknown); apiBases are the documented API
// base URLs.
//
// u must meet Browsable's rules, plain http allowed only when reqURL itself
// is plain http on a loopback host; and it must be neither on reqURL's
// origin (host and port, under either scheme, the host in any spelling a
// browser reaches the same server by: see hostName) nor on the host of any
// of apiBases: an address on the API does not send the applicant on. The
// one exception is the sandbox's NSDL page: a path under /sandbox/ when
// reqURL is a loopback host.
func Target(name, shown string, u, reqURL *url.URL, apiBases []string) string {
	loopbackHTTP := reqURL != nil && reqURL.Scheme == "http" && netutil.IsLoopbackHost(reqURL.Hostname())
	if why := Browsable(name, shown, u, loopbackHTTP, apiBases); why != "" {
		return why
	}
	if reqURL != nil && sameEndpoint(u, reqURL) {
		return name + " " + shown + " points back to the API call itself, not on to NSDL"
	}
	if reqURL != nil && sameOrigin(u, reqURL) && !sandboxPage(u, reqURL) {
		return name + " " + shown + " points back to the API's own origin, not on to NSDL"
	}
	return ""
}

// Browsable says why a browser sent to u would not safely reach a page off
// the API, whoever gives u, or "" when it would; name and shown are as for
// Target. u must be absolute with a host; https (or, when loopbackHTTP,
// plain http to a loopback host); with a port a browser goes to (none, or
// 1 to 65535); with a host of printable ASCII; and not on the host of any
// of apiBases (in any spelling: see hostName).
func Browsable(name, shown string, u *url.URL, loopbackHTTP bool, apiBases []string) string {
	switch u.Scheme {
	case "https":
	case "http":
		if !loopbackHTTP || !netutil.IsLoopbackHost(u.Hostname()) {
			return name + " " + shown +
				" is plain http, which would send the applicant's data unencrypted (https is required)"
		}
	default:
		return fmt.Sprintf("%s's scheme %q is not https", name, u.Scheme)
	}
	if u.Host == "" {
		return name + " is not a valid URL: it has no host"
	}
	if !netutil.ValidPort(u) {
		return name + "'s port is not one a browser goes to (1 to 65535)"
	}
	if !asciiHost(u.Hostname()) {
		// A browser maps such a host (full-width letters, "。" for a dot)
		// onto an ASCII one, which may be the API's own: the SDK cannot tell
		// where the applicant goes.
		return name + "'s host is not plain ASCII"
	}
	if isAPIHost(u, apiBases) {
		return name + " " + shown + " points back to the API's own origin, not on to NSDL"
	}
	return ""
}

// asciiHost reports whether host is made of printable ASCII only: an
// internationalised host is written in its "xn--" form by a real page.
func asciiHost(host string) bool {
	for i := 0; i < len(host); i++ {
		if host[i] < 0x21 || host[i] > 0x7e || host[i] == '%' {
			return false
		}
	}
	return host != ""
}

// sameEndpoint reports whether a and b name the same resource, ignoring
// query and fragment.
func sameEndpoint(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host) &&
		strings.TrimSuffix(a.EscapedPath(), "/") == strings.TrimSuffix(b.EscapedPath(), "/")
}

// sameOrigin reports whether a and b are on one server: host (in any
// spelling, see hostName) and port (see portNumber). The scheme is not
// compared: https://h:8080 and http://h:8080 are one port, so one server.
func sameOrigin(a, b *url.URL) bool {
	return hostName(a) == hostName(b) && portNumber(a) == portNumber(b)
}

// portNumber is u's port as a browser reads it: a number, so that "0443"
// and "443" are one port, and the scheme's default when absent or empty.
// A port that is not a number is returned as it is.
func portNumber(u *url.URL) string {
	p := u.Port()
	if p == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			return "443"
		case "http":
			return "80"
		}
		return ""
	}
	if n, err := strconv.ParseUint(p, 10, 64); err == nil {
		return strconv.FormatUint(n, 10)
	}
	return p
}

// hostName is u's host as a browser reaches it, so that two spellings of
// one host compare equal: in lower case without a trailing dot; an IPv4
// address in any form a browser reads (one number, hex, octal, fewer than
// four parts: 2130706433, 0x7f.0.0.1, 127.1) or IPv4-mapped IPv6
// (::ffff:127.0.0.1) in dotted decimal; another IPv6 address in its
// shortest form; and every loopback host (localhost and names under it,
// 127.0.0.0/8, ::1, and 0.0.0.0 and ::, which reach the local host) as
// one, loopbackHost.
func hostName(u *url.URL) string {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return loopbackHost
	}
	ip, ok := browserIPv4(h)
	if !ok && strings.Contains(h, ":") {
		// An IPv6 address; net.ParseIP's IPv4 forms are browserIPv4's too.
		ip = net.ParseIP(h)
	}
	if ip == nil {
		return h
	}
	if ip.IsLoopback() || ip.IsUnspecified() {
		return loopbackHost
	}
	return ip.String()
}

// loopbackHost is what hostName gives for every loopback host.
const loopbackHost = "[loopback]"

// browserIPv4 reads h as the WHATWG URL standard reads an IPv4 host: one
// to four parts separated by dots, each decimal, hex (0x…) or octal (0…);
// every part but the last is one byte, the last fills the bytes left.
func browserIPv4(h string) (net.IP, bool) {
	// Only digits, x for hex and a-f can be read as a part, so a host
	// with any other byte (every name) is refused before parsing.
	for i := 0; i < len(h); i++ {
		if c := h[i] | 0x20; (c < '0' || c > '9') && (c < 'a' || c > 'f') && c != 'x' && h[i] != '.' {
			return nil, false
		}
	}
	if strings.Count(h, ".") > 3 {
		return nil, false
	}
	var numsBuf [4]uint64
	nums := numsBuf[:0]
	for p := range strings.SplitSeq(h, ".") {
		base := 10
		switch {
		case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
			p, base = p[2:], 16
			if p == "" {
				p = "0"
			}
		case len(p) >= 2 && p[0] == '0':
			p, base = p[1:], 8
		}
		n, err := strconv.ParseUint(p, base, 64)
		if err != nil || p == "" || p[0] == '+' || p[0] == '-' {
			return nil, false
		}
		nums = append(nums, n)
	}
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 255 {
			return nil, false
		}
		v |= n << (8 * (3 - i))
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return nil, false
	}
	v |= last
	ip := make(net.IP, 4)
	binary.BigEndian.PutUint32(ip, uint32(v)) //nolint:gosec // v < 1<<32: every part was bounded above
	return ip.To16(), true
}

// isAPIHost reports whether u is on the host of one of apiBases, in any
// spelling (see hostName): none of them is where NSDL's pages
// are.
func isAPIHost(u *url.URL, apiBases []string) bool {
	h := hostName(u)
	for _, base := range apiBases {
		if bh, ok := baseHostName(base); ok && h == bh {
			return true
		}
	}
	return false
}

// baseHosts caches the host name (hostName) of each API base URL that
// isAPIHost was given (false: base does not parse).
var baseHosts sync.Map // string → baseHost

type baseHost struct {
	name string
	ok   bool
}

// baseHostName returns the host name of the API base URL base, and
// whether base parses.
func baseHostName(base string) (string, bool) {
	if v, ok := baseHosts.Load(base); ok {
		bh := v.(baseHost)
		return bh.name, bh.ok
	}
	var bh baseHost
	if b, err := url.Parse(base); err == nil {
		bh = baseHost{name: hostName(b), ok: true}
	}
	baseHosts.Store(base, bh)
	return bh.name, bh.ok
}

// sandboxPage reports whether action is a page of the inexopaytest
// sandbox, which plays NSDL on the API's own origin: a path under
// /sandbox/ on an API that is a loopback host. It is the only action on
// the API's origin a form may have.
func sandboxPage(action, api *url.URL) bool {
	return hostName(api) == loopbackHost && strings.HasPrefix(action.EscapedPath(), "/sandbox/")
}

// HandOff says why raw, a URL a JSON answer gives for the user to follow,
// would not send a browser on to NSDL, or "" when it would: it must be an
// absolute URL that meets Target's rules, and must not carry a credential
// of keys (the call's API key or secret header, in any spelling and case
// the redaction masks), which the browser would hand to the URL's host. The
// reason quotes raw with its query masked, never a key.
func HandOff(raw string, reqURL *url.URL, apiBases []string, keys redact.Set) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return "hand-off URL is not an absolute URL"
	}
	if keys.HoldsKey(raw) {
		return "hand-off URL refused: it would hand the API key (masked here) to the applicant's browser and to the URL's host"
	}
	// The reason quotes raw masked: made only when there is one.
	if Target("hand-off URL", "", u, reqURL, apiBases) == "" {
		return ""
	}
	return Target("hand-off URL", redact.Query(raw), u, reqURL, apiBases)
}
