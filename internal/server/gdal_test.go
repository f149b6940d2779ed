package server

import (
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"strikemap/internal/geo"
	"strikemap/internal/testenv"
)

// TestOGRInfoReadsTheAPI checks interoperability the way analysts will use
// it: GDAL's ogrinfo opens each GeoJSON endpoint straight from the server.
func TestOGRInfoReadsTheAPI(t *testing.T) {
	t.Parallel()
	ogrinfo := testenv.Program(t, "STRIKEMAP_GDAL_TESTS", "ogrinfo")
	ts := httptest.NewServer(shippedServer(t))
	defer ts.Close()
	shipped := shippedData(t)
	rockets := shipped.Count(geo.Filter{Weapons: []geo.Weapon{geo.WeaponRocket}})
	for _, tc := range []struct {
		path, geometry string
		count          int
		fields         []string
	}{
		{"/api/incidents.geojson", "Point", len(shipped.Incidents), []string{"date: Date", "weapon: String", "injured: Integer", "claimed_by: StringList", "sources: String(JSON)"}},
		{"/api/incidents.geojson?weapon=rocket", "Point", rockets, nil},
		{"/api/bases.geojson", "Point", len(shipped.Bases), []string{"name: String", "attacks: Integer"}},
		{"/api/rings.geojson", "Polygon", 3 * len(shipped.Bases), []string{"radius_km: "}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			cmd := exec.Command(ogrinfo, "-ro", "-so", "-al", ts.URL+tc.path)
			cmd.Env = append(cmd.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("ogrinfo: %v\n%s", err, out)
			}
			text := string(out)
			if !strings.Contains(text, "using driver `GeoJSON' successful") {
				t.Errorf("not opened as GeoJSON:\n%s", text)
			}
			if !strings.Contains(text, "Geometry: "+tc.geometry) {
				t.Errorf("want geometry %s:\n%s", tc.geometry, text)
			}
			m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(text)
			if m == nil || m[1] != strconv.Itoa(tc.count) {
				t.Errorf("feature count %v, want %d:\n%s", m, tc.count, text)
			}
			if !strings.Contains(text, `ID["EPSG",4326]`) {
				t.Error("layer is not WGS 84")
			}
			for _, f := range tc.fields {
				if !strings.Contains(text, f) {
					t.Errorf("field %q missing:\n%s", f, text)
				}
			}
		})
	}
}
