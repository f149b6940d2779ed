package schemacheck

import (
	"slices"
	"testing"

	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/ingest"
	"strikemap/internal/ogcapi"
	"strikemap/internal/request"
	"strikemap/internal/store"
)

// The lists other packages export are functions that return copies: a
// caller that changes what it got (sorts it, appends to it in place,
// overwrites an item) changes nothing for the next caller. They were
// package variables any caller could change for everyone (issue 15,
// point 4). So are the schema's fields.
func TestExportedListsAreCopies(t *testing.T) {
	strings := map[string]func() []string{
		"request.FilterParams":    request.FilterParams,
		"export.CSVHeader":        export.CSVHeader,
		"export.StrikesCSVHeader": export.StrikesCSVHeader,
		"ingest.MappingFields":    ingest.MappingFields,
		"ogcapi.ConformsTo":       ogcapi.ConformsTo,
		"store.Files":             store.Files,
		"store.EditableFiles":     store.EditableFiles,
	}
	for name, get := range strings {
		before := get()
		if len(before) == 0 {
			t.Errorf("%s is empty", name)
			continue
		}
		got := get()
		got[0] = "changed"
		slices.Reverse(got)
		if after := get(); !slices.Equal(after, before) {
			t.Errorf("changing what %s returned changed it from %v to %v", name, before, after)
		}
	}
	// The schema's fields, and their allowed values, likewise.
	for name, get := range map[string]func() []geo.Field{"geo.IncidentFields": geo.IncidentFields, "geo.SourceFields": geo.SourceFields, "geo.BaseFields": geo.BaseFields} {
		before := get()
		got := get()
		got[0].Name = "changed"
		for i := range got {
			if len(got[i].Values) > 0 {
				got[i].Values[0] = "changed"
			}
		}
		after := get()
		for i := range before {
			if after[i].Name != before[i].Name || !slices.Equal(after[i].Values, before[i].Values) {
				t.Errorf("changing what %s returned changed its field %d from %+v to %+v", name, i, before[i], after[i])
			}
		}
	}
	roles := store.Roles()
	roles[0] = store.Admin
	if store.Roles()[0] != store.Contributor {
		t.Errorf("changing what store.Roles returned changed it: %v", store.Roles())
	}
}
