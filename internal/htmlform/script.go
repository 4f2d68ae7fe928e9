package htmlform

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// A script is acceptable only when it does nothing but submit forms of the
// page (an allow-list: anything else, however harmless, is refused, so that
// no trick is missed). After comments and white space it is a list of:
//
//	FORM.submit()  FORM.requestSubmit()  HTMLFormElement.prototype.submit.call(FORM)
//	var|let|const NAME = FORM
//
// optionally wrapped, at any depth, in window.onload = FN,
// window.addEventListener('load' or 'DOMContentLoaded', FN),
// document.addEventListener(…, FN), setTimeout(FN, N) or (FN)(), where FN
// is a function (function () { … }, () => { … }, () => call) and FORM is
// document.forms[N], document.forms['x'], document.forms.x,
// document.getElementById('x'), document.querySelector('#x' or 'form'),
// document.getElementsByTagName('form')[N], document.x, or a NAME declared
// before it in the same function.

// scriptSubmits checks a script (or, handler set, the body's onload) against
// the allow-list: it returns the forms the script submits, or what in it is
// not allowed.
func scriptSubmits(src string, handler bool) ([]formRef, string) {
	toks, why := jsTokens(src)
	if why != "" {
		return nil, why
	}
	p := &jsParser{toks: toks}
	if handler && p.peek(0).is("javascript") && p.peek(1).is(":") {
		p.pos += 2 // a label, as old pages write it
	}
	p.body("")
	return p.refs, p.why
}

// reserved are names a script may not declare: the ones the allow-list
// reads, and the location (a global var of that name navigates).
var reserved = map[string]bool{"document": true, "window": true, "self": true, "top": true, "parent": true,
	"frames": true, "globalThis": true, "location": true, "HTMLFormElement": true, "setTimeout": true}

type jsParser struct {
	toks []jsToken
	pos  int
	refs []formRef
	why  string // the first thing not allowed
}

func (p *jsParser) peek(i int) jsToken {
	if p.pos+i < len(p.toks) {
		return p.toks[p.pos+i]
	}
	return jsToken{}
}

// fail records what the parser met where it expected something else.
func (p *jsParser) fail() bool {
	if p.why == "" {
		p.why = p.peek(0).describe()
	}
	return false
}

// want consumes the next tokens when they are words, else fails.
func (p *jsParser) want(words ...string) bool {
	for _, w := range words {
		if p.why != "" || !p.peek(0).is(w) {
			return p.fail()
		}
		p.pos++
	}
	return true
}

// body reads statements until the token end ("" for the end of the script).
func (p *jsParser) body(end string) {
	scope := map[string]formRef{}
	for p.why == "" {
		switch t := p.peek(0); {
		case t.kind == 0: // the end of the script: early inside a function
			if end != "" {
				p.fail()
			}
			return
		case end != "" && t.is(end):
			return
		}
		if p.peek(0).is(";") {
			p.pos++
			continue
		}
		if !p.statement(scope) {
			p.fail()
			return
		}
		// A statement ends at ";", a line break, "}" or the end.
		next := p.peek(0)
		if !next.is(";") && !next.is("}") && next.kind != 0 && !next.nl {
			p.fail()
			return
		}
	}
}

