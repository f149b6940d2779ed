package testenv

import (
	"os"
	"strings"
	"testing"
)

// TestLessUnderRaceInCI: .ci/racecovered.go, a program of its own, looks
// for the very words tests log with LessUnderRace; with other words there,
// a test that checks less under -race would never run in full in CI.
func TestLessUnderRaceInCI(t *testing.T) {
	src, err := os.ReadFile("../../.ci/racecovered.go")
	if err != nil {
		t.Fatal(err)
	}
	if want := "const lessUnderRace = \"" + LessUnderRace + "\""; !strings.Contains(string(src), want) {
		t.Errorf(".ci/racecovered.go does not say %s", want)
	}
}
