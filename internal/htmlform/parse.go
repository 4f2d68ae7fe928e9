// Package htmlform finds the form that an HTML page submits by itself and reads its action and fields.
package htmlform

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Form is the form a page submits by itself: an absolute Action URL, the
// Method ("POST" or "GET"), the Enctype a POST encodes its fields in (as
// a browser reads the enctype attribute: see enctype) and the named Fields
// as a browser would submit them.
type Form struct {
	Action  string
	Method  string
	Enctype string
	Fields  url.Values
	// Submits are the name and value of each named submit control of the
	// form, which a click on it (without scripts) adds to Fields.
	Submits url.Values
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
// The page's scripts and the body's onload must do nothing but submit its
// forms (an allow-list: see submitted); any other event handler attribute,
// a <script src> or an embedded document (<iframe>, <object>…) makes the
// form unusable. The form is the page's only form; when the page has
// several, it is the one those scripts submit; when that is not exactly
// one form, there is no usable form. The form must have an action
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
	if len(doc.forms) == 0 {
		return nil, &Refusal{Reason: "HTML answer without a form", ShowPage: true}
	}
	picked, why := submitted(doc)
	if why != "" {
		return nil, &Refusal{Reason: "HTML form refused: " + why + ": cannot tell where the applicant goes"}
	}
	f := doc.forms[0]
	if len(doc.forms) > 1 {
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
	method := formMethod(f.method)
	if method == "DIALOG" {
		return nil, &Refusal{Reason: "HTML form refused: its method is dialog, which does not navigate"}
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
	if why := Target("its action", where, action, reqURL, apiBases); why != "" {
		return nil, &Refusal{Reason: "HTML form refused: " + why}
	}
	if why := elsewhere(doc, f, action, method, base, reqURL); why != "" {
		return nil, &Refusal{Reason: "HTML form refused: " + why}
	}
	if !f.closed {
		return nil, &Refusal{Reason: "HTML form refused: it has no </form> (the answer may be cut short)"}
	}
	if len(f.fields) == 0 {
		return nil, &Refusal{Reason: "HTML form refused: it has no named fields to carry the application"}
	}
	return &Form{Action: action.String(), Method: method, Enctype: enctype(f.enctype), Fields: f.fields, Submits: nonEmpty(f.submits)}, nil
}

// submitted checks the page's scripts and the body's onload against the
// allow-list. It returns the forms they submit (each once), or what on the
// page is not allowed.
func submitted(doc *scannedPage) ([]*rawForm, string) {
	if doc.unsafe != "" {
		return nil, doc.unsafe
	}
	var picked []*rawForm
	for i, src := range slices.Concat(doc.scripts, doc.onloads) {
		handler := i >= len(doc.scripts)
		refs, why := scriptSubmits(src, handler)
		if why != "" {
			what := "a script on the page"
			if handler {
				what = "the body's onload"
			}
			return nil, what + " does more than submit a form (" + why + ")"
		}
		for _, ref := range refs {
			if f := ref.resolve(doc); f != nil && !slices.Contains(picked, f) {
				picked = append(picked, f)
			}
		}
	}
	return picked, ""
}

// formRef is a form a script names: by forms[n], by forms["key"] (id or
// name), by getElementById (id) or as document.key (name).
type formRef struct {
	how string // "index", "item", "id", "name"
	key string
	n   int
}

// resolve returns the form a browser finds for ref on the page, or nil.
func (ref formRef) resolve(doc *scannedPage) *rawForm {
	if ref.how != "index" && ref.key == "" { // no element has the empty id or name
		return nil
	}
	switch ref.how {
	case "index":
		if ref.n < len(doc.forms) {
			return doc.forms[ref.n]
		}
	case "id":
		return doc.ids[ref.key]
	default:
		for _, f := range doc.forms {
			if ref.how == "item" && f.id == ref.key || f.name == ref.key {
				return f
			}
		}
	}
	return nil
}

// The encodings a form's enctype attribute (or a submit control's
// formenctype) names, as the HTML standard reads them.
const (
	URLEncoded = "application/x-www-form-urlencoded"
	Multipart  = "multipart/form-data"
	TextPlain  = "text/plain"
)

// enctype is the encoding a browser submits a POST form in for its
// enctype attribute (or a submit control's formenctype): an ASCII
// case-insensitive match of Multipart or TextPlain, or else (missing,
// empty, unknown, spaced) URLEncoded.
func enctype(attr string) string {
	for _, known := range [...]string{Multipart, TextPlain} {
		if strings.EqualFold(attr, known) {
			return known
		}
	}
	return URLEncoded
}

// formMethod is the method a browser submits with for a form's method (or
// a submit control's formmethod) attribute: POST, GET or DIALOG.
func formMethod(attr string) string {
	switch m := strings.ToUpper(strings.TrimSpace(attr)); m {
	case "POST", "DIALOG":
		return m
	}
	return "GET" // also what a browser does with a missing or unknown method
}

// elsewhere says why the page may send the browser somewhere other than
// form f's action (resolved: action) and method, or "" (scripts are
// checked before, by submitted): a meta refresh, or a submit control whose
// formaction or formmethod differs, or whose formenctype differs on a POST
// form (a GET sends its fields in the query whatever the encoding).
func elsewhere(doc *scannedPage, f *rawForm, action *url.URL, method string, base, reqURL *url.URL) string {
	if doc.refresh {
		return "the page refreshes to another address by itself (meta refresh): cannot tell where the applicant goes"
	}
	const control = "a submit button names its own %s, other than its form's: cannot tell where the applicant goes"
	for _, sub := range f.submitters {
		if sub.hasMethod && formMethod(sub.method) != method {
			return fmt.Sprintf(control, "method (formmethod)")
		}
		if sub.hasEnctype && method == "POST" && enctype(sub.enctype) != enctype(f.enctype) {
			return fmt.Sprintf(control, "encoding (formenctype)")
		}
		if !sub.hasAction {
			continue
		}
		// An empty formaction is the page's own URL, as an empty action is.
		to, err := reqURL, error(nil)
		if a := strings.TrimSpace(sub.action); a != "" {
			to, err = url.Parse(a)
			if err == nil && base != nil {
				to = base.ResolveReference(to)
			}
		}
		if err != nil || to == nil || !sameURL(to, action) {
			return fmt.Sprintf(control, "action (formaction)")
		}
	}
	return ""
}

// sameURL reports whether a and b are one address, fragments aside.
func sameURL(a, b *url.URL) bool {
	x, y := *a, *b
	x.Fragment, x.RawFragment, y.Fragment, y.RawFragment = "", "", "", ""
	return x.String() == y.String()
}

// nonEmpty is v, or nil when v has no value.
func nonEmpty(v url.Values) url.Values {
	if len(v) == 0 {
		return nil
	}
	return v
}
