package geo_test

import (
	"bytes"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// TestMarshalStrikesOmitsUnknownSourceFields: a source's url and
// published are left out when unknown, as the schema (SourceFields,
// OmitEmpty) and the shipped strikes.geojson have them, not written as
// null; and what is written loads back the same.
func TestMarshalStrikesOmitsUnknownSourceFields(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	unknown := 0
	for _, s := range d.Strikes {
		for _, src := range s.Sources {
			if !src.Published.Known() {
				unknown++
			}
		}
	}
	if unknown == 0 {
		t.Fatal("the shipped strikes have no source without a publication date: the test needs one")
	}
	b, err := geo.MarshalStrikes(d.Strikes)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`"published": null`)) || bytes.Contains(b, []byte(`"url": ""`)) {
		t.Errorf("%d sources without a publication date written with null or empty members", unknown)
	}
	back, err := d.ParseStrikes(b)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := geo.MarshalStrikes(back)
	if !bytes.Equal(again, b) {
		t.Error("the strikes written do not load back the same")
	}
}
