package ingest_test

import (
	"bytes"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/ingest"
)

func shipped(t *testing.T) *geo.Dataset {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestStrikesRoundTrip: the CSV /api/strikes.csv writes, read back and
// validated, gives the same strikes, field for field.
func TestStrikesRoundTrip(t *testing.T) {
	d := shipped(t)
	csv, err := export.StrikesCSV(d.Strikes)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ingest.ReadStrikes(bytes.NewReader(csv), "strikes.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(d); err != nil {
		t.Fatal(err)
	}
	if len(b.Rejected) > 0 || len(b.Strikes) != len(d.Strikes) {
		t.Fatalf("read %d strikes, rejected %v; want the %d exported", len(b.Strikes), b.Rejected, len(d.Strikes))
	}
	want, _ := geo.MarshalStrikes(d.Strikes)
	got, _ := geo.MarshalStrikes(b.Strikes)
	if !bytes.Equal(got, want) {
		t.Errorf("the strikes read back differ from those exported:\n%s\nwant\n%s", got, want)
	}
	merged, c := ingest.MergeStrikes(d.Strikes, b.Strikes)
	if c.Unchanged != len(d.Strikes) || c.Added+c.Updated != 0 || len(merged) != len(d.Strikes) {
		t.Errorf("merging the export into its own data: %+v", c)
	}
}

// TestStrikesRoundTripDefusedCells: a cell the export defuses against
// spreadsheet formulas comes back as it was.
func TestStrikesRoundTripDefusedCells(t *testing.T) {
	d := shipped(t)
	s := d.Strikes[0]
	s.Notes, s.Target = "=HYPERLINK(\"x\")", "-1 facility"
	s.Sources = append([]geo.Source(nil), s.Sources...)
	s.Sources[0].Says = "+ a claim with [brackets]: and <angle> text"
	csv, err := export.StrikesCSV([]geo.Strike{s})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(csv, []byte(`'=HYPERLINK`)) {
		t.Fatalf("the export did not defuse the formula:\n%s", csv)
	}
	b, err := ingest.ReadStrikes(bytes.NewReader(csv), "strikes.csv")
	if err != nil || len(b.Strikes) != 1 {
		t.Fatalf("%v %+v", err, b)
	}
	got := b.Strikes[0]
	if got.Notes != s.Notes || got.Target != s.Target || got.Sources[0].Says != s.Sources[0].Says || got.Sources[0].URL != s.Sources[0].URL {
		t.Errorf("read back notes %q target %q says %q url %q", got.Notes, got.Target, got.Sources[0].Says, got.Sources[0].URL)
	}
}

// TestStrikesRejections: every bad row is rejected naming file, line and
// column (or the property the loader names), and the good rows are kept.
func TestStrikesRejections(t *testing.T) {
	d := shipped(t)
	csv, err := export.StrikesCSV(d.Strikes[:1])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(csv), "\r\n", 2)
	header, good := lines[0], strings.TrimSpace(lines[1])
	id := d.Strikes[0].ID
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"bad date", "," + d.Strikes[0].Date.String() + ",", ",27/10/2023,", "strikes.csv:2: date: "},
		{"bad precision", ",near,", ",close,", `strikes.csv:2: location_precision: "close" is not one of`},
		{"bad longitude", ",40.9367,", ",east,", `strikes.csv:2: longitude: "east" is not a number`},
		{"bad killed", ",,confirmed,", ",-3,confirmed,", `strikes.csv:2: killed: "-3" is not a whole number from 0`},
		{"unknown incident", "\",,,confirmed,", "\",2099-01-01-nowhere,,confirmed,", `strikes.csv:2: in_response_to[0]: "2099-01-01-nowhere" is not the id of any incident`},
		{"no attacker", ",United States,", ",,", "strikes.csv:2: attacker: is missing"},
		{"bad country", ",SY,", ",Syria,", `strikes.csv:2: country: "Syria" is not an ISO 3166-1 alpha-2 code`},
		{"status above its sources", ",confirmed,", ",claimed,", `strikes.csv:2: status: is "claimed" but the strongest of its sources makes it "confirmed"`},
		{"source line unreadable", " [official", " (official", "strikes.csv:2: sources (line 1 of the cell): "},
		{"source without url", " <https://www.tribuneindia.com/news/world/us-strikes-two-syrian-facilities-after-attacks-by-iran-backed-militia-557037>", "", "strikes.csv:2: sources[0].url: is missing: a strike is cited by the page that reports it"},
		{"source count off", ",2,", ",3,", "strikes.csv:2: source_count: is 3, but the sources cell holds 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.from, tc.to, 1)
			if bad == good {
				t.Fatalf("%q is not in the row:\n%s", tc.from, good)
			}
			other := strings.Replace(good, id, id+"-other", 1)
			// The bad row first, on line 2: the good one's sources cell
			// spans lines.
			file := header + "\r\n" + bad + "\r\n" + other + "\r\n"
			b, err := ingest.ReadStrikes(strings.NewReader(file), "strikes.csv")
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Validate(d); err != nil {
				t.Fatal(err)
			}
			if len(b.Rejected) != 1 || !strings.HasPrefix(b.Rejected[0].String(), tc.want) {
				t.Fatalf("rejected %v, want one starting %q", b.Rejected, tc.want)
			}
			if len(b.Strikes) != 1 || b.Strikes[0].ID != id+"-other" {
				t.Errorf("kept %d strikes, want the good row's", len(b.Strikes))
			}
		})
	}
	_, err = ingest.ReadStrikes(strings.NewReader("id,date\r\nx,2023-10-27\r\n"), "strikes.csv")
	if err == nil || !strings.Contains(err.Error(), "strikes.csv:1: the header lacks the column(s) date_end, attacker") {
		t.Errorf("missing columns: %v", err)
	}
}
