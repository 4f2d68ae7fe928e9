package htmlform

import (
	"strings"

	"golang.org/x/net/html"
)

// rawText is the text of an element a parser keeps as text (a <script>;
// a <noscript> as scripts run).
func rawText(n *html.Node) string {
	var text strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			text.WriteString(c.Data)
		}
	}
	return text.String()
}

// readNoscript reads the text of a <noscript>, which a parser with scripts
// on keeps as text, as markup, as a browser with scripts off reads it (a
// <noscript> inside it too), and sets page's refresh by a meta refresh
// there, or its unsafe by what there would change where, or what, such a
// browser submits: a <base href>, a <form>, a control with a name (a field,
// or a submit button whose click adds one), or one that names its own
// form, action, method or encoding. A nameless submit button, the usual
// fallback for a browser without scripts, is left to submit the form.
func (page *scannedPage) readNoscript(n *html.Node) {
	z := html.NewTokenizer(strings.NewReader(rawText(n)))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		tok := z.Token()
		if tok.Data == "noscript" {
			z.NextIsNotRawText() // markup too, as scripts are off
		}
		attrs := attrMap(tok.Attr)
		why := ""
		switch tok.Data {
		case "meta":
			if strings.EqualFold(strings.TrimSpace(attrs["http-equiv"]), "refresh") {
				page.refresh = true
			}
		case "base":
			if _, ok := attrs["href"]; ok {
				why = "a <base href> inside <noscript> (a browser without scripts resolves the action against it)"
			}
		case "form":
			why = "a <form> inside <noscript> (a browser without scripts shows another form)"
		case "input", "button", "select", "textarea":
			for _, k := range [...]string{"name", "form", "formaction", "formmethod", "formenctype"} {
				if v, ok := attrs[k]; ok && (k != "name" || v != "") {
					why = "a field or button inside <noscript> with " + k + " (a browser without scripts submits otherwise)"
					break
				}
			}
		}
		if why != "" && page.unsafe == "" {
			page.unsafe = why
		}
	}
}
