package loadcache_test

import (
	"bytes"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/loadcache"
	"strikemap/internal/synth"
)

// logBuffer is a log the test reads.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// take returns what was logged since the last take.
func (l *logBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

func openCache(t *testing.T) (*loadcache.Cache, *logBuffer) {
	t.Helper()
	log := new(logBuffer)
	c, err := loadcache.Open(t.TempDir(), slog.New(slog.NewTextHandler(log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, log
}

// syntheticDir makes a data directory of n synthetic incidents at the
// shipped bases.
func syntheticDir(t *testing.T, n int, seed uint64) string {
	t.Helper()
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := synth.WriteIncidents(&buf, synth.Config{N: n, Seed: seed, Bases: shipped.Bases}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, geo.IncidentsFile, buf.Bytes())
	bases, _ := data.FS.ReadFile(geo.BasesFile)
	writeFile(t, dir, geo.BasesFile, bases)
	return dir
}

// shippedDir copies the shipped dataset, optional files included.
func shippedDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile, geo.OfficialCountsFile, geo.StrikesFile} {
		b, err := data.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, name, b)
	}
	return dir
}

func writeFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameDataset fails t unless got is what geo.Load makes of dir: every
// exported field, the file order and every lookup by id.
func sameDataset(t *testing.T, got *geo.Dataset, dir string) {
	t.Helper()
	want, err := geo.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != want.Version {
		t.Fatalf("version %s, the files' %s", got.Version, want.Version)
	}
	for name, pair := range map[string][2]any{
		"bases": {got.Bases, want.Bases}, "incidents": {got.Incidents, want.Incidents},
		"official counts": {got.OfficialCounts, want.OfficialCounts}, "strikes": {got.Strikes, want.Strikes},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Fatalf("%s differ from the files'", name)
		}
	}
	var gotOrder, wantOrder []string
	for inc := range got.InFileOrder() {
		gotOrder = append(gotOrder, inc.ID)
	}
	for inc := range want.InFileOrder() {
		wantOrder = append(wantOrder, inc.ID)
	}
	if !reflect.DeepEqual(gotOrder, wantOrder) {
		t.Fatal("the file order differs from the files'")
	}
	for i := range want.Incidents {
		inc, ok := got.Incident(want.Incidents[i].ID)
		if !ok || inc != got.Incidents[i] {
			t.Fatalf("incident %s is not found at its place", want.Incidents[i].ID)
		}
	}
	if _, ok := got.Incident("no-such-id"); ok {
		t.Fatal("an unknown id was found")
	}
	f := geo.Filter{Weapons: []geo.Weapon{geo.WeaponDrone}}
	if got.Count(f) != want.Count(f) {
		t.Fatalf("%d drone incidents, the files' %d", got.Count(f), want.Count(f))
	}
}

// load loads dir through c, waits for the snapshot to be written, and
// returns what was logged.
func load(t *testing.T, c *loadcache.Cache, log *logBuffer, dir string) (*geo.Dataset, string) {
	t.Helper()
	d, err := c.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c.Wait()
	return d, log.take()
}

// TestLoadFromSnapshot checks that the second load reads the snapshot the
// first one wrote, and that both give exactly what geo.Load gives.
func TestLoadFromSnapshot(t *testing.T) {
	for name, dir := range map[string]string{"shipped": shippedDir(t), "synthetic": syntheticDir(t, 3000, 1)} {
		t.Run(name, func(t *testing.T) {
			c, log := openCache(t)
			d, said := load(t, c, log, dir)
			if strings.Contains(said, "snapshot read") || !strings.Contains(said, "dataset snapshot written") {
				t.Fatalf("first load logged:\n%s", said)
			}
			sameDataset(t, d, dir)
			d, said = load(t, c, log, dir)
			if !strings.Contains(said, "dataset snapshot read") {
				t.Fatalf("second load did not read the snapshot:\n%s", said)
			}
			sameDataset(t, d, dir)
		})
	}
}

// TestSnapshotOfChangedFiles checks that a snapshot is not used for files
// that changed: replaced (another size and time), and changed in place with
// the same size and the time set back, which only the hash sees.
func TestSnapshotOfChangedFiles(t *testing.T) {
	c, log := openCache(t)
	dir := syntheticDir(t, 2000, 1)
	load(t, c, log, dir)

	other := syntheticDir(t, 2100, 2)
	b, _ := os.ReadFile(filepath.Join(other, geo.IncidentsFile))
	writeFile(t, dir, geo.IncidentsFile, b)
	d, said := load(t, c, log, dir)
	if !strings.Contains(said, "incidents.geojson has changed") {
		t.Fatalf("a replaced file was not seen:\n%s", said)
	}
	sameDataset(t, d, dir)

	path := filepath.Join(dir, geo.IncidentsFile)
	info, _ := os.Stat(path)
	b, _ = os.ReadFile(path)
	loc := regexp.MustCompile(`"count":[1-8],`).FindIndex(b)
	if loc == nil {
		t.Fatal("no one-digit count to change")
	}
	b[loc[1]-2]++
	writeFile(t, dir, geo.IncidentsFile, b)
	if err := os.Chtimes(path, time.Time{}, info.ModTime()); err != nil {
		t.Fatal(err)
	}
	d, said = load(t, c, log, dir)
	if !strings.Contains(said, "contents have changed") {
		t.Fatalf("a file changed in place, its time set back, was not seen:\n%s", said)
	}
	sameDataset(t, d, dir)
	if _, said = load(t, c, log, dir); !strings.Contains(said, "dataset snapshot read") {
		t.Fatalf("the snapshot written after the change was not read:\n%s", said)
	}
}

