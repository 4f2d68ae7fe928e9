package inexopay_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// Idle connections other code keeps in a shared transport survive a failed
// SDK call (charging and read-only, each failure kind).
func TestOutsideSharedTransportIdleSurvives(t *testing.T) {
	other := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		oWrite(c, 200, `{}`, true)
		return true
	})
	api := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		switch n % 3 {
		case 0:
			oRST(c)
			return false
		case 1:
			oWrite(c, 503, `oops`, true)
			return true
		default:
			return false
		}
	})
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	hc := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	// other code opens 4 idle connections to its own host
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := hc.Post(other.URL(), "text/plain", strings.NewReader("x"))
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	close(start)
	wg.Wait()
	base := other.Conns()
	c := oClientHC(t, api.URL(), hc, inexopay.WithRetry(2, time.Millisecond, 2*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		_, _ = c.Account.Balance(ctx)
		for _, ch := range oCharges() {
			_ = ch.call(ctx, c)
		}
	}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := hc.Post(other.URL(), "text/plain", strings.NewReader("x"))
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if got := other.Conns(); got != base {
		t.Errorf("FINDING: other code's idle connections were closed: %d new connections", got-base)
	}
	tr.CloseIdleConnections()
	api.Close()
	other.Close()
}

// During a 50% failure phase the SDK (read-only calls, 8 concurrent callers)
// opens about as many connections as plain net/http making the same attempts.
func TestOutsideNoConnectionStorm(t *testing.T) {
	for _, reset := range []bool{false, true} {
		oStorm(t, reset)
	}
}

func oStorm(t *testing.T, reset bool) {
	mk := func() *oRaw {
		return oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			if n%2 == 0 {
				if reset {
					oRST(c)
					return false
				}
				oWrite(c, 503, `{"status":false}`, true)
				return true
			}
			oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`, true)
			return true
		})
	}
	run := func(do func()) {
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					do()
				}
			}()
		}
		wg.Wait()
	}
	sdkSrv := mk()
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	c := oClientHC(t, sdkSrv.URL(), &http.Client{Transport: tr}, inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond))
	run(func() { _, _ = c.Account.Balance(context.Background()) })
	tr.CloseIdleConnections()
	sdkSrv.Close()
	plainSrv := mk()
	tr2 := &http.Transport{MaxIdleConnsPerHost: 8}
	per := float64(sdkSrv.headers.Load()) / 80
	run(func() {
		for k := 0; k < int(per+0.5); k++ {
			resp, err := (&http.Client{Transport: tr2}).Post(plainSrv.URL()+"/api/balance.php", "application/x-www-form-urlencoded", strings.NewReader("a=b"))
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	})
	tr2.CloseIdleConnections()
	plainSrv.Close()
	t.Logf("reset=%v SDK: %d requests over %d connections; plain: %d requests over %d connections", reset,
		sdkSrv.headers.Load(), sdkSrv.Conns(), plainSrv.headers.Load(), plainSrv.Conns())
	if sdkSrv.Conns() > 2*plainSrv.Conns()+4 {
		t.Errorf("FINDING: connection storm: SDK %d connections vs plain %d", sdkSrv.Conns(), plainSrv.Conns())
	}
}

// Read-only calls: a 5xx inside an HTTP 200 body is retried; Retry-After is
// honoured but capped at the maximum wait; Attempts counts each try.
func TestOutsideReadOnlyRetries(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		switch n {
		case 1:
			oWrite(c, 200, `{"status":"FAILED","error_code":503,"message":"busy"}`, true)
		case 2:
			_, _ = c.Write([]byte("HTTP/1.1 429 X\r\nRetry-After: 3600\r\nContent-Length: 0\r\n\r\n"))
		case 3:
			oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":`, true)
		default:
			oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":2.50,"username":"u"}`, true)
		}
		return true
	})
	c := oClientHC(t, s.URL(), nil, inexopay.WithRetry(5, time.Millisecond, 50*time.Millisecond))
	var info inexopay.ResponseInfo
	start := time.Now()
	bal, err := c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&info))
	el := time.Since(start)
	s.Close()
	if err != nil || bal.Amount != 250 {
		t.Fatalf("bal %v err %v", bal, err)
	}
	if info.Attempts != 4 || s.headers.Load() != 4 {
		t.Errorf("attempts %d server %d", info.Attempts, s.headers.Load())
	}
	if el > 2*time.Second {
		t.Errorf("Retry-After not capped: %v", el)
	}
}

// Context ends during a read-only backoff: the call stops promptly.
func TestOutsideReadOnlyStopsWithContext(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		_, _ = c.Write([]byte("HTTP/1.1 503 X\r\nRetry-After: 2\r\nContent-Length: 0\r\n\r\n"))
		return true
	})
	c := oClientHC(t, s.URL(), nil, inexopay.WithRetry(10, time.Second, 5*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	start := time.Now()
	_, err := c.Account.Balance(ctx)
	cancel()
	s.Close()
	if time.Since(start) > 1500*time.Millisecond || err == nil {
		t.Errorf("took %v err %v", time.Since(start), err)
	}
}

// Read-only calls with an Idempotency-Key header on a stale keep-alive
// connection: every try the server sees is counted in Attempts.
func TestOutsideReadOnlyAttemptsCountStaleKeepAlive(t *testing.T) {
	for _, kind := range []oTransportKind{oSDKTransport, oOwnTransport, oIdemTransport} {
		s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			if n == 2 {
				return false // the second request: read, then drop without a byte
			}
			oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`, true)
			return true
		})
		c, closeIdle := oMakeClient(t, s.URL(), kind)
		if _, err := c.Account.Balance(context.Background()); err != nil {
			t.Fatal(err)
		}
		var info inexopay.ResponseInfo
		_, err := c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&info))
		closeIdle()
		s.Close()
		if tries := int(s.headers.Load()) - 1; err != nil || tries != info.Attempts {
			t.Errorf("kind %d: server saw %d tries, Attempts %d, err %v", kind, tries, info.Attempts, err)
		}
	}
}
