package inexopay

import (
	"time"

	"github.com/inexopay/inexopay-go/internal/dedup"
)

// ClaimResult says what [DedupStore].Claim found. See docs/outcomes.md.
type ClaimResult = dedup.ClaimResult

// The results of DedupStore.Claim.
const (
	ClaimAcquired = dedup.ClaimAcquired
	ClaimBusy     = dedup.ClaimBusy
	ClaimDone     = dedup.ClaimDone
)

// DedupStore records handled webhook events; a Claim error answers 503.
type DedupStore = dedup.Store

// ErrDedupStoreFull is returned when a full [MemoryDedupStore] refuses a claim (503).
var ErrDedupStoreFull = dedup.ErrFull

// MemoryDedupStore is a bounded in-process [DedupStore].
type MemoryDedupStore = dedup.MemoryStore

// NewMemoryDedupStore returns a store (24h, 64 MiB when <= 0).
func NewMemoryDedupStore(retention time.Duration, maxBytes int64) *MemoryDedupStore {
	return dedup.NewMemoryStore(retention, maxBytes)
}
