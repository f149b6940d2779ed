package mapimage

import (
	"math"

	"strikemap/internal/geo"
)

// The colours of the page's stylesheet (web/static/css/site.css).
var weaponColour = map[geo.Weapon]string{
	geo.WeaponDrone:   "#c2410c",
	geo.WeaponRocket:  "#6d28d9",
	geo.WeaponMissile: "#be185d",
	geo.WeaponUnknown: "#4b5563",
}

const (
	colSea      = "#dfe9f3"
	colLand     = "#f6f4ef"
	colBorder   = "#8a8f98"
	colRiver    = "#6a9fd4"
	colRing     = "#0b57d0"
	colBase     = "#0f2d52"
	colText     = "#1b1f24"
	colMuted    = "#4a5360"
	colDisputed = "#dc2626"
	colStrike   = "#111111" // as the page's .strike-symbol (site.css)
	colCluster  = "#0b57d0"
	colWhite    = "#ffffff"
)

type pt struct{ x, y float64 }

// The symbols of web/templates/symbols.templ, in a 20 × 20 box: each
// weapon's outline and its lower half (filled for reported incidents).
var (
	weaponShape = map[geo.Weapon][]pt{
		geo.WeaponDrone:   {{10, 2}, {18, 17}, {2, 17}},
		geo.WeaponRocket:  {{10, 1.5}, {18.5, 10}, {10, 18.5}, {1.5, 10}},
		geo.WeaponMissile: {{3, 3}, {17, 3}, {17, 17}, {3, 17}},
		geo.WeaponUnknown: circlePoints(10, 10, 7.5, 0, 2*math.Pi, 32),
	}
	weaponHalf = map[geo.Weapon][]pt{
		geo.WeaponDrone:   {{5.73, 10}, {14.27, 10}, {18, 17}, {2, 17}},
		geo.WeaponRocket:  {{1.5, 10}, {18.5, 10}, {10, 18.5}},
		geo.WeaponMissile: {{3, 10}, {17, 10}, {17, 17}, {3, 17}},
		geo.WeaponUnknown: circlePoints(10, 10, 7.5, 0, math.Pi, 16),
	}
	baseSquare = []pt{{3, 3}, {17, 3}, {17, 17}, {3, 17}}
	baseStar   = []pt{{10, 5.5}, {11.3, 8.6}, {14.6, 8.8}, {12, 11}, {12.9, 14.3}, {10, 12.4}, {7.1, 14.3}, {8, 11}, {5.4, 8.8}, {8.7, 8.6}}
)

// circlePoints returns n+1 points on an arc from angle a0 to a1 (radians,
// y down, so 0 to π is the lower half).
func circlePoints(cx, cy, r, a0, a1 float64, n int) []pt {
	out := make([]pt, 0, n+1)
	for i := 0; i <= n; i++ {
		a := a0 + (a1-a0)*float64(i)/float64(n)
		out = append(out, pt{cx + r*math.Cos(a), cy + r*math.Sin(a)})
	}
	return out
}

// place moves a 20 × 20 symbol to be centred on (x, y), at size px.
func place(shape []pt, x, y, size float64) []pt {
	out := make([]pt, len(shape))
	k := size / 20
	for i, p := range shape {
		out[i] = pt{x + (p.x-10)*k, y + (p.y-10)*k}
	}
	return out
}
