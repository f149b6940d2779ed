// Package synth generates large, deterministic, synthetic incident datasets
// for benchmarks and scale tests: the same seed and size always give the
// same bytes. The data is fake by design (publishers are "Synthetic wire
// N", URLs point at example.org); it only has the shape and the sizes of
// real data (ACLED-like: clustered around bases and population centres,
// 2016–2026, every weapon and status, one to three sources each).
package synth

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// Config says what to generate.
type Config struct {
	N    int    // incidents
	Seed uint64 // the same seed gives the same data
	// Bases are the target sites; incidents cluster round them and round
	// a set of synthetic population centres.
	Bases []geo.Base
}

// region is the box the synthetic centres are drawn in: Iraq and Syria.
var region = [4]float64{36.0, 29.5, 48.5, 37.3} // minLon, minLat, maxLon, maxLat

const (
	centres   = 60
	firstYear = 2016
	lastYear  = 2026
)

var (
	weapons  = []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket, geo.WeaponMissile, geo.WeaponUnknown}
	kinds    = []geo.SourceKind{geo.SourceClaim, geo.SourceMedia, geo.SourceMonitor, geo.SourceOfficial}
	outcomes = []string{
		"Intercepted by air defences; no injuries reported.",
		"Struck inside the perimeter, damaging a storage building.",
		"Fell short in open ground near the base.",
		"Hit a vehicle park; minor injuries reported by a local source.",
		"Not confirmed; no damage assessment published.",
	}
	actors = []string{"Islamic Resistance in Iraq", "Unidentified armed group", "Kata'ib Hezbollah", "Harakat al-Nujaba"}
)

// WriteIncidents writes cfg.N synthetic incidents as incidents.geojson.
func WriteIncidents(w io.Writer, cfg Config) error {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	type centre struct {
		lon, lat, spread float64
		base             string
	}
	var cs []centre
	for _, b := range cfg.Bases {
		cs = append(cs, centre{b.Point.Lon(), b.Point.Lat(), 0.05, b.ID})
	}
	for range centres {
		cs = append(cs, centre{
			lon:    region[0] + rng.Float64()*(region[2]-region[0]),
			lat:    region[1] + rng.Float64()*(region[3]-region[1]),
			spread: 0.05 + rng.Float64()*0.4,
		})
	}
	start := time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(lastYear, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)

	out := geo.NewIncidentWriter(w)
	for i := range cfg.N {
		c := cs[rng.IntN(len(cs))]
		if rng.IntN(3) == 0 && len(cfg.Bases) > 0 {
			c = cs[rng.IntN(len(cfg.Bases))] // a third of all attacks target a base
		}
		lon := clamp(c.lon+rng.NormFloat64()*c.spread, -180, 180)
		lat := clamp(c.lat+rng.NormFloat64()*c.spread, -90, 90)
		precision := []geo.Precision{geo.PrecisionExact, geo.PrecisionNear, geo.PrecisionRegion}[rng.IntN(3)]
		base := ""
		if c.base != "" {
			base = c.base
			if rng.IntN(2) == 0 {
				lon, lat, precision = c.lon, c.lat, geo.PrecisionBase
			}
		}
		day := geo.DateOf(start.AddDate(0, 0, rng.IntN(days)))
		nsrc := 1 + rng.IntN(3)
		inc := geo.Incident{
			ID:    fmt.Sprintf("syn-%07d", i),
			Point: orb.Point{round6(lon), round6(lat)},
			Date:  day, DateEnd: day,
			Base: base, LocationPrecision: precision,
			Sources: make([]geo.Source, 0, nsrc),
		}
		strongest := geo.StatusClaimed
		for j := range nsrc {
			k := kinds[rng.IntN(len(kinds))]
			if st := k.Status(); statusRank(st) > statusRank(strongest) {
				strongest = st
			}
			inc.Sources = append(inc.Sources, geo.Source{
				Publisher: fmt.Sprintf("Synthetic wire %d", rng.IntN(40)),
				URL:       fmt.Sprintf("https://example.org/synthetic/%d/%d", i, j),
				Published: geo.SomeDate(day.AddDays(rng.IntN(4))),
				Kind:      k,
				Says:      "Synthetic report of an attack, for load tests only; it describes no real event.",
			})
		}
		inc.Weapon = weapons[rng.IntN(len(weapons))]
		inc.Status = strongest
		inc.Outcome = outcomes[rng.IntN(len(outcomes))]
		inc.Notes = "Synthetic incident " + strconv.Itoa(i) + "."
		if rng.IntN(5) == 0 {
			inc.DateEnd = day.AddDays(1 + rng.IntN(3))
		}
		if rng.IntN(2) == 0 {
			inc.Count = geo.Known(1 + rng.IntN(6))
		}
		if rng.IntN(3) == 0 {
			inc.Injured = geo.Known(rng.IntN(5))
			inc.Killed = geo.Known(rng.IntN(2))
		}
		if strongest == geo.StatusClaimed || rng.IntN(2) == 0 {
			inc.ClaimedBy = []string{actors[rng.IntN(len(actors))]}
		}
		if err := out.Write(&inc); err != nil {
			return err
		}
	}
	return out.Close()
}

func statusRank(s geo.Status) int {
	for i, v := range geo.Statuses() {
		if v == s {
			return i
		}
	}
	return -1
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
func round6(v float64) float64        { return math.Round(v*1e6) / 1e6 }

// Dataset returns a loaded dataset of the given bases and n synthetic
// incidents: the shortcut tests and benchmarks use.
func Dataset(basesJSON []byte, bases []geo.Base, n int, seed uint64) (*geo.Dataset, error) {
	var buf bytes.Buffer
	if err := WriteIncidents(&buf, Config{N: n, Seed: seed, Bases: bases}); err != nil {
		return nil, err
	}
	return geo.Parse(basesJSON, buf.Bytes())
}
