package sqldedup_test

import (
	"testing"

	"github.com/inexopay/inexopay-go/internal/dedupcheck"
)

// TestConformance runs the contract every webhook DedupStore must keep
// (the same checks as for the in-memory store) against a Store.
func TestConformance(t *testing.T) {
	s, _ := newStore(t, testDB(t))
	dedupcheck.Run(t, s)
}
