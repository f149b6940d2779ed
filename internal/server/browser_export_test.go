package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestExportTextInBrowser opens exported SVGs in Chromium, which here has
// no Go font, and measures each text as it is drawn in the fallback font:
// inside the image, and no wider than the box drawn round it (the label,
// title, legend, scale and attribution boxes, the cluster circles).
func TestExportTextInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, size := range [][2]int{{1200, 800}, {640, 420}, {400, 300}, {200, 200}} {
		tb := b.newTab(t, int64(size[0]), int64(size[1]))
		long := "Drone,+rocket+and+missile+attacks+on+United+States+and+coalition+bases+in+Iraq+and+Syria"
		tb.run(chromedp.Navigate(fmt.Sprintf("%s/api/export/map.svg?width=%d&height=%d&title=%s", tb.base, size[0], size[1], long)))
		poll[bool](tb, `document.querySelectorAll('text').length > 3`, 20*time.Second)
		problems := eval[[]string](tb, `(() => {
			const svg = document.documentElement, W = +svg.getAttribute('width'), H = +svg.getAttribute('height');
			const out = [], tol = 0.5;
			for (const t of svg.querySelectorAll('text')) {
				const b = t.getBBox(), g = t.closest('g'), what = JSON.stringify(t.textContent);
				if (b.x < -tol || b.x + b.width > W + tol || b.y < -tol || b.y + b.height > H + tol) {
					out.push(what + ' is cut by the image edge: ' + [b.x, b.y, b.x + b.width, b.y + b.height].map(Math.round));
				}
				const box = g.classList.contains('base') ? Array.from(g.querySelectorAll(':scope > path')).pop() : g.querySelector('path'); // a base's label box is its last path (a name may take two lines)
				if (!box) { continue; }
				const bb = box.getBBox();
				if (b.x < bb.x - tol || b.x + b.width > bb.x + bb.width + tol) {
					out.push(what + ' (' + g.getAttribute('class') + ') overflows its box: text ' + Math.round(b.x) + '–' + Math.round(b.x + b.width) + ', box ' + Math.round(bb.x) + '–' + Math.round(bb.x + bb.width));
				}
			}
			return out;
		})()`)
		for _, p := range problems {
			t.Errorf("%d×%d: %s", size[0], size[1], p)
		}
	}
}
