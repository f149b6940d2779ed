package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"strikemap/internal/atomicfile"
	"strikemap/internal/export"
	"strikemap/internal/geo"
)

// strikesDir is a copy of the shipped dataset with its strikes, and the
// strikes as /api/strikes.csv writes them.
func strikesDir(t *testing.T) (dir, csvPath string, d *geo.Dataset) {
	t.Helper()
	dir = datasetDir(t)
	b, err := os.ReadFile(filepath.Join("../../data", geo.StrikesFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, geo.StrikesFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	d = mustLoad(t, dir)
	csv, err := export.StrikesCSV(d.Strikes)
	if err != nil {
		t.Fatal(err)
	}
	csvPath = filepath.Join(t.TempDir(), "strikes.csv")
	if err := os.WriteFile(csvPath, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, csvPath, d
}

// TestImportStrikesRoundTrip: export the strikes as CSV, import them into a
// copy of the dataset without strikes, and the copy loads with the same
// strikes; importing again changes nothing.
func TestImportStrikesRoundTrip(t *testing.T) {
	dir, csvPath, d := strikesDir(t)
	if err := os.Remove(filepath.Join(dir, geo.StrikesFile)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "import", "strikes", csvPath, "-into", dir)
	if code != exitOK || !strings.Contains(out, "added 12, updated 0, unchanged 0, rejected 0") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	got, want := mustLoad(t, dir).Strikes, d.Strikes
	gb, _ := geo.MarshalStrikes(got)
	wb, _ := geo.MarshalStrikes(want)
	if !bytes.Equal(gb, wb) {
		t.Errorf("the imported strikes differ from those exported:\n%s\nwant\n%s", gb, wb)
	}
	before, _ := os.ReadFile(filepath.Join(dir, geo.StrikesFile))
	code, out, _ = runCmd(t, "import", "strikes", csvPath, "-into", dir)
	after, _ := os.ReadFile(filepath.Join(dir, geo.StrikesFile))
	if code != exitOK || !strings.Contains(out, "unchanged 12") || !bytes.Equal(before, after) {
		t.Errorf("re-import: exit %d\n%s", code, out)
	}
}

// TestImportStrikesFailureLeavesFile: a rejected row under -strict, or a
// write that fails half way, leaves strikes.geojson as it was, with no
// temporary file beside it.
func TestImportStrikesFailureLeavesFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		edit  func(csv string) string
		write func(path string, fill func(io.Writer) error) error
		want  string
	}{
		{
			name: "strict with a rejected row",
			args: []string{"-strict"},
			edit: func(csv string) string { return strings.Replace(csv, ",United States,", ",,", 1) },
			want: "strikes.csv:2: attacker: is missing",
		},
		{
			name: "write fails half way",
			edit: func(csv string) string { return strings.Replace(csv, "near Abu Kamal", "by Abu Kamal", 1) },
			write: func(path string, fill func(io.Writer) error) error {
				return atomicfile.WriteFunc(path, func(w io.Writer) error {
					var buf bytes.Buffer
					if err := fill(&buf); err != nil {
						return err
					}
					w.Write(buf.Bytes()[:buf.Len()/2])
					return errors.New("no space left on device")
				})
			},
			want: "no space left on device",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, csvPath, _ := strikesDir(t)
			csv, _ := os.ReadFile(csvPath)
			if edited := tc.edit(string(csv)); edited == string(csv) {
				t.Fatal("the edit changed nothing")
			} else if err := os.WriteFile(csvPath, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, geo.StrikesFile)
			before, _ := os.ReadFile(path)
			write := tc.write
			if write == nil {
				write = func(string, func(io.Writer) error) error { t.Error("wrote a file"); return nil }
			}
			var out, errOut bytes.Buffer
			im := &importer{stdout: &out, stderr: &errOut, write: write}
			code := im.run(append([]string{"strikes", csvPath, "-into", dir}, tc.args...))
			if code != exitFail || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, errOut.String(), tc.want)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("strikes.geojson changed")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 3 {
				t.Errorf("directory holds %d entries, want the 3 data files", len(entries))
			}
		})
	}
}
