package redact

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
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
	leak := atkLeakFinder(atkAPIKey, []string{relOTP}, nil)
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
			for _, e := range errorChain(err) {
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

// atkLeakFinder returns a function that names the secret s holds in any
// spelling, or "". It is written apart from the SDK's own matcher: it
// undoes HTML, JSON and URL escaping (twice), ignores case for PANs and
// ignores separators between digits.
func atkLeakFinder(key string, digits, pans []string) func(s string) string {
	bareDigits := strings.NewReplacer(" ", "", "-", "", ".", "", "\u00a0", "", "_", "", "/", "", "+", "")
	return func(s string) string {
		views := []string{s}
		for v := s; ; {
			next := html.UnescapeString(jsonUnescape(percentDecode(v)))
			if next == v {
				break
			}
			v = next
			views = append(views, v)
		}
		for _, v := range views {
			for _, v := range []string{v, strings.ReplaceAll(v, "+", " ")} {
				if strings.Contains(v, key) {
					return "the API key"
				}
			}
			up := strings.ToUpper(v)
			for _, p := range pans {
				if strings.Contains(up, p) {
					return "PAN " + p[:2] + "…"
				}
			}
			bare := bareDigits.Replace(v)
			for _, d := range digits {
				if strings.Contains(bare, d) {
					return "digits " + d[:2] + "…"
				}
			}
		}
		return ""
	}
}

// errorChain returns err and every error reachable from it with Unwrap.
func errorChain(err error) []error {
	var out []error
	var walk func(error, int)
	walk = func(err error, depth int) {
		if err == nil || depth > 50 {
			return
		}
		out = append(out, err)
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e, depth+1)
			}
		}
	}
	walk(err, 0)
	return out
}
func htmlEntities(v string) string {
	var b strings.Builder
	for i, c := range []byte(v) {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			if i%2 == 0 {
				fmt.Fprintf(&b, "&#%d;", c)
			} else {
				b.WriteByte(c)
			}
		default:
			fmt.Fprintf(&b, "&#x%X;", c)
		}
	}
	return b.String()
}

// lowerHexEscape percent-escapes like url.PathEscape, with lower-case hex.
func lowerHexEscape(v string) string {
	var b strings.Builder
	for _, c := range []byte(url.PathEscape(v)) {
		b.WriteByte(c)
	}
	s := b.String()
	out := []byte(s)
	for i := 0; i+2 < len(out); i++ {
		if out[i] == '%' {
			out[i+1], out[i+2] = byte(strings.ToLower(string(out[i+1]))[0]), byte(strings.ToLower(string(out[i+2]))[0])
		}
	}
	return string(out)
}

// percentDecode decodes every valid %XX, leaving anything else as it is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := parseHexByte(s[i+1 : i+3]); err == nil {
				b.WriteByte(v)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// jsonUnescape decodes \uXXXX (below 256) and \/.
func jsonUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	s = strings.ReplaceAll(s, `\/`, "/")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') && s[i+2] == '0' && s[i+3] == '0' {
			if v, err := parseHexByte(s[i+4 : i+6]); err == nil {
				b.WriteByte(v)
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func parseHexByte(h string) (byte, error) {
	v, err := strconv.ParseUint(h, 16, 8)
	return byte(v), err
}
