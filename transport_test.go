package inexopay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/call"
	"github.com/inexopay/inexopay-go/internal/form"
	"github.com/inexopay/inexopay-go/internal/ist"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

func TestRedirectsAreNotFollowed(t *testing.T) {
	elsewhere := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointPANRequest])
	})
	for _, code := range []int{301, 302, 307, 308} {
		srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+r.URL.Path+"?x=1", code)
		})
		// The caller's own client follows redirects; the SDK's copy must not,
		// and the caller's client must stay as it was.
		mine := &http.Client{}
		c := relClient(t, srv.URL, WithHTTPClient(mine))

		_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD-R", Mode: PANModeEKYC, Type: PANTypeNew})
		var ae *APIError
		require.ErrorAs(t, err, &ae, "HTTP %d", code)
		assert.Equal(t, code, ae.HTTPStatus)
		assert.ErrorIs(t, err, ErrServer)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "a charging call that was redirected may have been processed")
		assert.Contains(t, err.Error(), "redirected to "+elsewhere.URL+"/api/nsdl-pan/v1/request_pan.php;")
		assert.NotContains(t, err.Error(), "x=1", "the query of the target is not repeated")

		_, err = c.Account.Status(context.Background())
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, code, ae.HTTPStatus)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)

		assert.Equal(t, 2, srv.count(), "HTTP %d: one request per call, no retry", code)
		assert.Nil(t, mine.CheckRedirect, "WithHTTPClient does not change the caller's client")
	}
	assert.Zero(t, elsewhere.count(), "the credentials never reached the redirect target")
}

// An answer that was read stands even when the context ends right after it
// arrived: a confirmed PAN application must not be reported as failed.
func TestAnswerReadBeforeCancellationStands(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointPANRequest])
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &cancelOnCloseTransport{next: newTransport(), cancel: cancel}
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	app, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew})
	require.NoError(t, err)
	assert.Equal(t, "50089349", app.TxID)
	assert.Error(t, ctx.Err(), "the context did end during the call")
	assert.Equal(t, 1, srv.count())
}

// cancelOnCloseTransport cancels a context as soon as an answer's body is
// closed, that is, right after the SDK has read it.
type cancelOnCloseTransport struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (t *cancelOnCloseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if resp != nil {
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: t.cancel}
	}
	return resp, err
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// traceBlindTransport stands for a transport that is not net/http's own (an
// HTTP/3 or recording transport): it reports no connection events through
// httptrace, so only the request body can tell whether anything was sent.
type traceBlindTransport struct{ next http.RoundTripper }

func (t traceBlindTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(r.WithContext(context.Background()))
}

// A transport that read the body and then failed may have sent the charge:
// it is neither retried nor reported as a plain error.
func TestChargingCallWithTransportThatReportsNoConnections(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relDrop(t, w)
	})
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: traceBlindTransport{newTransport()}}))
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD1", ou.OrderID)
	assert.Equal(t, 1, srv.count(), "sent once")
}

// ---- HTTP/1.1: charging calls reach the server at most once ----

// h1Server is a raw TCP HTTP/1.1 server. It answers read-only requests
// with their documented success and keeps the connection; a request to a
// charging endpoint counts as an arrival once its body was read whole, and
// the first such arrival gets drop (the connection is closed without an
// answer); later ones get the documented success, so that a replayed
// charge shows as a success.
type h1Server struct {
	*testkit.Listener
	drop     func(c net.Conn)
	arrivals atomic.Int64
	// header, if set, is written in every answer (a huge header).
	header string
	// closeAfterAnswer closes each connection after its first answer, as a
	// server with a short keep-alive timeout does.
	closeAfterAnswer bool
}

// h1Close closes the connection (FIN); h1Reset resets it (RST).
func h1Close(c net.Conn) { _ = c.Close() }

func h1Reset(c net.Conn) { testkit.Reset(c) }

// newH1Server starts an h1Server; configure, if given, sets it up before it
// accepts connections.
func newH1Server(t testing.TB, drop func(net.Conn), configure ...func(*h1Server)) *h1Server {
	t.Helper()
	s := &h1Server{drop: drop}
	for _, f := range configure {
		f(s)
	}
	s.Listener = testkit.ServeTCP(t, s.serve)
	return s
}

func (s *h1Server) url() string { return s.URL() }

func (s *h1Server) serve(c net.Conn) {
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return
		}
		e := relEndpointOf(req.URL.Path)
		if endpoints[e].Charging && s.arrivals.Add(1) == 1 && s.drop != nil {
			s.drop(c)
			return
		}
		body := relSuccess[e]
		if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n%s",
			s.header, len(body), body); err != nil || s.closeAfterAnswer {
			return
		}
	}
}

// h1OwnTransport is a program's own HTTP/1.1 transport.
func h1OwnTransport(*x509.CertPool) http.RoundTripper { return &http.Transport{} }

// Issue 9 §1: over HTTP/1.1, a charging call whose request the server read
// whole before closing or resetting the connection reaches the server once
// and is outcome-unknown — on a fresh connection, and on a kept-alive one
// where net/http would replay a request it can rewind when it carries an
// Idempotency-Key.
func TestH1ChargingCallReachesServerAtMostOnce(t *testing.T) {
	_, charging := relSplit(t)
	drops := []struct {
		name string
		drop func(net.Conn)
	}{{"close-after-read", h1Close}, {"reset-after-read", h1Reset}}
	for _, d := range drops {
		for _, reused := range []bool{false, true} {
			for _, setup := range atkSetups(h1OwnTransport) {
				for _, rc := range charging {
					name := fmt.Sprintf("%s/reused=%t/%s/%s", d.name, reused, setup.name, rc.e)
					t.Run(name, func(t *testing.T) {
						srv := newH1Server(t, d.drop)
						c := setup.client(t, srv.url(), nil)
						ctx := atkCtx(t)
						if reused {
							_, err := c.Account.Balance(ctx)
							require.NoError(t, err)
						}
						res, err := rc.call(ctx, c)
						arrivals := srv.arrivals.Load()
						assert.Equal(t, int64(1), arrivals, "a charging call reaches the API exactly once here")
						if err == nil {
							assert.Equal(t, int64(1), arrivals, "success claimed after %d arrivals: %v", arrivals, res)
						}
						require.ErrorIs(t, err, ErrOutcomeUnknown)
						var ou *OutcomeUnknownError
						require.ErrorAs(t, err, &ou)
						assert.Equal(t, rc.orderID, ou.OrderID)
						assert.Equal(t, 1, ou.Attempts)
						if reused {
							assert.Equal(t, int64(1), srv.Conns(), "the charge went over the kept-alive connection")
						}
					})
				}
			}
		}
	}
}

// A charging call that never left the machine is a plain error, not an
// outcome-unknown one, and a cause that would repeat is not retried.
func TestChargingCallRefusedBeforeSendingIsNotUnknown(t *testing.T) {
	srv := newH1Server(t, nil)
	badHeader := headerAuth2{BodyAuth(relAPIKey, relUsername), "X-Trace", "a\r\nInjected: 1"}
	c, err := NewClient(badHeader, WithBaseURL(srv.url()), WithRetry(3, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	var info ResponseInfo
	_, err = c.PAN.Request(atkCtx(t), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew},
		WithResponseInfo(&info))
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, info.Attempts, "a header net/http refuses is not retried")
	assert.Equal(t, int64(0), srv.Conns())

	_, err = NewClient(BodyAuth(relAPIKey, relUsername), WithUserAgent("app/1.0\r\nX-Evil: 1"))
	assert.ErrorIs(t, err, ErrInvalidParams, "an invalid User-Agent is refused by NewClient")
}

// headerAuth2 authenticates and sets one more header, as a program's own
// Authenticator may.
type headerAuth2 struct {
	Authenticator
	key, value string
}

func (a headerAuth2) Authenticate(h http.Header, form url.Values) error {
	h[a.key] = []string{a.value}
	return a.Authenticator.Authenticate(h, form)
}

// failingTransport fails its first fails attempts: without touching the
// body (unread), or after reading it whole (read); the others go to next.
type failingTransport struct {
	next  http.RoundTripper
	fails int
	read  bool
	late  chan error // if set, receives the result of reading the body after the failure
	n     atomic.Int64
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if int(f.n.Add(1)) > f.fails {
		return f.next.RoundTrip(r)
	}
	if f.read {
		_, _ = io.ReadAll(r.Body)
	}
	if f.late != nil {
		go func() {
			time.Sleep(10 * time.Millisecond)
			_, err := r.Body.Read(make([]byte, 16))
			f.late <- err
		}()
	}
	return nil, errors.New("pool: no connection")
}

// A transport failure before a byte of the body was read proves nothing
// was sent: the charging call is retried and reaches the API once. After
// the body was read, it is outcome-unknown and not retried; and a body the
// SDK gave up on cannot be read later (a transport goroutine still running
// cannot send it).
func TestChargingCallUnsentProofIsTheBody(t *testing.T) {
	srv := newH1Server(t, nil)
	unread := &failingTransport{next: &http.Transport{}, fails: 2, late: make(chan error, 2)}
	t.Cleanup(unread.next.(*http.Transport).CloseIdleConnections)
	c := relClient(t, srv.url(), WithHTTPClient(&http.Client{Transport: unread}))
	var info ResponseInfo
	q, err := c.Wallet.GenerateQR(atkCtx(t), &GenerateQRParams{Amount: Rupees(100)}, WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, "WAL1234567890123", q.OrderID)
	assert.Equal(t, int64(1), srv.arrivals.Load())
	assert.Equal(t, 3, info.Attempts)
	for range 2 {
		assert.ErrorIs(t, <-unread.late, call.ErrAttemptOver, "a late read of an abandoned attempt's body fails")
	}

	read := &failingTransport{next: &http.Transport{}, fails: 1, read: true}
	c = relClient(t, srv.url(), WithHTTPClient(&http.Client{Transport: read}))
	_, err = c.Wallet.GenerateQR(atkCtx(t), &GenerateQRParams{Amount: Rupees(100)})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int64(1), read.n.Load(), "not retried once the body was read")
}

// An idle connection the server closed before the SDK wrote on it is not
// a lost charge: the call goes out once, on a new connection.
func TestChargingCallAfterServerClosedIdleConnection(t *testing.T) {
	srv := newH1Server(t, nil, func(s *h1Server) { s.closeAfterAnswer = true })
	c := relClient(t, srv.url())
	t.Cleanup(func() { closeIdle(c) })
	_, err := c.Account.Balance(atkCtx(t))
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond) // the client sees the close
	_, err = c.PAN.Request(atkCtx(t), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew})
	require.NoError(t, err)
	assert.Equal(t, int64(1), srv.arrivals.Load())
	assert.Equal(t, int64(2), srv.Conns())
}

// Issue 9 §5: an answer with a 1 MiB header fails at once, is not retried,
// and on a charging call is outcome-unknown (the request was sent).
func TestHugeResponseHeaderRefused(t *testing.T) {
	srv := newH1Server(t, nil, func(s *h1Server) { s.header = "X-Huge: " + strings.Repeat("a", 1<<20) + "\r\n" })
	c := relClient(t, srv.url())
	t.Cleanup(func() { closeIdle(c) })
	var info ResponseInfo
	_, err := c.PAN.Status(atkCtx(t), "ORD12345", WithResponseInfo(&info))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "response headers exceeded")
	assert.Equal(t, 1, info.Attempts, "an oversize header is permanent")

	_, err = c.PAN.Resume(atkCtx(t), "ORD12345", WithResponseInfo(&info))
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, info.Attempts)
	assert.Equal(t, int64(1), srv.arrivals.Load())
}

// ---- HTTP/2: charging calls reach the server at most once ----

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

// ---- Outages open no connection storm ----

// outageServer answers every other request with a 503 (a 50% failure
// phase) and counts the TCP connections it accepts.
type outageServer struct {
	*httptest.Server
	n     atomic.Int64
	conns atomic.Int64
}

func newOutageServer(t testing.TB) *outageServer {
	s := &outageServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if s.n.Add(1)%2 == 1 {
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointPANStatus])
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// outageRun is what one client did during a failure phase.
type outageRun struct {
	conns    int64
	attempts int64
	lat      []time.Duration
}

