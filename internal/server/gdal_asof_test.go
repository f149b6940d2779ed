package server

import (
	"fmt"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"strikemap/internal/testenv"
)

// TestOGRInfoReadsAVersion pins a layer to a version the way a QGIS or
// GDAL user would, by adding as_of to the OGC collection's URL: GDAL's
// OAPIF driver carries it on every page it asks for, and reads exactly the
// incidents of that version, not the current ones.
func TestOGRInfoReadsAVersion(t *testing.T) {
	ogrinfo := testenv.Program(t, "STRIKEMAP_GDAL_TESTS", "ogrinfo")
	f := newVersionedServer(t)
	ts := httptest.NewServer(f.s)
	defer ts.Close()
	cmd := exec.Command(ogrinfo, "-ro", "-al", "-q", "OAPIF:"+ts.URL+"/ogc/collections/incidents?as_of=1")
	cmd.Env = append(cmd.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "GDAL_HTTP_TIMEOUT=20")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%.2000s", err, out)
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^\s+id \(String\) = (.+)$`).FindAllStringSubmatch(string(out), -1) {
		got = append(got, strings.TrimSpace(m[1]))
	}
	slices.Sort(got)
	want := apiIDsOf(t, f, "as_of=1")
	if !slices.Equal(got, want) || !slices.Contains(got, f.retracted) {
		t.Errorf("GDAL read %d incidents at version 1, want its %d (the retracted %s among them)", len(got), len(want), f.retracted)
	}
}

// apiIDsOf is the sorted ids /api/incidents.geojson gives for a query.
func apiIDsOf(t *testing.T, f recordFixture, query string) []string {
	t.Helper()
	fc := decodeCollection(t, get(t, f.s, "/api/incidents.geojson?"+query).Body.Bytes())
	var ids []string
	for _, ft := range fc.Features {
		ids = append(ids, fmt.Sprint(ft.ID))
	}
	slices.Sort(ids)
	return ids
}
