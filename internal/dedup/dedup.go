// Package dedup holds the webhook dedup contract (Store, ClaimResult) and
// its bounded in-memory implementation, MemoryStore.
package dedup

import (
	"container/list"
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// ClaimResult says what Store.Claim found.
type ClaimResult int

const (
	// ClaimAcquired says the caller now holds the claim until Complete, Release or the lease ends.
	ClaimAcquired ClaimResult = iota + 1
	// ClaimBusy says another holder's claim has not expired yet; answer the sender non-2xx with Retry-After.
	ClaimBusy
	// ClaimDone says the event was handled already; answer 200.
	ClaimDone
)

// String returns the name of r, such as "ClaimAcquired".
func (r ClaimResult) String() string {
	switch r {
	case ClaimAcquired:
		return "ClaimAcquired"
	case ClaimBusy:
		return "ClaimBusy"
	case ClaimDone:
		return "ClaimDone"
	}
	return "ClaimResult(invalid)"
}

// Store records which webhook events were handled (claim → callback →
// complete), across processes if shared. It must be safe for concurrent use
// and give a key's claim to exactly one holder at a time. WebhookHandler
// passes keys "v1:" + 64 hex digits, holders of 32 hex digits and contexts
// that outlive the request; a Claim error makes it answer 503, a Complete
// or Release error is logged.
type Store interface {
	// Claim takes key for holder for lease, unless key is done or claimed by another holder whose lease has not ended. An expired claim of another holder is taken over.
	Claim(ctx context.Context, key, holder string, lease time.Duration) (ClaimResult, error)
	// Complete marks key done (and keeps it for the store's retention); it succeeds even when holder's lease had ended, since the callback did run.
	Complete(ctx context.Context, key, holder string) error
	// Release drops holder's claim so that a retry can claim key again; it never removes a done key or another holder's claim.
	Release(ctx context.Context, key, holder string) error
}

// ErrFull is returned by [MemoryStore.Claim] when unexpired
// claims fill its budget; the handler answers 503.
var ErrFull = errors.New("inexopay: dedup store full of unexpired claims")

// Defaults of [NewMemoryStore].
const (
	defaultRetention = 24 * time.Hour
	defaultMaxBytes  = 64 << 20
	// dedupEntryOverhead is what one record costs besides its key and
	// holder: the map slot, the record, its list element and string
	// headers, rounded up.
	dedupEntryOverhead = 192
)

// MemoryStore is an in-process [Store], safe for concurrent use;
// replicas need a shared store (package sqldedup). Its memory is bounded:
// when full it drops expired records, then the oldest done ones (their
// retries run again), never unexpired claims ([ErrFull]).
type MemoryStore struct {
	mu        sync.Mutex
	retention time.Duration
	maxBytes  int64
	bytes     int64
	entries   map[string]*dedupEntry
	// claims holds the claimed records in the order they were claimed;
	// done holds the done records in the order they were completed, so
	// the oldest (and first to expire) is at the front.
	claims, done list.List
	now          func() time.Time
}

type dedupEntry struct {
	key    string
	holder string // empty once done
	// until is when the lease ends (claimed) or the retention ends (done).
	until time.Time
	elem  *list.Element
}

func (e *dedupEntry) cost() int64 {
	return int64(len(e.key)+len(e.holder)) + dedupEntryOverhead
}

// NewMemoryStore returns a store that keeps done records for retention
// (24h when <= 0; choose more than INEXOPAY's retries of an event take) in
// at most maxBytes (64 MiB, about 250,000 events, when <= 0).
func NewMemoryStore(retention time.Duration, maxBytes int64) *MemoryStore {
	if retention <= 0 {
		retention = defaultRetention
	}
	if maxBytes <= 0 {
		maxBytes = defaultMaxBytes
	}
	return &MemoryStore{retention: retention, maxBytes: maxBytes, entries: map[string]*dedupEntry{}, now: time.Now}
}

// Claim implements [Store]; a lease <= 0 counts as one minute. It
// fails only with [ErrFull].
func (s *MemoryStore) Claim(_ context.Context, key, holder string, lease time.Duration) (ClaimResult, error) {
	if lease <= 0 {
		lease = time.Minute
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.dropExpiredLocked(now)
	if e, ok := s.entries[key]; ok && now.Before(e.until) {
		switch {
		case e.holder == "":
			return ClaimDone, nil
		case e.holder != holder:
			return ClaimBusy, nil
		}
	}
	if e, ok := s.entries[key]; ok {
		// Expired, or claimed again by its own holder: take it over.
		s.removeLocked(e)
	}
	e := &dedupEntry{key: strings.Clone(key), holder: strings.Clone(holder), until: now.Add(lease)}
	if !s.makeRoomLocked(now, e.cost()) {
		return 0, ErrFull
	}
	s.insertLocked(e, &s.claims)
	return ClaimAcquired, nil
}

// Complete implements [Store]; it never fails.
func (s *MemoryStore) Complete(_ context.Context, key, holder string) error {
	_ = holder // done is done, whoever ran the callback
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if e, ok := s.entries[key]; ok {
		s.removeLocked(e)
	}
	e := &dedupEntry{key: strings.Clone(key), until: now.Add(s.retention)}
	// Room is always found: done records can be dropped, and the record
	// is more useful than the oldest one.
	s.makeRoomLocked(now, e.cost())
	s.insertLocked(e, &s.done)
	return nil
}

// Release implements [Store]; it never fails.
func (s *MemoryStore) Release(_ context.Context, key, holder string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && e.holder != "" && e.holder == holder {
		s.removeLocked(e)
	}
	return nil
}

// insertLocked adds e at the back of l.
func (s *MemoryStore) insertLocked(e *dedupEntry, l *list.List) {
	e.elem = l.PushBack(e)
	s.entries[e.key] = e
	s.bytes += e.cost()
}

// removeLocked drops e from the map and from its list.
func (s *MemoryStore) removeLocked(e *dedupEntry) {
	if e.holder == "" {
		s.done.Remove(e.elem)
	} else {
		s.claims.Remove(e.elem)
	}
	delete(s.entries, e.key)
	s.bytes -= e.cost()
}

// dropExpiredLocked drops the expired records at the front of both lists;
// done records expire in list order, claims nearly so (leases may differ),
// so this costs a constant amount per call on average.
func (s *MemoryStore) dropExpiredLocked(now time.Time) {
	for _, l := range []*list.List{&s.done, &s.claims} {
		for f := l.Front(); f != nil; f = l.Front() {
			e := f.Value.(*dedupEntry)
			if now.Before(e.until) {
				break
			}
			s.removeLocked(e)
		}
	}
}

// makeRoomLocked drops records until need more bytes fit in the budget:
// every expired claim, then the oldest done records. It reports whether
// the room was found; claims whose lease has not ended are never dropped.
func (s *MemoryStore) makeRoomLocked(now time.Time, need int64) bool {
	if s.bytes+need <= s.maxBytes {
		return true
	}
	for f := s.claims.Front(); f != nil; {
		next := f.Next()
		if e := f.Value.(*dedupEntry); !now.Before(e.until) {
			s.removeLocked(e)
		}
		f = next
	}
	for s.bytes+need > s.maxBytes {
		f := s.done.Front()
		if f == nil {
			return false
		}
		s.removeLocked(f.Value.(*dedupEntry))
	}
	return true
}

// size returns the number of records and the bytes they count for.
func (s *MemoryStore) size() (n int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries), s.bytes
}