func (p *jsParser) statement(scope map[string]formRef) bool {
	t := p.peek(0)
	switch {
	case t.is("var") || t.is("let") || t.is("const"):
		name := p.peek(1)
		if name.kind != 'i' || reserved[name.text] || strings.HasPrefix(name.text, "on") {
			p.pos++
			return false
		}
		p.pos += 2
		if !p.want("=") {
			return false
		}
		ref, ok := p.form(scope)
		if ok {
			scope[name.text] = ref
		}
		return ok
	case t.is("window") && p.peek(2).is("onload"):
		return p.want("window", ".", "onload", "=") && p.function()
	case (t.is("window") || t.is("document")) && p.peek(2).is("addEventListener"):
		p.pos++
		if !p.want(".", "addEventListener", "(") {
			return false
		}
		if ev := p.peek(0); ev.kind != 's' || ev.text != "load" && ev.text != "DOMContentLoaded" {
			return false
		}
		p.pos++
		if !p.want(",") || !p.function() {
			return false
		}
		if p.peek(0).is(",") && (p.peek(1).is("false") || p.peek(1).is("true")) {
			p.pos += 2
		}
		return p.want(")")
	case t.is("setTimeout") || t.is("window") && p.peek(2).is("setTimeout"):
		if t.is("window") {
			p.pos += 2
		}
		if !p.want("setTimeout", "(") || !p.function() {
			return false
		}
		if p.peek(0).is(",") && p.peek(1).kind == 'n' {
			p.pos += 2
		}
		return p.want(")")
	case t.is("("):
		p.pos++
		return p.function() && p.want(")", "(", ")")
	case t.is("HTMLFormElement"):
		p.pos++
		if !p.want(".", "prototype", ".") || !p.peek(0).is("submit") && !p.peek(0).is("requestSubmit") {
			return false
		}
		p.pos++
		if !p.want(".", "call", "(") {
			return false
		}
		ref, ok := p.form(scope)
		if ok && p.want(")") {
			p.refs = append(p.refs, ref)
			return true
		}
		return false
	}
	return p.submit(scope)
}

// submit reads FORM.submit() or FORM.requestSubmit().
func (p *jsParser) submit(scope map[string]formRef) bool {
	ref, ok := p.form(scope)
	if !ok || !p.want(".") || !p.peek(0).is("submit") && !p.peek(0).is("requestSubmit") {
		return false
	}
	p.pos++
	if !p.want("(", ")") {
		return false
	}
	p.refs = append(p.refs, ref)
	return true
}

// function reads a function without statements of its own other than the
// allowed ones: function [name](params) { … }, (params) => { … },
// param => { … } or an arrow whose body is one submit.
func (p *jsParser) function() bool {
	arrow := true
	if p.peek(0).is("function") {
		arrow = false
		p.pos++
		if p.peek(0).kind == 'i' {
			p.pos++
		}
	}
	switch {
	case arrow && p.peek(0).kind == 'i':
		if !p.param() {
			return false
		}
	case p.want("("):
		for !p.peek(0).is(")") {
			if !p.param() || !p.peek(0).is(")") && !p.want(",") {
				return false
			}
		}
		p.pos++
	default:
		return false
	}
	if arrow && !p.want("=>") {
		return false
	}
	if arrow && !p.peek(0).is("{") {
		return p.submit(map[string]formRef{})
	}
	if !p.want("{") {
		return false
	}
	p.body("}")
	return p.want("}")
}

func (p *jsParser) param() bool {
	t := p.peek(0)
	if t.kind != 'i' || reserved[t.text] {
		return false
	}
	p.pos++
	return true
}

// form reads an expression naming a form (see the list above).
func (p *jsParser) form(scope map[string]formRef) (formRef, bool) {
	if t := p.peek(0); t.kind == 'i' && !t.is("document") {
		ref, ok := scope[t.text]
		if ok {
			p.pos++
		}
		return ref, ok
	}
	if !p.want("document", ".") {
		return formRef{}, false
	}
	name, arg := p.peek(0), p.peek(2)
	if name.kind != 'i' {
		return formRef{}, false
	}
	p.pos++
	switch name.text {
	case "forms":
		if p.peek(0).is(".") && p.peek(1).kind == 'i' && !p.peek(2).is("(") {
			p.pos += 2
			return formRef{how: "item", key: p.peek(-1).text}, true
		}
		return p.index("item")
	case "getElementById", "querySelector", "getElementsByTagName":
		if !p.want("(") || arg.kind != 's' {
			return formRef{}, false
		}
		p.pos++
		if !p.want(")") {
			return formRef{}, false
		}
		switch {
		case name.text == "getElementById":
			return formRef{how: "id", key: arg.text}, true
		case name.text == "querySelector" && arg.text == "form":
			return formRef{how: "index"}, true
		case name.text == "querySelector" && strings.HasPrefix(arg.text, "#") && isIdent(arg.text[1:]):
			return formRef{how: "id", key: arg.text[1:]}, true
		case name.text == "getElementsByTagName" && strings.EqualFold(arg.text, "form"):
			return p.index("")
		}
		p.pos-- // point at the argument
		return formRef{}, false
	}
	return formRef{how: "name", key: name.text}, true
}