func (r outageRun) percentile(p float64) time.Duration {
	s := slices.Clone(r.lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// outageSDK makes goroutines × calls PAN.Status calls with one retry.
func outageSDK(t testing.TB, goroutines, calls int) outageRun {
	srv := newOutageServer(t)
	c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(srv.URL), WithRetry(1, time.Millisecond, 2*time.Millisecond))
	require.NoError(t, err)
	defer closeIdle(c)
	return outageDrive(srv, goroutines, calls, func() {
		_, _ = c.PAN.Status(context.Background(), "ORD12345")
	})
}

// outageRaw makes the same attempts with plain net/http and the same
// transport settings: a POST whose answer is read and decoded, and one more
// after a 503.
func outageRaw(t testing.TB, goroutines, calls int) outageRun {
	srv := newOutageServer(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	form := url.Values{"api_key": {relAPIKey}, "username": {relUsername}, "orderid": {"ORD12345"}}.Encode()
	target := srv.URL + endpoints[EndpointPANStatus].Path
	return outageDrive(srv, goroutines, calls, func() {
		for try := 0; try < 2; try++ {
			resp, err := hc.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				return
			}
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			var out rawPANStatus
			if err != nil || json.Unmarshal(body, &out) != nil || resp.StatusCode != http.StatusServiceUnavailable {
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
}

func outageDrive(srv *outageServer, goroutines, calls int, call func()) outageRun {
	lat := make([]time.Duration, goroutines*calls)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				start := time.Now()
				call()
				lat[g*calls+i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	return outageRun{conns: srv.conns.Load(), attempts: srv.n.Load(), lat: lat}
}

// Issue 9 §2: during an outage the SDK opens about as many connections as
// plain net/http making the same attempts (before: ~1,150 against 16, as
// the retry layer closed the idle connections after every failed call).
func TestOutageOpensNoConnectionStorm(t *testing.T) {
	sdk := outageSDK(t, 16, 40)
	raw := outageRaw(t, 16, 40)
	t.Logf("connections: sdk %d, raw %d; attempts: sdk %d, raw %d", sdk.conns, raw.conns, sdk.attempts, raw.attempts)
	assert.InDelta(t, raw.attempts, sdk.attempts, float64(raw.attempts)/10, "the same attempts")
	assert.LessOrEqual(t, float64(sdk.conns), 1.25*float64(raw.conns)+4, "sdk %d connections, raw %d", sdk.conns, raw.conns)
}

// BenchmarkOutage measures a 50%-failure phase: 16 goroutines each making
// b.N PAN.Status calls with one retry, through the SDK and through plain
// net/http, in the same run (in two halves, SDK then raw and raw then SDK,
// as the machine's load drifts). It reports the connections each opened,
// the p50/p99 call latency of each, and their ratios.
func BenchmarkOutage(b *testing.B) {
	first, second := b.N/2, b.N-b.N/2
	var sdk, raw outageRun
	add := func(to *outageRun, r outageRun) {
		to.conns += r.conns
		to.attempts += r.attempts
		to.lat = append(to.lat, r.lat...)
	}
	if first > 0 {
		add(&sdk, outageSDK(b, 16, first))
		add(&raw, outageRaw(b, 16, first))
	}
	add(&raw, outageRaw(b, 16, second))
	add(&sdk, outageSDK(b, 16, second))
	b.ReportMetric(float64(sdk.conns), "sdk-conns")
	b.ReportMetric(float64(raw.conns), "raw-conns")
	b.ReportMetric(float64(sdk.conns)/float64(max(raw.conns, 1)), "conns-sdk/raw")
	b.ReportMetric(float64(sdk.percentile(0.5).Microseconds()), "sdk-p50-µs")
	b.ReportMetric(float64(raw.percentile(0.5).Microseconds()), "raw-p50-µs")
	b.ReportMetric(float64(sdk.percentile(0.99).Microseconds()), "sdk-p99-µs")
	b.ReportMetric(float64(raw.percentile(0.99).Microseconds()), "raw-p99-µs")
	b.ReportMetric(float64(sdk.percentile(0.5))/float64(raw.percentile(0.5)), "p50-sdk/raw")
	b.ReportMetric(float64(sdk.percentile(0.99))/float64(raw.percentile(0.99)), "p99-sdk/raw")
}

// ---- Bounded answers, connection reuse, no goroutine left behind ----

// relRepeat is an endless reader of one byte, so that a test can stream a
// huge answer without allocating it.
type relRepeat byte

func (r relRepeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// relHuge streams a 50 MiB JSON answer, with or without Content-Length.
func relHuge(declareLength bool) func(int, http.ResponseWriter, *http.Request) {
	const size = 50 << 20
	head, tail := `{"status":"SUCCESS","error_code":200,"username":"`, `"}`
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if declareLength {
			w.Header().Set("Content-Length", strconv.Itoa(size))
		}
		_, _ = io.WriteString(w, head)
		// The client hangs up after its limit, which ends this copy.
		_, _ = io.CopyN(w, relRepeat('a'), int64(size-len(head)-len(tail)))
		_, _ = io.WriteString(w, tail)
	}
}

func TestHugeAnswerIsAnErrorNotAnAllocation(t *testing.T) {
	for _, declared := range []bool{false, true} {
		t.Run(fmt.Sprintf("content-length=%v", declared), func(t *testing.T) {
			srv := newRelServer(t, relHuge(declared))
			c := relClient(t, srv.URL)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b, err := c.Account.Balance(context.Background())
			runtime.ReadMemStats(&after)
			assert.Nil(t, b)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrServer)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 200, ae.HTTPStatus)
			assert.Equal(t, fmt.Sprintf("answer larger than %d bytes", defaultMaxResponseBytes), ae.Message)
			assert.Equal(t, 1, srv.count(), "a 200 answer is not retried")
			allocated := after.TotalAlloc - before.TotalAlloc
			assert.Less(t, allocated, uint64(16<<20), "the client read at most its limit, not 50 MiB")
		})
	}
}

// A charging call whose answer is too large did reach the API: its outcome
// is unknown, exactly as for an answer that is not JSON.
func TestHugeAnswerOnChargingCall(t *testing.T) {
	srv := newRelServer(t, relHuge(false))
	c := relClient(t, srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORDBIG", Mode: PANModeEKYC, Type: PANTypeNew})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, ErrServer)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORDBIG", ou.OrderID)
	assert.Equal(t, 1, srv.count())
}

func TestWithMaxResponseBytes(t *testing.T) {
	const limit = 128
	body := relSuccess[EndpointAccountBalance]
	require.Less(t, len(body), limit)
	exact := body + strings.Repeat(" ", limit-len(body))
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			relRespond(w, http.StatusOK, exact)
			return
		}
		relRespond(w, http.StatusOK, exact+" ")
	})
	c := relClient(t, srv.URL, WithMaxResponseBytes(limit))
	b, err := c.Account.Balance(context.Background())
	require.NoError(t, err, "an answer of exactly the limit is read")
	assert.Equal(t, Amount(125050), b.Amount)
	_, err = c.Account.Balance(context.Background())
	assert.ErrorIs(t, err, ErrServer, "one byte more is an error")

	for _, n := range []int64{0, -1} {
		_, err := NewClient(BodyAuth(relAPIKey, relUsername), WithMaxResponseBytes(n))
		assert.ErrorIs(t, err, ErrInvalidParams)
	}
}

func TestSequentialCallsReuseConnections(t *testing.T) {
	failures := []struct {
		status int
		body   string
	}{
		{200, `{"status_code":400,"status":"FAILED","message":"Error description"}`},
		{400, `{"status":false,"message":"Agent not verified"}`},
		{404, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`},
		{502, `<html><body>502 Bad Gateway</body></html>`},
		{200, `{"status":"SUCCESS","error_code":200,"balance":"` + strings.Repeat("9", 64<<10) + `"}`},
	}
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		e := relEndpointOf(r.URL.Path)
		switch {
		case n%3 == 0:
			f := failures[(n/3)%len(failures)]
			relRespond(w, f.status, f.body)
		case n%5 == 0 && !endpoints[e].Charging:
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable) // retried
		default:
			relRespond(w, http.StatusOK, relSuccess[e])
		}
	})
	c := relClient(t, srv.URL)
	calls := relCalls()
	for i := 0; i < 200; i++ {
		rc := calls[i%len(calls)]
		_, _ = rc.call(context.Background(), c)
	}
	assert.GreaterOrEqual(t, srv.count(), 200)
	assert.LessOrEqual(t, srv.newConns.Load(), int64(2), "bodies are read and closed, so one connection serves every call")
}

func TestConcurrentUseOfOneClient(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if !assert.NoError(t, r.ParseForm()) {
			return
		}
		f := r.PostForm
		switch relEndpointOf(r.URL.Path) {
		case EndpointPaymentStatus:
			relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"`+f.Get("order_id")+`","amount":"1.00","status":"pending"}}`)
		case EndpointPANStatus:
			relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","order_id":"`+f.Get("orderid")+`","data":{"status":"Success"}}`)
		case EndpointBankAccountDetails:
			relRespond(w, http.StatusOK, `{"status":true,"message":"Success","data":{"id":1,"txn_id":"`+f.Get("txn_id")+`"}}`)
		case EndpointGenerateQR:
			relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL`+f.Get("amount")+`","amount":"`+f.Get("amount")+`","qr_url":"https://qr.example/q.png"}}`)
		default:
			relRespond(w, http.StatusNotFound, `{}`)
		}
	})
	logs := &secrettest.LogBuffer{}
	c := relClient(t, srv.URL, WithLogger(secrettest.DebugLogger(logs)))
	const workers = 100
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := context.Background()
			id := fmt.Sprintf("ORD%03d", i)
			p, err := c.Wallet.PaymentStatus(ctx, id)
			if err != nil || p.OrderID != id {
				errs <- fmt.Errorf("worker %d: payment %+v, %v", i, p, err)
				return
			}
			s, err := c.PAN.Status(ctx, id)
			if err != nil || s.OrderID != id || s.Status != StatusSuccess {
				errs <- fmt.Errorf("worker %d: pan %+v, %v", i, s, err)
				return
			}
			a, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: id})
			if err != nil || a.TxnID != id {
				errs <- fmt.Errorf("worker %d: account %+v, %v", i, a, err)
				return
			}
			q, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(int64(i + 1))})
			if err != nil || q.Amount != Rupees(int64(i+1)) || q.OrderID != fmt.Sprintf("WAL%d", i+1) {
				errs <- fmt.Errorf("worker %d: qr %+v, %v", i, q, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 4*workers, srv.count())
	assert.Equal(t, 4*workers, strings.Count(logs.String(), `"msg":"inexopay call"`))
}

func TestNoGoroutineLeftBehind(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n % 4 {
		case 0:
			relDrop(t, w)
		case 1:
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
		case 2:
			relBlock(r)
		default:
			relRespond(w, http.StatusOK, relSuccess[relEndpointOf(r.URL.Path)])
		}
	})
	c := relClient(t, srv.URL)
	for _, rc := range relCalls() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		_, _ = rc.call(ctx, c)
		cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = c.Account.Status(ctx)
	srv.Close() // closes the server side; the client's read loops then end
}

func TestPlainHTTPRefusedUnlessLoopbackOrOptedIn(t *testing.T) {
	refused := []string{
		"http://secure.inexopay.in",
		"http://panel.inexopay.in",
		"HTTP://panel.inexopay.in",
		"http://10.0.0.1:8080",
		"http://0.0.0.0:8080",
		"http://localhost.example.com",
		"http://127.0.0.1.nip.io",
		"http://[fe80::1]",
	}
	for _, base := range refused {
		c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base))
		assert.Nil(t, c, base)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, base)
		assert.Equal(t, "baseURL", ve.Field)
		assert.ErrorIs(t, err, ErrInvalidParams)

		// The explicit opt-in accepts it, in either option order.
		for _, opts := range [][]Option{{WithBaseURL(base), WithInsecureHTTP()}, {WithInsecureHTTP(), WithBaseURL(base)}} {
			c, err := NewClient(BodyAuth(relAPIKey, relUsername), opts...)
			require.NoError(t, err, base)
			assert.True(t, strings.HasPrefix(c.urls[EndpointPANRequest], "http://"), base)
		}
	}
	allowed := []string{
		"http://127.0.0.1:8080", "http://127.0.0.2", "http://localhost:9000", "http://LOCALHOST", "http://[::1]:8080",
		"https://secure.inexopay.in", "https://mail.inexopay.in/", "https://10.0.0.1",
	}
	for _, base := range allowed {
		c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base))
		require.NoError(t, err, base)
		assert.Equal(t, strings.TrimRight(base, "/")+"/api/nsdl-pan/v1/request_pan.php", c.urls[EndpointPANRequest])
	}
	for _, base := range []string{"ftp://secure.inexopay.in", "secure.inexopay.in", "https://user:pw@secure.inexopay.in", "https://secure.inexopay.in?x=1"} {
		_, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base), WithInsecureHTTP())
		assert.ErrorIs(t, err, ErrInvalidParams, base)
	}
}

// TestParallelCallsReuseConnections: 64 goroutines sharing one Client reuse
// their connections instead of opening new ones once the transport's idle
// pool is full (Go's default keeps only 2 idle connections per host).
func TestParallelCallsReuseConnections(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountStatus])
	})
	c := relClient(t, srv.URL)
	const workers, rounds = 64, 20
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < rounds; j++ {
				if _, err := c.Account.Status(context.Background()); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
	assert.Equal(t, workers*rounds, srv.count())
	// At start-up the transport may dial for a request that then takes a
	// connection freed meanwhile, so a few more than 64 can be opened; an
	// idle limit below 64 makes it hundreds (617 with Go's default of 2).
	assert.LessOrEqual(t, srv.newConns.Load(), int64(2*workers),
		"connections are reused across %d calls", workers*rounds)
}

// writeLog records every Write a client makes on its connections.
type writeLog struct {
	mu     sync.Mutex
	writes []string
}

func (l *writeLog) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &loggedConn{Conn: c, log: l}, nil
}

func (l *writeLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.writes...)
}

type loggedConn struct {
	net.Conn
	log *writeLog
}

func (c *loggedConn) Write(p []byte) (int, error) {
	c.log.mu.Lock()
	c.log.writes = append(c.log.writes, string(p))
	c.log.mu.Unlock()
	return c.Conn.Write(p)
}

// A charging call on net/http's transport leaves in one write: headers and
// the form together, as a read-only call does.
func TestChargingCallLeavesInOneWrite(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[relEndpointOf(r.URL.Path)])
	})
	var log writeLog
	tr := &http.Transport{DialContext: log.dial}
	t.Cleanup(tr.CloseIdleConnections)
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345",
		Mode: PANModeEKYC, Type: PANTypeNew})
	require.NoError(t, err)
	writes := log.all()
	require.Len(t, writes, 1, "headers and body in one write")
	assert.True(t, strings.HasPrefix(writes[0], "POST "), "starts with the request line")
	assert.Contains(t, writes[0], "orderid=ORD1", "carries the form")
	assert.Equal(t, 1, srv.count())
}

// The SDK's connection trace of a charging call joins the caller's own: a
// ClientTrace in the context still hears of the connection.
func TestChargingCallKeepsCallersTrace(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[relEndpointOf(r.URL.Path)])
	})
	c := relClient(t, srv.URL)
	t.Cleanup(func() { closeIdle(c) })
	var got int
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { got++ },
	})
	_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
	require.NoError(t, err)
	assert.Equal(t, 1, got)
}

// The observer of an attempt gets the caller's context itself, without the
// SDK's connection trace.
func TestAttemptObserverGetsCallersContext(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[relEndpointOf(r.URL.Path)])
	})
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "mine")
	var got []context.Context
	c := relClient(t, srv.URL, WithObserver(Observer{Attempt: func(ctx context.Context, _ AttemptInfo) {
		got = append(got, ctx)
	}}))
	t.Cleanup(func() { closeIdle(c) })
	_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, ctx, got[0])
	assert.Nil(t, httptrace.ContextClientTrace(got[0]))
}

// ---- every form type is encoded by a plan, as go-querystring encodes it ----

// Every form type of the SDK is encoded by a cached plan, exactly as
// go-querystring encodes it.
func TestFormPlanMatchesQuerystring(t *testing.T) {
	values := []string{"", "ORD1", "a b+c&d=e/f?g%h", "नमस्ते", "x~y-z_.", "line\nbreak", "\x00\xff"}
	for _, params := range []any{&sendOTPForm{}, &verifyOTPForm{}, &onboardAgentForm{}, &openAccountForm{},
		&panForm{}, &accountDetailsForm{}, &panRequestForm{}, &orderForm{}, &generateQRForm{}, &walletOrderForm{}} {
		require.True(t, form.HasPlan(reflect.TypeOf(params)), "%T has a plan", params)
		v := reflect.ValueOf(params).Elem()
		for i, s := range values {
			for f := 0; f < v.NumField(); f++ {
				v.Field(f).SetString(values[(i+f)%len(values)])
			}
			_ = s
			want, err := query.Values(params)
			require.NoError(t, err)
			got, err := form.Encode(params)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%T", params)
			assert.Equal(t, want.Encode(), string(form.Append(nil, got)), "%T", params)
		}
	}
}

// ---- retries of a call, through the Client ----

const relServiceUnavailable = `{"status_code":503,"status":"FAILED","message":"Service temporarily unavailable"}`

// relSplit returns the read-only and the charging calls.
func relSplit(t *testing.T) (readOnly, charging []relCall) {
	for _, c := range relCalls() {
		if endpoints[c.e].Charging {
			charging = append(charging, c)
		} else {
			readOnly = append(readOnly, c)
		}
	}
	require.Len(t, readOnly, 7)
	require.Len(t, charging, 7)
	return readOnly, charging
}

func TestChargingEndpointsAreExactlyTheIssueList(t *testing.T) {
	want := map[Endpoint]bool{
		EndpointOnboardAgent: true, EndpointOpenAccount: true, EndpointGenerateQR: true,
		EndpointPANRequest: true, EndpointPANResume: true, EndpointSendOTP: true, EndpointVerifyOTP: true,
		EndpointAccountStatus: false, EndpointAccountBalance: false, EndpointBankAccountStatus: false,
		EndpointBankAccountDetails: false, EndpointIncompleteAccountURL: false, EndpointPaymentStatus: false,
		EndpointPANStatus: false,
	}
	require.Len(t, endpoints, len(want))
	for e, charging := range want {
		assert.Equal(t, charging, endpoints[e].Charging, "%s", e)
	}
}

func TestReadOnlyRetriedThrough5xxThenSucceeds(t *testing.T) {
	readOnly, _ := relSplit(t)
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusInternalServerError, http.StatusGatewayTimeout} {
		for _, rc := range readOnly {
			t.Run(fmt.Sprintf("%s/%d", rc.e, status), func(t *testing.T) {
				srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
					if n <= 3 {
						relRespond(w, status, relServiceUnavailable)
						return
					}
					relRespond(w, http.StatusOK, relSuccess[rc.e])
				})
				c := relClient(t, srv.URL)
				res, err := rc.call(context.Background(), c)
				require.NoError(t, err)
				rc.check(t, res)
				reqs := srv.requests()
				require.Len(t, reqs, 4)
				for _, r := range reqs {
					assert.Equal(t, endpoints[rc.e].Path, r.Path)
					assert.Equal(t, reqs[0].Body, r.Body, "every attempt sends the same body")
					assert.Equal(t, relAPIKey, r.Form.Get("api_key"))
				}
			})
		}
	}
}

func TestReadOnlyRetriesRunOut(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	c := relClient(t, srv.URL, WithRetry(2, time.Millisecond, 2*time.Millisecond))
	_, err := c.PAN.Status(context.Background(), "ORD12345")
	require.Error(t, err)
	assert.Equal(t, 3, srv.count(), "1 try + 2 retries")
	assert.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read-only call has no unknown outcome")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.HTTPStatus)
	assert.Equal(t, "Service temporarily unavailable", ae.Message, "the API's last message reaches the caller")
}

func TestWithRetryZeroDisablesRetries(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	c := relClient(t, srv.URL, WithRetry(0, time.Millisecond, time.Millisecond))
	_, err := c.Account.Balance(context.Background())
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, srv.count())
}

