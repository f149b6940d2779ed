//go:build race

package follow_test

// raceEnabled: the race detector slows loading a dataset five to ten
// times, so the 1 s requirement is not measured under it.
const raceEnabled = true

// lessUnderRace is what a test logs when it checks less under the race
// detector than without it (fewer cases, a looser bound): .ci/run runs a
// test that passed under -race only there, unless it logged this line or
// skipped (.ci/racecovered.go).
const lessUnderRace = "checks less under the race detector"
