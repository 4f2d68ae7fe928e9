package inexopaytest

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// pageIndex is GET /: every endpoint with its path, method, form fields and
// a ready curl line with this sandbox's URL and credentials, the controls
// and where webhooks go. It is built from the endpoint table
// (internal/endpoints) and the control table, so it cannot drift from
// what the sandbox serves. Browsers get HTML; other clients (curl) plain
// text.
func (s *Server) pageIndex(w http.ResponseWriter, r *http.Request) {
	text := s.indexText()
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		writeHTML(w, http.StatusOK, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>INEXOPAY sandbox</title></head>\n<body><pre>\n"+
			html.EscapeString(text)+"</pre></body></html>\n")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(text))
}

// curlPrefix starts every curl line of the index page.
const curlPrefix = "curl -sS "

func (s *Server) indexText() string {
	s.mu.Lock()
	hook := s.st.webhookURL
	s.mu.Unlock()
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("INEXOPAY sandbox at %s\n\n", s.URL)
	p("Every API call is %s with form fields (%s) and answers JSON.\n", endpoints.Method, endpoints.ContentType)
	p("Credentials go in the form (api_key, username) or in the x-api-key and x-api-username headers:\n")
	p("  username  %s\n  api_key   %s\n\n", s.Username, s.APIKey)
	p("Webhooks: each status change (wallet load, account opening, PAN application) is posted to the\n")
	p("transaction's return_url, else to the global webhook URL, now: ")
	if hook == "" {
		p("none set.\n")
	} else {
		p("%s\n", maskURL(hook))
	}
	if !s.cfg.remoteWebhooks {
		p("Only loopback hosts receive webhooks (start the sandbox with -allow-remote for others).\n")
	}
	p("Set the global URL:  %s\n", curlLine(s.URL+"/sandbox/control/webhook_url", [][2]string{{"url", "http://127.0.0.1:8081/webhook"}}))
	p("List deliveries:     %s\n", curlLine(s.URL+"/sandbox/control/deliveries", nil))
	p("\nEach endpoint below: its fields (besides the credentials), then a request that works here.\n")
	p("A value marked * comes from an earlier answer: replace it with yours.\n")

	cred := [][2]string{{"api_key", s.APIKey}, {"username", s.Username}}
	for _, e := range endpoints.All {
		kind := "read-only; the SDK retries it"
		if e.Charging {
			kind = "creates or charges; the SDK never retries it once sent"
		}
		p("\n== %s  %s %s\n", e.Name, endpoints.Method, e.Path)
		p("   %s Answer: %s (%s).\n", e.Summary, e.Result, kind)
		form := append([][2]string(nil), cred...)
		var notes []string
		if len(e.Fields) == 0 {
			p("   fields: none\n")
		}
		for _, f := range e.Fields {
			req := "optional"
			if f.Required {
				req = "required"
			}
			ex := f.Example
			if ex != "" && f.FromAnswer != "" {
				ex += " *"
				notes = append(notes, "* "+f.Name+": use "+f.FromAnswer)
			}
			p("   %-15s %-8s %-32s %s\n", f.Name, req, ex, f.Doc)
			if f.Example != "" {
				form = append(form, [2]string{f.Name, f.Example})
			}
		}
		for _, n := range notes {
			p("   %s\n", n)
		}
		p("   %s\n", curlLine(s.URL+e.Path, form))
	}

	p("\n== Sandbox controls (no credentials; JSON answers {\"status\":true,\"message\":\"OK\",…},\n")
	p("   or HTTP 400/404 with {\"status\":false,\"message\":…})\n")
	for _, c := range s.controlTable() {
		p("\n%s %s\n   %s\n", c.method, c.path, c.doc)
		var form [][2]string
		var notes []string
		for _, f := range c.fields {
			req := "required"
			if f.optional {
				req = "optional"
			}
			ex := f.example
			if f.from != "" {
				ex += " *"
				notes = append(notes, "* "+f.name+": use "+f.from)
			}
			p("   %-15s %-8s %-32s %s\n", f.name, req, ex, f.doc)
			if f.example != "" {
				form = append(form, [2]string{f.name, f.example})
			}
		}
		for _, n := range notes {
			p("   %s\n", n)
		}
		if c.method == http.MethodGet {
			form = nil
		}
		p("   %s\n", curlLine(s.URL+c.path, form))
	}
	p("\nThe sandbox's own pages (qr_url, the account opening and PAN URLs) have complete and fail buttons.\n")
	p("The same endpoint table, with Go names, is docs/endpoints.md in github.com/inexopay/inexopay-go.\n")
	return b.String()
}

// curlLine is a curl command posting form to u (a GET without form). Each
// value is sent with -d when it needs no encoding and --data-urlencode
// otherwise, quoted for a POSIX shell.
func curlLine(u string, form [][2]string) string {
	var b strings.Builder
	b.WriteString(curlPrefix)
	b.WriteString(shellQuote(u))
	for _, kv := range form {
		if plainValue(kv[1]) {
			b.WriteString(" -d " + shellQuote(kv[0]+"="+kv[1]))
		} else {
			b.WriteString(" --data-urlencode " + shellQuote(kv[0]+"="+kv[1]))
		}
	}
	return b.String()
}

// plainValue reports whether v can go in a form body as it is.
func plainValue(v string) bool {
	for _, r := range v {
		if !isAlnum(r) && !strings.ContainsRune("-._", r) {
			return false
		}
	}
	return true
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !isAlnum(r) && !strings.ContainsRune("-._/:=@,+%", r)
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
