package ogcapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"strikemap/internal/testenv"
)

// TestOGRInfoReadsTheOGCAPI checks interoperability the way analysts use it:
// GDAL's OAPIF driver opens the landing page, lists the three collections
// with their counts, reads every incident through paging with a small page size,
// and sends a spatial filter to the server.
func TestOGRInfoReadsTheOGCAPI(t *testing.T) {
	ogrinfo := testenv.Program(t, "STRIKEMAP_GDAL_TESTS", "ogrinfo")
	s := shippedServer(t)
	var mu sync.Mutex
	var requests []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.RequestURI())
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	defer ts.Close()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(ogrinfo, append([]string{"-ro"}, args...)...)
		cmd.Env = append(cmd.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "GDAL_HTTP_TIMEOUT=20")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	// wantIDs are the ids the GeoJSON API gives for a query.
	wantIDs := func(path string) []string {
		var fc featureCollection
		getJSON(t, s, path, "application/geo+json", &fc)
		return fc.ids()
	}
	ogc := "OAPIF:" + ts.URL + "/ogc"

	t.Run("layers", func(t *testing.T) {
		out := run("-so", ogc)
		if !strings.Contains(out, "using driver `OAPIF' successful") {
			t.Fatalf("not opened with OAPIF:\n%s", out)
		}
		for _, layer := range []string{"1: bases (title: Bases) (Point)", "2: incidents (title: Incidents) (Point)", "3: strikes (title: Strikes) (Point)"} {
			if !strings.Contains(out, layer) {
				t.Errorf("no %q in:\n%s", layer, out)
			}
		}
	})

	t.Run("feature counts", func(t *testing.T) {
		out := run("-so", "-al", ogc)
		counts := regexp.MustCompile(`Layer name: (\w+)[\s\S]*?Feature Count: (\d+)`).FindAllStringSubmatch(out, -1)
		got := map[string]string{}
		for _, m := range counts {
			got[m[1]] = m[2]
		}
		want := map[string]string{"bases": itoa(len(wantIDs("/api/bases.geojson"))), "incidents": itoa(len(wantIDs("/api/incidents.geojson"))), "strikes": itoa(len(wantIDs("/api/strikes.geojson")))}
		if got["bases"] != want["bases"] || got["incidents"] != want["incidents"] || got["strikes"] != want["strikes"] || want["incidents"] == "0" || want["strikes"] == "0" {
			t.Errorf("feature counts %v, want %v:\n%s", got, want, out)
		}
		for _, field := range []string{"date: ", "weapon: String", "status: String", "base: String", "name: String", "attacks: Integer", "attacker: String", "target: String"} {
			if !strings.Contains(out, field) {
				t.Errorf("no field %q", field)
			}
		}
		if !strings.Contains(out, `ID["EPSG",4326]`) && !strings.Contains(out, "CRS84") {
			t.Error("layers are not in WGS 84")
		}
	})

	t.Run("paging", func(t *testing.T) {
		mu.Lock()
		requests = nil
		mu.Unlock()
		out := run("-al", "-oo", "PAGE_SIZE=2", ogc, "incidents")
		got := featureIDsIn(out, "incidents")
		want := wantIDs("/api/incidents.geojson")
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ogrinfo read %d incidents %v\nwant %d: %v", len(got), got, len(want), want)
		}
		// It really paged: several item requests of two, with offsets.
		mu.Lock()
		defer mu.Unlock()
		offsets := 0
		for _, r := range requests {
			u, _ := url.Parse(r)
			if strings.HasSuffix(u.Path, "/items") && u.Query().Get("limit") == "2" && u.Query().Get("offset") != "" {
				offsets++
			}
		}
		if offsets < len(want)/2-1 {
			t.Errorf("only %d paged item requests:\n%s", offsets, strings.Join(requests, "\n"))
		}
	})

	t.Run("strikes paging", func(t *testing.T) {
		got := featureIDsIn(run("-al", "-oo", "PAGE_SIZE=5", ogc, "strikes"), "strikes")
		want := wantIDs("/api/strikes.geojson")
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ogrinfo read strikes %v\nwant %v", got, want)
		}
	})

	t.Run("spatial filter", func(t *testing.T) {
		mu.Lock()
		requests = nil
		mu.Unlock()
		// A box around Ain al-Asad only.
		out := run("-al", "-spat", "42", "33.5", "43", "34", ogc, "incidents")
		got := featureIDsIn(out, "incidents")
		want := wantIDs("/api/incidents.geojson?bbox=42,33.5,43,34")
		if len(want) == 0 || len(want) == len(wantIDs("/api/incidents.geojson")) {
			t.Fatalf("the box should hold some but not all incidents: %v", want)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ogrinfo -spat read %v, want %v", got, want)
		}
		mu.Lock()
		defer mu.Unlock()
		sent := false
		for _, r := range requests {
			if strings.Contains(r, "/items") && strings.Contains(r, "bbox=42") {
				sent = true
			}
		}
		if !sent {
			t.Errorf("ogrinfo did not send the bbox to the server:\n%s", strings.Join(requests, "\n"))
		}
	})
}

// featureIDsIn returns the "id" field of every feature of layer in ogrinfo
// -al output.
func featureIDsIn(out, layer string) []string {
	var ids []string
	for _, block := range strings.Split(out, "OGRFeature("+layer+"):")[1:] {
		if m := regexp.MustCompile(`(?m)^\s+id \(String\) = (.+)$`).FindStringSubmatch(block); m != nil {
			ids = append(ids, strings.TrimSpace(m[1]))
		}
	}
	return ids
}
