package sqldedup

// SetCompleteGrouping sets how many Complete statements s runs at once and
// how many keys one of them holds, for tests that make calls queue.
func SetCompleteGrouping(s *Store, flushers, batch int) {
	s.completer.mu.Lock()
	defer s.completer.mu.Unlock()
	s.completer.maxFlush, s.completer.maxBatch = flushers, batch
}

// QueuedCompletes returns how many Complete calls of s wait for a statement.
func QueuedCompletes(s *Store) int {
	s.completer.mu.Lock()
	defer s.completer.mu.Unlock()
	return len(s.completer.pending)
}
