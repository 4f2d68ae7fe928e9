package redact

import (
	"context"
	"errors"
	"fmt"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An error the SDK did not build itself (an Authenticator's, or a raw
// error wrapped without transportError) that repeats a secret is rebuilt:
// the SDK's own types stay, the rest is replaced by redacted text.
func TestRedactRebuildsUnknownErrors(t *testing.T) {
	form := url.Values{"api_key": {atkAPIKey}, "otp": {relOTP}}
	leak := secrettest.LeakFinder(atkAPIKey, []string{relOTP}, nil)
	raw := rawError("otp=" + relOTP)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"fmt wrapper", fmt.Errorf("inexopay: x: %w", raw)},
		{"outcome unknown around a raw error", &apierr.OutcomeUnknownError{Endpoint: "Aadhaar.VerifyOTP", OrderID: "A1", Err: fmt.Errorf("x: %w", raw)}},
		{"joined", errors.Join(context.Canceled, fmt.Errorf("key %s", url.QueryEscape(atkAPIKey)))},
		{"clean text, dirty cause", &quietError{raw}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := redact(tc.err, form, nil)
			for _, e := range secrettest.ErrorChain(err) {
				assert.Empty(t, leak(e.Error()), "%T: %s", e, e)
				if e == raw { //nolint:errorlint // identity: the raw error must be gone
					t.Error("the raw error is reachable")
				}
			}
		})
	}
	err := redact(&apierr.OutcomeUnknownError{Endpoint: "Aadhaar.VerifyOTP", OrderID: "A1", Err: fmt.Errorf("x: %w", raw)}, form, nil)
	var ou *apierr.OutcomeUnknownError
	require.ErrorAs(t, err, &ou, "the SDK's own type stays")
	assert.Equal(t, "A1", ou.OrderID)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, redact(errors.Join(context.Canceled, errors.New(atkAPIKey)), form, nil), context.Canceled)
}

func TestRedactStringEverySpelling(t *testing.T) {
	leak := secrettest.LeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN})
	secrets := []string{atkAPIKey, relAadhaar, relOTP, relAgentPAN}
	a := relAadhaar
	for _, echo := range []string{
		atkAPIKey,
		url.QueryEscape(atkAPIKey),
		url.PathEscape(atkAPIKey),
		secrettest.LowerHexEscape(atkAPIKey),
		strings.ReplaceAll(url.QueryEscape(atkAPIKey), "%", "%25"),
		secrettest.HTMLEntities(atkAPIKey),
		`ik\u002blive\/5Qz8\u003dWm2\u0020Rt7Yp3Kx9`,
		url.PathEscape(`ik\u002blive\/5Qz8\u003dWm2\u0020Rt7Yp3Kx9`),
		a, a[:4] + " " + a[4:8] + " " + a[8:], a[:4] + "-" + a[4:8] + "-" + a[8:], a[:4] + "." + a[4:8] + "." + a[8:],
		a[:4] + "\u00a0" + a[4:8] + "\u00a0" + a[8:], a[:4] + "&nbsp;" + a[4:8] + "&nbsp;" + a[8:], a[:4] + "%20" + a[4:8] + "%20" + a[8:],
		relOTP, relOTP[:3] + " " + relOTP[3:], relOTP[:2] + "-" + relOTP[2:4] + "-" + relOTP[4:], secrettest.HTMLEntities(relOTP),
		relAgentPAN, strings.ToLower(relAgentPAN), "bqkPM4821r", secrettest.HTMLEntities(strings.ToLower(relAgentPAN)),
	} {
		for _, text := range []string{echo, "invalid value " + echo + ", try again", "<b>" + echo + "</b>"} {
			got := String(text, secrets...)
			assert.Empty(t, leak(got), "%q became %q", text, got)
			assert.True(t, strings.Contains(got, "X") || strings.Contains(got, "[REDACTED]"), "%q is masked, not dropped: %q", text, got)
		}
	}
	// What the masks keep: the last 4 of an Aadhaar number, a PAN and a key;
	// nothing of an OTP.
	assert.Equal(t, "number XXXXXXXX"+a[8:]+" ok", String("number "+a[:4]+" "+a[4:8]+" "+a[8:]+" ok", secrets...))
	assert.Equal(t, "pan XXXXXX821R", String("pan bqkpm4821r", secrets...))
	assert.Equal(t, "otp [REDACTED].", String("otp "+relOTP+".", secrets...))
	assert.Equal(t, "key "+strings.Repeat("X", len(atkAPIKey)-4)+"3Kx9", String("key "+url.QueryEscape(atkAPIKey), secrets...))
	// Text without a secret is kept as it is, byte for byte.
	for _, s := range []string{"", "Order ORD12345 not found at 10:30:00", "100% done & 50%2 left", "\\u00zz &#xZZ; %G0", "4973 1286"} {
		assert.Equal(t, s, String(s, secrets...))
	}
	// Short values are not secrets: masking every "ab" would mangle text.
	assert.Equal(t, "ab cd", String("ab cd", "ab"))
}