func TestChargingCallNeverRetriedAfter5xx(t *testing.T) {
	_, charging := relSplit(t)
	for _, status := range []int{http.StatusBadGateway, http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		for _, rc := range charging {
			t.Run(fmt.Sprintf("%s/%d", rc.e, status), func(t *testing.T) {
				srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
					relRespond(w, status, `{"status_code":`+fmt.Sprint(status)+`,"status":"FAILED","message":"upstream failed"}`)
				})
				c := relClient(t, srv.URL)
				res, err := rc.call(context.Background(), c)
				require.Error(t, err)
				assert.Nil(t, res)
				assert.Equal(t, 1, srv.count(), "a charging call is sent exactly once after a 5xx")
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				var ou *OutcomeUnknownError
				require.ErrorAs(t, err, &ou)
				assert.Equal(t, rc.orderID, ou.OrderID)
				assert.Equal(t, rc.e, ou.Endpoint)
				var ae *APIError
				require.ErrorAs(t, err, &ae, "the 5xx answer stays reachable")
				assert.Equal(t, status, ae.HTTPStatus)
				assert.Equal(t, "upstream failed", ae.Message)
				assert.ErrorIs(t, err, ErrServer)
				if rc.orderID != "" {
					assert.Contains(t, err.Error(), `"`+rc.orderID+`"`)
				}
			})
		}
	}
}

func TestChargingCallUnder502WithHTMLPage(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"))
	})
	c := relClient(t, srv.URL)
	p := &PANRequestParams{Mobile: "9876543210", OrderID: "ORD777", Mode: PANModeESign, Type: PANTypeCorrection}
	_, err := c.PAN.Request(context.Background(), p)
	assert.Equal(t, 1, srv.count())
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD777", ou.OrderID)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 502, ae.HTTPStatus)
	assert.Equal(t, "502 Bad Gateway nginx", ae.Snippet)
}

func TestChargingCallUnderDroppedConnection(t *testing.T) {
	_, charging := relSplit(t)
	for _, rc := range charging {
		t.Run(string(rc.e), func(t *testing.T) {
			srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { relDrop(t, w) })
			c := relClient(t, srv.URL)
			res, err := rc.call(context.Background(), c)
			assert.Nil(t, res)
			assert.Equal(t, 1, srv.count())
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var ou *OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			assert.Equal(t, rc.orderID, ou.OrderID)
			var ae *APIError
			assert.False(t, errors.As(err, &ae), "no answer came back")
		})
	}
}

// A POST on a kept-alive connection that the server then drops must not be
// replayed by net/http's own transport retry either.
func TestChargingCallDroppedOnReusedConnection(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if relEndpointOf(r.URL.Path) == EndpointAccountBalance {
			relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
			return
		}
		relDrop(t, w)
	})
	c := relClient(t, srv.URL)
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	_, err = c.PAN.Resume(context.Background(), "ORD55")
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 2, srv.count(), "1 balance + exactly 1 resume")
	assert.Equal(t, int64(1), srv.newConns.Load(), "the resume went over the reused connection")
}

func TestReadOnlyRetriedAfterDroppedConnection(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			relDrop(t, w)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointPaymentStatus])
	})
	c := relClient(t, srv.URL)
	p, err := c.Wallet.PaymentStatus(context.Background(), "WAL1234567890123")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, p.Status)
	assert.Equal(t, 3, srv.count())
}

// relBlock answers nothing until the client gives up on the request.
func relBlock(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func TestChargingCallTimesOutOnCallDeadline(t *testing.T) {
	srv := newRelServer(t, func(_ int, _ http.ResponseWriter, r *http.Request) { relBlock(r) })
	c := relClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "ADH9", AadhaarNumber: relAadhaar})
	assert.Equal(t, 1, srv.count())
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ADH9", ou.OrderID)
}

func TestChargingCallTimesOutOnAttemptTimeout(t *testing.T) {
	srv := newRelServer(t, func(_ int, _ http.ResponseWriter, r *http.Request) { relBlock(r) })
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: newTransport(), Timeout: 50 * time.Millisecond}))
	_, err := c.NSDLBank.OpenAccount(context.Background(), relOpenParams())
	assert.Equal(t, 1, srv.count())
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORDACC1", ou.OrderID)
}

func TestReadOnlyRetriedAfterAttemptTimeout(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			relBlock(r)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointPANStatus])
	})
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: newTransport(), Timeout: 50 * time.Millisecond}))
	st, err := c.PAN.Status(context.Background(), "ORD12345")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, st.Status)
	assert.Equal(t, 2, srv.count())
}

// relClosedAddr returns a loopback address nothing listens on.
func relClosedAddr(t *testing.T) string { return testkit.ClosedAddr(t) }

// relDialer counts dials and fails the first failFirst of them the way a
// refused connection does; the rest dial for real.
type relDialer struct {
	dials     atomic.Int64
	failFirst int64
}

func (d *relDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	n := d.dials.Add(1)
	if n <= d.failFirst {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connect: connection refused")}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func (d *relDialer) client() *http.Client {
	tr := newTransport()
	tr.DialContext = d.DialContext
	return &http.Client{Transport: tr}
}

func TestChargingCallRetriedWhenConnectionRefused(t *testing.T) {
	_, charging := relSplit(t)
	addr := relClosedAddr(t)
	for _, rc := range charging {
		t.Run(string(rc.e), func(t *testing.T) {
			d := &relDialer{}
			c := relClient(t, "http://"+addr, WithHTTPClient(d.client()))
			res, err := rc.call(context.Background(), c)
			assert.Nil(t, res)
			assert.Equal(t, int64(4), d.dials.Load(), "1 try + 3 retries: the request never left")
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a refused connection proves nothing was sent")
			var op *net.OpError
			require.ErrorAs(t, err, &op)
			assert.Equal(t, "dial", op.Op)
		})
	}
}

func TestChargingCallSucceedsAfterRefusedDials(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointGenerateQR])
	})
	d := &relDialer{failFirst: 2}
	c := relClient(t, srv.URL, WithHTTPClient(d.client()))
	q, err := c.Wallet.GenerateQR(context.Background(), &GenerateQRParams{Amount: Rupees(100)})
	require.NoError(t, err)
	assert.Equal(t, "WAL1234567890123", q.OrderID)
	assert.Equal(t, int64(3), d.dials.Load())
	assert.Equal(t, 1, srv.count(), "the order reached the API once")
}

func TestReadOnlyRetriedWhenConnectionRefused(t *testing.T) {
	d := &relDialer{}
	c := relClient(t, "http://"+relClosedAddr(t), WithHTTPClient(d.client()))
	_, err := c.Account.Status(context.Background())
	require.Error(t, err)
	assert.Equal(t, int64(4), d.dials.Load())
}

func TestRateLimitedRetriedWithClampedRetryAfter(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
	})
	c := relClient(t, srv.URL, WithRetry(3, time.Millisecond, 20*time.Millisecond))
	b, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Amount(125050), b.Amount)
	assert.Equal(t, 2, srv.count())
}

func TestRateLimitedRetriesRunOut(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
	})
	c := relClient(t, srv.URL, WithRetry(2, time.Millisecond, 5*time.Millisecond))
	_, err := c.NSDLBank.IncompleteAccountURL(context.Background(), "testbank")
	assert.Equal(t, 3, srv.count(), "an hour-long Retry-After is clamped to the max wait, so this ends")
	assert.ErrorIs(t, err, ErrRateLimited)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.True(t, ae.Temporary())
}

func TestChargingCallNotRetriedOn429(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "1")
		relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.Wallet.GenerateQR(context.Background(), &GenerateQRParams{Amount: Rupees(500)})
	assert.Equal(t, 1, srv.count())
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a 429 is a refusal, not a lost answer")
}

func TestContextCancelledDuringRetryWait(t *testing.T) {
	answered := make(chan struct{}, 1)
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	tr := &relNotifyTransport{next: newTransport(), answered: answered}
	c := relClient(t, srv.URL, WithRetry(3, time.Hour, time.Hour), WithHTTPClient(&http.Client{Transport: tr}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.PAN.Status(ctx, "ORD12345")
		done <- err
	}()
	<-answered
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not return after its context was cancelled")
	}
	assert.Equal(t, 1, srv.count(), "no request after the cancellation")
}

func TestCancelledContextSendsNothing(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountStatus])
	})
	c := relClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, rc := range relCalls() {
		_, err := rc.call(ctx, c)
		assert.ErrorIs(t, err, context.Canceled, "%s", rc.e)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%s: nothing was sent", rc.e)
	}
	assert.Equal(t, 0, srv.count())
}

// A deadline that expires while the connection is still being made proves
// that nothing reached the API: a charging call then is not "unknown".
func TestChargingCallDeadlineWhileDialling(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var dials atomic.Int64
	tr := newTransport()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		dials.Add(1)
		select {
		case <-ctx.Done():
		case <-release:
		}
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("i/o timeout")}
	}
	c := relClient(t, "http://"+relClosedAddr(t), WithHTTPClient(&http.Client{Transport: tr}))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int64(1), dials.Load())
}

// relNotifyTransport signals after each answer has arrived.
type relNotifyTransport struct {
	next     http.RoundTripper
	answered chan struct{}
}

func (t *relNotifyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	select {
	case t.answered <- struct{}{}:
	default:
	}
	return resp, err
}

func TestClientErrorsNeverRetried(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		sentinel error
	}{
		{400, `{"status_code":400,"status":"FAILED","message":"Missing parameters"}`, ErrBadRequest},
		{401, `{"status_code":401,"status":"FAILED","message":"Invalid API key"}`, ErrUnauthorized},
		{402, `{"status_code":402,"status":"FAILED","message":"Insufficient balance"}`, ErrInsufficientBalance},
		{403, `{"status_code":403,"status":"FAILED","message":"IP not whitelisted"}`, ErrForbidden},
		{404, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`, ErrNotFound},
		{405, `{"status_code":405,"status":"FAILED","message":"Method not allowed"}`, ErrMethodNotAllowed},
		{501, `{"status_code":501,"status":"FAILED","message":"Not implemented"}`, ErrServer},
		// A failure in the body of an HTTP 200 answer.
		{200, `{"status_code":400,"status":"FAILED","message":"Error description"}`, ErrBadRequest},
		{200, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`, ErrNotFound},
	}
	for _, tc := range cases {
		for _, rc := range relCalls() {
			t.Run(fmt.Sprintf("%d/%s", tc.status, rc.e), func(t *testing.T) {
				srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
					relRespond(w, tc.status, tc.body)
				})
				c := relClient(t, srv.URL)
				_, err := rc.call(context.Background(), c)
				assert.Equal(t, 1, srv.count())
				assert.ErrorIs(t, err, tc.sentinel)
				if tc.status != 501 {
					assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the API answered: the outcome is known")
				}
			})
		}
	}
}

func TestWithRetryValidation(t *testing.T) {
	for _, o := range []Option{
		WithRetry(-1, time.Millisecond, time.Second),
		WithRetry(21, time.Millisecond, time.Second),
		WithRetry(3, time.Second, time.Millisecond),
		WithRetry(3, -time.Second, time.Millisecond),
	} {
		_, err := NewClient(BodyAuth(relAPIKey, relUsername), o)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve)
	}
}

// ---- Backoff from a zero minimum wait ----

// framingCuts are answers whose body HTTP framing cuts short: a
// Content-Length longer than the body, then the connection closed; a
// chunked body cut mid-chunk; over HTTP/2, a stream reset mid-body.
var framingCuts = []struct {
	name string
	h2   bool
	raw  func(body string) string
}{
	{name: "content-length-longer", raw: func(body string) string {
		return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
			len(body)+40, body[:len(body)/2])
	}},
	{name: "chunk-cut", raw: func(body string) string {
		return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n%x\r\n%s",
			len(body), body[:len(body)/2])
	}},
	{name: "h2-rst-stream", h2: true},
}

// serveCut starts a server that answers every call to e with its documented
// answer cut short as cut says.
func serveCut(t *testing.T, cut int, e Endpoint) (string, *x509.CertPool) {
	body := relSuccess[e]
	if !framingCuts[cut].h2 {
		return testkit.ServeRaw(t, func(*http.Request, []byte) string { return framingCuts[cut].raw(body) }).URL(), nil
	}
	s := testkit.StartH2(t, &testkit.H2Server{Deadline: 5 * time.Second, OnRequest: func(fr *http2.Framer, st *testkit.H2Stream) bool {
		testkit.WriteH2Headers(fr, st.ID, false, hpack.HeaderField{Name: ":status", Value: "200"},
			hpack.HeaderField{Name: "content-type", Value: "application/json"},
			hpack.HeaderField{Name: "content-length", Value: strconv.Itoa(len(body))})
		_ = fr.WriteData(st.ID, false, []byte(body[:len(body)/2]))
		_ = fr.WriteRSTStream(st.ID, http2.ErrCodeInternal)
		return true
	}})
	return s.URL(), s.Pool
}

// An answer cut short by HTTP framing is a server error on every
// read-only call (keeping io.ErrUnexpectedEOF where that is the cause) and
// outcome-unknown on every charging call, never a bare read error.
func TestAnswerCutByFramingIsServerError(t *testing.T) {
	readOnly, charging := relSplit(t)
	for cut, fc := range framingCuts {
		for _, rc := range append(readOnly, charging...) {
			t.Run(fc.name+"/"+string(rc.e), func(t *testing.T) {
				base, pool := serveCut(t, cut, rc.e)
				c := relClient(t, base)
				if pool != nil {
					trustTestCA(c, pool)
					t.Cleanup(func() { closeIdle(c) })
				}
				_, err := rc.call(atkCtx(t), c)
				require.Error(t, err)
				if endpoints[rc.e].Charging {
					assert.ErrorIs(t, err, ErrOutcomeUnknown)
				} else {
					assert.ErrorIs(t, err, ErrServer)
					assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				}
				if !fc.h2 {
					assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
				}
			})
		}
	}
}

// ---- The request: paths, form, headers ----

// The request tests capture what the API receives for every endpoint and
// check it exactly: method, path, headers and the whole form.

const (
	rqKey  = "rq_key_9f8e7d6c5b4a"
	rqUser = "rqmerchant"
)

// rqSeen is one request as the server received it.
type rqSeen struct {
	method string
	path   string
	header http.Header
	form   url.Values
	raw    string
}

