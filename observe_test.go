package inexopay

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// obsRecorder records what an Observer is told.
type obsRecorder struct {
	mu       sync.Mutex
	attempts []AttemptInfo
	calls    []CallInfo
	ctxOK    bool
}

type obsKey struct{}

func (r *obsRecorder) observer() Observer {
	return Observer{
		Attempt: func(ctx context.Context, a AttemptInfo) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.ctxOK = ctx.Value(obsKey{}) == "call"
			r.attempts = append(r.attempts, a)
		},
		Call: func(_ context.Context, c CallInfo) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.calls = append(r.calls, c)
		},
	}
}

func TestObserverSeesEveryAttemptAndCall(t *testing.T) {
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case relEndpointOf(r.URL.Path) == EndpointPANRequest:
			relDrop(t, w)
		case n == 1:
			relDrop(t, w)
		case n == 2:
			relRespond(w, http.StatusTooManyRequests, `{"status_code":429,"status":"FAILED","message":"slow down"}`)
		default:
			relRespond(w, http.StatusOK, `{"status_code":503,"status":"FAILED","message":"busy"}`)
		}
	})
	rec := &obsRecorder{}
	c := relClient(t, srv.URL, WithObserver(rec.observer()))
	ctx := context.WithValue(context.Background(), obsKey{}, "call")
	_, err := c.PAN.Status(ctx, "ORD12345")
	require.ErrorIs(t, err, ErrServer)
	_, err = c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	_, err = c.PAN.Status(ctx, "ORD12345", WithHeader("Host", "x"))
	require.ErrorIs(t, err, ErrInvalidParams)

	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.True(t, rec.ctxOK, "the observer gets the call's context")
	require.Len(t, rec.attempts, 5)
	want := []AttemptInfo{
		{Endpoint: EndpointPANStatus, Attempt: 1, Class: "network"},
		{Endpoint: EndpointPANStatus, Attempt: 2, HTTPStatus: 429, Class: "rate_limited"},
		{Endpoint: EndpointPANStatus, Attempt: 3, HTTPStatus: 200, Class: "server"},
		{Endpoint: EndpointPANStatus, Attempt: 4, HTTPStatus: 200, Class: "server"},
		{Endpoint: EndpointPANRequest, Attempt: 1, Class: "network"},
	}
	for i, a := range rec.attempts {
		assert.Positive(t, a.Duration, "attempt %d", i)
		a.Duration = 0
		assert.Equal(t, want[i], a, "attempt %d", i)
	}
	require.Len(t, rec.calls, 3)
	for i := range rec.calls {
		assert.Positive(t, rec.calls[i].Duration)
		rec.calls[i].Duration = 0
	}
	assert.Equal(t, []CallInfo{
		{Endpoint: EndpointPANStatus, Attempts: 4, HTTPStatus: 200, Class: "server"},
		{Endpoint: EndpointPANRequest, Attempts: 1, Class: "network", OutcomeUnknown: true},
		{Endpoint: EndpointPANStatus, Class: "invalid_params"},
	}, rec.calls)
}

func TestErrorClass(t *testing.T) {
	cases := map[string]error{
		"":                     nil,
		"invalid_params":       &ValidationError{Field: "x", Reason: "y"},
		"canceled":             context.Canceled,
		"timeout":              context.DeadlineExceeded,
		"network":              errors.New("connection reset"),
		"bad_request":          &APIError{HTTPStatus: 400},
		"unauthorized":         &APIError{HTTPStatus: 401},
		"insufficient_balance": &APIError{HTTPStatus: 402},
		"forbidden":            &APIError{HTTPStatus: 403},
		"not_found":            &APIError{HTTPStatus: 404},
		"method_not_allowed":   &APIError{HTTPStatus: 405},
		"rate_limited":         &APIError{HTTPStatus: 429},
		"server":               &APIError{HTTPStatus: 502},
	}
	for want, err := range cases {
		assert.Equal(t, want, errorClass(err), "%v", err)
	}
	assert.Equal(t, "timeout", errorClass(&OutcomeUnknownError{Err: &attemptTimeoutError{d: time.Second, err: errors.New("x")}}))
}
