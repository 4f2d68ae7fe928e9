package inexopay_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
)

// More ways an answer goes wrong after the body was read.
func TestOutsideChargeBrokenAnswers(t *testing.T) {
	modes := map[string]string{
		"partial-headers":  "HTTP/1.1 200 OK\r\nContent-Ty",
		"partial-status":   "HTTP/1.",
		"binary-garbage":   "\x15\x03\x01\x00\x02\x02\x28",
		"http09":           "{\"status\":true}",
		"bad-content-len":  "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}",
		"two-content-len":  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
		"chunked-broken":   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"unsolicited-100":  "HTTP/1.1 100 Continue\r\n\r\n",
		"early-hints-only": "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n",
		"204-no-body":      "HTTP/1.1 204 No Content\r\n\r\n",
		"200-empty":        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
		"200-null":         "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnull",
		"200-array":        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
		"200-true-string":  "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"status\":\"true\"}",
	}
	for mname, ans := range modes {
		for _, ch := range oCharges() {
			s := oNewRaw(t, func(s *oRaw, n int, c net.Conn, br *bufio.Reader, req *http.Request) bool {
				s.readBody(req)
				_, _ = c.Write([]byte(ans))
				return false
			})
			c := oClientHC(t, s.URL(), nil)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			err := ch.call(ctx, c)
			cancel()
			s.Close()
			tag := mname + "/" + ch.name
			if s.charges.Load() != 1 {
				t.Errorf("FINDING: %s: charge arrived %d times", tag, s.charges.Load())
			}
			if err == nil {
				t.Errorf("FINDING: %s: success claimed", tag)
				continue
			}
			var ae *inexopay.APIError
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) && !errors.As(err, &ae) {
				t.Errorf("%s: neither outcome unknown nor API error: %v", tag, err)
			}
			if !errors.Is(err, inexopay.ErrOutcomeUnknown) {
				t.Logf("%s: not outcome unknown: %v", tag, err)
			}
		}
	}
}

// Keys and holders given to a store have the documented form, and two
// handlers (replicas) derive the same key for one change.
type oRecStore struct {
	mu      sync.Mutex
	keys    []string
	holders []string
	inner   *inexopay.MemoryDedupStore
}

func (s *oRecStore) Claim(ctx context.Context, k, h string, l time.Duration) (inexopay.ClaimResult, error) {
	s.mu.Lock()
	s.keys = append(s.keys, k)
	s.holders = append(s.holders, h)
	s.mu.Unlock()
	return s.inner.Claim(ctx, k, h, l)
}
func (s *oRecStore) Complete(ctx context.Context, k, h string) error {
	return s.inner.Complete(ctx, k, h)
}
func (s *oRecStore) Release(ctx context.Context, k, h string) error {
	return s.inner.Release(ctx, k, h)
}

func TestOutsideWebhookKeyForm(t *testing.T) {
	a := &oRecStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	b := &oRecStore{inner: inexopay.NewMemoryDedupStore(0, 0)}
	ha := inexopay.WebhookHandler(nil, inexopay.WithWebhookDedup(a))
	hb := inexopay.WebhookHandler(nil, inexopay.WithWebhookDedup(b))
	outsidePost(ha, outsideForm("ORDK", "success", "2024-05-01 10:00:00"))
	outsidePost(hb, outsideForm("ORDK", "SUCCESS", "2024-05-01 10:00:00"))
	outsidePost(ha, outsideForm("ORDK", "success", "2024-05-01 10:00:00"))
	kre := regexp.MustCompile(`^v1:[0-9a-f]{64}$`)
	hre := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, k := range append(a.keys, b.keys...) {
		if !kre.MatchString(k) {
			t.Errorf("key %q", k)
		}
	}
	for _, h := range append(a.holders, b.holders...) {
		if !hre.MatchString(h) {
			t.Errorf("holder %q", h)
		}
	}
	if len(a.keys) < 1 || len(b.keys) < 1 || a.keys[0] != b.keys[0] {
		t.Errorf("replicas disagree on the key: %v %v", a.keys, b.keys)
	}
	if len(a.holders) == 2 && a.holders[0] == a.holders[1] {
		t.Errorf("holder reused across deliveries")
	}
	_ = fmt.Sprint
}
