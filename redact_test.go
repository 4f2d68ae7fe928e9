package inexopay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactStringEverySpelling(t *testing.T) {
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN})
	secrets := []string{atkAPIKey, relAadhaar, relOTP, relAgentPAN}
	a := relAadhaar
	for _, echo := range []string{
		atkAPIKey,
		url.QueryEscape(atkAPIKey),
		url.PathEscape(atkAPIKey),
		lowerHexEscape(atkAPIKey),
		strings.ReplaceAll(url.QueryEscape(atkAPIKey), "%", "%25"),
		htmlEntities(atkAPIKey),
		`ik\u002blive\/5Qz8\u003dWm2\u0020Rt7Yp3Kx9`,
		url.PathEscape(`ik\u002blive\/5Qz8\u003dWm2\u0020Rt7Yp3Kx9`),
		a, a[:4] + " " + a[4:8] + " " + a[8:], a[:4] + "-" + a[4:8] + "-" + a[8:], a[:4] + "." + a[4:8] + "." + a[8:],
		a[:4] + "\u00a0" + a[4:8] + "\u00a0" + a[8:], a[:4] + "&nbsp;" + a[4:8] + "&nbsp;" + a[8:], a[:4] + "%20" + a[4:8] + "%20" + a[8:],
		relOTP, relOTP[:3] + " " + relOTP[3:], relOTP[:2] + "-" + relOTP[2:4] + "-" + relOTP[4:], htmlEntities(relOTP),
		relAgentPAN, strings.ToLower(relAgentPAN), "bqkPM4821r", htmlEntities(strings.ToLower(relAgentPAN)),
	} {
		for _, text := range []string{echo, "invalid value " + echo + ", try again", "<b>" + echo + "</b>"} {
			got := redactString(text, secrets...)
			assert.Empty(t, leak(got), "%q became %q", text, got)
			assert.True(t, strings.Contains(got, "X") || strings.Contains(got, "[REDACTED]"), "%q is masked, not dropped: %q", text, got)
		}
	}
	// What the masks keep: the last 4 of an Aadhaar number, a PAN and a key;
	// nothing of an OTP.
	assert.Equal(t, "number XXXXXXXX"+a[8:]+" ok", redactString("number "+a[:4]+" "+a[4:8]+" "+a[8:]+" ok", secrets...))
	assert.Equal(t, "pan XXXXXX821R", redactString("pan bqkpm4821r", secrets...))
	assert.Equal(t, "otp [REDACTED].", redactString("otp "+relOTP+".", secrets...))
	assert.Equal(t, "key "+strings.Repeat("X", len(atkAPIKey)-4)+"3Kx9", redactString("key "+url.QueryEscape(atkAPIKey), secrets...))
	// Text without a secret is kept as it is, byte for byte.
	for _, s := range []string{"", "Order ORD12345 not found at 10:30:00", "100% done & 50%2 left", "\\u00zz &#xZZ; %G0", "4973 1286"} {
		assert.Equal(t, s, redactString(s, secrets...))
	}
	// Short values are not secrets: masking every "ab" would mangle text.
	assert.Equal(t, "ab cd", redactString("ab cd", "ab"))
}

// rawErrors returns transport errors as net/http builds them, with an echo
// of a secret in their text.
func rawError(echo string) error {
	return &url.Error{Op: "Post", URL: "http://127.0.0.1:1/api/x", Err: fmt.Errorf(
		"net/http: HTTP/1.x transport connection broken: %w",
		fmt.Errorf("malformed HTTP response %q: %w", echo, io.ErrUnexpectedEOF))}
}

func TestTransportErrorHoldsNoRawError(t *testing.T) {
	form := url.Values{"api_key": {atkAPIKey}, "aadhaar_number": {relAadhaar}}
	raw := rawError("api_key=" + url.QueryEscape(atkAPIKey) + "&aadhaar_number=" + relAadhaar)
	err := redact(transportError(EndpointSendOTP, raw), form, http.Header{})
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar}, nil)
	for _, e := range errorChain(err) {
		assert.Empty(t, leak(e.Error()), "%T: %s", e, e)
		assert.Empty(t, leak(fmt.Sprintf("%#v", e)), "%T", e)
		if e == raw || e == errors.Unwrap(raw) { //nolint:errorlint // identity: the raw error must not be in the chain
			t.Errorf("the raw error %T is reachable", e)
		}
	}
	// What callers match on still works.
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "Post", ue.Op)
	assert.NotSame(t, raw, ue)
	assert.Contains(t, err.Error(), "inexopay: Aadhaar.SendOTP: Post \"http://127.0.0.1:1/api/x\": net/http: HTTP/1.x transport connection broken: malformed HTTP response")
	assert.Contains(t, err.Error(), "XXXXXXXX"+relAadhaar[8:], "the text stays useful, masked")
}

