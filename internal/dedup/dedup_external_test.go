package dedup_test

import (
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/dedup"
	"github.com/inexopay/inexopay-go/internal/dedupcheck"
)

// The in-memory store keeps the Store contract that every store (such as
// sqldedup's) is checked against.
func TestMemoryStoreContract(t *testing.T) {
	dedupcheck.Run(t, dedup.NewMemoryStore(time.Hour, 0))
}