func TestTransportErrorHoldsNoRawError(t *testing.T) {
	form := url.Values{"api_key": {atkAPIKey}, "aadhaar_number": {relAadhaar}}
	raw := rawError("api_key=" + url.QueryEscape(atkAPIKey) + "&aadhaar_number=" + relAadhaar)
	err := redact(TransportError(endpoints.SendOTP, raw), form, http.Header{})
	leak := secrettest.LeakFinder(atkAPIKey, []string{relAadhaar}, nil)
	for _, e := range secrettest.ErrorChain(err) {
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
			err := redact(TransportError(endpoints.AccountStatus, tc.raw), url.Values{"api_key": {"secret-key-1"}}, nil)
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
	err := TransportError(endpoints.AccountStatus, refused)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
}

// rawErrors returns transport errors as net/http builds them, with an echo
// of a secret in their text.
func rawError(echo string) error {
	return &url.Error{Op: "Post", URL: "http://127.0.0.1:1/api/x", Err: fmt.Errorf(
		"net/http: HTTP/1.x transport connection broken: %w",
		fmt.Errorf("malformed HTTP response %q: %w", echo, io.ErrUnexpectedEOF))}
}

func osDeadline() error { return os.ErrDeadlineExceeded }

// osSyscallError stands for *os.SyscallError: a wrapper the sanitizer does
// not know, whose errno must still match.
type osSyscallError struct {
	call string
	err  error
}

// quietError hides its cause's text but still wraps it.
type quietError struct{ err error }

func (e *osSyscallError) Error() string { return e.call + ": " + e.err.Error() }

func (e *osSyscallError) Unwrap() error { return e.err }

func (e *quietError) Error() string { return "failed" }

func (e *quietError) Unwrap() error { return e.err }

// TestReadErrorIsAServerError: an answer cut short while being read is a
// server error (ErrServer), and keeps its cause.
func TestReadErrorIsAServerError(t *testing.T) {
	err := NewReadError(fmt.Errorf("inexopay: Account.Balance: reading answer: %w", io.ErrUnexpectedEOF))
	assert.ErrorIs(t, err, apierr.ErrServer)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, err, apierr.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "cut short")
}

// A PAN the call did not send, in an API message or an HTML snippet, is
// masked to its last 4 in the error all the same; other words are kept.
func TestRedactMasksAnyPANInAnError(t *testing.T) {
	for _, pan := range []string{"ZZZPZ9999Z", "zzzpz9999z"} {
		ae := &apierr.APIError{HTTPStatus: 200, Code: 400, Endpoint: "PAN.Status",
			Message: "PAN " + pan + " already linked to account", Status: pan}
		err := Err(&apierr.OutcomeUnknownError{Endpoint: "PAN.Status", OrderID: "P1", Err: ae}, nil)
		printed := fmt.Sprintf("%v %+v %#v %#v", err, err, err, ae)
		assert.NotContains(t, printed, pan)
		assert.Contains(t, ae.Message, "PAN XXXXXX"+pan[6:]+" already linked to account")
	}
	ae := &apierr.APIError{ContentType: "text/html", Snippet: "card ABCDE1234F. order ABCDE12345F kept"}
	require.Error(t, Err(ae, nil))
	assert.Equal(t, "card XXXXXX234F. order ABCDE12345F kept", ae.Snippet)
}
