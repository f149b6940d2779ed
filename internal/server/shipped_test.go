package server

import (
	"os"
	"testing"
	"time"

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

// octoberServer serves the first embedded dataset (12 incidents of
// October 2023 and Tower 22, six bases), kept in testdata: the timeline
// tests were written for its shape (a dense October, then a gap to late
// January) and measure what that shape shows, whatever the embedded data
// holds now.
func octoberServer(t *testing.T) *Server {
	t.Helper()
	d, err := geo.Load(os.DirFS("testdata/october-2023"))
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap})
}
