package geo_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"strikemap/data"
	"strikemap/internal/geo"
)

// ScanIncidents refuses what Load refuses, with the same messages: every
// invalid fixture whose problems are in its incidents file.
func TestScanIncidentsRefusesAsLoad(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/invalid/*")
	validBases, _ := os.ReadFile("testdata/valid/bases.geojson")
	checked := 0
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, geo.BasesFile)); err == nil {
			continue // the bases are what is wrong
		}
		incidentsJSON, err := os.ReadFile(filepath.Join(dir, geo.IncidentsFile))
		if err != nil {
			continue // a fixture of the official counts or the strikes
		}
		fsys := fstest.MapFS{geo.BasesFile: {Data: validBases}, geo.IncidentsFile: {Data: incidentsJSON}}
		withBases, err := geo.Parse(validBases, []byte(`{"type":"FeatureCollection","features":[]}`))
		if err != nil {
			t.Fatal(err)
		}
		_, loadErr := geo.Load(fsys)
		var ve *geo.ValidationError
		if !errors.As(loadErr, &ve) || !allIn(ve.Problems, geo.IncidentsFile) {
			t.Fatalf("%s: %v", dir, loadErr)
		}
		checked++
		scanErr := geo.ScanIncidents(fsys, withBases.Bases, func(string, []byte) error { return nil })
		if scanErr == nil || scanErr.Error() != loadErr.Error() {
			t.Errorf("%s: ScanIncidents says\n%v\nLoad says\n%v", dir, scanErr, loadErr)
		}
	}
	if checked < 10 {
		t.Errorf("only %d fixtures checked", checked)
	}
}

func allIn(problems []geo.Problem, file string) bool {
	for _, p := range problems {
		if p.File != file {
			return false
		}
	}
	return true
}

// ScanIncidents hands out each feature's id and exact bytes, in file order.
func TestScanIncidentsGivesFeaturesAsWritten(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	var buf bytes.Buffer
	w := geo.NewIncidentWriter(&buf)
	var ids []string
	for inc := range d.InFileOrder() {
		ids = append(ids, inc.ID)
		w.Write(inc)
	}
	w.Close()
	os.WriteFile(filepath.Join(dir, geo.BasesFile), basesJSON, 0o644)
	os.WriteFile(filepath.Join(dir, geo.IncidentsFile), buf.Bytes(), 0o644)
	lines := strings.Split(buf.String(), "\n")
	i := 0
	err = geo.ScanIncidents(os.DirFS(dir), d.Bases, func(id string, raw []byte) error {
		if i >= len(ids) || id != ids[i] || string(raw) != strings.TrimSuffix(lines[i+1], ",") {
			t.Fatalf("feature %d: id %q, raw\n%.200s\nwant %q and\n%.200s", i, id, raw, ids[i], lines[i+1])
		}
		i++
		return nil
	})
	if err != nil || i != len(ids) {
		t.Errorf("%d of %d features, error %v", i, len(ids), err)
	}
	// fn's error ends the scan and is returned.
	stop := errors.New("disk full")
	calls := 0
	err = geo.ScanIncidents(os.DirFS(dir), d.Bases, func(string, []byte) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("after fn failed: %d calls, error %v", calls, err)
	}
}
