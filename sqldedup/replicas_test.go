package sqldedup_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
)

// replica is one process of a service: its own *sql.DB pool, its own Store
// and its own WebhookHandler behind its own HTTP server.
type replica struct {
	db  *sql.DB
	srv *httptest.Server
}

// startReplicas starts n replicas sharing table, each calling fn with its
// index; everything is closed when t ends (servers first, then pools).
func startReplicas(t *testing.T, n int, table string, lease time.Duration, fn func(ctx context.Context, replica int, ev *inexopay.WebhookEvent) error) []*replica {
	t.Helper()
	rs := make([]*replica, n)
	for i := range rs {
		db := testDB(t) // closed after the server below: cleanups run last-in first-out
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20) // database/sql keeps 2 by default: the others would be closed and dialled again
		store, err := sqldedup.New(testCtx(t), db, sqldedup.WithTable(table))
		require.NoError(t, err)
		h := inexopay.WebhookHandler(func(ctx context.Context, ev *inexopay.WebhookEvent) error {
			return fn(ctx, i, ev)
		}, inexopay.WithWebhookDedup(store), inexopay.WithWebhookLease(lease))
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close) // waits for handlers still running
		rs[i] = &replica{db: db, srv: srv}
	}
	return rs
}

// webhookBody is the form INEXOPAY posts for event i.
func webhookBody(i int) string {
	return url.Values{
		"orderid":       {fmt.Sprintf("ORD%06d", i)},
		"status":        {"SUCCESS"},
		"remark":        {"Transaction Successful"},
		"datetime":      {"2026-11-25 10:00:00"},
		"callback_type": {string(inexopay.CallbackGlobal)},
	}.Encode()
}

// delivery is what the sender saw of one copy of an event.
type delivery struct {
	attempts int
	statuses []int // 0 for a timeout or connection error
	ok       bool
	at       time.Time // when the 2xx came
}

// sender posts webhooks as INEXOPAY does: a client timeout, and a retry of
// any non-2xx answer or timeout, up to 10 retries with growing waits. It
// ignores Retry-After (the handler's is 5 s) to keep the tests short.
type sender struct {
	client  *http.Client
	backoff func(retry int) time.Duration
}

func (s *sender) deliver(ctx context.Context, target string, body string) delivery {
	var d delivery
	for retry := 0; retry <= 10; retry++ {
		if retry > 0 {
			select {
			case <-time.After(s.backoff(retry)):
			case <-ctx.Done():
				return d
			}
		}
		d.attempts++
		status := s.post(ctx, target, body)
		d.statuses = append(d.statuses, status)
		if status >= 200 && status < 300 {
			d.ok, d.at = true, time.Now()
			return d
		}
	}
	return d
}

func (s *sender) post(ctx context.Context, target, body string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", inexopay.WebhookSource)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0 // timeout or connection error: retried
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// eventLog counts, per event, the callback's runs, its successes and how
// many runs overlapped.
type eventLog struct {
	mu         sync.Mutex
	runs       map[string]int
	successes  map[string]int
	running    map[string]int
	overlapped map[string]int
	handledBy  map[string]int
}

func newEventLog() *eventLog {
	return &eventLog{runs: map[string]int{}, successes: map[string]int{}, running: map[string]int{}, overlapped: map[string]int{}, handledBy: map[string]int{}}
}

// start records a run of the callback for id and returns its number (1 for
// the first run across all replicas).
func (l *eventLog) start(id string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs[id]++
	l.running[id]++
	if l.running[id] > 1 {
		l.overlapped[id]++
	}
	return l.runs[id]
}

func (l *eventLog) end(id string, replica int, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running[id]--
	if err == nil {
		l.successes[id]++
		l.handledBy[id] = replica
	}
}

// TestThreeReplicasHandleEachEventOnce is the guarantee of the package:
// three replicas, each with its own pool, share one table; a sender delivers
// every event to every replica, three times each, all at once, with a client
// timeout shorter than the slow callbacks and up to 10 retries on any
// non-2xx or timeout. A fifth of the callbacks fail on their first run, a
// fifth panic, a fifth are slow (beyond the sender's timeout) and succeed,
// a fifth are slow and then fail. Every event is handled exactly once,
// never by two callbacks at the same time, and every delivery ends in a 2xx
// answer: nothing is lost.
func TestThreeReplicasHandleEachEventOnce(t *testing.T) {
	const (
		events   = 30
		copies   = 3
		slow     = 700 * time.Millisecond
		timeout  = 300 * time.Millisecond
		replicas = 3
	)
	db := testDB(t)
	table := newTable(t, db)
	log := newEventLog()
	rs := startReplicas(t, replicas, table, 30*time.Second, func(_ context.Context, r int, ev *inexopay.WebhookEvent) (err error) {
		run := log.start(ev.OrderID)
		defer func() { log.end(ev.OrderID, r, err) }()
		var i int
		_, _ = fmt.Sscanf(ev.OrderID, "ORD%d", &i)
		switch i % 5 {
		case 0:
			if run == 1 {
				return errors.New("first run fails")
			}
		case 1:
			if run == 1 {
				err = errors.New("panicked") // what the deferred log sees
				panic("first run panics")
			}
		case 2:
			time.Sleep(slow)
		case 3:
			time.Sleep(slow)
			if run == 1 {
				return errors.New("slow, then fails")
			}
		}
		return nil
	})

	snd := &sender{
		client: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		backoff: func(retry int) time.Duration {
			d := min(50*time.Millisecond<<retry, 1600*time.Millisecond)
			return d/2 + rand.N(d) // jittered, as senders do
		},
	}
	defer snd.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	type result struct {
		event int
		d     delivery
	}
	results := make(chan result, events*replicas*copies)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range events {
		for _, r := range rs {
			for range copies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results <- result{i, snd.deliver(ctx, r.srv.URL, webhookBody(i))}
				}()
			}
		}
	}
	close(start)
	wg.Wait()
	close(results)
	require.NoError(t, ctx.Err(), "the deliveries took longer than the test allows")

	var total, non2xx, timeouts int
	for res := range results {
		assert.True(t, res.d.ok, "event %d: a delivery never got a 2xx in %d attempts: %v", res.event, res.d.attempts, res.d.statuses)
		total += res.d.attempts
		for _, s := range res.d.statuses {
			switch {
			case s == 0:
				timeouts++
			case s >= 300:
				non2xx++
			}
		}
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	perReplica := make([]int, replicas)
	for i := range events {
		id := fmt.Sprintf("ORD%06d", i)
		assert.Equal(t, 1, log.successes[id], "%s handled %d times", id, log.successes[id])
		assert.Zero(t, log.overlapped[id], "%s: callbacks ran at the same time", id)
		wantRuns := 1
		if i%5 <= 1 || i%5 == 3 {
			wantRuns = 2 // the failed first run, then the one that succeeded
		}
		assert.Equal(t, wantRuns, log.runs[id], "%s runs", id)
		perReplica[log.handledBy[id]]++
	}
	var done int
	require.NoError(t, db.QueryRowContext(testCtx(t), `SELECT count(*) FROM "`+table+`" WHERE done`).Scan(&done))
	assert.Equal(t, events, done, "done records")
	// The test proves something only if the hard cases happened.
	assert.Positive(t, timeouts, "no delivery timed out")
	assert.Positive(t, non2xx, "no delivery was refused")
	t.Logf("%d deliveries, %d attempts (%d timeouts, %d non-2xx); events handled per replica: %v",
		events*replicas*copies, total, timeouts, non2xx, perReplica)
}

