package inexopay_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// Status codes that some retry layers treat as "not processed": a charging
// call that the server read in full is never sent again.
func TestOutsideChargeStatusCodesNoRetry(t *testing.T) {
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
func TestOutsideCharge200With5xxBody(t *testing.T) {
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
func TestOutsideAnswerSizeBoundary(t *testing.T) {
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
func TestOutsideHeaderUnderLimitOK(t *testing.T) {
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
func TestOutsideDebugLogsNoSecrets(t *testing.T) {
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
func TestOutsidePlainHTTPRefused(t *testing.T) {
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
