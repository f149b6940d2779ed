package geo_test

import (
	"bytes"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// TestSnapshotRoundTrip checks that a snapshot gives back exactly the
// dataset it was written from, every field (orders and index too): the
// shipped data (spans, claims, disputes, aliases) and synthetic data.
func TestSnapshotRoundTrip(t *testing.T) {
	shipped, err := geo.LoadCore(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	empty, err := geo.Parse(basesJSON, []byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*geo.Dataset{"shipped": shipped, "synthetic": synthetic(t, 10000), "no incidents": empty} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := d.WriteSnapshot(&buf); err != nil {
				t.Fatal(err)
			}
			got, err := geo.DecodeSnapshot(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if diff := geo.SameDataset(got, d); diff != "" {
				t.Fatalf("read back: %s", diff)
			}
			// Written again, the same bytes.
			var again bytes.Buffer
			if err := got.WriteSnapshot(&again); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), buf.Bytes()) {
				t.Error("a snapshot of the snapshot's dataset differs from the snapshot")
			}
		})
	}
}

// TestSnapshotWithExtras checks that the shipped data read through a
// snapshot and WithExtras is what Load makes of it.
func TestSnapshotWithExtras(t *testing.T) {
	want, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	core, err := geo.LoadCore(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := core.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	read, err := geo.DecodeSnapshot(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, err := read.WithExtras(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Strikes) == 0 || len(want.OfficialCounts) == 0 {
		t.Fatal("the shipped data has no strikes or official counts to compare")
	}
	if diff := geo.SameDataset(got, want); diff != "" {
		t.Fatalf("snapshot + WithExtras against Load: %s", diff)
	}
	if read.Version != core.Version || read.Strikes != nil {
		t.Error("WithExtras changed the core it was given")
	}
}

// TestSnapshotDamaged checks that a damaged snapshot is an error, or at
// worst another dataset, never a panic: every truncation, and every byte
// of the header and a sample of the rest changed.
func TestSnapshotDamaged(t *testing.T) {
	var buf bytes.Buffer
	if err := synthetic(t, 40).WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	snap := buf.Bytes()
	for n := 0; n < len(snap); n += 1 + n/256 {
		if _, err := geo.DecodeSnapshot(snap[:n]); err == nil {
			t.Fatalf("a snapshot cut to %d of its %d bytes was read", n, len(snap))
		}
	}
	damaged := make([]byte, len(snap))
	for i := 0; i < len(snap); i += 1 + i/64 {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			copy(damaged, snap)
			damaged[i] ^= x
			geo.DecodeSnapshot(damaged) // must not panic
		}
	}
	copy(damaged, snap)
	damaged[17]++ // the format
	if _, err := geo.DecodeSnapshot(damaged); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("a snapshot of another format: %v", err)
	}
}

// TestSnapshotDamagedChunks is TestSnapshotDamaged for a snapshot of
// several chunks, which DecodeSnapshot decodes side by side: a changed
// byte in a later chunk (its records, its list lengths, the orders
// after it) is an error or another dataset, never a panic or a write past
// a chunk.
func TestSnapshotDamagedChunks(t *testing.T) {
	var buf bytes.Buffer
	if err := synthetic(t, 10000).WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	snap := buf.Bytes()
	damaged := make([]byte, len(snap))
	for i := 0; i < len(snap); i += 1 + i/4 {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			copy(damaged, snap)
			damaged[i] ^= x
			geo.DecodeSnapshot(damaged) // must not panic
		}
	}
}
