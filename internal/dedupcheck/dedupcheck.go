// Package dedupcheck tests that a webhook DedupStore keeps the contract
// WebhookHandler relies on (claim → complete, or release, with a lease). It
// runs on real time with short leases, so that stores whose clock is a
// database's can be checked the same way as the in-memory one.
package dedupcheck

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/dedup"
)

// Lease is the lease the checks use for claims that must expire; Run
// waits a little longer than it for them to do so.
const Lease = 300 * time.Millisecond

// Key returns a fresh key in the form WebhookHandler gives a store: "v1:"
// and 64 hex digits.
func Key() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "v1:" + hex.EncodeToString(b[:])
}

// Holder returns a fresh holder in the form WebhookHandler uses: 32 hex
// digits.
func Holder() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Run checks store; every check uses keys of its own, so a shared store
// (one database table) may hold other keys.
func Run(t *testing.T, store dedup.Store) {
	t.Helper()
	t.Run("ClaimCompleteRelease", func(t *testing.T) { claimCompleteRelease(t, store) })
	t.Run("LeaseExpiry", func(t *testing.T) { leaseExpiry(t, store) })
	t.Run("ConcurrentClaims", func(t *testing.T) { concurrentClaims(t, store) })
}

func claim(t *testing.T, s dedup.Store, key, holder string, lease time.Duration, want dedup.ClaimResult, why string) {
	t.Helper()
	got, err := s.Claim(context.Background(), key, holder, lease)
	if err != nil {
		t.Fatalf("%s: Claim: %v", why, err)
	}
	if got != want {
		t.Errorf("%s: Claim = %v, want %v", why, got, want)
	}
}

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func claimCompleteRelease(t *testing.T, s dedup.Store) {
	ctx := context.Background()
	key, a, b, c := Key(), Holder(), Holder(), Holder()
	claim(t, s, key, a, time.Minute, dedup.ClaimAcquired, "a new key")
	claim(t, s, key, b, time.Minute, dedup.ClaimBusy, "claimed by another holder")
	must(t, s.Release(ctx, key, b), "Release by a holder that does not hold the key")
	claim(t, s, key, b, time.Minute, dedup.ClaimBusy, "after another holder's Release")
	must(t, s.Release(ctx, key, a), "Release by the holder")
	claim(t, s, key, b, time.Minute, dedup.ClaimAcquired, "after the holder's Release")
	must(t, s.Complete(ctx, key, b), "Complete")
	claim(t, s, key, c, time.Minute, dedup.ClaimDone, "after Complete")
	claim(t, s, key, b, time.Minute, dedup.ClaimDone, "after Complete, by its holder")
	must(t, s.Release(ctx, key, b), "Release of a done key")
	claim(t, s, key, c, time.Minute, dedup.ClaimDone, "Release never removes a done key")
	must(t, s.Release(ctx, Key(), a), "Release of an unknown key")
}

func leaseExpiry(t *testing.T, s dedup.Store) {
	ctx := context.Background()
	key, dead, b, c := Key(), Holder(), Holder(), Holder()
	claim(t, s, key, dead, Lease, dedup.ClaimAcquired, "a new key")
	claim(t, s, key, b, time.Minute, dedup.ClaimBusy, "within the lease")
	time.Sleep(Lease + Lease/2)
	claim(t, s, key, b, time.Minute, dedup.ClaimAcquired, "an expired claim is taken over")
	must(t, s.Release(ctx, key, dead), "Release by the holder whose lease ended")
	claim(t, s, key, c, time.Minute, dedup.ClaimBusy, "the late Release left the new claim alone")
	must(t, s.Complete(ctx, key, dead), "Complete by the holder whose lease ended")
	claim(t, s, key, c, time.Minute, dedup.ClaimDone, "Complete succeeds after the lease ended")

	// Complete without any claim (the claim expired and was cleaned up).
	other := Key()
	must(t, s.Complete(ctx, other, dead), "Complete without a claim")
	claim(t, s, other, c, time.Minute, dedup.ClaimDone, "Complete without a claim records the key")
}

func concurrentClaims(t *testing.T, s dedup.Store) {
	const n = 50
	key := Key()
	var mu sync.Mutex
	results := map[dedup.ClaimResult]int{}
	var errs []error
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			res, err := s.Claim(context.Background(), key, Holder(), time.Minute)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			results[res]++
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Claim: %v", err)
	}
	if results[dedup.ClaimAcquired] != 1 || results[dedup.ClaimBusy] != n-1 {
		t.Errorf("%d concurrent claims of one key: %v, want exactly one ClaimAcquired", n, results)
	}
}
