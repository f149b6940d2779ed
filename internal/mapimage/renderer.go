package mapimage

import (
	"bytes"
	"cmp"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Renderer draws views. It holds the fonts and the parsed basemap, so make
// one and reuse it; it is safe for concurrent use.
type Renderer struct {
	fonts   *fonts
	basemap []basemapFeature
	// names are the basemap's country and town names, countries first.
	names []placeName
	// townCredit is the basemap's attribution when its towns are named.
	townCredit string
	// lands are the countries' land ("country" features) by ISO code.
	lands map[string]orb.Geometry
}

type basemapFeature struct {
	layer string // land, country, border, river (points are for labels)
	geom  orb.Geometry
}

// New loads the Go fonts and parses the basemap GeoJSON (features with a
// "layer" property: land, country, border and river are drawn;
// country-label and place points are named by zoom). The collection's
// "attribution" member, if any, credits the basemap when towns are named.
func New(basemapJSON []byte) (*Renderer, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	r := &Renderer{fonts: fonts, townCredit: defaultCredit, lands: map[string]orb.Geometry{}}
	if len(basemapJSON) > 0 {
		fc, err := geojson.UnmarshalFeatureCollection(basemapJSON)
		if err != nil {
			return nil, fmt.Errorf("basemap: %w", err)
		}
		var towns []placeName
		for _, f := range fc.Features {
			layer, _ := f.Properties["layer"].(string)
			if p, ok := readNames(f); ok {
				p.name = r.fold(p.name)
				if p.country {
					r.names = append(r.names, p)
				} else {
					towns = append(towns, p)
				}
				continue
			}
			r.basemap = append(r.basemap, basemapFeature{layer: layer, geom: f.Geometry})
			if iso, _ := f.Properties["iso_a2"].(string); layer == "country" && iso != "" {
				r.lands[iso] = f.Geometry
			}
		}
		slices.SortStableFunc(r.names, func(a, b placeName) int { return cmp.Compare(a.minzoom, b.minzoom) })
		r.names = append(r.names, towns...)
		if credit, ok := fc.ExtraMembers["attribution"].(string); ok && credit != "" {
			r.townCredit = credit
		}
	}
	return r, nil
}

// face returns the font face for st, its size in pixels.
func (r *Renderer) face(st textStyle) fontFace {
	if st.bold {
		return fontFace{font: r.fonts.bold, size: st.size}
	}
	return fontFace{font: r.fonts.regular, size: st.size}
}

func (r *Renderer) textWidth(s string, st textStyle) float64 { return r.face(st).TextWidth(s) }

// SVG writes v as an SVG document.
func (r *Renderer) SVG(w io.Writer, v View) error {
	if err := v.Check(); err != nil {
		return err
	}
	s := newSVGSurface(v.Width, v.Height, v.Title, r.textWidth)
	r.draw(s, &v)
	_, err := w.Write(s.bytes())
	return err
}

// PNG writes v as a PNG of Width·Scale × Height·Scale pixels. Each kind
// of incident symbol is rasterized once and its pixels copied to every
// incident of that kind: five thousand symbols took seconds to rasterize
// one by one.
func (r *Renderer) PNG(w io.Writer, v View) error {
	if err := v.Check(); err != nil {
		return err
	}
	s := newPNGSurface(r, &v)
	r.draw(s, &v)
	// Encoded into memory first, so a failing encoding never sends half an
	// image.
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, s.img); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// PDF writes v as a one-page vector PDF, the page the size of the view at
// 96 pixels to the inch.
func (r *Renderer) PDF(w io.Writer, v View) error {
	if err := v.Check(); err != nil {
		return err
	}
	s := newPDFSurface(r, &v)
	r.draw(s, &v)
	var buf bytes.Buffer
	if err := s.pdf.Output(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// parseColour reads #rrggbb.
func parseColour(s string) color.RGBA {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{A: 255}
	}
	n, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{A: 255}
	}
	return color.RGBA{R: uint8(n >> 16), G: uint8(n >> 8), B: uint8(n), A: 255}
}
