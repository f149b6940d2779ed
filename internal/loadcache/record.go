package loadcache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"path/filepath"
	"time"

	"strikemap/internal/geo"
)

// A record's snapshot (-db) holds its bases and incidents at one of its
// versions, the number of which is in the header. Unlike a directory's,
// it is not checked against the record here: the caller (follow.LoadCached)
// compares the snapshot's Version, the dataset's digest, with the digest the
// record keeps for that version, and applies the changes made since, as a
// follower applies a new version. A record's changes are few between two
// starts, so a snapshot a version or two behind still saves the load.

const recordMagic = "strikemap record\n"

// recordHeaderSize is a record snapshot's header: recordMagic, Format,
// geo.SnapshotFormat, the executable's hash and the version's number.
const recordHeaderSize = len(recordMagic) + 4 + 4 + 8 + 8

// RecordPath returns the file that holds the snapshot of the record named
// record (store.Store.String: its URL, any password hidden).
func (c *Cache) RecordPath(record string) string {
	sum := sha256.Sum256([]byte(record))
	return filepath.Join(c.dir, "record-"+hex.EncodeToString(sum[:8])+".snapshot")
}

// ReadRecord returns the bases and incidents of the record's snapshot, with
// Record the number of the version it was written at. The error wraps
// fs.ErrNotExist when there is none; IsStale says whether it is expected
// (none yet, or written by another build) rather than a fault.
func (c *Cache) ReadRecord(record string) (*geo.Dataset, error) {
	start := time.Now()
	path := c.RecordPath(record)
	f, size, head, err := openSnapshot(path, recordHeaderSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	le := binary.LittleEndian
	if string(head[:len(recordMagic)]) != recordMagic {
		return nil, errors.New("it is not a strikemap record snapshot")
	}
	h := head[len(recordMagic):]
	if le.Uint32(h) != Format || le.Uint32(h[4:]) != geo.SnapshotFormat || le.Uint64(h[8:]) != c.exe {
		return nil, staleError{"it was written by another build of strikemap"}
	}
	number := int64(le.Uint64(h[16:]))
	core, err := decodeMapped(f, size, head, nil)
	if err != nil {
		return nil, err
	}
	core.Record = number
	c.logger.Info("record snapshot read", "snapshot", path, "version", number, "incidents", len(core.Incidents), "took", time.Since(start).Round(time.Millisecond))
	return core, nil
}

// IsStale says whether err, from ReadRecord, is expected after another
// build or no snapshot yet, rather than a fault worth a warning.
func IsStale(err error) bool {
	var stale staleError
	return errors.As(err, &stale) || errors.Is(err, fs.ErrNotExist)
}

// WriteRecord writes d's snapshot as the record's in the background: d is
// the record at version d.Record, its Version that version's digest. The
// snapshot keeps its bases and incidents; the optional files are read from
// the record at each start.
func (c *Cache) WriteRecord(record string, d *geo.Dataset) {
	le := binary.LittleEndian
	head := make([]byte, 0, recordHeaderSize)
	head = append(head, recordMagic...)
	head = le.AppendUint32(head, Format)
	head = le.AppendUint32(head, geo.SnapshotFormat)
	head = le.AppendUint64(head, c.exe)
	head = le.AppendUint64(head, uint64(d.Record))
	c.writeLater(c.RecordPath(record), d, head)
}
