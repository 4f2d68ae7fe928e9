// The API endpoints: the route table, and the path every call takes
// through the sandbox (faults, method, body, credentials, account status,
// bound IP, the endpoint's handler) to its JSON answer.

package inexopaytest

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
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
	mux.HandleFunc("/", s.guard(s.notFound))
	return mux
}

// notFound answers a path that is no endpoint, page or control as a PHP
// framework answers a route it does not have: HTTP 404 with
// {"message":…} and no failure marker, which no client reads as the
// API's refusal. A method other than GET on / is 405, as on a control.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, reply{code: http.StatusMethodNotAllowed, body: failBody(styleCode, http.StatusMethodNotAllowed, msgMethodNotAllowed)})
		return
	}
	writeJSON(w, reply{code: http.StatusNotFound, body: obj{{"message",
		"Not Found: no API endpoint, sandbox page or control at this path; GET / lists them all"}}})
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
		if faulted && s.faultBefore(w, r, f) {
			return
		}
		rep := s.process(w, rt, r, perr)
		if faulted && f.Kind == FaultDropAfterProcessing {
			drop(w)
			return
		}
		if rep.html != "" {
			writeHTML(w, rep.code, rep.html)
			return
		}
		writeJSON(w, rep)
	})
}

// process answers a call: method, body, credentials, account status and
// bound IP, then the endpoint's handler. It writes only w's Allow header.
func (s *Server) process(w http.ResponseWriter, rt route, r *http.Request, perr error) reply {
	if !methodAllowed(w, r, allowPost) {
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

// checkAuth reports the credentials failure of a request, if any: the
// HTTP status and message.
func (s *Server) checkAuth(r *http.Request) (int, string) {
	key, user := r.PostForm.Get("api_key"), r.PostForm.Get("username")
	if key == "" {
		key = r.Header.Get("X-Api-Key")
	}
	if user == "" {
		user = r.Header.Get("X-Api-Username")
	}
	if key == "" || user == "" {
		return http.StatusUnauthorized, msgMissingCredentials
	}
	okKey := subtle.ConstantTimeCompare([]byte(key), []byte(s.APIKey)) == 1
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte(s.Username)) == 1
	if !okKey || !okUser {
		return http.StatusUnauthorized, msgInvalidCredentials
	}
	return 0, ""
}

// The methods a sandbox handler takes, as its Allow header lists them.
const (
	// allowPost is the API endpoints and the controls that change state.
	allowPost = http.MethodPost
	// allowGetPost is the controls that only read, and the NSDL PAN page.
	allowGetPost = http.MethodGet + ", " + http.MethodPost
)

// methodAllowed is the one method check of the sandbox: it reports whether
// r's method is one of allow (allowPost or allowGetPost). When it is not,
// it sets w's Allow header to allow, for the 405 answer the caller writes.
func methodAllowed(w http.ResponseWriter, r *http.Request, allow string) bool {
	for m := range strings.SplitSeq(allow, ", ") {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", allow)
	return false
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
