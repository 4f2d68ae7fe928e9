package htmlform

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pfMustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// TestParseRedirectForm is the table of pages the parser must read, and of
// pages it must refuse (ErrOutcomeUnknown at the call).
func TestParseRedirectForm(t *testing.T) {
	tests := []struct {
		name   string
		page   string
		reqURL string // default pfAPI
		want   *Form
		refuse string // substring of the refusal reason
		noForm bool   // the refusal shows the page's text
	}{
		{name: "one form",
			page: `<html><body onload="document.forms[0].submit()"><form method="post" action="https://nsdl.example/pan">
				<input type="hidden" name="txid" value="50089349"><input type="hidden" name="req" value="abc">
				<noscript><input type="submit" value="Go"></noscript></form></body></html>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded,
				Fields: url.Values{"txid": {"50089349"}, "req": {"abc"}}}},
		{name: "only form, not submitted by any script, method missing means GET",
			page: `<form action="https://nsdl.example/pan"><input name="a" value="1"></form>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "GET", Enctype: URLEncoded, Fields: url.Values{"a": {"1"}}}},
		{name: "several forms, onload submits the second by index",
			page: `<body onload="document.forms[1].submit()">
				<form action="https://portal.example/search"><input name="q" value="x"></form>
				<form method="POST" action="https://nsdl.example/pan"><input type="hidden" name="t" value="1"></form></body>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"t": {"1"}}}},
		{name: "several forms, script submits one by id",
			page: `<form id="lang" action="/lang"><select name="l"><option>en</option></select></form>
				<form id="nsdl" method="post" action="https://nsdl.example/pan"><input type="hidden" name="t" value="2"></form>
				<script>window.onload = function () { document.getElementById("nsdl").submit(); };</script>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"t": {"2"}}}},
		{name: "several forms, script submits one through a variable",
			page: `<form id="a" action="https://x.example/a"><input name="a" value="1"></form>
				<form id="b" method="post" action="https://nsdl.example/pan"><input name="b" value="2"></form>
				<script>
				var f = document.getElementById('b');
				f.submit();
				</script>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"b": {"2"}}}},
		{name: "several forms, script submits one by name, jQuery style by id",
			page: `<form name="other" action="https://x.example/"><input name="a" value="1"></form>
				<form name="panform" method="post" action="https://nsdl.example/pan"><input name="b" value="2"></form>
				<script>setTimeout(function(){document.panform.submit()}, 10)</script>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"b": {"2"}}}},
		{name: "several forms, none submitted on load",
			page: `<form action="https://a.example/"><input name="a" value="1"></form>
				<form action="https://b.example/"><input name="b" value="1"></form>`,
			refuse: "2 forms, none of them submitted on load"},
		{name: "several forms, two submitted on load",
			page: `<form id="a" action="https://a.example/"><input name="a" value="1"></form>
				<form id="b" action="https://b.example/"><input name="b" value="1"></form>
				<script>document.getElementById('a').submit(); document.getElementById('b').submit();</script>`,
			refuse: "2 forms, 2 of them submitted on load"},
		{name: "entities decoded in values, names and the action",
			page: `<form method="post" action="https://nsdl.example/pan?a=1&amp;b=2">
				<input type="hidden" name="na&amp;me" value="A &amp; B &lt;c&gt; &quot;q&quot; &#x20B9;&#8377; &rupee &nbsp;x">
				<input type="hidden" name="tok" value="ab+/c==">
				<textarea name="note">
line1 &amp; line2
line3</textarea></form>`,
			want: &Form{Action: "https://nsdl.example/pan?a=1&b=2", Method: "POST", Enctype: URLEncoded,
				Fields: url.Values{"na&me": {"A & B <c> \"q\" ₹₹ &rupee \u00a0x"}, "tok": {"ab+/c=="},
					"note": {"line1 & line2\r\nline3"}}}},
		{name: "host with ideographic dots (a browser reads secure.inexopay.in)",
			page:   `<form method="post" action="https://secure。inexopay。in/x"><input name="a" value="1"></form>`,
			refuse: "not plain ASCII"},
		{name: "host in full-width letters",
			page:   `<form method="post" action="https://ｎｓｄｌ.example/pan"><input name="a" value="1"></form>`,
			refuse: "not plain ASCII"},
		{name: "host percent-encoded",
			page:   `<form method="post" action="https://secure%2Einexopay.in/x"><input name="a" value="1"></form>`,
			refuse: "not a valid URL"},
		{name: "relative action: back to the API's origin",
			page:   `<form method="post" action="../../nsdl/redirect.php?x=1"><input name="a" value="1"></form>`,
			refuse: "back to the API"},
		{name: "root-relative action: back to the API's origin",
			page:   `<form method="post" action="/nsdl/pan?process_id=2504"><input name="a" value="1"></form>`,
			refuse: "back to the API"},
		{name: "sandbox path on an API that is not loopback: back to the API's origin",
			page:   `<form method="post" action="/sandbox/nsdl/pan"><input name="a" value="1"></form>`,
			refuse: "back to the API"},
		{name: "absolute action on the API's origin, spelled otherwise",
			page:   `<form method="post" action="https://MAIL.inexopay.in.:443/nsdl/pan"><input name="a" value="1"></form>`,
			refuse: "back to the API"},
		{name: "the resume endpoint's form posting to the request endpoint",
			page:   `<form method="post" action="https://mail.inexopay.in/api/nsdl-pan/v1/request_pan.php"><input name="a" value="1"></form>`,
			reqURL: "https://mail.inexopay.in/api/nsdl-pan/v1/incomplete_pan.php",
			refuse: "back to the API"},
		{name: "another port of the API's host is another origin",
			page:   `<form method="post" action="https://api.partner.example:8443/nsdl/pan"><input name="a" value="1"></form>`,
			reqURL: "https://api.partner.example/api/nsdl-pan/v1/request_pan.php",
			want: &Form{Action: "https://api.partner.example:8443/nsdl/pan", Method: "POST", Enctype: URLEncoded,
				Fields: url.Values{"a": {"1"}}}},
		{name: "the sandbox's NSDL page on a loopback https sandbox",
			page:   `<form method="post" action="/sandbox/nsdl/pan"><input name="a" value="1"></form>`,
			reqURL: "https://127.0.0.1:8443/api/nsdl-pan/v1/request_pan.php",
			want: &Form{Action: "https://127.0.0.1:8443/sandbox/nsdl/pan", Method: "POST", Enctype: URLEncoded,
				Fields: url.Values{"a": {"1"}}}},
		{name: "another INEXOPAY API host is the API too",
			page:   `<form method="post" action="https://SECURE.INEXOPAY.IN./nsdl/pan"><input name="a" value="1"></form>`,
			refuse: "back to the API"},
		{name: "the API's host and port under the other scheme are the API too",
			page:   `<form method="post" action="https://127.0.0.1:8080/nsdl/pan"><input name="a" value="1"></form>`,
			reqURL: "http://127.0.0.1:8080/api/nsdl-pan/v1/request_pan.php",
			refuse: "back to the API"},
		{name: "a loopback API's own pages other than /sandbox/ are back to the API",
			page:   `<form method="post" action="/nsdl/pan"><input name="a" value="1"></form>`,
			reqURL: "https://127.0.0.1:8443/api/nsdl-pan/v1/request_pan.php",
			refuse: "back to the API"},
		{name: "relative action resolved against <base href>",
			page: `<head><base href="https://nsdl.example/app/"></head><form method="post" action="pan"><input name="a" value="1"></form>`,
			want: &Form{Action: "https://nsdl.example/app/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"a": {"1"}}}},
		{name: "<base> in <svg> is no base of the page",
			page: `<svg><base href="https://other.example/"></base></svg><base href="https://nsdl.example/app/"><form method="post" action="pan"><input name="a" value="1"></form>`,
			want: &Form{Action: "https://nsdl.example/app/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"a": {"1"}}}},
		{name: "scheme-relative action takes the request's scheme",
			page:   `<form method="post" action="//nsdl.example/pan"><input name="a" value="1"></form>`,
			reqURL: "http://panel.inexopay.in/api/nsdl-pan/v1/request_pan.php",
			refuse: "http://nsdl.example/pan is plain http"},
		{name: "http action refused",
			page:   `<form method="post" action="http://nsdl.example/pan?token=SECRET"><input name="a" value="1"></form>`,
			refuse: "its action http://nsdl.example/pan is plain http, which would send the applicant's data unencrypted (https is required)"},
		{name: "http action refused when the client talks plain http to a host that is not loopback",
			page:   `<form method="post" action="http://127.0.0.1/pan"><input name="a" value="1"></form>`,
			reqURL: "http://panel.inexopay.in/api/nsdl-pan/v1/request_pan.php",
			refuse: "plain http"},
		{name: "http action to a host that is not loopback refused even from the loopback sandbox",
			page:   `<form method="post" action="http://nsdl.example/pan"><input name="a" value="1"></form>`,
			reqURL: "http://127.0.0.1:8080/api/nsdl-pan/v1/request_pan.php",
			refuse: "plain http"},
		{name: "http loopback action accepted from the loopback sandbox",
			page:   `<form method="post" action="/sandbox/nsdl/pan"><input name="a" value="1"></form>`,
			reqURL: "http://127.0.0.1:8080/api/nsdl-pan/v1/request_pan.php",
			want: &Form{Action: "http://127.0.0.1:8080/sandbox/nsdl/pan", Method: "POST", Enctype: URLEncoded,
				Fields: url.Values{"a": {"1"}}}},
		{name: "javascript action refused",
			page:   `<form method="post" action="javascript:alert(1)"><input name="a" value="1"></form>`,
			refuse: `scheme "javascript" is not https`},
		{name: "no form: an error page",
			page:   `<html><head><title>Error</title></head><body><h1>Invalid API key</h1></body></html>`,
			refuse: "without a form", noForm: true},
		{name: "no form: a maintenance page",
			page:   `<!DOCTYPE html><html><body><p>We are down for maintenance.</p></body></html>`,
			refuse: "without a form", noForm: true},
		{name: "a form only inside <noscript> or <template> does not count",
			page: `<noscript><form action="https://a.example/"><input name="a" value="1"></form></noscript>
				<template><form action="https://b.example/"><input name="b" value="1"></form></template>`,
			refuse: "without a form", noForm: true},
		{name: "form without action",
			page:   `<form method="post"><input name="a" value="1"></form>`,
			refuse: "no action"},
		{name: "form posting back to the API call itself",
			page:   `<form method="post" action="request_pan.php?retry=1"><input name="a" value="1"></form>`,
			refuse: "back to the API"},
		{name: "form without fields",
			page:   `<form method="post" action="https://nsdl.example/pan"><button>Back</button></form>`,
			refuse: "no named fields"},
		{name: "form cut short: no </form>",
			page:   `<html><body onload="document.forms[0].submit()"><form method="post" action="https://nsdl.example/pan"><input type="hidden" name="txid" value="5008`,
			refuse: "no </form>"},
		{name: "dialog method",
			page:   `<form method="dialog" action="https://nsdl.example/pan"><input name="a" value="1"></form>`,
			refuse: "dialog"},
		{name: "fields as a browser submits them",
			page: `<form method="post" action="https://nsdl.example/pan">
				<input name="text" value="t">
				<input type="checkbox" name="cb1" checked><input type="checkbox" name="cb2" value="x">
				<input type="radio" name="r" value="1"><input type="radio" name="r" value="2" checked>
				<input type="submit" name="go" value="Go"><input type="image" name="img"><input type="button" name="b" value="b">
				<input type="reset" name="rs"><input type="file" name="f"><input name="" value="anon"><input value="noname">
				<input name="dis" value="d" disabled>
				<fieldset disabled><input name="infs" value="x"></fieldset>
				<select name="s1"><option>first</option><option value="v2">second</option></select>
				<select name="s2"><option value="a" selected>A</option><option value="b" selected>B</option></select>
				<select name="s3" multiple><option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option></select>
				<select name="s4"><option disabled>x</option><option>  spaced   text </option></select>
				<input name="dup" value="1"><input name="dup" value="2">
				<input name="elsewhere" value="e" form="other">
				<form action="https://nested.example/"><input name="nested" value="n"></form>
				<button name="btn" value="v">Go</button>
			</form>
			<input name="outside" value="o" form="main">
			<form id="other" action="https://other.example/"><input name="o" value="1"></form>
			<script>document.forms[0].submit()</script>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{
				"text": {"t"}, "cb1": {"on"}, "r": {"2"}, "s1": {"first"}, "s2": {"b"}, "s3": {"a", "c"},
				"s4": {"spaced text"}, "dup": {"1", "2"}, "nested": {"n"}}, Submits: url.Values{"go": {"Go"}}}},
		{name: "form attribute joins a field to its form by id",
			page: `<form id="main" method="post" action="https://nsdl.example/pan"><input name="in" value="1"></form>
				<input name="out" value="2" form="main">`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded,
				Fields: url.Values{"in": {"1"}, "out": {"2"}}}},
		{name: "a field named submit does not confuse anything",
			page: `<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="submit" value="1"></form>`,
			want: &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"submit": {"1"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.reqURL
			if req == "" {
				req = pfAPI
			}
			got, refusal := Parse([]byte(tc.page), pfMustURL(t, req), pfAPIBases...)
			if tc.want != nil {
				require.Nil(t, refusal)
				assert.Equal(t, tc.want, got)
				return
			}
			require.NotNil(t, refusal, "want a refusal, got %+v", got)
			assert.Nil(t, got)
			assert.Contains(t, refusal.Reason, tc.refuse)
			assert.Equal(t, tc.noForm, refusal.ShowPage)
			assert.NotContains(t, refusal.Reason, "SECRET", "the action's query is not quoted")
		})
	}
}

// TestParseRedirectFormUnknownURL: without the page's URL a relative
// action cannot be resolved, and a plain-http action is never accepted.
func TestParseRedirectFormUnknownURL(t *testing.T) {
	_, r := Parse([]byte(`<form action="/pan"><input name="a" value="1"></form>`), nil)
	require.NotNil(t, r)
	assert.Contains(t, r.Reason, "relative")
	_, r = Parse([]byte(`<form action="http://127.0.0.1/pan"><input name="a" value="1"></form>`), nil)
	require.NotNil(t, r)
	assert.Contains(t, r.Reason, "plain http")
	f, r := Parse([]byte(`<form action="https://n.example/pan"><input name="a" value="1"></form>`), nil)
	require.Nil(t, r)
	assert.Equal(t, "https://n.example/pan", f.Action)
}

const pfAPI = "https://mail.inexopay.in/api/nsdl-pan/v1/request_pan.php"

// pfAPIBases are the documented API hosts, as the root passes them.
var pfAPIBases = []string{"https://secure.inexopay.in", "https://mail.inexopay.in", "http://panel.inexopay.in"}

// TestParseRefusesTheAPIOriginInAnotherSpelling: an action on the API's own
// host written another way (IPv4 as one number, in hex, octal or short
// form, IPv4-mapped IPv6, localhost for loopback and the reverse, a
// trailing dot, upper case, the default port) is refused as an action on
// the API's origin is.
func TestParseRefusesTheAPIOriginInAnotherSpelling(t *testing.T) {
	const form = `<form method="post" action="%s/nsdl/pan"><input name="a" value="1"></form>`
	tests := []struct{ api, action string }{
		{"http://127.0.0.1:8080", "https://2130706433:8080"},
		{"http://127.0.0.1:8080", "https://0x7f.0.0.1:8080"},
		{"http://127.0.0.1:8080", "https://0x7F000001:8080"},
		{"http://127.0.0.1:8080", "https://0177.0.0.1:8080"},
		{"http://127.0.0.1:8080", "https://127.1:8080"},
		{"http://127.0.0.1:8080", "https://127.0.1:8080"},
		{"http://127.0.0.1:8080", "https://[::ffff:127.0.0.1]:8080"},
		{"http://127.0.0.1:8080", "https://[::ffff:7f00:1]:8080"},
		{"http://127.0.0.1:8080", "https://localhost:8080"},
		{"http://127.0.0.1:8080", "https://LOCALHOST.:8080"},
		{"http://127.0.0.1:8080", "https://[::1]:8080"},
		{"http://localhost:8080", "https://127.0.0.1:8080"},
		{"http://localhost:8080", "https://2130706433:8080"},
		{"http://LocalHost.:8080", "https://localhost:8080"},
		{"https://[::ffff:127.0.0.1]:8443", "https://127.0.0.1:8443"},
		{"https://10.0.0.7", "https://0xa.0.0.7:443"},
		{"https://10.0.0.7", "https://167772167"},
		{"https://10.0.0.7", "https://012.7"},
		{"https://Api.Partner.Example.", "https://api.partner.example:443"},
	}
	for _, tt := range tests {
		t.Run(tt.api+" "+tt.action, func(t *testing.T) {
			u, err := url.Parse(tt.api + "/api/nsdl-pan/v1/request_pan.php")
			require.NoError(t, err)
			f, refusal := Parse([]byte(fmt.Sprintf(form, tt.action)), u)
			require.NotNil(t, refusal, "accepted %+v", f)
			assert.Contains(t, refusal.Reason, "back to the API")
		})
	}
	// Hosts that only look alike are other origins.
	for _, tt := range []struct{ api, action string }{
		{"https://10.0.0.7", "https://10.0.0.8"},
		{"https://10.0.0.7", "https://10.0.0.7.example"},
		{"https://127.0.0.1:8443", "https://127.0.0.1:9443"},
		{"https://api.partner.example", "https://0x7f.0.0.1"},
	} {
		u, err := url.Parse(tt.api + "/api/nsdl-pan/v1/request_pan.php")
		require.NoError(t, err)
		f, refusal := Parse([]byte(fmt.Sprintf(form, tt.action)), u)
		assert.Nil(t, refusal, "%s vs %s", tt.api, tt.action)
		assert.NotNil(t, f)
	}
	// The documented API hosts, spelled otherwise.
	f, refusal := Parse([]byte(fmt.Sprintf(form, "https://SECURE.inexopay.IN.:443")), nil, "https://secure.inexopay.in")
	assert.Nil(t, f)
	require.NotNil(t, refusal)
	assert.Contains(t, refusal.Reason, "back to the API")
}

// TestParseRefusesTheAPIOriginWithLeadingZeroPort: a browser reads the port
// "0443" as 443, so an action on the API's host with its port written with
// leading zeros is on the API's own origin.
func TestParseRefusesTheAPIOriginWithLeadingZeroPort(t *testing.T) {
	const form = `<form method="post" action="%s/nsdl/pan"><input name="a" value="1"></form>`
	for _, tt := range []struct{ api, action string }{
		{"https://api.proxy.example", "https://api.proxy.example:0443"},
		{"https://api.proxy.example", "https://api.proxy.example:00443"},
		{"https://api.proxy.example:0443", "https://api.proxy.example"},
		{"http://127.0.0.1:8080", "https://127.0.0.1:08080"},
		{"http://127.0.0.1:8080", "https://localhost:000008080"},
	} {
		u, err := url.Parse(tt.api + "/api/nsdl-pan/v1/request_pan.php")
		require.NoError(t, err)
		f, refusal := Parse([]byte(fmt.Sprintf(form, tt.action)), u)
		require.NotNil(t, refusal, "%s vs %s: accepted %+v", tt.api, tt.action, f)
		assert.Contains(t, refusal.Reason, "back to the API")
	}
	// Another port with zeros in front is another origin.
	u := pfMustURL(t, "https://api.proxy.example/api/nsdl-pan/v1/request_pan.php")
	f, refusal := Parse([]byte(fmt.Sprintf(form, "https://api.proxy.example:08443")), u)
	assert.Nil(t, refusal)
	assert.NotNil(t, f)
}

// TestParseRefusesAnActionPortNoBrowserAccepts: a port outside 1–65535 (or
// not a number) leaves the browser nowhere to go, so the form is unusable.
func TestParseRefusesAnActionPortNoBrowserAccepts(t *testing.T) {
	const form = `<form method="post" action="%s/nsdl/pan"><input name="a" value="1"></form>`
	api := pfMustURL(t, "https://api.partner.example/api/nsdl-pan/v1/request_pan.php")
	for _, action := range []string{
		"https://nsdl.example:99999", "https://nsdl.example:65536", "https://nsdl.example:0",
		"https://nsdl.example:00000", "https://nsdl.example:184467440737095516150", "https://nsdl.example:4x3",
	} {
		f, refusal := Parse([]byte(fmt.Sprintf(form, action)), api)
		require.NotNil(t, refusal, "%s: accepted %+v", action, f)
		assert.Nil(t, f)
	}
	for _, action := range []string{"https://nsdl.example:65535", "https://nsdl.example:1", "https://nsdl.example:0443", "https://nsdl.example:"} {
		f, refusal := Parse([]byte(fmt.Sprintf(form, action)), api)
		assert.Nil(t, refusal, action)
		assert.NotNil(t, f, action)
	}
}

// TestParseRefusesAPageThatSendsTheApplicantElsewhere: a submit control
// whose formaction or formmethod differs from its form's, a script that
// sets the action or navigates, or a meta refresh leaves the SDK unable to
// tell where the browser goes.
func TestParseRefusesAPageThatSendsTheApplicantElsewhere(t *testing.T) {
	const fields = `<input type="hidden" name="a" value="1">`
	for name, page := range map[string]string{
		"button formaction": `<form method="post" action="https://nsdl.example/pan">` + fields +
			`<button formaction="https://evil.example/x">Go</button></form>`,
		"input submit formaction": `<form method="post" action="https://nsdl.example/pan">` + fields +
			`<input type="submit" formaction="/other"></form>`,
		"image formaction": `<form method="post" action="https://nsdl.example/pan">` + fields +
			`<input type="IMAGE" formaction="https://nsdl.example/other"></form>`,
		"empty formaction is the page itself": `<form method="post" action="https://nsdl.example/pan">` + fields +
			`<button formaction="">Go</button></form>`,
		"button formmethod": `<form method="post" action="https://nsdl.example/pan">` + fields +
			`<button type="submit" formmethod="get">Go</button></form>`,
		"button outside the form joined by its form attribute": `<form id="f" method="post" action="https://nsdl.example/pan">` +
			fields + `</form><button form="f" formaction="https://evil.example/">Go</button>`,
		"script sets the action": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>var f = document.forms[0]; f.action = "https://evil.example/"; f.submit();</script>`,
		"script sets the action without spaces": `<form name="p" method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>document.forms[0].action='https://evil.example/';document.p.submit()</script>`,
		"script calls setAttribute": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>document.forms[0].setAttribute( "Action" , "https://evil.example/")</script>`,
		"script sets location.href": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>location.href = "https://evil.example/"</script>`,
		"script replaces the location": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>window.location.replace("https://evil.example/")</script>`,
		"script assigns window.location": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>window.location="https://evil.example/"</script>`,
		"body onload navigates": `<body onload="document.location.assign('https://evil.example/')">` +
			`<form method="post" action="https://nsdl.example/pan">` + fields + `</form></body>`,
		"script sets another part of the location": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>top.location.pathname = "/x"</script>`,
		"script sets the location by index": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>window.location [ "href" ] = "https://evil.example/"</script>`,
		"script sets the action by index": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>document.forms[0]['action'] = "https://evil.example/"</script>`,
		"script opens a window in its place": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>window.open("https://evil.example/","_self")</script>`,
		"script opens a window by index": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>window [ 'open' ] ("https://evil.example/")</script>`,
		"script calls open": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>open ("https://evil.example/", "_top")</script>`,
		"script sets the method": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>document.forms[0].method="get";document.forms[0].submit()</script>`,
		"script sets the encoding": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>document.forms[0]["enctype"] = "text/plain"</script>`,
		"script sets the target": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>var f = document.forms[0]; f.target = "_blank"; f.submit()</script>`,
		"script sets the method attribute": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>
			<script>document.forms[0].setAttribute("METHOD", "get")</script>`,
		"meta refresh": `<head><meta http-equiv="refresh" content="0;url=https://evil.example/"></head>` +
			`<form method="post" action="https://nsdl.example/pan">` + fields + `</form>`,
		"meta refresh inside <style> in <svg>, which a browser parses as markup": `<svg><style><meta http-equiv="refresh" content="0;url=https://evil.example/"></style></svg>` +
			`<form method="post" action="https://nsdl.example/pan">` + fields + `</form>`,
		"meta refresh in other case and spacing": `<head><META HTTP-EQUIV=" Refresh " CONTENT="0 ; URL = https://evil.example/"></head>` +
			`<form method="post" action="https://nsdl.example/pan">` + fields + `</form>`,
	} {
		t.Run(name, func(t *testing.T) {
			f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.NotNil(t, refusal, "accepted %+v", f)
			assert.Nil(t, f)
			assert.Contains(t, refusal.Reason, "HTML form refused")
			assert.NotContains(t, refusal.Reason, "evil.example", "the page's text is not quoted")
		})
	}
}

// TestParseAcceptsSubmitControlsAndScriptsThatKeepTheAction: a submit
// control that repeats its form's action and method, a button that does not
// submit, and a script that only submits leave the destination known.
func TestParseAcceptsSubmitControlsAndScriptsThatKeepTheAction(t *testing.T) {
	const fields = `<input type="hidden" name="a" value="1">`
	want := &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"a": {"1"}}}
	for name, page := range map[string]string{
		"same action, spelled relative, same method": `<head><base href="https://nsdl.example/"></head>` +
			`<form method="post" action="https://nsdl.example/pan">` + fields +
			`<button formaction="pan#top" formmethod="POST">Go</button></form>`,
		"a plain button and a reset with formaction": `<form method="post" action="https://nsdl.example/pan">` + fields +
			`<button type="button" formaction="https://x.example/">B</button><input type="reset" formaction="/x"></form>`,
		"a submit button of another form": `<form method="post" action="https://nsdl.example/pan">` + fields + `</form>` +
			`<form id="g" action="https://x.example/"><input name="g" value="1"></form>` +
			`<button form="g" formaction="https://y.example/">Go</button><script>document.forms[0].submit()</script>`,
		"meta other than refresh": `<head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>` +
			`<form method="post" action="https://nsdl.example/pan">` + fields + `</form>`,
	} {
		t.Run(name, func(t *testing.T) {
			f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.Nil(t, refusal)
			assert.Equal(t, want, f)
		})
	}
}

// TestParseEnctype: the form's enctype is read as a browser reads it: one
// of the three encodings, an ASCII case-insensitive match, anything else
// (missing, unknown, spaced) the default.
func TestParseEnctype(t *testing.T) {
	const urlencoded, multipart, plain = "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"
	for attr, want := range map[string]string{
		``:                                 urlencoded,
		`enctype`:                          urlencoded,
		`enctype=""`:                       urlencoded,
		`enctype="multipart/form-data"`:    multipart,
		`ENCTYPE="Multipart/Form-Data"`:    multipart,
		`enctype="text/plain"`:             plain,
		`enctype="TEXT/PLAIN"`:             plain,
		`enctype=" multipart/form-data"`:   urlencoded,
		`enctype="multipart/form-data; x"`: urlencoded,
		`enctype="application/json"`:       urlencoded,
		`enctype="application/x-www-form-urlencoded"`: urlencoded,
	} {
		for _, method := range []string{"post", "get"} {
			page := `<form method="` + method + `" ` + attr + ` action="https://nsdl.example/pan"><input type="hidden" name="a" value="1"></form>`
			got, refusal := Parse([]byte(page), pfMustURL(t, pfAPI))
			require.Nil(t, refusal, page)
			assert.Equal(t, want, got.Enctype, page)
		}
	}
}

// TestParseSubmitControlEnctype: a submit control whose formenctype sends a
// POST form in another encoding is refused, like one with its own
// formaction; one that names the form's own encoding, or any on a GET
// form (which sends its fields in the query whatever the encoding), is not.
func TestParseSubmitControlEnctype(t *testing.T) {
	const fields = `<input type="hidden" name="a" value="1">`
	for _, page := range []string{
		`<form method="post" action="https://nsdl.example/pan">` + fields + `<button formenctype="multipart/form-data">Go</button></form>`,
		`<form method="post" enctype="multipart/form-data" action="https://nsdl.example/pan">` + fields + `<input type="submit" formenctype="text/plain"></form>`,
		`<form method="post" enctype="text/plain" action="https://nsdl.example/pan">` + fields + `<button formenctype="">Go</button></form>`,
		`<form id="f" method="post" action="https://nsdl.example/pan">` + fields + `</form><button form="f" formenctype="text/plain">Go</button>`,
	} {
		_, refusal := Parse([]byte(page), pfMustURL(t, pfAPI))
		require.NotNil(t, refusal, page)
		assert.Contains(t, refusal.Reason, "encoding (formenctype)", page)
	}
	for _, page := range []string{
		`<form method="post" enctype="multipart/form-data" action="https://nsdl.example/pan">` + fields + `<button formenctype="MULTIPART/form-data">Go</button></form>`,
		`<form method="post" action="https://nsdl.example/pan">` + fields + `<button formenctype="bogus">Go</button></form>`,
		`<form method="get" action="https://nsdl.example/pan">` + fields + `<button formenctype="text/plain">Go</button></form>`,
		`<form method="post" action="https://nsdl.example/pan">` + fields + `<button type="button" formenctype="text/plain">B</button></form>`,
	} {
		_, refusal := Parse([]byte(page), pfMustURL(t, pfAPI))
		assert.Nil(t, refusal, page)
	}
}

// TestParseCharsetField: a hidden input named _charset_ (in any case)
// submits the name of the submission's encoding, UTF-8, whatever its value,
// as a browser sends it; other inputs of that name keep their value.
func TestParseCharsetField(t *testing.T) {
	for in, want := range map[string]url.Values{
		`<input type="hidden" name="_charset_">`:                    {"_charset_": {"UTF-8"}},
		`<input type="hidden" name="_charset_" value="">`:           {"_charset_": {"UTF-8"}},
		`<input type="HIDDEN" name="_CHARSET_" value="ISO-8859-1">`: {"_CHARSET_": {"UTF-8"}},
		`<input type="text" name="_charset_">`:                      {"_charset_": {""}},
		`<input type="hidden" name="charset">`:                      {"charset": {""}},
		`<textarea name="_charset_"></textarea>`:                    {"_charset_": {""}},
	} {
		page := `<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="a" value="1">` + in + `</form>`
		got, refusal := Parse([]byte(page), pfMustURL(t, pfAPI))
		require.Nil(t, refusal, page)
		want.Set("a", "1")
		assert.Equal(t, want, got.Fields, page)
	}
}
