package testkit

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Answer is what an echoing server writes for one request.
type Answer struct {
	// Status is the HTTP status; 200 if zero.
	Status int
	// ContentType, if set, is the Content-Type header.
	ContentType string
	// Header holds further headers, written as given (values may echo the
	// request's secrets).
	Header map[string]string
	// Body is written as given.
	Body string
}

// ServeEcho starts an HTTP server that parses each request's form and
// answers with what answer returns for it: a careless back end that
// repeats the credentials, OTPs or PANs it was sent in its bodies and
// headers. The server is closed when the test ends.
func ServeEcho(t testing.TB, answer func(r *http.Request) Answer) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		a := answer(r)
		for k, v := range a.Header {
			w.Header().Set(k, v)
		}
		if a.ContentType != "" {
			w.Header().Set("Content-Type", a.ContentType)
		}
		if a.Status == 0 {
			a.Status = http.StatusOK
		}
		w.WriteHeader(a.Status)
		_, _ = w.Write([]byte(a.Body))
	}))
	t.Cleanup(srv.Close)
	return srv
}
