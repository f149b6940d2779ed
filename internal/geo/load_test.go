package geo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"strikemap/internal/geo"
)

// loadDir loads testdata/valid with the files of overlay (a directory under
// testdata) put in place of the valid ones.
func loadDir(t *testing.T, overlay string) (*geo.Dataset, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, dir := range []string{"testdata/valid", overlay} {
		if dir == "" {
			continue
		}
		for _, name := range []string{geo.BasesFile, geo.IncidentsFile, geo.OfficialCountsFile, geo.StrikesFile} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			fsys[name] = &fstest.MapFile{Data: b}
		}
	}
	return geo.Load(fsys)
}

func validDataset(t *testing.T) *geo.Dataset {
	t.Helper()
	d, err := loadDir(t, "")
	if err != nil {
		t.Fatalf("valid fixture: %v", err)
	}
	return d
}

func TestLoadValid(t *testing.T) {
	d := validDataset(t)
	if len(d.Bases) != 3 || len(d.Incidents) != 5 {
		t.Fatalf("got %d bases and %d incidents, want 3 and 5", len(d.Bases), len(d.Incidents))
	}
	inc, ok := d.Incident("i3-alpha-rocket-span")
	if !ok {
		t.Fatal("incident i3-alpha-rocket-span missing")
	}
	if inc.Date.String() != "2023-10-21" || inc.DateEnd.String() != "2023-10-22" || !inc.IsSpan() {
		t.Errorf("span read as %s..%s", inc.Date, inc.DateEnd)
	}
	if inc, _ := d.Incident("i5-nobase"); inc.Base != "" {
		t.Errorf("null base read as %q", inc.Base)
	}
	if inc, _ := d.Incident("i1-alpha-drone"); inc.Injured != geo.Known(4) || inc.Killed.Known() {
		t.Errorf("casualties read as injured=%v killed=%v, want 4 and unknown", inc.Injured, inc.Killed)
	}
	for i := 1; i < len(d.Incidents); i++ {
		if d.Incidents[i].Date < d.Incidents[i-1].Date {
			t.Errorf("incidents not sorted by date at %d", i)
		}
	}
	if len(d.Version) != 12 {
		t.Errorf("version %q, want 12 hex digits", d.Version)
	}
}

// TestLoadInvalid runs every fixture under testdata/invalid: each breaks one
// validation rule, and the dataset must be rejected with the message in its
// want.txt.
func TestLoadInvalid(t *testing.T) {
	dirs, err := filepath.Glob("testdata/invalid/*")
	if err != nil || len(dirs) < 30 {
		t.Fatalf("found %d invalid fixtures (%v), want at least 30", len(dirs), err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			d, err := loadDir(t, dir)
			if err == nil {
				t.Fatalf("loaded %d incidents, want an error", len(d.Incidents))
			}
			if d != nil {
				t.Error("returned a dataset along with the error")
			}
			if !strings.Contains(err.Error(), strings.TrimSpace(string(want))) {
				t.Errorf("error\n  %v\nwant it to contain\n  %s", err, want)
			}
			var ve *geo.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Errorf("error is %T, want a *geo.ValidationError", err)
			}
		})
	}
}

func TestLoadListsEveryProblem(t *testing.T) {
	fsys := fstest.MapFS{
		geo.BasesFile: {Data: []byte(`{"type":"FeatureCollection","features":[]}`)},
		geo.IncidentsFile: {Data: []byte(`{"type":"FeatureCollection","features":[
			{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"date":"x","weapon":"drone","status":"claimed","location_precision":"exact","sources":[{"publisher":"p","kind":"claim","says":"s"}]}},
			{"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"date":"2023-10-18","weapon":"laser","status":"claimed","location_precision":"exact","sources":[{"publisher":"p","kind":"claim","says":"s"}]}}]}`)},
	}
	_, err := geo.Load(fsys)
	var ve *geo.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("got %v, want 2 problems", err)
	}
	if !strings.HasPrefix(err.Error(), "2 problems in the data:") {
		t.Errorf("error starts %q", err.Error())
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := geo.Load(fstest.MapFS{geo.BasesFile: {Data: []byte(`{}`)}})
	if err == nil || !strings.Contains(err.Error(), "incidents.geojson") {
		t.Fatalf("got %v, want an error naming incidents.geojson", err)
	}
}

func TestVersionChangesWithData(t *testing.T) {
	a := validDataset(t)
	b, err := loadDir(t, "testdata/reordered")
	if err != nil {
		t.Fatal(err)
	}
	if a.Version == b.Version {
		t.Errorf("same version %s for different files", a.Version)
	}
	if again := validDataset(t); again.Version != a.Version {
		t.Errorf("version not stable: %s then %s", a.Version, again.Version)
	}
}

// TestLoadBrokenBaseReportedOnce breaks one base of the valid fixture: the
// problem is that base, once, and not again at every incident that names
// it (which is what a reader fixing the file would chase first).
func TestLoadBrokenBaseReportedOnce(t *testing.T) {
	basesJSON, err := os.ReadFile("testdata/valid/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	incidentsJSON, err := os.ReadFile("testdata/valid/incidents.geojson")
	if err != nil {
		t.Fatal(err)
	}
	// A syntax error inside the first base's geometry.
	broken := strings.Replace(string(basesJSON), `"coordinates": [`, `"coordinates" [`, 1)
	if broken == string(basesJSON) {
		t.Fatal("fixture has no coordinates to break")
	}
	_, err = geo.Parse([]byte(broken), incidentsJSON)
	var ve *geo.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *geo.ValidationError", err)
	}
	var bases, incidents []geo.Problem
	for _, p := range ve.Problems {
		if p.File == geo.BasesFile {
			bases = append(bases, p)
		} else {
			incidents = append(incidents, p)
		}
	}
	if len(bases) != 1 || bases[0].Index != 0 {
		t.Errorf("bases.geojson problems %v, want one, at feature 0", bases)
	}
	if len(incidents) != 1 || incidents[0].Index != -1 || !strings.Contains(incidents[0].Reason, "fix those first") {
		t.Errorf("incidents.geojson problems:\n%v\nwant one saying its bases were not checked", incidents)
	}
}
