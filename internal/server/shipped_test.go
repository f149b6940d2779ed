package server

import (
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// shippedData loads the embedded dataset, so that tests of the shipped data
// derive their counts from it rather than repeat numbers that change
// whenever an incident is added.
func shippedData(t *testing.T) *geo.Dataset {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// shippedIncident returns one incident of the embedded dataset.
func shippedIncident(t *testing.T, id string) *geo.Incident {
	t.Helper()
	inc, ok := shippedData(t).Incident(id)
	if !ok {
		t.Fatalf("the shipped dataset has no incident %s", id)
	}
	return inc
}
