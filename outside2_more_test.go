package inexopay_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// o2CancelAtEOF is a transport of one's own that hands the SDK an answer
// whose body cancels the call's context the moment it has been read to
// EOF (or closed): the context ends "just after the answer arrived".
type o2CancelAtEOF struct {
	base    http.RoundTripper
	cancel  func()
	onClose bool
}

type o2EOFBody struct {
	io.ReadCloser
	cancel  func()
	onClose bool
}

func (b *o2EOFBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.onClose {
		b.cancel()
	}
	return n, err
}

func (b *o2EOFBody) Close() error {
	if b.onClose {
		b.cancel()
	}
	return b.ReadCloser.Close()
}

func (t *o2CancelAtEOF) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	res.Body = &o2EOFBody{ReadCloser: res.Body, cancel: t.cancel, onClose: t.onClose}
	return res, nil
}

// TestOutside2AnswerStandsWhenContextEndsAfterIt: "An answer that was read
// stands even if the context ends just after it arrived": the context is
// cancelled at the body's EOF (or its Close); the call must return the
// answer, not an error.
func TestOutside2AnswerStandsWhenContextEndsAfterIt(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "balance") {
			_, _ = io.WriteString(w, o2BalanceAnswer)
			return
		}
		_, _ = io.WriteString(w, o2QRAnswer)
	}))
	defer srv.Close()
	for _, onClose := range []bool{false, true} {
		for _, call := range []string{"GenerateQR", "Balance"} {
			t.Run(fmt.Sprintf("%s/onClose=%v", call, onClose), func(t *testing.T) {
				hits.Store(0)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				tr := &http.Transport{}
				defer tr.CloseIdleConnections()
				hc := &http.Client{Transport: &o2CancelAtEOF{base: tr, cancel: cancel, onClose: onClose}}
				c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithHTTPClient(hc))
				if err != nil {
					t.Fatal(err)
				}
				if call == "GenerateQR" {
					qr, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
					if err != nil || qr == nil || qr.OrderID == "" {
						t.Errorf("answer read, then context ended: %v, %v; want the QR", qr, err)
					}
				} else {
					b, err := c.Account.Balance(ctx)
					if err != nil || b == nil {
						t.Errorf("answer read, then context ended: %v, %v; want the balance", b, err)
					}
				}
				if hits.Load() != 1 {
					t.Errorf("server hit %d times", hits.Load())
				}
			})
		}
	}
}

// TestOutside2NoStormWithLargeErrorPages: 32 goroutines share one Client
// while half the answers are 503 with a 24 KiB HTML error page (a typical
// CDN/proxy page). The SDK must open about as many connections as plain
// net/http doing the same requests (tuned transport, io.ReadAll with a
// limit, the same retries); a retry layer that drains only a few KiB of an
// error body before retrying closes the connection each time.
func TestOutside2NoStormWithLargeErrorPages(t *testing.T) {
	page := "<html><body>" + strings.Repeat("<p>Service temporarily unavailable</p>\n", 24<<10/38) + "</body></html>"
	newServer := func() (*httptest.Server, *atomic.Int32) {
		var conns, n atomic.Int32
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			if n.Add(1)%2 == 0 {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(503)
				_, _ = io.WriteString(w, page)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, o2BalanceAnswer)
		}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		return srv, &conns
	}
	const goroutines, calls = 32, 15
	// the SDK
	srv, sdkConns := newServer()
	tr := &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128}
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
		inexopay.WithHTTPClient(&http.Client{Transport: tr}), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				_, _ = c.Account.Balance(context.Background())
			}
		}()
	}
	wg.Wait()
	tr.CloseIdleConnections()
	srv.Close()
	// plain net/http
	srv2, rawConns := newServer()
	tr2 := &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128}
	hc := &http.Client{Transport: tr2}
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				for range 4 {
					res, err := hc.Post(srv2.URL+"/api/balance.php", "application/x-www-form-urlencoded", strings.NewReader("api_key=x&username=y"))
					if err != nil {
						break
					}
					_, _ = io.ReadAll(io.LimitReader(res.Body, 1<<20))
					_ = res.Body.Close()
					if res.StatusCode < 500 {
						break
					}
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	tr2.CloseIdleConnections()
	srv2.Close()
	t.Logf("connections: sdk %d, plain net/http %d", sdkConns.Load(), rawConns.Load())
	if s, r := sdkConns.Load(), rawConns.Load(); s > 2*r+16 {
		t.Errorf("the SDK opened %d connections, plain net/http %d: a connection storm", s, r)
	}
}

// TestOutside2CancelledCallsLeaveNothing: 200 calls cancelled at random
// points against a slow (slowloris) server return promptly with
// context errors; goleak (TestMain) checks nothing is left behind.
func TestOutside2CancelledCallsLeaveNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		fl, _ := w.(http.Flusher)
		for i := range 50 {
			if _, err := io.WriteString(w, " "); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			_ = i
		}
		_, _ = io.WriteString(w, o2BalanceAnswer)
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var bad atomic.Int32
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(5+i%40)*time.Millisecond)
			defer cancel()
			t0 := time.Now()
			var err error
			if i%2 == 0 {
				_, err = c.Account.Balance(ctx)
			} else {
				_, err = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
			}
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > 3*time.Second {
				bad.Add(1)
			}
		}()
	}
	wg.Wait()
	if bad.Load() != 0 {
		t.Errorf("%d of 200 cancelled calls did not end promptly with context.DeadlineExceeded", bad.Load())
	}
}
