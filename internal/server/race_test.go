//go:build race

package server

// raceEnabled: under the race detector sync.Pool drops a quarter of what
// is put back, so what a request allocates is not measured under it.
const raceEnabled = true
