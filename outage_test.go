package inexopay

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outageServer answers every other request with a 503 (a 50% failure
// phase) and counts the TCP connections it accepts.
type outageServer struct {
	*httptest.Server
	n     atomic.Int64
	conns atomic.Int64
}

func newOutageServer(t testing.TB) *outageServer {
	s := &outageServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if s.n.Add(1)%2 == 1 {
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
			return
		}
		relRespond(w, http.StatusOK, relSuccess[EndpointPANStatus])
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// outageRun is what one client did during a failure phase.
type outageRun struct {
	conns    int64
	attempts int64
	lat      []time.Duration
}

func (r outageRun) percentile(p float64) time.Duration {
	s := slices.Clone(r.lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// outageSDK makes goroutines × calls PAN.Status calls with one retry.
func outageSDK(t testing.TB, goroutines, calls int) outageRun {
	srv := newOutageServer(t)
	c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(srv.URL), WithRetry(1, time.Millisecond, 2*time.Millisecond))
	require.NoError(t, err)
	defer closeIdle(c)
	return outageDrive(srv, goroutines, calls, func() {
		_, _ = c.PAN.Status(context.Background(), "ORD12345")
	})
}

// outageRaw makes the same attempts with plain net/http and the same
// transport settings: a POST whose answer is read and decoded, and one more
// after a 503.
func outageRaw(t testing.TB, goroutines, calls int) outageRun {
	srv := newOutageServer(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	form := url.Values{"api_key": {relAPIKey}, "username": {relUsername}, "orderid": {"ORD12345"}}.Encode()
	target := srv.URL + endpoints[EndpointPANStatus].Path
	return outageDrive(srv, goroutines, calls, func() {
		for try := 0; try < 2; try++ {
			resp, err := hc.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				return
			}
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			var out rawPANStatus
			if err != nil || json.Unmarshal(body, &out) != nil || resp.StatusCode != http.StatusServiceUnavailable {
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
}

func outageDrive(srv *outageServer, goroutines, calls int, call func()) outageRun {
	lat := make([]time.Duration, goroutines*calls)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				start := time.Now()
				call()
				lat[g*calls+i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	return outageRun{conns: srv.conns.Load(), attempts: srv.n.Load(), lat: lat}
}

// Issue 9 §2: during an outage the SDK opens about as many connections as
// plain net/http making the same attempts (before: ~1,150 against 16, as
// the retry layer closed the idle connections after every failed call).
func TestOutageOpensNoConnectionStorm(t *testing.T) {
	sdk := outageSDK(t, 16, 40)
	raw := outageRaw(t, 16, 40)
	t.Logf("connections: sdk %d, raw %d; attempts: sdk %d, raw %d", sdk.conns, raw.conns, sdk.attempts, raw.attempts)
	assert.InDelta(t, raw.attempts, sdk.attempts, float64(raw.attempts)/10, "the same attempts")
	assert.LessOrEqual(t, float64(sdk.conns), 1.25*float64(raw.conns)+4, "sdk %d connections, raw %d", sdk.conns, raw.conns)
}

// A failed call leaves the idle connections of a transport it shares with
// unrelated code alone.
func TestFailedCallLeavesSharedTransportAlone(t *testing.T) {
	var otherConns atomic.Int64
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	other.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			otherConns.Add(1)
		}
	}
	other.Start()
	t.Cleanup(other.Close)
	shared := &http.Transport{}
	t.Cleanup(shared.CloseIdleConnections)
	hc := &http.Client{Transport: shared}
	get := func() {
		resp, err := hc.Get(other.URL)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
	get()

	api := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
	})
	c := relClient(t, api.URL, WithHTTPClient(hc), WithRetry(1, time.Millisecond, time.Millisecond))
	_, err := c.PAN.Status(context.Background(), "ORD12345")
	require.ErrorIs(t, err, ErrServer)
	_, err = c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORD1", Mode: PANModeEKYC, Type: PANTypeNew})
	require.ErrorIs(t, err, ErrOutcomeUnknown)

	get()
	assert.Equal(t, int64(1), otherConns.Load(), "the unrelated code's idle connection survived the failed calls")
}

// BenchmarkOutage measures a 50%-failure phase: 16 goroutines each making
// b.N PAN.Status calls with one retry, through the SDK and through plain
// net/http, in the same run (in two halves, SDK then raw and raw then SDK,
// as the machine's load drifts). It reports the connections each opened,
// the p50/p99 call latency of each, and their ratios.
func BenchmarkOutage(b *testing.B) {
	first, second := b.N/2, b.N-b.N/2
	var sdk, raw outageRun
	add := func(to *outageRun, r outageRun) {
		to.conns += r.conns
		to.attempts += r.attempts
		to.lat = append(to.lat, r.lat...)
	}
	if first > 0 {
		add(&sdk, outageSDK(b, 16, first))
		add(&raw, outageRaw(b, 16, first))
	}
	add(&raw, outageRaw(b, 16, second))
	add(&sdk, outageSDK(b, 16, second))
	b.ReportMetric(float64(sdk.conns), "sdk-conns")
	b.ReportMetric(float64(raw.conns), "raw-conns")
	b.ReportMetric(float64(sdk.conns)/float64(max(raw.conns, 1)), "conns-sdk/raw")
	b.ReportMetric(float64(sdk.percentile(0.5).Microseconds()), "sdk-p50-µs")
	b.ReportMetric(float64(raw.percentile(0.5).Microseconds()), "raw-p50-µs")
	b.ReportMetric(float64(sdk.percentile(0.99).Microseconds()), "sdk-p99-µs")
	b.ReportMetric(float64(raw.percentile(0.99).Microseconds()), "raw-p99-µs")
	b.ReportMetric(float64(sdk.percentile(0.5))/float64(raw.percentile(0.5)), "p50-sdk/raw")
	b.ReportMetric(float64(sdk.percentile(0.99))/float64(raw.percentile(0.99)), "p99-sdk/raw")
}
