//go:build !race

package server

const raceEnabled = false

const lessUnderRace = "checks less under the race detector"
