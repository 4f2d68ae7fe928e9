package sqldedup

// SetGrouping sets how many Claim and how many Complete statements s runs
// at once and how many keys one of them holds, for tests that make calls
// queue.
func SetGrouping(s *Store, flushers, batch int) {
	for _, g := range []*group{&s.claims, &s.completes} {
		g.mu.Lock()
		g.maxFlush, g.maxBatch = flushers, batch
		g.mu.Unlock()
	}
}

// QueuedCompletes returns how many Complete calls of s wait for a statement.
func QueuedCompletes(s *Store) int {
	s.completes.mu.Lock()
	defer s.completes.mu.Unlock()
	return len(s.completes.pending)
}

// QueuedClaims returns how many Claim calls of s wait for a statement.
func QueuedClaims(s *Store) int {
	s.claims.mu.Lock()
	defer s.claims.mu.Unlock()
	return len(s.claims.pending)
}