// rqServe starts a server that records each request and answers it with
// the documented success answer of the endpoint its path belongs to (dir).
func rqServe(t *testing.T, dir string) (*httptest.Server, <-chan rqSeen) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(fxDir, dir, "success.json"))
	require.NoError(t, err)
	seen := make(chan rqSeen, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		form, perr := url.ParseQuery(string(raw))
		if perr != nil {
			form = url.Values{"!unparsable": {string(raw)}}
		}
		seen <- rqSeen{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), form: form, raw: string(raw)}
		w.Header().Set("Content-Type", "application/json")
		if a := form.Get("amount"); dir == "wallet_generate_qr" && a != "" {
			// A QR is for the amount asked, in data.amount and the link's am.
			_, _ = w.Write([]byte(strings.NewReplacer(`"amount": 100,`, `"amount": `+a+`,`, "&am=100&", "&am="+a+"&").Replace(string(body))))
			return
		}
		if id := form.Get("bcagentid"); dir == "nsdl_onboard_agent" && id != "" {
			// An agent onboarded under the id asked is named by it.
			_, _ = w.Write([]byte(strings.Replace(string(body), `"agent_id": "NSDLP7"`, `"agent_id": "`+id+`"`, 1)))
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// rqOne returns the one request the server received.
func rqOne(t *testing.T, seen <-chan rqSeen) rqSeen {
	t.Helper()
	select {
	case r := <-seen:
		select {
		case extra := <-seen:
			t.Fatalf("a second request reached the server: %s %s", extra.method, extra.path)
		default:
		}
		return r
	default:
		t.Fatal("no request reached the server")
		return rqSeen{}
	}
}

// rqCase is one call and the exact form it must send (credentials aside).
type rqCase struct {
	name string
	dir  string // testdata directory of the endpoint's answers
	e    Endpoint
	call func(ctx context.Context, c *Client) error
	form url.Values
}

func rqValidAadhaar() string { return fxAadhaar }

var rqCases = []rqCase{
	{"Account.Status", "account_status", EndpointAccountStatus, func(ctx context.Context, c *Client) error {
		_, err := c.Account.Status(ctx)
		return err
	}, url.Values{}},
	{"Account.Balance", "account_balance", EndpointAccountBalance, func(ctx context.Context, c *Client) error {
		_, err := c.Account.Balance(ctx)
		return err
	}, url.Values{}},
	{"NSDLBank.OnboardAgent", "nsdl_onboard_agent", EndpointOnboardAgent, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.OnboardAgent(ctx, fxOnboardParams())
		return err
	}, url.Values{"shop_name": {"Binod Store"}, "name": {"Binod Kumar"}, "email": {"binodk@gmail.com"},
		"mobile": {"7091919185"}, "date_of_birth": {"1990-05-17"}, "address": {"Main Road, Ward 4"},
		"state_name": {"Bihar"}, "city_name": {"Supaul"}, "pincode": {"852105"}, "pancard": {"NTFPS6013M"}}},
	{"NSDLBank.OnboardAgent/bcagentid", "nsdl_onboard_agent", EndpointOnboardAgent, func(ctx context.Context, c *Client) error {
		p := fxOnboardParams()
		p.BCAgentID = "INX00042"
		_, err := c.NSDLBank.OnboardAgent(ctx, p)
		return err
	}, url.Values{"shop_name": {"Binod Store"}, "name": {"Binod Kumar"}, "email": {"binodk@gmail.com"},
		"mobile": {"7091919185"}, "date_of_birth": {"1990-05-17"}, "address": {"Main Road, Ward 4"},
		"state_name": {"Bihar"}, "city_name": {"Supaul"}, "pincode": {"852105"}, "pancard": {"NTFPS6013M"},
		"bcagentid": {"INX00042"}}},
	{"NSDLBank.OpenAccount", "nsdl_open_account", EndpointOpenAccount, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.OpenAccount(ctx, fxOpenParams())
		return err
	}, url.Values{"orderid": {"ORD-OPEN-1"}, "account_type": {"2"}, "bcagentid": {"NSDLP7"}, "agent_pancard": {"ABCDE1234F"},
		"first_name": {"Binod"}, "last_name": {"Kumar"}, "email": {"binodk@gmail.com"}, "phone": {"7091919185"},
		"pancard": {"NTFPS6013M"}, "pincode": {"852105"}, "return_url": {"https://merchant.example.com/return"}}},
	{"NSDLBank.OpenAccount/middle_name+savings", "nsdl_open_account", EndpointOpenAccount, func(ctx context.Context, c *Client) error {
		p := fxOpenParams()
		p.MiddleName, p.AccountType = "Prasad", SavingsAccount
		_, err := c.NSDLBank.OpenAccount(ctx, p)
		return err
	}, url.Values{"orderid": {"ORD-OPEN-1"}, "account_type": {"1"}, "bcagentid": {"NSDLP7"}, "agent_pancard": {"ABCDE1234F"},
		"first_name": {"Binod"}, "middle_name": {"Prasad"}, "last_name": {"Kumar"}, "email": {"binodk@gmail.com"},
		"phone": {"7091919185"}, "pancard": {"NTFPS6013M"}, "pincode": {"852105"},
		"return_url": {"https://merchant.example.com/return"}}},
	{"NSDLBank.AccountStatus", "nsdl_account_status", EndpointBankAccountStatus, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountStatus(ctx, "NTFPS6013M")
		return err
	}, url.Values{"pancard": {"NTFPS6013M"}}},
	{"NSDLBank.AccountDetails/txn_id", "nsdl_account_details", EndpointBankAccountDetails, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV"})
		return err
	}, url.Values{"txn_id": {"NSDLUCBDRJCBV"}}},
	{"NSDLBank.AccountDetails/orderid", "nsdl_account_details", EndpointBankAccountDetails, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{OrderID: "ORD-OPEN-1"})
		return err
	}, url.Values{"orderid": {"ORD-OPEN-1"}}},
	{"NSDLBank.AccountDetails/both", "nsdl_account_details", EndpointBankAccountDetails, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV", OrderID: "ORD-OPEN-1"})
		return err
	}, url.Values{"txn_id": {"NSDLUCBDRJCBV"}, "orderid": {"ORD-OPEN-1"}}},
	{"NSDLBank.IncompleteAccountURL", "nsdl_incomplete_url", EndpointIncompleteAccountURL, func(ctx context.Context, c *Client) error {
		_, err := c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
		return err
	}, url.Values{"orderid": {"testbank"}}},
	{"Wallet.GenerateQR/rupees", "wallet_generate_qr", EndpointGenerateQR, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
		return err
	}, url.Values{"amount": {"100"}}},
	{"Wallet.GenerateQR/paise", "wallet_generate_qr", EndpointGenerateQR, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: 10050})
		return err
	}, url.Values{"amount": {"100.50"}}},
	{"Wallet.GenerateQR/five-paise", "wallet_generate_qr", EndpointGenerateQR, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: 1005})
		return err
	}, url.Values{"amount": {"10.05"}}},
	{"Wallet.PaymentStatus", "wallet_payment_status", EndpointPaymentStatus, func(ctx context.Context, c *Client) error {
		_, err := c.Wallet.PaymentStatus(ctx, "WAL1234567890123")
		return err
	}, url.Values{"order_id": {"WAL1234567890123"}}},
	{"PAN.Request", "pan_request", EndpointPANRequest, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew})
		return err
	}, url.Values{"number": {"9876543210"}, "orderid": {"ORD12345"}, "pan_mode": {"EKYC"}, "pan_type": {"new_pan"}}},
	{"PAN.Request/return_url", "pan_request", EndpointPANRequest, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeESign,
			Type: PANTypeCorrection, ReturnURL: "https://merchant.example.com/pan?x=1&y=2"})
		return err
	}, url.Values{"number": {"9876543210"}, "orderid": {"ORD12345"}, "pan_mode": {"ESIGN"}, "pan_type": {"correction"},
		"return_url": {"https://merchant.example.com/pan?x=1&y=2"}}},
	{"PAN.Status", "pan_status", EndpointPANStatus, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Status(ctx, "ORD12345")
		return err
	}, url.Values{"orderid": {"ORD12345"}}},
	{"PAN.Resume", "pan_resume", EndpointPANResume, func(ctx context.Context, c *Client) error {
		_, err := c.PAN.Resume(ctx, "ORD12345")
		return err
	}, url.Values{"orderid": {"ORD12345"}}},
	{"Aadhaar.SendOTP", "aadhaar_send_otp", EndpointSendOTP, func(ctx context.Context, c *Client) error {
		_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "ORD-AADHAAR-1", AadhaarNumber: rqValidAadhaar()})
		return err
	}, url.Values{"orderid": {"ORD-AADHAAR-1"}, "aadhaar_number": {fxAadhaar}}},
	{"Aadhaar.VerifyOTP", "aadhaar_verify_otp", EndpointVerifyOTP, func(ctx context.Context, c *Client) error {
		_, err := c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "ORD-AADHAAR-1", RequestID: "ADHRVFR19052420260531_1e2d274",
			OTP: "731942", AadhaarNumber: rqValidAadhaar()})
		return err
	}, url.Values{"orderid": {"ORD-AADHAAR-1"}, "request_id": {"ADHRVFR19052420260531_1e2d274"}, "otp": {"731942"},
		"aadhaar_number": {fxAadhaar}}},
}

func TestRequestExactFormAndHeaders(t *testing.T) {
	auths := []struct {
		name   string
		auth   Authenticator
		inBody bool
	}{
		{"BodyAuth", BodyAuth(rqKey, rqUser), true},
		{"HeaderAuth", HeaderAuth(rqKey, rqUser), false},
	}
	for _, a := range auths {
		for _, tc := range rqCases {
			t.Run(a.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				srv, seen := rqServe(t, tc.dir)
				c := fxClient(t, a.auth, srv.URL)
				require.NoError(t, tc.call(context.Background(), c))
				r := rqOne(t, seen)

				assert.Equal(t, http.MethodPost, r.method)
				assert.Equal(t, rqDefaultPaths[tc.e], r.path)
				assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
				assert.Equal(t, "application/json", r.header.Get("Accept"))
				assert.Equal(t, "inexopay-go/"+Version, r.header.Get("User-Agent"))

				want := url.Values{}
				for k, v := range tc.form {
					want[k] = v
				}
				if a.inBody {
					want.Set("api_key", rqKey)
					want.Set("username", rqUser)
					assert.Empty(t, r.header.Values("X-Api-Key"), "no key header with BodyAuth")
					assert.Empty(t, r.header.Values("X-Api-Username"), "no username header with BodyAuth")
				} else {
					assert.Equal(t, []string{rqKey}, r.header.Values("X-Api-Key"))
					assert.Equal(t, []string{rqUser}, r.header.Values("X-Api-Username"))
					assert.NotContains(t, r.raw, rqKey, "no key in the body with HeaderAuth")
					assert.NotContains(t, r.raw, rqUser, "no username in the body with HeaderAuth")
				}
				assert.Equal(t, want, r.form, "form sent")
			})
		}
	}
}

// TestRequestBodyIsPlainForm checks the raw body byte for byte: keys sorted,
// reserved characters of values escaped, as PHP's $_POST reads it.
func TestRequestBodyIsPlainForm(t *testing.T) {
	srv, seen := rqServe(t, "pan_request")
	c := fxClient(t, HeaderAuth(rqKey, rqUser), srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345",
		Mode: PANModeEKYC, Type: PANTypeNew, ReturnURL: "https://merchant.example.com/pan?x=1&y=2"})
	require.NoError(t, err)
	r := rqOne(t, seen)
	assert.Equal(t, "number=9876543210&orderid=ORD12345&pan_mode=EKYC&pan_type=new_pan&"+
		"return_url=https%3A%2F%2Fmerchant.example.com%2Fpan%3Fx%3D1%26y%3D2", r.raw)
}

// ---- the answers of every endpoint, decoded through the Client by the decision table ----

const bodyServerError = `{"status_code":500,"status":"FAILED","message":"Internal error, try later"}`

func TestServerErrorInA200BodyIsRetriedOnReadOnlyCalls(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 3 {
			relRespond(w, http.StatusOK, bodyServerError)
			return
		}
		// The NSDL bank answers carry no status_code: a value decoded from an
		// earlier attempt must not stick.
		relRespond(w, http.StatusOK, relSuccess[EndpointBankAccountStatus])
	})
	c := relClient(t, srv.URL)
	acct, err := c.NSDLBank.AccountStatus(context.Background(), "NTFPS6013M")
	require.NoError(t, err)
	assert.Equal(t, "NSDLUCBDRJCBV", acct.TxnID)
	assert.Equal(t, 4, srv.count())
}

func TestServerErrorInA200BodyRetriesRunOut(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, bodyServerError)
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Status(context.Background(), "ORD1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 500, ae.Code)
	assert.Equal(t, 200, ae.HTTPStatus)
	assert.Equal(t, "Internal error, try later", ae.Message)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 4, srv.count(), "1 try and 3 retries")
}

func TestServerErrorInA200BodyOnChargingCallIsUnknown(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, bodyServerError)
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD-B5", Mode: PANModeEKYC, Type: PANTypeNew})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD-B5", ou.OrderID)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, srv.count(), "never sent twice")
	assert.Equal(t, 1, int(srv.newConns.Load()))
}

func TestSuccessWithoutDataOnChargingCallIsUnknown(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","message":"PAN Application Initiated Successfully"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD-ND", Mode: PANModeEKYC, Type: PANTypeNew})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou, "the API said it succeeded: it may have charged")
	assert.Equal(t, "ORD-ND", ou.OrderID)
	_, err = c.Account.Status(context.Background())
	assert.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read-only call charged nothing")
	assert.Equal(t, 2, srv.count(), "a well-formed success is not retried")
}

func TestShapeMismatchSpeaksJSON(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","data":"not an object"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.Account.Status(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `member "data" is a JSON string, not an object`)
	for _, goism := range []string{"wire.", "struct {", "Go struct"} {
		assert.NotContains(t, err.Error(), goism)
	}
}

func TestFailureWithoutCodeIn200Body(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status":false,"message":"Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.NSDLBank.OnboardAgent(context.Background(), relOnboardParams())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Zero(t, ae.Code, "the body gave no code")
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, "inexopay: NSDLBank.OnboardAgent: API error (HTTP 200): Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER", err.Error())
}

// ---- Recorded answers decode into the public types ----

// The fixture tests serve every file under testdata/responses from a real
// HTTP server to a real Client and check the public result field by field,
// or the typed error it becomes.

const fxDir = "testdata/responses"

// fxCall is one SDK method, called with fixed valid parameters.
type fxCall struct {
	endpoint Endpoint
	orderID  string // the order id the call sends, if any
	call     func(ctx context.Context, c *Client) (any, error)
}

// fxQRCall is the Wallet.GenerateQR call of fxCalls asking for a instead of
// ₹100: a QR's answer must be for the amount asked.
func fxQRCall(a Amount) fxCall {
	return fxCall{EndpointGenerateQR, "", func(ctx context.Context, c *Client) (any, error) {
		return c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: a})
	}}
}

// fxCalls maps a directory of testdata/responses to the method whose answers
// it holds.
var fxCalls = map[string]fxCall{
	"account_status": {EndpointAccountStatus, "", func(ctx context.Context, c *Client) (any, error) {
		return c.Account.Status(ctx)
	}},
	"account_balance": {EndpointAccountBalance, "", func(ctx context.Context, c *Client) (any, error) {
		return c.Account.Balance(ctx)
	}},
	"nsdl_onboard_agent": {EndpointOnboardAgent, "", func(ctx context.Context, c *Client) (any, error) {
		return c.NSDLBank.OnboardAgent(ctx, fxOnboardParams())
	}},
	"nsdl_open_account": {EndpointOpenAccount, "ORD-OPEN-1", func(ctx context.Context, c *Client) (any, error) {
		return c.NSDLBank.OpenAccount(ctx, fxOpenParams())
	}},
	"nsdl_account_status": {EndpointBankAccountStatus, "", func(ctx context.Context, c *Client) (any, error) {
		return c.NSDLBank.AccountStatus(ctx, "NTFPS6013M")
	}},
	"nsdl_account_details": {EndpointBankAccountDetails, "", func(ctx context.Context, c *Client) (any, error) {
		return c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV"})
	}},
	"nsdl_incomplete_url": {EndpointIncompleteAccountURL, "testbank", func(ctx context.Context, c *Client) (any, error) {
		return c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
	}},
	"wallet_generate_qr": {EndpointGenerateQR, "", func(ctx context.Context, c *Client) (any, error) {
		return c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
	}},
	"wallet_payment_status": {EndpointPaymentStatus, "WAL1234567890123", func(ctx context.Context, c *Client) (any, error) {
		return c.Wallet.PaymentStatus(ctx, "WAL1234567890123")
	}},
	"pan_request": {EndpointPANRequest, "ORD12345", func(ctx context.Context, c *Client) (any, error) {
		return c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew})
	}},
	"pan_status": {EndpointPANStatus, "ORD12345", func(ctx context.Context, c *Client) (any, error) {
		return c.PAN.Status(ctx, "ORD12345")
	}},
	"pan_resume": {EndpointPANResume, "ORD12345", func(ctx context.Context, c *Client) (any, error) {
		return c.PAN.Resume(ctx, "ORD12345")
	}},
	"aadhaar_send_otp": {EndpointSendOTP, "ORD-AADHAAR-1", func(ctx context.Context, c *Client) (any, error) {
		return c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "ORD-AADHAAR-1", AadhaarNumber: fxAadhaar})
	}},
	"aadhaar_verify_otp": {EndpointVerifyOTP, "ORD-AADHAAR-1", func(ctx context.Context, c *Client) (any, error) {
		return c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "ORD-AADHAAR-1",
			RequestID: "ADHRVFR19052420260531_1e2d274", OTP: "731942", AadhaarNumber: fxAadhaar})
	}},
}

func fxOnboardParams() *OnboardAgentParams {
	return &OnboardAgentParams{ShopName: "Binod Store", Name: "Binod Kumar", Email: "binodk@gmail.com",
		Mobile: "7091919185", DateOfBirth: "1990-05-17", Address: "Main Road, Ward 4", StateName: "Bihar",
		CityName: "Supaul", Pincode: "852105", PAN: "NTFPS6013M"}
}

