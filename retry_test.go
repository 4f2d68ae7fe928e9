package inexopay

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const relServiceUnavailable = `{"status_code":503,"status":"FAILED","message":"Service temporarily unavailable"}`

// relSplit returns the read-only and the charging calls.
func relSplit(t *testing.T) (readOnly, charging []relCall) {
	for _, c := range relCalls() {
		if endpoints[c.e].Charging {
			charging = append(charging, c)
		} else {
			readOnly = append(readOnly, c)
		}
	}
	require.Len(t, readOnly, 7)
	require.Len(t, charging, 7)
	return readOnly, charging
}

func TestChargingEndpointsAreExactlyTheIssueList(t *testing.T) {
	want := map[Endpoint]bool{
		EndpointOnboardAgent: true, EndpointOpenAccount: true, EndpointGenerateQR: true,
		EndpointPANRequest: true, EndpointPANResume: true, EndpointSendOTP: true, EndpointVerifyOTP: true,
		EndpointAccountStatus: false, EndpointAccountBalance: false, EndpointBankAccountStatus: false,
		EndpointBankAccountDetails: false, EndpointIncompleteAccountURL: false, EndpointPaymentStatus: false,
		EndpointPANStatus: false,
	}
	require.Len(t, endpoints, len(want))
	for e, charging := range want {
		assert.Equal(t, charging, endpoints[e].Charging, "%s", e)
	}
}

func TestReadOnlyRetriedThrough5xxThenSucceeds(t *testing.T) {
	readOnly, _ := relSplit(t)
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusInternalServerError, http.StatusGatewayTimeout} {
		for _, rc := range readOnly {
			t.Run(fmt.Sprintf("%s/%d", rc.e, status), func(t *testing.T) {
				srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
					if n <= 3 {
						relRespond(w, status, relServiceUnavailable)
						return
					}
					relRespond(w, http.StatusOK, relSuccess[rc.e])
				})
				c := relClient(t, srv.URL)
				res, err := rc.call(context.Background(), c)
				require.NoError(t, err)
				rc.check(t, res)
				reqs := srv.requests()
				require.Len(t, reqs, 4)
				for _, r := range reqs {
					assert.Equal(t, endpoints[rc.e].Path, r.Path)
					assert.Equal(t, reqs[0].Body, r.Body, "every attempt sends the same body")
					assert.Equal(t, relAPIKey, r.Form.Get("api_key"))
				}
			})
		}
	}
}

func TestReadOnlyRetriesRunOut(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	c := relClient(t, srv.URL, WithRetry(2, time.Millisecond, 2*time.Millisecond))
	_, err := c.PAN.Status(context.Background(), "ORD12345")
	require.Error(t, err)
	assert.Equal(t, 3, srv.count(), "1 try + 2 retries")
	assert.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read-only call has no unknown outcome")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.HTTPStatus)
	assert.Equal(t, "Service temporarily unavailable", ae.Message, "the API's last message reaches the caller")
}

func TestWithRetryZeroDisablesRetries(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	c := relClient(t, srv.URL, WithRetry(0, time.Millisecond, time.Millisecond))
	_, err := c.Account.Balance(context.Background())
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, srv.count())
}

func TestChargingCallNeverRetriedAfter5xx(t *testing.T) {
	_, charging := relSplit(t)
	for _, status := range []int{http.StatusBadGateway, http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		for _, rc := range charging {
			t.Run(fmt.Sprintf("%s/%d", rc.e, status), func(t *testing.T) {
				srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
					relRespond(w, status, `{"status_code":`+fmt.Sprint(status)+`,"status":"FAILED","message":"upstream failed"}`)
				})
				c := relClient(t, srv.URL)
				res, err := rc.call(context.Background(), c)
				require.Error(t, err)
				assert.Nil(t, res)
				assert.Equal(t, 1, srv.count(), "a charging call is sent exactly once after a 5xx")
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				var ou *OutcomeUnknownError
				require.ErrorAs(t, err, &ou)
				assert.Equal(t, rc.orderID, ou.OrderID)
				assert.Equal(t, rc.e, ou.Endpoint)
				var ae *APIError
				require.ErrorAs(t, err, &ae, "the 5xx answer stays reachable")
				assert.Equal(t, status, ae.HTTPStatus)
				assert.Equal(t, "upstream failed", ae.Message)
				assert.ErrorIs(t, err, ErrServer)
				if rc.orderID != "" {
					assert.Contains(t, err.Error(), `"`+rc.orderID+`"`)
				}
			})
		}
	}
}

func TestChargingCallUnder502WithHTMLPage(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"))
	})
	c := relClient(t, srv.URL)
	p := &PANRequestParams{Mobile: "9876543210", OrderID: "ORD777", Mode: PANModeESign, Type: PANTypeCorrection}
	_, err := c.PAN.Request(context.Background(), p)
	assert.Equal(t, 1, srv.count())
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD777", ou.OrderID)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 502, ae.HTTPStatus)
	assert.Equal(t, "502 Bad Gateway nginx", ae.Snippet)
}

