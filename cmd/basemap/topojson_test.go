package main

import (
	"encoding/json"
	"testing"

	"github.com/paulmach/orb"
)

// Quantized, delta-encoded topology: a unit square split by a shared arc.
const testTopo = `{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[10,20]},
"objects":{"c":{"type":"GeometryCollection","geometries":[
 {"type":"Polygon","id":"368","properties":{"name":"A"},"arcs":[[0,1]]},
 {"type":"Polygon","id":760,"arcs":[[-1,2]]}]}},
"arcs":[[[2,0],[0,4]],[[2,4],[-2,0],[0,-4],[2,0]],[[2,0],[2,0],[0,4],[-2,0]]]}`

func TestDecode(t *testing.T) {
	var topo Topology
	if err := json.Unmarshal([]byte(testTopo), &topo); err != nil {
		t.Fatal(err)
	}
	topo.decodeArcs()
	geoms := topo.Objects["c"].Geometries
	if geoms[0].IDString() != "368" || geoms[1].IDString() != "760" || geoms[0].Name() != "A" {
		t.Fatalf("ids/names: %q %q %q", geoms[0].IDString(), geoms[1].IDString(), geoms[0].Name())
	}
	a, err := topo.ToOrb(geoms[0])
	if err != nil {
		t.Fatal(err)
	}
	want := orb.Ring{{11, 20}, {11, 21}, {10, 21}, {10, 20}, {11, 20}}
	if got := a.(orb.Polygon)[0]; !got.Equal(want) {
		t.Fatalf("A = %v, want %v", got, want)
	}
	b, _ := topo.ToOrb(geoms[1])
	wantB := orb.Ring{{11, 21}, {11, 20}, {12, 20}, {12, 21}, {11, 21}}
	if got := b.(orb.Polygon)[0]; !got.Equal(wantB) {
		t.Fatalf("B = %v, want %v", got, wantB)
	}
}
