// The fault and requests controls: InjectFault and Requests over HTTP,
// with their form fields read and checked.

package inexopaytest

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	inexopay "github.com/inexopay/inexopay-go"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// maxFaultCount caps the n of the fault control, so that a typo cannot
// queue a fault that practically never runs out.
const maxFaultCount = 1_000_000

// endpointOrder lists the endpoints in the order of the route table, for
// answers that list them all.
func (s *Server) endpointOrder() []inexopay.Endpoint {
	rt := s.routeTable()
	es := make([]inexopay.Endpoint, len(rt))
	for i, r := range rt {
		es[i] = r.e
	}
	return es
}

// lookupEndpoint finds an endpoint by its name ("PAN.Request") or by the
// path the sandbox serves it at ("/api/nsdl-pan/v1/request_pan.php").
func (s *Server) lookupEndpoint(v string) (inexopay.Endpoint, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New(`inexopaytest: endpoint is required: a name such as "PAN.Request" or a path such as "/api/nsdl-pan/v1/request_pan.php"`)
	}
	paths := endpoints.Paths[inexopay.Endpoint]()
	names := make([]string, 0, len(paths))
	for _, e := range s.endpointOrder() {
		if string(e) == v || paths[e] == v {
			return e, nil
		}
		names = append(names, string(e))
	}
	return "", fmt.Errorf("inexopaytest: unknown endpoint %s: want one of %s, or its path",
		quoteShort(v), strings.Join(names, ", "))
}

// parseFault reads the form fields of the fault control: endpoint, kind,
// n (default 1) and delay (kind delay only).
func (s *Server) parseFault(get func(string) string) (inexopay.Endpoint, Fault, int, error) {
	e, err := s.lookupEndpoint(get("endpoint"))
	if err != nil {
		return "", Fault{}, 0, err
	}
	kind, err := parseFaultKind(get("kind"))
	if err != nil {
		return "", Fault{}, 0, err
	}
	n := 1
	if v := strings.TrimSpace(get("n")); v != "" {
		n, err = strconv.Atoi(v)
		if err != nil || n < 1 || n > maxFaultCount {
			return "", Fault{}, 0, fmt.Errorf("inexopaytest: n must be a whole number from 1 to %d, got %s",
				maxFaultCount, quoteShort(v))
		}
	}
	f := Fault{Kind: kind}
	dv := strings.TrimSpace(get("delay"))
	switch {
	case kind != FaultDelay && dv != "":
		return "", Fault{}, 0, errors.New("inexopaytest: delay applies only to kind delay")
	case kind == FaultDelay && dv == "":
		return "", Fault{}, 0, errors.New(`inexopaytest: kind delay needs a delay, a Go duration such as "250ms" or "2s"`)
	case kind == FaultDelay:
		f.Delay, err = time.ParseDuration(dv)
		if err != nil || f.Delay < 0 {
			return "", Fault{}, 0, fmt.Errorf(`inexopaytest: delay must be a Go duration of zero or more, such as "250ms" or "2s", got %s`,
				quoteShort(dv))
		}
	}
	return e, f, n, nil
}

// faultControl is POST /sandbox/control/fault: InjectFault over HTTP.
func (s *Server) faultControl(r *http.Request) (obj, error) {
	e, f, n, err := s.parseFault(r.PostForm.Get)
	if err != nil {
		return nil, err
	}
	s.InjectFault(e, f, n)
	ans := obj{{"endpoint", string(e)}, {"path", endpoints.Paths[inexopay.Endpoint]()[e]}, {"kind", faultKindName(f.Kind)}, {"n", n}}
	if f.Kind == FaultDelay {
		ans = append(ans, field{"delay", f.Delay.String()})
	}
	return ans, nil
}

// requestsControl is GET or POST /sandbox/control/requests: Requests over
// HTTP, for one endpoint or for all of them.
func (s *Server) requestsControl(r *http.Request) (obj, error) {
	if _, set := r.Form["endpoint"]; set {
		e, err := s.lookupEndpoint(r.Form.Get("endpoint"))
		if err != nil {
			return nil, err
		}
		return obj{{"endpoint", string(e)}, {"requests", s.Requests(e)}}, nil
	}
	es := s.endpointOrder()
	counts := make(obj, len(es))
	s.mu.Lock()
	for i, e := range es {
		counts[i] = field{string(e), s.st.requests[e]}
	}
	s.mu.Unlock()
	return obj{{"requests", counts}}, nil
}

// quoteShort quotes a value a caller sent, cut to 64 bytes, for an error
// message.
func quoteShort(v string) string {
	const maxLen = 64
	if len(v) > maxLen {
		return strconv.Quote(v[:maxLen]) + "…"
	}
	return strconv.Quote(v)
}
