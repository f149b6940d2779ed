package loader

import (
	"encoding/json"
	"strings"
	"testing"
)

// scanAll scans doc in pieces of size bytes, as a file arrives in buffers.
func scanAll(doc string, size int) (features []string, s scanner, err error) {
	for i := 0; i < len(doc) && err == nil; i += size {
		err = s.scan([]byte(doc[i:min(i+size, len(doc))]), func(raw []byte) { features = append(features, string(raw)) })
	}
	if err == nil {
		err = s.finish()
	}
	return features, s, err
}

func TestScanner(t *testing.T) {
	long := strings.Repeat(`a\\\"b`, (1<<20)/5) // escapes across buffers
	features := []string{
		`{"id":"a","p":"x\"y"}`,
		`{"id":"b","p":"back\\\\","q":[1,{"r":"}]"}]}`,
		`{"id":"c","p":"` + long + `"}`,
		`{"id":"d","p":"\\"}`,
		`{}`,
	}
	layouts := map[string]string{
		"compact":  `{"bbox":[1,2,3,4],"features":[` + strings.Join(features, ",") + `],"type":"FeatureCollection","name":"x{["}`,
		"pretty":   "\uFEFF{\n  \"type\" : \"FeatureCollection\",\n  \"features\" : [\n    " + strings.Join(features, ",\n    ") + "\n  ]\n}\n",
		"per line": "{\"type\":\"FeatureCollection\",\"features\":[\n" + strings.Join(features, ",\n") + "\n]}\n",
	}
	for name, doc := range layouts {
		for _, size := range []int{1, 2, 3, 7, 64, 1 << 20, len(doc)} {
			got, s, err := scanAll(doc, size)
			if err != nil || string(s.typ) != "FeatureCollection" || !s.sawFeature {
				t.Fatalf("%s in %d-byte buffers: type %q, features %v, error %v", name, size, s.typ, s.sawFeature, err)
			}
			if len(got) != len(features) {
				t.Fatalf("%s in %d-byte buffers: %d features, want %d", name, size, len(got), len(features))
			}
			for i := range features {
				if got[i] != features[i] {
					t.Errorf("%s in %d-byte buffers: feature %d is %.60q, want %.60q", name, size, i, got[i], features[i])
				}
				if !json.Valid([]byte(got[i])) {
					t.Errorf("%s: feature %d is not JSON", name, i)
				}
			}
		}
	}
	for bad, want := range map[string]string{
		``:                              "ends before",
		`[]`:                            "starts with",
		`{"features":[`:                 "ends before",
		`{"features":["x"]}`:            "holds a string",
		`{"features":[[1]]}`:            "holds an array",
		`{"features":[1]}`:              "holds '1'",
		`{"a":"}`:                       "ends before",
		`{}}`:                           "after the collection closes",
		`{"features":[{},,{}]}`:         "comma where a feature",
		`{"features":[{}{}]}`:           "not separated by a comma",
		`{"features":[{},]}`:            "ends with a comma",
		`{"features":[,{}]}`:            "comma where a feature",
		`{"features":[],"features":[]}`: "two features arrays",
		`{"features":[]}]`:              "after the collection closes",
	} {
		_, _, err := scanAll(bad, 3)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one saying %q", bad, err, want)
		}
	}
}
