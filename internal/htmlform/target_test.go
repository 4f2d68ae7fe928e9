package htmlform

import (
	"net/url"
	"testing"

	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandOff: a JSON answer's hand-off URL meets a form action's rules,
// and must be absolute; the reason masks its query.
func TestHandOff(t *testing.T) {
	api := pfMustURL(t, pfAPI)
	for raw, why := range map[string]string{
		"https://nsdl.example/pan?txid=1":           "",
		"https://nsdl.example:0443/pan#top":         "",
		"/nsdl/pan?txid=1":                          "hand-off URL is not an absolute URL",
		"%zz":                                       "hand-off URL is not an absolute URL",
		"javascript:alert(1)":                       `hand-off URL's scheme "javascript" is not https`,
		"data:text/html,x":                          `hand-off URL's scheme "data" is not https`,
		"http://nsdl.example/pan?token=SECRET":      "hand-off URL http://nsdl.example/pan?[REDACTED] is plain http",
		"https:///pan":                              "hand-off URL is not a valid URL: it has no host",
		"https://nsdl.example:65536/pan":            "hand-off URL's port is not one a browser goes to (1 to 65535)",
		"https://secure。inexopay。in/pan":            "hand-off URL's host is not plain ASCII",
		"https://mail.inexopay.in/api/x?t=SECRET":   "hand-off URL https://mail.inexopay.in/api/x?[REDACTED] points back to the API's own origin",
		"https://SECURE.INEXOPAY.IN./pan":           "points back to the API's own origin",
		"https://mail.inexopay.in:443/api/nsdl-pan": "points back to the API's own origin",
	} {
		got := HandOff(raw, api, pfAPIBases, nil)
		if why == "" {
			assert.Empty(t, got, raw)
			continue
		}
		assert.Contains(t, got, why, raw)
		assert.NotContains(t, got, "SECRET", raw)
	}
	// The sandbox's pages on a loopback API over plain http are the one
	// exception to the API's own origin.
	sandbox := pfMustURL(t, "http://127.0.0.1:8080/api/nsdl-bank/v1/account_open.php")
	assert.Empty(t, HandOff("http://127.0.0.1:8080/sandbox/nsdl/account_open?signcs=1", sandbox, pfAPIBases, nil))
	assert.Contains(t, HandOff("http://127.0.0.1:8080/nsdl/account_open", sandbox, pfAPIBases, nil), "own origin")
	assert.Contains(t, HandOff("http://127.0.0.1:8080/sandbox/x", pfMustURL(t, pfAPI), pfAPIBases, nil), "plain http")
}

// TestHandOffCarryingTheAPIKey: a hand-off URL that carries the call's API
// key, in any spelling the redaction masks, is refused without quoting it;
// without keys, or without the key in it, the URL is judged as before.
func TestHandOffCarryingTheAPIKey(t *testing.T) {
	const key = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	keys := new(redact.KeyCache).CallSecrets(url.Values{"api_key": {key}}, nil)
	api := pfMustURL(t, pfAPI)
	for _, sp := range secrettest.Spellings(key) {
		for _, raw := range []string{"https://nsdl.example/pan?k=" + url.QueryEscape(sp), "https://nsdl.example/" + url.PathEscape(sp)} {
			got := HandOff(raw, api, pfAPIBases, keys)
			assert.Contains(t, got, "API key", raw)
			assert.NotContains(t, got, key, raw)
			assert.Empty(t, HandOff(raw, api, pfAPIBases, nil), raw)
		}
	}
	assert.Empty(t, HandOff("https://nsdl.example/pan?txid=1", api, pfAPIBases, keys))
}

// Comparing a host name with the API's allocates nothing: the bases' host
// names are read once, and a name that is no IP address is not parsed as
// one.
func TestIsAPIHostAllocatesNothing(t *testing.T) {
	bases := []string{"https://api.inexopay.in", "https://mail.inexopay.in", "https://panel.inexopay.in"}
	for _, raw := range []string{"https://onlineservices.proteantech.in/paam/endUserRegisterContact.html", "https://api.inexopay.in/x"} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		want := isAPIHost(u, bases)
		assert.Zero(t, testing.AllocsPerRun(50, func() { _ = isAPIHost(u, bases) }), raw)
		assert.Equal(t, want, isAPIHost(u, bases), raw)
	}
}

// A host is read as an IPv4 address only when it is one in a form a
// browser reads; a name is refused before any part is parsed.
func TestBrowserIPv4(t *testing.T) {
	for h, want := range map[string]string{
		"127.1": "127.0.0.1", "0x7f.1": "127.0.0.1", "2130706433": "127.0.0.1", "0X7F.0.0.1": "127.0.0.1",
		"1.2.3.4": "1.2.3.4", "010.1": "8.0.0.1", "api.inexopay.in": "", "0xg.1": "", "abc": "", "dead.beef": "",
		"1_0.2.3.4": "", "+1.2.3.4": "", "1.2.3.4.5": "", "256.1.1.1": "", "1.2.3.": "", "": "",
	} {
		ip, ok := browserIPv4(h)
		assert.Equal(t, want != "", ok, h)
		if ok {
			assert.Equal(t, want, ip.String(), h)
		}
	}
}
