// Package loadcache keeps a snapshot of each data directory's bases and
// incidents (geo.WriteSnapshot), so that a start reads the dataset back in a
// fraction of the time that parsing and checking its GeoJSON takes.
//
// A snapshot is used only when it is the files': its header holds each data
// file's size, modification time and xxhash, taken from the very bytes the
// loader read, and the executable's xxhash. A start compares the sizes and
// times first, then hashes both files in full and the snapshot (mapped) for
// its own checksum while the snapshot is decoded on every core; any
// difference, a damaged or cut file, or another build of strikemap, and the
// files are loaded as without a cache (with a log line saying why), and a new
// snapshot is written in the background. The optional files (official counts,
// strikes) are small and always read from the directory.
package loadcache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"strikemap/internal/atomicfile"
	"strikemap/internal/geo"
	"strikemap/internal/mapfault"
)

// Format is the version of the cache file's header and trailer around the
// snapshot (geo.SnapshotFormat is the snapshot's own).
const Format = 1

const magic = "strikemap cache\n"

// dataFiles are the files a snapshot holds, in the header's order.
var dataFiles = [2]string{geo.BasesFile, geo.IncidentsFile}

// headerSize is the cache file's header: magic, Format, geo.SnapshotFormat,
// the executable's hash, then size, modification time and hash per file.
const headerSize = len(magic) + 4 + 4 + 8 + len(dataFiles)*3*8

// Cache is a directory of snapshots, one per data directory. Its methods
// are safe for concurrent use.
type Cache struct {
	dir    string
	logger *slog.Logger
	exe    uint64 // xxhash of the running executable

	ctx    context.Context // ends with Close, which stops a write
	cancel context.CancelFunc
	writes sync.WaitGroup
	write  sync.Mutex // one snapshot written at a time

	mu sync.Mutex
	// latest is, per snapshot file, the number of the newest write asked
	// for, and stop ends the one being written: a newer dataset (a reload)
	// supersedes it, so that an older one is never held for a write that
	// would be replaced at once.
	latest map[string]uint64
	stop   map[string]context.CancelFunc
}

// Open returns the cache in dir, making the directory (0700) if need be.
// It is an error when dir cannot be written, when others may write it, or
// when the running executable cannot be read (its hash keys every
// snapshot): the caller then loads without one.
func Open(dir string, logger *slog.Logger) (*Cache, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cache directory: %w", err)
	}
	// Whoever may write here could write a snapshot that passes every
	// check (the checksum is no signature) and have it served.
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("cache directory: %w", err)
	} else if info.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("cache directory %s may be written by other users (mode %v): make it 0700", dir, info.Mode().Perm())
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("cache directory %s cannot be written: %w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	exe, err := executableHash()
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Cache{dir: dir, logger: logger, exe: exe, ctx: ctx, cancel: cancel,
		latest: make(map[string]uint64), stop: make(map[string]context.CancelFunc)}, nil
}

// executableHash is the xxhash of the running program: a snapshot written
// by one build is not read by another, whose checks or types may differ.
func executableHash() (uint64, error) {
	path, err := os.Executable()
	if err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := xxhash.New()
	if _, err := io.Copy(h, f); err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	return h.Sum64(), nil
}

// Close stops a snapshot being written (its temporary file is removed) and
// waits for it to end.
func (c *Cache) Close() {
	c.cancel()
	c.writes.Wait()
}

// Wait waits for the snapshots being written to be written.
func (c *Cache) Wait() { c.writes.Wait() }

// Path returns the file that holds dataDir's snapshot.
func (c *Cache) Path(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:8])+".snapshot")
}

// fileKey is what a snapshot knows of one data file.
type fileKey struct {
	size  int64
	mtime int64 // nanoseconds since 1970
	hash  uint64
}

