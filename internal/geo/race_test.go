//go:build race

package geo_test

// raceEnabled: under the race detector sync.Pool drops a quarter of what
// is put back, so what a query allocates is not measured under it.
const raceEnabled = true
