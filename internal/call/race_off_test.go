//go:build !race

package call

// raceOn says the race detector is on: sync.Pool then drops items at
// random, so allocation counts vary.
const raceOn = false
