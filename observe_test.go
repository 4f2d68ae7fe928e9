package inexopay

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

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
		{Endpoint: EndpointPANStatus, Attempts: 4, HTTPStatus: 200, Class: "server", Outcome: OutcomeRefused},
		{Endpoint: EndpointPANRequest, Charging: true, Attempts: 1, Class: "network", OutcomeUnknown: true, Outcome: OutcomeUnknown},
		{Endpoint: EndpointPANStatus, Class: "invalid_params", Outcome: OutcomeRefused},
	}, rec.calls)
}

// TestObserverCallStartContext checks that the context CallStart returns
// reaches every later hook of the call and the call's requests, and what
// CallStart is told.
func TestObserverCallStartContext(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","message":"ok","balance":"10.00"}`)
	})
	var mu sync.Mutex
	var starts []CallStartInfo
	var seen []string
	note := func(ctx context.Context, hook string) {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Value(obsKey{}) == "started" {
			seen = append(seen, hook)
		}
	}
	obs := Observer{
		CallStart: func(ctx context.Context, c CallStartInfo) context.Context {
			mu.Lock()
			starts = append(starts, c)
			mu.Unlock()
			return context.WithValue(ctx, obsKey{}, "started")
		},
		AttemptStart: func(ctx context.Context, _ AttemptStartInfo, _ http.Header) context.Context {
			note(ctx, "attempt start")
			return ctx
		},
		Attempt: func(ctx context.Context, _ AttemptInfo) { note(ctx, "attempt") },
		Call:    func(ctx context.Context, _ CallInfo) { note(ctx, "call") },
	}
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		note(r.Context(), "transport")
		return http.DefaultTransport.RoundTrip(r)
	})
	c := relClient(t, srv.URL, WithObserver(obs), WithHTTPClient(&http.Client{Transport: rt}))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"attempt start", "transport", "attempt", "call"}, seen)
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	assert.Equal(t, []CallStartInfo{{Endpoint: EndpointAccountBalance, ServerAddress: u.Hostname(), ServerPort: port}}, starts)
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestObserverAttemptStartAddsHeaders checks that AttemptStart can add
// headers to each attempt (not to later ones), but can neither replace one
// the request has nor add a reserved one, and that its context reaches the
// attempt's Attempt hook.
func TestObserverAttemptStartAddsHeaders(t *testing.T) {
	var mu sync.Mutex
	var got []http.Header
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		if n == 1 {
			relRespond(w, http.StatusBadGateway, `busy`)
			return
		}
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","message":"ok","balance":"10.00"}`)
	})
	var attemptCtx []string
	obs := Observer{
		AttemptStart: func(ctx context.Context, a AttemptStartInfo, h http.Header) context.Context {
			assert.Equal(t, EndpointAccountBalance, a.Endpoint)
			h.Set("Traceparent", "attempt-"+strconv.Itoa(a.Attempt))
			if a.Attempt == 1 {
				h.Set("X-First", "yes")
			}
			h.Set("Content-Type", "text/plain")
			h.Set("Host", "evil.example")
			h.Set("Content-Length", "1")
			h.Set("X-Bad", "a\r\nb")
			return context.WithValue(ctx, obsKey{}, "attempt-"+strconv.Itoa(a.Attempt))
		},
		Attempt: func(ctx context.Context, _ AttemptInfo) {
			attemptCtx = append(attemptCtx, ctx.Value(obsKey{}).(string))
		},
	}
	c := relClient(t, srv.URL, WithObserver(obs))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	assert.Equal(t, "attempt-1", got[0].Get("Traceparent"))
	assert.Equal(t, "yes", got[0].Get("X-First"))
	assert.Equal(t, "attempt-2", got[1].Get("Traceparent"))
	assert.Empty(t, got[1].Get("X-First"), "a header added for one attempt stays out of the next")
	for _, h := range got {
		assert.Equal(t, "application/x-www-form-urlencoded", h.Get("Content-Type"))
		assert.Empty(t, h.Get("X-Bad"))
	}
	assert.Equal(t, []string{"attempt-1", "attempt-2"}, attemptCtx)
}

// TestWithObserverTwice checks that every observer given is told.
func TestWithObserverTwice(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","message":"ok","balance":"10.00"}`)
	})
	a, b := &obsRecorder{}, &obsRecorder{}
	var order []string
	mk := func(name string) Observer {
		return Observer{
			CallStart: func(ctx context.Context, _ CallStartInfo) context.Context {
				order = append(order, name)
				return context.WithValue(ctx, obsKey{}, name)
			},
			AttemptStart: func(ctx context.Context, _ AttemptStartInfo, h http.Header) context.Context {
				h.Add("X-Observer", name)
				return ctx
			},
		}
	}
	c := relClient(t, srv.URL, WithObserver(a.observer()), WithObserver(mk("one")), WithObserver(b.observer()), WithObserver(mk("two")))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Len(t, a.calls, 1)
	assert.Len(t, b.calls, 1)
	assert.Len(t, a.attempts, 1)
	assert.Equal(t, []string{"one", "two"}, order)
	assert.Equal(t, OutcomeSuccess, a.calls[0].Outcome)
}
