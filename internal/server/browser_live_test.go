package server

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"strikemap/data"
	"strikemap/internal/geo"
)

// The map page opens /api/events only when the data can change while it is
// open, and only once a reader uses the page: an open stream is a request
// that never ends, and a headless screenshot or print (Chromium's
// --virtual-time-budget) waits for every request to end, for ever.
func TestEventStreamInBrowser(t *testing.T) {
	t.Parallel()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	// The embedded dataset never changes: no stream, even once used.
	file := newBrowser(t, offlineServer(t))
	tb := file.newTab(t, 1280, 800)
	tb.open("/")
	tb.run(chromedp.Click(chromedp.CSS(`.topbar .brand`)))
	tb.settle()
	if n := tb.requested("/api/events"); n != 0 {
		t.Errorf("the page of the embedded dataset asked for /api/events %d times; want none", n)
	}
	tb.checkClean()

	// A watched -data directory can change: the stream opens, but not
	// before a reader is there.
	live := newBrowser(t, mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap, Reloads: fakeReloads{}}))
	lt := live.newTab(t, 1280, 800)
	lt.open("/")
	if n := lt.requested("/api/events"); n != 0 {
		t.Errorf("a live page nobody used asked for /api/events %d times; want none until a reader is there", n)
	}
	lt.run(chromedp.Click(chromedp.CSS(`.topbar .brand`)))
	for deadline := time.Now().Add(10 * time.Second); lt.requested("/api/events") == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a live page a reader clicked never asked for /api/events")
		}
	}
	lt.checkClean()
}
