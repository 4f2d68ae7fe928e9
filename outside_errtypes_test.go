package inexopay_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// Rebuilt transport errors keep their types: a reset matches ECONNRESET,
// *net.OpError and *url.Error; a cancel matches context.Canceled.
func TestOutsideTransportErrorTypesKept(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		time.Sleep(20 * time.Millisecond)
		oRST(c)
		return false
	})
	c := oClientHC(t, s.URL(), nil)
	err := oCharges()[5].call(context.Background(), c)
	var ue *url.Error
	var oe *net.OpError
	if !errors.Is(err, inexopay.ErrOutcomeUnknown) || !errors.Is(err, syscall.ECONNRESET) || !errors.As(err, &ue) || !errors.As(err, &oe) {
		t.Errorf("reset: %v (ECONNRESET %v, url.Error %v, OpError %v)", err, errors.Is(err, syscall.ECONNRESET), errors.As(err, &ue), errors.As(err, &oe))
	}
	s.Close()

	s2 := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		time.Sleep(500 * time.Millisecond)
		return false
	})
	c2 := oClientHC(t, s2.URL(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	err = oCharges()[2].call(ctx, c2)
	s2.Close()
	if !errors.Is(err, context.Canceled) || !errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Errorf("cancel: %v", err)
	}
}
