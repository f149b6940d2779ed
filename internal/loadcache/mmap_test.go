//go:build unix

package loadcache

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// TestMappedFileCutShort checks that a file cut short while it is mapped is
// an error for each of its readers (the snapshot's decoder, its checksum),
// not a crash: reading the pages it lost faults
// (SIGBUS), which must come back as a panic they recover.
func TestMappedFileCutShort(t *testing.T) {
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	var incidents bytes.Buffer
	if err := synth.WriteIncidents(&incidents, synth.Config{N: 20000, Seed: 1, Bases: shipped.Bases}); err != nil {
		t.Fatal(err)
	}
	d, err := geo.Parse(basesJSON, incidents.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var snap bytes.Buffer
	if err := d.WriteSnapshot(&snap); err != nil {
		t.Fatal(err)
	}
	pageSize := os.Getpagesize()
	if snap.Len() < 8*pageSize {
		t.Fatalf("a snapshot of %d bytes is too small for the test", snap.Len())
	}

	// mapCut writes b to a file, maps it whole, then cuts the file to
	// its first page: the rest of the mapping faults when read.
	mapCut := func(t *testing.T, b []byte) []byte {
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		m, unmap, err := mapFile(f, len(b))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(unmap)
		if err := os.Truncate(path, int64(pageSize)); err != nil {
			t.Fatal(err)
		}
		return m
	}

	t.Run("decode", func(t *testing.T) {
		m := mapCut(t, snap.Bytes())
		if _, err := geo.DecodeSnapshot(m); err == nil || !strings.Contains(err.Error(), "faulted") {
			t.Fatalf("a snapshot cut short while mapped: %v", err)
		}
	})
	t.Run("checksum", func(t *testing.T) {
		m := mapCut(t, append(make([]byte, headerSize), snap.Bytes()...))
		if err := checkSum(m, m[:headerSize]); err == nil || err.Error() != "it was cut short while read" {
			t.Fatalf("the checksum of a file cut short while mapped: %v", err)
		}
	})
}
