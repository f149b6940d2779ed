package server

import (
	"fmt"
	"testing"
)

// TestFirstViewNamesEveryBaseInBrowser opens the map page with no view in
// its URL: every base must be named, its whole label inside the map, at
// any width (issue 12: three base labels were cut off; at 320 px, Baghdad
// Diplomatic Support Center found no room on one line and went unnamed).
func TestFirstViewNamesEveryBaseInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, size := range [][2]int64{{320, 740}, {375, 740}, {1280, 800}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tb := b.newTab(t, size[0], size[1])
			tb.open("/")
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
			tb.checkClean()
		})
	}
}
