package geo_test

import (
	"fmt"
	"os"

	"strikemap/internal/geo"
)

func ExampleDataset_Select() {
	d, err := geo.Load(os.DirFS("testdata/valid"))
	if err != nil {
		fmt.Println(err)
		return
	}
	from, _ := geo.ParseDate("2023-10-18")
	to, _ := geo.ParseDate("2023-10-20")
	for _, inc := range d.Select(geo.Filter{From: &from, To: &to, Weapons: []geo.Weapon{geo.WeaponDrone}}) {
		fmt.Println(inc.Date, inc.ID, inc.Status)
	}
	// Output:
	// 2023-10-18 i1-alpha-drone confirmed
	// 2023-10-18 i2-bravo-drone claimed
}

func ExampleProblem() {
	p := geo.Problem{File: "incidents.geojson", Index: 4, ID: "2023-10-21-ain-al-asad-drones", Field: "weapon", Reason: `"drones" is not one of drone, rocket, missile, unknown`}
	fmt.Println(p)
	// Output: incidents.geojson: feature 4 ("2023-10-21-ain-al-asad-drones"): weapon "drones" is not one of drone, rocket, missile, unknown
}
