package inexopay_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/testkit"
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

// TestOutside2RedirectsWithOwnClient: the user's http.Client follows
// redirects (CheckRedirect nil → follow; one that always says yes) and
// has a Jar; every redirect status is still not followed (the target
// server sees nothing), and the error is an *APIError naming the target.
func TestOutside2RedirectsWithOwnClient(t *testing.T) {
	var targetHits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		targetHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, o2BalanceAnswer)
	}))
	defer target.Close()
	for _, code := range []int{301, 302, 303, 307, 308} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/api/balance.php", code)
		}))
		for _, cr := range []func(*http.Request, []*http.Request) error{nil, func(*http.Request, []*http.Request) error { return nil }} {
			tr := &http.Transport{}
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
				inexopay.WithHTTPClient(&http.Client{Transport: tr, CheckRedirect: cr}), inexopay.WithRetry(0, time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Account.Balance(context.Background())
			var ae *inexopay.APIError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), strings.TrimPrefix(target.URL, "http://")) {
				t.Errorf("%d: err = %v, want an *APIError naming the target", code, err)
			}
			_, err = c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
			if !errors.As(err, &ae) {
				t.Errorf("%d: charging err = %v, want an *APIError inside", code, err)
			}
			tr.CloseIdleConnections()
		}
		srv.Close()
	}
	if n := targetHits.Load(); n != 0 {
		t.Errorf("redirect target was reached %d times", n)
	}
}

// TestOutside2SharedTransportLeftAlone: other code keeps an idle
// keep-alive connection to its own server in the transport it shares with
// the SDK; SDK calls that fail every way (5xx after retries, an oversize
// answer, a cancelled context, a refused connection, a redirect) must not
// close it: the other code's next request reuses it.
func TestOutside2SharedTransportLeftAlone(t *testing.T) {
	var otherConns atomic.Int32
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	other.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			otherConns.Add(1)
		}
	}
	other.Start()
	defer other.Close()
	big := strings.Repeat("x", 2<<20)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("X-Mode") {
		case "big":
			_, _ = io.WriteString(w, big)
		case "slow":
			time.Sleep(200 * time.Millisecond)
		case "redirect":
			http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
		default:
			w.WriteHeader(503)
		}
	}))
	defer bad.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	get := func() {
		res, err := hc.Get(other.URL)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.ReadAll(res.Body)
		_ = res.Body.Close()
	}
	get()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(bad.URL),
		inexopay.WithHTTPClient(hc), inexopay.WithRetry(2, time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + testkit.ClosedAddr(t)
	c2, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(closedURL),
		inexopay.WithHTTPClient(hc), inexopay.WithRetry(2, time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"503", "big", "slow", "redirect", "refused"} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		if mode == "refused" {
			_, _ = c2.Account.Balance(ctx)
			_, _ = c2.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
		} else {
			_, _ = c.Account.Balance(ctx, inexopay.WithHeader("X-Mode", mode))
			_, _ = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)}, inexopay.WithHeader("X-Mode", mode))
		}
		cancel()
		get()
	}
	if n := otherConns.Load(); n != 1 {
		t.Errorf("the other code's server saw %d connections: its idle connection was closed by a failed SDK call", n)
	}
}

