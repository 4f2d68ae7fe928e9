package testkit

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Listener accepts connections for a test server, serves each in its own
// goroutine, counts them, and on Close closes the listener and every open
// connection and waits for the goroutines. The zero value is ready for
// Start.
type Listener struct {
	ln    net.Listener
	conns atomic.Int64
	wg    sync.WaitGroup
	mu    sync.Mutex
	open  map[net.Conn]bool
}

// Start accepts connections on ln and hands each to serve until Close.
// serve need not close the connection.
func (l *Listener) Start(ln net.Listener, serve func(net.Conn)) {
	l.ln, l.open = ln, map[net.Conn]bool{}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			c, err := l.ln.Accept()
			if err != nil {
				return
			}
			l.conns.Add(1)
			l.mu.Lock()
			l.open[c] = true
			l.mu.Unlock()
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				defer func() { _ = c.Close() }()
				serve(c)
				l.mu.Lock()
				delete(l.open, c)
				l.mu.Unlock()
			}()
		}
	}()
}

// Close stops accepting, closes every open connection and waits for the
// goroutines that serve them. It may be called more than once.
func (l *Listener) Close() {
	_ = l.ln.Close()
	l.mu.Lock()
	for c := range l.open {
		_ = c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
}

// Addr is the host:port the listener accepts on.
func (l *Listener) Addr() string { return l.ln.Addr().String() }

// URL is "http://" and Addr.
func (l *Listener) URL() string { return "http://" + l.Addr() }

// Conns counts the connections accepted so far.
func (l *Listener) Conns() int64 { return l.conns.Load() }

// ServeTCP starts a plain TCP server on loopback that hands each connection
// to serve, and closes it when the test ends. It fails the test if it
// cannot listen.
func ServeTCP(t testing.TB, serve func(net.Conn)) *Listener {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0")
	fatalIf(t, "listen", err)
	l := &Listener{}
	l.Start(ln, serve)
	t.Cleanup(l.Close)
	return l
}

// ClosedAddr returns a loopback host:port that nothing listens on: a dial
// to it is refused.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0")
	fatalIf(t, "listen", err)
	addr := ln.Addr().String()
	fatalIf(t, "close", ln.Close())
	return addr
}