func fxOpenParams() *OpenAccountParams {
	return &OpenAccountParams{OrderID: "ORD-OPEN-1", AccountType: CurrentAccount, BCAgentID: "NSDLP7",
		AgentPAN: "ABCDE1234F", FirstName: "Binod", LastName: "Kumar", Email: "binodk@gmail.com",
		Phone: "7091919185", PAN: "NTFPS6013M", Pincode: "852105", ReturnURL: "https://merchant.example.com/return"}
}

// fxErr is the error a failure answer must become.
type fxErr struct {
	HTTPStatus int
	Code       int
	Status     string // the body's status member as sent
	Message    string
	// MessagePrefix makes Message a prefix rather than the whole message.
	MessagePrefix bool
	Is            error
	// AlsoIs are further sentinels the error matches (a 400 that says
	// "not found" is both ErrNotFound and ErrBadRequest).
	AlsoIs []error
	// OutcomeUnknown: a charging call whose answer was unusable.
	OutcomeUnknown bool
	// NonJSON: the answer was not JSON; Snippet is its expected excerpt.
	NonJSON bool
	Snippet string
}

// fxCase is one file served with one HTTP status.
type fxCase struct {
	file        string // under testdata/responses
	httpStatus  int    // default 200
	contentType string // default by extension
	want        any    // the public result, for successes
	err         *fxErr // the error, for failures
	asked       Amount // the amount Wallet.GenerateQR asks for, when not ₹100
}

var (
	fxUTC = time.UTC
	fxIST = ist.Zone
)

func fxTime(loc *time.Location, y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, loc)
}

var fxNginx502 = "502 Bad Gateway 502 Bad Gateway nginx/1.18.0 (Ubuntu)"

// fxAsked is a record asked by its own PAN: the result holds that echo of
// the PAN the call sent masked.
func fxAsked(a *BankAccount) *BankAccount {
	asked := *a
	asked.PAN = MaskPAN(a.PAN)
	return &asked
}

var fxDocAccount = &BankAccount{ID: 34, AccountType: CurrentAccount, TxnID: "NSDLUCBDRJCBV", FirstName: "Binod",
	MiddleName: "", LastName: "Kumar", Email: "binodk@gmail.com", Phone: "7091919185", PAN: "NTFPS6013M",
	Pincode: "852105", Completed: true, RecordMessage: "", Status: 1, Refunded: false,
	Date:      fxTime(fxUTC, 2026, 5, 4, 10, 0, 0),
	CreatedAt: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0),
	UpdatedAt: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0), Message: "Success"}

