package testkit

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
)

func TestServeTCPCountsAndClosesConnections(t *testing.T) {
	l := ServeTCP(t, func(c net.Conn) { _, _ = io.WriteString(c, "hi") })
	for range 2 {
		c, err := net.Dial("tcp", l.Addr())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(c)
		_ = c.Close()
		if string(b) != "hi" {
			t.Errorf("read %q", b)
		}
	}
	if got := l.Conns(); got != 2 {
		t.Errorf("Conns() = %d, want 2", got)
	}
	if l.URL() != "http://"+l.Addr() {
		t.Errorf("URL() = %q", l.URL())
	}
	l.Close()
	l.Close() // a second Close is harmless
	if _, err := net.Dial("tcp", l.Addr()); err == nil {
		t.Error("the listener still accepts after Close")
	}
}

func TestClosedAddrRefuses(t *testing.T) {
	_, err := net.Dial("tcp", ClosedAddr(t))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial: %v, want ECONNREFUSED", err)
	}
}
