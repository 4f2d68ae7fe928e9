package testkit

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// Reset closes c with a TCP RST instead of a FIN (SO_LINGER 0), as a
// server that crashes or a middlebox that drops the connection does.
func Reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// ReadRequest reads one HTTP/1.1 request head and its whole body from br.
// The error is the one http.ReadRequest or the body read returned.
func ReadRequest(br *bufio.Reader) (*http.Request, []byte, error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(req.Body)
	return req, body, err
}

// WriteAnswer writes a whole HTTP/1.1 answer with a JSON content type and
// a Content-Length; keepAlive chooses the Connection header.
func WriteAnswer(w io.Writer, status int, body string, keepAlive bool) {
	conn := "keep-alive"
	if !keepAlive {
		conn = "close"
	}
	_, _ = fmt.Fprintf(w, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: %s\r\n\r\n%s",
		status, len(body), conn, body)
}

// RawServer is a TCP server on loopback that reads one request on each
// connection and answers with the bytes its answer function returns
// (which need not be valid HTTP), then closes the connection. Tests use it
// for answers net/http's server would refuse to write: headers and status
// lines that echo the request's secrets, truncated or malformed answers.
type RawServer struct {
	*Listener
}

// ServeRaw starts a RawServer; answer gets each request and its body. The
// server is closed when the test ends. Each connection is bounded by a
// 5-second deadline.
func ServeRaw(t testing.TB, answer func(r *http.Request, body []byte) string) *RawServer {
	t.Helper()
	s := &RawServer{}
	s.Listener = ServeTCP(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		req, body, err := ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		_, _ = io.WriteString(c, answer(req, body))
	})
	return s
}
