package geo_test

import (
	"bytes"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// Digest gives the Version Load gives, for the shipped files (indented,
// with official counts and strikes), the valid test data, and a synthetic
// file of several of the loader's chunks laid out one feature a line,
// with and without its final newline and with the extra files added.
func TestDigestMatchesLoad(t *testing.T) {
	bases, err := fs.ReadFile(data.FS, geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var big bytes.Buffer // about 10 MB: three chunks of 4 MiB
	if err := synth.WriteIncidents(&big, synth.Config{N: 12_000, Seed: 3, Bases: shipped.Bases}); err != nil {
		t.Fatal(err)
	}
	counts, _ := fs.ReadFile(data.FS, geo.OfficialCountsFile)
	strikes, _ := fs.ReadFile(data.FS, geo.StrikesFile)
	synthFS := func(incidents []byte, extras bool) fs.FS {
		m := fstest.MapFS{geo.BasesFile: {Data: bases}, geo.IncidentsFile: {Data: incidents}}
		if extras {
			m[geo.OfficialCountsFile] = &fstest.MapFile{Data: counts}
			// The shipped strikes answer shipped incidents.
			shippedIncidents, _ := fs.ReadFile(data.FS, geo.IncidentsFile)
			m[geo.IncidentsFile] = &fstest.MapFile{Data: shippedIncidents}
			m[geo.StrikesFile] = &fstest.MapFile{Data: strikes}
		}
		return m
	}
	for name, fsys := range map[string]fs.FS{
		"shipped":               data.FS,
		"valid":                 os.DirFS("testdata/valid"),
		"synth lines":           synthFS(big.Bytes(), false),
		"synth no final \\n":    synthFS(bytes.TrimSuffix(big.Bytes(), []byte("\n")), false),
		"synth, a line changed": synthFS(bytes.Replace(big.Bytes(), []byte(`"outcome":"`), []byte(`"outcome":"longer `), 1), false),
		"shipped with extras":   synthFS(nil, true),
	} {
		t.Run(name, func(t *testing.T) {
			d, err := geo.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			got, err := geo.Digest(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if got != d.Version {
				t.Errorf("Digest %s, Load's Version %s", got, d.Version)
			}
		})
	}
	if big.Len() < 2*(4<<20) {
		t.Fatalf("the synthetic file is %d bytes: not several chunks", big.Len())
	}
}