// index reads [n] (or, how set, ["key"]) after a collection of forms.
func (p *jsParser) index(how string) (formRef, bool) {
	k := p.peek(1)
	if !p.want("[") || k.kind != 'n' && (how == "" || k.kind != 's') {
		return formRef{}, false
	}
	p.pos++
	if !p.want("]") {
		return formRef{}, false
	}
	if k.kind == 's' {
		return formRef{how: how, key: k.text}, true
	}
	n, err := strconv.Atoi(k.text)
	return formRef{how: "index", n: n}, err == nil
}

// readCode sets page's scripts, onloads, unsafe, base and refresh from the
// page as a browser's parser builds it (markup inside <style> or
// <noscript> in <svg> or <math> is elements, a second <body> adds its
// attributes to the first), leaving out the inert content of <template>;
// <noscript>, text as scripts run, is read as without them (readNoscript).
// A form or control that the parser builds and scanHTML did not read, or
// the reverse, makes the page unsafe.
func (page *scannedPage) readCode(body []byte) {
	root, err := html.Parse(bytes.NewReader(body))
	if err != nil { // only a reader error, which bytes.Reader has not
		page.unsafe = "the page cannot be read"
		return
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "template" && n.Namespace == "" {
				return
			}
			page.checkTag(n.Data, n.Attr)
			if n.Namespace == "" && controlTags[n.Data] {
				page.controls[controlKey(n.Data, n.Attr)]--
			}
			if n.Data == "script" {
				page.scripts = append(page.scripts, rawText(n))
			}
			if n.Data == "noscript" && n.Namespace == "" {
				page.readNoscript(n) // its text, as markup
			}
			for _, a := range n.Attr {
				switch {
				case n.Namespace != "" || a.Namespace != "":
				case n.Data == "body" && a.Key == "onload":
					page.onloads = append(page.onloads, a.Val)
				case n.Data == "base" && a.Key == "href" && page.base == "":
					page.base = strings.TrimSpace(a.Val)
				case n.Data == "meta" && a.Key == "http-equiv" && strings.EqualFold(strings.TrimSpace(a.Val), "refresh"):
					page.refresh = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	for _, n := range page.controls {
		if n != 0 && page.unsafe == "" {
			page.unsafe = "the page reads two ways: a browser's parser places a form or field other than where its markup seems to" +
				" (in <svg> or <math> content)"
		}
	}
}

// checkTag records in page.unsafe, unless set, the first event handler
// attribute (on…) other than the body's onload, the first <script>
// attribute other than type, language, nonce, charset, async, defer and id
// (src, or href in SVG, loads code from elsewhere), a field with dirname
// (a browser adds a field the page does not write), or an element that
// embeds another document, whose scripts (srcdoc, a javascript: src) may
// navigate the page.
func (page *scannedPage) checkTag(tag string, attrs []html.Attribute) {
	for _, a := range attrs {
		switch {
		case page.unsafe != "":
			return
		case len(a.Key) > 2 && strings.HasPrefix(a.Key, "on") && (tag != "body" || a.Key != "onload"):
			page.unsafe = "an element has an event handler (" + short(a.Key) + " on <" + short(tag) + ">)"
		case tag == "script" && a.Namespace != "":
			page.unsafe = "a <script> with " + short(a.Namespace+":"+a.Key) + " (it may run code from elsewhere)"
		case tag == "script":
			switch a.Key {
			case "type", "language", "nonce", "charset", "async", "defer", "id":
			default:
				page.unsafe = "a <script> with " + short(a.Key) + " (it may run code from elsewhere)"
			}
		}
	}
	switch tag {
	case "input", "textarea":
		for _, a := range attrs {
			if a.Key == "dirname" && a.Namespace == "" && page.unsafe == "" {
				page.unsafe = "a field has dirname (a browser adds a field of the text's direction)"
			}
		}
	case "iframe", "frame", "frameset", "object", "embed", "portal", "fencedframe":
		if page.unsafe == "" {
			page.unsafe = "the page embeds another document (<" + tag + ">), whose scripts may navigate it"
		}
	}
}
