package inexopay_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

// o2Charging runs each of the seven charging calls against c.
func o2Charging(c *inexopay.Client) map[string]func(ctx context.Context) error {
	return map[string]func(ctx context.Context) error{
		"GenerateQR": func(ctx context.Context) error {
			_, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
			return err
		},
		"SendOTP": func(ctx context.Context) error {
			_, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("O2"), AadhaarNumber: o2Aadhaar})
			return err
		},
		"PANRequest": func(ctx context.Context) error {
			_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: inexopay.NewOrderID("O2"), Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
			return err
		},
		"PANResume": func(ctx context.Context) error {
			_, err := c.PAN.Resume(ctx, inexopay.NewOrderID("O2"))
			return err
		},
	}
}

// o2NewRaw starts a raw TCP server on loopback (testkit.ServeTCP): handle
// gets each connection.
func o2NewRaw(t *testing.T, handle func(c net.Conn, br *bufio.Reader)) *testkit.Listener {
	t.Helper()
	return testkit.ServeTCP(t, func(c net.Conn) { handle(c, bufio.NewReader(c)) })
}

// o2ReadRequest reads one request head and its body.
func o2ReadRequest(br *bufio.Reader) (*http.Request, []byte, error) { return testkit.ReadRequest(br) }

func o2Client(t *testing.T, base string, opts ...inexopay.Option) *inexopay.Client {
	t.Helper()
	all := []inexopay.Option{inexopay.WithBaseURL(base), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond)}
	all = append(all, opts...)
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOutside2GzipLie: a 200 that says Content-Encoding: gzip and then is
// not gzip, or gzip cut short mid-stream, after the request was read.
// Every charging call must reach the server once and return
// ErrOutcomeUnknown.
func TestOutside2GzipLie(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"status":"SUCCESS","status_code":200,"message":"ok","data":{"order_id":"WAL1","amount":100,"qr_url":"https://x/q.png","upi_string":"upi://pay?pa=a@b&am=100"}}`))
	_ = zw.Close()
	for name, body := range map[string][]byte{
		"plain-json-labelled-gzip": []byte(`{"status":"SUCCESS","status_code":200,"message":"ok"}`),
		"gzip-cut-short":           gz.Bytes()[:gz.Len()/2],
		"gzip-bad-crc":             append(append([]byte{}, gz.Bytes()[:gz.Len()-8]...), 1, 2, 3, 4, 5, 6, 7, 8),
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				hits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			c := o2Client(t, srv.URL)
			for call, fn := range o2Charging(c) {
				hits.Store(0)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := fn(ctx)
				cancel()
				if n := hits.Load(); n != 1 {
					t.Errorf("%s: reached the server %d times, want 1", call, n)
				}
				if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
					t.Errorf("%s: err = %v, want ErrOutcomeUnknown", call, err)
				}
			}
		})
	}
}

// TestOutside2ContinueThenClose: the server reads the whole request,
// answers "100 Continue" (unasked) and closes; or answers 200 with
// Connection: close and a Content-Length it never fills, then resets.
func TestOutside2ContinueThenClose(t *testing.T) {
	for name, answer := range map[string]string{
		"continue-close":   "HTTP/1.1 100 Continue\r\n\r\n",
		"200-cut-rst":      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 400\r\n\r\n{\"status\":\"SUCCESS\",\"data\":{\"url\":\"https://x",
		"chunked-cut":      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"status\":\"SUCC\r\n",
		"502-after-body":   "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 22\r\n\r\n<h1>502 upstream</h1>\n",
		"early-eof-status": "HTTP/1.1 2",
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int32
			srv := o2NewRaw(t, func(c net.Conn, br *bufio.Reader) {
				if _, _, err := o2ReadRequest(br); err != nil {
					return
				}
				hits.Add(1)
				_, _ = io.WriteString(c, answer)
				testkit.Reset(c)
			})
			c := o2Client(t, srv.URL())
			for call, fn := range o2Charging(c) {
				hits.Store(0)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := fn(ctx)
				cancel()
				if n := hits.Load(); n != 1 {
					t.Errorf("%s: reached the server %d times, want 1 (err %v)", call, n, err)
				}
				if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
					t.Errorf("%s: err = %v, want ErrOutcomeUnknown", call, err)
				}
			}
		})
	}
}

// TestOutside2StaleKeepAliveCharge: a keep-alive connection that served a
// read-only call; the server reads the next (charging) request whole and
// closes without a word. net/http would replay a request it thinks was
// never processed; the SDK must not.
func TestOutside2StaleKeepAliveCharge(t *testing.T) {
	var charging atomic.Int32
	srv := o2NewRaw(t, func(c net.Conn, br *bufio.Reader) {
		for {
			req, _, err := o2ReadRequest(br)
			if err != nil {
				return
			}
			if strings.Contains(req.URL.Path, "balance") {
				body := `{"status":"SUCCESS","status_code":200,"message":"ok","data":{"balance":"10.00","username":"merch0042"}}`
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
				continue
			}
			charging.Add(1)
			return // close after reading the charge
		}
	})
	c := o2Client(t, srv.URL())
	for call, fn := range o2Charging(c) {
		charging.Store(0)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _ = c.Account.Balance(ctx)
		err := fn(ctx)
		cancel()
		if n := charging.Load(); n != 1 {
			t.Errorf("%s: charge reached the server %d times, want 1 (err %v)", call, n, err)
		}
		if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
			t.Errorf("%s: err = %v, want ErrOutcomeUnknown", call, err)
		}
	}
}

// TestOutside2RetryAfterHonoured: Retry-After in seconds or as a far
// future HTTP-date is honoured up to the maximum wait.
func TestOutside2RetryAfterHonoured(t *testing.T) {
	o2RetryAfterCase(t, []string{"10", "3600", "Fri, 31 Dec 9999 23:59:59 GMT"})
}

// TestOutside2RetryAfterOverflow
// Was a finding of the outside review, now fixed: "Read-only calls are retried ... honouring Retry-After up to the
// maximum wait". A Retry-After in delay-seconds too large for a
// time.Duration (9223372037 s, about 292 years, or more digits than an
// int64) overflows: APIError.RetryAfter comes back negative (-1s,
// -2562047h47m…) and the retry goes out after the minimum backoff (~2 ms)
// instead of the maximum wait, so a server that asks the client to back
// off for a long time is hit again at once. Expected: wait clamped to
// maxWait, RetryAfter never negative.
func TestOutside2RetryAfterOverflow(t *testing.T) {
	o2RetryAfterCase(t, []string{"9223372037", "9223372036854775807", "18446744073709551616", "99999999999999999999999"})
}

// o2RetryAfterCase: a read-only call answered 503 with Retry-After ra
// must wait about the maximum wait (honoured up to it) before its one
// retry, and APIError.RetryAfter is never negative.
func o2RetryAfterCase(t *testing.T, ras []string) {
	const maxWait = 300 * time.Millisecond
	for _, ra := range ras {
		t.Run(ra, func(t *testing.T) {
			var mu sync.Mutex
			var times []time.Time
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
				w.Header().Set("Retry-After", ra)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(503)
				_, _ = io.WriteString(w, `{"status":"FAILED","status_code":503,"message":"busy"}`)
			}))
			defer srv.Close()
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
				inexopay.WithRetry(1, time.Millisecond, maxWait))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err = c.Account.Balance(ctx)
			var ae *inexopay.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.RetryAfter < 0 {
				t.Errorf("APIError.RetryAfter = %v, negative", ae.RetryAfter)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(times) != 2 {
				t.Fatalf("attempts = %d, want 2", len(times))
			}
			if gap := times[1].Sub(times[0]); gap < maxWait*8/10 || gap > 3*time.Second {
				t.Errorf("wait between attempts = %v with Retry-After %q, want about the maximum wait %v", gap, ra, maxWait)
			}
		})
	}
}

// TestOutside2TransportErrorsQuotingRequest: a broken server (or proxy)
// that echoes the request into places net/http quotes in its errors: the
// status line, a header line without a colon, Content-Length,
// Transfer-Encoding, an unparseable redirect Location (parsed before any
// CheckRedirect). With BodyAuth the echo is the form (key and Aadhaar);
// with HeaderAuth the x-api-key header line. No error, log line or
// chained error may hold the secrets.
func TestOutside2TransportErrorsQuotingRequest(t *testing.T) {
	shapes := map[string]func(echo string) string{
		"status-line":       func(e string) string { return e + "\r\n\r\n" },
		"status-code":       func(e string) string { return "HTTP/1.1 " + e + "\r\n\r\n" },
		"header-no-colon":   func(e string) string { return "HTTP/1.1 200 OK\r\n" + e + "\r\n\r\n" },
		"content-length":    func(e string) string { return "HTTP/1.1 200 OK\r\nContent-Length: " + e + "\r\n\r\n" },
		"transfer-encoding": func(e string) string { return "HTTP/1.1 200 OK\r\nTransfer-Encoding: " + e + "\r\n\r\n" },
		"bad-location": func(e string) string {
			return "HTTP/1.1 302 Found\r\nLocation: http://x/%zz?" + e + "\r\nContent-Length: 0\r\n\r\n"
		},
		"bad-location-ctl": func(e string) string {
			return "HTTP/1.1 307 Found\r\nLocation: http://x/\x7f" + e + "\r\nContent-Length: 0\r\n\r\n"
		},
	}
	for _, header := range []bool{false, true} {
		for name, shape := range shapes {
			t.Run(fmt.Sprintf("%s/headerAuth=%v", name, header), func(t *testing.T) {
				srv := o2NewRaw(t, func(c net.Conn, br *bufio.Reader) {
					req, body, err := o2ReadRequest(br)
					if err != nil {
						return
					}
					echo := string(body)
					if header {
						echo = "x-api-key " + req.Header.Get("X-Api-Key") + " " + echo
					}
					_, _ = io.WriteString(c, shape(echo))
				})
				var logs bytes.Buffer
				auth := inexopay.BodyAuth(o2Key, o2User)
				if header {
					auth = inexopay.HeaderAuth(o2Key, o2User)
				}
				c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(srv.URL()), inexopay.WithRetry(1, time.Millisecond, 2*time.Millisecond),
					inexopay.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, err = c.Account.Balance(ctx)
				o2CheckErrEverywhere(t, err, o2Key)
				_, err = c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: inexopay.NewOrderID("O2"), AadhaarNumber: o2Aadhaar})
				o2CheckErrEverywhere(t, err, o2Key, o2Aadhaar)
				o2CheckNoSecret(t, "logs", logs.String(), o2Key, o2Aadhaar)
			})
		}
	}
}

// TestOutside2RetryAfterPastNegativeAndDeadline: a Retry-After HTTP-date in
// the past, a negative number, and a 10 s Retry-After with a 5 s maximum
// wait under a 600 ms context: RetryAfter is never negative, and the call
// ends when its context does.
func TestOutside2RetryAfterPastNegativeAndDeadline(t *testing.T) {
	for _, ra := range []string{"Mon, 01 Jan 2001 00:00:00 GMT", "-5", "10"} {
		t.Run(ra, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", ra)
				w.Header().Set("Date", "Mon, 01 Jan 2001 00:00:00 GMT") // a skewed server clock
				w.WriteHeader(503)
			}))
			defer srv.Close()
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL),
				inexopay.WithRetry(3, time.Millisecond, 5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
			defer cancel()
			t0 := time.Now()
			_, err = c.Account.Balance(ctx, inexopay.WithMaxRetries(3))
			if el := time.Since(t0); el > 1500*time.Millisecond {
				t.Errorf("call took %v under a 600ms context", el)
			}
			var ae *inexopay.APIError
			if errors.As(err, &ae) && ae.RetryAfter < 0 {
				t.Errorf("RetryAfter = %v", ae.RetryAfter)
			}
			if err == nil {
				t.Error("want an error")
			}
		})
	}
}

// TestOutside2DeadlineAfterBodySent: the server reads the whole charge and
// then thinks for 400 ms; the call's context ends at 100 ms. The error is
// ErrOutcomeUnknown (once), still matches context.DeadlineExceeded and is
// a net.Error with Timeout(); a refused connection is a plain error that
// matches ECONNREFUSED and is not outcome-unknown.
func TestOutside2DeadlineAfterBodySent(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		hits.Add(1)
		select {
		case <-time.After(400 * time.Millisecond):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	c := o2Client(t, srv.URL)
	for call, fn := range o2Charging(c) {
		hits.Store(0)
		err := fn(func() context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}())
		if hits.Load() != 1 || !errors.Is(err, inexopay.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: hits %d err %v; want 1, outcome unknown matching DeadlineExceeded", call, hits.Load(), err)
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("%s: not a net.Error with Timeout(): %T %v", call, err, err)
		}
	}
	addr := testkit.ClosedAddr(t)
	c2 := o2Client(t, "http://"+addr)
	for call, fn := range o2Charging(c2) {
		err := fn(context.Background())
		if errors.Is(err, inexopay.ErrOutcomeUnknown) || !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%s refused: %v; want plain ECONNREFUSED", call, err)
		}
		var oe *inexopay.OutcomeUnknownError
		_ = oe
	}
}

// TestOutside2OutcomeUnknownCarriesOrderID: a 502 after the body was read
// gives an *OutcomeUnknownError with the call's order id (trimmed as
// sent) and Attempts 1, for every charging call that takes an order id.
func TestOutside2OutcomeUnknownCarriesOrderID(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		hits.Add(1)
		w.WriteHeader(502)
	}))
	defer srv.Close()
	c := o2Client(t, srv.URL)
	ctx := context.Background()
	id := inexopay.NewOrderID("O2")
	calls := map[string]func() error{
		"SendOTP": func() error {
			_, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: " " + id + " ", AadhaarNumber: o2Aadhaar})
			return err
		},
		"VerifyOTP": func() error {
			_, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: id, RequestID: "REQ1", OTP: o2OTP, AadhaarNumber: o2Aadhaar})
			return err
		},
		"PANRequest": func() error {
			_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: id, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
			return err
		},
		"PANResume": func() error {
			_, err := c.PAN.Resume(ctx, id)
			return err
		},
		"OpenAccount": func() error {
			_, err := c.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{OrderID: id, AccountType: inexopay.SavingsAccount,
				BCAgentID: "INX00001", AgentPAN: o2PAN, FirstName: "Asha", LastName: "Devi", Email: "asha@example.com", Phone: "9876543210",
				PAN: "ZXCVB9876L", Pincode: "852105", ReturnURL: "https://example.com/nsdl/done"})
			return err
		},
	}
	for name, fn := range calls {
		hits.Store(0)
		err := fn()
		var oe *inexopay.OutcomeUnknownError
		if !errors.As(err, &oe) {
			t.Errorf("%s: %v, want *OutcomeUnknownError", name, err)
			continue
		}
		if oe.OrderID != id || oe.Attempts != 1 || hits.Load() != 1 {
			t.Errorf("%s: OrderID %q Attempts %d hits %d; want %q, 1, 1", name, oe.OrderID, oe.Attempts, hits.Load(), id)
		}
		if !errors.Is(err, inexopay.ErrServer) {
			t.Logf("%s: a 502 inside does not match ErrServer: %v", name, err)
		}
	}
}