// TestReplicaDiesMidCallback: a replica takes an event's claim and dies in
// the callback (it never completes nor releases: its pool is closed under
// it). The other replicas answer the sender's retries 503 while the lease
// runs, and once it has ended one of them handles the event, exactly once.
func TestReplicaDiesMidCallback(t *testing.T) {
	const lease = 1500 * time.Millisecond
	db := testDB(t)
	table := newTable(t, db)
	log := newEventLog()
	started := make(chan time.Time, 1)
	unblock := make(chan struct{})
	var unblockOnce sync.Once
	release := func() { unblockOnce.Do(func() { close(unblock) }) }
	rs := startReplicas(t, 3, table, lease, func(_ context.Context, r int, ev *inexopay.WebhookEvent) (err error) {
		if r == 0 {
			started <- time.Now()
			<-unblock // hangs, ignoring its context, until the test ends
			return errors.New("the process is gone")
		}
		log.start(ev.OrderID)
		defer func() { log.end(ev.OrderID, r, err) }()
		return nil
	})
	t.Cleanup(release) // before the servers close (cleanups run last-in first-out)

	snd := &sender{
		client:  &http.Client{Timeout: 200 * time.Millisecond, Transport: &http.Transport{}},
		backoff: func(retry int) time.Duration { return min(100*time.Millisecond<<retry, 800*time.Millisecond) },
	}
	defer snd.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The first delivery reaches replica 0, which claims the event and hangs.
	first := snd.post(ctx, rs[0].srv.URL, webhookBody(7))
	assert.Zero(t, first, "replica 0 should not answer")
	var claimedAt time.Time
	select {
	case claimedAt = <-started:
	case <-ctx.Done():
		t.Fatal("replica 0's callback never started")
	}
	// Replica 0 dies: no store call of it will ever succeed again.
	require.NoError(t, rs[0].db.Close())
	rs[0].srv.CloseClientConnections()

	// The sender's retries go to the two live replicas.
	var wg sync.WaitGroup
	results := make([]delivery, 2)
	for i, r := range rs[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = snd.deliver(ctx, r.srv.URL, webhookBody(7))
		}()
	}
	wg.Wait()

	id := fmt.Sprintf("ORD%06d", 7)
	log.mu.Lock()
	assert.Equal(t, 1, log.successes[id], "handled once by a live replica")
	assert.Equal(t, 1, log.runs[id])
	log.mu.Unlock()
	var handledAt time.Time
	var busy int
	for i, d := range results {
		require.True(t, d.ok, "delivery to replica %d: %v", i+1, d.statuses)
		if handledAt.IsZero() || d.at.Before(handledAt) {
			handledAt = d.at
		}
		for _, s := range d.statuses {
			if s == http.StatusServiceUnavailable {
				busy++
			}
		}
	}
	assert.Positive(t, busy, "no delivery was answered 503 while the lease ran")
	waited := handledAt.Sub(claimedAt)
	assert.GreaterOrEqual(t, waited, lease-100*time.Millisecond, "taken over before the lease ended")
	assert.Less(t, waited, lease+3*time.Second, "not taken over soon after the lease ended")

	// The dead replica's callback returns at last; its release fails (its
	// pool is closed) and nothing changes: the event stays done.
	release()
	rs[0].srv.Close()
	rec, ok := readRecord(t, db, table, webhookKeyOf(t, db, table))
	require.True(t, ok)
	assert.True(t, rec.done)
}

// webhookKeyOf returns the only key in table (the handler's key format is
// its own business).
func webhookKeyOf(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var key string
	require.NoError(t, db.QueryRowContext(testCtx(t), `SELECT key FROM "`+table+`"`).Scan(&key))
	return key
}
