//go:build !race

package follow_test

const raceEnabled = false

const lessUnderRace = "checks less under the race detector"