var fxCases = []fxCase{
	// Account.Status
	{file: "account_status/success.json", want: &AccountStatus{OwnerName: "Your Name", Balance: 125050, Status: "ACTIVE",
		PlanName: "Premium Plan", BindIP: "103.XX.XX.XX", YourIP: "103.XX.XX.XX", IPStatus: "MATCHED", Message: "API Status Retrieved"}},
	{file: "account_status/quirk_strings.json", want: &AccountStatus{OwnerName: "Your Name", Balance: 125050, Status: "ACTIVE",
		PlanName: "", BindIP: "", YourIP: "103.21.58.193", IPStatus: "NOT_BOUND", Message: "API Status Retrieved"}},
	{file: "account_status/quirk_status_lower.json", want: &AccountStatus{OwnerName: "Your Name", Balance: 125050, Status: "ACTIVE",
		PlanName: "Premium Plan", BindIP: "103.21.58.193", YourIP: "103.21.58.193", IPStatus: "MATCHED", Message: "API Status Retrieved"}},
	{file: "account_status/error_401.json", httpStatus: 401, err: &fxErr{HTTPStatus: 401, Code: 401, Status: "FAILED",
		Message: "Invalid API key or username", Is: ErrUnauthorized}},
	{file: "account_status/error_401.json", err: &fxErr{HTTPStatus: 200, Code: 401, Status: "FAILED",
		Message: "Invalid API key or username", Is: ErrUnauthorized}},
	{file: "account_status/error_403.json", httpStatus: 403, err: &fxErr{HTTPStatus: 403, Code: 403, Status: "FAILED",
		Message: "IP not whitelisted", Is: ErrForbidden}},
	{file: "account_status/error_403.json", err: &fxErr{HTTPStatus: 200, Code: 403, Status: "FAILED",
		Message: "IP not whitelisted", Is: ErrForbidden}},
	{file: "account_status/error_405.json", httpStatus: 405, err: &fxErr{HTTPStatus: 405, Code: 405, Status: "FAILED",
		Message: "Method Not Allowed", Is: ErrMethodNotAllowed}},
	{file: "account_status/error_405.json", err: &fxErr{HTTPStatus: 200, Code: 405, Status: "FAILED",
		Message: "Method Not Allowed", Is: ErrMethodNotAllowed}},
	{file: "account_status/error_500.json", httpStatus: 500, err: &fxErr{HTTPStatus: 500, Code: 500, Status: "FAILED",
		Message: "Internal server error", Is: ErrServer}},
	{file: "account_status/nginx_502.html", httpStatus: 502, err: &fxErr{HTTPStatus: 502, Code: 502,
		Message: "answer is not JSON", Is: ErrServer, NonJSON: true, Snippet: fxNginx502}},

	// Account.Balance
	{file: "account_balance/success.json", want: &Balance{Amount: 125050, Username: "jojo", Message: "Balance fetched successfully"}},
	{file: "account_balance/quirk_strings.json", want: &Balance{Amount: 125050, Username: "jojo", Message: "Balance fetched successfully"}},
	{file: "account_balance/quirk_comma.json", want: &Balance{Amount: 125050, Username: "jojo", Message: ""}},
	{file: "account_balance/quirk_utf8_bom.json", want: &Balance{Amount: 125050, Username: "jojo", Message: "Balance fetched successfully"}},
	{file: "account_balance/error_401.json", err: &fxErr{HTTPStatus: 200, Code: 401, Status: "FAILED",
		Message: "Invalid API key or username", Is: ErrUnauthorized}},
	{file: "account_balance/error_403.json", err: &fxErr{HTTPStatus: 200, Code: 403, Status: "FAILED",
		Message: "Subscription expired", Is: ErrForbidden}},
	{file: "account_balance/empty.json", contentType: "text/html; charset=UTF-8", err: &fxErr{HTTPStatus: 200, Code: 200,
		Message: "empty answer", Is: ErrServer, NonJSON: true}},

	// NSDLBank.OnboardAgent
	{file: "nsdl_onboard_agent/success.json", want: &Agent{TxnID: "NSDLP7", AgentID: "NSDLP7", Message: "Agent verified successfully..!! Now you can create your agent account."}},
	{file: "nsdl_onboard_agent/quirk_status_1.json", want: &Agent{TxnID: "NSDLP8", AgentID: "INX00001", Message: "Agent verified successfully..!! Now you can create your agent account."}},
	{file: "nsdl_onboard_agent/quirk_status_string_true.json", want: &Agent{TxnID: "NSDLP9", AgentID: "INX00002", Message: "Agent verified successfully..!! Now you can create your agent account."}},
	{file: "nsdl_onboard_agent/error_already_registered.json", err: &fxErr{HTTPStatus: 200, Code: 0, Status: "false",
		Message: "Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER", Is: ErrBadRequest}},
	{file: "nsdl_onboard_agent/error_status_0.json", err: &fxErr{HTTPStatus: 200, Code: 0, Status: "false",
		Message: "Agent not verified :: INVALID PAN", Is: ErrBadRequest}},
	{file: "nsdl_onboard_agent/error_status_string_false.json", err: &fxErr{HTTPStatus: 200, Code: 0, Status: "false",
		Message: "Agent not verified :: INVALID PINCODE", Is: ErrBadRequest}},
	{file: "nsdl_onboard_agent/nginx_502.html", httpStatus: 502, err: &fxErr{HTTPStatus: 502, Code: 502,
		Message: "answer is not JSON", Is: ErrServer, NonJSON: true, Snippet: fxNginx502, OutcomeUnknown: true}},

	// NSDLBank.OpenAccount
	{file: "nsdl_open_account/success.json", want: &AccountOpening{
		RedirectURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=...", TxnID: "NSDLUCBDRJCBV", CustomerID: 838822, Message: "Success..!!"}},
	{file: "nsdl_open_account/quirk_strings.json", want: &AccountOpening{
		RedirectURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc", TxnID: "NSDLUCBDRJCBV", CustomerID: 838822, Message: "Success..!!"}},
	{file: "nsdl_open_account/error_failed.json", err: &fxErr{HTTPStatus: 200, Code: 0, Status: "false",
		Message: "Order ID already exists", Is: ErrBadRequest}},
	{file: "nsdl_open_account/error_402.json", err: &fxErr{HTTPStatus: 200, Code: 402, Status: "false",
		Message: "Insufficient balance", Is: ErrInsufficientBalance}},
	{file: "nsdl_open_account/error_402.json", httpStatus: 402, err: &fxErr{HTTPStatus: 402, Code: 402, Status: "false",
		Message: "Insufficient balance", Is: ErrInsufficientBalance}},

	// NSDLBank.AccountStatus
	{file: "nsdl_account_status/success.json", want: fxAsked(fxDocAccount)},
	{file: "nsdl_account_status/quirk_php_strings.json", want: &BankAccount{ID: 34, AccountType: CurrentAccount,
		TxnID: "NSDLUCBDRJCBV", FirstName: "Binod", MiddleName: "", LastName: "Kumar", Email: "binodk@gmail.com",
		Phone: "7091919185", PAN: MaskPAN("NTFPS6013M"), Pincode: "852105", Completed: true, RecordMessage: "", Status: 1, Refunded: false,
		Date:      fxTime(fxIST, 2026, 5, 4, 15, 30, 0),
		CreatedAt: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0),
		UpdatedAt: fxTime(fxIST, 2026, 5, 4, 15, 31, 0), Message: "Success"}},
	{file: "nsdl_account_status/quirk_bools_true.json", want: &BankAccount{ID: 35, AccountType: SavingsAccount,
		TxnID: "NSDLUCBDRJCBW", FirstName: "Binod", MiddleName: "Prasad", LastName: "Kumar", Email: "binodk@gmail.com",
		Phone: "7091919185", PAN: MaskPAN("NTFPS6013M"), Pincode: "852105", Completed: true, RecordMessage: "Account opened", Status: 2,
		Refunded: true,
		Date:     fxTime(fxUTC, 2026, 5, 4, 10, 0, 0), CreatedAt: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0),
		UpdatedAt: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0), Message: "Success"}},
	{file: "nsdl_account_status/record_not_found.json", err: &fxErr{HTTPStatus: 200, Code: 99, Status: "false",
		Message: "Record Not Found", Is: ErrNotFound}},
	{file: "nsdl_account_status/record_not_found_numeric.json", err: &fxErr{HTTPStatus: 200, Code: 99, Status: "false",
		Message: "Record Not Found", Is: ErrNotFound}},

	// NSDLBank.AccountDetails
	{file: "nsdl_account_details/success.json", want: fxDocAccount},
	{file: "nsdl_account_details/quirk_bool_variants.json", want: &BankAccount{ID: 36, AccountType: SavingsAccount,
		TxnID: "nsdlucbdrjcbv", FirstName: "Asha", MiddleName: "", LastName: "Devi", Email: "asha@example.com",
		Phone: "9876543210", PAN: "ABCDE1234F", Pincode: "110001", Completed: false, RecordMessage: "Customer dropped",
		Status: 0, Refunded: true,
		Date:      fxTime(fxUTC, 2025, 1, 15, 10, 30, 0),
		CreatedAt: fxTime(fxIST, 2025, 1, 15, 16, 0, 0),
		UpdatedAt: time.Time{}, Message: "Success"}},
	{file: "nsdl_account_details/record_not_found.json", err: &fxErr{HTTPStatus: 200, Code: 99, Status: "false",
		Message: "Record Not Found", Is: ErrNotFound}},
	{file: "nsdl_account_details/record_not_found.json", httpStatus: 404, err: &fxErr{HTTPStatus: 404, Code: 99,
		Status: "false", Message: "Record Not Found", Is: ErrNotFound}},
	{file: "nsdl_account_details/error_bad_shape.json", err: &fxErr{HTTPStatus: 200, Code: 200,
		Message: "answer does not match the documented shape: ", MessagePrefix: true, Is: ErrServer}},

	// NSDLBank.IncompleteAccountURL
	{file: "nsdl_incomplete_url/success.json", want: &IncompleteAccount{OrderID: "testbank", TxnID: "NSDLUCBDRJCBV",
		AccountURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=...", Status: StatusPending, Message: "Redirect URL retrieved successfully."}},
	{file: "nsdl_incomplete_url/quirk_status_upper.json", want: &IncompleteAccount{OrderID: "testbank", TxnID: "NSDLUCBDRJCBV",
		AccountURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=xyz", Status: StatusPending, Message: "Redirect URL retrieved successfully."}},
	{file: "nsdl_incomplete_url/error_not_pending.json", err: &fxErr{HTTPStatus: 200, Code: 0, Status: "false",
		Message: "Transaction status is failed. URL can only be retrieved for pending transactions.", Is: ErrBadRequest}},

	// Wallet.GenerateQR
	{file: "wallet_generate_qr/success.json", want: &WalletQR{OrderID: "WAL1234567890123", Amount: 10000,
		QRURL: "https://api.qrserver.com/v1/create-qr-code/...", UPIID: "paytmqr5hcr1f@ptys", AccountHolderName: "INEXOPAY",
		UPIString: "upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR&tn=WAL1234567890123&am=100&tr=WAL1234567890123",
		Status:    StatusPending, Message: "QR generated successfully! Please scan and pay, then use check_status API to verify payment."}},
	{file: "wallet_generate_qr/quirk_strings.json", asked: 10050, want: &WalletQR{OrderID: "WAL1234567890124", Amount: 10050,
		QRURL: "https://api.qrserver.com/v1/create-qr-code/?data=x", UPIID: "paytmqr5hcr1f@ptys", AccountHolderName: "",
		UPIString: "upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR&tn=WAL1234567890124&am=100.50&tr=WAL1234567890124",
		Status:    StatusPending, Message: "QR generated successfully!"}},
	{file: "wallet_generate_qr/error_min_amount.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "FAILED",
		Message: "Minimum wallet load amount is 100", Is: ErrBadRequest}},
	{file: "wallet_generate_qr/error_401.json", httpStatus: 401, err: &fxErr{HTTPStatus: 401, Code: 401, Status: "FAILED",
		Message: "Invalid API key or username", Is: ErrUnauthorized}},
	{file: "wallet_generate_qr/nginx_502.html", httpStatus: 502, err: &fxErr{HTTPStatus: 502, Code: 502,
		Message: "answer is not JSON", Is: ErrServer, NonJSON: true, Snippet: fxNginx502, OutcomeUnknown: true}},

	// Wallet.PaymentStatus
	{file: "wallet_payment_status/success.json", want: &WalletPayment{OrderID: "WAL1234567890123", Amount: 10000,
		Status: StatusSuccess, DateTime: fxTime(fxIST, 2025, 1, 15, 10, 30, 0), Bank: "UPI QR - INEXOPAY (paytmqr5hcr1f@ptys)",
		Mode: "API_UPI_QR", Remark: "Online Wallet Load via API - Success - UTR: BANK123456", NewBalance: 110000, Message: ""}},
	{file: "wallet_payment_status/quirk_strings.json", want: &WalletPayment{OrderID: "WAL1234567890123", Amount: 10000,
		Status: StatusSuccess, DateTime: fxTime(fxUTC, 2025, 1, 15, 10, 30, 0), Bank: "UPI QR - INEXOPAY (paytmqr5hcr1f@ptys)",
		Mode: "API_UPI_QR", Remark: "", NewBalance: 110050, Message: ""}},
	{file: "wallet_payment_status/quirk_pending_micro.json", want: &WalletPayment{OrderID: "WAL1234567890123", Amount: 10050,
		Status: StatusPending, DateTime: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0), Bank: "", Mode: "API_UPI_QR",
		Remark: "Awaiting payment", NewBalance: 0, Message: ""}},
	{file: "wallet_payment_status/error_not_found.json", err: &fxErr{HTTPStatus: 200, Code: 404, Status: "FAILED",
		Message: "Order not found", Is: ErrNotFound}},

	// PAN.Request
	{file: "pan_request/success.json", want: &PANApplication{TxID: "50089349",
		URL: "https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349&mode=K", Mobile: "9876543210", OrderID: "ORD12345", Message: "PAN Application Initiated Successfully"}},
	{file: "pan_request/quirk_numbers.json", want: &PANApplication{TxID: "50089349",
		URL: "https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349&mode=K", Mobile: "9876543210", OrderID: "ORD12345", Message: "PAN Application Initiated Successfully"}},
	{file: "pan_request/error_400.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "FAILED",
		Message: "Error description", Is: ErrBadRequest}},
	{file: "pan_request/error_400.json", httpStatus: 400, err: &fxErr{HTTPStatus: 400, Code: 400, Status: "FAILED",
		Message: "Error description", Is: ErrBadRequest}},
	{file: "pan_request/error_402.json", err: &fxErr{HTTPStatus: 200, Code: 402, Status: "FAILED",
		Message: "Insufficient balance", Is: ErrInsufficientBalance}},
	{file: "pan_request/error_402.json", httpStatus: 402, err: &fxErr{HTTPStatus: 402, Code: 402, Status: "FAILED",
		Message: "Insufficient balance", Is: ErrInsufficientBalance}},
	{file: "pan_request/error_402_no_status.json", err: &fxErr{HTTPStatus: 200, Code: 402, Status: "",
		Message: "Insufficient balance in your wallet", Is: ErrInsufficientBalance}},
	// The HTML form answer is a success (issue 13): the form, and the order id sent.
	{file: "pan_request/html_form.html", want: &PANApplication{URL: "https://connect.inspay.in/nsdl/pan",
		Form: &RedirectForm{Action: "https://connect.inspay.in/nsdl/pan", Method: "POST", Enctype: "application/x-www-form-urlencoded",
			Fields: url.Values{"process_id": {"2504"}, "txid": {"50089349"}}}, OrderID: "ORD12345"}},
	{file: "pan_request/nginx_502.html", httpStatus: 502, err: &fxErr{HTTPStatus: 502, Code: 502,
		Message: "answer is not JSON", Is: ErrServer, NonJSON: true, Snippet: fxNginx502, OutcomeUnknown: true}},
	{file: "pan_request/empty.json", contentType: "application/json", err: &fxErr{HTTPStatus: 200, Code: 200,
		Message: "empty answer", Is: ErrServer, NonJSON: true, OutcomeUnknown: true}},

	// PAN.Status
	{file: "pan_status/success.json", want: &PANStatus{OrderID: "ORD12345", Reference: "OPB5020WJ7TM", Mobile: "9876543210",
		Amount: 10700, DateTime: fxTime(fxIST, 2025, 1, 15, 10, 30, 0), Status: StatusSuccess, TxID: "484340",
		OperatorID: "OPB5020WJ7TM", CreatedAt: fxTime(fxIST, 2026, 5, 4, 18, 23, 40), UpdatedAt: fxTime(fxIST, 2026, 5, 4, 18, 23, 40), Message: "Status fetched from portal",
		Data: PANStatusData{OrderID: "ORD12345", Mobile: "9876543210", Amount: 10700}}},
	{file: "pan_status/quirk_strings.json", want: &PANStatus{OrderID: "ORD12345", Reference: "OPB5020WJ7TM", Mobile: "9876543210",
		Amount: 10700, DateTime: fxTime(fxUTC, 2025, 1, 15, 10, 30, 0), Status: StatusSuccess, TxID: "484340",
		OperatorID: "OPB5020WJ7TM", CreatedAt: fxTime(fxUTC, 2026, 5, 4, 12, 53, 40), UpdatedAt: fxTime(fxIST, 2026, 5, 4, 18, 23, 40), Message: "Status fetched from portal",
		Data: PANStatusData{OrderID: "ORD12345", Mobile: "9876543210", Amount: 10700}}},
	{file: "pan_status/quirk_data_only.json", want: &PANStatus{OrderID: "ORD12345", Reference: "OPB5020WJ7TN", Mobile: "9876543211",
		Amount: 10700, DateTime: time.Time{}, Status: StatusPending, TxID: "484341",
		OperatorID: "OPB5020WJ7TN", CreatedAt: fxTime(fxIST, 2026, 5, 4, 18, 23, 40), UpdatedAt: fxTime(fxIST, 2026, 5, 4, 18, 25, 0), Message: "Status fetched from portal",
		Data: PANStatusData{OrderID: "ORD12345", Mobile: "9876543211", Amount: 10700}}},
	{file: "pan_status/error_400.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "FAILED",
		Message: "Invalid Order ID", Is: ErrBadRequest}},
	{file: "pan_status/nginx_502.html", httpStatus: 502, err: &fxErr{HTTPStatus: 502, Code: 502,
		Message: "answer is not JSON", Is: ErrServer, NonJSON: true, Snippet: fxNginx502}},

	// PAN.Resume
	{file: "pan_resume/success.json", want: &PANApplication{TxID: "50089422",
		URL: "https://connect.inspay.in/nsdl/pan_inc?process_id=2504&txid=50089422", Mobile: "", OrderID: "ORD12345", Message: "Incomplete PAN Application Resumed"}},
	{file: "pan_resume/quirk_status_lower.json", want: &PANApplication{TxID: "50089423",
		URL: "https://connect.inspay.in/nsdl/pan_inc?process_id=2504&txid=50089423", Mobile: "", OrderID: "ORD12345", Message: "Incomplete PAN Application Resumed"}},
	{file: "pan_resume/error_expired.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "FAILED",
		Message: "URL Expired, please try again with a new request", Is: ErrBadRequest}},

	// Aadhaar.SendOTP
	{file: "aadhaar_send_otp/success.json", want: &AadhaarOTP{RequestID: "ADHRVFR19052420260531_1e2d274", Status: AadhaarPending,
		Message: "Successfully generated One Time Password (OTP).", AadhaarLast4: "6445",
		TraceID: "7c15b0c5-6f72-4487-a61a-9cfc8be80d78", Time: fxTime(fxUTC, 2025, 1, 15, 10, 30, 0)}},
	{file: "aadhaar_send_otp/quirk_strings.json", want: &AadhaarOTP{RequestID: "ADHRVFR19052420260531_1e2d275", Status: AadhaarPending,
		Message: "Successfully generated One Time Password (OTP).", AadhaarLast4: "6445",
		TraceID: "7c15b0c5-6f72-4487-a61a-9cfc8be80d79", Time: fxTime(fxIST, 2025, 1, 15, 16, 0, 0)}},
	{file: "aadhaar_send_otp/error_invalid.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "failed",
		Message: "Invalid Aadhaar Number", Is: ErrBadRequest}},
	{file: "aadhaar_send_otp/error_echo.json", err: &fxErr{HTTPStatus: 200, Code: 422, Status: "FAILED",
		Message: "Aadhaar XXXXXXXX6445 is not linked to a mobile number", Is: ErrBadRequest}},

	// Aadhaar.VerifyOTP
	{file: "aadhaar_verify_otp/success.json", want: &AadhaarVerification{RequestID: "ADHRVFR19052420260531_1e2d274",
		Status: AadhaarVerified, Message: "Aadhaar verification successful",
		Details: AadhaarDetails{FullName: "Shivam", DOB: "01-01-2001", Gender: "Male", Address: "Nagla Sarai, Dabar, Agra, Uttar Pradesh, 283110"},
		TraceID: "86573ba4-c189-42c9-a61a-9cfc8be80d78", Time: fxTime(fxUTC, 2025, 1, 15, 10, 30, 0)}},
	{file: "aadhaar_verify_otp/quirk_strings.json", want: &AadhaarVerification{RequestID: "ADHRVFR19052420260531_1e2d274",
		Status: AadhaarVerified, Message: "Aadhaar verification successful",
		Details: AadhaarDetails{FullName: "Shivam", DOB: "01-01-2001", Gender: "", Address: "Nagla Sarai, Dabar, Agra, Uttar Pradesh, 283110"},
		TraceID: "86573ba4-c189-42c9-a61a-9cfc8be80d79", Time: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0)}},
	{file: "aadhaar_verify_otp/error_invalid_otp.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "FAILED",
		Message: "Invalid OTP", Is: ErrBadRequest}},
	{file: "aadhaar_verify_otp/error_status_false.json", err: &fxErr{HTTPStatus: 200, Code: 0, Status: "false",
		Message: "OTP expired, please request a new one", Is: ErrBadRequest}},

	// Best-effort decoding (where the document is silent): a member the
	// caller can do without never throws away the answer; flags are true
	// when non-zero, text is kept as it came, unreadable times are zero.
	{file: "account_status/quirk_best_effort.json", want: &AccountStatus{OwnerName: "", Balance: 125050, Status: "ACTIVE",
		PlanName: `{"id":3,"name":"Premium"}`, BindIP: `["103.21.58.193"]`, YourIP: "103.21.58.193", IPStatus: "true",
		Message: "API Status Retrieved"}},
	{file: "nsdl_account_status/quirk_best_effort.json", want: &BankAccount{ID: 0, AccountType: CurrentAccount,
		TxnID: "NSDLUCBDRJCBV", FirstName: "Binod", MiddleName: `{"hi":"x"}`, LastName: "Kumar", Email: "binodk@gmail.com",
		Phone: "7091919185", PAN: MaskPAN("NTFPS6013M"), Pincode: "852105", Completed: true, RecordMessage: `["a"]`, Status: 1,
		Refunded: false, Date: time.Time{}, CreatedAt: fxTime(fxUTC, 2026, 5, 4, 10, 0, 0), UpdatedAt: time.Time{},
		Message: "Success"}},
	{file: "nsdl_account_details/quirk_unknown_flag.json", want: &BankAccount{ID: 34, AccountType: CurrentAccount,
		TxnID: "NSDLUCBDRJCBV", Completed: false, Status: 1, Refunded: false, Message: "Success"}},
	{file: "nsdl_open_account/quirk_user_not_object.json", want: &AccountOpening{
		RedirectURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=def", Message: "Success..!!"}},
	{file: "wallet_payment_status/quirk_best_effort.json", want: &WalletPayment{OrderID: "WAL1234567890123", Amount: 10000,
		Status: StatusSuccess, DateTime: time.Time{}, Bank: `{"name":"UPI"}`, Mode: "", Remark: "12345", NewBalance: 110000,
		Message: "Payment found"}},
	{file: "aadhaar_send_otp/quirk_meta_php_array.json", want: &AadhaarOTP{RequestID: "ADHRVFR19052420260531_1e2d276",
		Status: AadhaarPending, Message: "Successfully generated One Time Password (OTP) for XXXXXXXX6445.",
		AadhaarLast4: "6445", TraceID: "", Time: time.Time{}}},
	{file: "aadhaar_verify_otp/quirk_details_not_object.json", want: &AadhaarVerification{
		RequestID: "ADHRVFR19052420260531_1e2d274", Status: AadhaarVerified, Message: "Aadhaar verification successful",
		Details: AadhaarDetails{}, TraceID: "86573ba4-c189-42c9-a61a-9cfc8be80d78", Time: time.Time{}}},
	// What the caller cannot do without still fails: an amount.
	{file: "wallet_generate_qr/error_bad_amount.json", err: &fxErr{HTTPStatus: 200, Code: 200, Status: "SUCCESS",
		Message: "answer does not match the documented shape: ", MessagePrefix: true, Is: ErrServer, OutcomeUnknown: true}},

	// A 400 always matches ErrBadRequest, also when it says "not found".
	{file: "wallet_payment_status/error_400_not_found.json", err: &fxErr{HTTPStatus: 200, Code: 400, Status: "FAILED",
		Message: "Order not found", Is: ErrNotFound, AlsoIs: []error{ErrBadRequest}}},
	{file: "wallet_payment_status/error_400_not_found.json", httpStatus: 400, err: &fxErr{HTTPStatus: 400, Code: 400,
		Status: "FAILED", Message: "Order not found", Is: ErrBadRequest, AlsoIs: []error{ErrNotFound}}},
}

// fxSentinels are all the sentinels an API answer can match; a failure
// must match exactly the one it expects.
var fxSentinels = []error{ErrBadRequest, ErrUnauthorized, ErrInsufficientBalance, ErrForbidden, ErrNotFound,
	ErrMethodNotAllowed, ErrRateLimited, ErrServer, ErrInvalidParams}

func fxContentType(c fxCase) string {
	if c.contentType != "" {
		return c.contentType
	}
	if strings.HasSuffix(c.file, ".html") {
		return "text/html; charset=UTF-8"
	}
	return "application/json"
}

// fxServe starts a server that answers every request with body, status and
// content type, and counts the requests.
func fxServe(t *testing.T, status int, contentType string, body []byte) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// fxClient returns a Client without retries for srv whose idle connections
// are closed when the test ends.
func fxClient(t *testing.T, auth Authenticator, base string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(auth, append([]Option{WithBaseURL(base), WithRetry(0, 0, 0)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { closeIdle(c) })
	return c
}

func TestFixturesDecodeIntoPublicTypes(t *testing.T) {
	for _, tc := range fxCases {
		status := tc.httpStatus
		if status == 0 {
			status = http.StatusOK
		}
		name := strings.TrimSuffix(tc.file, path.Ext(tc.file))
		if tc.httpStatus != 0 {
			name += "@" + http.StatusText(status)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := strings.Split(tc.file, "/")[0]
			call, ok := fxCalls[dir]
			require.True(t, ok, "no call for directory %s", dir)
			if tc.asked != 0 {
				call = fxQRCall(tc.asked)
			}
			body, err := os.ReadFile(filepath.Join(fxDir, filepath.FromSlash(tc.file)))
			require.NoError(t, err)
			ct := fxContentType(tc)
			srv, n := fxServe(t, status, ct, body)
			c := fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL)

			got, err := call.call(context.Background(), c)
			assert.Equal(t, int32(1), n.Load(), "requests sent")
			if tc.err == nil {
				require.NoError(t, err)
				fxAssertEqual(t, tc.want, got)
				return
			}
			require.Error(t, err)
			require.True(t, reflect.ValueOf(got).IsNil(), "a failed call returns a nil result, got %v", got)
			fxAssertErr(t, call, tc, ct, err)
		})
	}
}

func fxAssertErr(t *testing.T, call fxCall, tc fxCase, ct string, err error) {
	t.Helper()
	want := tc.err
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, want.HTTPStatus, ae.HTTPStatus, "HTTPStatus")
	assert.Equal(t, want.Code, ae.Code, "Code")
	assert.Equal(t, want.Status, ae.Status, "Status")
	assert.Equal(t, call.endpoint, ae.Endpoint, "Endpoint")
	if want.MessagePrefix {
		assert.True(t, strings.HasPrefix(ae.Message, want.Message), "Message %q lacks prefix %q", ae.Message, want.Message)
	} else {
		assert.Equal(t, want.Message, ae.Message, "Message")
	}
	for _, s := range fxSentinels {
		if s == want.Is || slices.Contains(want.AlsoIs, s) {
			assert.ErrorIs(t, err, s)
		} else {
			assert.NotErrorIs(t, err, s)
		}
	}

	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "inexopay: "+string(call.endpoint)+": "), "error %q", msg)
	assert.NotContains(t, msg, fxAadhaar, "the Aadhaar number must never be in an error")
	assert.NotContains(t, msg, "fx_key_0123456789", "the API key must never be in an error")
	for _, jsonNoise := range []string{"invalid character", "unexpected end of JSON", "looking for beginning of value"} {
		assert.NotContains(t, msg, jsonNoise, "a non-JSON answer must not surface as a JSON syntax error")
	}

	if want.NonJSON {
		assert.Equal(t, ct, ae.ContentType, "ContentType")
		assert.Equal(t, want.Snippet, ae.Snippet, "Snippet")
		assert.Contains(t, msg, ct, "the error names the content type")
		assert.Contains(t, msg, want.Snippet, "the error quotes the start of the answer")
		assert.Contains(t, msg, "non-JSON", "the error says the answer is not JSON")
		if want.Snippet == "" {
			assert.Contains(t, msg, "empty", "the error says the answer was empty")
		}
	} else {
		assert.Empty(t, ae.ContentType)
		assert.Empty(t, ae.Snippet)
		if !want.MessagePrefix {
			assert.Contains(t, msg, want.Message, "the error carries the API's message")
		}
	}

	var ou *OutcomeUnknownError
	if want.OutcomeUnknown {
		require.ErrorAs(t, err, &ou)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.Equal(t, call.endpoint, ou.Endpoint)
		assert.Equal(t, call.orderID, ou.OrderID)
		assert.True(t, endpoints[call.endpoint].Charging)
	} else {
		assert.False(t, errors.As(err, &ou), "unexpected OutcomeUnknownError: %v", err)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	}
}

