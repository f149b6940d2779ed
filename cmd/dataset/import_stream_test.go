package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"strikemap/internal/geo"
)

// sortedKeysDir writes a dataset of n synthetic incidents whose features
// are one a line but not as IncidentWriter writes them: each re-encoded with
// its keys in alphabetical order (as older synth files were), so that a
// feature re-encoded by the import would show. The feature at index
// updateAt gets the id AAA-2, which docs/examples/attacks.csv updates.
func sortedKeysDir(t *testing.T, n, updateAt int) (dir string, lines []string) {
	t.Helper()
	dir = t.TempDir()
	if code, _, errOut := runCmd(t, "synth", "-n", strconv.Itoa(n), "-seed", "7", dir); code != exitOK {
		t.Fatalf("synth: %s", errOut)
	}
	path := filepath.Join(dir, geo.IncidentsFile)
	synthetic, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []map[string]any }
	if err := json.Unmarshal(synthetic, &fc); err != nil {
		t.Fatal(err)
	}
	for i, f := range fc.Features[:n] {
		if i == updateAt {
			f["id"] = "AAA-2"
		}
		line, err := json.Marshal(f) // keys sorted: geometry, id, properties, type
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(line))
	}
	file := `{"type":"FeatureCollection","features":[` + "\n" + strings.Join(lines, ",\n") + "\n]}\n"
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, lines
}

// features returns the feature lines of a file written one feature a line,
// without their commas.
func features(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(all) < 2 || all[0] != `{"type":"FeatureCollection","features":[` || all[len(all)-1] != "]}" {
		t.Fatalf("%s is not one feature a line:\n%.300s", path, b)
	}
	out := all[1 : len(all)-1]
	for i := range out {
		out[i] = strings.TrimSuffix(out[i], ",")
	}
	return out
}

// An import copies every feature it does not replace byte for byte, however
// the file wrote it; replaces the one whose id a row has, in place; and adds
// the new ones after the rest.
func TestImportCopiesUntouchedFeaturesByteForByte(t *testing.T) {
	const n, updateAt = 200, 57
	dir, before := sortedKeysDir(t, n, updateAt)
	path := filepath.Join(dir, geo.IncidentsFile)
	if d := mustLoad(t, dir); len(d.Incidents) != n {
		t.Fatalf("the test's dataset has %d incidents, want %d", len(d.Incidents), n)
	}
	code, out, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", attacksMapping, "-into", dir)
	if code != exitOK || !strings.Contains(out, "added 2, updated 1, unchanged 0, rejected 3 (kept 199 others") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	after := features(t, path)
	if len(after) != n+2 {
		t.Fatalf("%d features after adding 2 to %d", len(after), n)
	}
	for i := range n {
		if i == updateAt {
			if !strings.HasPrefix(after[i], `{"type":"Feature","id":"AAA-2",`) || !strings.Contains(after[i], `"weapon":"rocket"`) {
				t.Errorf("feature %d, which the row AAA-2 updates, is\n%.200s", i, after[i])
			}
			continue
		}
		if after[i] != before[i] {
			t.Fatalf("untouched feature %d changed:\n%.200s\nto\n%.200s", i, before[i], after[i])
		}
	}
	for i, id := range []string{"AAA-1", "AAA-3"} {
		if !strings.HasPrefix(after[n+i], `{"type":"Feature","id":"`+id+`",`) {
			t.Errorf("added feature %d is not %s:\n%.200s", n+i, id, after[n+i])
		}
	}
	d := mustLoad(t, dir)
	if inc, ok := d.Incident("AAA-2"); !ok || inc.Weapon != geo.WeaponRocket || len(d.Incidents) != n+2 {
		t.Errorf("after the import: %d incidents, AAA-2 %+v", len(d.Incidents), inc)
	}

	// The same rows again: nothing to change, and the file is left alone.
	written, _ := os.ReadFile(path)
	code, out, errOut = runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", attacksMapping, "-into", dir)
	if again, _ := os.ReadFile(path); code != exitOK || !strings.Contains(out, "added 0, updated 0, unchanged 3") || !bytes.Equal(again, written) {
		t.Errorf("re-import: exit %d\n%s\n%s", code, out, errOut)
	}
}

// A file that is not one feature a line (the shipped one is indented) is
// written one feature a line, each feature the same JSON made compact.
func TestImportIndentedFileOneFeatureALine(t *testing.T) {
	dir := datasetDir(t)
	before := mustLoad(t, dir)
	if code, out, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", attacksMapping, "-into", dir); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	lines := features(t, filepath.Join(dir, geo.IncidentsFile))
	if len(lines) != len(before.Incidents)+3 {
		t.Fatalf("%d feature lines, want %d", len(lines), len(before.Incidents)+3)
	}
	after := mustLoad(t, dir)
	for inc := range before.InFileOrder() {
		got, ok := after.Incident(inc.ID)
		a, _ := geo.MarshalIncidents([]geo.Incident{*inc})
		b, _ := geo.MarshalIncidents([]geo.Incident{*got})
		if !ok || !bytes.Equal(a, b) {
			t.Fatalf("incident %s changed in the import", inc.ID)
		}
	}
}

// With -strict, bad rows are refused, each named by file, line and column,
// and nothing is written.
func TestImportStrictRefusesBadRows(t *testing.T) {
	dir, _ := sortedKeysDir(t, 50, 3)
	path := filepath.Join(dir, geo.IncidentsFile)
	before, _ := os.ReadFile(path)
	code, out, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", attacksMapping, "-into", dir, "-strict")
	if code != exitFail {
		t.Errorf("exit %d, want %d\n%s", code, exitFail, out)
	}
	for _, want := range []string{
		"attacks.csv:5: Lat: is empty",
		`attacks.csv:6: Weapon: "laser" is not one of`,
		`attacks.csv:7: Ref: id "AAA-1" is also the id of line 2`,
		"-strict: 3 rows rejected; " + path + " not written",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("incidents.geojson changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the directory holds %d entries, want the 2 data files", len(entries))
	}
}
