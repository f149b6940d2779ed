package cluster_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
)

func ExampleIndex_Clusters() {
	points := []orb.Point{
		{43.9631, 33.7953}, // two incidents at one base
		{43.9631, 33.7953},
		{43.9700, 33.7900}, // and one a few hundred metres away
		{40.8050, 36.5300}, // far to the north-west
	}
	ix, err := cluster.New(points, cluster.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	iraq := orb.Bound{Min: orb.Point{38, 29}, Max: orb.Point{49, 38}}
	for _, zoom := range []int{5, 16, 17} {
		fmt.Printf("zoom %d:", zoom)
		for _, c := range ix.Clusters(iraq, zoom) {
			if c.IsCluster() {
				fmt.Printf(" cluster of %d", c.Count)
			} else {
				fmt.Printf(" point %d", c.PointIndex)
			}
		}
		fmt.Println()
	}
	// Output:
	// zoom 5: cluster of 3 point 3
	// zoom 16: cluster of 2 point 2 point 3
	// zoom 17: point 0 point 1 point 2 point 3
}

func ExampleIndex_ExpansionZoom() {
	points := []orb.Point{{43.9631, 33.7953}, {43.9700, 33.7900}}
	ix, err := cluster.New(points, cluster.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	c := ix.Clusters(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, 8)[0]
	zoom, _ := ix.ExpansionZoom(c.ID)
	leaves, _ := ix.Leaves(c.ID, -1, 0)
	fmt.Println(c.Count, "points, apart from zoom", zoom, "leaves", leaves)
	// Output: 2 points, apart from zoom 12 leaves [0 1]
}