var fxTimeType = reflect.TypeOf(time.Time{})

// fxAssertEqual compares every field of want and got; times by instant and
// zone offset.
func fxAssertEqual(t *testing.T, want, got any) {
	t.Helper()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	require.Equal(t, wv.Type(), gv.Type(), "result type")
	if wv.Kind() == reflect.Pointer {
		require.False(t, gv.IsNil(), "nil result")
		wv, gv = wv.Elem(), gv.Elem()
	}
	fxCompare(t, wv.Type().Name(), wv, gv)
}

func fxCompare(t *testing.T, name string, w, g reflect.Value) {
	t.Helper()
	switch {
	case w.Type() == fxTimeType:
		wt, gt := w.Interface().(time.Time), g.Interface().(time.Time)
		if wt.IsZero() {
			assert.True(t, gt.IsZero(), "%s = %v, want the zero time", name, gt)
			return
		}
		assert.True(t, wt.Equal(gt), "%s = %v, want %v", name, gt, wt)
		_, wo := wt.Zone()
		_, gof := gt.Zone()
		assert.Equal(t, wo, gof, "%s zone offset (%v)", name, gt)
	case w.Kind() == reflect.Struct:
		for i := 0; i < w.NumField(); i++ {
			f := w.Type().Field(i)
			fxCompare(t, name+"."+f.Name, w.Field(i), g.Field(i))
		}
	default:
		assert.Equal(t, w.Interface(), g.Interface(), name)
	}
}

// TestFixturesAllCovered proves that the table serves every file under
// testdata/responses, that every file it names exists, and that every
// endpoint has its documented success answer.
func TestFixturesAllCovered(t *testing.T) {
	onDisk := map[string]bool{}
	err := filepath.WalkDir(fxDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(fxDir, p)
		if err != nil {
			return err
		}
		onDisk[filepath.ToSlash(rel)] = true
		return nil
	})
	require.NoError(t, err)

	inTable := map[string]bool{}
	for _, c := range fxCases {
		inTable[c.file] = true
		assert.True(t, onDisk[c.file], "%s is in the table but not on disk", c.file)
		assert.True(t, (c.want == nil) != (c.err == nil), "%s must expect a result or an error", c.file)
	}
	var missing []string
	for f := range onDisk {
		if !inTable[f] {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "files not served by the table")

	endpointsSeen := map[Endpoint]bool{}
	for dir, call := range fxCalls {
		assert.True(t, onDisk[dir+"/success.json"], "%s has no documented success answer", dir)
		endpointsSeen[call.endpoint] = true
	}
	assert.Len(t, endpointsSeen, len(endpoints), "every endpoint has a fixture directory")
}

// fxAadhaar is the Aadhaar number the documented answers echo (data.aadhaar
// of the send_otp answer), read from the fixture so that the API
// document's sample number is written nowhere else; it is Verhoeff-valid,
// so the SDK sends it.
var fxAadhaar = fxDocAadhaar()

