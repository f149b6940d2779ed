package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"strikemap/internal/atomicfile"
	"strikemap/internal/geo"
)

// datasetDir copies the shipped dataset into a temporary directory.
func datasetDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		b, err := os.ReadFile(filepath.Join("../../data", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const acledFixture = "../../internal/ingest/testdata/acled-2023.csv"

func TestImportACLED(t *testing.T) {
	dir := datasetDir(t)
	shipped := len(mustLoad(t, dir).Incidents)
	// Flags before and after the file.
	code, out, errOut := runCmd(t, "import", "acled", "-country", "Iraq,Syria", acledFixture, "-into", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("added 4, updated 0, unchanged 0, rejected 3 (kept %d others, skipped 1 by filters)", shipped)) {
		t.Errorf("stdout:\n%s", out)
	}
	wantRejected := "acled-2023.csv:6: latitude: is empty: want decimal degrees such as 33.7856\n" +
		"acled-2023.csv:7: longitude: \"n/a\" is not a number of decimal degrees such as 33.7856\n" +
		"acled-2023.csv:8: event_id_cnty: IRQ1001 is also the event on line 2: an event may appear once\n"
	if errOut != wantRejected {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, wantRejected)
	}
	d, err := geo.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("the import wrote a dataset the server refuses: %v", err)
	}
	if _, ok := d.Incident("acled-IRQ1002"); !ok || len(d.Incidents) != shipped+4 {
		t.Errorf("%d incidents after the import, want the %d shipped and 4 added", len(d.Incidents), shipped)
	}
	if _, ok := d.Incident("2023-10-18-ain-al-asad-drones"); !ok {
		t.Error("an existing incident was lost")
	}

	// Again: nothing changes, and the file is not rewritten.
	before, _ := os.ReadFile(filepath.Join(dir, geo.IncidentsFile))
	code, out, _ = runCmd(t, "import", "acled", acledFixture, "-into", dir, "-country", "Iraq,Syria")
	after, _ := os.ReadFile(filepath.Join(dir, geo.IncidentsFile))
	if code != exitOK || !strings.Contains(out, "added 0, updated 0, unchanged 4, rejected 3") || !bytes.Equal(before, after) {
		t.Errorf("re-import: exit %d, %s", code, out)
	}
}

func TestImportCSV(t *testing.T) {
	dir := datasetDir(t)
	shipped := len(mustLoad(t, dir).Incidents)
	mapping := "id=Ref,date=Day,date_end=Until,lat=Lat,lon=Lon,weapon=Weapon,count=Projectiles,base=Target," +
		"source_publisher=Outlet,source_url=Link,source_kind=Outlet kind,source_published=Published,source_says=What it says," +
		"claimed_by=Claimed by,notes=Comment"
	code, out, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", mapping, "-into", dir)
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("added 3, updated 0, unchanged 0, rejected 3 (kept %d others, skipped 0 by filters)", shipped)) {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, `attacks.csv:6: Weapon: "laser" is not one of drone, rocket, missile, unknown`) {
		t.Errorf("stderr:\n%s", errOut)
	}
	if code, _, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", "lat=Lat", "-into", dir); code != exitUsage || !strings.Contains(errOut, "lacks lon, date") {
		t.Errorf("incomplete mapping: exit %d, %s", code, errOut)
	}
}

func TestImportIntoNewIncidentsFile(t *testing.T) {
	dir := datasetDir(t)
	os.Remove(filepath.Join(dir, geo.IncidentsFile))
	code, out, errOut := runCmd(t, "import", "acled", acledFixture, "-into", dir)
	if code != exitOK || !strings.Contains(out, "added 5,") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if fi, err := os.Stat(filepath.Join(dir, geo.IncidentsFile)); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("new incidents file: %v %v", fi, err)
	}
}

// TestImportFailureLeavesFile: whatever goes wrong, the incidents file keeps
// its exact bytes and no temporary file is left.
func TestImportFailureLeavesFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		write func(path string, fill func(io.Writer) error) error
		setup func(t *testing.T, dir string)
		want  string
	}{
		{
			name: "write fails half way",
			write: func(path string, fill func(io.Writer) error) error {
				return atomicfile.WriteFunc(path, func(w io.Writer) error {
					var buf bytes.Buffer
					if err := fill(&buf); err != nil {
						return err
					}
					if _, err := w.Write(buf.Bytes()[:buf.Len()/2]); err != nil {
						return err
					}
					return errors.New("no space left on device")
				})
			},
			want: "no space left on device",
		},
		{name: "strict with rejected rows", args: []string{"-strict"}, want: "-strict: 3 rows rejected"},
		{
			name: "existing dataset invalid",
			setup: func(t *testing.T, dir string) {
				path := filepath.Join(dir, geo.IncidentsFile)
				b, _ := os.ReadFile(path)
				if err := os.WriteFile(path, bytes.Replace(b, []byte(`"weapon": "rocket"`), []byte(`"weapon": "rockets"`), 1), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: `is not a valid dataset; fix it first`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := datasetDir(t)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			path := filepath.Join(dir, geo.IncidentsFile)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The real atomic write unless the case fails it: an invalid
			// dataset is found as the merge reads it, while writing the
			// temporary file.
			write := tc.write
			if write == nil {
				write = atomicfile.WriteFunc
			}
			var out, errOut bytes.Buffer
			im := &importer{stdout: &out, stderr: &errOut, write: write}
			code := im.run(append([]string{"acled", acledFixture, "-into", dir}, tc.args...))
			if code != exitFail || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, errOut.String(), tc.want)
			}
			after, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(before, after) {
				t.Errorf("incidents.geojson changed (%v)", err)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2 {
				t.Errorf("directory holds %d entries, want the 2 data files", len(entries))
			}
		})
	}
}

