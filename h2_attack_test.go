package inexopay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
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

// h2Server is an HTTP/2 server over TLS (testkit.H2Server). It counts
// each whole request as an arrival, and misbehaves on the first arrival (or
// on every one with always); later arrivals get the documented success
// answer, so that a replayed charge shows as a success.
type h2Server struct {
	*testkit.H2Server
	pool     *x509.CertPool
	arrivals atomic.Int64
}

func newH2Server(t testing.TB, bad h2Misbehaviour, always bool) *h2Server {
	t.Helper()
	s := &h2Server{}
	s.H2Server = testkit.StartH2(t, &testkit.H2Server{OnRequest: func(fr *http2.Framer, st *testkit.H2Stream) bool {
		n := s.arrivals.Add(1)
		if n == 1 || always {
			return !bad.act(fr, st.ID)
		}
		testkit.WriteH2Answer(fr, st.ID, 200, relSuccess[relEndpointOf(st.Header.Get(":path"))], true)
		return true
	}})
	s.pool = s.Pool
	return s
}

func (s *h2Server) url() string { return s.URL() }

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
			assert.LessOrEqual(t, srv.Conns(), int64(1), "connections")
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
