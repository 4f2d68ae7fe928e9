package inexopay

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
	"golang.org/x/net/html"
)

// RedirectForm is the HTML form with which the API sends an applicant on to
// NSDL when it answers PAN.Request or PAN.Resume with a page instead of
// JSON: the page's only form, or the one it submits on load. A page without
// one usable form (cut short, no action or named field, an action back to
// the API or not https) is [ErrOutcomeUnknown] instead. Printed or logged,
// a form masks its field values and its action's query (they may carry
// tokens).
type RedirectForm struct {
	// Action is an absolute URL, Method "POST" or "GET", and Fields the
	// named inputs as a browser would submit them.
	Action string
	Method string
	Fields url.Values
}

// RedirectFormScriptHash is the CSP source of [RedirectForm.WritePage]'s
// script, for the script-src of a policy your middleware sets.
const RedirectFormScriptHash = "'sha256-UYe4HplXzmOwbFB4AsKb110vsAQTElPU0A4TWN8K44U='"

// redirectScript is the page's only script. It calls the prototype's submit
// because a field named "submit" would hide the form's own method.
const redirectScript = `HTMLFormElement.prototype.submit.call(document.getElementById("inexopay-redirect"));`

var redirectPage = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continuing to NSDL</title>
</head>
<body>
<form id="inexopay-redirect" method="{{.Method}}" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<p>Taking you to the NSDL application page. If nothing happens, press Continue.</p>
<button type="submit">Continue</button>
</form>
<script>` + redirectScript + `</script>
</body>
</html>
`))

type pageField struct{ Name, Value string }

// WritePage writes to w a minimal page that submits the form as it loads
// (hidden inputs, a Continue button without scripts, one inline script)
// under a Content-Security-Policy that allows only [RedirectFormScriptHash],
// with Cache-Control: no-store. It fails before writing for a nil form, a
// method other than GET or POST, or an action that is not absolute https.
func (f *RedirectForm) WritePage(w http.ResponseWriter) error {
	if f == nil {
		return errors.New("inexopay: RedirectForm.WritePage: nil form")
	}
	method := strings.ToUpper(f.Method)
	if method != http.MethodPost && method != http.MethodGet {
		return fmt.Errorf("inexopay: RedirectForm.WritePage: method %q is not GET or POST", f.Method)
	}
	u, err := url.Parse(f.Action)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return errors.New("inexopay: RedirectForm.WritePage: action is not an absolute URL")
	}
	if u.Scheme != "https" && (u.Scheme != "http" || !netutil.IsLoopbackHost(u.Hostname())) {
		return fmt.Errorf("inexopay: RedirectForm.WritePage: action scheme %q is not https", u.Scheme)
	}
	var data struct {
		Method, Action string
		Fields         []pageField
	}
	data.Method, data.Action = method, u.String()
	keys := make([]string, 0, len(f.Fields))
	for k := range f.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range f.Fields[k] {
			data.Fields = append(data.Fields, pageField{k, v})
		}
	}
	var b bytes.Buffer
	if err := redirectPage.Execute(&b, &data); err != nil {
		return fmt.Errorf("inexopay: RedirectForm.WritePage: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src "+RedirectFormScriptHash+"; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b.Bytes())
	return err
}

// maskedText prints the form with its field values and the action's query
// masked.
func (f RedirectForm) maskedText() string {
	var b strings.Builder
	b.WriteString("RedirectForm{Action:")
	b.WriteString(redact.Query(f.Action))
	b.WriteString(" Method:")
	b.WriteString(f.Method)
	b.WriteString(" Fields:[")
	keys := make([]string, 0, len(f.Fields))
	for k := range f.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteString(":[REDACTED]")
	}
	b.WriteString("]}")
	return b.String()
}

// Format prints f for every fmt verb, masking values and the query.
func (f RedirectForm) Format(s fmt.State, _ rune) { _, _ = io.WriteString(s, f.maskedText()) }

// LogValue implements [slog.LogValuer] with the same masking.
func (f RedirectForm) LogValue() slog.Value { return slog.StringValue(f.maskedText()) }

// htmlAnswer is implemented by the answer types of calls whose success may
// be an HTML page (PAN.Request and PAN.Resume). decodeAnswer hands such an
// answer a 2xx body that starts with '<'; decodeHTML keeps what it needs
// or returns the [*APIError] the page amounts to.
type htmlAnswer interface {
	decodeHTML(e Endpoint, resp *http.Response, body []byte) *APIError
}

// panAnswer is the answer of PAN.Request and PAN.Resume: the JSON document,
// or the form of an HTML page.
type panAnswer struct {
	wire.PANApplication
	form *RedirectForm
}

func (a *panAnswer) decodeHTML(e Endpoint, resp *http.Response, body []byte) *APIError {
	var reqURL *url.URL
	if resp.Request != nil {
		reqURL = resp.Request.URL
	}
	form, refusal := parseRedirectForm(body, reqURL)
	if refusal == nil {
		a.form = form
		return nil
	}
	ae := apierr.MarkServer(&APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e,
		ContentType: resp.Header.Get("Content-Type"), Message: refusal.reason}, false, false)
	if refusal.showPage {
		// No form at all: the page's text says more than the reason.
		ae.Snippet = snippet(body)
	}
	return ae
}

// formRefusal says why an HTML answer has no usable form. showPage is set
// when the page had no form, so that its text is the better description.
type formRefusal struct {
	reason   string
	showPage bool
}

// parseRedirectForm finds, in an HTML page, the form that sends the
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
// short), and an https action (or plain http to a loopback host, when
// reqURL itself is plain http on a loopback host).
func parseRedirectForm(body []byte, reqURL *url.URL) (*RedirectForm, *formRefusal) {
	doc := scanHTML(body)
	var f *rawForm
	switch len(doc.forms) {
	case 0:
		return nil, &formRefusal{reason: "HTML answer without a form", showPage: true}
	case 1:
		f = doc.forms[0]
	default:
		picked := autoSubmitted(doc.scripts, doc.forms)
		if len(picked) != 1 {
			onLoad := "none"
			if len(picked) > 1 {
				onLoad = strconv.Itoa(len(picked))
			}
			return nil, &formRefusal{reason: fmt.Sprintf(
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
		return nil, &formRefusal{reason: "HTML form refused: its method is dialog, which does not navigate"}
	default:
		method = "GET" // what a browser does with an unknown method
	}
	if !f.hasAction || strings.TrimSpace(f.action) == "" {
		return nil, &formRefusal{reason: "HTML form refused: it has no action"}
	}
	action, err := url.Parse(strings.TrimSpace(f.action))
	if err == nil && !action.IsAbs() {
		if base == nil {
			return nil, &formRefusal{reason: "HTML form refused: its action is relative and the page's URL is unknown"}
		}
		action = base.ResolveReference(action)
	}
	if err != nil || action.Host == "" && (action.Scheme == "https" || action.Scheme == "http") {
		return nil, &formRefusal{reason: "HTML form refused: its action is not a valid URL"}
	}
	action.Fragment, action.RawFragment = "", ""
	where := action.Scheme + "://" + action.Host + action.EscapedPath()
	switch action.Scheme {
	case "https":
	case "http":
		if reqURL == nil || reqURL.Scheme != "http" || !netutil.IsLoopbackHost(reqURL.Hostname()) || !netutil.IsLoopbackHost(action.Hostname()) {
			return nil, &formRefusal{reason: "HTML form refused: its action " + where +
				" is plain http, which would send the applicant's data unencrypted (https is required)"}
		}
	default:
		return nil, &formRefusal{reason: fmt.Sprintf("HTML form refused: its action's scheme %q is not https", action.Scheme)}
	}
	if reqURL != nil && sameEndpoint(action, reqURL) {
		return nil, &formRefusal{reason: "HTML form refused: it posts back to the API call itself, not on to NSDL"}
	}
	if !f.closed {
		return nil, &formRefusal{reason: "HTML form refused: it has no </form> (the answer may be cut short)"}
	}
	if len(f.fields) == 0 {
		return nil, &formRefusal{reason: "HTML form refused: it has no named fields to carry the application"}
	}
	return &RedirectForm{Action: action.String(), Method: method, Fields: f.fields}, nil
}

// sameEndpoint reports whether a and b name the same resource, ignoring
// query and fragment.
func sameEndpoint(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host) &&
		strings.TrimSuffix(a.EscapedPath(), "/") == strings.TrimSuffix(b.EscapedPath(), "/")
}

// rawForm is a <form> as scanned: its attributes and its fields.
type rawForm struct {
	id, name, action, method string
	hasAction                bool
	// closed is set by the form's </form>, which HTML requires: a form
	// without it may be an answer cut short.
	closed bool
	fields url.Values
}

// scannedPage is what scanHTML keeps of a page.
type scannedPage struct {
	forms   []*rawForm
	scripts []string // inline scripts and onload attributes
	base    string   // the first <base href>
}

// pendingField is a field whose form attribute names its form by id.
type pendingField struct {
	formID, name, value string
}

// scanHTML tokenizes a page the way a browser with scripts on associates
// form fields: a field belongs to the form open where it appears (or to
// the one its form attribute names); a <form> inside an open form is
// ignored; the content of <template> and <noscript> is not part of the
// page.
func scanHTML(body []byte) *scannedPage {
	page := &scannedPage{}
	z := html.NewTokenizer(bytes.NewReader(body))
	var (
		open          *rawForm
		pending       []pendingField
		template      int
		disabledSet   int // depth inside disabled fieldsets
		fieldsetStack []bool
		inScript      bool
		textarea      *textareaState // the textarea being read
		sel           *selectState
	)
	addField := func(owner *rawForm, formAttr string, hasFormAttr bool, name, value string) {
		name, value = crlf(name), crlf(value)
		if hasFormAttr {
			pending = append(pending, pendingField{formID: formAttr, name: name, value: value})
			return
		}
		if owner != nil {
			owner.fields.Add(name, value)
		}
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		if template > 0 {
			switch {
			case tok.Data == "template" && tt == html.StartTagToken:
				template++
			case tok.Data == "template" && tt == html.EndTagToken:
				template--
			}
			continue
		}
		switch tt {
		case html.TextToken:
			switch {
			case inScript:
				page.scripts = append(page.scripts, tok.Data)
			case textarea != nil:
				textarea.value += tok.Data
			case sel != nil && sel.cur != nil:
				sel.cur.text += tok.Data
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		default:
			continue
		}
		attrs := attrMap(tok.Attr)
		start := tt != html.EndTagToken
		switch tok.Data {
		case "template":
			if tt == html.StartTagToken {
				template++
			}
		case "script":
			inScript = start
		case "base":
			if start && page.base == "" {
				if v, ok := attrs["href"]; ok {
					page.base = strings.TrimSpace(v)
				}
			}
		case "body", "frameset":
			if v, ok := attrs["onload"]; ok && start {
				page.scripts = append(page.scripts, v)
			}
		case "form":
			switch {
			case tt == html.EndTagToken:
				if open != nil {
					open.closed = true
				}
				open = nil
			case open == nil:
				a, hasAction := attrs["action"]
				f := &rawForm{id: attrs["id"], name: attrs["name"], action: a, hasAction: hasAction,
					method: attrs["method"], fields: url.Values{}}
				page.forms = append(page.forms, f)
				open = f
			}
		case "fieldset":
			if tt == html.StartTagToken {
				_, dis := attrs["disabled"]
				fieldsetStack = append(fieldsetStack, dis)
				if dis {
					disabledSet++
				}
			} else if tt == html.EndTagToken && len(fieldsetStack) > 0 {
				if fieldsetStack[len(fieldsetStack)-1] {
					disabledSet--
				}
				fieldsetStack = fieldsetStack[:len(fieldsetStack)-1]
			}
		case "input":
			if !start {
				break
			}
			name, value, ok := inputValue(attrs)
			_, disabled := attrs["disabled"]
			if ok && !disabled && disabledSet == 0 {
				formAttr, hasFormAttr := attrs["form"]
				addField(open, formAttr, hasFormAttr, name, value)
			}
		case "textarea":
			switch {
			case tt == html.StartTagToken:
				_, disabled := attrs["disabled"]
				formAttr, hasFormAttr := attrs["form"]
				if name := attrs["name"]; name != "" && !disabled && disabledSet == 0 {
					textarea = &textareaState{name: name, owner: open, formAttr: formAttr, hasFormAttr: hasFormAttr}
				}
			case tt == html.EndTagToken && textarea != nil:
				// A browser drops one line break right after <textarea>.
				v := strings.TrimPrefix(strings.TrimPrefix(textarea.value, "\r"), "\n")
				addField(textarea.owner, textarea.formAttr, textarea.hasFormAttr, textarea.name, v)
				textarea = nil
			}
		case "select":
			if tt == html.StartTagToken {
				_, disabled := attrs["disabled"]
				formAttr, hasFormAttr := attrs["form"]
				_, multiple := attrs["multiple"]
				sel = &selectState{name: attrs["name"], owner: open, formAttr: formAttr, hasFormAttr: hasFormAttr,
					multiple: multiple, skip: disabled || disabledSet > 0 || attrs["name"] == ""}
			} else if tt == html.EndTagToken && sel != nil {
				for _, v := range sel.values() {
					addField(sel.owner, sel.formAttr, sel.hasFormAttr, sel.name, v)
				}
				sel = nil
			}
		case "option":
			if sel != nil && start {
				_, selected := attrs["selected"]
				_, disabled := attrs["disabled"]
				v, hasValue := attrs["value"]
				sel.cur = &option{value: v, hasValue: hasValue, selected: selected, disabled: disabled}
				sel.options = append(sel.options, sel.cur)
			} else if sel != nil {
				sel.cur = nil
			}
		}
	}
	for _, p := range pending {
		for _, f := range page.forms {
			if f.id != "" && f.id == p.formID {
				f.fields.Add(p.name, p.value)
				break
			}
		}
	}
	return page
}

// attrMap returns a tag's attributes by lower-case name, the first of a
// repeated name winning as in a browser; values are entity-decoded.
func attrMap(attrs []html.Attribute) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		if a.Namespace != "" {
			continue
		}
		if _, dup := m[a.Key]; !dup {
			m[a.Key] = a.Val
		}
	}
	return m
}

// inputValue returns the name and value an <input> contributes to a form
// submitted by script, and false when it contributes nothing (no name; a
// button, image, reset or file input; an unchecked box).
func inputValue(attrs map[string]string) (name, value string, ok bool) {
	name = attrs["name"]
	if name == "" {
		return "", "", false
	}
	value = attrs["value"]
	switch strings.ToLower(strings.TrimSpace(attrs["type"])) {
	case "submit", "button", "reset", "image", "file":
		return "", "", false
	case "checkbox", "radio":
		if _, checked := attrs["checked"]; !checked {
			return "", "", false
		}
		if _, has := attrs["value"]; !has {
			value = "on"
		}
	case "text", "search", "tel", "url", "email", "password", "":
		// A browser strips line breaks from these.
		value = strings.NewReplacer("\r", "", "\n", "").Replace(value)
	}
	return name, value, true
}

type textareaState struct {
	name, value, formAttr string
	hasFormAttr           bool
	owner                 *rawForm
}

type option struct {
	value, text        string
	hasValue, selected bool
	disabled           bool
}

func (o *option) val() string {
	if o.hasValue {
		return o.value
	}
	return strings.Join(strings.Fields(o.text), " ")
}

type selectState struct {
	name, formAttr        string
	hasFormAttr, multiple bool
	skip                  bool
	owner                 *rawForm
	options               []*option
	cur                   *option
}

// values returns what a select submits: its selected options (for a
// single select the last selected one, or the first enabled option when
// none is), disabled ones excluded.
func (s *selectState) values() []string {
	if s.skip {
		return nil
	}
	var out []string
	for _, o := range s.options {
		if o.selected && !o.disabled {
			out = append(out, o.val())
		}
	}
	if s.multiple {
		return out
	}
	if len(out) > 0 {
		return out[len(out)-1:]
	}
	for _, o := range s.options {
		if !o.disabled {
			return []string{o.val()}
		}
	}
	return nil
}

// crlf turns lone CRs and LFs into CRLF, as a browser does to the names and
// values it submits.
func crlf(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// autoSubmitted returns the forms that the scripts submit: for every call
// of .submit( or .requestSubmit(, the form its receiver names as
// document.forms[i], by id (getElementById, '#id') or by name (document.x,
// document.forms['x']), following one variable assignment.
func autoSubmitted(scripts []string, forms []*rawForm) []*rawForm {
	var picked []*rawForm
	add := func(f *rawForm) {
		if !slices.Contains(picked, f) {
			picked = append(picked, f)
		}
	}
	for _, s := range scripts {
		for _, call := range []string{".submit(", ".requestSubmit("} {
			rest := s
			for {
				i := strings.Index(rest, call)
				if i < 0 {
					break
				}
				recv := receiver(rest[:i])
				found := resolveForms(recv, forms)
				if len(found) == 0 && isIdent(recv) {
					found = resolveForms(assignment(s, recv), forms)
				}
				for _, f := range found {
					add(f)
				}
				rest = rest[i+len(call):]
			}
		}
	}
	return picked
}

// receiver returns the expression that ends a script fragment: the text
// after the last statement or block boundary.
func receiver(s string) string {
	if j := strings.LastIndexAny(s, ";{}\n"); j >= 0 {
		s = s[j+1:]
	}
	s = strings.TrimSpace(s)
	// "if (ok) document.f" or "return document.f": keep the last word group.
	if j := strings.LastIndexAny(s, " \t"); j >= 0 && !strings.ContainsAny(s[j:], "'\"`") {
		s = strings.TrimSpace(s[j+1:])
	}
	return s
}