// TestOutside2HugeAnswersBounded: a 256 MiB streamed answer, a
// Content-Length of 1 TB, and answer headers of 100 KiB (one header and
// 2,000 small ones): each fails fast, allocates little, and the
// oversize header fails at once without retries.
func TestOutside2HugeAnswersBounded(t *testing.T) {
	var hits atomic.Int32
	chunk := []byte(strings.Repeat("A", 64<<10))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.Header.Get("X-Mode") {
		case "stream":
			w.Header().Set("Content-Type", "application/json")
			for range 4096 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "cl":
			w.Header().Set("Content-Length", "1000000000000")
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"SUCCESS"`))
		case "onebig":
			w.Header().Set("X-Big", strings.Repeat("b", 100<<10))
			_, _ = io.WriteString(w, o2BalanceAnswer)
		case "many":
			for i := range 2000 {
				w.Header().Set(fmt.Sprintf("X-H%d", i), strings.Repeat("m", 40))
			}
			_, _ = io.WriteString(w, o2BalanceAnswer)
		}
	}))
	defer srv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"stream", "cl", "onebig", "many"} {
		hits.Store(0)
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err := c.Account.Balance(ctx, inexopay.WithHeader("X-Mode", mode))
		cancel()
		el := time.Since(t0)
		runtime.ReadMemStats(&m1)
		if err == nil {
			t.Errorf("%s: want an error", mode)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: allocated %d MiB", mode, alloc>>20)
		}
		if el > 10*time.Second {
			t.Errorf("%s: took %v", mode, el)
		}
		if (mode == "onebig" || mode == "many") && hits.Load() != 1 {
			t.Errorf("%s: oversize answer header retried: %d attempts", mode, hits.Load())
		}
		t.Logf("%s: %d attempts, %v, err %.120v", mode, hits.Load(), el, err)
	}
}

// TestOutside2RaceHundredsOfGoroutines: 300 goroutines share one Client
// with an Observer and a Debug logger against a server that answers 200,
// 503, resets or stalls at random; run with -race.
func TestOutside2RaceHundredsOfGoroutines(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		switch n.Add(1) % 5 {
		case 0:
			w.WriteHeader(503)
		case 1:
			hj, ok := w.(http.Hijacker)
			if ok {
				c, _, _ := hj.Hijack()
				testkit.Reset(c)
				return
			}
		case 2:
			time.Sleep(30 * time.Millisecond)
			fallthrough
		default:
			w.Header().Set("Content-Type", "application/json")
			if strings.Contains(r.URL.Path, "load_request") {
				_, _ = io.WriteString(w, o2QRAnswer)
			} else {
				_, _ = io.WriteString(w, o2BalanceAnswer)
			}
		}
	}))
	defer srv.Close()
	var attempts, calls atomic.Int64
	var logs syncBuf
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
		inexopay.WithRetry(2, time.Millisecond, 3*time.Millisecond),
		inexopay.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		inexopay.WithObserver(inexopay.Observer{
			Attempt: func(ctx context.Context, a inexopay.AttemptInfo) { attempts.Add(1) },
			Call:    func(ctx context.Context, ci inexopay.CallInfo) { calls.Add(1) },
		}))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var ri inexopay.ResponseInfo
			if i%3 == 0 {
				_, _ = c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)}, inexopay.WithResponseInfo(&ri))
			} else {
				_, _ = c.Account.Balance(ctx, inexopay.WithResponseInfo(&ri), inexopay.WithMaxRetries(i%4))
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 300 {
		t.Errorf("observer saw %d calls, want 300", calls.Load())
	}
	o2CheckNoSecret(t, "logs", logs.String(), o2Key)
}

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// o2RecordRT records the URL of every request and answers 200.
type o2RecordRT struct {
	mu   sync.Mutex
	urls []string
}

func (r *o2RecordRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
	}
	r.mu.Lock()
	r.urls = append(r.urls, req.URL.String())
	r.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(o2BalanceAnswer)), Request: req}, nil
}

// TestOutside2PlainHTTPAndPathsStayOnHost: plain http is refused for any
// host that is not loopback (look-alikes included), and no WithPath
// override can move the credentials to another host or scheme.
func TestOutside2PlainHTTPAndPathsStayOnHost(t *testing.T) {
	for _, base := range []string{
		"http://localhost.evil.example", "http://127.0.0.1.nip.io", "http://localhost.", "http://127.0.0.1.evil.example:80",
		"http://0.0.0.0", "http://[fe80::1]", "http://10.0.0.1", "http://evil.example#@127.0.0.1", "http://127.0.0.1@evil.example",
		"http://evil.example\\@127.0.0.1", "HTTP://evil.example", "http://evil.example?x=127.0.0.1",
	} {
		if _, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(base)); err == nil {
			t.Errorf("plain http base %q accepted without WithInsecureHTTP", base)
		}
	}
	for _, base := range []string{"http://127.0.0.1:9", "https://secure.inexopay.in"} {
		for _, p := range []string{"//evil.example/x", "///evil.example/x", "/\\evil.example/x", "/%2F%2Fevil.example/x", "/@evil.example/x", "/..//evil.example", "/x/../../evil.example", "/x?y=1#frag", "/x#@evil.example"} {
			rt := &o2RecordRT{}
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(base),
				inexopay.WithPath(inexopay.EndpointAccountBalance, p), inexopay.WithHTTPClient(&http.Client{Transport: rt}))
			if err != nil {
				continue // refused: fine
			}
			_, _ = c.Account.Balance(context.Background())
			rt.mu.Lock()
			bu, _ := url.Parse(base)
			for _, u := range rt.urls {
				pu, err := url.Parse(u)
				if err != nil || pu.Host != bu.Host || pu.Scheme != bu.Scheme {
					t.Errorf("base %s, WithPath(%q): request went to %s", base, p, u)
				}
			}
			rt.mu.Unlock()
		}
	}
}

// TestOutside2ReadOnlyRetriedShapes: read-only calls are retried on 429
// and 5xx, also a 5xx code inside an HTTP 200 body (as a number or a
// string, in status_code or error_code), and on answers that are not JSON
// or are cut short; Attempts counts each try.
func TestOutside2ReadOnlyRetriedShapes(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		ctype  string
		body   string
	}{
		"429":                {429, "application/json", `{"status":"FAILED","status_code":429,"message":"slow down"}`},
		"502-html":           {502, "text/html", `<h1>Bad gateway</h1>`},
		"200-code-503":       {200, "application/json", `{"status":"FAILED","status_code":503,"message":"maintenance"}`},
		"200-code-str-500":   {200, "application/json", `{"status":"FAILED","status_code":"500","message":"db"}`},
		"200-errcode-502":    {200, "application/json", `{"status":"FAILED","error_code":502,"message":"upstream"}`},
		"200-html":           {200, "text/html", `<html>maintenance</html>`},
		"200-cut":            {200, "application/json", `{"status":"SUCCESS","error_code":200,"balance":10`},
		"200-json-as-text":   {200, "text/plain", `not json at all`},
		"200-status-false-5": {200, "application/json", `{"status":false,"status_code":504,"message":"timeout"}`},
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(2, time.Millisecond, 2*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			var ri inexopay.ResponseInfo
			_, err = c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&ri))
			if err == nil {
				t.Fatal("want an error")
			}
			if hits.Load() != 3 || ri.Attempts != 3 {
				t.Errorf("server saw %d attempts, Attempts %d; want 3 and 3 (err %v)", hits.Load(), ri.Attempts, err)
			}
			var ae *inexopay.APIError
			if errors.As(err, &ae) && ae.Attempts != 3 {
				t.Errorf("APIError.Attempts = %d", ae.Attempts)
			}
		})
	}
}

// TestOutside2DiagnoseProbes: Diagnose's path probes "cannot charge: one
// POST each, without credentials or fields, never redirected"; and the
// key the server echoes (in JSON, HTML and headers) never shows in the
// Diagnosis (%v, %+v, JSON).
func TestOutside2DiagnoseProbes(t *testing.T) {
	charging := []string{"/api/nsdl-bank/v1/onboarding.php", "/api/nsdl-bank/v1/account_open.php", "/api/wallet/v1/load_request.php",
		"/api/nsdl-pan/v1/request_pan.php", "/api/nsdl-pan/v1/incomplete_pan.php", "/api/aadhaar/v1/send_otp.php", "/api/aadhaar/v1/verify_otp.php"}
	var targetHits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { targetHits.Add(1) }))
	defer target.Close()
	for _, header := range []bool{false, true} {
		var mu sync.Mutex
		seen := map[string][]string{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen[r.URL.Path] = append(seen[r.URL.Path], r.Method+" "+string(b)+" k="+r.Header.Get("X-Api-Key")+r.Header.Get("Authorization"))
			mu.Unlock()
			// echo only what this request carried
			got := ""
			if strings.Contains(string(b), o2Key) || strings.Contains(r.Header.Get("X-Api-Key"), o2Key) {
				got = o2Key
			}
			w.Header().Set("X-Echo", got)
			switch {
			case r.URL.Path == "/api/check_status.php":
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status":"FAILED","status_code":401,"message":"bad key `+got+`"}`)
			case strings.Contains(r.URL.Path, "wallet"):
				http.Redirect(w, r, target.URL+"/x", http.StatusTemporaryRedirect)
			default:
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(500)
				_, _ = io.WriteString(w, "<p>key "+got+"</p>")
			}
		}))
		auth := inexopay.BodyAuth(o2Key, o2User)
		if header {
			auth = inexopay.HeaderAuth(o2Key, o2User)
		}
		c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		d, err := c.Diagnose(ctx)
		cancel()
		if err != nil {
			t.Fatalf("Diagnose: %v", err)
		}
		for _, p := range charging {
			reqs := seen[p]
			if len(reqs) > 1 {
				t.Errorf("%s probed %d times", p, len(reqs))
			}
			for _, r := range reqs {
				if strings.Contains(r, o2Key) || strings.Contains(r, o2User) || !strings.HasPrefix(r, "POST  k=") {
					t.Errorf("probe of charging %s carried %q", p, r)
				}
			}
		}
		js, _ := json.Marshal(d)
		for _, out := range []string{fmt.Sprintf("%v", d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d), string(js)} {
			o2CheckNoSecret(t, "diagnosis", out, o2Key)
		}
		srv.Close()
	}
	if targetHits.Load() != 0 {
		t.Errorf("a probe followed a redirect")
	}
}