// Load returns the dataset of dataDir as geo.Load does, reading its bases
// and incidents from the snapshot when it is theirs and from the files
// otherwise (then writing a snapshot of them in the background).
func (c *Cache) Load(dataDir string) (*geo.Dataset, error) {
	fsys := os.DirFS(dataDir)
	path := c.Path(dataDir)
	core, err := c.read(path, dataDir)
	if err != nil {
		var stale staleError
		if errors.As(err, &stale) {
			c.logger.Info("reading the data files: the snapshot is not theirs", "snapshot", path, "reason", err)
		} else if !errors.Is(err, fs.ErrNotExist) {
			c.logger.Warn("reading the data files: the snapshot cannot be used", "snapshot", path, "err", err)
		}
		runtime.GC() // a snapshot read in vain is garbage before the files are read
		core, err = c.loadFiles(fsys, path)
		if err != nil {
			return nil, err
		}
	}
	return core.WithExtras(fsys)
}

// staleError says a snapshot is of other files or another build: expected
// after every change, and not a fault.
type staleError struct{ reason string }

func (e staleError) Error() string { return e.reason }

// read reads path's snapshot of dataDir's files, checking it is theirs.
func (c *Cache) read(path, dataDir string) (*geo.Dataset, error) {
	start := time.Now()
	f, size, head, err := openSnapshot(path, headerSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	want, err := c.parseHeader(head)
	if err != nil {
		return nil, err
	}
	// The files' sizes and times first: a change to either is the usual
	// case, and costs no reading.
	for i, name := range dataFiles {
		fi, err := os.Stat(filepath.Join(dataDir, name))
		if err != nil {
			return nil, err
		}
		if fi.Size() != want[i].size || fi.ModTime().UnixNano() != want[i].mtime {
			return nil, staleError{fmt.Sprintf("%s has changed since the snapshot was written", name)}
		}
	}
	// Then their contents: the files and the snapshot are hashed while the
	// snapshot, mapped, is decoded on every core.
	core, err := decodeMapped(f, size, head, func() error { return checkContents(dataDir, want) })
	if err != nil {
		return nil, err
	}
	c.logger.Info("dataset snapshot read", "snapshot", path, "incidents", len(core.Incidents), "took", time.Since(start).Round(time.Millisecond))
	return core, nil
}

// openSnapshot opens the cache file at path and reads its header of
// headerLen bytes; the caller closes f.
func openSnapshot(path string, headerLen int) (f *os.File, size int64, head []byte, err error) {
	f, err = os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	info, err := f.Stat()
	if err == nil {
		head = make([]byte, headerLen)
		if _, err = io.ReadFull(f, head); err != nil {
			err = fmt.Errorf("its header: %w", err)
		}
	}
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	return f, info.Size(), head, nil
}

// decodeMapped maps the cache file f, of size bytes, whose header head was
// read and checked, and decodes its snapshot on every core while its
// checksum is checked and also (when not nil) runs beside.
func decodeMapped(f *os.File, size int64, head []byte, also func() error) (*geo.Dataset, error) {
	if size < int64(len(head))+8 {
		return nil, errors.New("it is cut short")
	}
	if size > math.MaxInt {
		return nil, errors.New("it is too large")
	}
	b, unmap, err := mapFile(f, int(size))
	if err != nil {
		return nil, err
	}
	defer unmap()
	checks := make(chan error, 1)
	go func() {
		var err error
		if also != nil {
			err = also()
		}
		checks <- err
	}()
	sums := make(chan error, 1)
	go func() { sums <- checkSum(b, head) }()
	core, err := geo.DecodeSnapshot(b[len(head) : len(b)-8])
	cerr, serr := <-checks, <-sums
	if cerr != nil {
		return nil, cerr
	}
	if serr != nil {
		return nil, serr
	}
	if err != nil {
		return nil, err
	}
	return core, nil
}

// parseHeader checks a cache file's header against this build and returns
// the data files' keys it holds.
func (c *Cache) parseHeader(head []byte) (keys [len(dataFiles)]fileKey, err error) {
	le := binary.LittleEndian
	if string(head[:len(magic)]) != magic {
		return keys, errors.New("it is not a strikemap cache file")
	}
	head = head[len(magic):]
	if le.Uint32(head) != Format || le.Uint32(head[4:]) != geo.SnapshotFormat || le.Uint64(head[8:]) != c.exe {
		return keys, staleError{"it was written by another build of strikemap"}
	}
	head = head[16:]
	for i := range keys {
		keys[i] = fileKey{size: int64(le.Uint64(head)), mtime: int64(le.Uint64(head[8:])), hash: le.Uint64(head[16:])}
		head = head[24:]
	}
	return keys, nil
}

// checkContents hashes dataDir's data files in full and compares them with
// want. (They are read, not mapped: on the 2-core machine, hashing the
// 853 MB of a million incidents took 0.2 to 0.3 CPU-s read through a 1 MiB
// buffer and 0.7 to 0.9 CPU-s through a mapping, whose 4 KiB pages cost
// more to walk than the copy.)
func checkContents(dataDir string, want [len(dataFiles)]fileKey) error {
	buf := make([]byte, 1<<20)
	for i, name := range dataFiles {
		f, err := os.Open(filepath.Join(dataDir, name))
		if err != nil {
			return err
		}
		h := xxhash.New()
		n, err := io.CopyBuffer(h, f, buf)
		f.Close()
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if n != want[i].size || h.Sum64() != want[i].hash {
			return staleError{fmt.Sprintf("%s's contents have changed since the snapshot was written (its time has not)", name)}
		}
	}
	return nil
}

// checkSum checks the snapshot file b against its checksum, the xxhash of
// all before it, and that it begins with head, the header read before it
// was mapped.
func checkSum(b, head []byte) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer mapfault.Recover(&err, func(uintptr) error { return errors.New("it was cut short while read") })
	n := len(b) - 8
	if string(b[:len(head)]) != string(head) || xxhash.Sum64(b[:n]) != binary.LittleEndian.Uint64(b[n:]) {
		return errors.New("its checksum does not match its contents")
	}
	return nil
}

