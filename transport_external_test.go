package inexopay_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// ---- Broken answers to charging calls ----

// More ways an answer goes wrong after the body was read.
func TestChargeBrokenAnswers(t *testing.T) {
	modes := map[string]string{
		"partial-headers":  "HTTP/1.1 200 OK\r\nContent-Ty",
		"partial-status":   "HTTP/1.",
		"binary-garbage":   "\x15\x03\x01\x00\x02\x02\x28",
		"http09":           "{\"status\":true}",
		"bad-content-len":  "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}",
		"two-content-len":  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
		"chunked-broken":   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"unsolicited-100":  "HTTP/1.1 100 Continue\r\n\r\n",
		"early-hints-only": "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n",
		"204-no-body":      "HTTP/1.1 204 No Content\r\n\r\n",
		"200-empty":        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
		"200-null":         "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnull",
		"200-array":        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
		"200-true-string":  "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"status\":\"true\"}",
	}
	for mname, ans := range modes {
		for _, ch := range oCharges() {
			s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
				s.readBody(req)
				_, _ = c.Write([]byte(ans))
				return false
			})
			c := oClientHC(t, s.URL(), nil)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			err := ch.call(ctx, c)
			cancel()
			s.Close()
			tag := mname + "/" + ch.name
			if s.charges.Load() != 1 {
				t.Errorf("FINDING: %s: charge arrived %d times", tag, s.charges.Load())
			}
			if err == nil {
				t.Errorf("FINDING: %s: success claimed", tag)
				continue
			}
			var ae *inexopay.APIError
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) && !errors.As(err, &ae) {
				t.Errorf("%s: neither outcome unknown nor API error: %v", tag, err)
			}
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Logf("%s: not outcome unknown: %v", tag, err)
			}
		}
	}
}

// ---- HTTP/1.1 misbehaving servers against charging calls ----

type oCharge struct {
	name  string
	order string
	call  func(ctx context.Context, c *inexopay.Client, opts ...inexopay.CallOption) error
}

func oCharges() []oCharge {
	return []oCharge{
		{"OnboardAgent", "", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.NSDLBank.OnboardAgent(ctx, &inexopay.OnboardAgentParams{ShopName: "Kumar Telecom", Name: "Binod Kumar", Email: "binodk@example.com",
				Mobile: "7091919185", DateOfBirth: "1990-04-12", Address: "Main Road", StateName: "Bihar",
				CityName: "Araria", Pincode: "852105", PAN: oPAN}, o...)
			return err
		}},
		{"OpenAccount", "ORDACC1", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.NSDLBank.OpenAccount(ctx, &inexopay.OpenAccountParams{OrderID: "ORDACC1", AccountType: inexopay.CurrentAccount, BCAgentID: "NSDLP7",
				AgentPAN: oPAN, FirstName: "Binod", LastName: "Kumar", Email: "binodk@example.com",
				Phone: "7091919185", PAN: "ZXCVB9876L", Pincode: "852105", ReturnURL: "https://merchant.example/return"}, o...)
			return err
		}},
		{"GenerateQR", "", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)}, o...)
			return err
		}},
		{"PANRequest", "ORDPAN1", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "ORDPAN1", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}, o...)
			return err
		}},
		{"PANResume", "ORDPAN2", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.PAN.Resume(ctx, "ORDPAN2", o...)
			return err
		}},
		{"SendOTP", "ORDOTP1", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.Aadhaar.SendOTP(ctx, &inexopay.SendOTPParams{OrderID: "ORDOTP1", AadhaarNumber: oAadhaar}, o...)
			return err
		}},
		{"VerifyOTP", "ORDOTP2", func(ctx context.Context, c *inexopay.Client, o ...inexopay.CallOption) error {
			_, err := c.Aadhaar.VerifyOTP(ctx, &inexopay.VerifyOTPParams{OrderID: "ORDOTP2", RequestID: "REQ1234567", OTP: oOTP, AadhaarNumber: oAadhaar}, o...)
			return err
		}},
	}
}

// oRaw is a raw TCP HTTP/1.1 server on loopback. behave gets each parsed
// request (headers read, body not yet) and decides what to do; it returns
// whether to keep serving the connection.
type oRaw struct {
	*testkit.Listener
	headers atomic.Int32 // requests whose headers arrived
	bodies  atomic.Int32 // requests whose full body arrived
	charges atomic.Int32 // full bodies on charging paths
}

func oNewRaw(t *testing.T, behave func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool) *oRaw {
	s := &oRaw{}
	var reqN atomic.Int32
	s.Listener = testkit.ServeTCP(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for j := 0; j < 20; j++ {
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			s.headers.Add(1)
			if !behave(s, int(reqN.Add(1)), c, br, req) {
				return
			}
		}
	})
	return s
}

// readBody reads the whole body and counts it.
func (s *oRaw) readBody(req *http.Request) []byte {
	b, _ := io.ReadAll(req.Body)
	s.bodies.Add(1)
	if !strings.Contains(req.URL.Path, "balance") && !strings.Contains(req.URL.Path, "status") {
		s.charges.Add(1)
	}
	return b
}

func oWrite(c net.Conn, status int, body string, keep bool) {
	testkit.WriteAnswer(c, status, body, keep)
}

func oRST(c net.Conn) { testkit.Reset(c) }

func oClientHC(t *testing.T, base string, hc *http.Client, opts ...inexopay.Option) *inexopay.Client {
	all := []inexopay.Option{inexopay.WithBaseURL(base), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond)}
	if hc != nil {
		all = append(all, inexopay.WithHTTPClient(hc))
	}
	c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "merchant01"), append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type oIdemAuth struct{ inexopay.Authenticator }

func (a oIdemAuth) Authenticate(h http.Header, f url.Values) error {
	h.Set("Idempotency-Key", "idem-123")
	h.Set("X-Idempotency-Key", "idem-123")
	return a.Authenticator.Authenticate(h, f)
}

type oTransportKind int

const (
	oSDKTransport oTransportKind = iota
	oOwnTransport
	oIdemTransport
)

func oMakeClient(t *testing.T, base string, kind oTransportKind) (*inexopay.Client, func()) {
	switch kind {
	case oSDKTransport:
		return oClientHC(t, base, nil), func() {}
	default:
		tr := &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}
		hc := &http.Client{Transport: tr, Timeout: 3 * time.Second}
		var opts []inexopay.Option
		all := []inexopay.Option{inexopay.WithBaseURL(base), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond), inexopay.WithHTTPClient(hc)}
		auth := inexopay.Authenticator(inexopay.BodyAuth(oKey, "merchant01"))
		if kind == oIdemTransport {
			auth = oIdemAuth{auth}
		}
		c, err := inexopay.NewClient(auth, append(all, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c, tr.CloseIdleConnections
	}
}

// Each failure mode after the server read (part of) the request: one arrival,
// ErrOutcomeUnknown, never a retry.
func TestChargeAtMostOnceRawHTTP1(t *testing.T) {
	modes := map[string]func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool{
		"close-after-body": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			return false
		},
		"rst-after-body": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			oRST(c)
			return false
		},
		"half-body-close": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			buf := make([]byte, 10)
			_, _ = io.ReadFull(req.Body, buf)
			s.bodies.Add(1)
			s.charges.Add(1)
			oRST(c)
			return false
		},
		"500-after-body": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			oWrite(c, 500, `{"status":false,"message":"oops"}`, true)
			return true
		},
		"200-cut-short": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"status\":true,\"data\":")
			return false
		},
		"200-success-without-data": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			oWrite(c, 200, `{"status":true,"status_code":200,"message":"ok"}`, true)
			return true
		},
		"malformed-status": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			b := s.readBody(req)
			fmt.Fprintf(c, "HTTP/1.1 2OO %s\r\n\r\n", b)
			return false
		},
		"html-page": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			body := "<html><body>Service temporarily unavailable</body></html>"
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			return true
		},
		"503-retry-after": func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			fmt.Fprintf(c, "HTTP/1.1 503 X\r\nRetry-After: 0\r\nContent-Length: 2\r\n\r\n{}")
			return true
		},
	}
	for mname, m := range modes {
		for _, kind := range []oTransportKind{oSDKTransport, oOwnTransport, oIdemTransport} {
			for _, ch := range oCharges() {
				s := oNewRaw(t, m)
				c, closeIdle := oMakeClient(t, s.URL(), kind)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := ch.call(ctx, c)
				cancel()
				closeIdle()
				s.Close()
				tag := fmt.Sprintf("%s/%d/%s", mname, kind, ch.name)
				if got := s.headers.Load(); got != 1 {
					t.Errorf("FINDING: %s: request arrived %d times (bodies %d)", tag, got, s.bodies.Load())
				}
				var oe *inexopay.OutcomeUnknownError
				if !errors.As(err, &oe) {
					t.Errorf("%s: want ErrOutcomeUnknown, got %v", tag, err)
					continue
				}
				if (oe.Attempts != 1 && mname != "200-success-without-data") || oe.OrderID != ch.order {
					t.Errorf("%s: attempts %d order %q", tag, oe.Attempts, oe.OrderID)
				}
				for _, txt := range oErrTexts(err) {
					if l := oLeaks(txt); len(l) > 0 {
						t.Errorf("FINDING: %s: %v leaked in %q", tag, l, txt)
						break
					}
				}
			}
		}
	}
}

