package testkit

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// H2Stream is one request as an H2Server read it.
type H2Stream struct {
	// ID is the stream's id; Attempt numbers the streams the server saw,
	// from 1, across all connections.
	ID      uint32
	Attempt int
	// Header holds the request's header fields, the pseudo-headers
	// (":path", ":method", …) included.
	Header http.Header
	// Body is the request body read so far: whole when OnRequest runs.
	Body []byte
	// Conn is the connection the stream came on.
	Conn net.Conn
}

// H2Server is an HTTP/2 server over TLS (ALPN "h2") on loopback, written at
// the frame level so that a test can misbehave where net/http's server
// never would: reset a stream (RST_STREAM) after reading a request whole,
// send a GOAWAY that claims nothing was processed, put the request's
// secrets in GOAWAY debug data or in header values.
//
// The server answers SETTINGS and PING, grants flow-control credit for the
// body, and hands each stream to OnHeaders (when its HEADERS arrive) and
// to OnRequest (when its END_STREAM arrives). Either returning false
// closes the connection. A client GOAWAY closes it too.
type H2Server struct {
	// Settings are sent in the server's first SETTINGS frame.
	Settings []http2.Setting
	// OnHeaders, if set, runs when a stream's HEADERS arrive.
	OnHeaders func(fr *http2.Framer, s *H2Stream) bool
	// OnRequest, if set, runs when a stream's request is whole.
	OnRequest func(fr *http2.Framer, s *H2Stream) bool
	// Deadline bounds each connection; 20 seconds if zero.
	Deadline time.Duration

	// Pool trusts the server's certificate; StartH2 sets it.
	Pool *x509.CertPool

	Listener
	mu        sync.Mutex
	streams   int
	dataBytes map[int]int
}

// StartH2 starts s with a certificate from Cert (or cert, when given) and
// closes it when the test ends. It fails the test if it cannot listen.
func StartH2(t testing.TB, s *H2Server, cert ...tls.Certificate) *H2Server {
	t.Helper()
	var c tls.Certificate
	if len(cert) > 0 {
		c = cert[0]
	} else {
		c, s.Pool = Cert(t)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{c},
		NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
	fatalIf(t, "listen", err)
	s.dataBytes = map[int]int{}
	s.Start(ln, s.serve)
	t.Cleanup(s.Close)
	return s
}

// URL is the server's https:// base URL.
func (s *H2Server) URL() string { return "https://" + s.Addr() }

// Client returns an HTTP/2 client that trusts the server (see HTTP2Client).
func (s *H2Server) Client() *http.Client { return HTTP2Client(s.Pool) }

// Streams counts the HEADERS frames (request attempts) the server read.
func (s *H2Server) Streams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streams
}

// BodyAttempts counts the stream attempts that carried at least one byte
// of request body: more than one for a charging call means it was charged
// twice.
func (s *H2Server) BodyAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, b := range s.dataBytes {
		if b > 0 {
			n++
		}
	}
	return n
}

// ResetCounts sets Streams and the body bytes back to zero, for
// a test that makes a second call against the same server.
func (s *H2Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams = 0
	s.dataBytes = map[int]int{}
}

func (s *H2Server) serve(c net.Conn) {
	d := s.Deadline
	if d == 0 {
		d = 20 * time.Second
	}
	_ = c.SetDeadline(time.Now().Add(d))
	if tc, ok := c.(*tls.Conn); ok {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		if tc.HandshakeContext(ctx) != nil || tc.ConnectionState().NegotiatedProtocol != "h2" {
			return
		}
	}
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(c, c)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if fr.WriteSettings(s.Settings...) != nil {
		return
	}
	streams := map[uint32]*H2Stream{}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		var ended *H2Stream
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				_ = fr.WritePing(true, f.Data)
			}
		case *http2.GoAwayFrame:
			return
		case *http2.MetaHeadersFrame:
			st := &H2Stream{ID: f.StreamID, Header: http.Header{}, Conn: c}
			for _, hf := range f.Fields {
				st.Header.Add(hf.Name, hf.Value)
			}
			s.mu.Lock()
			s.streams++
			st.Attempt = s.streams
			s.mu.Unlock()
			streams[f.StreamID] = st
			if s.OnHeaders != nil && !s.OnHeaders(fr, st) {
				return
			}
			if f.StreamEnded() {
				ended = st
			}
		case *http2.DataFrame:
			st := streams[f.StreamID]
			if st == nil {
				continue
			}
			st.Body = append(st.Body, f.Data()...)
			s.mu.Lock()
			s.dataBytes[st.Attempt] += len(f.Data())
			s.mu.Unlock()
			if n := len(f.Data()); n > 0 {
				_ = fr.WriteWindowUpdate(0, uint32(n)) //nolint:gosec // a DATA frame carries at most 16 MiB
			}
			if f.StreamEnded() {
				ended = st
			}
		}
		if ended == nil {
			continue
		}
		if s.OnRequest != nil && !s.OnRequest(fr, ended) {
			return
		}
	}
}

// WriteH2Answer writes a HEADERS frame (":status", a JSON content type and
// the content length) and one DATA frame with body on stream id; end ends
// the stream.
func WriteH2Answer(fr *http2.Framer, id uint32, status int, body string, end bool) {
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: strconv.Itoa(status)})
	_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "application/json"})
	_ = enc.WriteField(hpack.HeaderField{Name: "content-length", Value: strconv.Itoa(len(body))})
	_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hb.Bytes(), EndHeaders: true})
	_ = fr.WriteData(id, end, []byte(body))
}

// WriteH2Headers writes a HEADERS frame made of fields, in order, on
// stream id; end ends the stream. Values are written as given, even ones
// a client must refuse.
func WriteH2Headers(fr *http2.Framer, id uint32, end bool, fields ...hpack.HeaderField) {
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	for _, f := range fields {
		_ = enc.WriteField(f)
	}
	_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hb.Bytes(), EndHeaders: true, EndStream: end})
}