func TestChargingCallUnderDroppedConnection(t *testing.T) {
	_, charging := relSplit(t)
	for _, rc := range charging {
		t.Run(string(rc.e), func(t *testing.T) {
			srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { relDrop(t, w) })
			c := relClient(t, srv.URL)
			res, err := rc.call(context.Background(), c)
			assert.Nil(t, res)
			assert.Equal(t, 1, srv.count())
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var ou *OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			assert.Equal(t, rc.orderID, ou.OrderID)
			var ae *APIError
			assert.False(t, errors.As(err, &ae), "no answer came back")
		})
	}
}

// A POST on a kept-alive connection that the server then drops must not be
// replayed by net/http's own transport retry either.
func TestChargingCallDroppedOnReusedConnection(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if relEndpointOf(r.URL.Path) == EndpointAccountBalance {
			relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
			return
		}
		relDrop(t, w)
	})
	c := relClient(t, srv.URL)
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	_, err = c.PAN.Resume(context.Background(), "ORD55")
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 2, srv.count(), "1 balance + exactly 1 resume")
	assert.Equal(t, int64(1), srv.newConns.Load(), "the resume went over the reused connection")
}

func TestReadOnlyRetriedAfterDroppedConnection(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			relDrop(t, w)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointPaymentStatus])
	})
	c := relClient(t, srv.URL)
	p, err := c.Wallet.PaymentStatus(context.Background(), "WAL1234567890123")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, p.Status)
	assert.Equal(t, 3, srv.count())
}

// relBlock answers nothing until the client gives up on the request.
func relBlock(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func TestChargingCallTimesOutOnCallDeadline(t *testing.T) {
	srv := newRelServer(t, func(_ int, _ http.ResponseWriter, r *http.Request) { relBlock(r) })
	c := relClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "ADH9", AadhaarNumber: relAadhaar})
	assert.Equal(t, 1, srv.count())
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ADH9", ou.OrderID)
}

func TestChargingCallTimesOutOnAttemptTimeout(t *testing.T) {
	srv := newRelServer(t, func(_ int, _ http.ResponseWriter, r *http.Request) { relBlock(r) })
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: newTransport(), Timeout: 50 * time.Millisecond}))
	_, err := c.NSDLBank.OpenAccount(context.Background(), relOpenParams())
	assert.Equal(t, 1, srv.count())
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORDACC1", ou.OrderID)
}

func TestReadOnlyRetriedAfterAttemptTimeout(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			relBlock(r)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointPANStatus])
	})
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: newTransport(), Timeout: 50 * time.Millisecond}))
	st, err := c.PAN.Status(context.Background(), "ORD12345")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, st.Status)
	assert.Equal(t, 2, srv.count())
}

// relClosedAddr returns a loopback address nothing listens on.
func relClosedAddr(t *testing.T) string { return testkit.ClosedAddr(t) }

// relDialer counts dials and fails the first failFirst of them the way a
// refused connection does; the rest dial for real.
type relDialer struct {
	dials     atomic.Int64
	failFirst int64
}

func (d *relDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	n := d.dials.Add(1)
	if n <= d.failFirst {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connect: connection refused")}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func (d *relDialer) client() *http.Client {
	tr := newTransport()
	tr.DialContext = d.DialContext
	return &http.Client{Transport: tr}
}

func TestChargingCallRetriedWhenConnectionRefused(t *testing.T) {
	_, charging := relSplit(t)
	addr := relClosedAddr(t)
	for _, rc := range charging {
		t.Run(string(rc.e), func(t *testing.T) {
			d := &relDialer{}
			c := relClient(t, "http://"+addr, WithHTTPClient(d.client()))
			res, err := rc.call(context.Background(), c)
			assert.Nil(t, res)
			assert.Equal(t, int64(4), d.dials.Load(), "1 try + 3 retries: the request never left")
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a refused connection proves nothing was sent")
			var op *net.OpError
			require.ErrorAs(t, err, &op)
			assert.Equal(t, "dial", op.Op)
		})
	}
}

func TestChargingCallSucceedsAfterRefusedDials(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointGenerateQR])
	})
	d := &relDialer{failFirst: 2}
	c := relClient(t, srv.URL, WithHTTPClient(d.client()))
	q, err := c.Wallet.GenerateQR(context.Background(), &GenerateQRParams{Amount: Rupees(100)})
	require.NoError(t, err)
	assert.Equal(t, "WAL1234567890123", q.OrderID)
	assert.Equal(t, int64(3), d.dials.Load())
	assert.Equal(t, 1, srv.count(), "the order reached the API once")
}

