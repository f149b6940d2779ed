package ingest_test

import (
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"strikemap/internal/geo"
	"strikemap/internal/ingest"
)

var update = flag.Bool("update", false, "rewrite testdata/attacks.want.geojson")

// exampleMapping is the mapping docs/import.md gives for docs/examples/attacks.csv.
const exampleMapping = "id=Ref,date=Day,date_end=Until,lat=Lat,lon=Lon,weapon=Weapon,count=Projectiles,base=Target," +
	"source_publisher=Outlet,source_url=Link,source_kind=Outlet kind,source_published=Published,source_says=What it says," +
	"claimed_by=Claimed by,notes=Comment"

func TestReadCSVExample(t *testing.T) {
	bases, basesJSON := fixtureBases(t)
	m, err := ingest.ParseMapping(exampleMapping)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../docs/examples/attacks.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := ingest.ReadCSV(f, "attacks.csv", m, ingest.CSVOptions{Bases: bases, RadiusKm: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(basesJSON); err != nil {
		t.Fatal(err)
	}
	out, err := geo.MarshalIncidents(b.Incidents)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/attacks.want.geojson", out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/attacks.want.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(want) {
		t.Errorf("import of attacks.csv differs from testdata/attacks.want.geojson:\n%s", out)
	}
	var rejected []string
	for _, r := range b.Rejected {
		rejected = append(rejected, r.String())
	}
	wantRejected := []string{
		`attacks.csv:5: Lat: is empty: want decimal degrees such as 33.7856`,
		`attacks.csv:6: Weapon: "laser" is not one of drone, rocket, missile, unknown`,
		`attacks.csv:7: Ref: id "AAA-1" is also the id of line 2: ids must be unique`,
	}
	if !reflect.DeepEqual(rejected, wantRejected) {
		t.Errorf("rejected:\n  %s\nwant:\n  %s", strings.Join(rejected, "\n  "), strings.Join(wantRejected, "\n  "))
	}
}

func TestReadCSVDerivedID(t *testing.T) {
	m, err := ingest.ParseMapping("lat=y,lon=x,date=d,source_publisher=p,source_says=s")
	if err != nil {
		t.Fatal(err)
	}
	read := func(csv string) []geo.Incident {
		b, err := ingest.ReadCSV(strings.NewReader(csv), "x.csv", m, ingest.CSVOptions{})
		if err != nil || len(b.Rejected) > 0 {
			t.Fatalf("%v %v", err, b.Rejected)
		}
		return b.Incidents
	}
	a := read("y,x,d,p,s\n33,42,2023-10-18,Rudaw,Says.\n")
	again := read("d,s,p,x,y\n2023-10-18,Says otherwise.,Rudaw,42,33\n")
	if !strings.HasPrefix(a[0].ID, "csv-2023-10-18-") || a[0].ID != again[0].ID {
		t.Errorf("ids %q and %q: want one stable id from date, point, weapon and publisher", a[0].ID, again[0].ID)
	}
	if a[0].Status != geo.StatusReported || a[0].Weapon != geo.WeaponUnknown || a[0].LocationPrecision != geo.PrecisionExact {
		t.Errorf("defaults: %+v", a[0])
	}
}

func TestParseMapping(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"lat=A,lon=B,date=C,source_publisher=D,source_says=E", ""},
		{"lat=A,lon=B,date=C,source_publisher=D", "lacks source_says"},
		{"lat=A,lon=B,date=C,source_publisher=D,source_says=E,wepon=F", `"wepon" is not one of id, lat`},
		{"lat=A,lat=B", `"lat" is given twice`},
		{"lat", `"lat" is not field=Column`},
	} {
		_, err := ingest.ParseMapping(tc.in)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseMapping(%q) = %v, want %q", tc.in, err, tc.err)
		}
	}
}
