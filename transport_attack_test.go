package inexopay

import (
	"bufio"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		assert.ErrorIs(t, <-unread.late, errAttemptOver, "a late read of an abandoned attempt's body fails")
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
	_, err = c.PAN.Request(atkCtx(t), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
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