// TestOutside2DiagnoseCookieEcho: the API sets a cookie derived from the
// key on the credentials check and its error pages echo the Cookie
// header; Diagnose's probes (which use the user's Jar) must not carry the
// key into the Diagnosis.
func TestOutside2DiagnoseCookieEcho(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), o2Key) {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: o2Key, Path: "/"})
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"FAILED","status_code":401,"message":"Invalid API key"}`)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, "<p>Cookie: "+r.Header.Get("Cookie")+"</p>")
	}))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
		inexopay.WithHTTPClient(&http.Client{Transport: tr, Jar: jar}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := c.Diagnose(ctx)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(d)
	for _, out := range []string{fmt.Sprintf("%v", d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d), string(js)} {
		o2CheckNoSecret(t, "diagnosis", out, o2Key)
	}
	// the same echo through a normal call is masked:
	_, err = c.Account.Balance(ctx)
	o2CheckErrEverywhere(t, err, o2Key)
}

// o2HeaderAuth adds a header value net/http refuses (a line break) or a
// header name it refuses.
type o2HeaderAuth struct{ name, value string }

func (a o2HeaderAuth) Authenticate(h http.Header, f url.Values) error {
	h[a.name] = []string{a.value}
	f.Set("api_key", o2Key)
	f.Set("username", o2User)
	return nil
}

// TestOutside2RepeatingCausesNotRetried: "A cause that would repeat (a
// header with a line break, a bad certificate, an oversize answer header)
// is not retried": an Authenticator that adds a header with a line break
// (or a bad name), and a TLS server whose certificate is not trusted.
func TestOutside2RepeatingCausesNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	for _, a := range []o2HeaderAuth{{"X-Sig", "abc\r\nX-Injected: 1"}, {"X-Sig", "abc\ndef"}, {"X Bad Name", "v"}, {"X-Nul", "a\x00b"}} {
		var attempts atomic.Int32
		c, err := inexopay.NewClient(a, inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond),
			inexopay.WithObserver(inexopay.Observer{Attempt: func(context.Context, inexopay.AttemptInfo) { attempts.Add(1) }}))
		if err != nil {
			t.Fatal(err)
		}
		var ri inexopay.ResponseInfo
		_, err = c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&ri))
		if err == nil {
			t.Errorf("%q: want an error", a.value)
		}
		if attempts.Load() > 1 || ri.Attempts > 1 {
			t.Errorf("header %q=%q: %d attempts (ResponseInfo %d), want at most 1", a.name, a.value, attempts.Load(), ri.Attempts)
		}
		o2CheckErrEverywhere(t, err, o2Key)
	}
	if hits.Load() != 0 {
		t.Errorf("server got %d requests with a broken header", hits.Load())
	}
	var conns atomic.Int32
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(tlsSrv.URL), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Account.Balance(context.Background())
	if err == nil {
		t.Fatal("untrusted certificate accepted")
	}
	time.Sleep(50 * time.Millisecond)
	if n := conns.Load(); n != 1 {
		t.Errorf("bad certificate retried: %d connections (err %v)", n, err)
	}
}

// TestOutside2AttemptsAgree: for read-only calls against a server that
// answers 503, resets, cuts answers short or succeeds at random, the
// server's count of requests, the Observer's Attempt events, CallInfo's
// Attempts, ResponseInfo.Attempts and APIError.Attempts agree, call by
// call.
func TestOutside2AttemptsAgree(t *testing.T) {
	var hits, n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		hits.Add(1)
		switch n.Add(1) * 7 % 5 {
		case 0:
			w.WriteHeader(503)
		case 1:
			if hj, ok := w.(http.Hijacker); ok {
				c, _, _ := hj.Hijack()
				_ = c.Close()
				return
			}
		case 2:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"SUCC`)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, o2BalanceAnswer)
		}
	}))
	defer srv.Close()
	var events, callAttempts atomic.Int32
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(4, time.Millisecond, 2*time.Millisecond),
		inexopay.WithObserver(inexopay.Observer{
			Attempt: func(context.Context, inexopay.AttemptInfo) { events.Add(1) },
			Call:    func(_ context.Context, ci inexopay.CallInfo) { callAttempts.Store(int32(ci.Attempts)) },
		}))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		hits.Store(0)
		events.Store(0)
		var ri inexopay.ResponseInfo
		_, err := c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&ri))
		h, e, ca := hits.Load(), events.Load(), callAttempts.Load()
		if h != e || e != ca || int(ca) != ri.Attempts {
			t.Errorf("call %d: server %d, Attempt events %d, CallInfo %d, ResponseInfo %d (err %v)", i, h, e, ca, ri.Attempts, err)
		}
		var ae *inexopay.APIError
		if errors.As(err, &ae) && ae.Attempts != ri.Attempts {
			t.Errorf("call %d: APIError.Attempts %d, ResponseInfo %d", i, ae.Attempts, ri.Attempts)
		}
	}
}

