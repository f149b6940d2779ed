//go:build race

package server

// raceEnabled: under the race detector sync.Pool drops a quarter of what
// is put back, so what a request allocates is not measured under it.
const raceEnabled = true

// lessUnderRace is what a test logs when it checks less under the race
// detector than without it (fewer cases, a looser bound): .ci/run runs a
// test that passed under -race only there, unless it logged this line or
// skipped (.ci/racecovered.go).
const lessUnderRace = "checks less under the race detector"