func TestReadOnlyRetriedWhenConnectionRefused(t *testing.T) {
	d := &relDialer{}
	c := relClient(t, "http://"+relClosedAddr(t), WithHTTPClient(d.client()))
	_, err := c.Account.Status(context.Background())
	require.Error(t, err)
	assert.Equal(t, int64(4), d.dials.Load())
}

func TestRateLimitedRetriedWithClampedRetryAfter(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
	})
	c := relClient(t, srv.URL, WithRetry(3, time.Millisecond, 20*time.Millisecond))
	b, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Amount(125050), b.Amount)
	assert.Equal(t, 2, srv.count())
}

func TestRateLimitedRetriesRunOut(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
	})
	c := relClient(t, srv.URL, WithRetry(2, time.Millisecond, 5*time.Millisecond))
	_, err := c.NSDLBank.IncompleteAccountURL(context.Background(), "testbank")
	assert.Equal(t, 3, srv.count(), "an hour-long Retry-After is clamped to the max wait, so this ends")
	assert.ErrorIs(t, err, ErrRateLimited)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.True(t, ae.Temporary())
}

func TestChargingCallNotRetriedOn429(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "1")
		relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"Too many requests"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.Wallet.GenerateQR(context.Background(), &GenerateQRParams{Amount: Rupees(500)})
	assert.Equal(t, 1, srv.count())
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a 429 is a refusal, not a lost answer")
}

func TestContextCancelledDuringRetryWait(t *testing.T) {
	answered := make(chan struct{}, 1)
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	tr := &relNotifyTransport{next: newTransport(), answered: answered}
	c := relClient(t, srv.URL, WithRetry(3, time.Hour, time.Hour), WithHTTPClient(&http.Client{Transport: tr}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.PAN.Status(ctx, "ORD12345")
		done <- err
	}()
	<-answered
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not return after its context was cancelled")
	}
	assert.Equal(t, 1, srv.count(), "no request after the cancellation")
}

func TestCancelledContextSendsNothing(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountStatus])
	})
	c := relClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, rc := range relCalls() {
		_, err := rc.call(ctx, c)
		assert.ErrorIs(t, err, context.Canceled, "%s", rc.e)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%s: nothing was sent", rc.e)
	}
	assert.Equal(t, 0, srv.count())
}

// A deadline that expires while the connection is still being made proves
// that nothing reached the API: a charging call then is not "unknown".
func TestChargingCallDeadlineWhileDialling(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var dials atomic.Int64
	tr := newTransport()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		dials.Add(1)
		select {
		case <-ctx.Done():
		case <-release:
		}
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("i/o timeout")}
	}
	c := relClient(t, "http://"+relClosedAddr(t), WithHTTPClient(&http.Client{Transport: tr}))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int64(1), dials.Load())
}

// relNotifyTransport signals after each answer has arrived.
type relNotifyTransport struct {
	next     http.RoundTripper
	answered chan struct{}
}

func (t *relNotifyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	select {
	case t.answered <- struct{}{}:
	default:
	}
	return resp, err
}

func TestClientErrorsNeverRetried(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		sentinel error
	}{
		{400, `{"status_code":400,"status":"FAILED","message":"Missing parameters"}`, ErrBadRequest},
		{401, `{"status_code":401,"status":"FAILED","message":"Invalid API key"}`, ErrUnauthorized},
		{402, `{"status_code":402,"status":"FAILED","message":"Insufficient balance"}`, ErrInsufficientBalance},
		{403, `{"status_code":403,"status":"FAILED","message":"IP not whitelisted"}`, ErrForbidden},
		{404, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`, ErrNotFound},
		{405, `{"status_code":405,"status":"FAILED","message":"Method not allowed"}`, ErrMethodNotAllowed},
		{501, `{"status_code":501,"status":"FAILED","message":"Not implemented"}`, ErrServer},
		// A failure in the body of an HTTP 200 answer.
		{200, `{"status_code":400,"status":"FAILED","message":"Error description"}`, ErrBadRequest},
		{200, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`, ErrNotFound},
	}
	for _, tc := range cases {
		for _, rc := range relCalls() {
			t.Run(fmt.Sprintf("%d/%s", tc.status, rc.e), func(t *testing.T) {
				srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
					relRespond(w, tc.status, tc.body)
				})
				c := relClient(t, srv.URL)
				_, err := rc.call(context.Background(), c)
				assert.Equal(t, 1, srv.count())
				assert.ErrorIs(t, err, tc.sentinel)
				if tc.status != 501 {
					assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the API answered: the outcome is known")
				}
			})
		}
	}
}

func TestWithRetryValidation(t *testing.T) {
	for _, o := range []Option{
		WithRetry(-1, time.Millisecond, time.Second),
		WithRetry(21, time.Millisecond, time.Second),
		WithRetry(3, time.Second, time.Millisecond),
		WithRetry(3, -time.Second, time.Millisecond),
	} {
		_, err := NewClient(BodyAuth(relAPIKey, relUsername), o)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve)
	}
}

// ---- Backoff from a zero minimum wait ----
