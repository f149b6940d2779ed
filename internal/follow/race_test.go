//go:build race

package follow_test

// raceEnabled: the race detector slows loading a dataset five to ten
// times, so the 1 s requirement is not measured under it.
const raceEnabled = true