// Stale keep-alive: a read-only call leaves a pooled connection; the server
// then reads the next (charging) request fully and drops the connection
// without a byte of answer — the case net/http would replay by itself.
func TestChargeStaleKeepAlive(t *testing.T) {
	for _, kind := range []oTransportKind{oSDKTransport, oOwnTransport, oIdemTransport} {
		for _, ch := range oCharges() {
			s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
				s.readBody(req)
				if strings.Contains(req.URL.Path, "balance") {
					oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`, true)
					return true
				}
				return false // drop: no answer at all
			})
			c, closeIdle := oMakeClient(t, s.URL(), kind)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if _, err := c.Account.Balance(ctx); err != nil {
				t.Fatal(err)
			}
			err := ch.call(ctx, c)
			cancel()
			closeIdle()
			s.Close()
			tag := fmt.Sprintf("%d/%s", kind, ch.name)
			if s.charges.Load() != 1 {
				t.Errorf("FINDING: %s: charge arrived %d times", tag, s.charges.Load())
			}
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("%s: want outcome unknown, got %v", tag, err)
			}
		}
	}
}

// Pooled connection closed by the server before the next request: the SDK
// may retry (nothing was read), the charge arrives exactly once and succeeds.
func TestChargeServerClosedIdleConn(t *testing.T) {
	ch := oCharges()[2] // GenerateQR
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		if strings.Contains(req.URL.Path, "balance") {
			oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`, true)
			// close shortly after answering, while the client still pools it
			go func() { time.Sleep(50 * time.Millisecond); c.Close() }()
			return false
		}
		oWrite(c, 200, `{"status_code":200,"status":"SUCCESS","message":"ok","data":{"order_id":"WAL1","amount":100,"qr_url":"https://x.example/q","upi_id":"a@b","account_holder_name":"I","tx_string":"upi://pay?pa=a@b&pn=I&cu=INR&am=100&tr=WAL1","status":"pending"}}`, true)
		return true
	})
	c, closeIdle := oMakeClient(t, s.URL(), oOwnTransport)
	defer closeIdle()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Account.Balance(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	err := ch.call(ctx, c)
	closeIdle()
	s.Close()
	if s.charges.Load() != 1 {
		t.Errorf("charge arrived %d times", s.charges.Load())
	}
	if err != nil {
		t.Errorf("call failed: %v", err)
	}
}

// Client timeout: the server reads the body and answers too late.
func TestChargeTimeout(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		time.Sleep(700 * time.Millisecond)
		oWrite(c, 200, `{}`, false)
		return false
	})
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 200 * time.Millisecond}
	c := oClientHC(t, s.URL(), hc)
	err := oCharges()[2].call(context.Background(), c)
	hc.Transport.(*http.Transport).CloseIdleConnections()
	s.Close()
	if s.headers.Load() != 1 || !errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Fatalf("arrivals %d err %v", s.headers.Load(), err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("timeout not a net.Error Timeout: %#v", err)
	}
	// context deadline variant
	s2 := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		time.Sleep(700 * time.Millisecond)
		return false
	})
	c2 := oClientHC(t, s2.URL(), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	err = oCharges()[5].call(ctx, c2)
	cancel()
	s2.Close()
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, inexopay.ErrOutcomeUnknown) || s2.headers.Load() != 1 {
		t.Errorf("ctx deadline: arrivals %d err %v", s2.headers.Load(), err)
	}
}

// A refused connection: plain error (not outcome unknown), retried, matches
// ECONNREFUSED, *url.Error and *net.OpError.
func TestChargeRefusedIsPlain(t *testing.T) {
	addr := testkit.ClosedAddr(t)
	var info inexopay.ResponseInfo
	c := oClientHC(t, "http://"+addr, nil)
	err := oCharges()[2].call(context.Background(), c, inexopay.WithResponseInfo(&info))
	if err == nil || errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Fatalf("want plain error, got %v", err)
	}
	var ue *url.Error
	var oe *net.OpError
	if !errors.Is(err, syscall.ECONNREFUSED) || !errors.As(err, &ue) || !errors.As(err, &oe) {
		t.Errorf("refused error lost its types: %#v", err)
	}
	if info.Attempts != 4 {
		t.Errorf("attempts %d, want 4 (retried)", info.Attempts)
	}
}

// 429 on a charging call: ErrRateLimited at once, no retry.
func TestCharge429NotRetried(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		fmt.Fprintf(c, "HTTP/1.1 429 X\r\nRetry-After: 0\r\nContent-Type: application/json\r\nContent-Length: 35\r\n\r\n{\"status\":false,\"message\":\"slow\"}  ")
		return true
	})
	c := oClientHC(t, s.URL(), nil)
	err := oCharges()[3].call(context.Background(), c)
	s.Close()
	if s.headers.Load() != 1 || !errors.Is(err, inexopay.ErrRateLimited) {
		t.Errorf("arrivals %d err %v", s.headers.Load(), err)
	}
}

// Redirects: never followed, with the SDK's or the user's client.
func TestChargeRedirectNotFollowed(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, own := range []bool{false, true} {
			s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
				s.readBody(req)
				fmt.Fprintf(c, "HTTP/1.1 %d X\r\nLocation: /moved?api_key=%s\r\nContent-Length: 0\r\n\r\n", code, url.QueryEscape(oKey))
				return true
			})
			var hc *http.Client
			if own {
				hc = &http.Client{Transport: &http.Transport{}}
			}
			c := oClientHC(t, s.URL(), hc)
			err := oCharges()[0].call(context.Background(), c)
			if hc != nil {
				hc.Transport.(*http.Transport).CloseIdleConnections()
			}
			s.Close()
			if s.headers.Load() != 1 {
				t.Errorf("FINDING: %d own=%v: %d arrivals", code, own, s.headers.Load())
			}
			var ae *inexopay.APIError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), "/moved") {
				t.Errorf("%d own=%v: %v", code, own, err)
			}
			for _, txt := range oErrTexts(err) {
				if l := oLeaks(txt); len(l) > 0 {
					t.Errorf("FINDING: %d: leaked %v in %q", code, l, txt)
					break
				}
			}
		}
	}
}

// Header longer than 64 KiB with the SDK's transport: fails at once, no retry,
// even for a read-only call.
func TestHugeHeaderNoRetry(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nX-Big: %s\r\nContent-Length: 2\r\n\r\n{}", strings.Repeat("a", 70<<10))
		return false
	})
	c := oClientHC(t, s.URL(), nil)
	_, err := c.Account.Balance(context.Background())
	s.Close()
	if err == nil || s.headers.Load() != 1 {
		t.Errorf("arrivals %d err %v", s.headers.Load(), err)
	}
}

// Answers above the size limit: an error, not an allocation; no retry on a
// charging call.
func TestAnswerSizeLimit(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
		chunk := strings.Repeat(" ", 64<<10)
		for i := 0; i < 40; i++ { // 2.5 MiB of white space before any JSON
			if _, err := fmt.Fprintf(c, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
				return false
			}
		}
		fmt.Fprintf(c, "0\r\n\r\n")
		return false
	})
	c := oClientHC(t, s.URL(), nil, inexopay.WithMaxResponseBytes(1<<20))
	err := oCharges()[2].call(context.Background(), c)
	s.Close()
	if !errors.Is(err, inexopay.ErrOutcomeUnknown) || s.headers.Load() != 1 {
		t.Errorf("arrivals %d err %v", s.headers.Load(), err)
	}
	_ = strconv.Itoa
}

// FINDING: a "success" without its data returns an *OutcomeUnknownError whose
// Attempts is 0, though the request was sent once (the server counted it and
// ResponseInfo says 1). The README promises ErrOutcomeUnknown "with the order
// id and the number of attempts".
func TestSuccessWithoutDataCountsAttempts(t *testing.T) {
	for _, ch := range oCharges() {
		s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			oWrite(c, 200, `{"status":true,"status_code":200,"message":"ok"}`, true)
			return true
		})
		c := oClientHC(t, s.URL(), nil)
		var info inexopay.ResponseInfo
		err := ch.call(context.Background(), c, inexopay.WithResponseInfo(&info))
		s.Close()
		var oe *inexopay.OutcomeUnknownError
		if !errors.As(err, &oe) {
			t.Errorf("%s: %v", ch.name, err)
			continue
		}
		if oe.Attempts != int(s.headers.Load()) {
			t.Errorf("%s: OutcomeUnknownError.Attempts = %d, server saw %d request(s), ResponseInfo.Attempts = %d (err: %v)",
				ch.name, oe.Attempts, s.headers.Load(), info.Attempts, err)
		}
	}
}

// ---- Raw answers, resets and timeouts ----

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

