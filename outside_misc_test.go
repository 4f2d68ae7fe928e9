package inexopay_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

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

func TestOutsideAnswerStandsAfterContextEnds(t *testing.T) {
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
func TestOutsideExpectContinueGames(t *testing.T) {
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

func TestOutsideBadHeaderNotRetriedNoLeak(t *testing.T) {
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
func TestOutsideSigningWrapperWithIdempotencyKey(t *testing.T) {
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