// TestOutside2MaxResponseBytesBoundary: an answer of exactly the limit is
// read; one byte more is an error (also with Content-Length absent,
// chunked), for the default 1 MiB and a small limit.
func TestOutside2MaxResponseBytesBoundary(t *testing.T) {
	for _, limit := range []int64{200, 1 << 20} {
		for _, extra := range []int64{0, 1} {
			for _, chunked := range []bool{false, true} {
				size := limit + extra
				body := o2BalanceAnswer + strings.Repeat(" ", int(size)-len(o2BalanceAnswer))
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					if chunked {
						fl := w.(http.Flusher)
						_, _ = io.WriteString(w, body[:10])
						fl.Flush()
						_, _ = io.WriteString(w, body[10:])
						return
					}
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
					_, _ = io.WriteString(w, body)
				}))
				opts := []inexopay.Option{inexopay.WithBaseURL(srv.URL), inexopay.WithRetry(0, time.Millisecond, time.Millisecond)}
				if limit != 1<<20 {
					opts = append(opts, inexopay.WithMaxResponseBytes(limit))
				}
				c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), opts...)
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.Account.Balance(context.Background())
				if (extra == 0) != (err == nil) {
					t.Errorf("limit %d, answer %d bytes (chunked %v): err %v", limit, size, chunked, err)
				}
				srv.Close()
			}
		}
	}
}