// TestGzipLie: a 200 that says Content-Encoding: gzip and then is
// not gzip, or gzip cut short mid-stream, after the request was read.
// Every charging call must reach the server once and return
// ErrOutcomeUnknown.
func TestGzipLie(t *testing.T) {
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

// TestContinueThenClose: the server reads the whole request,
// answers "100 Continue" (unasked) and closes; or answers 200 with
// Connection: close and a Content-Length it never fills, then resets. The
// complete 502 says Connection: close too: without it the client may pool
// the connection the server resets next, and the next call's request never
// reaches the server (the test failed about one run in forty).
func TestContinueThenClose(t *testing.T) {
	for name, answer := range map[string]string{
		"continue-close":   "HTTP/1.1 100 Continue\r\n\r\n",
		"200-cut-rst":      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 400\r\n\r\n{\"status\":\"SUCCESS\",\"data\":{\"url\":\"https://x",
		"chunked-cut":      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"status\":\"SUCC\r\n",
		"502-after-body":   "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: 22\r\n\r\n<h1>502 upstream</h1>\n",
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

// TestStaleKeepAliveCharge: a keep-alive connection that served a
// read-only call; the server reads the next (charging) request whole and
// closes without a word. net/http would replay a request it thinks was
// never processed; the SDK must not.
func TestStaleKeepAliveCharge(t *testing.T) {
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

// TestRetryAfterHonoured: Retry-After in seconds or as a far
// future HTTP-date is honoured up to the maximum wait.
func TestRetryAfterHonoured(t *testing.T) {
	o2RetryAfterCase(t, []string{"10", "3600", "Fri, 31 Dec 9999 23:59:59 GMT"})
}

// TestRetryAfterOverflow
// "Read-only calls are retried ... honouring Retry-After up to the
// maximum wait". A Retry-After in delay-seconds too large for a
// time.Duration (9223372037 s, about 292 years, or more digits than an
// int64) overflows: APIError.RetryAfter comes back negative (-1s,
// -2562047h47m…) and the retry goes out after the minimum backoff (~2 ms)
// instead of the maximum wait, so a server that asks the client to back
// off for a long time is hit again at once. Expected: wait clamped to
// maxWait, RetryAfter never negative.
func TestRetryAfterOverflow(t *testing.T) {
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

// TestTransportErrorsQuotingRequest: a broken server (or proxy)
// that echoes the request into places net/http quotes in its errors: the
// status line, a header line without a colon, Content-Length,
// Transfer-Encoding, an unparseable redirect Location (parsed before any
// CheckRedirect). With BodyAuth the echo is the form (key and Aadhaar);
// with HeaderAuth the x-api-key header line. No error, log line or
// chained error may hold the secrets.
func TestTransportErrorsQuotingRequest(t *testing.T) {
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

// TestRetryAfterPastNegativeAndDeadline: a Retry-After HTTP-date in
// the past, a negative number, and a 10 s Retry-After with a 5 s maximum
// wait under a 600 ms context: RetryAfter is never negative, and the call
// ends when its context does.
func TestRetryAfterPastNegativeAndDeadline(t *testing.T) {
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

// TestDeadlineAfterBodySent: the server reads the whole charge and then
// answers nothing until the caller gives up; the call's context ends at
// 300 ms. The error is ErrOutcomeUnknown (the charge reached the server
// once), still matches context.DeadlineExceeded and is a net.Error with
// Timeout(); a refused connection is a plain error that matches
// ECONNREFUSED and is not outcome-unknown. Each call's handler is waited
// for before its hits are counted, so a slow machine cannot move a hit
// into the next call.
func TestDeadlineAfterBodySent(t *testing.T) {
	var hits atomic.Int32
	ended := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { ended <- struct{}{} }()
		_, _ = io.ReadAll(r.Body)
		hits.Add(1)
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := o2Client(t, srv.URL)
	for call, fn := range o2Charging(c) {
		hits.Store(0)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		err := fn(ctx)
		cancel()
		select {
		case <-ended:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the server's handler never ended", call)
		}
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
	}
}

// TestOutcomeUnknownCarriesOrderID: a 502 after the body was read
// gives an *OutcomeUnknownError with the call's order id (trimmed as
// sent) and Attempts 1, for every charging call that takes an order id.
func TestOutcomeUnknownCarriesOrderID(t *testing.T) {
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

// ---- HTTP/2 resets through program transports ----

type oH2 struct {
	*testkit.H2Server
	heads  atomic.Int32
	bodies atomic.Int32
	pool   *x509.CertPool
}

// oNewH2 serves HTTP/2 over TLS at frame level (testkit.H2Server); act is
// called once a request's body is complete (or, with early, once its
// HEADERS arrived).
func oNewH2(t *testing.T, early bool, act func(fr *http2.Framer, c net.Conn, sid uint32) bool) *oH2 {
	s := &oH2{}
	s.H2Server = testkit.StartH2(t, &testkit.H2Server{Deadline: 5 * time.Second,
		OnHeaders: func(fr *http2.Framer, st *testkit.H2Stream) bool {
			s.heads.Add(1)
			return !early || act(fr, st.Conn, st.ID)
		},
		OnRequest: func(fr *http2.Framer, st *testkit.H2Stream) bool {
			if early {
				return true
			}
			s.bodies.Add(1)
			return act(fr, st.Conn, st.ID)
		}})
	s.pool = s.Pool
	return s
}

func (s *oH2) clients() map[string]func() (*http.Client, func()) {
	return map[string]func() (*http.Client, func()){
		"http2.Transport": func() (*http.Client, func()) {
			tr := &http2.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}}
			return &http.Client{Transport: tr, Timeout: 3 * time.Second}, tr.CloseIdleConnections
		},
		"http.Transport+ConfigureTransport": func() (*http.Client, func()) {
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}}
			if err := http2.ConfigureTransport(tr); err != nil {
				panic(err)
			}
			return &http.Client{Transport: tr, Timeout: 3 * time.Second}, tr.CloseIdleConnections
		},
		"ForceAttemptHTTP2": func() (*http.Client, func()) {
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}, ForceAttemptHTTP2: true}
			return &http.Client{Transport: tr, Timeout: 3 * time.Second}, tr.CloseIdleConnections
		},
	}
}

func TestChargeAtMostOnceHTTP2(t *testing.T) {
	modes := map[string]func(fr *http2.Framer, c net.Conn, sid uint32) bool{
		"rst-refused": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeRefusedStream)
			return true
		},
		"rst-protocol": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeProtocol)
			return true
		},
		"goaway-0-close": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			return false
		},
		"goaway-0-open": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			return true
		},
		"goaway-protocol": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeProtocol, []byte("bye"))
			return false
		},
		"close": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			return false
		},
	}
	for mname, m := range modes {
		for _, ch := range oCharges() {
			s := oNewH2(t, false, m)
			for cname, mk := range s.clients() {
				before := s.bodies.Load()
				hc, closeIdle := mk()
				for _, idem := range []bool{false, true} {
					auth := inexopay.Authenticator(inexopay.BodyAuth(oKey, "merchant01"))
					if idem {
						auth = oIdemAuth{auth}
					}
					c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(s.URL()),
						inexopay.WithHTTPClient(hc), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond))
					if err != nil {
						t.Fatal(err)
					}
					b0 := s.bodies.Load()
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					err = ch.call(ctx, c)
					cancel()
					tag := fmt.Sprintf("%s/%s/%s/idem=%v", mname, ch.name, cname, idem)
					if got := s.bodies.Load() - b0; got != 1 {
						t.Errorf("FINDING: %s: charge body arrived %d times (err %v)", tag, got, err)
					}
					if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
						t.Errorf("%s: want outcome unknown, got %v", tag, err)
					}
				}
				closeIdle()
				_ = before
			}
			s.Close()
		}
	}
}

// The README's limit for user transports, over HTTP/2: a wrapper that
// rebuilds the request with http.NewRequest (which sets GetBody again) lets
// net/http replay a charge after REFUSED_STREAM or GOAWAY(0) inside the
// user's transport, where the SDK cannot see it; the SDK still never reports
// success for it. A signing wrapper written as the README advises (the body
// passed on as a plain io.ReadCloser, GetBody nil) reaches the API at most
// once.
func TestSigningWrapperHTTP2(t *testing.T) {
	for mname, m := range map[string]func(fr *http2.Framer, c net.Conn, sid uint32) bool{
		"rst-refused": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeRefusedStream)
			return true
		},
		"goaway-0": func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			return false
		},
	} {
		for _, rebuild := range []bool{true, false} {
			s := oNewH2(t, false, m)
			tr := &http2.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}}
			hc := &http.Client{Transport: oSigningRT{inner: tr, plainBody: !rebuild}, Timeout: 3 * time.Second}
			c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "merchant01"), inexopay.WithBaseURL(s.URL()), inexopay.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			var info inexopay.ResponseInfo
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			err = oCharges()[3].call(ctx, c, inexopay.WithResponseInfo(&info))
			cancel()
			tr.CloseIdleConnections()
			s.Close()
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("%s, rebuild=%v: want outcome unknown, got %v", mname, rebuild, err)
			}
			if !rebuild && s.bodies.Load() > 1 {
				t.Errorf("%s: a body-passing wrapper let the charge arrive %d times (SDK attempts %d)", mname, s.bodies.Load(), info.Attempts)
			}
			if rebuild {
				t.Logf("%s: a GetBody-setting wrapper: %d arrivals (the README's stated limit)", mname, s.bodies.Load())
			}
		}
	}
}