// readFile reads f's first size bytes, where a file cannot be mapped.
func readFile(f *os.File, size int) ([]byte, func(), error) {
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, nil, err
	}
	return b, func() {}, nil
}

// loadFiles loads the bases and incidents from fsys, hashing the bytes as
// the loader reads them, and writes their snapshot to path in the
// background when the files did not change while they were read.
func (c *Cache) loadFiles(fsys fs.FS, path string) (*geo.Dataset, error) {
	hfs := &hashingFS{FS: fsys}
	core, err := geo.LoadCore(hfs)
	if err != nil {
		return nil, err
	}
	keys, ok := hfs.keys()
	if !ok {
		c.logger.Info("no snapshot written: the data files changed while they were read", "snapshot", path)
		return core, nil
	}
	c.writeLater(path, core, fileHeader(c.exe, keys))
	return core, nil
}

// writeLater writes core's snapshot to path under head in the background.
// A newer write to the same path supersedes it: the older one stops, or
// never starts.
func (c *Cache) writeLater(path string, core *geo.Dataset, head []byte) {
	c.mu.Lock()
	c.latest[path]++
	n := c.latest[path]
	if stop := c.stop[path]; stop != nil {
		stop() // an older dataset's snapshot, being written
	}
	c.mu.Unlock()
	c.writes.Add(1)
	go func() {
		defer c.writes.Done()
		c.write.Lock()
		defer c.write.Unlock()
		ctx, cancel := context.WithCancel(c.ctx)
		defer cancel()
		c.mu.Lock()
		superseded := c.latest[path] != n
		if !superseded {
			c.stop[path] = cancel
		}
		c.mu.Unlock()
		if superseded {
			return
		}
		defer func() {
			c.mu.Lock()
			if c.latest[path] == n {
				delete(c.stop, path)
			}
			c.mu.Unlock()
		}()
		start := time.Now()
		size, err := writeSnapshot(ctx, path, core, head)
		if err != nil {
			if ctx.Err() == nil {
				c.logger.Warn("dataset snapshot not written", "snapshot", path, "err", err)
			}
			return
		}
		c.logger.Info("dataset snapshot written", "snapshot", path, "bytes", size, "took", time.Since(start).Round(time.Millisecond))
	}()
}

