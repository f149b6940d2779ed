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
// a phone scaled the 640 px image to 343 px: 6 px letters, and a page
// 480 to 951 px wide to 448 to 639 px.
func TestReportMapTextOnPhone(t *testing.T) {
	t.Parallel()
	const smallText = 11.0 // mapimage's caption and attribution, image pixels
	b := newBrowser(t, offlineServer(t))
	// 480 to 951 px: the map's column is narrower than 640 px (one column
	// to 800 px, beside the summary from 801), where the 640 px image set
	// its text at 7.7 to 10.9 px.
	for _, w := range []int64{320, 375, 480, 640, 801, 900, 1280} {
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
				if w >= 952 && img.Natural != 640 {
					t.Errorf("%s at %d px: the %.0f px image, want the 640 px one", path, w, img.Natural)
				}
			}
			tb.checkClean()
		})
	}
}
