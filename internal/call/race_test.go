//go:build race

package call

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// allocation counts of pooled paths are not exact.
const raceEnabled = true
