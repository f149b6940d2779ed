package geo

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestSplitFeatures(t *testing.T) {
	long := strings.Repeat(`a\\\"b`, (1<<20)/5) // escapes across the reader's 1 MiB chunks
	features := []string{
		`{"id":"a","p":"x\"y"}`,
		`{"id":"b","p":"back\\\\","q":[1,{"r":"}]"}]}`,
		`{"id":"c","p":"` + long + `"}`,
		`{"id":"d","p":"\\"}`,
		`{}`,
	}
	for _, layout := range []string{"compact", "pretty"} {
		doc := `{"bbox":[1,2,3,4],"features":[` + strings.Join(features, ",") + `],"type":"FeatureCollection","name":"x{["}`
		if layout == "pretty" {
			doc = "\uFEFF{\n  \"type\" : \"FeatureCollection\",\n  \"features\" : [\n    " + strings.Join(features, ",\n    ") + "\n  ]\n}\n"
		}
		var got []string
		typ, saw, err := splitFeatures(strings.NewReader(doc), func(raw []byte) { got = append(got, string(raw)) })
		if err != nil || typ != "FeatureCollection" || !saw {
			t.Fatalf("%s: type %q, features %v, error %v", layout, typ, saw, err)
		}
		if len(got) != len(features) {
			t.Fatalf("%s: %d features, want %d", layout, len(got), len(features))
		}
		for i := range features {
			if got[i] != features[i] {
				t.Errorf("%s: feature %d is %.60q, want %.60q", layout, i, got[i], features[i])
			}
			if !json.Valid([]byte(got[i])) {
				t.Errorf("%s: feature %d is not JSON", layout, i)
			}
		}
	}
	for _, bad := range []string{``, `[]`, `{"features":[`, `{"features":["x"]}`, `{"features":[[1]]}`, `{"features":[1]}`, `{"a":"}`, `{}}`} {
		_, _, err := splitFeatures(strings.NewReader(bad), func([]byte) {})
		if err == nil && bad != `{}}` {
			t.Errorf("%q: no error", bad)
		}
	}
	var buf bytes.Buffer
	if _, saw, err := splitFeatures(&buf, func([]byte) {}); err == nil || saw {
		t.Error("empty input accepted")
	}
}
