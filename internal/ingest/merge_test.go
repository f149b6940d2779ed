package ingest_test

import (
	"testing"

	"strikemap/internal/geo"
	"strikemap/internal/ingest"
)

func TestMerge(t *testing.T) {
	b := readACLED(t, "acled-2023.csv", ingest.ACLEDFilter{})
	existing := []geo.Incident{b.Incidents[2], b.Incidents[0]} // IRQ1003, IRQ1001: file order kept
	kept := b.Incidents[0]
	kept.ID = "hand-made"
	existing = append(existing, kept)

	incoming := append([]geo.Incident{}, b.Incidents...)
	incoming[2].Notes = "Corrected by ACLED." // IRQ1003 changes

	merged, c := ingest.Merge(existing, incoming)
	want := ingest.Counts{Added: 3, Updated: 1, Unchanged: 1, Kept: 1}
	if c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	var ids []string
	for _, inc := range merged {
		ids = append(ids, inc.ID)
	}
	// Existing order first, then the new ones by date.
	wantIDs := []string{"acled-IRQ1003", "acled-IRQ1001", "hand-made", "acled-IRQ1002", "acled-SYR2001", "acled-JOR3001"}
	if len(ids) != len(wantIDs) {
		t.Fatalf("merged %v, want %v", ids, wantIDs)
	}
	for i := range ids {
		if ids[i] != wantIDs[i] {
			t.Fatalf("merged %v, want %v", ids, wantIDs)
		}
	}
	if merged[0].Notes != "Corrected by ACLED." {
		t.Errorf("update not applied: %q", merged[0].Notes)
	}

	// Importing the merged result again changes nothing.
	again, c := ingest.Merge(merged, incoming)
	if c != (ingest.Counts{Unchanged: 5, Kept: 1}) || len(again) != len(merged) {
		t.Errorf("re-import: %+v", c)
	}
}
