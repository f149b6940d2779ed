package cluster

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDeclutterAsThePage runs the map page's declutter
// (web/static/js/map/declutter.js) in Node on the same discs as Declutter:
// the same groups, at the same places, so an image shows the discs the
// page shows.
func TestDeclutterAsThePage(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node to run the page's declutter.js")
	}
	js, err := filepath.Abs("../../web/static/js/map/declutter.js")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var discs []Disc
	for range 500 {
		discs = append(discs, Disc{X: rng.Float64() * 1200, Y: rng.Float64() * 800, Count: 1 + int(math.Pow(10, rng.Float64()*5))})
	}
	in, _ := json.Marshal(discs)
	script := `import { declutter } from ` + string(mustJSON(t, "file://"+js)) + `;
const discs = JSON.parse(process.argv[1]).map((d) => ({ x: d.X, y: d.Y, count: d.Count }));
process.stdout.write(JSON.stringify(declutter(discs).map((g) => ({ X: g.x, Y: g.y, Count: g.count, R: g.r }))));`
	out, err := exec.Command(node, "--input-type=module", "-e", script, string(in)).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var page []Group
	if err := json.Unmarshal(out, &page); err != nil {
		t.Fatal(err)
	}
	got := Declutter(discs, 2)
	if len(got) != len(page) {
		t.Fatalf("Declutter makes %d groups of 500 discs, the page %d", len(got), len(page))
	}
	for i := range got {
		g, p := got[i], page[i]
		if g.Count != p.Count || g.R != p.R || math.Abs(g.X-p.X) > 1e-6 || math.Abs(g.Y-p.Y) > 1e-6 {
			t.Errorf("group %d: %+v, the page's %+v", i, g, p)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
