package server

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// svgMarks reads an exported SVG's incident marks: the lone incidents and
// the clusters with their counts, and its density layer.
type svgMarks struct {
	incidents, clusters, clustered int
	density                        bool
	text                           string
}

var clusterTitle = regexp.MustCompile(`(?:^|: )([0-9,]+) incidents$`)

func readSVGMarks(t *testing.T, b []byte) svgMarks {
	t.Helper()
	var m svgMarks
	m.text = string(b)
	dec := xml.NewDecoder(bytes.NewReader(b))
	var class []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			c := ""
			for _, a := range el.Attr {
				if a.Name.Local == "class" {
					c = a.Value
				}
			}
			class = append(class, c)
			switch c {
			case "incident":
				m.incidents++
			case "cluster":
				m.clusters++
			case "density":
				m.density = true
			}
			if el.Name.Local == "title" && len(class) > 1 && class[len(class)-2] == "cluster" {
				var title string
				if err := dec.DecodeElement(&title, &el); err != nil {
					t.Fatal(err)
				}
				class = class[:len(class)-1]
				sub := clusterTitle.FindStringSubmatch(title)
				if sub == nil {
					t.Fatalf("cluster title %q", title)
				}
				n, _ := strconv.Atoi(strings.ReplaceAll(sub[1], ",", "")) // 1,077 as the page writes it
				m.clustered += n
			}
		case xml.EndElement:
			class = class[:len(class)-1]
		}
	}
	return m
}

// TestExportAtScale: past the map page's cluster threshold, an export of the
// whole set draws what the page draws, clusters whose counts add up to
// every incident, or a density layer; it stays under 5 MB in every format
// and its caption says so. Before, it drew one mark per incident: 105 MB of
// SVG at 200,000.
func TestExportAtScale(t *testing.T) {
	t.Parallel()
	const n = 12000
	s := syntheticServer(t, n)
	const limit = 5 << 20
	rec := get(t, s, "/api/export/map.svg")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if size := rec.Body.Len(); size > limit {
		t.Errorf("SVG of %d incidents is %.1f MB", n, float64(size)/(1<<20))
	}
	m := readSVGMarks(t, rec.Body.Bytes())
	if m.clusters == 0 || m.incidents+m.clusters > clusterPageMin {
		t.Errorf("%d incident marks and %d clusters drawn for %d incidents; want clusters, as the map page draws", m.incidents, m.clusters, n)
	}
	if got := m.incidents + m.clustered; got != n {
		t.Errorf("the marks stand for %d incidents, want all %d", got, n)
	}
	if !strings.Contains(m.text, groupedInt(n)+" incidents, shown as clusters") {
		t.Error("the caption does not say the incidents are shown as clusters")
	}
	if !strings.Contains(m.text, "Cluster: ") || !strings.Contains(m.text, " incidents, by size") {
		t.Error("the legend does not explain the clusters")
	}

	rec = get(t, s, "/api/export/map.svg?layers=bases,density&width=400&height=400")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	m = readSVGMarks(t, rec.Body.Bytes())
	if !m.density || m.incidents+m.clusters != 0 || rec.Body.Len() > limit {
		t.Errorf("density: layer %v, %d marks, %d bytes", m.density, m.incidents+m.clusters, rec.Body.Len())
	}
	if !strings.Contains(m.text, "shown as density") || !strings.Contains(m.text, "Incidents per hexagon") {
		t.Error("the density's caption or legend entry is missing")
	}

	for _, format := range []string{"png", "pdf"} {
		rec := get(t, s, "/api/export/map."+format+"?layers=bases,incidents,rings,links")
		if rec.Code != 200 || rec.Body.Len() > limit {
			t.Errorf("%s: %d, %d bytes", format, rec.Code, rec.Body.Len())
		}
	}
}

// TestExportDensitySmall: the density layer also draws a set small enough
// for marks, under them.
func TestExportDensitySmall(t *testing.T) {
	s := mustNew(t, geo.NewStore(mustLoad(t), time.Now()), Options{Basemap: data.Basemap})
	rec := get(t, s, "/api/export/map.svg?layers=bases,incidents,density")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	m := readSVGMarks(t, rec.Body.Bytes())
	if !m.density || m.incidents == 0 || m.clusters != 0 {
		t.Errorf("density %v, %d incidents, %d clusters", m.density, m.incidents, m.clusters)
	}
	if strings.Contains(m.text, "shown as") {
		t.Error("the caption says the incidents are aggregated; they are drawn one by one")
	}
}

// syntheticDataset returns n synthetic incidents round the shipped bases.
// Each size is made once for the package (a 200,000 set takes seconds) and
// shared by the tests that ask for it: a dataset is read-only once made,
// and every server built on it keeps its own caches.
func syntheticDataset(tb testing.TB, n int) *geo.Dataset {
	tb.Helper()
	once, _ := synthetics.LoadOrStore(n, sync.OnceValues(func() (*geo.Dataset, error) {
		shipped, err := geo.Load(data.FS)
		if err != nil {
			return nil, err
		}
		basesJSON, _ := data.FS.ReadFile("bases.geojson")
		return synth.Dataset(basesJSON, shipped.Bases, n, 11)
	}))
	d, err := once.(func() (*geo.Dataset, error))()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// synthetics holds syntheticDataset's sets: size -> func() (*geo.Dataset, error).
var synthetics sync.Map

func serve(h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func mustLoad(t testing.TB) *geo.Dataset {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// BenchmarkExportMap draws the whole dataset as SVG, PNG and PDF: the
// dataset in $STRIKEMAP_BENCH_DATA if set (e.g. `go run ./cmd/dataset synth
// -n 200000 DIR`), else 200,000 synthetic incidents (2,000 with
// STRIKEMAP_BENCH_SMALL, as CI runs it). It reports the image's size.
//
//	go test ./internal/server -run '^$' -bench ExportMap -benchtime 3x
func BenchmarkExportMap(b *testing.B) {
	var d *geo.Dataset
	if dir := os.Getenv("STRIKEMAP_BENCH_DATA"); dir != "" {
		var err error
		if d, err = geo.Load(os.DirFS(dir)); err != nil {
			b.Fatal(err)
		}
	} else {
		n := 200_000
		if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
			n = 2000
		}
		d = syntheticDataset(b, n)
	}
	s := mustNew(b, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap})
	// The cluster index is built once, as at a server's start.
	if rec := serve(s, "/api/export/map.svg?width=200&height=200"); rec.Code != 200 {
		b.Fatalf("%d %s", rec.Code, rec.Body)
	}
	for _, format := range []string{"svg", "png", "pdf"} {
		for _, layers := range []string{"bases,incidents", "bases,density"} {
			b.Run(format+"/"+layers, func(b *testing.B) {
				target := "/api/export/map." + format + "?layers=" + layers
				size := 0
				for b.Loop() {
					rec := serve(s, target)
					if rec.Code != 200 {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "bytes/image")
			})
		}
	}
}