func oH2Answer(fr *http2.Framer, sid uint32, status int, body string) {
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: fmt.Sprint(status)})
	_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "application/json"})
	_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: sid, BlockFragment: hb.Bytes(), EndHeaders: true})
	_ = fr.WriteData(sid, true, []byte(body))
}

// Read-only calls: every try that reaches the server is one the SDK decided
// and counted in Attempts (net/http must not retry behind its back after
// REFUSED_STREAM or GOAWAY).
func TestReadOnlyAttemptsCountEveryTryHTTP2(t *testing.T) {
	for mname, first := range map[string]func(fr *http2.Framer, sid uint32) bool{
		"rst-refused": func(fr *http2.Framer, sid uint32) bool {
			_ = fr.WriteRSTStream(sid, http2.ErrCodeRefusedStream)
			return true
		},
		"goaway-0": func(fr *http2.Framer, sid uint32) bool { _ = fr.WriteGoAway(0, http2.ErrCodeNo, nil); return false },
	} {
		var n atomic.Int32
		s := oNewH2(t, false, func(fr *http2.Framer, c net.Conn, sid uint32) bool {
			if n.Add(1) == 1 {
				return first(fr, sid)
			}
			oH2Answer(fr, sid, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`)
			return true
		})
		for cname, mk := range s.clients() {
			n.Store(0)
			b0 := s.bodies.Load()
			hc, closeIdle := mk()
			c, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "merchant01"), inexopay.WithBaseURL(s.URL()),
				inexopay.WithHTTPClient(hc), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			var info inexopay.ResponseInfo
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			_, err = c.Account.Balance(ctx, inexopay.WithResponseInfo(&info))
			cancel()
			closeIdle()
			tries := int(s.bodies.Load() - b0)
			if err != nil || tries != info.Attempts {
				t.Errorf("%s/%s: server saw %d tries, Attempts %d, err %v", mname, cname, tries, info.Attempts, err)
			}
		}
		s.Close()
	}
}

// ---- HTTP/2 frame-level servers ----

const o2QRAnswer = `{"status_code":200,"status":"SUCCESS","message":"QR generated","data":{"order_id":"WAL3535413367206","amount":100,"qr_url":"https://127.0.0.1/sandbox/qr?order_id=WAL3535413367206","upi_id":"inexopay.sandbox@ptys","account_holder_name":"INEXOPAY","tx_string":"upi://pay?pa=inexopay.sandbox@ptys&pn=INEXOPAY&cu=INR&tn=WAL3535413367206&am=100&tr=WAL3535413367206","status":"pending"}}`

const o2BalanceAnswer = `{"status":"SUCCESS","error_code":200,"message":"Balance fetched successfully","balance":1000.00,"username":"merch0042"}`

// o2H2 is a frame-level HTTP/2 server over TLS on loopback
// (testkit.H2Server). onRequest is called with each complete request body;
// onHeaders, if set, when a request's HEADERS arrive. Returning false
// closes the connection.
type o2H2 struct {
	*testkit.H2Server
	settings  []http2.Setting
	onHeaders func(fr *http2.Framer, id uint32) bool
	onRequest func(fr *http2.Framer, id uint32, body []byte) bool
}

// o2NewH2 starts srv and returns an HTTP/2 client that trusts it.
func o2NewH2(t *testing.T, srv *o2H2) *http.Client {
	t.Helper()
	cert, pool := testkit.Cert(t)
	o2NewH2WithCert(t, srv, cert)
	return testkit.HTTP2Client(pool)
}

// o2NewH2WithCert starts srv with cert.
func o2NewH2WithCert(t *testing.T, srv *o2H2, cert tls.Certificate) {
	t.Helper()
	ks := &testkit.H2Server{Settings: srv.settings}
	if srv.onHeaders != nil {
		ks.OnHeaders = func(fr *http2.Framer, st *testkit.H2Stream) bool { return srv.onHeaders(fr, st.ID) }
	}
	if srv.onRequest != nil {
		ks.OnRequest = func(fr *http2.Framer, st *testkit.H2Stream) bool { return srv.onRequest(fr, st.ID, st.Body) }
	}
	srv.H2Server = testkit.StartH2(t, ks, cert)
}

func o2WriteAnswer(fr *http2.Framer, id uint32, status int, body string, end bool) {
	testkit.WriteH2Answer(fr, id, status, body, end)
}

func o2H2Client(t *testing.T, base string, hc *http.Client) *inexopay.Client {
	t.Helper()
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(base),
		inexopay.WithHTTPClient(hc), inexopay.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// o2AtMostOnce checks the server saw the request body on at most one
// attempt, and that a call whose body reached the server reports
// ErrOutcomeUnknown (or succeeded).
func o2AtMostOnce(t *testing.T, srv *o2H2, err error, wantSuccess bool) {
	t.Helper()
	withBody := srv.BodyAttempts()
	if withBody > 1 {
		t.Errorf("request body reached the server on %d attempts (attempts %d): charged twice", withBody, srv.Streams())
	}
	if wantSuccess {
		if err != nil {
			t.Errorf("err = %v, want success", err)
		}
		return
	}
	if withBody == 1 && !errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Errorf("body reached the server but err = %v, want ErrOutcomeUnknown", err)
	}
}

func o2QR(c *inexopay.Client, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	_, err := c.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
	return err
}

// TestH2GoawayAboveStream: after the whole body arrived the server
// sends GOAWAY with a last_stream_id above the stream (so the client must
// treat it as possibly processed) and closes.
func TestH2GoawayAboveStream(t *testing.T) {
	for _, code := range []http2.ErrCode{http2.ErrCodeNo, http2.ErrCodeProtocol, http2.ErrCodeRefusedStream} {
		t.Run(code.String(), func(t *testing.T) {
			srv := &o2H2{onRequest: func(fr *http2.Framer, id uint32, body []byte) bool {
				_ = fr.WriteGoAway(id+100, code, nil)
				return false
			}}
			hc := o2NewH2(t, srv)
			c := o2H2Client(t, srv.URL(), hc)
			err := o2QR(c, 5*time.Second)
			o2AtMostOnce(t, srv, err, false)
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("err = %v, want ErrOutcomeUnknown", err)
			}
		})
	}
}

// TestH2RstAfterBody: RST_STREAM CANCEL / REFUSED_STREAM after the
// whole body arrived: net/http would replay on REFUSED_STREAM with
// GetBody; the SDK must not.
func TestH2RstAfterBody(t *testing.T) {
	for _, code := range []http2.ErrCode{http2.ErrCodeCancel, http2.ErrCodeRefusedStream, http2.ErrCodeInternal} {
		t.Run(code.String(), func(t *testing.T) {
			srv := &o2H2{onRequest: func(fr *http2.Framer, id uint32, body []byte) bool {
				_ = fr.WriteRSTStream(id, code)
				return true
			}}
			hc := o2NewH2(t, srv)
			c := o2H2Client(t, srv.URL(), hc)
			err := o2QR(c, 5*time.Second)
			o2AtMostOnce(t, srv, err, false)
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("err = %v, want ErrOutcomeUnknown", err)
			}
		})
	}
}

// TestH2WindowZero: the server advertises a stream window of 0 so
// the body upload stalls; then it refuses the stream (REFUSED_STREAM),
// or never opens the window until the context ends. No body byte reaches
// the server more than once; the call ends by its deadline.
func TestH2WindowZero(t *testing.T) {
	for _, mode := range []string{"refuse", "stall"} {
		t.Run(mode, func(t *testing.T) {
			srv := &o2H2{settings: []http2.Setting{{ID: http2.SettingInitialWindowSize, Val: 0}}}
			srv.onHeaders = func(fr *http2.Framer, id uint32) bool {
				if mode == "refuse" {
					time.Sleep(100 * time.Millisecond)
					_ = fr.WriteRSTStream(id, http2.ErrCodeRefusedStream)
				}
				return true
			}
			hc := o2NewH2(t, srv)
			c := o2H2Client(t, srv.URL(), hc)
			t0 := time.Now()
			err := o2QR(c, 800*time.Millisecond)
			if el := time.Since(t0); el > 3*time.Second {
				t.Errorf("call took %v past its 800ms deadline", el)
			}
			if err == nil {
				t.Fatal("want an error")
			}
			o2AtMostOnce(t, srv, err, false)
			t.Logf("mode %s: attempts %d, attempts with a body %d, err %v", mode, srv.Streams(), srv.BodyAttempts(), err)
			hc.CloseIdleConnections()
		})
	}
}

// TestH2FloodsThenAnswer: before answering, the server sends 3,000
// SETTINGS frames and 3,000 PINGs, and GOAWAY(last_stream_id above the
// stream) just after the full answer: the answer read stands.
func TestH2FloodsThenAnswer(t *testing.T) {
	srv := &o2H2{onRequest: func(fr *http2.Framer, id uint32, body []byte) bool {
		for i := range 3000 {
			_ = fr.WriteSettings(http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: uint32(100 + i%7)})
			_ = fr.WritePing(false, [8]byte{byte(i), byte(i >> 8)})
		}
		o2WriteAnswer(fr, id, 200, o2QRAnswer, true)
		_ = fr.WriteGoAway(id+2, http2.ErrCodeNo, nil)
		return true // keep reading the client's ACKs; it closes after GOAWAY
	}}
	hc := o2NewH2(t, srv)
	c := o2H2Client(t, srv.URL(), hc)
	err := o2QR(c, 10*time.Second)
	o2AtMostOnce(t, srv, err, true)
	hc.CloseIdleConnections()
}

// TestH2AnswerThenReset: the full answer with END_STREAM, then a
// RST_STREAM(INTERNAL) and GOAWAY(PROTOCOL_ERROR) and a closed connection:
// the answer read stands.
func TestH2AnswerThenReset(t *testing.T) {
	srv := &o2H2{onRequest: func(fr *http2.Framer, id uint32, body []byte) bool {
		o2WriteAnswer(fr, id, 200, o2QRAnswer, true)
		_ = fr.WriteRSTStream(id, http2.ErrCodeInternal)
		_ = fr.WriteGoAway(id, http2.ErrCodeProtocol, []byte("bye"))
		return false
	}}
	hc := o2NewH2(t, srv)
	c := o2H2Client(t, srv.URL(), hc)
	err := o2QR(c, 5*time.Second)
	o2AtMostOnce(t, srv, err, true)
}

// TestH2AnswerNoEndStreamThenGoaway: the answer's DATA carries the
// whole Content-Length but no END_STREAM; then GOAWAY above the stream and
// close. Either the read answer stands or it is outcome-unknown; never a
// second attempt.
func TestH2AnswerNoEndStreamThenGoaway(t *testing.T) {
	srv := &o2H2{onRequest: func(fr *http2.Framer, id uint32, body []byte) bool {
		o2WriteAnswer(fr, id, 200, o2QRAnswer, false)
		_ = fr.WriteGoAway(id+10, http2.ErrCodeNo, nil)
		return false
	}}
	hc := o2NewH2(t, srv)
	c := o2H2Client(t, srv.URL(), hc)
	err := o2QR(c, 5*time.Second)
	o2AtMostOnce(t, srv, err, false)
	if err != nil && !errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Errorf("err = %v, want success or ErrOutcomeUnknown", err)
	}
	t.Logf("result: %v", err)
}

// TestH2RefusedHeaderRetried
// Guarantees: "A cause that would repeat (a header with
// a line break, a bad certificate, an oversize answer header) is not
// retried." WithHeader accepts "Connection: upgrade" and "Upgrade:
// websocket"; over HTTP/2 net/http refuses them before sending ("http2:
// invalid Connection request header"), every time. The SDK treats that as
// "failed without reading a byte" and tries 4 times (1 + 3 retries) for a
// charging call (GenerateQR; read-only calls likewise, logged), with backoff waits,
// instead of failing at once. Nothing reaches the server, so nothing is
// charged twice. (Te, Keep-Alive, Proxy-Connection and Transfer-Encoding
// are dropped by the transport and the call succeeds.)
func TestH2RefusedHeaderRetried(t *testing.T) {
	srv := &o2H2{onRequest: func(fr *http2.Framer, id uint32, body []byte) bool {
		o2WriteAnswer(fr, id, 200, o2BalanceAnswer, true)
		return true
	}}
	hc := o2NewH2(t, srv)
	defer hc.CloseIdleConnections()
	var attempts atomic.Int32
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL()), inexopay.WithHTTPClient(hc),
		inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond),
		inexopay.WithObserver(inexopay.Observer{Attempt: func(context.Context, inexopay.AttemptInfo) { attempts.Add(1) }}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Account.Balance(context.Background()); err != nil {
		t.Fatalf("plain call over h2: %v", err)
	}
	for _, hv := range [][2]string{{"Connection", "upgrade"}, {"Upgrade", "websocket"}, {"Te", "gzip"}, {"Keep-Alive", "timeout=5"}, {"Proxy-Connection", "keep-alive"}, {"Transfer-Encoding", "chunked"}} {
		before := srv.Streams()
		attempts.Store(0)
		_, err := c.Account.Balance(context.Background(), inexopay.WithHeader(hv[0], hv[1]))
		sent := srv.Streams() - before
		t.Logf("%s: %s → attempts %d, sent %d, err %v", hv[0], hv[1], attempts.Load(), sent, err)
		_ = sent // read-only calls: logged only; the rule is stated for charging calls
	}
	attempts.Store(0)
	_, err = c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)}, inexopay.WithHeader("Upgrade", "websocket"))
	if attempts.Load() > 1 {
		t.Errorf("charging call with a header HTTP/2 refuses: %d attempts (err %v)", attempts.Load(), err)
	}
}

// TestProxyRefusalRetried: "A cause that would repeat (… a proxy that
// refuses the tunnel …) is not retried." A proxy that answers CONNECT with
// anything but 200 (407 for wrong proxy credentials, 403 for a blocked
// host, 502 for an upstream it cannot reach) refuses every attempt the
// same way: one CONNECT per call, read-only or charging, and the error
// holds no secret.
func TestProxyRefusalRetried(t *testing.T) {
	for _, status := range []string{"407 Proxy Authentication Required", "403 Forbidden", "502 Bad Gateway"} {
		t.Run(status, func(t *testing.T) {
			var connects atomic.Int32
			proxy := o2NewRaw(t, func(c net.Conn, br *bufio.Reader) {
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				if req.Method == http.MethodConnect {
					connects.Add(1)
				}
				_, _ = io.WriteString(c, "HTTP/1.1 "+status+"\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n")
			})
			pu, _ := url.Parse(proxy.URL())
			_, pool := testkit.Cert(t)
			tr := &http.Transport{Proxy: http.ProxyURL(pu), TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
			defer tr.CloseIdleConnections()
			c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL("https://api.example.invalid"),
				inexopay.WithHTTPClient(&http.Client{Transport: tr}), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Account.Balance(context.Background())
			if connects.Load() != 1 {
				t.Errorf("read-only call: %d CONNECTs, want 1 (err %v)", connects.Load(), err)
			}
			connects.Store(0)
			_, err = c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
			if connects.Load() != 1 {
				t.Errorf("charging call: %d CONNECTs, want 1 (err %v)", connects.Load(), err)
			}
			if errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("nothing was sent through a refused tunnel, yet outcome unknown: %v", err)
			}
			o2CheckErrEverywhere(t, err, o2Key)
		})
	}
}

// TestTLSRefusalRetried
// "A cause that would repeat (..., a bad
// certificate, ...) is not retried." A server that offers only TLS 1.3
// to a user transport capped at TLS 1.2 refuses every handshake the same
// way ("protocol version not supported"), and so does a legacy server
// that offers only TLS 1.0/1.1 to the SDK's own transport; a charging call
// is nevertheless tried 4 times (4 handshakes). (An untrusted server certificate is not
// retried: TestRepeatingCausesNotRetried; a required client
// certificate is not either: TestTLSClientCertRequired.)
func TestTLSRefusalRetried(t *testing.T) {
	cert, pool := testkit.Cert(t)
	t.Run("user-transport-tls12-vs-server-tls13", func(t *testing.T) {
		o2TLSRefusal(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13}, &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12})
	})
	t.Run("sdk-transport-vs-legacy-tls11-server", func(t *testing.T) {
		o2TLSRefusal(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, nil)
	})
}

// TestTLSClientCertRequired: a server requiring a client
// certificate: one handshake, never retried.
func TestTLSClientCertRequired(t *testing.T) {
	cert, pool := testkit.Cert(t)
	o2TLSRefusal(t, &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAnyClientCert}, &tls.Config{RootCAs: pool})
}

func o2TLSRefusal(t *testing.T, srvCfg, cliCfg *tls.Config) {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srvCfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := &testkit.Listener{}
	srv.Start(ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		_ = c.(*tls.Conn).Handshake()
	})
	defer srv.Close()
	opts := []inexopay.Option{inexopay.WithBaseURL("https://" + ln.Addr().String()), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond)}
	if cliCfg != nil {
		tr := &http.Transport{TLSClientConfig: cliCfg}
		defer tr.CloseIdleConnections()
		opts = append(opts, inexopay.WithHTTPClient(&http.Client{Transport: tr}))
	}
	c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), opts...)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Wallet.GenerateQR(context.Background(), &inexopay.GenerateQRParams{Amount: inexopay.Rupees(1)})
	if err == nil {
		t.Fatal("want an error")
	}
	time.Sleep(50 * time.Millisecond)
	if n := srv.Conns(); n > 1 {
		t.Errorf("TLS refusal retried: %d handshakes for one charging call (err %v)", n, err)
	}
	o2CheckErrEverywhere(t, err, o2Key)
}

// TestSDKTransportH2: the same frame-level HTTP/2 attacks against
// the SDK's *own* transport (no WithHTTPClient). The test CA must be a
// system root, so the test re-runs itself in a child process whose
// SSL_CERT_FILE names it (system roots load once per process).
func TestSDKTransportH2(t *testing.T) {
	o2RunChild(t, "TestSDKTransportH2", "attacks")
}

// TestSDKTransportH2OversizeHeaders
// Guarantees, "Bounded resources": "The SDK's own transport
// accepts answer headers up to 64 KiB; larger ones fail the call at once,
// without retries" (and "A cause that would repeat (... an oversize answer
// header) is not retried"). Over HTTP/2 (which the SDK's transport
// negotiates with any h2 server), an answer whose header block is ~80 KB
// (HEADERS + CONTINUATION frames) makes net/http tear the connection down
// with "connection error: PROTOCOL_ERROR"; the SDK takes that for a
// connection error and a read-only call is sent 4 times (1 + 3 retries,
// each re-downloading the oversize headers) instead of failing at once.
// Over HTTP/1.1 the same answer fails at once (TestHugeAnswersBounded).
// ~62 KB passes, so the frames are valid.
func TestSDKTransportH2OversizeHeaders(t *testing.T) {
	o2RunChild(t, "TestSDKTransportH2OversizeHeaders", "oversize")
}

func o2RunChild(t *testing.T, name, mode string) {
	if m := os.Getenv("O2_H2_CHILD"); m != "" {
		o2SDKTransportH2Child(t, m)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "O2_H2_CHILD="+mode)
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Errorf("child failed: %v", err)
	}
}

func o2SDKTransportH2Child(t *testing.T, mode string) {
	cert, _ := testkit.Cert(t)
	f, err := os.CreateTemp(t.TempDir(), "ca*.pem")
	if err != nil {
		t.Fatal(err)
	}
	_ = pem.Encode(f, &pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	_ = f.Close()
	t.Setenv("SSL_CERT_FILE", f.Name())
	t.Setenv("SSL_CERT_DIR", t.TempDir())
	mk := func(onReq func(fr *http2.Framer, id uint32, body []byte) bool) (*o2H2, *inexopay.Client) {
		srv := &o2H2{onRequest: onReq}
		o2NewH2WithCert(t, srv, cert)
		c, err := inexopay.NewClient(inexopay.BodyAuth(o2Key, o2User), inexopay.WithBaseURL(srv.URL()), inexopay.WithRetry(3, time.Millisecond, 2*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		return srv, c
	}
	// sanity: h2 is negotiated and a plain answer works
	_, c := mk(func(fr *http2.Framer, id uint32, body []byte) bool {
		o2WriteAnswer(fr, id, 200, o2QRAnswer, true)
		return true
	})
	if err := o2QR(c, 5*time.Second); err != nil {
		t.Fatalf("h2 with the SDK's transport: %v", err)
	}
	if mode == "attacks" {
		for name, onReq := range map[string]func(fr *http2.Framer, id uint32, body []byte) bool{
			"goaway-above": func(fr *http2.Framer, id uint32, body []byte) bool {
				_ = fr.WriteGoAway(id+100, http2.ErrCodeNo, nil)
				return false
			},
			"rst-refused": func(fr *http2.Framer, id uint32, body []byte) bool {
				_ = fr.WriteRSTStream(id, http2.ErrCodeRefusedStream)
				return true
			},
			"rst-cancel": func(fr *http2.Framer, id uint32, body []byte) bool {
				_ = fr.WriteRSTStream(id, http2.ErrCodeCancel)
				return true
			},
		} {
			srv, c := mk(onReq)
			err := o2QR(c, 5*time.Second)
			o2AtMostOnce(t, srv, err, false)
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("%s: %v, want ErrOutcomeUnknown", name, err)
			}
		}
		return
	}
	// answer headers over 64 KiB on HTTP/2: fail at once, no retry
	srv, c := mk(func(fr *http2.Framer, id uint32, body []byte) bool {
		var hb bytes.Buffer
		enc := hpack.NewEncoder(&hb)
		_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
		for i := range o2BigHeaders {
			_ = enc.WriteField(hpack.HeaderField{Name: fmt.Sprintf("x-big-%d", i), Value: strings.Repeat("z", 2000)})
		}
		blk := hb.Bytes()
		first := true
		for len(blk) > 0 {
			n := min(len(blk), 16000)
			if first {
				_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: blk[:n], EndHeaders: n == len(blk)})
				first = false
			} else {
				_ = fr.WriteContinuation(id, n == len(blk), blk[:n])
			}
			blk = blk[n:]
		}
		_ = fr.WriteData(id, true, []byte(o2BalanceAnswer))
		return true
	})
	var ri inexopay.ResponseInfo
	_, err = c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&ri))
	attempts := srv.Streams()
	t.Logf("oversize h2 answer headers: err %v, attempts %d", err, attempts)
	// a charging call meeting the same answer: once, outcome unknown
	srv.ResetCounts()
	qerr := o2QR(c, 5*time.Second)
	o2AtMostOnce(t, srv, qerr, false)
	if !errors.Is(qerr, inexopay.ErrOutcomeUnknown) {
		t.Errorf("charging call, oversize h2 answer headers: %v, want ErrOutcomeUnknown", qerr)
	}
	if err == nil || attempts != 1 {
		t.Errorf("80 KB of answer headers over HTTP/2: err %v, %d attempts; want a failure at once", err, attempts)
	}
}

var o2BigHeaders = func() int {
	if v, err := strconv.Atoi(os.Getenv("O2_BIG")); err == nil {
		return v
	}
	return 40
}()

// ---- Connection pools and read-only retries ----

// Idle connections other code keeps in a shared transport survive a failed
// SDK call (charging and read-only, each failure kind).
func TestSharedTransportIdleSurvives(t *testing.T) {
	// The first 4 requests are answered only once all 4 have arrived, so
	// that other code really holds 4 connections, idle afterwards.
	var firstFour sync.WaitGroup
	firstFour.Add(4)
	other := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		if n <= 4 {
			firstFour.Done()
			firstFour.Wait()
		}
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
func TestNoConnectionStorm(t *testing.T) {
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
func TestReadOnlyRetries(t *testing.T) {
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
func TestReadOnlyStopsWithContext(t *testing.T) {
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
func TestReadOnlyAttemptsCountStaleKeepAlive(t *testing.T) {
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

// ---- Random drops under load ----

// Many concurrent PAN.Request calls over a pool whose connections the server
// drops at random moments (idle, after the body, after an answer). For each
// order: arrivals <= 1; a success means exactly 1; a plain error (neither
// outcome unknown nor an API answer) means 0 — otherwise the caller, told
// nothing reached the API, would charge again.
func TestChargeStressRandomDrops(t *testing.T) {
	var mu sync.Mutex
	arrivals := map[string]int{}
	rng := rand.New(rand.NewSource(7))
	var rmu sync.Mutex
	roll := func() int { rmu.Lock(); defer rmu.Unlock(); return rng.Intn(6) }
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		r := roll()
		if r == 0 {
			return false // drop before reading the body
		}
		b, _ := io.ReadAll(req.Body)
		v, _ := url.ParseQuery(string(b))
		o := v.Get("orderid")
		mu.Lock()
		arrivals[o]++
		mu.Unlock()
		switch r {
		case 1:
			return false // drop after the body
		case 2:
			oRST(c)
			return false
		default:
			body := fmt.Sprintf(`{"status_code":200,"status":"SUCCESS","message":"ok","data":{"txid":"1","url":"https://connect.example/p?x=1","number":"9876543210","orderid":%q}}`, o)
			oWrite(c, 200, body, true)
			if r == 3 {
				go func() { time.Sleep(time.Duration(roll()) * time.Millisecond); c.Close() }()
			}
			return true
		}
	})
	for _, kind := range []oTransportKind{oSDKTransport, oOwnTransport, oIdemTransport} {
		c, closeIdle := oMakeClient(t, s.URL(), kind)
		var wg sync.WaitGroup
		type res struct {
			order string
			err   error
		}
		results := make(chan res, 200)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 15; i++ {
					o := fmt.Sprintf("K%dG%dI%d", kind, g, i)
					ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
					_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: o, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
					cancel()
					results <- res{o, err}
				}
			}(g)
		}
		wg.Wait()
		close(results)
		closeIdle()
		var nOK, nUnknown, nPlain int
		for r := range results {
			switch {
			case r.err == nil:
				nOK++
			case errors.Is(r.err, inexopay.ErrOutcomeUnknown):
				nUnknown++
			default:
				nPlain++
			}
			mu.Lock()
			a := arrivals[r.order]
			mu.Unlock()
			var ae *inexopay.APIError
			switch {
			case a > 1:
				t.Errorf("FINDING: kind %d %s arrived %d times", kind, r.order, a)
			case r.err == nil && a != 1:
				t.Errorf("FINDING: kind %d %s success but arrived %d", kind, r.order, a)
			case r.err != nil && !errors.Is(r.err, inexopay.ErrOutcomeUnknown) && !errors.As(r.err, &ae) && a != 0:
				t.Errorf("FINDING: kind %d %s: plain error though the body arrived: %v", kind, r.order, r.err)
			}
		}
		t.Logf("kind %d: %d ok, %d outcome unknown, %d plain errors", kind, nOK, nUnknown, nPlain)
	}
	s.Close()
}

// ---- Answers after cancellation, Expect: 100-continue, bad headers, signing wrappers ----

// cancelOnEOF cancels the call's context the moment the answer's last byte
// has been read: the answer stands.
type oCancelRT struct {
	inner  http.RoundTripper
	cancel context.CancelFunc
}

type oEOFBody struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (b *oEOFBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.cancel()
	}
	return n, err
}
func (b *oEOFBody) Close() error { return nil }

func (t *oCancelRT) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.inner.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = &oEOFBody{r: bytes.NewReader(b), cancel: t.cancel}
	return resp, nil
}

func TestAnswerStandsAfterContextEnds(t *testing.T) {
	answers := map[string]string{
		"GenerateQR": `{"status_code":200,"status":"SUCCESS","message":"ok","data":{"order_id":"WAL1","amount":100,"qr_url":"https://x.example/q","upi_id":"a@b","account_holder_name":"I","tx_string":"upi://pay?pa=a@b&pn=I&cu=INR&am=100&tr=WAL1","status":"pending"}}`,
		"SendOTP":    `{"status_code":200,"status":"success","message":"sent","data":{"request_id":"ADHRVFR19052420260531_1e2d274","aadhaar":"234567890124","status":"pending"}}`,
	}
	for _, ch := range oCharges() {
		ans, ok := answers[ch.name]
		if !ok {
			continue
		}
		s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			oWrite(c, 200, ans, true)
			return true
		})
		ctx, cancel := context.WithCancel(context.Background())
		tr := &http.Transport{}
		hc := &http.Client{Transport: &oCancelRT{inner: tr, cancel: cancel}}
		c := oClientHC(t, s.URL(), hc)
		err := ch.call(ctx, c)
		cancel()
		tr.CloseIdleConnections()
		s.Close()
		if err != nil {
			t.Errorf("FINDING: %s: answer read in full, then ctx ended: %v", ch.name, err)
		}
	}
}

// Expect: 100-continue through WithHeader: a server that drops the
// connection before asking for the body gets no body; the charge arrives at
// most once however the SDK then proceeds.
func TestExpectContinueGames(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		if n == 1 {
			return false // drop before 100 Continue: no body read
		}
		if req.Header.Get("Expect") != "" {
			fmt.Fprintf(c, "HTTP/1.1 100 Continue\r\n\r\n")
		}
		s.readBody(req)
		return false // then drop after the body
	})
	tr := &http.Transport{ExpectContinueTimeout: 2 * time.Second}
	c := oClientHC(t, s.URL(), &http.Client{Transport: tr})
	err := oCharges()[3].call(context.Background(), c, inexopay.WithHeader("Expect", "100-continue"))
	tr.CloseIdleConnections()
	s.Close()
	t.Logf("headers %d charges %d err %v", s.headers.Load(), s.charges.Load(), err)
	if s.charges.Load() > 1 {
		t.Errorf("FINDING: charge arrived %d times", s.charges.Load())
	}
	if s.charges.Load() == 1 && !errors.Is(err, inexopay.ErrOutcomeUnknown) {
		t.Errorf("body was read but error is %v", err)
	}
}

// A header value with a line break from a custom Authenticator: refused, not
// retried, and the error does not carry the key.
type oBadAuth struct{}

func (oBadAuth) Authenticate(h http.Header, f url.Values) error {
	h.Set("X-Api-Key", oKey+"\r\nX-Evil: 1")
	f.Set("api_key", oKey)
	return nil
}

func TestBadHeaderNotRetriedNoLeak(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		oWrite(c, 200, `{}`, true)
		return true
	})
	for _, own := range []bool{false, true} {
		var hc *http.Client
		if own {
			hc = &http.Client{Transport: &http.Transport{}}
		}
		all := []inexopay.Option{inexopay.WithBaseURL(s.URL()), inexopay.WithRetry(3, time.Millisecond, time.Millisecond)}
		if hc != nil {
			all = append(all, inexopay.WithHTTPClient(hc))
		}
		c, err := inexopay.NewClient(oBadAuth{}, all...)
		if err != nil {
			t.Fatal(err)
		}
		var info inexopay.ResponseInfo
		err = oCharges()[5].call(context.Background(), c, inexopay.WithResponseInfo(&info))
		if err == nil {
			t.Errorf("own=%v: accepted", own)
		}
		if info.Attempts > 1 {
			t.Errorf("own=%v: retried %d times", own, info.Attempts)
		}
		for _, txt := range oErrTexts(err) {
			if l := oLeaks(txt); len(l) > 0 {
				t.Errorf("FINDING: own=%v: %v leaked in %q", own, l, txt)
				break
			}
		}
		_, _ = c.Account.Balance(context.Background(), inexopay.WithResponseInfo(&info))
		if info.Attempts > 1 {
			t.Errorf("own=%v read-only: retried %d times", own, info.Attempts)
		}
	}
	s.Close()
	if s.headers.Load() != 0 {
		t.Errorf("%d requests arrived", s.headers.Load())
	}
}

// oSigningRT is a request-signing wrapper. With plainBody false it rebuilds
// the request with http.NewRequestWithContext, which sets GetBody again (the
// README's stated limit: net/http may then replay inside it); with plainBody
// true it passes the body on as a plain io.ReadCloser, as the README advises.
type oSigningRT struct {
	inner     http.RoundTripper
	plainBody bool
}

func (t oSigningRT) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	nr, err := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if t.plainBody {
		nr.Body, nr.GetBody = io.NopCloser(bytes.NewReader(b)), nil
	}
	nr.Header = r.Header.Clone()
	nr.Header.Set("X-Signature", fmt.Sprintf("%x", len(b)))
	return t.inner.RoundTrip(nr)
}

// The README's limit over HTTP/1.1: with an Idempotency-Key set by the
// Authenticator, a GetBody-setting wrapper lets net/http replay a charge on
// a stale keep-alive connection; the SDK never reports success for it, and
// a body-passing wrapper reaches the API at most once.
func TestSigningWrapperWithIdempotencyKey(t *testing.T) {
	for _, tc := range []struct{ idem, plain bool }{{false, false}, {true, false}, {true, true}} {
		idem := tc.idem
		s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			if strings.Contains(req.URL.Path, "balance") {
				oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`, true)
				return true
			}
			return false // read the whole charge, then drop the connection without a byte
		})
		tr := &http.Transport{}
		hc := &http.Client{Transport: oSigningRT{inner: tr, plainBody: tc.plain}}
		auth := inexopay.Authenticator(inexopay.BodyAuth(oKey, "merchant01"))
		if idem {
			auth = oIdemAuth{auth}
		}
		c, err := inexopay.NewClient(auth, inexopay.WithBaseURL(s.URL()), inexopay.WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Account.Balance(context.Background()); err != nil {
			t.Fatal(err)
		}
		var info inexopay.ResponseInfo
		err = oCharges()[2].call(context.Background(), c, inexopay.WithResponseInfo(&info))
		tr.CloseIdleConnections()
		s.Close()
		if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
			t.Errorf("idempotency-key=%v plain=%v: want outcome unknown, got %v", idem, tc.plain, err)
		}
		switch {
		case (!idem || tc.plain) && s.charges.Load() != 1:
			t.Errorf("idempotency-key=%v plain=%v: charge arrived %d times (SDK says attempts %d, err %v)", idem, tc.plain, s.charges.Load(), info.Attempts, err)
		case idem && !tc.plain:
			t.Logf("a GetBody-setting wrapper with Idempotency-Key: %d arrivals (the README's stated limit)", s.charges.Load())
		}
	}
}

