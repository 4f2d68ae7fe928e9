package inexopay

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// relRepeat is an endless reader of one byte, so that a test can stream a
// huge answer without allocating it.
type relRepeat byte

func (r relRepeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// relHuge streams a 50 MiB JSON answer, with or without Content-Length.
func relHuge(declareLength bool) func(int, http.ResponseWriter, *http.Request) {
	const size = 50 << 20
	head, tail := `{"status":"SUCCESS","error_code":200,"username":"`, `"}`
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if declareLength {
			w.Header().Set("Content-Length", strconv.Itoa(size))
		}
		_, _ = io.WriteString(w, head)
		// The client hangs up after its limit, which ends this copy.
		_, _ = io.CopyN(w, relRepeat('a'), int64(size-len(head)-len(tail)))
		_, _ = io.WriteString(w, tail)
	}
}

func TestHugeAnswerIsAnErrorNotAnAllocation(t *testing.T) {
	for _, declared := range []bool{false, true} {
		t.Run(fmt.Sprintf("content-length=%v", declared), func(t *testing.T) {
			srv := newRelServer(t, relHuge(declared))
			c := relClient(t, srv.URL)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b, err := c.Account.Balance(context.Background())
			runtime.ReadMemStats(&after)
			assert.Nil(t, b)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrServer)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 200, ae.HTTPStatus)
			assert.Equal(t, fmt.Sprintf("answer larger than %d bytes", defaultMaxResponseBytes), ae.Message)
			assert.Equal(t, 1, srv.count(), "a 200 answer is not retried")
			allocated := after.TotalAlloc - before.TotalAlloc
			assert.Less(t, allocated, uint64(16<<20), "the client read at most its limit, not 50 MiB")
		})
	}
}

// A charging call whose answer is too large did reach the API: its outcome
// is unknown, exactly as for an answer that is not JSON.
func TestHugeAnswerOnChargingCall(t *testing.T) {
	srv := newRelServer(t, relHuge(false))
	c := relClient(t, srv.URL)
	_, err := c.PAN.Request(context.Background(), &PANRequestParams{Mobile: "9876543210", OrderID: "ORDBIG", Mode: PANModeEKYC, Type: PANTypeNew})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, ErrServer)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORDBIG", ou.OrderID)
	assert.Equal(t, 1, srv.count())
}

func TestWithMaxResponseBytes(t *testing.T) {
	const limit = 128
	body := relSuccess[EndpointAccountBalance]
	require.Less(t, len(body), limit)
	exact := body + strings.Repeat(" ", limit-len(body))
	srv := newRelServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			relRespond(w, http.StatusOK, exact)
			return
		}
		relRespond(w, http.StatusOK, exact+" ")
	})
	c := relClient(t, srv.URL, WithMaxResponseBytes(limit))
	b, err := c.Account.Balance(context.Background())
	require.NoError(t, err, "an answer of exactly the limit is read")
	assert.Equal(t, Amount(125050), b.Amount)
	_, err = c.Account.Balance(context.Background())
	assert.ErrorIs(t, err, ErrServer, "one byte more is an error")

	for _, n := range []int64{0, -1} {
		_, err := NewClient(BodyAuth(relAPIKey, relUsername), WithMaxResponseBytes(n))
		assert.ErrorIs(t, err, ErrInvalidParams)
	}
}

func TestSequentialCallsReuseConnections(t *testing.T) {
	failures := []struct {
		status int
		body   string
	}{
		{200, `{"status_code":400,"status":"FAILED","message":"Error description"}`},
		{400, `{"status":false,"message":"Agent not verified"}`},
		{404, `{"status":false,"message":"Record Not Found","data":{"response":"Record Not Found","respcode":"99"}}`},
		{502, `<html><body>502 Bad Gateway</body></html>`},
		{200, `{"status":"SUCCESS","error_code":200,"balance":"` + strings.Repeat("9", 64<<10) + `"}`},
	}
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		e := relEndpointOf(r.URL.Path)
		switch {
		case n%3 == 0:
			f := failures[(n/3)%len(failures)]
			relRespond(w, f.status, f.body)
		case n%5 == 0 && !endpoints[e].Charging:
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable) // retried
		default:
			relRespond(w, http.StatusOK, relSuccess[e])
		}
	})
	c := relClient(t, srv.URL)
	calls := relCalls()
	for i := 0; i < 200; i++ {
		rc := calls[i%len(calls)]
		_, _ = rc.call(context.Background(), c)
	}
	assert.GreaterOrEqual(t, srv.count(), 200)
	assert.LessOrEqual(t, srv.newConns.Load(), int64(2), "bodies are read and closed, so one connection serves every call")
}

