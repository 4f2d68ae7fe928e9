package testkit

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestWebhookSenderRetriesUntil2xx(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Source") != "test" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	s := NewWebhookSender(t, time.Second)
	s.Header.Set("X-Source", "test")
	var first int
	s.First = func(code int) { first = code }
	d := s.Send(srv.URL, "orderid=1")
	if !d.Delivered || d.Count(http.StatusServiceUnavailable) != 2 || d.Count(http.StatusOK) != 1 || first != 503 {
		t.Errorf("delivery %+v, first %d", d, first)
	}
}

func TestWebhookSenderGivesUp(t *testing.T) {
	s := NewWebhookSender(t, 50*time.Millisecond)
	if code := s.Post("http://"+ClosedAddr(t), ""); code != 0 {
		t.Errorf("Post to a closed address: %d, want 0", code)
	}
	if code := s.Post("::bad url", ""); code != 0 {
		t.Errorf("Post to a bad URL: %d, want 0", code)
	}
}
