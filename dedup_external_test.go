package inexopay_test

import (
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/dedupcheck"
)

// ---- The DedupStore conformance suite ----

// The in-memory store keeps the DedupStore contract that every store (such
// as sqldedup's) is checked against.
func TestMemoryDedupStoreContract(t *testing.T) {
	dedupcheck.Run(t, inexopay.NewMemoryDedupStore(time.Hour, 0))
}
