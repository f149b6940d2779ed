// Command supercluster writes the points and viewport queries for the
// side-by-side benchmark of strikemap's internal/cluster against npm
// supercluster (bench.js), and runs the Go side of it. See README.md.
//
//	go run ./bench/supercluster -write -n 1000000 -points points.bin -queries queries.bin
//	go run ./bench/supercluster -points points.bin -queries queries.bin
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
)

func main() {
	write := flag.Bool("write", false, "write the points and queries instead of benchmarking")
	n := flag.Int("n", 1_000_000, "points to write")
	seed := flag.Uint64("seed", 1, "random seed")
	dist := flag.String("dist", "uniform", "uniform: over the world between ±85°; blobs: Gaussian blobs over Iraq and Syria, rounded to 6 decimals as in internal/synth")
	nq := flag.Int("nq", 3500, "queries to write: 1280×800 px viewports (256 px tiles) centred on random input points, zooms 0..16 in turn")
	pointsFile := flag.String("points", "points.bin", "points: little-endian float64 lon,lat pairs")
	queriesFile := flag.String("queries", "queries.bin", "queries: little-endian float64 zoom,minLon,minLat,maxLon,maxLat")
	flag.Parse()

	if *write {
		pts := generate(*n, *seed, *dist)
		must(writeFloats(*pointsFile, flatten(pts)))
		must(writeFloats(*queriesFile, queries(pts, *nq, *seed)))
		return
	}
	must(run(*pointsFile, *queriesFile))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func generate(n int, seed uint64, dist string) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	pts := make([]orb.Point, n)
	switch dist {
	case "uniform":
		for i := range pts {
			pts[i] = orb.Point{rng.Float64()*360 - 180, rng.Float64()*170 - 85}
		}
	case "blobs":
		centres := make([]orb.Point, 200)
		for i := range centres {
			centres[i] = orb.Point{36 + rng.Float64()*12.5, 29.5 + rng.Float64()*7.8}
		}
		round6 := func(v float64) float64 { return math.Round(v*1e6) / 1e6 }
		for i := range pts {
			c := centres[rng.IntN(len(centres))]
			spread := math.Pow(10, -1-rng.Float64()*3) // 0.1° down to 0.0001°
			pts[i] = orb.Point{round6(c[0] + rng.NormFloat64()*spread), round6(c[1] + rng.NormFloat64()*spread)}
		}
	default:
		log.Fatalf("unknown distribution %q", dist)
	}
	return pts
}

func flatten(pts []orb.Point) []float64 {
	out := make([]float64, 0, 2*len(pts))
	for _, p := range pts {
		out = append(out, p[0], p[1])
	}
	return out
}

// queries returns nq viewports as zoom,minLon,minLat,maxLon,maxLat.
func queries(pts []orb.Point, nq int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x9e77))
	var out []float64
	for q := range nq {
		z := q % 17
		p := pts[rng.IntN(len(pts))]
		scale := 256 * math.Exp2(float64(z))
		x, y := p[0]/360+0.5, mercY(p[1])
		hw, hh := 640/scale, 400/scale
		out = append(out, float64(z),
			(x-hw-0.5)*360, mercLat(math.Min(1, y+hh)),
			(x+hw-0.5)*360, mercLat(math.Max(0, y-hh)))
	}
	return out
}

func mercY(lat float64) float64 {
	sin := math.Sin(lat * math.Pi / 180)
	return math.Max(0, math.Min(1, 0.5-0.25*math.Log((1+sin)/(1-sin))/math.Pi))
}

func mercLat(y float64) float64 {
	return 360*math.Atan(math.Exp((180-y*360)*math.Pi/180))/math.Pi - 90
}

func writeFloats(name string, fs []float64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := binary.Write(w, binary.LittleEndian, fs); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Close()
}

func readFloats(name string) ([]float64, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	fs := make([]float64, len(b)/8)
	if _, err := binary.Decode(b, binary.LittleEndian, fs); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return fs, nil
}

func run(pointsFile, queriesFile string) error {
	raw, err := readFloats(pointsFile)
	if err != nil {
		return err
	}
	qs, err := readFloats(queriesFile)
	if err != nil {
		return err
	}
	pts := make([]orb.Point, len(raw)/2)
	for i := range pts {
		pts[i] = orb.Point{raw[2*i], raw[2*i+1]}
	}
	raw = nil

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix, err := cluster.New(pts, cluster.DefaultOptions())
	if err != nil {
		return err
	}
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	debug.FreeOSMemory()

	fmt.Printf("strikemap/internal/cluster, %s, GOMAXPROCS %d\n", runtime.Version(), runtime.GOMAXPROCS(0))
	fmt.Printf("points %d\n", len(pts))
	fmt.Printf("build %d ms\n", build.Milliseconds())
	fmt.Printf("index heap +%.1f MB (live after GC; %.1f MB allocated while building)\n",
		mb(after.HeapAlloc-before.HeapAlloc), mb(after.TotalAlloc-before.TotalAlloc))
	fmt.Printf("rss %s MB, peak rss %s MB (includes the %d input points)\n", status("VmRSS"), status("VmHWM"), len(pts))

	var world []string
	for z := 0; z <= 17; z++ {
		world = append(world, fmt.Sprint(len(ix.Clusters(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, z))))
	}
	fmt.Printf("world entries by zoom 0..17: %s\n", strings.Join(world, " "))

	bound := func(k int) orb.Bound {
		return orb.Bound{Min: orb.Point{qs[k+1], qs[k+2]}, Max: orb.Point{qs[k+3], qs[k+4]}}
	}
	nq := len(qs) / 5
	for q := range min(nq, 200) { // warm up, as bench.js does
		ix.Clusters(bound(5*q), int(qs[5*q]))
	}
	byZoom := map[int][]time.Duration{}
	var all []time.Duration
	returned := 0
	for q := range nq {
		k := 5 * q
		t := time.Now()
		cs := ix.Clusters(bound(k), int(qs[k]))
		d := time.Since(t)
		returned += len(cs)
		byZoom[int(qs[k])] = append(byZoom[int(qs[k])], d)
		all = append(all, d)
	}
	slices.Sort(all)
	fmt.Printf("queries %d: p50 %.1f µs, p99 %.1f µs, max %.1f µs, %.1f entries/query\n",
		nq, us(pct(all, 0.5)), us(pct(all, 0.99)), us(all[len(all)-1]), float64(returned)/float64(nq))
	for z := range 17 {
		ds := byZoom[z]
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		fmt.Printf("  zoom %2d: p50 %.1f µs, p99 %.1f µs\n", z, us(pct(ds, 0.5)), us(pct(ds, 0.99)))
	}
	runtime.KeepAlive(ix)
	return nil
}

func pct(ds []time.Duration, p float64) time.Duration {
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }
func mb(b uint64) float64        { return float64(b) / (1 << 20) }

// status returns a field of /proc/self/status in MB, or "?".
func status(field string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb float64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%f kB", &kb); err == nil {
				return fmt.Sprintf("%.1f", kb/1024)
			}
		}
	}
	return "?"
}