func TestConcurrentUseOfOneClient(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if !assert.NoError(t, r.ParseForm()) {
			return
		}
		f := r.PostForm
		switch relEndpointOf(r.URL.Path) {
		case EndpointPaymentStatus:
			relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"`+f.Get("order_id")+`","amount":"1.00","status":"pending"}}`)
		case EndpointPANStatus:
			relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","order_id":"`+f.Get("orderid")+`","data":{"status":"Success"}}`)
		case EndpointBankAccountDetails:
			relRespond(w, http.StatusOK, `{"status":true,"message":"Success","data":{"id":1,"txn_id":"`+f.Get("txn_id")+`"}}`)
		case EndpointGenerateQR:
			relRespond(w, http.StatusOK, `{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL`+f.Get("amount")+`","amount":"`+f.Get("amount")+`","qr_url":"https://qr.example/q.png"}}`)
		default:
			relRespond(w, http.StatusNotFound, `{}`)
		}
	})
	logs := &relSyncBuffer{}
	c := relClient(t, srv.URL, WithLogger(relDebugLogger(logs)))
	const workers = 100
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := context.Background()
			id := fmt.Sprintf("ORD%03d", i)
			p, err := c.Wallet.PaymentStatus(ctx, id)
			if err != nil || p.OrderID != id {
				errs <- fmt.Errorf("worker %d: payment %+v, %v", i, p, err)
				return
			}
			s, err := c.PAN.Status(ctx, id)
			if err != nil || s.OrderID != id || s.Status != StatusSuccess {
				errs <- fmt.Errorf("worker %d: pan %+v, %v", i, s, err)
				return
			}
			a, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: id})
			if err != nil || a.TxnID != id {
				errs <- fmt.Errorf("worker %d: account %+v, %v", i, a, err)
				return
			}
			q, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(int64(i + 1))})
			if err != nil || q.Amount != Rupees(int64(i+1)) || q.OrderID != fmt.Sprintf("WAL%d", i+1) {
				errs <- fmt.Errorf("worker %d: qr %+v, %v", i, q, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 4*workers, srv.count())
	assert.Equal(t, 4*workers, strings.Count(logs.String(), `"msg":"inexopay call"`))
}

func TestNoGoroutineLeftBehind(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := newRelServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n % 4 {
		case 0:
			relDrop(t, w)
		case 1:
			relRespond(w, http.StatusServiceUnavailable, relServiceUnavailable)
		case 2:
			relBlock(r)
		default:
			relRespond(w, http.StatusOK, relSuccess[relEndpointOf(r.URL.Path)])
		}
	})
	c := relClient(t, srv.URL)
	for _, rc := range relCalls() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		_, _ = rc.call(ctx, c)
		cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = c.Account.Status(ctx)
	srv.Close() // closes the server side; the client's read loops then end
}

func TestPlainHTTPRefusedUnlessLoopbackOrOptedIn(t *testing.T) {
	refused := []string{
		"http://secure.inexopay.in",
		"http://panel.inexopay.in",
		"HTTP://panel.inexopay.in",
		"http://10.0.0.1:8080",
		"http://0.0.0.0:8080",
		"http://localhost.example.com",
		"http://127.0.0.1.nip.io",
		"http://[fe80::1]",
	}
	for _, base := range refused {
		c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base))
		assert.Nil(t, c, base)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, base)
		assert.Equal(t, "baseURL", ve.Field)
		assert.ErrorIs(t, err, ErrInvalidParams)

		// The explicit opt-in accepts it, in either option order.
		for _, opts := range [][]Option{{WithBaseURL(base), WithInsecureHTTP()}, {WithInsecureHTTP(), WithBaseURL(base)}} {
			c, err := NewClient(BodyAuth(relAPIKey, relUsername), opts...)
			require.NoError(t, err, base)
			assert.True(t, strings.HasPrefix(c.urls[EndpointPANRequest], "http://"), base)
		}
	}
	allowed := []string{
		"http://127.0.0.1:8080", "http://127.0.0.2", "http://localhost:9000", "http://LOCALHOST", "http://[::1]:8080",
		"https://secure.inexopay.in", "https://mail.inexopay.in/", "https://10.0.0.1",
	}
	for _, base := range allowed {
		c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base))
		require.NoError(t, err, base)
		assert.Equal(t, strings.TrimRight(base, "/")+"/api/nsdl-pan/v1/request_pan.php", c.urls[EndpointPANRequest])
	}
	for _, base := range []string{"ftp://secure.inexopay.in", "secure.inexopay.in", "https://user:pw@secure.inexopay.in", "https://secure.inexopay.in?x=1"} {
		_, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base), WithInsecureHTTP())
		assert.ErrorIs(t, err, ErrInvalidParams, base)
	}
}

// TestParallelCallsReuseConnections: 64 goroutines sharing one Client reuse
// their connections instead of opening new ones once the transport's idle
// pool is full (Go's default keeps only 2 idle connections per host).
func TestParallelCallsReuseConnections(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountStatus])
	})
	c := relClient(t, srv.URL)
	const workers, rounds = 64, 20
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < rounds; j++ {
				if _, err := c.Account.Status(context.Background()); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
	assert.Equal(t, workers*rounds, srv.count())
	// At start-up the transport may dial for a request that then takes a
	// connection freed meanwhile, so a few more than 64 can be opened; an
	// idle limit below 64 makes it hundreds (617 with Go's default of 2).
	assert.LessOrEqual(t, srv.newConns.Load(), int64(2*workers),
		"connections are reused across %d calls", workers*rounds)
}
