package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReportMapTextOnPhone opens a base's report and an incident's page at
// phone widths and a desktop's: the map image a reader gets is drawn about
// the size it is shown at, so that its smallest text (the caption and the
// attribution, 11 px in the image) is at least 11 CSS px on screen. Before,
// a phone scaled the 640 px image to 343 px: 6 px letters.
func TestReportMapTextOnPhone(t *testing.T) {
	t.Parallel()
	const smallText = 11.0 // mapimage's caption and attribution, image pixels
	b := newBrowser(t, offlineServer(t))
	for _, w := range []int64{320, 375, 1280} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			tb := b.newTab(t, w, 740)
			for _, path := range []string{"/bases/ain-al-asad", "/incidents/2023-10-18-ain-al-asad-drones"} {
				tb.run(chromedp.Navigate(tb.base + path))
				img := poll[struct{ Natural, Shown float64 }](tb, `(() => {
					const i = document.readyState === 'complete' && document.querySelector('.report-map img');
					return i && i.complete && i.naturalWidth > 0 ? { Natural: i.naturalWidth, Shown: i.getBoundingClientRect().width } : null;
				})()`, 20*time.Second)
				if text := smallText * img.Shown / img.Natural; text < smallText {
					t.Errorf("%s at %d px: the map image is %.0f px wide, shown at %.0f px; its %.0f px text reads at %.1f px", path, w, img.Natural, img.Shown, smallText, text)
				}
				if w > 800 && img.Natural != 640 {
					t.Errorf("%s at %d px: the %.0f px image, want the 640 px one", path, w, img.Natural)
				}
			}
			tb.checkClean()
		})
	}
}