// ---- Status codes, answer size limits, plain HTTP ----

// Status codes that some retry layers treat as "not processed": a charging
// call that the server read in full is never sent again.
func TestChargeStatusCodesNoRetry(t *testing.T) {
	for _, code := range []int{408, 409, 421, 425, 429, 499, 500, 502, 503, 504, 520, 599} {
		for _, ch := range []oCharge{oCharges()[2], oCharges()[5]} {
			s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
				s.readBody(req)
				body := `{"status":false,"message":"x"}`
				fmt.Fprintf(c, "HTTP/1.1 %d X\r\nRetry-After: 0\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", code, len(body), body)
				return true
			})
			c := oClientHC(t, s.URL(), nil)
			err := ch.call(context.Background(), c)
			s.Close()
			if s.charges.Load() != 1 {
				t.Errorf("FINDING: %d %s: charge arrived %d times (%v)", code, ch.name, s.charges.Load(), err)
			}
			if code >= 500 && !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Errorf("%d %s: want outcome unknown, got %v", code, ch.name, err)
			}
			if err == nil {
				t.Errorf("%d %s: success", code, ch.name)
			}
		}
	}
}

// HTTP 200 whose body carries a 5xx code: outcome unknown for charging calls.
func TestCharge200With5xxBody(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		oWrite(c, 200, `{"status":"FAILED","status_code":502,"message":"upstream"}`, true)
		return true
	})
	c := oClientHC(t, s.URL(), nil)
	err := oCharges()[3].call(context.Background(), c)
	s.Close()
	if !errors.Is(err, inexopay.ErrOutcomeUnknown) || s.charges.Load() != 1 {
		t.Errorf("charges %d err %v", s.charges.Load(), err)
	}
}