func TestValidate(t *testing.T) {
	code, out, _ := runCmd(t, "validate", "../../internal/geo/testdata/valid")
	if code != exitOK || out != "../../internal/geo/testdata/valid: valid: 3 bases, 5 incidents from 2023-10-18 to 2023-10-25, 2 official counts, 1 strike, version "+mustLoad(t, "../../internal/geo/testdata/valid").Version+"\n" {
		t.Errorf("valid: exit %d, %q", code, out)
	}
	dir := datasetDir(t)
	path := filepath.Join(dir, geo.IncidentsFile)
	b, _ := os.ReadFile(path)
	b = bytes.Replace(b, []byte(`"weapon": "rocket"`), []byte(`"weapon": "rockets"`), 1)
	b = bytes.Replace(b, []byte(`"status": "confirmed"`), []byte(`"status": "sure"`), 1)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "validate", dir)
	if code != exitFail || out != "" {
		t.Errorf("invalid: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"2 problems in the data:", `weapon "rockets" is not one of drone, rocket, missile, unknown`, `status "sure" is not one of claimed, reported, confirmed`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code, _, _ := runCmd(t, "validate"); code != exitUsage {
		t.Errorf("no directory: exit %d", code)
	}
}

func mustLoad(t *testing.T, dir string) *geo.Dataset {
	t.Helper()
	d, err := geo.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestStats(t *testing.T) {
	dir := "../../internal/geo/testdata/valid"
	code, out, errOut := runCmd(t, "stats", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := dir + ": 3 bases, 5 incidents from 2023-10-18 to 2023-10-25, 2 official counts, 1 strike, version " + mustLoad(t, dir).Version + `

base                incidents
Alpha Base (alpha)  2
Bravo Base (bravo)  1
Charlie (charlie)   1
no target base      1

weapon   incidents
drone    2
rocket   1
missile  1
unknown  1

status     incidents
claimed    1
reported   3
confirmed  1

month    incidents  confirmed  reported  claimed  strikes  official count (last of the month)  mapped by that day  not mapped
2023-10  5          1          3         1        1        13 by 2023-10-24 (Iraq and Syria)   4                   9

The last official count: at least 52 attacks in Iraq and Syria by 2023-11-13 (Example News); this dataset maps 4 there by then (7%).
The dataset is not the whole record: the months where the official count runs ahead of the incidents mapped are its gaps.
`
	if out != want {
		t.Errorf("stats:\n%s\nwant:\n%s", out, want)
	}
}

// TestStatsShowsEmptyMonths: a month with no incident between two that have
// some is listed with 0, so the gap shows.
func TestStatsShowsEmptyMonths(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		b, err := os.ReadFile(filepath.Join("../../internal/geo/testdata/valid", name))
		if err != nil {
			t.Fatal(err)
		}
		// Move the last incident (25 Oct) to January.
		b = bytes.Replace(b, []byte(`"date": "2023-10-25"`), []byte(`"date": "2024-01-25"`), 1)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCmd(t, "stats", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, months, _ := strings.Cut(out, "\nmonth ")
	want := `   incidents  confirmed  reported  claimed
2023-10  4          1          2         1
2023-11  0          0          0         0
2023-12  0          0          0         0
2024-01  1          0          1         0
`
	if months != want {
		t.Errorf("months:\n%s\nwant:\n%s", months, want)
	}
}

// TestStatsBesideOfficialCounts: with official counts, each month shows
// its last count beside what the dataset maps in the count's scope by that
// day, and the gap; with strikes, how many fell in the month.
func TestStatsBesideOfficialCounts(t *testing.T) {
	code, out, errOut := runCmd(t, "stats", "../../internal/geo/testdata/valid")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, months, _ := strings.Cut(out, "\nmonth ")
	// By 24 Oct the fixture maps 4 incidents at bases in IQ or SY (its
	// bases' countries) of the count's 13; the fixture's one strike is of 27 Oct.
	want := `   incidents  confirmed  reported  claimed  strikes  official count (last of the month)  mapped by that day  not mapped
2023-10  5          1          3         1        1        13 by 2023-10-24 (Iraq and Syria)   `
	if !strings.HasPrefix(months, want) {
		t.Errorf("months:\n%s\nwant them to start:\n%s", months, want)
	}
	if !strings.Contains(out, "The last official count: at least 52 attacks in Iraq and Syria by 2023-11-13") {
		t.Errorf("no closing line on the last count:\n%s", out)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"-h"}, exitOK},
		{[]string{"import"}, exitUsage},
		{[]string{"import", "acled", "-h"}, exitOK},
		{[]string{"import", "csv", "-h"}, exitOK},
		{[]string{"validate", "-h"}, exitOK},
		{[]string{"import", "acled", acledFixture, "-from", "18 Oct"}, exitUsage},
		{[]string{"import", "acled", "a.csv", "b.csv"}, exitUsage},
	} {
		if code, _, _ := runCmd(t, tc.args...); code != tc.code {
			t.Errorf("%q: exit %d, want %d", tc.args, code, tc.code)
		}
	}
	_, _, help := runCmd(t, "import", "acled", "-h")
	for _, f := range []string{"-into", "-radius-km", "-country", "-from", "-to", "-event-type", "-sub-event-type", "-actor", "-near-bases", "-strict", "-dry-run"} {
		if !strings.Contains(help, f) {
			t.Errorf("import acled -h does not document %s", f)
		}
	}
}

func TestSynth(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"synth", "-n", "300", "-seed", "4", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	first, _ := os.ReadFile(filepath.Join(dir, "incidents.geojson"))
	out.Reset()
	if code := run([]string{"validate", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("synthetic data does not validate: %s", errOut.String())
	}
	// A directory that holds a dataset is not replaced without -force.
	errOut.Reset()
	if code := run([]string{"synth", "-n", "10", dir}, &out, &errOut); code != exitFail || !strings.Contains(errOut.String(), "-force") {
		t.Errorf("synth into a dataset directory: exit %d, %q; want a refusal naming -force", code, errOut.String())
	}
	if kept, _ := os.ReadFile(filepath.Join(dir, "incidents.geojson")); !bytes.Equal(kept, first) {
		t.Error("a refused synth changed incidents.geojson")
	}
	if code := run([]string{"synth", "-force", "-n", "300", "-seed", "4", dir}, &out, &errOut); code != exitOK {
		t.Fatal(errOut.String())
	}
	again, _ := os.ReadFile(filepath.Join(dir, "incidents.geojson"))
	if !bytes.Equal(first, again) {
		t.Error("same seed, different bytes")
	}
	if code := run([]string{"synth", "-n", "-5", dir}, &out, &errOut); code != exitUsage {
		t.Errorf("negative -n: exit %d", code)
	}
}

// An import into a large file rewrites it in the one-feature-per-line layout
// that synth writes, through the same writer: every existing feature keeps
// its line, byte for byte, and the new rows' lines follow.
func TestImportKeepsOneFeatureALine(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "synth", "-n", "2000", "-seed", "3", dir); code != exitOK {
		t.Fatalf("synth: %s", errOut)
	}
	path := filepath.Join(dir, geo.IncidentsFile)
	before, _ := os.ReadFile(path)
	mapping := "id=Ref,date=Day,date_end=Until,lat=Lat,lon=Lon,weapon=Weapon,count=Projectiles,base=Target," +
		"source_publisher=Outlet,source_url=Link,source_kind=Outlet kind,source_published=Published,source_says=What it says," +
		"claimed_by=Claimed by,notes=Comment"
	code, out, errOut := runCmd(t, "import", "csv", "../../docs/examples/attacks.csv", "-map", mapping, "-into", dir)
	if code != exitOK || !strings.Contains(out, "added 3, updated 0, unchanged 0, rejected 3 (kept 2000 others") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	after, _ := os.ReadFile(path)
	oldLines, newLines := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
	if len(newLines) != len(oldLines)+3 {
		t.Fatalf("%d lines after importing 3 rows into %d: the file is not one feature a line", len(newLines), len(oldLines))
	}
	last := len(oldLines) - 3 // the last feature's line, which gains a comma
	for i := range last {
		if newLines[i] != oldLines[i] {
			t.Fatalf("line %d changed:\n%.120s\nto\n%.120s", i+1, oldLines[i], newLines[i])
		}
	}
	if newLines[last] != oldLines[last]+"," {
		t.Errorf("the last old feature's line changed beyond its comma")
	}
	for _, l := range newLines[last+1 : last+4] {
		if !strings.HasPrefix(l, `{"type":"Feature","id":`) {
			t.Errorf("an added line is not one feature: %.120s", l)
		}
	}
	d, err := geo.Load(os.DirFS(dir))
	if err != nil || len(d.Incidents) != 2003 {
		t.Fatalf("the import wrote a dataset the server refuses or miscounts: %v", err)
	}
}
