// The sandbox's HTML pages (QR, account opening, NSDL PAN) and the
// wrappers every control goes through (guard, method, form, JSON answer).

package inexopaytest

import (
	"errors"
	"html"
	"net/http"
	"strings"
)

// sandboxRoutes adds the index page, the sandbox's own pages and its
// controls under /sandbox/ (see controlTable).
func (s *Server) sandboxRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.guard(s.pageIndex))
	mux.HandleFunc("/sandbox/qr", s.guard(s.pageQR))
	mux.HandleFunc("/sandbox/nsdl/account_open", s.guard(s.pageAccount))
	mux.HandleFunc("/sandbox/nsdl/pan", s.guard(s.pagePAN))
	mux.HandleFunc("/sandbox/nsdl/pan_inc", s.guard(s.pagePAN))
	for _, c := range s.controlTable() {
		mux.HandleFunc(c.path, c.h)
	}
}

// guard registers a page handler with inflight, so that Close waits for it.
func (s *Server) guard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			drop(w)
			return
		}
		defer s.inflight.Done()
		h(w, r)
	}
}

// control wraps a sandbox control: POST only, form body, JSON answer.
func (s *Server) control(fn func(*http.Request) (obj, error)) http.HandlerFunc {
	return s.controlFor(false, fn)
}

// readControl wraps a control that only reads: it takes GET (fields in the
// query) as well as POST.
func (s *Server) readControl(fn func(*http.Request) (obj, error)) http.HandlerFunc {
	return s.controlFor(true, fn)
}

func (s *Server) controlFor(allowGet bool, fn func(*http.Request) (obj, error)) http.HandlerFunc {
	allow := allowPost
	if allowGet {
		allow = allowGetPost
	}
	return s.guard(func(w http.ResponseWriter, r *http.Request) {
		if !controlForm(w, r, allow) {
			return
		}
		extra, err := fn(r)
		writeControl(w, extra, err)
	})
}

// controlForm checks and parses the request of a control: a method of
// allow, a form body (or none) and a form that parses. It answers a
// refusal in JSON (405, 415 or 400) and reports whether the request passed.
func controlForm(w http.ResponseWriter, r *http.Request, allow string) bool {
	if !methodAllowed(w, r, allow) {
		writeJSON(w, reply{code: http.StatusMethodNotAllowed, body: failBody(styleBool, 405, msgMethodNotAllowed)})
		return false
	}
	if msg := bodyProblem(r); msg != "" {
		writeJSON(w, reply{code: http.StatusUnsupportedMediaType, body: failBody(styleBool, http.StatusUnsupportedMediaType, msg)})
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, reply{code: http.StatusBadRequest, body: failBody(styleBool, 400, "Malformed request body")})
		return false
	}
	return true
}

// writeControl writes a control's JSON answer: {"status":true,
// "message":"OK"} followed by extra, or a refusal with err's message, 404
// for an unknown order and 400 for anything else.
func writeControl(w http.ResponseWriter, extra obj, err error) {
	switch {
	case errors.Is(err, ErrUnknownOrder):
		writeJSON(w, reply{code: http.StatusNotFound, body: failBody(styleBool, 404, err.Error())})
	case err != nil:
		writeJSON(w, reply{code: http.StatusBadRequest, body: failBody(styleBool, 400, err.Error())})
	default:
		body := append(obj{{"status", true}, {"message", "OK"}}, extra...)
		writeJSON(w, ok(body))
	}
}

// page writes a small HTML page with a title, lines of text and buttons
// posting to controls with the given order id.
func page(w http.ResponseWriter, title string, lines []string, orderID, controlBase string, pending bool) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head><body>\n<h1>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</h1>\n")
	for _, l := range lines {
		b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
	}
	if pending {
		for _, action := range []string{"complete", "fail"} {
			b.WriteString(`<form method="post" action="` + html.EscapeString(controlBase+"/"+action) + `">`)
			b.WriteString(`<input type="hidden" name="order_id" value="` + html.EscapeString(orderID) + `">`)
			b.WriteString(`<input type="hidden" name="html" value="1">`)
			b.WriteString(`<button type="submit">` + action + "</button></form>\n")
		}
	}
	b.WriteString(`<p><a href="/">All endpoints and controls</a></p>` + "\n</body></html>\n")
	writeHTML(w, http.StatusOK, b.String())
}

func (s *Server) pageQR(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("order_id")
	s.mu.Lock()
	wl := s.st.wallets[idKey(id)]
	var lines []string
	var pending bool
	if wl != nil {
		lines = []string{"Order " + wl.orderID + ", amount ₹" + wl.amount.String() + ", status " + wl.state, upiString(wl)}
		pending = wl.state == "pending"
	}
	s.mu.Unlock()
	if wl == nil {
		http.NotFound(w, r)
		return
	}
	page(w, "INEXOPAY sandbox UPI QR", lines, id, "/sandbox/control/wallet", pending)
}

func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request) {
	txn := r.URL.Query().Get("signcs")
	s.mu.Lock()
	a := s.st.accountsByTxn[txn]
	var lines []string
	var orderID string
	var pending bool
	if a != nil {
		orderID = a.orderID
		lines = []string{"Account opening " + a.txnID + " for order " + a.orderID + ", status " + a.state}
		pending = a.state == "pending"
	}
	s.mu.Unlock()
	if a == nil {
		http.NotFound(w, r)
		return
	}
	page(w, "NSDL account opening (sandbox)", lines, orderID, "/sandbox/control/account", pending)
}

// pagePAN is the NSDL PAN page: GET with the JSON answer's query, or POST
// with the HTML answer's form fields (which need the form's req token).
// Every visit is recorded (PANPageVisits).
func (s *Server) pagePAN(w http.ResponseWriter, r *http.Request) {
	if !methodAllowed(w, r, allowGetPost) {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed request body", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	p := s.panVisit(r)
	var lines []string
	var orderID string
	var pending bool
	if p != nil {
		orderID = p.orderID
		lines = []string{"PAN application " + p.orderID + " (" + p.ptype + ", " + p.mode + "), status " + p.state}
		pending = p.state == PANPending
		if r.Method == http.MethodPost {
			lines = append(lines, "Posted fields: "+r.PostForm.Encode())
		}
	}
	s.mu.Unlock()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	page(w, "NSDL PAN application (sandbox)", lines, orderID, "/sandbox/control/pan", pending)
}