// assignment returns the expression assigned to variable name in script,
// such as document.getElementById('f') for "var f = document.getElementById('f');".
func assignment(script, name string) string {
	for rest := script; ; {
		i := strings.Index(rest, name)
		if i < 0 {
			return ""
		}
		before := rest[:i]
		after := strings.TrimLeft(rest[i+len(name):], " \t")
		rest = rest[i+len(name):]
		if i > 0 && isIdentByte(before[len(before)-1]) {
			continue
		}
		if !strings.HasPrefix(after, "=") || strings.HasPrefix(after, "==") {
			continue
		}
		expr := after[1:]
		if j := strings.IndexAny(expr, ";\n"); j >= 0 {
			expr = expr[:j]
		}
		return strings.TrimSpace(expr)
	}
}

// resolveForms returns the forms an expression names.
func resolveForms(expr string, forms []*rawForm) []*rawForm {
	var out []*rawForm
	if expr == "" {
		return nil
	}
	byKey := func(k string) {
		for _, f := range forms {
			if k != "" && (f.id == k || f.name == k) && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	// document.forms[0], document.forms['x'], getElementsByTagName('form')[0]
	if i := strings.Index(expr, "forms["); i >= 0 {
		idx := strings.TrimSpace(expr[i+len("forms["):])
		if j := strings.IndexByte(idx, ']'); j >= 0 {
			idx = strings.TrimSpace(idx[:j])
		}
		if n, err := strconv.Atoi(idx); err == nil {
			if n >= 0 && n < len(forms) {
				return []*rawForm{forms[n]}
			}
			return nil
		}
	}
	for _, q := range quoted(expr) {
		if q == "form" {
			if len(forms) > 0 && !slices.Contains(out, forms[0]) {
				out = append(out, forms[0])
			}
			continue
		}
		byKey(strings.TrimPrefix(q, "#"))
	}
	if len(out) > 0 {
		return out
	}
	// document.name, forms.name, window.id, or a bare id.
	for _, part := range strings.Split(expr, ".") {
		part = strings.TrimSpace(part)
		if isIdent(part) && part != "document" && part != "window" && part != "forms" {
			byKey(part)
		}
	}
	return out
}

// quoted returns the string literals in a script expression.
func quoted(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		q := s[i]
		if q != '\'' && q != '"' && q != '`' {
			continue
		}
		j := strings.IndexByte(s[i+1:], q)
		if j < 0 {
			break
		}
		out = append(out, s[i+1:i+1+j])
		i += j + 1
	}
	return out
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) || i == 0 && s[i] >= '0' && s[i] <= '9' {
			return false
		}
	}
	return true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
