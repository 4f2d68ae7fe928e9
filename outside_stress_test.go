package inexopay_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// Many concurrent PAN.Request calls over a pool whose connections the server
// drops at random moments (idle, after the body, after an answer). For each
// order: arrivals <= 1; a success means exactly 1; a plain error (neither
// outcome unknown nor an API answer) means 0 — otherwise the caller, told
// nothing reached the API, would charge again.
func TestOutsideChargeStressRandomDrops(t *testing.T) {
	var mu sync.Mutex
	arrivals := map[string]int{}
	rng := rand.New(rand.NewSource(7))
	var rmu sync.Mutex
	roll := func() int { rmu.Lock(); defer rmu.Unlock(); return rng.Intn(6) }
	s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
		r := roll()
		if r == 0 {
			return false // drop before reading the body
		}
		b, _ := io.ReadAll(req.Body)
		v, _ := url.ParseQuery(string(b))
		o := v.Get("orderid")
		mu.Lock()
		arrivals[o]++
		mu.Unlock()
		switch r {
		case 1:
			return false // drop after the body
		case 2:
			oRST(c)
			return false
		default:
			body := fmt.Sprintf(`{"status_code":200,"status":"SUCCESS","message":"ok","data":{"txid":"1","url":"https://connect.example/p?x=1","number":"9876543210","orderid":%q}}`, o)
			oWrite(c, 200, body, true)
			if r == 3 {
				go func() { time.Sleep(time.Duration(roll()) * time.Millisecond); c.Close() }()
			}
			return true
		}
	})
	for _, kind := range []oTransportKind{oSDKTransport, oOwnTransport, oIdemTransport} {
		c, closeIdle := oMakeClient(t, s.URL(), kind)
		var wg sync.WaitGroup
		type res struct {
			order string
			err   error
		}
		results := make(chan res, 200)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 15; i++ {
					o := fmt.Sprintf("K%dG%dI%d", kind, g, i)
					ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
					_, err := c.PAN.Request(ctx, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: o, Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
					cancel()
					results <- res{o, err}
				}
			}(g)
		}
		wg.Wait()
		close(results)
		closeIdle()
		var nOK, nUnknown, nPlain int
		for r := range results {
			switch {
			case r.err == nil:
				nOK++
			case errors.Is(r.err, inexopay.ErrOutcomeUnknown):
				nUnknown++
			default:
				nPlain++
			}
			mu.Lock()
			a := arrivals[r.order]
			mu.Unlock()
			var ae *inexopay.APIError
			switch {
			case a > 1:
				t.Errorf("FINDING: kind %d %s arrived %d times", kind, r.order, a)
			case r.err == nil && a != 1:
				t.Errorf("FINDING: kind %d %s success but arrived %d", kind, r.order, a)
			case r.err != nil && !errors.Is(r.err, inexopay.ErrOutcomeUnknown) && !errors.As(r.err, &ae) && a != 0:
				t.Errorf("FINDING: kind %d %s: plain error though the body arrived: %v", kind, r.order, r.err)
			}
		}
		t.Logf("kind %d: %d ok, %d outcome unknown, %d plain errors", kind, nOK, nUnknown, nPlain)
	}
	s.Close()
}