// TestDamagedSnapshot checks that a snapshot changed on disk (one byte of
// its text, which no range check sees, or cut short) is not used.
func TestDamagedSnapshot(t *testing.T) {
	dir := syntheticDir(t, 2000, 1)
	for name, damage := range map[string]func([]byte) []byte{
		"a byte of text": func(b []byte) []byte {
			i := bytes.Index(b, []byte("Synthetic incident 1")) // in the snapshot's text
			b[i] = 's'
			return b
		},
		"cut short": func(b []byte) []byte { return b[:len(b)*2/3] },
		"its trailer": func(b []byte) []byte {
			b[len(b)-1]++
			return b
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, log := openCache(t)
			load(t, c, log, dir)
			path := c.Path(dir)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			d, said := load(t, c, log, dir)
			if !strings.Contains(said, "the snapshot cannot be used") {
				t.Fatalf("a damaged snapshot was not reported:\n%s", said)
			}
			sameDataset(t, d, dir)
			if _, said = load(t, c, log, dir); !strings.Contains(said, "dataset snapshot read") {
				t.Fatalf("the snapshot written again was not read:\n%s", said)
			}
		})
	}
}

// TestInvalidFilesWriteNoSnapshot checks that files geo.Load refuses are
// refused through the cache too, with no snapshot written.
func TestInvalidFilesWriteNoSnapshot(t *testing.T) {
	c, _ := openCache(t)
	dir := syntheticDir(t, 100, 1)
	path := filepath.Join(dir, geo.IncidentsFile)
	b, _ := os.ReadFile(path)
	writeFile(t, dir, geo.IncidentsFile, bytes.Replace(b, []byte(`"weapon":"`), []byte(`"weapon":"x`), 1))
	_, want := geo.Load(os.DirFS(dir))
	_, err := c.Load(dir)
	c.Wait()
	if err == nil || want == nil || err.Error() != want.Error() {
		t.Fatalf("through the cache: %v\nwithout: %v", err, want)
	}
	if _, err := os.Stat(c.Path(dir)); !os.IsNotExist(err) {
		t.Fatalf("a snapshot of invalid files: %v", err)
	}
}

// TestCloseLeavesNoTemporaryFile checks that Close, which stops a snapshot
// being written, leaves either the snapshot or nothing in the directory.
func TestCloseLeavesNoTemporaryFile(t *testing.T) {
	cacheDir := t.TempDir()
	c, err := loadcache.Open(cacheDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := syntheticDir(t, 2000, 1)
	if _, err := c.Load(dir); err != nil {
		t.Fatal(err)
	}
	c.Close()
	err = fs.WalkDir(os.DirFS(cacheDir), ".", func(name string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !strings.HasSuffix(name, ".snapshot") {
			t.Errorf("left in the cache: %s", name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenUnwritable checks that a cache directory that cannot be made is
// an error, which the server takes as no cache.
func TestOpenUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, filepath.Dir(file), "file", nil)
	if _, err := loadcache.Open(filepath.Join(file, "cache"), nil); err == nil {
		t.Fatal("a cache under a file was opened")
	}
}

// TestNewerLoadSupersedesWrite loads a directory, changes it and loads it
// again before waiting: the first snapshot's write is dropped or stopped,
// or done first, and the snapshot left is the second files'.
func TestNewerLoadSupersedesWrite(t *testing.T) {
	c, log := openCache(t)
	dir := syntheticDir(t, 3000, 1)
	if _, err := c.Load(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(syntheticDir(t, 2500, 3), geo.IncidentsFile))
	writeFile(t, dir, geo.IncidentsFile, b)
	if _, err := c.Load(dir); err != nil {
		t.Fatal(err)
	}
	c.Wait()
	if said := log.take(); strings.Contains(said, "not written") {
		t.Fatalf("a superseded write was reported as a failure:\n%s", said)
	}
	d, said := load(t, c, log, dir)
	if !strings.Contains(said, "dataset snapshot read") {
		t.Fatalf("the newer files' snapshot was not read:\n%s", said)
	}
	sameDataset(t, d, dir)
}

// TestOpenRefusesSharedDirectory checks that a cache directory others may
// write to is refused: a snapshot written there would be served.
func TestOpenRefusesSharedDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := loadcache.Open(dir, nil); err == nil || !strings.Contains(err.Error(), "other users") {
		t.Fatalf("a world-writable cache directory: %v", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := loadcache.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
