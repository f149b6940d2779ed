package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// documentedImport finds the `-map '...'` of every `dataset import csv
// docs/examples/attacks.csv` command in a doc, its lines joined where they
// end in a backslash.
var documentedImport = regexp.MustCompile(`go run \./cmd/dataset import csv docs/examples/attacks\.csv [^\n]*?-map\s+'([^']*)'`)

var addedAtLeast3 = regexp.MustCompile(`added ([3-9]|[1-9][0-9]+), updated 0, unchanged 0, rejected [23] `)

// TestDocumentedImportsRun runs every import of docs/examples/attacks.csv
// that the README and docs/import.md show, with the mapping they give, into
// a dataset directory: each must run and import the file's good rows. docs/import.md's synopsis once showed
// -map 'lat=Lat,lon=Lon,...', which a reader who copied it saw fail.
func TestDocumentedImportsRun(t *testing.T) {
	found := 0
	for _, doc := range []string{"../../README.md", "../../docs/import.md"} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(b), "\\\n", " ")
		for _, m := range documentedImport.FindAllStringSubmatch(text, -1) {
			found++
			mapping := m[1]
			t.Run(doc+" "+mapping, func(t *testing.T) {
				dir := datasetDir(t)
				code, out, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", mapping, "-into", dir)
				// 3 good rows, 2 bad ones (no latitude; a laser), and a
				// repeated id, refused only where the mapping names the ids.
				if code != exitOK || !addedAtLeast3.MatchString(out) {
					t.Errorf("%s's import with -map %q: exit %d\n%s\n%s", doc, mapping, code, out, errOut)
				}
			})
		}
	}
	// The README's, import.md's synopsis and its worked example.
	if found < 3 {
		t.Errorf("%d documented imports of docs/examples/attacks.csv found, want at least 3", found)
	}
}
