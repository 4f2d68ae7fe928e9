package htmlform

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// rawForm is a <form> as scanned: its attributes and its fields.
type rawForm struct {
	id, name, action, method, enctype string
	hasAction                         bool
	// closed is set by the form's </form>, which HTML requires: a form
	// without it may be an answer cut short.
	closed bool
	fields url.Values
	// submits are the name and value of each named submit control, which
	// a click on it adds to the fields.
	submits url.Values
	// submitters are the form's submit controls that name their own
	// formaction, formmethod or formenctype.
	submitters []submitter
}

// submitter is a submit control (a <button> that submits, an <input> of
// type submit or image) with a formaction, formmethod or formenctype: a
// click on it sends the form there, or so, instead of to the form's own
// action, by its method, in its encoding.
type submitter struct {
	action, method, enctype          string
	hasAction, hasMethod, hasEnctype bool
}

// scannedPage is what scanHTML keeps of a page.
type scannedPage struct {
	forms   []*rawForm
	scripts []string // inline scripts (this and the next four: see readCode)
	onloads []string // the body's onload attributes
	// ids holds, for each id, the form that is the page's first element
	// of that id, or nil when that element is not a form.
	ids map[string]*rawForm
	// unsafe says, when set, what on the page runs code other than its
	// scripts and the body's onload: an event handler attribute, a
	// <script> with code from elsewhere (src), an embedded document.
	unsafe string
	base   string // the first <base href>
	// refresh is set by a <meta http-equiv="refresh">: the page goes
	// elsewhere by itself.
	refresh bool
	// controls counts the forms and controls scanHTML read, by tag and
	// attributes (controlKey), less those a browser's parser builds
	// (readCode): a count that is not 0 is a control the two read apart.
	controls map[string]int
}

// controlTags are the tags whose elements make up what a form posts.
var controlTags = map[string]bool{"form": true, "input": true, "button": true, "select": true, "textarea": true}

// controlKey names a form or control by its tag and attributes as written.
func controlKey(tag string, attrs []html.Attribute) string {
	var b strings.Builder
	b.WriteString(tag)
	for _, a := range attrs {
		b.WriteByte(0)
		b.WriteString(a.Key)
		b.WriteByte('=')
		b.WriteString(a.Val)
	}
	return b.String()
}

// pendingField is a field whose form attribute names its form by id.
type pendingField struct {
	formID, name, value string
	submitter           *submitter // set for a submit control rather than a field
	submit              bool       // name and value are a submit control's
}

// scanHTML tokenizes a page the way a browser with scripts on associates
// form fields: a field belongs to the form open where it appears (or to
// the one its form attribute names); a <form> inside an open form is
// ignored; the content of <template> and <noscript> is not part of the
// page.
func scanHTML(body []byte) *scannedPage {
	page := &scannedPage{ids: map[string]*rawForm{}, controls: map[string]int{}}
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
			case inScript: // no field's text (readCode reads scripts)
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
		if start && tok.Data != "form" && controlTags[tok.Data] {
			page.controls[controlKey(tok.Data, tok.Attr)]++
		}
		id, hasID := attrs["id"]
		if _, seen := page.ids[id]; start && hasID && !seen && tok.Data != "form" {
			page.ids[id] = nil
		}
		switch tok.Data {
		case "template":
			if tt == html.StartTagToken {
				template++
			}
		case "script":
			inScript = start
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
					method: attrs["method"], enctype: attrs["enctype"], fields: url.Values{}, submits: url.Values{}}
				page.forms = append(page.forms, f)
				page.controls[controlKey("form", tok.Attr)]++
				open = f
				if _, seen := page.ids[id]; hasID && !seen {
					page.ids[id] = f
				}
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
		case "button", "input":
			if sub, ok := submitControl(tok.Data, attrs); ok && start {
				formAttr, hasFormAttr := attrs["form"]
				switch {
				case hasFormAttr:
					pending = append(pending, pendingField{formID: formAttr, submitter: sub})
				case open != nil:
					open.submitters = append(open.submitters, *sub)
				}
			}
			if name, value, ok := submitValue(tok.Data, attrs); ok && start && disabledSet == 0 {
				if formAttr, hasFormAttr := attrs["form"]; hasFormAttr {
					pending = append(pending, pendingField{formID: formAttr, name: name, value: value, submit: true})
				} else if open != nil {
					open.submits.Add(name, value)
				}
			}
			if tok.Data == "button" || !start {
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
				switch {
				case p.submitter != nil:
					f.submitters = append(f.submitters, *p.submitter)
				case p.submit:
					f.submits.Add(p.name, p.value)
				default:
					f.fields.Add(p.name, p.value)
				}
				break
			}
		}
	}
	page.readCode(body)
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
