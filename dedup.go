package inexopay

import (
	"time"

	"github.com/inexopay/inexopay-go/internal/dedup"
)

// ClaimResult says what [DedupStore].Claim found: [ClaimAcquired] (the caller holds the claim),
// [ClaimBusy] (another holder's lease runs) or [ClaimDone] (handled already).
type ClaimResult = dedup.ClaimResult

// The results of DedupStore.Claim.
const (
	ClaimAcquired = dedup.ClaimAcquired
	ClaimBusy     = dedup.ClaimBusy
	ClaimDone     = dedup.ClaimDone
)

// DedupStore records which webhook events were handled (claim, callback, complete), across
// processes if shared; a Claim error makes [WebhookHandler] answer 503.
type DedupStore = dedup.Store

// ErrDedupStoreFull is returned by [MemoryDedupStore].Claim when unexpired claims fill its budget;
// the handler answers 503.
var ErrDedupStoreFull = dedup.ErrFull

// MemoryDedupStore is a bounded in-process [DedupStore], safe for concurrent use; when full it
// refuses new claims with [ErrDedupStoreFull].
type MemoryDedupStore = dedup.MemoryStore

// NewMemoryDedupStore returns a store that keeps done records for retention (24h when <= 0; choose
// more than INEXOPAY's retries of an event take) in at most maxBytes (64 MiB, about 250,000 events,
// when <= 0).
func NewMemoryDedupStore(retention time.Duration, maxBytes int64) *MemoryDedupStore {
	return dedup.NewMemoryStore(retention, maxBytes)
}
