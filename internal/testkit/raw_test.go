package testkit

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
)

func TestServeRawWritesTheAnswerBytes(t *testing.T) {
	srv := ServeRaw(t, func(r *http.Request, body []byte) string {
		return "HTTP/1.1 200 OK\r\nX-Echo: " + r.URL.Path + " " + string(body) + "\r\nContent-Length: 0\r\n\r\n"
	})
	resp, err := http.Post(srv.URL()+"/p", "text/plain", strings.NewReader("body"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got := resp.Header.Get("X-Echo"); got != "/p body" {
		t.Errorf("X-Echo = %q", got)
	}
}

func TestResetIsSeenAsAReset(t *testing.T) {
	srv := ServeTCP(t, func(c net.Conn) {
		_, _, _ = ReadRequest(bufio.NewReader(c))
		Reset(c)
	})
	_, err := http.Post(srv.URL(), "text/plain", strings.NewReader("x"))
	if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) {
		t.Errorf("err = %v, want a reset", err)
	}
}

func TestReadRequestRefusesGarbage(t *testing.T) {
	if _, _, err := ReadRequest(bufio.NewReader(strings.NewReader("not http\r\n\r\n"))); err == nil {
		t.Error("garbage read as a request")
	}
}

func TestWriteAnswer(t *testing.T) {
	var b strings.Builder
	WriteAnswer(&b, 503, "{}", false)
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(b.String())), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 503 || !resp.Close || string(body) != "{}" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("answer %d close=%t %q %v", resp.StatusCode, resp.Close, body, resp.Header)
	}
}