// Answer size boundary: exactly the limit is read; one byte more is an error
// and is not retried even for a read-only call.
func TestAnswerSizeBoundary(t *testing.T) {
	const limit = 4096
	valid := `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`
	for _, extra := range []int{0, 1} {
		body := valid + strings.Repeat(" ", limit-len(valid)+extra)
		s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
			s.readBody(req)
			oWrite(c, 200, body, true)
			return true
		})
		c := oClientHC(t, s.URL(), nil, inexopay.WithMaxResponseBytes(limit))
		_, err := c.Account.Balance(context.Background())
		s.Close()
		if extra == 0 && err != nil {
			t.Errorf("answer of exactly the limit refused: %v", err)
		}
		if extra == 1 && (err == nil || s.headers.Load() != 1) {
			t.Errorf("limit+1: err %v, tries %d", err, s.headers.Load())
		}
	}
}

// Header just under 64 KiB passes with the SDK's transport.
func TestHeaderUnderLimitOK(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		s.readBody(req)
		body := `{"status":"SUCCESS","error_code":200,"message":"ok","balance":1.00,"username":"u"}`
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nX-Big: %s\r\nContent-Length: %d\r\n\r\n%s", strings.Repeat("a", 60<<10), len(body), body)
		return true
	})
	c := oClientHC(t, s.URL(), nil)
	_, err := c.Account.Balance(context.Background())
	s.Close()
	if err != nil {
		t.Errorf("60 KiB header refused: %v", err)
	}
}

