package testkit

import (
	"io"
	"net/http"
	"net/url"
	"testing"
)

func TestServeEchoRepeatsWhatItWasSent(t *testing.T) {
	srv := ServeEcho(t, func(r *http.Request) Answer {
		return Answer{ContentType: "text/html", Header: map[string]string{"X-Key": r.PostForm.Get("api_key")},
			Body: "<p>" + r.PostForm.Get("api_key") + "</p>"}
	})
	resp, err := http.PostForm(srv.URL, url.Values{"api_key": {"k-123"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Key") != "k-123" || string(b) != "<p>k-123</p>" ||
		resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("%d %v %q", resp.StatusCode, resp.Header, b)
	}
}
