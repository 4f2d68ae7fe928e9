// Package htmlform finds the form that an HTML page submits by itself and reads its action and fields.
package htmlform

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/netutil"
)

// Form is the form a page submits by itself: an absolute Action URL, the
// Method ("POST" or "GET") and the named Fields as a browser would submit
// them.
type Form struct {
	Action string
	Method string
	Fields url.Values
}

// Refusal says why an HTML answer has no usable form. showPage is set
// when the page had no form, so that its text is the better description.
type Refusal struct {
	// Reason says what is wrong with the page or its form.
	Reason string
	// ShowPage is set when the page has no form at all.
	ShowPage bool
}

// Parse finds, in an HTML page, the form that sends the
// applicant on, and checks it. reqURL is the URL the page was fetched from
// (nil when unknown); relative actions are resolved against it (or against
// the page's <base href>).
//
// The form is the page's only form; when the page has several, it is the
// one the page submits on load (by an inline script or the body's onload,
// naming it as document.forms[i], by its id or name); when that is not
// exactly one form, there is no usable form. The form must have an action
// other than the URL the page came from, the method GET or POST, at least
// one named field, a </form> end tag (else the answer may have been cut
// short), a port a browser goes to (none, or 1 to 65535), and an https action (or plain http to a loopback host, when
// reqURL itself is plain http on a loopback host). The action must not be
// on reqURL's origin (host and port, under either scheme, the host in any
// spelling a browser reaches the same server by: see hostName), nor on the
// host of any of apiBases (the documented INEXOPAY API base URLs): a form
// posting back to the API does not send the applicant on. The one
// exception is the sandbox's NSDL page: a path under /sandbox/ when reqURL
// is a loopback host.
func Parse(body []byte, reqURL *url.URL, apiBases ...string) (*Form, *Refusal) {
	doc := scanHTML(body)
	var f *rawForm
	switch len(doc.forms) {
	case 0:
		return nil, &Refusal{Reason: "HTML answer without a form", ShowPage: true}
	case 1:
		f = doc.forms[0]
	default:
		picked := autoSubmitted(doc.scripts, doc.forms)
		if len(picked) != 1 {
			onLoad := "none"
			if len(picked) > 1 {
				onLoad = strconv.Itoa(len(picked))
			}
			return nil, &Refusal{Reason: fmt.Sprintf(
				"HTML answer with %d forms, %s of them submitted on load: cannot tell which one sends the applicant on",
				len(doc.forms), onLoad)}
		}
		f = picked[0]
	}
	base := reqURL
	if doc.base != "" && reqURL != nil {
		if b, err := reqURL.Parse(doc.base); err == nil {
			base = b
		}
	}
	method := strings.ToUpper(strings.TrimSpace(f.method))
	switch method {
	case "POST", "GET":
	case "":
		method = "GET"
	case "DIALOG":
		return nil, &Refusal{Reason: "HTML form refused: its method is dialog, which does not navigate"}
	default:
		method = "GET" // what a browser does with an unknown method
	}
	if !f.hasAction || strings.TrimSpace(f.action) == "" {
		return nil, &Refusal{Reason: "HTML form refused: it has no action"}
	}
	action, err := url.Parse(strings.TrimSpace(f.action))
	if err == nil && !action.IsAbs() {
		if base == nil {
			return nil, &Refusal{Reason: "HTML form refused: its action is relative and the page's URL is unknown"}
		}
		action = base.ResolveReference(action)
	}
	if err != nil || action.Host == "" && (action.Scheme == "https" || action.Scheme == "http") {
		return nil, &Refusal{Reason: "HTML form refused: its action is not a valid URL"}
	}
	action.Fragment, action.RawFragment = "", ""
	where := action.Scheme + "://" + action.Host + action.EscapedPath()
	switch action.Scheme {
	case "https":
	case "http":
		if reqURL == nil || reqURL.Scheme != "http" || !netutil.IsLoopbackHost(reqURL.Hostname()) || !netutil.IsLoopbackHost(action.Hostname()) {
			return nil, &Refusal{Reason: "HTML form refused: its action " + where +
				" is plain http, which would send the applicant's data unencrypted (https is required)"}
		}
	default:
		return nil, &Refusal{Reason: fmt.Sprintf("HTML form refused: its action's scheme %q is not https", action.Scheme)}
	}
	if !netutil.ValidPort(action) {
		return nil, &Refusal{Reason: "HTML form refused: its action's port is not one a browser goes to (1 to 65535)"}
	}
	if !asciiHost(action.Hostname()) {
		// A browser maps such a host (full-width letters, "。" for a dot)
		// onto an ASCII one, which may be the API's own: the SDK cannot tell
		// where the form sends the applicant.
		return nil, &Refusal{Reason: "HTML form refused: its action's host is not plain ASCII"}
	}
	if reqURL != nil && sameEndpoint(action, reqURL) {
		return nil, &Refusal{Reason: "HTML form refused: it posts back to the API call itself, not on to NSDL"}
	}
	if reqURL != nil && sameOrigin(action, reqURL) && !sandboxPage(action, reqURL) || isAPIHost(action, apiBases) {
		return nil, &Refusal{Reason: "HTML form refused: its action " + where +
			" points back to the API's own origin, not on to NSDL"}
	}
	if !f.closed {
		return nil, &Refusal{Reason: "HTML form refused: it has no </form> (the answer may be cut short)"}
	}
	if len(f.fields) == 0 {
		return nil, &Refusal{Reason: "HTML form refused: it has no named fields to carry the application"}
	}
	return &Form{Action: action.String(), Method: method, Fields: f.fields}, nil
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
	if !ok {
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
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return nil, false
	}
	var nums []uint64
	for _, p := range parts {
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
		if b, err := url.Parse(base); err == nil && h == hostName(b) {
			return true
		}
	}
	return false
}

// sandboxPage reports whether action is a page of the inexopaytest
// sandbox, which plays NSDL on the API's own origin: a path under
// /sandbox/ on an API that is a loopback host. It is the only action on
// the API's origin a form may have.
func sandboxPage(action, api *url.URL) bool {
	return hostName(api) == loopbackHost && strings.HasPrefix(action.EscapedPath(), "/sandbox/")
}
