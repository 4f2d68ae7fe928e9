package inexopaytest

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"

	inexopay "github.com/inexopay/inexopay-go"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// call is one authenticated API call, as a handler sees it.
type call struct {
	form url.Values
	ip   string
	now  time.Time
}

// route is one API endpoint of the sandbox.
type route struct {
	e     inexopay.Endpoint
	style style
	// h answers an authenticated call; it runs with Server.mu held.
	h func(*Server, *call) reply
}

func (s *Server) routeTable() []route {
	return []route{
		{inexopay.EndpointAccountStatus, styleCode, (*Server).hAccountStatus},
		{inexopay.EndpointAccountBalance, styleErrorCode, (*Server).hBalance},
		{inexopay.EndpointOnboardAgent, styleBool, (*Server).hOnboard},
		{inexopay.EndpointOpenAccount, styleBool, (*Server).hOpenAccount},
		{inexopay.EndpointBankAccountStatus, styleBool, (*Server).hBankStatus},
		{inexopay.EndpointBankAccountDetails, styleBool, (*Server).hBankDetails},
		{inexopay.EndpointIncompleteAccountURL, styleBool, (*Server).hIncompleteURL},
		{inexopay.EndpointGenerateQR, styleCode, (*Server).hGenerateQR},
		{inexopay.EndpointPaymentStatus, styleCode, (*Server).hPaymentStatus},
		{inexopay.EndpointPANRequest, styleCode, (*Server).hPANRequest},
		{inexopay.EndpointPANStatus, styleCode, (*Server).hPANStatus},
		{inexopay.EndpointPANResume, styleCode, (*Server).hPANResume},
		{inexopay.EndpointSendOTP, styleCode, (*Server).hSendOTP},
		{inexopay.EndpointVerifyOTP, styleCode, (*Server).hVerifyOTP},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	paths := endpoints.Paths[inexopay.Endpoint]()
	for _, rt := range s.routeTable() {
		mux.Handle(paths[rt.e], s.logged(rt.e, s.api(rt)))
	}
	s.sandboxRoutes(mux)
	return mux
}

// api wraps a route: it counts the request, applies an injected fault,
// checks the method and credentials and writes the handler's answer.
func (s *Server) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			drop(w)
			return
		}
		defer s.inflight.Done()
		f, faulted := s.arrive(rt.e)
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		perr := r.ParseForm()
		if faulted {
			switch f.Kind {
			case FaultHTTP500:
				writeHTML(w, http.StatusInternalServerError, page500)
				return
			case FaultHTTP502:
				writeHTML(w, http.StatusBadGateway, page502)
				return
			case FaultHTMLForm:
				writeHTML(w, http.StatusOK, pageForm)
				return
			case FaultDrop:
				drop(w)
				return
			case FaultDelay:
				t := time.NewTimer(f.Delay)
				select {
				case <-t.C:
				case <-r.Context().Done():
					t.Stop()
				}
				if s.ctx.Err() != nil {
					drop(w)
					return
				}
			}
		}
		rep := s.process(rt, r, perr)
		if faulted && f.Kind == FaultDropAfterProcessing {
			drop(w)
			return
		}
		if rep.html != "" {
			writeHTML(w, rep.code, rep.html)
			return
		}
		if rep.code == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		writeJSON(w, rep)
	})
}

// process answers a call: method, body, credentials, account status and
// bound IP, then the endpoint's handler.
func (s *Server) process(rt route, r *http.Request, perr error) reply {
	if r.Method != http.MethodPost {
		return deny(rt.style, http.StatusMethodNotAllowed, msgMethodNotAllowed)
	}
	if msg := bodyProblem(r); msg != "" {
		return deny(rt.style, http.StatusUnsupportedMediaType, msg)
	}
	if perr != nil {
		var mbe *http.MaxBytesError
		if errors.As(perr, &mbe) {
			return reply{code: http.StatusRequestEntityTooLarge,
				body: failBody(rt.style, http.StatusRequestEntityTooLarge, "Request body too large")}
		}
		return bad(rt.style, "Malformed request body")
	}
	if code, msg := s.checkAuth(r); code != 0 {
		return deny(rt.style, code, msg)
	}
	ip := r.RemoteAddr
	if h, _, err := net.SplitHostPort(ip); err == nil {
		ip = h
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.status != AccountActive {
		return deny(rt.style, http.StatusForbidden, msgAccountInactive)
	}
	if s.st.boundIP != "" && !sameIP(s.st.boundIP, ip) {
		return deny(rt.style, http.StatusForbidden, msgIPNotWhitelisted)
	}
	return rt.h(s, &call{form: r.PostForm, ip: ip, now: s.cfg.clock()})
}

func sameIP(a, b string) bool {
	if a == b {
		return true
	}
	x, y := net.ParseIP(a), net.ParseIP(b)
	return x != nil && y != nil && x.Equal(y)
}

func writeJSON(w http.ResponseWriter, rep reply) {
	body := marshal(rep.body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.code)
	_, _ = w.Write(body)
}

func writeHTML(w http.ResponseWriter, code int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(page))
}

// drop closes the connection of w without answering.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// The server then closes the connection without an answer.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
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
