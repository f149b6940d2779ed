package follow_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"strikemap/data"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/store"
	"strikemap/internal/testenv"
)

// edited returns an incident's feature from the record with its outcome
// (and id, when id is not "") changed.
func edited(t *testing.T, rec *store.Store, from, id, outcome string) (before, after []byte) {
	t.Helper()
	body, ok, err := rec.Feature(context.Background(), geo.IncidentsFile, from)
	if err != nil || !ok {
		t.Fatalf("feature %s: %v, %v", from, ok, err)
	}
	var f map[string]any
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	f["properties"].(map[string]any)["outcome"] = outcome
	if id != "" {
		f["id"] = id
	}
	after, err = json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return body, after
}

func fileOrder(d *geo.Dataset) []string {
	var ids []string
	for inc := range d.InFileOrder() {
		ids = append(ids, inc.ID)
	}
	return ids
}

// sameData says whether two incidents share their memory: the same id
// string and the same sources.
func sameData(a, b *geo.Incident) bool {
	return unsafe.StringData(a.ID) == unsafe.StringData(b.ID) && len(a.Sources) > 0 && &a.Sources[0] == &b.Sources[0]
}

// An approved change is applied to the dataset served: the unchanged
// incidents keep their memory (the same strings and sources as the
// version before), the changed, retracted and added ones are as a full
// load of the new version has them (the oracle: follow.Load), across two
// versions at once; a version that reorders the file is loaded whole,
// and equals its full load too.
func TestFollowAppliesInPlace(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			rec := open(t, b.url(t))
			if _, err := rec.Import(ctx, data.FS, store.ImportAuthor, "first"); err != nil {
				t.Fatal(err)
			}
			editor, err := rec.AddUser(ctx, "follower-test", store.Editor, "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			d1, err := follow.Load(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			gs := geo.NewStore(d1, time.Now())
			f := follow.New(rec, gs, follow.Options{})

			// Version 2 changes one incident and adds one; version 3
			// retracts one (the first of the file no strike answers).
			changed, added := d1.Incidents[3].ID, "follow-test-added"
			before, after := edited(t, rec, changed, "", "Changed by the follow test")
			_, addedBody := edited(t, rec, d1.Incidents[4].ID, added, "Added by the follow test")
			if _, err := rec.Edit(ctx, editor, "change and add", store.Edit{File: geo.IncidentsFile, ID: changed, Before: before, After: after},
				store.Edit{File: geo.IncidentsFile, ID: added, After: addedBody}); err != nil {
				t.Fatal(err)
			}
			var retracted string
			for inc := range d1.InFileOrder() {
				if inc.ID == changed {
					continue
				}
				body, _, _ := rec.Feature(ctx, geo.IncidentsFile, inc.ID)
				_, err := rec.Edit(ctx, editor, "a retraction", store.Edit{File: geo.IncidentsFile, ID: inc.ID, Before: body})
				var ve *geo.ValidationError
				if errors.As(err, &ve) {
					continue // a strike answers it
				}
				if err != nil {
					t.Fatal(err)
				}
				retracted = inc.ID
				break
			}
			if err := f.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			d3 := gs.Dataset()
			oracle, err := follow.Load(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			if d3.Record != 3 || oracle.Record != 3 || d3.Version != oracle.Version {
				t.Fatalf("served version %d (%s), a full load %d (%s)", d3.Record, d3.Version, oracle.Record, oracle.Version)
			}
			if !reflect.DeepEqual(d3.Incidents, oracle.Incidents) || !reflect.DeepEqual(d3.Bases, oracle.Bases) ||
				!slices.Equal(fileOrder(d3), fileOrder(oracle)) || !reflect.DeepEqual(d3.Strikes, oracle.Strikes) {
				t.Fatalf("the dataset applied in place differs from a full load of version 3")
			}
			if inc, ok := d3.Incident(changed); !ok || inc.Outcome != "Changed by the follow test" {
				t.Errorf("the changed incident: %+v, %v", inc, ok)
			}
			if inc, ok := d3.Incident(added); !ok || inc.Outcome != "Added by the follow test" || fileOrder(d3)[len(d3.Incidents)-1] != added {
				t.Errorf("the added incident, last in the file: %+v, %v", inc, ok)
			}
			if _, ok := d3.Incident(retracted); ok || retracted == "" {
				t.Errorf("the retracted incident %q is still served", retracted)
			}
			shared := 0
			for i := range d1.Incidents {
				old := d1.Incidents[i]
				if now, ok := d3.Incident(old.ID); ok && sameData(old, now) {
					shared++
				}
			}
			if want := len(d1.Incidents) - 2; shared != want {
				t.Errorf("%d incidents share their memory with version 1, want %d (all but the changed and the retracted)", shared, want)
			}
			// Readers of version 1 still have it whole.
			if _, ok := d1.Incident(retracted); !ok || len(d1.Incidents) != len(oracle.Incidents) {
				t.Errorf("version 1's dataset changed")
			}

			// Version 4 reorders the file (an import): loaded whole.
			steps, _, _ := testenv.HistorySteps(t)
			if _, err := rec.Import(ctx, steps[1], store.ImportAuthor, "reordered"); err != nil {
				t.Fatal(err)
			}
			if err := f.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			d4 := gs.Dataset()
			oracle, err = follow.Load(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			if d4.Record != 4 || d4.Version != oracle.Version || !reflect.DeepEqual(d4.Incidents, oracle.Incidents) || !slices.Equal(fileOrder(d4), fileOrder(oracle)) {
				t.Errorf("version 4 served (%d, %s) differs from its full load (%d, %s)", d4.Record, d4.Version, oracle.Record, oracle.Version)
			}
		})
	}
}
