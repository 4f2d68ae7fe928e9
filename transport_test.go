package inexopay

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1",
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
