package inexopay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2EchoServer is an HTTP/2 server over TLS, written at the frame level,
// that reads a whole request and answers with what answer returns for it:
// frames that carry the request's secrets back (GOAWAY debug data, a
// RST_STREAM after headers that echo them, ...).
type h2EchoServer struct {
	ln   net.Listener
	pool *x509.CertPool
	wg   sync.WaitGroup
}

// h2Request is what the server read: the headers and the body.
type h2Request struct {
	header http.Header
	body   []byte
}

func newH2EchoServer(t *testing.T, answer func(fr *http2.Framer, streamID uint32, req h2Request)) *h2EchoServer {
	// Borrow httptest's certificate (valid for 127.0.0.1) and its pool.
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	cert := ts.TLS.Certificates[0]
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	ts.Close()

	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert},
		NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	s := &h2EchoServer{ln: ln, pool: pool}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer func() { _ = conn.Close() }()
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				s.serve(conn, answer)
			}()
		}
	}()
	t.Cleanup(s.close)
	return s
}

func (s *h2EchoServer) serve(conn net.Conn, answer func(*http2.Framer, uint32, h2Request)) {
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(conn, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(conn, conn)
	if fr.WriteSettings() != nil {
		return
	}
	req := h2Request{header: http.Header{}}
	dec := hpack.NewDecoder(4096, func(f hpack.HeaderField) { req.header.Add(f.Name, f.Value) })
	var stream uint32
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.HeadersFrame:
			stream = f.StreamID
			if _, err := dec.Write(f.HeaderBlockFragment()); err != nil {
				return
			}
			if f.StreamEnded() {
				answer(fr, stream, req)
				return
			}
		case *http2.DataFrame:
			req.body = append(req.body, f.Data()...)
			if f.StreamEnded() {
				answer(fr, stream, req)
				return
			}
		}
	}
}

func (s *h2EchoServer) close() {
	_ = s.ln.Close()
	s.wg.Wait()
}

// client returns an HTTP/2 client that trusts the server.
func (s *h2EchoServer) client() *http.Client {
	return &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{RootCAs: s.pool, MinVersion: tls.VersionTLS12}}}
}

// Over HTTP/2, a server can put text in frames that Go's transport copies
// into its errors: GOAWAY debug data, and header values it refuses. Echoed
// secrets there must be masked like anywhere else.
func TestLeakAttackHTTP2Frames(t *testing.T) {
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN, relCustomerPAN})
	echo := func(req h2Request, sp atkSpelling) string {
		form, _ := url.ParseQuery(string(req.body))
		r := &http.Request{Header: http.Header{"X-Api-Key": req.header.Values("X-Api-Key")}}
		return atkEcho(sp, r, form)
	}
	attacks := []struct {
		name   string
		answer func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling)
	}{
		{"GOAWAY debug data", func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling) {
			_ = fr.WriteGoAway(stream, http2.ErrCodeProtocol, []byte(echo(req, sp)))
		}},
		{"GOAWAY debug data, body echoed raw", func(fr *http2.Framer, stream uint32, req h2Request, _ atkSpelling) {
			_ = fr.WriteGoAway(stream, http2.ErrCodeInternal, req.body)
		}},
		{"invalid header value", func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling) {
			var buf strings.Builder
			enc := hpack.NewEncoder(&buf)
			_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
			_ = enc.WriteField(hpack.HeaderField{Name: "x-echo", Value: echo(req, sp) + "\x01"})
			_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: stream, BlockFragment: []byte(buf.String()),
				EndHeaders: true, EndStream: true})
		}},
	}
	logs := &relSyncBuffer{}
	for _, atk := range attacks {
		for _, sp := range atkSpellings {
			for authName, auth := range map[string]Authenticator{"body": BodyAuth(atkAPIKey, relUsername), "header": HeaderAuth(atkAPIKey, relUsername)} {
				srv := newH2EchoServer(t, func(fr *http2.Framer, stream uint32, req h2Request) { atk.answer(fr, stream, req, sp) })
				hc := srv.client()
				c, err := NewClient(auth, WithBaseURL("https://"+srv.ln.Addr().String()), WithHTTPClient(hc),
					WithLogger(relDebugLogger(logs)), WithRetry(1, time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				for _, rc := range relCalls() {
					where := fmt.Sprintf("%s, %s, %s auth, %s", atk.name, sp.name, authName, rc.e)
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					_, err := rc.call(ctx, c)
					cancel()
					require.Error(t, err, where)
					require.False(t, errors.Is(err, context.DeadlineExceeded), "%s: %v", where, err)
					for i, e := range errorChain(err) {
						for _, s := range append(fmtAll(e), e.Error()) {
							if what := leak(s); what != "" {
								t.Errorf("%s: error %d (%T) holds %s: %s", where, i, e, what, s)
							}
						}
					}
				}
				hc.CloseIdleConnections()
				srv.close()
			}
		}
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if what := leak(line); what != "" {
			t.Errorf("log line holds %s: %s", what, line)
		}
	}
}
