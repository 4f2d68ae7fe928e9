package inexopay

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests for answers that must never lead to a second charge or a leaked
// credential: redirects, failures reported in a 200 body, success answers
// without their data.

func TestRedirectsAreNotFollowed(t *testing.T) {
	elsewhere := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointPANRequest])
	})
	for _, code := range []int{301, 302, 307, 308} {
		srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+r.URL.Path+"?x=1", code)
		})
		// The caller's own client follows redirects; the SDK's copy must not,
		// and the caller's client must stay as it was.
		mine := &http.Client{}
		c := relClient(t, srv.URL, WithHTTPClient(mine))

		_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD-R", Mode: PANModeEKYC, Type: PANTypeNew})
		var ae *APIError
		require.ErrorAs(t, err, &ae, "HTTP %d", code)
		assert.Equal(t, code, ae.HTTPStatus)
		assert.ErrorIs(t, err, ErrServer)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "a charging call that was redirected may have been processed")
		assert.Contains(t, err.Error(), "redirected to "+elsewhere.URL+"/api/nsdl-pan/v1/request_pan.php;")
		assert.NotContains(t, err.Error(), "x=1", "the query of the target is not repeated")

		_, err = c.Account.Status(context.Background())
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, code, ae.HTTPStatus)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)

		assert.Equal(t, 2, srv.count(), "HTTP %d: one request per call, no retry", code)
		assert.Nil(t, mine.CheckRedirect, "WithHTTPClient does not change the caller's client")
	}
	assert.Zero(t, elsewhere.count(), "the credentials never reached the redirect target")
}

const bodyServerError = `{"status_code":500,"status":"FAILED","message":"Internal error, try later"}`

func TestServerErrorInA200BodyIsRetriedOnReadOnlyCalls(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 3 {
			relRespond(w, http.StatusOK, bodyServerError)
			return
		}
		// The NSDL bank answers carry no status_code: a value decoded from an
		// earlier attempt must not stick.
		relRespond(w, http.StatusOK, relSuccess[EndpointBankAccountStatus])
	})
	c := relClient(t, srv.URL)
	acct, err := c.NSDLBank.AccountStatus(context.Background(), "NTFPS6013M")
	require.NoError(t, err)
	assert.Equal(t, "NSDLUCBDRJCBV", acct.TxnID)
	assert.Equal(t, 4, srv.count())
}

func TestServerErrorInA200BodyRetriesRunOut(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, bodyServerError)
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Status(context.Background(), "ORD1")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 500, ae.Code)
	assert.Equal(t, 200, ae.HTTPStatus)
	assert.Equal(t, "Internal error, try later", ae.Message)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 4, srv.count(), "1 try and 3 retries")
}

func TestServerErrorInA200BodyOnChargingCallIsUnknown(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, bodyServerError)
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD-B5", Mode: PANModeEKYC, Type: PANTypeNew})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD-B5", ou.OrderID)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, srv.count(), "never sent twice")
	assert.Equal(t, 1, int(srv.newConns.Load()))
}

func TestSuccessWithoutDataOnChargingCallIsUnknown(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","message":"PAN Application Initiated Successfully"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD-ND", Mode: PANModeEKYC, Type: PANTypeNew})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou, "the API said it succeeded: it may have charged")
	assert.Equal(t, "ORD-ND", ou.OrderID)
	_, err = c.Account.Status(context.Background())
	assert.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read-only call charged nothing")
	assert.Equal(t, 2, srv.count(), "a well-formed success is not retried")
}

func TestShapeMismatchSpeaksJSON(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","data":"not an object"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.Account.Status(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `member "data" is a JSON string, not an object`)
	for _, goism := range []string{"wire.", "struct {", "Go struct"} {
		assert.NotContains(t, err.Error(), goism)
	}
}

func TestFailureWithoutCodeIn200Body(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status":false,"message":"Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER"}`)
	})
	c := relClient(t, srv.URL)
	_, err := c.NSDLBank.OnboardAgent(context.Background(), relOnboardParams())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Zero(t, ae.Code, "the body gave no code")
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, "inexopay: NSDLBank.OnboardAgent: API error (HTTP 200): Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER", err.Error())
}

// An answer that was read stands even when the context ends right after it
// arrived: a confirmed PAN application must not be reported as failed.
func TestAnswerReadBeforeCancellationStands(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointPANRequest])
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &cancelOnCloseTransport{next: newTransport(), cancel: cancel}
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	app, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew})
	require.NoError(t, err)
	assert.Equal(t, "50089349", app.TxID)
	assert.Error(t, ctx.Err(), "the context did end during the call")
	assert.Equal(t, 1, srv.count())
}

// cancelOnCloseTransport cancels a context as soon as an answer's body is
// closed, that is, right after the SDK has read it.
type cancelOnCloseTransport struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (t *cancelOnCloseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if resp != nil {
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: t.cancel}
	}
	return resp, err
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func TestResultsMaskPersonalData(t *testing.T) {
	app := PANApplication{TxID: "50089349", Mobile: "9876543210", OrderID: "ORD1"}
	st := PANStatus{OrderID: "ORD1", Mobile: "9876543210", Status: StatusSuccess}
	ver := AadhaarVerification{RequestID: "R1", Status: AadhaarVerified,
		Details: AadhaarDetails{FullName: "Shivam", DOB: "01-01-2001", Gender: "Male", Address: "Nagla Sarai, Agra"}}
	for _, v := range []any{app, &app, st, &st, ver, &ver} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{"9876543210", "Shivam", "01-01-2001", "Nagla Sarai"} {
				assert.NotContains(t, out, secret, "%s of %T", verb, v)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(app), "XXXXXX3210")
	assert.Contains(t, fmt.Sprint(ver), "Gender:Male")
	assert.Equal(t, "9876543210", app.Mobile, "the value itself is kept for the program")
}

func TestEmptyUserAgentKeepsDefault(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
	})
	var got string
	c := relClient(t, srv.URL, WithUserAgent(""), WithHTTPClient(&http.Client{Transport: uaSpy{&got}}))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "inexopay-go/"+Version, got)
}

type uaSpy struct{ got *string }

func (s uaSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	*s.got = r.Header.Get("User-Agent")
	return http.DefaultTransport.RoundTrip(r)
}

// traceBlindTransport stands for a transport that is not net/http's own (an
// HTTP/3 or recording transport): it reports no connection events through
// httptrace, so only the request body can tell whether anything was sent.
type traceBlindTransport struct{ next http.RoundTripper }

func (t traceBlindTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(r.WithContext(context.Background()))
}

// A transport that read the body and then failed may have sent the charge:
// it is neither retried nor reported as a plain error.
func TestChargingCallWithTransportThatReportsNoConnections(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relDrop(t, w)
	})
	c := relClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: traceBlindTransport{newTransport()}}))
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD1", ou.OrderID)
	assert.Equal(t, 1, srv.count(), "sent once")
}

func TestBackoffGrowsFromZeroMinWait(t *testing.T) {
	for attempt, ceil := range []time.Duration{0, 0, 0} {
		assert.Equal(t, ceil, backoff(0, time.Second, attempt, nil), "attempt %d: 0 << n is 0", attempt)
	}
	for attempt := 0; attempt < 5; attempt++ {
		d := backoff(time.Millisecond, time.Second, attempt, nil)
		ceil := time.Millisecond << attempt
		assert.GreaterOrEqual(t, d, ceil/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, ceil, "attempt %d", attempt)
	}
}
