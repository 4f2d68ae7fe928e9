package inexopay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2Misbehaviour is what the HTTP/2 attack server does once it has read a
// whole request.
type h2Misbehaviour struct {
	name string
	act  func(fr *http2.Framer, stream uint32) (closeConn bool)
}

func h2Reset(code http2.ErrCode) func(*http2.Framer, uint32) bool {
	return func(fr *http2.Framer, stream uint32) bool {
		_ = fr.WriteRSTStream(stream, code)
		return false
	}
}

// h2Misbehaviours are the answers after which net/http's HTTP/2 transport
// sends a request again by itself when it can rewind the body: a
// PROTOCOL_ERROR or REFUSED_STREAM reset and a GOAWAY that claims no
// stream was processed; and an INTERNAL_ERROR reset, which it does not
// replay but which must be reported as outcome-unknown all the same.
var h2Misbehaviours = []h2Misbehaviour{
	{"rst-protocol-error", h2Reset(http2.ErrCodeProtocol)},
	{"rst-internal-error", h2Reset(http2.ErrCodeInternal)},
	{"rst-refused-stream", h2Reset(http2.ErrCodeRefusedStream)},
	{"goaway-last-stream-0", func(fr *http2.Framer, _ uint32) bool {
		_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
		return true
	}},
}

// h2Server is an HTTP/2 server over TLS (ALPN "h2") written at the frame
// level. It reads each request whole (HEADERS and DATA up to END_STREAM),
// counts it as an arrival, and misbehaves on the first arrival (or on every
// one with always); later arrivals get the documented success answer, so
// that a replayed charge shows as a success.
type h2Server struct {
	atkListener
	pool     *x509.CertPool
	bad      h2Misbehaviour
	always   bool
	arrivals atomic.Int64
}

func newH2Server(t testing.TB, bad h2Misbehaviour, always bool) *h2Server {
	t.Helper()
	cert, pool := atkCert(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert},
		NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	s := &h2Server{pool: pool, bad: bad, always: always}
	s.start(ln, s.serve)
	t.Cleanup(s.close)
	return s
}

func (s *h2Server) url() string { return "https://" + s.ln.Addr().String() }

func (s *h2Server) serve(c net.Conn) {
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	tc := c.(*tls.Conn)
	if tc.Handshake() != nil || tc.ConnectionState().NegotiatedProtocol != "h2" {
		return
	}
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(c, c)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if fr.WriteSettings() != nil {
		return
	}
	paths := map[uint32]string{}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		var ended uint32
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				_ = fr.WritePing(true, f.Data)
			}
		case *http2.MetaHeadersFrame:
			paths[f.StreamID] = f.PseudoValue("path")
			if f.StreamEnded() {
				ended = f.StreamID
			}
		case *http2.DataFrame:
			if f.StreamEnded() {
				ended = f.StreamID
			}
		case *http2.GoAwayFrame:
			return
		}
		if ended == 0 {
			continue
		}
		n := s.arrivals.Add(1)
		if n == 1 || s.always {
			if s.bad.act(fr, ended) {
				return
			}
			continue
		}
		var hb bytes.Buffer
		enc := hpack.NewEncoder(&hb)
		_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
		_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "application/json"})
		_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: ended, BlockFragment: hb.Bytes(), EndHeaders: true})
		_ = fr.WriteData(ended, true, []byte(relSuccess[relEndpointOf(paths[ended])]))
	}
}

// h2OwnTransport is a program's own transport: golang.org/x/net's HTTP/2
// transport, which has its own copy of the replay logic.
func h2OwnTransport(pool *x509.CertPool) http.RoundTripper {
	return &http2.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
}

