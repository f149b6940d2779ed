package mapimage_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestSVGGolden draws the shipped data at a fixed view and compares the
// SVG with testdata/golden.svg, one element per line so that a change
// shows as a readable diff. The dataset version is drawn as "golden", so
// that a change of data alone does not ask for the golden to be approved
// again blindly.
func TestSVGGolden(t *testing.T) {
	d, r := shipped(t)
	v := fullView(d)
	v.Fit, v.Center, v.Zoom = false, orb.Point{42.4411, 33.7856}, 9
	v.Width, v.Height = 640, 420
	v.Version = "golden"
	var buf bytes.Buffer
	if err := r.SVG(&buf, v); err != nil {
		t.Fatal(err)
	}
	got := onePerLine(buf.String())
	golden := filepath.Join("testdata", "golden.svg")
	if *update {
		_ = os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/mapimage -run TestSVGGolden -update creates it)", err)
	}
	if diff := lineDiff(string(want), got, 40); diff != "" {
		t.Errorf("SVG differs from testdata/golden.svg (run with -update if the change is intended, and look at it):\n%s", diff)
	}
}

// onePerLine puts each element of an SVG on a line of its own. The
// renderer writes no white space between elements, and no "><" inside text.
func onePerLine(svg string) string {
	return strings.ReplaceAll(strings.TrimSpace(svg), "><", ">\n<") + "\n"
}

// lineDiff says how got differs from want: the lines between their common
// start and end, "-" for want's and "+" for got's, at most max of each;
// "" when they are equal.
func lineDiff(want, got string, max int) string {
	if want == got {
		return ""
	}
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	ea, eb := len(a), len(b)
	for ea > start && eb > start && a[ea-1] == b[eb-1] {
		ea--
		eb--
	}
	var out strings.Builder
	fmt.Fprintf(&out, "@@ line %d: %d lines of the golden, %d of this SVG @@\n", start+1, ea-start, eb-start)
	for i, l := range a[start:ea] {
		if i == max {
			fmt.Fprintf(&out, "- ... %d more\n", ea-start-max)
			break
		}
		fmt.Fprintf(&out, "- %s\n", l)
	}
	for i, l := range b[start:eb] {
		if i == max {
			fmt.Fprintf(&out, "+ ... %d more\n", eb-start-max)
			break
		}
		fmt.Fprintf(&out, "+ %s\n", l)
	}
	return out.String()
}
