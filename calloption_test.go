package inexopay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithHeaderSendsHeader(t *testing.T) {
	var got http.Header
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		relRespond(w, http.StatusOK, relSuccess[EndpointPANStatus])
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Status(context.Background(), "ORD12345",
		WithHeader("x-request-id", "req-1"), WithHeader("X-Request-Id", "req-2"), WithHeader("User-Agent", "app/2"))
	require.NoError(t, err)
	assert.Equal(t, []string{"req-1", "req-2"}, got.Values("X-Request-Id"))
	assert.Equal(t, "app/2", got.Get("User-Agent"), "a per-call User-Agent replaces the client's")
	assert.Equal(t, "application/x-www-form-urlencoded", got.Get("Content-Type"))
}

func TestWithHeaderRefusesReservedAndInvalidHeaders(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointGenerateQR])
	})
	c := relClient(t, srv.URL)
	refused := []CallOption{
		WithHeader("Content-Type", "text/plain"),
		WithHeader("x-api-key", "other"),
		WithHeader("X-API-USERNAME", "other"),
		WithHeader("idempotency-key", "k1"),
		WithHeader("X-Idempotency-Key", "k1"),
		WithHeader("host", "evil.example"),
		WithHeader("Content-Length", "0"),
		WithHeader("X-Trace", "a\r\nX-Injected: 1"),
		WithHeader("X-Trace", "a\nb"),
		WithHeader("Bad Name", "v"),
		WithHeader("", "v"),
		WithHeader("X-Trace:", "v"),
		WithMaxRetries(-1),
		WithMaxRetries(21),
	}
	for i, o := range refused {
		var info ResponseInfo
		_, err := c.Wallet.GenerateQR(context.Background(), &GenerateQRParams{Amount: Rupees(100)}, o, WithResponseInfo(&info))
		require.Error(t, err, "option %d", i)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, "option %d", i)
		assert.ErrorIs(t, err, ErrInvalidParams, "option %d", i)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		assert.NotContains(t, err.Error(), "\n", "option %d", i)
		assert.Equal(t, 0, info.Attempts)
	}
	assert.Equal(t, 0, srv.count(), "nothing was sent")
}

func TestWithMaxRetriesOverridesClientCount(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	c := relClient(t, srv.URL, WithRetry(1, time.Millisecond, time.Millisecond))
	_, err := c.PAN.Status(context.Background(), "ORD12345", WithMaxRetries(4))
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 5, srv.count())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 5, ae.Attempts)

	_, err = c.PAN.Status(context.Background(), "ORD12345", WithMaxRetries(0))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 1, ae.Attempts)
	assert.Equal(t, 6, srv.count())

	_, err = c.PAN.Status(context.Background(), "ORD12345")
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 2, ae.Attempts, "the client's count again")

	// A charging call keeps its rule: a 5xx is not retried.
	_, err = c.PAN.Resume(context.Background(), "ORD12345", WithMaxRetries(5))
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, 1, ou.Attempts)
	assert.Equal(t, 9, srv.count())
}

func TestWithResponseInfoOnSuccessAndFailure(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "srv-"+strings.Repeat("x", n))
		if n == 1 {
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
			return
		}
		if n == 2 {
			relRespond(w, http.StatusOK, relSuccess[EndpointPANStatus])
			return
		}
		relRespond(w, http.StatusBadRequest, `{"status_code":400,"status":"FAILED","message":"Missing parameters"}`)
	})
	c := relClient(t, srv.URL)
	var info ResponseInfo
	_, err := c.PAN.Status(context.Background(), "ORD12345", WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, info.HTTPStatus)
	assert.Equal(t, "srv-xx", info.Header.Get("X-Request-Id"))
	assert.JSONEq(t, relSuccess[EndpointPANStatus], string(info.Body))
	assert.Equal(t, 2, info.Attempts)
	assert.Positive(t, info.Duration)

	_, err = c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew},
		WithResponseInfo(&info))
	require.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, http.StatusBadRequest, info.HTTPStatus)
	assert.Contains(t, string(info.Body), "Missing parameters")
	assert.Equal(t, 1, info.Attempts)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 1, ae.Attempts)

	// No answer: status, header and body stay empty.
	c = relClient(t, "http://"+relClosedAddr(t), WithRetry(2, time.Millisecond, time.Millisecond))
	_, err = c.PAN.Status(context.Background(), "ORD12345", WithResponseInfo(&info))
	require.Error(t, err)
	assert.Equal(t, ResponseInfo{Attempts: 3, Duration: info.Duration}, info)
}

func TestRetryAfterIsADuration(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat))
		relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
	})
	c := relClient(t, srv.URL, WithRetry(0, 0, 0))
	_, err := c.PAN.Status(context.Background(), "ORD12345")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.InDelta(t, 90*time.Second, ae.RetryAfter, float64(3*time.Second), "an HTTP date is turned into a wait")
}

// A server that echoes the call's secrets in a header or the body: the
// fields of ResponseInfo keep the raw answer, its printed forms mask them.
func TestResponseInfoPrintsMasked(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("X-Echo-Key", r.Form.Get("api_key"))
		w.Header().Set("Location", "https://x.example/?k="+url.QueryEscape(r.Form.Get("api_key"))+"&otp="+r.Form.Get("otp"))
		relRespond(w, http.StatusBadRequest, `{"status":false,"status_code":400,"message":"bad","otp":"`+r.Form.Get("otp")+`","key":"`+r.Form.Get("api_key")+`"}`)
	})
	c := relClient(t, srv.URL)
	var info ResponseInfo
	_, err := c.Aadhaar.VerifyOTP(context.Background(), &VerifyOTPParams{OrderID: "AAD1", RequestID: "REQ123456", OTP: relOTP, AadhaarNumber: relAadhaar},
		WithResponseInfo(&info), WithMaxRetries(0))
	require.Error(t, err)
	assert.Equal(t, relAPIKey, info.Header.Get("X-Echo-Key"), "the field holds the raw answer")
	assert.Contains(t, string(info.Body), relOTP)
	printed := secrettest.Printed(info) + secrettest.Printed(&info) + fmt.Sprint(info)
	secrettest.CheckNoSecret(t, "ResponseInfo", printed, relAPIKey, relOTP)
	assert.NotContains(t, printed, url.QueryEscape(relAPIKey))
	assert.Contains(t, printed, "X-Echo-Key")
	assert.Contains(t, printed, "HTTPStatus:400")
	assert.Equal(t, relAPIKey, info.Header.Get("X-Echo-Key"), "printing leaves the fields as they were")
}
