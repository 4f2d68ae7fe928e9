package inexopay

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/inexopay/inexopay-go/internal/htmlform"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// RedirectForm is the HTML form that sends an applicant on to NSDL; a page without a usable
// one, or carrying the API key, is [ErrOutcomeUnknown] instead.
type RedirectForm struct {
	Action string // an absolute URL
	Method string // "POST" or "GET"
	// Enctype is how a POST encodes Fields: "multipart/form-data", "text/plain"
	// or, for "" and any other value, "application/x-www-form-urlencoded".
	Enctype string
	Fields  url.Values // the named inputs as a browser submits them
}

// RedirectFormScriptHash is the CSP source of [RedirectForm.WritePage]'s script.
const RedirectFormScriptHash = "'sha256-UYe4HplXzmOwbFB4AsKb110vsAQTElPU0A4TWN8K44U='"

// redirectScript is the page's only script. It calls the prototype's submit because a field named
// "submit" would hide the form's own method.
const redirectScript = `HTMLFormElement.prototype.submit.call(document.getElementById("inexopay-redirect"));`

var redirectPage = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continuing to NSDL</title>
</head>
<body>
<form id="inexopay-redirect" method="{{.Method}}"{{with .Enctype}} enctype="{{.}}"{{end}} action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<p>Taking you to the NSDL application page. If nothing happens, press Continue.</p>
<button type="submit">Continue</button>
</form>
<script>` + redirectScript + `</script>
</body>
</html>
`))

type pageField struct{ Name, Value string }

// WritePage writes a page that submits f's Fields to its Action by its Method and Enctype. It
// fails for a nil form, a bad method or Enctype, or an action off the rules of docs/outcomes.md.
func (f *RedirectForm) WritePage(w http.ResponseWriter) error {
	if f == nil {
		return errors.New("inexopay: RedirectForm.WritePage: nil form")
	}
	method := strings.ToUpper(f.Method)
	if method != http.MethodPost && method != http.MethodGet {
		return fmt.Errorf("inexopay: RedirectForm.WritePage: method %q is not GET or POST", f.Method)
	}
	enctype, err := pageEnctype(f.Enctype)
	if err != nil {
		return err
	}
	u, err := url.Parse(f.Action)
	if err != nil || !u.IsAbs() {
		return errors.New("inexopay: RedirectForm.WritePage: action is not an absolute URL")
	}
	if why := htmlform.Browsable("action", redact.Query(f.Action), u, true, apiBases); why != "" {
		return errors.New("inexopay: RedirectForm.WritePage: " + why)
	}
	var data struct {
		Method, Enctype, Action string
		Fields                  []pageField
	}
	data.Method, data.Action = method, u.String()
	if method == http.MethodPost {
		data.Enctype = enctype
	}
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

// pageEnctype is the encoding a page posts a form in for its Enctype: the
// default for "", one of the three an HTML form knows (in any case), or an
// error for any other, which a browser would post as the default instead.
func pageEnctype(enctype string) (string, error) {
	if enctype == "" {
		return htmlform.URLEncoded, nil
	}
	for _, known := range [...]string{htmlform.URLEncoded, htmlform.Multipart, htmlform.TextPlain} {
		if strings.EqualFold(enctype, known) {
			return known, nil
		}
	}
	return "", fmt.Errorf("inexopay: RedirectForm.WritePage: enctype %q is not one a form posts in", enctype)
}

// maskedText prints the form with its field values and the action's query masked.
func (f RedirectForm) maskedText() string {
	var b strings.Builder
	b.WriteString("RedirectForm{Action:")
	b.WriteString(redact.Query(f.Action))
	b.WriteString(" Method:")
	b.WriteString(f.Method)
	if f.Enctype != "" {
		// One of the three encodings; anything else was set by hand and
		// is not shown.
		enc, err := pageEnctype(f.Enctype)
		if err != nil {
			enc = "[REDACTED]"
		}
		b.WriteString(" Enctype:")
		b.WriteString(enc)
	}
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

// pageCarriesKey refuses a page that holds the call's credentials (keys:
// the API key or a secret header, in any spelling and case internal/redact
// masks), as written or with its character references decoded, anywhere:
// in the form's action, a field, a button, a script, a comment or the
// text. A PHP page that copies the request's form into hidden inputs does
// so. A form would hand the key to the applicant's browser and to the
// action's host; any other part of the page shows it to the applicant.
// Such a page is unusable, like a page without a usable form: the SDK
// never serves it.
func pageCarriesKey(body []byte, keys redact.Set) *htmlform.Refusal {
	page := string(body)
	if keys.HoldsKey(page) || keys.HoldsKey(html.UnescapeString(page)) {
		return &htmlform.Refusal{Reason: "HTML answer refused: the page holds the API key (masked here), which it would hand to the applicant's browser and to the form's host"}
	}
	return nil
}

// formAboutOtherOrder refuses a form that names an order other than asked:
// in a field, a named submit button, or a query parameter of its action, whose name folds to
// orderid or a spelling of it (wire.OtherInValues), compared as a JSON
// answer's order ids are. A blank value names none.
func formAboutOtherOrder(f *htmlform.Form, asked string) *htmlform.Refusal {
	_, _, id, ok := wire.OtherInValues(f.Fields, wire.Asked{OrderID: asked})
	if !ok {
		_, _, id, ok = wire.OtherInValues(f.Submits, wire.Asked{OrderID: asked})
	}
	if !ok {
		if u, err := url.Parse(f.Action); err == nil {
			_, _, id, ok = wire.OtherInValues(u.Query(), wire.Asked{OrderID: asked})
		}
	}
	if !ok {
		return nil
	}
	return &htmlform.Refusal{Reason: fmt.Sprintf("HTML form refused: it names order %q, not the order asked %q", id, asked)}
}
