// Faults: the kinds of fault, the one table of their names, InjectFault
// and Requests, and what each kind does to a call. The fault control over
// HTTP is in faultctl.go.

package inexopaytest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// FaultKind is a way for the sandbox to fail a call; see InjectFault.
type FaultKind int

// The kinds of fault.
const (
	// FaultHTTP500 answers HTTP 500 with an HTML error page, without
	// processing the call.
	FaultHTTP500 FaultKind = iota + 1
	// FaultHTTP502 answers HTTP 502 with a text/html "502 Bad Gateway" page,
	// without processing the call, as a proxy in front of the API does.
	FaultHTTP502
	// FaultHTMLForm answers HTTP 200 with a text/html auto-submitting form
	// page instead of JSON, whose form posts over plain http to a host that
	// is not loopback (http://nsdl.sandbox.invalid/…): an answer the SDK
	// must refuse (ErrOutcomeUnknown), because it would send the applicant's
	// data unencrypted. The call is not processed: nothing is created or
	// charged. For the form answer the real host gives (processed and
	// charged), start the server with WithPANAnswer(PANAnswerForm).
	FaultHTMLForm
	// FaultDelay waits Fault.Delay and then processes and answers the call
	// normally. When the client gives up first the wait ends early and the
	// call is still processed (as a back end that does not notice the
	// client left), but the answer goes nowhere.
	FaultDelay
	// FaultDrop closes the connection without answering, before the call is
	// processed: nothing is created or charged.
	FaultDrop
	// FaultDropAfterProcessing processes the call fully (creates, charges)
	// and then closes the connection without answering: the answer is lost
	// but the effect is real.
	FaultDropAfterProcessing
)

// String returns the Go name of the kind, such as "FaultHTTP502", or
// "FaultKind(n)" for a kind that does not exist.
func (k FaultKind) String() string {
	for _, fk := range faultKinds {
		if fk.kind == k {
			return fk.goName
		}
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// faultKinds is the one table of fault kinds: for each kind its Go name
// (String) and the name the HTTP fault control takes, in the order of the
// constants. FaultKind.String, parseFaultKind, faultKindName, the fault
// control's answers and refusals and its line on the index page all read
// it, so a kind added here is a kind everywhere.
var faultKinds = []struct {
	kind   FaultKind
	goName string
	name   string
}{
	{FaultHTTP500, "FaultHTTP500", "http500"},
	{FaultHTTP502, "FaultHTTP502", "http502"},
	{FaultHTMLForm, "FaultHTMLForm", "html_form"},
	{FaultDelay, "FaultDelay", "delay"},
	{FaultDrop, "FaultDrop", "drop"},
	{FaultDropAfterProcessing, "FaultDropAfterProcessing", "drop_after_processing"},
}

// faultKindName returns the fault control's name of k, such as "drop", or
// k.String() for a kind that does not exist.
func faultKindName(k FaultKind) string {
	for _, fk := range faultKinds {
		if fk.kind == k {
			return fk.name
		}
	}
	return k.String()
}

// faultKindNames lists the fault control's names of the kinds, joined
// with sep and, before the last one, with last (such as ", " and " or ").
func faultKindNames(sep, last string) string {
	var b strings.Builder
	for i, fk := range faultKinds {
		switch {
		case i == 0:
		case i == len(faultKinds)-1:
			b.WriteString(last)
		default:
			b.WriteString(sep)
		}
		b.WriteString(fk.name)
	}
	return b.String()
}

// parseFaultKind reads the fault control's kind field: a name of
// faultKinds, in any case, with surrounding space ignored.
func parseFaultKind(s string) (FaultKind, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, fk := range faultKinds {
		if fk.name == s {
			return fk.kind, nil
		}
	}
	if s == "" {
		return 0, fmt.Errorf("inexopaytest: kind is required: one of %s", faultKindNames(", ", ", "))
	}
	return 0, fmt.Errorf("inexopaytest: unknown kind %s: want one of %s", quoteShort(s), faultKindNames(", ", ", "))
}

// Fault describes how to fail a call.
type Fault struct {
	// Kind is the way to fail.
	Kind FaultKind
	// Delay is how long FaultDelay waits.
	Delay time.Duration
}

type faultSlot struct {
	f Fault
	n int
}

// InjectFault makes the next n calls of endpoint e fail as f says. Faults
// injected for the same endpoint queue up in order. n <= 0 does nothing,
// and faults for an endpoint the SDK does not define never fire.
func (s *Server) InjectFault(e inexopay.Endpoint, f Fault, n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults[e] = append(s.st.faults[e], faultSlot{f: f, n: n})
}

// Requests returns how many requests arrived at endpoint e's path, faulted
// and refused ones included.
func (s *Server) Requests(e inexopay.Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.requests[e]
}

// arrive counts a request to e and takes the next fault queued for it.
func (s *Server) arrive(e inexopay.Endpoint) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests[e]++
	q := s.st.faults[e]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].f
	if q[0].n--; q[0].n == 0 {
		s.st.faults[e] = q[1:]
	}
	return f, true
}

// faultBefore does what fault f does before a call is processed: it
// answers an HTML page, drops the connection or waits. It reports whether
// the call is over (answered or dropped), so that it must not be
// processed. FaultDropAfterProcessing does nothing here; the API wrapper
// drops the answer after processing.
func (s *Server) faultBefore(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case FaultHTTP500:
		writeHTML(w, http.StatusInternalServerError, page500)
		return true
	case FaultHTTP502:
		writeHTML(w, http.StatusBadGateway, page502)
		return true
	case FaultHTMLForm:
		writeHTML(w, http.StatusOK, pageForm)
		return true
	case FaultDrop:
		drop(w)
		return true
	case FaultDelay:
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
		if s.ctx.Err() != nil {
			drop(w)
			return true
		}
	}
	return false
}

const page500 = `<html>
<head><title>500 Internal Server Error</title></head>
<body>
<center><h1>500 Internal Server Error</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

const page502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// pageForm is the page of FaultHTMLForm: its form posts over plain http to
// a host that is not loopback, which the SDK must refuse.
const pageForm = `<!DOCTYPE html>
<html>
<head><title>Redirecting to NSDL</title></head>
<body onload="document.forms[0].submit()">
<p>Please wait, redirecting to the NSDL portal…</p>
<form method="post" action="http://nsdl.sandbox.invalid/sandbox/nsdl/pan">
<input type="hidden" name="req" value="sandbox">
<noscript><input type="submit" value="Continue"></noscript>
</form>
</body>
</html>
`