// fileHeader is the header of a data directory's snapshot: magic, Format,
// geo.SnapshotFormat, the executable's hash, then each data file's key.
func fileHeader(exe uint64, keys [len(dataFiles)]fileKey) []byte {
	le := binary.LittleEndian
	head := make([]byte, 0, headerSize)
	head = append(head, magic...)
	head = le.AppendUint32(head, Format)
	head = le.AppendUint32(head, geo.SnapshotFormat)
	head = le.AppendUint64(head, exe)
	for _, k := range keys {
		head = le.AppendUint64(head, uint64(k.size))
		head = le.AppendUint64(head, uint64(k.mtime))
		head = le.AppendUint64(head, k.hash)
	}
	return head
}

// writeSnapshot replaces path with head followed by core's snapshot and
// the checksum, atomically, and returns its size; it stops, writing
// nothing, when ctx ends.
func writeSnapshot(ctx context.Context, path string, core *geo.Dataset, head []byte) (int64, error) {
	le := binary.LittleEndian
	var n int64
	err := atomicfile.WriteFunc(path, func(w io.Writer) error {
		cw := &checkedWriter{ctx: ctx, w: w, sum: xxhash.New()}
		cw.Write(head)
		if err := core.WriteSnapshot(cw); err != nil {
			return err
		}
		if cw.err != nil {
			return cw.err
		}
		n = cw.n + 8
		_, err := w.Write(le.AppendUint64(nil, cw.sum.Sum64()))
		return err
	})
	return n, err
}

// checkedWriter writes to w, hashing what it writes, until ctx ends.
type checkedWriter struct {
	ctx context.Context
	w   io.Writer
	sum hash.Hash64
	n   int64
	err error
}

func (cw *checkedWriter) Write(p []byte) (int, error) {
	if cw.err != nil {
		return 0, cw.err
	}
	if cw.err = cw.ctx.Err(); cw.err != nil {
		return 0, cw.err
	}
	n, err := cw.w.Write(p)
	cw.sum.Write(p[:n])
	cw.n += int64(n)
	cw.err = err
	return n, err
}

// hashingFS hashes the data files as they are read through it, and keeps
// what they were when opened.
type hashingFS struct {
	fs.FS
	mu    sync.Mutex
	files [len(dataFiles)]*hashingFile
}

func (h *hashingFS) Open(name string) (fs.File, error) {
	f, err := h.FS.Open(name)
	if err != nil {
		return nil, err
	}
	for i, data := range dataFiles {
		if name != data {
			continue
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		hf := &hashingFile{File: f, opened: info, sum: xxhash.New()}
		h.mu.Lock()
		h.files[i] = hf
		h.mu.Unlock()
		return hf, nil
	}
	return f, nil
}

// keys returns the data files' keys, with ok false unless each was read
// once, whole, and its size and time were the same at its end.
func (h *hashingFS) keys() (keys [len(dataFiles)]fileKey, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, f := range h.files {
		if f == nil || !f.whole || f.changed {
			return keys, false
		}
		keys[i] = fileKey{size: f.opened.Size(), mtime: f.opened.ModTime().UnixNano(), hash: f.sum.Sum64()}
	}
	return keys, true
}

// hashingFile is a data file being read, and hashed, once from its start.
type hashingFile struct {
	fs.File
	opened  fs.FileInfo
	sum     *xxhash.Digest
	n       int64
	whole   bool // read to its end, opened.Size() bytes
	changed bool // its size or time was not the same at its end
}

func (f *hashingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.sum.Write(p[:n])
	f.n += int64(n)
	if err == io.EOF {
		f.whole = f.n == f.opened.Size()
		if info, serr := f.File.Stat(); serr != nil || info.Size() != f.opened.Size() || !info.ModTime().Equal(f.opened.ModTime()) {
			f.changed = true
		}
	}
	return n, err
}

// Close reads what the loader left of the file (nothing, when it read a
// valid one to its end), so that the hash covers all of it, then closes it.
func (f *hashingFile) Close() error {
	if !f.whole && !f.changed {
		buf := make([]byte, 32<<10)
		for {
			if _, err := f.Read(buf); err != nil {
				break
			}
		}
	}
	return f.File.Close()
}
