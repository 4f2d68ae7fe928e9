package sqldedup_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go"
)

// BenchmarkClaim measures claims per second from 64 goroutines against the
// in-memory store and against PostgreSQL (one pool of 64 connections), in
// the same run: "new" claims a key nobody has seen and completes it (what a
// replica does for the first delivery of an event: an INSERT and an UPDATE),
// "done" claims a key already completed (INEXOPAY's copies and retries of a
// handled event: no row written). claims/s counts the Claim calls.
func BenchmarkClaim(b *testing.B) {
	par := (64 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	stores := []struct {
		name string
		open func(b *testing.B) inexopay.DedupStore
	}{
		{"memory", func(*testing.B) inexopay.DedupStore { return inexopay.NewMemoryDedupStore(0, 0) }},
		{"postgres", func(b *testing.B) inexopay.DedupStore {
			db := testDB(b)
			db.SetMaxOpenConns(64)
			db.SetMaxIdleConns(64)
			s, _ := newStore(b, db)
			return s
		}},
	}
	for _, kind := range []string{"new", "done"} {
		for _, st := range stores {
			b.Run(st.name+"/"+kind, func(b *testing.B) {
				s := st.open(b)
				ctx := context.Background()
				const doneKeys = 1024
				if kind == "done" {
					for i := range doneKeys {
						if err := s.Complete(ctx, fmt.Sprintf("done-%d", i), "h"); err != nil {
							b.Fatal(err)
						}
					}
				}
				run := randomHex(4)
				var seq atomic.Int64
				want := inexopay.ClaimAcquired
				if kind == "done" {
					want = inexopay.ClaimDone
				}
				b.SetParallelism(par)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					g := seq.Add(1)
					holder := fmt.Sprintf("%s-%d", run, g)
					for i := 0; pb.Next(); i++ {
						key := fmt.Sprintf("new-%s-%d-%d", run, g, i)
						if kind == "done" {
							key = fmt.Sprintf("done-%d", rand.IntN(doneKeys))
						}
						res, err := s.Claim(ctx, key, holder, time.Minute)
						if err != nil || res != want {
							b.Errorf("Claim = %v, %v; want %v", res, err, want)
							return
						}
						if kind == "new" {
							if err := s.Complete(ctx, key, holder); err != nil {
								b.Error(err)
								return
							}
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
			})
		}
	}
}