func TestTransportErrorKeepsSentinelsAndTimeouts(t *testing.T) {
	deadline := &url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "read", Net: "tcp", Err: fmt.Errorf("i/o: %w", osDeadline())}}
	refused := &url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "dial", Net: "tcp", Err: &osSyscallError{"connect", syscall.ECONNREFUSED}}}
	for _, tc := range []struct {
		name    string
		raw     error
		is      []error
		timeout bool
	}{
		{"context deadline", context.DeadlineExceeded, []error{context.DeadlineExceeded}, true},
		{"context canceled", fmt.Errorf("x: %w", context.Canceled), []error{context.Canceled}, false},
		{"client timeout", &url.Error{Op: "Post", URL: "u", Err: fmt.Errorf("Client.Timeout exceeded: %w", context.DeadlineExceeded)}, []error{context.DeadlineExceeded}, true},
		{"read deadline", deadline, []error{osDeadline()}, true},
		{"refused", refused, []error{syscall.ECONNREFUSED}, false},
		{"EOF", &url.Error{Op: "Post", URL: "u", Err: io.EOF}, []error{io.EOF}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := redact(transportError(EndpointAccountStatus, tc.raw), url.Values{"api_key": {"secret-key-1"}}, nil)
			assert.Equal(t, "inexopay: Account.Status: "+tc.raw.Error(), err.Error(), "the text is the original's")
			for _, s := range tc.is {
				assert.ErrorIs(t, err, s)
			}
			var ne net.Error
			if tc.timeout {
				require.ErrorAs(t, err, &ne)
				assert.True(t, ne.Timeout())
			} else if errors.As(err, &ne) {
				assert.False(t, ne.Timeout())
			}
		})
	}
	err := transportError(EndpointAccountStatus, refused)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
}

func osDeadline() error { return os.ErrDeadlineExceeded }

// osSyscallError stands for *os.SyscallError: a wrapper the sanitizer does
// not know, whose errno must still match.
type osSyscallError struct {
	call string
	err  error
}

func (e *osSyscallError) Error() string { return e.call + ": " + e.err.Error() }
func (e *osSyscallError) Unwrap() error { return e.err }

// Against real servers: a call that times out, and one refused, still say
// so to errors.Is, errors.As and net.Error.
func TestTransportErrorsFromRealServers(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c := relClient(t, srv.URL, WithRetry(0, time.Millisecond, time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Account.Balance(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())

	c = relClient(t, "http://"+relClosedAddr(t), WithRetry(0, time.Millisecond, time.Millisecond))
	_, err = c.Account.Balance(context.Background())
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
}

// A certificate the SDK cannot verify stays a permanent failure for the
// wait helpers, after sanitizing.
func TestCertificateFailureStaysPermanent(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is expected
	srv.StartTLS()
	defer srv.Close()
	c := relClient(t, srv.URL)
	_, err := c.Account.Balance(context.Background())
	require.Error(t, err)
	assert.True(t, isPermanent(err), "%v", err)
	assert.False(t, transient(err))
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func TestRetryableHTTPLogHoldsNoErrorText(t *testing.T) {
	logs := &relSyncBuffer{}
	l := leveledLogger{relDebugLogger(logs)}
	raw := rawError("api_key=" + atkAPIKey)
	l.Error("request failed", "error", raw, "method", "POST", "url", "http://127.0.0.1/api", "req", &http.Request{})
	l.Debug("retrying request", "request", "POST http://127.0.0.1/api (status: 503)", "timeout", time.Second, "remaining", 2)
	l.Error("request failed", "error", &url.Error{Op: "Post", URL: "u", Err: context.DeadlineExceeded})
	out := logs.String()
	assert.NotContains(t, out, "api_key")
	assert.NotContains(t, out, "malformed")
	assert.Contains(t, out, `"error":"Post http://127.0.0.1:1/api/x: unexpected EOF"`)
	assert.Contains(t, out, `"req":"(*http.Request)"`)
	assert.Contains(t, out, `"remaining":2`)
	assert.Contains(t, out, `"error":"Post u: context deadline exceeded: timeout"`)
	var n int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		assert.Contains(t, line, `"level":"DEBUG"`)
		n++
	}
	assert.Equal(t, 3, n)
}

// An error the SDK did not build itself (an Authenticator's, or a raw
// error wrapped without transportError) that repeats a secret is rebuilt:
// the SDK's own types stay, the rest is replaced by redacted text.
func TestRedactRebuildsUnknownErrors(t *testing.T) {
	form := url.Values{"api_key": {atkAPIKey}, "otp": {relOTP}}
	leak := atkLeakFinder(atkAPIKey, []string{relOTP}, nil)
	raw := rawError("otp=" + relOTP)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"fmt wrapper", fmt.Errorf("inexopay: x: %w", raw)},
		{"outcome unknown around a raw error", &OutcomeUnknownError{Endpoint: "Aadhaar.VerifyOTP", OrderID: "A1", Err: fmt.Errorf("x: %w", raw)}},
		{"joined", errors.Join(context.Canceled, fmt.Errorf("key %s", url.QueryEscape(atkAPIKey)))},
		{"clean text, dirty cause", &quietError{raw}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := redact(tc.err, form, nil)
			for _, e := range errorChain(err) {
				assert.Empty(t, leak(e.Error()), "%T: %s", e, e)
				if e == raw { //nolint:errorlint // identity: the raw error must be gone
					t.Error("the raw error is reachable")
				}
			}
		})
	}
	err := redact(&OutcomeUnknownError{Endpoint: "Aadhaar.VerifyOTP", OrderID: "A1", Err: fmt.Errorf("x: %w", raw)}, form, nil)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou, "the SDK's own type stays")
	assert.Equal(t, "A1", ou.OrderID)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, redact(errors.Join(context.Canceled, errors.New(atkAPIKey)), form, nil), context.Canceled)
}

// quietError hides its cause's text but still wraps it.
type quietError struct{ err error }

func (e *quietError) Error() string { return "failed" }
func (e *quietError) Unwrap() error { return e.err }
