package inexopay_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

type oH2 struct {
	*testkit.H2Server
	heads  atomic.Int32
	bodies atomic.Int32
	pool   *x509.CertPool
}

// oNewH2 serves HTTP/2 over TLS at frame level (testkit.H2Server); act is
// called once a request's body is complete (or, with early, once its
// HEADERS arrived).
func oNewH2(t *testing.T, early bool, act func(fr *http2.Framer, c net.Conn, sid uint32) bool) *oH2 {
	s := &oH2{}
	s.H2Server = testkit.StartH2(t, &testkit.H2Server{Deadline: 5 * time.Second,
		OnHeaders: func(fr *http2.Framer, st *testkit.H2Stream) bool {
			s.heads.Add(1)
			return !early || act(fr, st.Conn, st.ID)
		},
		OnRequest: func(fr *http2.Framer, st *testkit.H2Stream) bool {
			if early {
				return true
			}
			s.bodies.Add(1)
			return act(fr, st.Conn, st.ID)
		}})
	s.pool = s.Pool
	return s
}

func (s *oH2) clients() map[string]func() (*http.Client, func()) {
	return map[string]func() (*http.Client, func()){
		"http2.Transport": func() (*http.Client, func()) {
			tr := &http2.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}}
			return &http.Client{Transport: tr, Timeout: 3 * time.Second}, tr.CloseIdleConnections
		},
		"http.Transport+ConfigureTransport": func() (*http.Client, func()) {
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}}
			if err := http2.ConfigureTransport(tr); err != nil {
				panic(err)
			}
			return &http.Client{Transport: tr, Timeout: 3 * time.Second}, tr.CloseIdleConnections
		},
		"ForceAttemptHTTP2": func() (*http.Client, func()) {
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}, ForceAttemptHTTP2: true}
			return &http.Client{Transport: tr, Timeout: 3 * time.Second}, tr.CloseIdleConnections
		},
	}
}

func TestOutsideChargeAtMostOnceHTTP2(t *testing.T) {
	modes := map[string]func(fr *http2.Framer, c net.Conn, sid uint32) bool{
		"rst-refused": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeRefusedStream)
			return true
		},
		"rst-protocol": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeProtocol)
			return true
		},
		"goaway-0-close": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			return false
		},
		"goaway-0-open": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			return true
		},
		"goaway-protocol": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeProtocol, []byte("bye"))
			return false
		},
		"close": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			return false
		},
	}
	for mname, m := range modes {
		for _, ch := range oCharges() {
			s := oNewH2(t, false, m)
			for cname, mk := range s.clients() {
				before := s.bodies.Load()
				hc, closeIdle := mk()
				for _, idem := range []bool{false, true} {
					auth := inexopay.Authenticator(inexopay.BodyAuth(oKey, "merchant01"))
					if idem {
						auth = oIdemAuth{auth}
					}
					c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(s.URL()),
						inexopay.WithHTTPClient(hc), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond))
					if err != nil {
						t.Fatal(err)
					}
					b0 := s.bodies.Load()
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					err = ch.call(ctx, c)
					cancel()
					tag := fmt.Sprintf("%s/%s/%s/idem=%v", mname, ch.name, cname, idem)
					if got := s.bodies.Load() - b0; got != 1 {
						t.Errorf("FINDING: %s: charge body arrived %d times (err %v)", tag, got, err)
					}
					if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
						t.Errorf("%s: want outcome unknown, got %v", tag, err)
					}
				}
				closeIdle()
				_ = before
			}
			s.Close()
		}
	}
}

// The README's limit for user transports, over HTTP/2: a wrapper that
// rebuilds the request with http.NewRequest (which sets GetBody again) lets
// net/http replay a charge after REFUSED_STREAM or GOAWAY(0) inside the
// user's transport, where the SDK cannot see it; the SDK still never reports
// success for it. A signing wrapper written as the README advises (the body
// passed on as a plain io.ReadCloser, GetBody nil) reaches the API at most
// once.
func TestOutsideSigningWrapperHTTP2(t *testing.T) {
	for mname, m := range map[string]func(fr *http2.Framer, c net.Conn, sid uint32) bool{
		"rst-refused": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeRefusedStream)
			return true
		},
		"goaway-0": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			return false
		},
	} {
		for _, rebuild := range []bool{true, false} {
			s := oNewH2(t, false, m)
			tr := &http2.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}}
			hc := &http.Client{Transport: oSigningRT{inner: tr, plainBody: !rebuild}, Timeout: 3 * time.Second}
			c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "merchant01"), inexopay.WithBaseURL(s.URL()), inexopay.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			var info inexopay.ResponseInfo
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			err = oCharges()[3].call(ctx, c, inexopay.WithResponseInfo(&info))
			cancel()
			tr.CloseIdleConnections()
			s.Close()
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("%s, rebuild=%v: want outcome unknown, got %v", mname, rebuild, err)
			}
			if !rebuild && s.bodies.Load() > 1 {
				t.Errorf("%s: a body-passing wrapper let the charge arrive %d times (SDK attempts %d)", mname, s.bodies.Load(), info.Attempts)
			}
			if rebuild {
				t.Logf("%s: a GetBody-setting wrapper: %d arrivals (the README's stated limit)", mname, s.bodies.Load())
			}
		}
	}
}

func oH2Answer(fr *http2.Framer, sid uint32, status int, body string) {
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: fmt.Sprint(status)})
	_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "application/json"})
	_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: sid, BlockFragment: hb.Bytes(), EndHeaders: true})
	_ = fr.WriteData(sid, true, []byte(body))
}

// Read-only calls: every try that reaches the server is one the SDK decided
// and counted in Attempts (net/http must not retry behind its back after
// REFUSED_STREAM or GOAWAY).
func TestOutsideReadOnlyAttemptsCountEveryTryHTTP2(t *testing.T) {
	for mname, first := range map[string]func(fr *http2.Framer, sid uint32) bool{
		"rst-refused": func(fr *http2.Framer, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeRefusedStream)
			return true
		},
		"goaway-0": func(fr *http2.Framer, sid uint32) bool { _ = fr.WriteGoAway(0, http2.ErrCodeNo, nil); return false },
	} {
		var n atomic.Int32
		s := oNewH2(t, false, func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			if n.Add(1) == 1 {
				return first(fr, sid)
			}
			oH2Answer(fr, sid, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`)
			return true
		})
		for cname, mk := range s.clients() {
			n.Store(0)
			b0 := s.bodies.Load()
			hc, closeIdle := mk()
			c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "merchant01"), inexopay.WithBaseURL(s.URL()),
				inexopay.WithHTTPClient(hc), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			var info inexopay.ResponseInfo
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			_, err = c.Account.Balance(ctx, inexopay.WithResponseInfo(&info))
			cancel()
			closeIdle()
			tries := int(s.bodies.Load() - b0)
			if err != nil || tries != info.Attempts {
				t.Errorf("%s/%s: server saw %d tries, Attempts %d, err %v", mname, cname, tries, info.Attempts, err)
			}
		}
		s.Close()
	}
}