// Debug logs of successful charging calls and retried read-only calls carry
// no secret, whatever the answer echoes.
func TestDebugLogsNoSecrets(t *testing.T) {
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		b := s.readBody(req)
		switch {
		case strings.Contains(req.URL.Path, "balance") && n%2 == 1:
			oWrite(c, 500, `<html>`+string(b)+`</html>`, true)
		case strings.Contains(req.URL.Path, "balance"):
			oWrite(c, 200, `{"status":"SUCCESS","error_code":200,"message":"ok `+string(b)+`","balance":1.00,"username":"u"}`, true)
		case strings.Contains(req.URL.Path, "send_otp"):
			oWrite(c, 200, `{"status_code":200,"status":"success","message":"sent to 2345 6789 0124","data":{"request_id":"ADHRVFR19052420260531_1e2d274","aadhaar":"234567890124","status":"pending"}}`, true)
		default:
			oWrite(c, 400, `{"status":false,"message":"bad `+strings.ReplaceAll(string(b), `"`, ``)+`"}`, true)
		}
		return true
	})
	var logbuf bytes.Buffer
	c := oClientHC(t, s.URL(), nil, inexopay.WithLogger(slog.New(slog.NewJSONHandler(&logbuf, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		inexopay.WithRetry(2, time.Millisecond, time.Millisecond))
	ctx := context.Background()
	_, _ = c.Account.Balance(ctx)
	for _, ch := range oCharges() {
		err := ch.call(ctx, c)
		for _, txt := range oErrTexts(err) {
			if l := oLeaks(txt); len(l) > 0 {
				t.Errorf("FINDING: %s error: %v in %q", ch.name, l, txt)
				break
			}
		}
	}
	s.Close()
	for _, line := range strings.Split(logbuf.String(), "\n") {
		if l := oLeaks(line); len(l) > 0 {
			t.Errorf("FINDING: log line leaks %v: %s", l, line)
		}
	}
	if !strings.Contains(logbuf.String(), "DEBUG") {
		t.Errorf("no debug lines logged: %s", logbuf.String())
	}
}

// Plain HTTP refused for anything that is not loopback.
func TestPlainHTTPRefused(t *testing.T) {
	bad := []string{"http://localhost.evil.com", "http://127.0.0.1.nip.io", "http://evil.com#@127.0.0.1", "http://localhost@evil.com",
		"http://10.0.0.1", "http://[::ffff:8.8.8.8]", "http://0.0.0.0", "http://127.1", "http://2130706433", "http://0x7f000001",
		"http://evil.com\\@127.0.0.1", "http://localhostevil", "http://[fe80::1%25lo]", "HTTP://example.com", "http://example.com:443"}
	for _, b := range bad {
		if _, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "u"), inexopay.WithBaseURL(b)); err == nil {
			t.Errorf("FINDING: plain http to %q accepted", b)
		}
	}
	good := []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.5.6.7"}
	for _, g := range good {
		if _, err := inexopay.NewClient(inexopay.BodyAuth(oKey, "u"), inexopay.WithBaseURL(g)); err != nil {
			t.Errorf("loopback %q refused: %v", g, err)
		}
	}
}