func fxDocAadhaar() string {
	b, err := os.ReadFile(filepath.Join(fxDir, "aadhaar_send_otp", "success.json"))
	if err != nil {
		panic(err)
	}
	var doc struct {
		Data struct {
			Aadhaar string `json:"aadhaar"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Data.Aadhaar) != 12 {
		panic(fmt.Sprintf("the send_otp fixture holds no Aadhaar number: %v", err))
	}
	return doc.Data.Aadhaar
}

// anMustHaves are the members each call exists to return, read from the
// samples of the API document (not from the SDK): a success answer without
// one of them does not say what was done. Alternatives ("a|b") are
// must-haves together: the answer needs one of them.
var anMustHaves = map[string][]string{
	"account_status":        {"data", "data.api_status", "data.api_balance"},
	"account_balance":       {"balance"},
	"nsdl_onboard_agent":    {"data", "data.agent_id"},
	"nsdl_open_account":     {"data"},
	"nsdl_account_status":   {"data", "data.txn_id"},
	"nsdl_account_details":  {"data", "data.txn_id"},
	"nsdl_incomplete_url":   {"account_url"},
	"wallet_generate_qr":    {"data", "data.order_id", "data.qr_url|data.tx_string"},
	"wallet_payment_status": {"data", "data.status", "data.amount"},
	"pan_request":           {"data", "data.url"},
	"pan_status":            {"data", "data.status"},
	"pan_resume":            {"data", "data.url"},
	"aadhaar_send_otp":      {"data", "data.request_id"},
	"aadhaar_verify_otp":    {"data", "data.status"},
}

// anSuccess returns the documented success answer of dir as a JSON object.
func anSuccess(t testing.TB, dir string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fxDir, dir, "success.json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// anEdit sets (or, with del, removes) the member at a dotted path.
func anEdit(m map[string]any, path string, v any, del bool) {
	parts := strings.Split(path, ".")
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
	last := parts[len(parts)-1]
	if del {
		delete(cur, last)
	} else {
		cur[last] = v
	}
}

func anJSON(t testing.TB, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func anDirs() []string {
	dirs := make([]string, 0, len(fxCalls))
	for d := range fxCalls {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// anAssertUnusable checks the error of an answer that does not say what
// was done: outcome unknown (with the order id) on a charging call, a
// server error on a read-only one, and never a refusal.
func anAssertUnusable(t *testing.T, call fxCall, err error, msg ...any) {
	t.Helper()
	require.Error(t, err, msg...)
	assert.NotErrorIs(t, err, ErrBadRequest, msg...)
	assert.NotErrorIs(t, err, ErrNotFound, msg...)
	if endpoints[call.endpoint].Charging {
		var oe *OutcomeUnknownError
		if assert.ErrorAs(t, err, &oe, msg...) {
			assert.Equal(t, call.orderID, oe.OrderID, msg...)
		}
		return
	}
	assert.ErrorIs(t, err, ErrServer, msg...)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, msg...)
}

func TestAnswerWithoutMustHaveIsNeverSuccess(t *testing.T) {
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for _, must := range anMustHaves[dir] {
			for _, how := range []string{"absent", "null", "empty"} {
				t.Run(dir+"/"+must+"/"+how, func(t *testing.T) {
					m := anSuccess(t, dir)
					for _, p := range strings.Split(must, "|") {
						switch how {
						case "absent":
							anEdit(m, p, nil, true)
						case "null":
							anEdit(m, p, nil, false)
						case "empty":
							anEdit(m, p, "", false)
						}
					}
					srv, n := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
					got, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
					anAssertUnusable(t, call, err, "answer %v gave %+v", m, got)
					assert.Equal(t, int32(1), n.Load(), "never sent twice")
				})
			}
		}
	}
}

func TestAnswerSuccessWithPHPNoErrorCode(t *testing.T) {
	// "status":"SUCCESS" with error_code 0 (PHP's "no error") or "0".
	for _, code := range []any{0, "0", 200, "200"} {
		for _, dir := range anDirs() {
			m := anSuccess(t, dir)
			delete(m, "status_code")
			m["error_code"] = code
			if _, ok := m["status"].(bool); !ok {
				m["status"] = "SUCCESS"
			}
			srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
			_, err := fxCalls[dir].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			assert.NoError(t, err, "%s with error_code %v", dir, code)
		}
	}
}

func TestAnswerContradictionIsNeverARefusal(t *testing.T) {
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for name, edit := range map[string]func(m map[string]any){
			"success status, failure code": func(m map[string]any) { m["status"] = "SUCCESS"; m["error_code"] = 1; delete(m, "status_code") },
			"failure status, success code": func(m map[string]any) { m["status"] = "FAILED"; m["status_code"] = 200 },
			"status true, code 400":        func(m map[string]any) { m["status"] = true; m["status_code"] = 400 },
			"status_code 200, error_code 500": func(m map[string]any) {
				m["status"] = "SUCCESS"
				m["status_code"], m["error_code"] = 200, 500
			},
		} {
			t.Run(dir+"/"+name, func(t *testing.T) {
				m := anSuccess(t, dir)
				edit(m)
				srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
				_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
				anAssertUnusable(t, call, err)
				assert.Contains(t, err.Error(), "contradicts itself")
			})
		}
	}
}

func TestAnswerHTMLErrorPageToChargingCallIsOutcomeUnknown(t *testing.T) {
	page := []byte("<html><body><h1>Bad Request</h1>nginx</body></html>")
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for _, status := range []int{400, 401, 403, 404, 409, 422, 429} {
			srv, _ := fxServe(t, status, "text/html", page)
			_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			if endpoints[call.endpoint].Charging {
				anAssertUnusable(t, call, err, "%s HTTP %d", dir, status)
			} else {
				assert.ErrorIs(t, err, ErrServer, "%s HTTP %d", dir, status)
			}
		}
	}
}

func TestAnswerJSONRefusalStaysARefusal(t *testing.T) {
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for _, body := range []string{
			`{"status_code":400,"status":"FAILED","message":"Error description"}`,
			`{"status":false,"message":"Agent not verified"}`,
		} {
			for _, status := range []int{200, 400, 422} {
				srv, _ := fxServe(t, status, "application/json", []byte(body))
				_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
				assert.ErrorIs(t, err, ErrBadRequest, "%s HTTP %d %s", dir, status, body)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%s HTTP %d %s", dir, status, body)
			}
		}
	}
}

func TestAnswerAboutAnotherOrderNamesBoth(t *testing.T) {
	for dir, edit := range map[string]string{
		"wallet_payment_status": "data.order_id",
		"pan_status":            "order_id",
		"nsdl_incomplete_url":   "order_id",
	} {
		t.Run(dir, func(t *testing.T) {
			call := fxCalls[dir]
			m := anSuccess(t, dir)
			anEdit(m, edit, "OTHER42", false)
			if dir == "pan_status" {
				anEdit(m, "data.orderid", "OTHER42", false)
			}
			srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
			_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			anAssertUnusable(t, call, err)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "OTHER42")
			assert.Contains(t, err.Error(), call.orderID)
		})
	}
	t.Run("pan_status levels disagree", func(t *testing.T) {
		m := anSuccess(t, "pan_status")
		anEdit(m, "data.orderid", "OTHER42", false)
		srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
		_, err := fxCalls["pan_status"].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
		assert.ErrorIs(t, err, ErrServer)
	})
	t.Run("wallet_payment_status top level names another order", func(t *testing.T) {
		m := anSuccess(t, "wallet_payment_status")
		anEdit(m, "order_id", "OTHER42", false)
		srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
		_, err := fxCalls["wallet_payment_status"].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
		assert.ErrorIs(t, err, ErrServer)
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), "OTHER42")
		}
	})
}

// anTransport answers every request with a fixed response built by fn.
type anTransport func(*http.Request) (*http.Response, error)

func (f anTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	return f(r)
}

func TestAnswerFromUsersTransportNeverPanics(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(fxDir, "pan_request", "success.json"))
	require.NoError(t, err)
	for name, rt := range map[string]anTransport{
		"nil body": func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r}, nil
		},
		"nil body, no header": func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Request: r}, nil
		},
		"nil response, nil error": func(*http.Request) (*http.Response, error) { return nil, nil },
		"negative content length": func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: -5, Request: r,
				Body: io.NopCloser(strings.NewReader(string(body)))}, nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(BodyAuth("fx_key_0123456789", "fxuser"), WithBaseURL("https://api.example"),
				WithHTTPClient(&http.Client{Transport: rt}), WithRetry(0, 0, 0))
			require.NoError(t, err)
			for _, dir := range anDirs() {
				call := fxCalls[dir]
				require.NotPanics(t, func() {
					_, err = call.call(context.Background(), c)
				}, dir)
				if name == "negative content length" && dir == "pan_request" {
					assert.NoError(t, err)
					continue
				}
				switch {
				case name == "nil response, nil error" && !endpoints[call.endpoint].Charging:
					assert.Error(t, err, dir) // a transport failure, retried like one
				case name != "negative content length":
					anAssertUnusable(t, call, err, dir)
				}
			}
		})
	}
}

func TestAnswerErrorsAreTyped(t *testing.T) {
	// An unusable answer matches ErrServer only: never a refusal's sentinel.
	srv, _ := fxServe(t, 422, "text/html", []byte("<p>Unprocessable</p>"))
	_, err := fxCalls["pan_request"].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
	var ae *APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 422, ae.HTTPStatus)
	for _, s := range []error{ErrBadRequest, ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited} {
		assert.NotErrorIs(t, err, s)
	}
}

// TestAnswerMustHaveOfTheWrongType: a must-have sent as a boolean, or as a
// number where the document shows text (a URL, a status), is missing. Ids
// may come as numbers (PHP's json_encode of an integer column): those are
// kept as their digits.
func TestAnswerMustHaveOfTheWrongType(t *testing.T) {
	for _, tc := range []struct {
		dir, path string
		v         any
		ok        bool
	}{
		{"pan_request", "data.url", false, false},
		{"pan_request", "data.url", true, false},
		{"pan_request", "data.url", 1, false},
		{"pan_resume", "data.url", false, false},
		{"nsdl_open_account", "data", false, false},
		{"nsdl_open_account", "data", 1, false},
		{"nsdl_incomplete_url", "account_url", false, false},
		{"wallet_generate_qr", "data.qr_url", false, false},
		{"wallet_generate_qr", "data.order_id", false, false},
		{"wallet_generate_qr", "data.order_id", 1234567890123, true}, // with no link naming WAL1234567890123
		{"wallet_payment_status", "data.status", false, false},
		{"wallet_payment_status", "data.status", 1, false},
		{"pan_status", "data.status", true, false},
		{"aadhaar_verify_otp", "data.status", false, false},
		{"account_status", "data.api_status", false, false},
		{"aadhaar_send_otp", "data.request_id", false, false},
		{"aadhaar_send_otp", "data.request_id", 42, true},
		{"nsdl_onboard_agent", "data.agent_id", false, false},
		{"nsdl_onboard_agent", "data.agent_id", 7, true},
		{"nsdl_account_status", "data.txn_id", false, false},
		{"nsdl_account_details", "data.txn_id", true, false},
		{"nsdl_account_status", "data.txn_id", 34, true},
		{"nsdl_account_details", "data.txn_id", 34, false}, // another txn id than the one asked
	} {
		name := fmt.Sprintf("%s/%s=%v", tc.dir, tc.path, tc.v)
		m := anSuccess(t, tc.dir)
		anEdit(m, tc.path, tc.v, false)
		if tc.dir == "wallet_generate_qr" && tc.path == "data.order_id" {
			anEdit(m, "data.tx_string", nil, true) // its tr names the order too
		}
		call := fxCalls[tc.dir]
		srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
		got, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
		if tc.ok {
			assert.NoError(t, err, name)
			continue
		}
		anAssertUnusable(t, call, err, "%s gave %+v", name, got)
	}
}

// TestAnswerAmountsReadLikeParseAmount: an amount in an answer that
// ParseAmount would refuse (a sign, an exponent, over MaxAmount, blank) is
// not a number the caller can act on: the answer is unusable. Negative
// balances are refused too: the document shows none.
func TestAnswerAmountsReadLikeParseAmount(t *testing.T) {
	bad := []any{json.Number("-100"), "-100", json.Number("1e2"), json.Number("1000000000.01"), "   ", "2,50"}
	for _, tc := range []struct{ dir, path string }{
		{"wallet_payment_status", "data.amount"},
		{"wallet_payment_status", "data.new_balance"},
		{"wallet_generate_qr", "data.amount"},
		{"account_balance", "balance"},
		{"account_status", "data.api_balance"},
		{"pan_status", "amount"},
		{"pan_status", "data.amount"},
	} {
		call := fxCalls[tc.dir]
		for _, v := range bad {
			name := fmt.Sprintf("%s %s=%v", tc.dir, tc.path, v)
			m := anSuccess(t, tc.dir)
			anEdit(m, tc.path, v, false)
			srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
			got, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			anAssertUnusable(t, call, err, "%s gave %+v", name, got)
		}
		for _, g := range []struct {
			v any
			a Amount
		}{{json.Number("1250.5"), 125050}, {json.Number("107.00"), 10700}, {"1,250.50", 125050}, {json.Number("0"), 10000}} {
			v, call := g.v, call
			m := anSuccess(t, tc.dir)
			anEdit(m, tc.path, v, false)
			if tc.dir == "wallet_generate_qr" {
				// A QR is for the amount asked, in data.amount and the link's am.
				call = fxQRCall(g.a)
				anEdit(m, "data.tx_string", "upi://pay?pa=paytmqr5hcr1f@ptys&tr=WAL1234567890123", false)
			}
			if tc.dir == "pan_status" {
				anEdit(m, "amount", v, false) // both levels agree
				anEdit(m, "data.amount", v, false)
			}
			srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
			_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			assert.NoError(t, err, "%s %s=%v", tc.dir, tc.path, v)
		}
	}
}

// ---- the decision table, through Decode and through the Client ----

// dcKind is the kind of body a generated answer has; the expected decision
// follows from it and the HTTP status by the documented table alone.
type dcKind int

const (
	dcSuccess       dcKind = iota // the documented success answer
	dcPHPSuccess                  // the same with "status":"SUCCESS" and error_code 0
	dcMissing                     // the success answer without a must-have
	dcRefusal                     // {"status_code":400,"status":"FAILED","message":…}
	dcNSDLRefusal                 // {"status":false,"message":…}
	dcContradiction               // success status with a failure code
	dcHTML                        // an HTML error page
	dcEmpty                       // nothing
	dcTruncated                   // the success answer cut short
	dcArray                       // a JSON array
	dcDupMarker                   // a marker member sent twice (or case-folded) with different values
	dcFoldedOnly                  // no exact marker, a failure marker under a case-folded name: unusable
	dcMessageOnly                 // a message and no failure marker (a framework's route-not-found): unusable
	dcProvedRefusal               // a refusal carrying the success answer's must-haves: unusable
	dcDataRefusal                 // a refusal with NSDL's data.response and data.respcode: refused
	dcKinds
)

var dcKindNames = [...]string{"success", "php-success", "missing", "refusal", "nsdl-refusal", "contradiction",
	"html", "empty", "truncated", "array", "dup-marker", "folded-only", "message-only", "proved-refusal", "data-refusal"}

// dcExpect is the documented table, written from docs/outcomes.md and not
// from decide.go.
func dcExpect(status int, k dcKind) decision {
	is2xx, is4xx := status >= 200 && status <= 299 && status != 206, status >= 400 && status <= 499
	// docs/outcomes.md row 6: statuses a proxy or the network may send.
	switch status {
	case 407, 408, 421, 425, 499:
		is4xx = false
	}
	switch k {
	case dcSuccess, dcPHPSuccess:
		if is2xx {
			return decideSuccess
		}
	case dcRefusal, dcNSDLRefusal, dcDataRefusal:
		if is2xx || is4xx {
			return decideRefused
		}
	}
	return decideUnusable
}

// dcBody builds an answer of kind k for the fixture directory dir.
func dcBody(t testing.TB, r *rand.Rand, dir string, k dcKind) []byte {
	switch k {
	case dcSuccess:
		return anJSON(t, anSuccess(t, dir))
	case dcPHPSuccess:
		m := anSuccess(t, dir)
		delete(m, "status_code")
		m["status"], m["error_code"] = "SUCCESS", []any{0, "0"}[r.IntN(2)]
		return anJSON(t, m)
	case dcMissing:
		m := anSuccess(t, dir)
		musts := anMustHaves[dir]
		for _, p := range strings.Split(musts[r.IntN(len(musts))], "|") {
			anEdit(m, p, nil, r.IntN(2) == 0)
		}
		return anJSON(t, m)
	case dcRefusal:
		return []byte(`{"status_code":400,"status":"FAILED","message":"Error description"}`)
	case dcNSDLRefusal:
		return []byte(`{"status":false,"message":"Agent not verified"}`)
	case dcProvedRefusal:
		m := anSuccess(t, dir)
		delete(m, "error_code")
		m["status"], m["status_code"], m["message"] = []any{"FAILED", false}[r.IntN(2)], 402, "Insufficient balance"
		return anJSON(t, m)
	case dcDataRefusal:
		return []byte(`{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`)
	case dcContradiction:
		m := anSuccess(t, dir)
		delete(m, "status_code")
		m["status"], m["error_code"] = "SUCCESS", []int{1 + r.IntN(199), 300 + r.IntN(200)}[r.IntN(2)] // not 0 or 2xx
		return anJSON(t, m)
	case dcHTML:
		return []byte("<!DOCTYPE html><html><body><h1>" + http.StatusText(400) + "</h1></body></html>")
	case dcEmpty:
		return []byte([]string{"", " ", "\n"}[r.IntN(3)])
	case dcTruncated:
		b := anJSON(t, anSuccess(t, dir))
		return b[:1+r.IntN(len(b)-2)]
	case dcArray:
		return []byte(`[]`)
	case dcDupMarker:
		// Read member by member, as PHP's json_decode keeps the last one and
		// encoding/json also matches case-folded names: two values that
		// disagree say nothing for sure.
		m := anSuccess(t, dir)
		delete(m, "status")
		delete(m, "status_code")
		delete(m, "error_code")
		rest := anJSON(t, m)[1:]
		dup := []string{
			`"status":"SUCCESS","status":"FAILED"`, `"status":"FAILED","status":"SUCCESS"`,
			`"status":"SUCCESS","STATUS":"FAILED"`, `"STATUS":"FAILED","status":"SUCCESS"`,
			`"status":true,"Status":false`, `"status":"SUCCESS","ſtatus":"FAILED"`,
			`"status_code":200,"STATUS_CODE":400`, `"error_code":0,"error_code":1`,
			`"status_code":200,"status_code":500`, `"error_code":"0","Error_Code":1`,
		}[r.IntN(10)]
		if len(rest) > 1 {
			dup += ","
		}
		return append([]byte("{"+dup), rest...)
	case dcFoldedOnly:
		// Only the exact member names are markers, and a member whose name
		// folds to a documented one makes the answer readable two ways: it
		// is unusable, never refused and never a success.
		m := anSuccess(t, dir)
		for _, k := range []string{"status", "status_code", "error_code", "message"} {
			delete(m, k)
		}
		m[[]string{"STATUS", "Status", "ſtatus", "Error_Code", "STATUS_CODE"}[r.IntN(5)]] = []any{"FAILED", false, 400, 1}[r.IntN(4)]
		return anJSON(t, m)
	case dcMessageOnly:
		// Every failure the API documents carries a failure marker; a
		// message alone is a framework's page, not the API's refusal.
		return []byte([]string{`{"message":"Not Found"}`, `{"message":"The route api/x could not be found."}`,
			`{"message":"Error description","data":null}`}[r.IntN(3)])
	}
	panic("unknown kind")
}

// dcAnswerType returns a fresh answer value of the call in dir.
func dcAnswerType(dir string) wire.Headed {
	switch dir {
	case "account_status":
		return new(wire.AccountStatus)
	case "account_balance":
		return new(wire.Balance)
	case "nsdl_onboard_agent":
		return new(wire.Agent)
	case "nsdl_open_account":
		return new(wire.AccountOpening)
	case "nsdl_account_status", "nsdl_account_details":
		return new(wire.BankAccountAnswer)
	case "nsdl_incomplete_url":
		return new(wire.IncompleteAccount)
	case "wallet_generate_qr":
		return new(wire.WalletQR)
	case "wallet_payment_status":
		return new(wire.WalletPayment)
	case "pan_request", "pan_resume":
		return new(panAnswer)
	case "pan_status":
		return new(wire.PANStatus)
	case "aadhaar_send_otp":
		return new(wire.AadhaarOTP)
	case "aadhaar_verify_otp":
		return new(wire.AadhaarVerification)
	}
	panic("unknown directory " + dir)
}

var dcContentTypes = []string{"application/json", "text/html; charset=UTF-8", "text/plain", ""}

// TestDecideProperty generates answers (every HTTP status from 100 to 599,
// several content types, every body kind) for every endpoint and checks the
// decoded outcome against the documented table: a charging call is never
// refused unless the answer is a well-formed JSON refusal, and never a
// success without its must-haves.
func TestDecideProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for status := 100; status <= 599; status++ {
			for k := dcKind(0); k < dcKinds; k++ {
				body := dcBody(t, r, dir, k)
				resp := &http.Response{StatusCode: status, Header: http.Header{}}
				resp.Header.Set("Content-Type", dcContentTypes[r.IntN(len(dcContentTypes))])
				ae := answer.Decode(call.endpoint, resp, body, dcAnswerType(dir), wire.Asked{OrderID: call.orderID}, nil)
				got := decideSuccess
				switch {
				case ae == nil:
				case apierr.Unusable(ae) && errors.Is(ae, ErrServer):
					got = decideUnusable
				case !errors.Is(ae, ErrServer) || status >= 500:
					got = decideRefused
				}
				if status >= 500 && ae != nil && !apierr.Unusable(ae) {
					t.Fatalf("%s HTTP %d %s: a 5xx answer decoded as a refusal", dir, status, dcKindNames[k])
				}
				want := dcExpect(status, k)
				if got != want {
					t.Fatalf("%s HTTP %d %s %q: got %s, want %s (%v)", dir, status, dcKindNames[k], body, got, want, ae)
				}
			}
		}
	}
}

// TestDecidePropertyThroughClient drives a sample of the generated answers
// through the real Client and a test server, and checks the error the
// caller sees.
func TestDecidePropertyThroughClient(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 5))
	statuses := []int{200, 201, 400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503}
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for i := 0; i < 6; i++ {
			status, k := statuses[r.IntN(len(statuses))], dcKind(r.IntN(int(dcKinds)))
			body := dcBody(t, r, dir, k)
			name := fmt.Sprintf("%s/%d/%s", dir, status, dcKindNames[k])
			t.Run(name, func(t *testing.T) {
				srv, n := fxServe(t, status, dcContentTypes[r.IntN(len(dcContentTypes))], body)
				_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
				switch dcExpect(status, k) {
				case decideSuccess:
					assert.NoError(t, err)
				case decideRefused:
					require.Error(t, err)
					assert.NotErrorIs(t, err, ErrOutcomeUnknown)
					assert.NotErrorIs(t, err, ErrServer)
				case decideUnusable:
					anAssertUnusable(t, call, err)
				}
				assert.Equal(t, int32(1), n.Load())
			})
		}
	}
}

// decision is how an answer came out for the caller, as the table in
// docs/outcomes.md names it (internal/answer keeps its own).
type decision uint8

const (
	decideSuccess decision = iota
	decideRefused
	decideUnusable
)

func (d decision) String() string {
	return [...]string{"success", "refused", "unusable"}[d]
}

// TestAnswerCaseFoldedTwinIsUnusable: a member whose name folds to a
// documented one ("ſtatus" beside data.status, "BALANCE", a second "DATA",
// "ORDER_ID" beside order_id) is read by PHP only under its exact name and
// by encoding/json under either: the answer can be read two ways, so it is
// unusable, never a success with the twin's value, for every call.
func TestAnswerCaseFoldedTwinIsUnusable(t *testing.T) {
	for _, tc := range []struct{ dir, path string }{
		{"wallet_payment_status", "data.ſtatus"},
		{"wallet_payment_status", "data.AMOUNT"},
		{"account_balance", "Balance"},
		{"wallet_generate_qr", "data.ORDER_ID"},
		{"pan_request", "DATA"},
		{"pan_status", "data.Status"},
		{"aadhaar_send_otp", "data.REQUEST_ID"},
		{"nsdl_onboard_agent", "data.Agent_ID"},
	} {
		m := anSuccess(t, tc.dir)
		anEdit(m, tc.path, "twin", false)
		call := fxCalls[tc.dir]
		srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
		got, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
		anAssertUnusable(t, call, err, "%s/%s gave %+v", tc.dir, tc.path, got)
	}
}

// TestAnswerReadTwoWaysIsUnusable: answers that PHP and the SDK could read
// differently are unusable, never refused and never a success: a status
// written as a float (PHP reads 1.0 as "1", success, and 0.0 as "0",
// failure), an order id given twice in one object, and text that is not
// valid UTF-8 (PHP's json_decode gives null).
func TestAnswerReadTwoWaysIsUnusable(t *testing.T) {
	for _, tc := range []struct{ dir, body string }{
		{"pan_request", `{"status":1.0,"status_code":402,"message":"Insufficient balance"}`},
		{"pan_request", `{"status":1e0,"status_code":402,"message":"Insufficient balance"}`},
		{"account_balance", `{"status":0.0,"status_code":200,"balance":"10.00"}`},
		{"account_balance", `{"status":0e0,"status_code":200,"balance":"10.00"}`},
		{"wallet_generate_qr", "{\"status\":\"FAILED\",\"status_code\":402,\"message\":\"Insufficient \xff balance\"}"},
		{"pan_status", `{"status":"SUCCESS","order_id":"OTHER2","order_id":"ORD12345","data":{"status":"success","orderid":"ORD12345"}}`},
		{"wallet_payment_status", `{"status":"SUCCESS","data":{"order_id":"OTHER2","order_id":"WAL1234567890123","status":"success","amount":"100.00"}}`},
	} {
		call := fxCalls[tc.dir]
		srv, _ := fxServe(t, http.StatusOK, "application/json", []byte(tc.body))
		got, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
		anAssertUnusable(t, call, err, "%s %s gave %+v", tc.dir, tc.body, got)
	}
}

// A call with BodyAuth over net/http's transport and no WithHeader shares
// the Client's fixed headers: building its request allocates only its
// form. Any other call gets headers of its own.
func TestNewRequestSharesFixedHeaders(t *testing.T) {
	c, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL("https://api.invalid"))
	require.NoError(t, err)
	ctx := context.Background()
	cfg := newCallConfig(nil)
	h1, _, err := c.newRequest(ctx, EndpointAccountStatus, nil, &cfg)
	require.NoError(t, err)
	h2, _, _ := c.newRequest(ctx, EndpointAccountStatus, nil, &cfg)
	assert.Equal(t, reflect.ValueOf(h1).Pointer(), reflect.ValueOf(h2).Pointer(), "one map")
	assert.Equal(t, []string{"application/json"}, h1["Accept"])
	// The form alone (its map and the credentials' values); 7 with headers of its own.
	assert.LessOrEqual(t, testing.AllocsPerRun(50, func() { _, _, _ = c.newRequest(ctx, EndpointAccountStatus, nil, &cfg) }), 4.0)

	with := newCallConfig([]CallOption{WithHeader("X-Trace", "t1")})
	h3, _, err := c.newRequest(ctx, EndpointAccountStatus, nil, &with)
	require.NoError(t, err)
	assert.Equal(t, []string{"t1"}, h3["X-Trace"])
	assert.Nil(t, h1["X-Trace"], "the shared headers are left alone")
	hc, err := NewClient(HeaderAuth("bench-key-123456", "jojo"), WithBaseURL("https://api.invalid"))
	require.NoError(t, err)
	h4, _, err := hc.newRequest(ctx, EndpointAccountStatus, nil, &cfg)
	require.NoError(t, err)
	h5, _, _ := hc.newRequest(ctx, EndpointAccountStatus, nil, &cfg)
	assert.NotEqual(t, reflect.ValueOf(h4).Pointer(), reflect.ValueOf(h5).Pointer(), "HeaderAuth writes into them")
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	jc, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL("https://api.invalid"),
		WithHTTPClient(&http.Client{Transport: &http.Transport{}, Jar: jar}))
	require.NoError(t, err)
	h6, _, err := jc.newRequest(ctx, EndpointAccountStatus, nil, &cfg)
	require.NoError(t, err)
	h7, _, _ := jc.newRequest(ctx, EndpointAccountStatus, nil, &cfg)
	assert.NotEqual(t, reflect.ValueOf(h6).Pointer(), reflect.ValueOf(h7).Pointer(), "http.Client adds the jar's cookies to them")
}