// Issue 9 §1: over HTTP/2, a charging call whose request the server read
// whole and then reset or refused (claiming it was not processed) reaches
// the server once, and is reported as outcome-unknown with its order id,
// never as a success after a second arrival.
func TestH2ChargingCallReachesServerAtMostOnce(t *testing.T) {
	_, charging := relSplit(t)
	for _, bad := range h2Misbehaviours {
		for _, setup := range atkSetups(h2OwnTransport) {
			for _, rc := range charging {
				t.Run(bad.name+"/"+setup.name+"/"+string(rc.e), func(t *testing.T) {
					srv := newH2Server(t, bad, false)
					c := setup.client(t, srv.url(), srv.pool)
					res, err := rc.call(atkCtx(t), c)
					arrivals := srv.arrivals.Load()
					require.GreaterOrEqual(t, arrivals, int64(1), "the request reached the server over HTTP/2: %v", err)
					assert.Equal(t, int64(1), arrivals, "a charging call reaches the API at most once")
					if err == nil {
						assert.Equal(t, int64(1), arrivals, "success claimed after %d arrivals: %v", arrivals, res)
					}
					require.ErrorIs(t, err, ErrOutcomeUnknown)
					var ou *OutcomeUnknownError
					require.ErrorAs(t, err, &ou)
					assert.Equal(t, rc.orderID, ou.OrderID)
				})
			}
		}
	}
}

// The storm of the review: one GenerateQR with default retry settings
// against a server that resets every stream reached it tens of thousands
// of times. It must reach it once, and return promptly.
func TestH2ResetStormImpossible(t *testing.T) {
	for _, bad := range h2Misbehaviours {
		t.Run(bad.name, func(t *testing.T) {
			srv := newH2Server(t, bad, true)
			c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(srv.url()))
			require.NoError(t, err)
			trustTestCA(c, srv.pool)
			t.Cleanup(func() { closeIdle(c) })
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			start := time.Now()
			_, err = c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.False(t, errors.Is(err, context.DeadlineExceeded), "the call ended by itself: %v", err)
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.Equal(t, int64(1), srv.arrivals.Load(), "arrivals")
			assert.LessOrEqual(t, srv.conns.Load(), int64(1), "connections")
		})
	}
}

// Read-only calls are retried by the SDK after such failures (every send
// is still one the SDK decided, and counted).
func TestH2ReadOnlyRetriedBySDK(t *testing.T) {
	srv := newH2Server(t, h2Misbehaviours[0], false)
	c := relClient(t, srv.url())
	trustTestCA(c, srv.pool)
	t.Cleanup(func() { closeIdle(c) })
	var info ResponseInfo
	st, err := c.PAN.Status(atkCtx(t), "ORD12345", WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, st.Status)
	assert.Equal(t, int64(2), srv.arrivals.Load())
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, http.StatusOK, info.HTTPStatus)
}

// h2HugeHeader answers with a 1 MiB header block (HEADERS and
// CONTINUATION frames), ignoring the client's advertised limit.
var h2HugeHeader = h2Misbehaviour{"huge-header", func(fr *http2.Framer, stream uint32) bool {
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
	_ = enc.WriteField(hpack.HeaderField{Name: "x-huge", Value: strings.Repeat("a", 1<<20)})
	b := hb.Bytes()
	for first := true; len(b) > 0; first = false {
		n := min(len(b), 16384)
		if first {
			_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: stream, BlockFragment: b[:n], EndHeaders: n == len(b)})
		} else {
			_ = fr.WriteContinuation(stream, n == len(b), b[:n])
		}
		b = b[n:]
	}
	return false
}}

// Issue 9 §5 over HTTP/2: a 1 MiB answer header fails at once and is not
// retried; on a charging call it is outcome-unknown.
func TestH2HugeResponseHeaderRefused(t *testing.T) {
	srv := newH2Server(t, h2HugeHeader, true)
	c := relClient(t, srv.url())
	trustTestCA(c, srv.pool)
	t.Cleanup(func() { closeIdle(c) })
	var info ResponseInfo
	_, err := c.PAN.Status(atkCtx(t), "ORD12345", WithResponseInfo(&info))
	require.Error(t, err)
	assert.Equal(t, 1, info.Attempts, "not retried")
	assert.Equal(t, int64(1), srv.arrivals.Load())

	_, err = c.Wallet.GenerateQR(atkCtx(t), &GenerateQRParams{Amount: Rupees(100)}, WithResponseInfo(&info))
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, info.Attempts)
	assert.Equal(t, int64(2), srv.arrivals.Load())
}
