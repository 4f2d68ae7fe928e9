package inexopaytest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// PANAnswer is the way the sandbox answers PAN.Request and PAN.Resume; see
// WithPANAnswer.
type PANAnswer int

// The ways to answer PAN.Request and PAN.Resume.
const (
	// PANAnswerJSON answers with the documented JSON, whose data.url is the
	// sandbox's NSDL PAN page (the default).
	PANAnswerJSON PANAnswer = iota
	// PANAnswerForm answers HTTP 200 with a text/html page whose form,
	// submitted on load, posts the application's fields (process_id, txid,
	// orderid, mode, a one-time req token and return_url when set) to the
	// sandbox's NSDL PAN page, as the mail.inexopay.in host does. The page
	// has a second, unrelated form and a relative action, as real pages
	// do. The call is processed and charged exactly as with JSON.
	PANAnswerForm
)

// String returns "json" or "form", the names ParsePANAnswer and the
// sandbox binary's -pan-answer flag take.
func (a PANAnswer) String() string {
	switch a {
	case PANAnswerJSON:
		return "json"
	case PANAnswerForm:
		return "form"
	}
	return fmt.Sprintf("PANAnswer(%d)", int(a))
}

// ParsePANAnswer parses "json" or "form" (case-insensitive). It fails for
// anything else.
func ParsePANAnswer(s string) (PANAnswer, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "json":
		return PANAnswerJSON, nil
	case "form":
		return PANAnswerForm, nil
	}
	return 0, fmt.Errorf("inexopaytest: unknown PAN answer %q: want json or form", s)
}

// PANPageVisit is one arrival of a browser (or any client) at the sandbox's
// NSDL PAN page, /sandbox/nsdl/pan or /sandbox/nsdl/pan_inc.
type PANPageVisit struct {
	// Method is the HTTP method, GET (the JSON answer's URL) or POST (the
	// form answer's form).
	Method string
	// Path is the page's path, such as "/sandbox/nsdl/pan".
	Path string
	// Fields are the posted form fields (for POST) or the query (for GET).
	Fields url.Values
	// OrderID is the order id of the application the visit's txid names;
	// empty for an unknown txid.
	OrderID string
	// Accepted says whether the page showed the application: a known txid
	// and, for a POST, the req token of the latest form handed out for it.
	Accepted bool
}

// PANPageVisits returns every visit to the sandbox's NSDL PAN page so far,
// oldest first. The slices and maps are copies.
func (s *Server) PANPageVisits() []PANPageVisit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PANPageVisit, len(s.st.panVisits))
	for i, v := range s.st.panVisits {
		v.Fields = cloneValues(v.Fields)
		out[i] = v
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	return c
}

// panFormReply is the HTML answer of PAN.Request or PAN.Resume for p, whose
// txid is fresh: it gives p a new req token. page is "pan" or "pan_inc".
func (s *Server) panFormReply(p *panApp, page, mode string) reply {
	tok := make([]byte, 24)
	_, _ = rand.Read(tok) // crypto/rand.Read never fails (Go 1.24+)
	// StdEncoding, so that the token carries + / and =, which must survive
	// the trip through HTML and the browser's form encoding.
	p.formToken = base64.StdEncoding.EncodeToString(tok)
	p.formTxID = p.txid
	fields := [][2]string{{"process_id", "2504"}, {"txid", p.txid}, {"orderid", p.orderID}}
	if mode != "" {
		fields = append(fields, [2]string{"mode", mode})
	}
	fields = append(fields, [2]string{"req", p.formToken})
	if p.returnURL != "" {
		fields = append(fields, [2]string{"return_url", p.returnURL})
	}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Redirecting to NSDL</title>
<script>window.onload = function () { document.getElementById('nsdl_form').submit(); };</script>
</head>
<body>
<form id="lang" method="get" action="/sandbox/nsdl/language">
<select name="lang"><option value="en" selected>English</option><option value="hi">हिन्दी</option></select>
</form>
<p>Please wait, redirecting to the NSDL PAN portal&hellip;</p>
<form id="nsdl_form" name="nsdl_form" method="post" action="/sandbox/nsdl/`)
	b.WriteString(page)
	b.WriteString("\">\n")
	for _, f := range fields {
		b.WriteString(`<input type="hidden" name="` + html.EscapeString(f[0]) + `" value="` + html.EscapeString(f[1]) + "\">\n")
	}
	b.WriteString(`<noscript><input type="submit" value="Continue"></noscript>
</form>
</body>
</html>
`)
	return reply{code: http.StatusOK, html: b.String()}
}

// panVisit resolves and records a visit to the NSDL PAN page; it returns
// the application it shows, or nil. It runs with s.mu held.
func (s *Server) panVisit(r *http.Request) *panApp {
	fields := r.URL.Query()
	if r.Method == http.MethodPost {
		fields = r.PostForm
	}
	txid := fields.Get("txid")
	p := s.st.panTx[txid]
	v := PANPageVisit{Method: r.Method, Path: r.URL.Path, Fields: cloneValues(fields)}
	if p != nil {
		v.OrderID = p.orderID
		v.Accepted = r.Method != http.MethodPost ||
			p.formToken != "" && p.formTxID == txid && subtle.ConstantTimeCompare([]byte(fields.Get("req")), []byte(p.formToken)) == 1
	}
	s.st.panVisits = append(s.st.panVisits, v)
	if !v.Accepted {
		return nil
	}
	return p
}