// ---- Cancellation, redirects, shared transports, races ----

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

// TestAnswerStandsWhenContextEndsAfterIt: "An answer that was read
// stands even if the context ends just after it arrived": the context is
// cancelled at the body's EOF (or its Close); the call must return the
// answer, not an error.
func TestAnswerStandsWhenContextEndsAfterIt(t *testing.T) {
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

// TestNoStormWithLargeErrorPages: 32 goroutines share one Client
// while half the answers are 503 with a 24 KiB HTML error page (a typical
// CDN/proxy page). The SDK must open about as many connections as plain
// net/http doing the same requests (tuned transport, io.ReadAll with a
// limit, the same retries); a retry layer that drains only a few KiB of an
// error body before retrying closes the connection each time.
func TestNoStormWithLargeErrorPages(t *testing.T) {
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

// TestCancelledCallsLeaveNothing: 200 calls cancelled at random
// points against a slow (slowloris) server return promptly with
// context errors; goleak (TestMain) checks nothing is left behind.
func TestCancelledCallsLeaveNothing(t *testing.T) {
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

// TestRedirectsWithOwnClient: the user's http.Client follows
// redirects (CheckRedirect nil → follow; one that always says yes) and
// has a Jar; every redirect status is still not followed (the target
// server sees nothing), and the error is an *APIError naming the target.
func TestRedirectsWithOwnClient(t *testing.T) {
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

// TestSharedTransportLeftAlone: other code keeps an idle
// keep-alive connection to its own server in the transport it shares with
// the SDK; SDK calls that fail every way (5xx after retries, an oversize
// answer, a cancelled context, a refused connection, a redirect) must not
// close it: the other code's next request reuses it.
func TestSharedTransportLeftAlone(t *testing.T) {
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

// TestHugeAnswersBounded: a 256 MiB streamed answer, a
// Content-Length of 1 TB, and answer headers of 100 KiB (one header and
// 2,000 small ones): each fails fast, allocates little, and the
// oversize header fails at once without retries.
func TestHugeAnswersBounded(t *testing.T) {
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

// TestRaceHundredsOfGoroutines: 300 goroutines share one Client
// with an Observer and a Debug logger against a server that answers 200,
// 503, resets or stalls at random; run with -race.
func TestRaceHundredsOfGoroutines(t *testing.T) {
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
	var logs secrettest.LogBuffer
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

// TestPlainHTTPAndPathsStayOnHost: plain http is refused for any
// host that is not loopback (look-alikes included), and no WithPath
// override can move the credentials to another host or scheme.
func TestPlainHTTPAndPathsStayOnHost(t *testing.T) {
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

// TestReadOnlyRetriedShapes: read-only calls are retried on 429
// and 5xx, also a 5xx code inside an HTTP 200 body (as a number or a
// string, in status_code or error_code), and on answers that are not JSON
// or are cut short; Attempts counts each try.
func TestReadOnlyRetriedShapes(t *testing.T) {
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

// o2HeaderAuth adds a header value net/http refuses (a line break) or a
// header name it refuses.
type o2HeaderAuth struct{ name, value string }

func (a o2HeaderAuth) Authenticate(h http.Header, f url.Values) error {
	h[a.name] = []string{a.value}
	f.Set("api_key", o2Key)
	f.Set("username", o2User)
	return nil
}

// TestRepeatingCausesNotRetried: "A cause that would repeat (a
// header with a line break, a bad certificate, an oversize answer header)
// is not retried": an Authenticator that adds a header with a line break
// (or a bad name), and a TLS server whose certificate is not trusted.
func TestRepeatingCausesNotRetried(t *testing.T) {
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

// TestAttemptsAgree: for read-only calls against a server that
// answers 503, resets, cuts answers short or succeeds at random, the
// server's count of requests, the Observer's Attempt events, CallInfo's
// Attempts, ResponseInfo.Attempts and APIError.Attempts agree, call by
// call.
func TestAttemptsAgree(t *testing.T) {
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

// TestMaxResponseBytesBoundary: an answer of exactly the limit is
// read; one byte more is an error (also with Content-Length absent,
// chunked), for the default 1 MiB and a small limit.
func TestMaxResponseBytesBoundary(t *testing.T) {
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
