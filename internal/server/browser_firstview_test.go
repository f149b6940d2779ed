package server

import (
	"fmt"
	"testing"
)

// TestFirstViewInBrowser opens the map page with the embedded data and the
// offline basemap, with no view in its URL, once at each width, and checks
// on that one page what a reader sees first, each check a subtest of its
// own: every base inside the map and named there (issue 12), no label
// covering a mark or another label, and no control covering another. (Four
// tests and part of a fifth loaded this page twelve times.)
func TestFirstViewInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, size := range []struct {
		w, h int64
		// countries the offline basemap must name at this width; nil: the
		// labels are not checked against the marks at this width.
		countries []string
		// whether firstViewProblems, the check of TestFirstView200kInBrowser,
		// runs at this width with the embedded data.
		problems bool
	}{
		{320, 740, nil, true},
		{375, 740, []string{"Iraq"}, true},
		{1280, 800, []string{"Iraq", "Syria"}, false},
	} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tb := b.newTab(t, size.w, size.h)
			tb.open("/")
			tb.placed()
			t.Run("every base named", func(t *testing.T) { checkEveryBaseNamed(t, tb.as(t)) })
			t.Run("every base in view", func(t *testing.T) { checkBasesInView(t, tb.as(t)) })
			t.Run("labels measured", func(t *testing.T) { checkLabelSizes(t, tb.as(t)) })
			if size.countries != nil {
				t.Run("labels avoid marks", func(t *testing.T) { checkLabelsAvoidMarks(t, tb.as(t), size.countries) })
			}
			if size.problems {
				t.Run("first view problems", func(t *testing.T) { firstViewProblems(t, tb.as(t), false, 12) })
			}
			if size.h == 740 { // TestMapControlsDoNotOverlap's height
				t.Run("controls apart", func(t *testing.T) { checkControlsApart(t, tb.as(t)) })
			}
			tb.checkClean()
		})
	}
}

// checkEveryBaseNamed fails unless every base is named, its whole label
// inside the map, at any width (issue 12: three base labels were cut off;
// at 320 px, Baghdad Diplomatic Support Center found no room on one line
// and went unnamed).
func checkEveryBaseNamed(t *testing.T, tb *tab) {
	t.Helper()
	m := rectOf(tb, `#map`)
	type label struct {
		Name    string
		Shown   bool
		Box     *box
		Clipped bool
	}
	labels := eval[[]label](tb, `(function () {
		return Array.from(document.querySelectorAll('#map .map-label-base')).map(function (e) {
			var r = e.getBoundingClientRect();
			return {Name: e.textContent, Shown: !e.hidden && r.width > 0, Box: {left: r.left, right: r.right, top: r.top, bottom: r.bottom},
				Clipped: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1};
		});
	})()`)
	bases := eval[int](tb, `document.querySelectorAll('#map .base-marker').length`)
	if len(labels) != bases || bases == 0 {
		t.Fatalf("%d base labels for %d bases", len(labels), bases)
	}
	for _, l := range labels {
		switch {
		case !l.Shown:
			t.Errorf("%s is not named on the map", l.Name)
		case l.Box.Left < m.Left || l.Box.Right > m.Right || l.Box.Top < m.Top || l.Box.Bottom > m.Bottom:
			t.Errorf("%s's label spans x %.0f–%.0f, y %.0f–%.0f, outside the map's x %.0f–%.0f, y %.0f–%.0f", l.Name, l.Box.Left, l.Box.Right, l.Box.Top, l.Box.Bottom, m.Left, m.Right, m.Top, m.Bottom)
		case l.Clipped:
			t.Errorf("%s's label clips its text", l.Name)
		}
	}
}
