//go:build !race

package geo_test

const raceEnabled = false

const lessUnderRace = "checks less under the race detector"
