// Package testenv decides what a test that needs an outside program (GDAL's
// ogrinfo, Chromium) does when the program is missing: skip with a clear
// message on a developer's machine, fail in CI or when the test's
// environment variable says "required". A skipped check in CI would be a
// check that silently never runs.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// LessUnderRace is what a test logs when it checks less under the race
// detector than without it (fewer cases, a looser bound): .ci/run runs a
// test that passed under -race only there, unless it logged this line or
// skipped (.ci/racecovered.go holds the same words: TestLessUnderRaceInCI).
const LessUnderRace = "checks less under the race detector"

// Program returns the path of the first of names found on PATH (or given as
// an absolute path that exists). When none is found the test fails if
// os.Getenv(requireVar) is "required" or CI is set, and skips otherwise.
func Program(t testing.TB, requireVar string, names ...string) string {
	t.Helper()
	if os.Getenv(requireVar) == "off" {
		// .ci/run's -race pass: the plain pass has run these already.
		t.Skipf("%s=off: left to the run without -race", requireVar)
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "none of " + join(names) + " is installed"
	if os.Getenv(requireVar) == "required" || os.Getenv("CI") != "" {
		t.Fatalf("%s, and %s=required or CI is set: install it (.ci/run does) to run this test", msg, requireVar)
	}
	t.Skipf("%s; skipping (set %s=required to make this a failure)", msg, requireVar)
	return ""
}

func join(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
