package server

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"strikemap/internal/geo"
)

// The incident list of the map page (issue 12, bugs 2, 4, 6 and 7, and the
// list following the map view), measured as a reader meets it.

// numbers reads the whole numbers of a text, thousands separators dropped:
// "1–500 of 6,000" gives [1 500 6000].
func numbers(s string) []int {
	var out []int
	for _, m := range regexp.MustCompile(`\d[\d,\x{202F} ]*`).FindAllString(s, -1) {
		n, err := strconv.Atoi(strings.NewReplacer(",", "", "\u202f", "", " ", "").Replace(m))
		if err == nil {
			out = append(out, n)
		}
	}
	return out
}

// listIDs returns the incident ids of the list's rows, in order.
func (tb *tab) listIDs() []string {
	tb.t.Helper()
	return eval[[]string](tb, `Array.from(document.querySelectorAll('#incident-list tbody tr[data-id]')).map(r => r.dataset.id)`)
}

// apiFC fetches a GeoJSON collection of the test server.
func apiFC(t *testing.T, base, path string) (fc struct {
	NumberMatched int `json:"numberMatched"`
	Features      []struct {
		ID       string `json:"id"`
		Geometry struct {
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&fc); err != nil {
		t.Fatal(err)
	}
	return fc
}

// listDrawn is true once the list holds the page of the current choice:
// nothing loads, and it does not wait for a closed drawer to open.
const listDrawn = `document.body.dataset.busy === '0' && !document.getElementById('incident-list').dataset.pending`

// listRequests returns the list's requests so far (the map's own requests
// for incidents ask for no sort order).
func (tb *tab) listRequests() []*url.URL {
	return tb.requestsTo(func(u *url.URL) bool { return u.Path == "/api/incidents.geojson" && u.Query().Has("sort") })
}

// openPanelList opens the drawer on a phone, scrolls the panel to the list
// and waits until the list is drawn (a closed drawer's list waits for it
// to open).
func (tb *tab) openPanelList(phone bool) {
	tb.t.Helper()
	if phone {
		tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
		poll[bool](tb, `getComputedStyle(document.getElementById('panel')).visibility === 'visible' && document.getElementById('panel').getBoundingClientRect().left >= 0`, 10*time.Second)
	}
	eval[any](tb, `document.getElementById('incident-list').scrollIntoView({block: 'start'}), 0`)
	poll[bool](tb, listDrawn, 20*time.Second)
}

// listLayoutProblems measures the list table as a reader sees it: a cell
// past the panel's edge, a word broken across lines, a table wider than
// the panel, and the panel scrolled sideways after each Show button takes
// the keyboard focus.
const listLayoutProblems = `(() => {
  const panel = document.getElementById('panel');
  const pr = panel.getBoundingClientRect();
  const right = pr.left + panel.clientLeft + panel.clientWidth + 0.5;
  const left = pr.left + panel.clientLeft - 0.5;
  const out = [];
  const rows = Array.from(document.querySelectorAll('#incident-list tr')).slice(0, 60);
  for (const tr of rows) {
    for (const cell of tr.children) {
      const r = cell.getBoundingClientRect();
      const what = (tr.dataset.id || 'header') + ' column ' + (cell.cellIndex + 1) + ' "' + cell.textContent.trim().slice(0, 30) + '"';
      if (r.right > right || r.left < left) { out.push(what + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ', the panel ' + Math.round(left) + '..' + Math.round(right)); }
      for (const el of cell.querySelectorAll('button')) {
        const b = el.getBoundingClientRect();
        if (b.right > right) { out.push(what + ': its button ends at ' + Math.round(b.right) + ', past the panel at ' + Math.round(right)); }
      }
      // Each word must sit on one line: a word broken by a narrow column has
      // several boxes.
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const re = /\S+/g;
        let m;
        while ((m = re.exec(n.data))) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const tops = new Set(Array.from(range.getClientRects()).map(q => Math.round(q.top)));
          if (tops.size > 1) { out.push(what + ': the word "' + m[0] + '" is broken over ' + tops.size + ' lines'); }
        }
      }
    }
  }
  if (panel.scrollWidth > panel.clientWidth + 1) { out.push('the panel scrolls sideways: ' + panel.scrollWidth + ' px of content in ' + panel.clientWidth); }
  for (const b of Array.from(document.querySelectorAll('#incident-list tbody button')).slice(0, 30)) {
    b.focus();
    if (panel.scrollLeft !== 0) { out.push('focusing ' + (b.getAttribute('aria-label') || b.textContent) + ' scrolls the panel ' + panel.scrollLeft + ' px sideways'); panel.scrollLeft = 0; }
    if (document.scrollingElement.scrollLeft !== 0) { out.push('focusing a button scrolls the page sideways'); document.scrollingElement.scrollLeft = 0; }
  }
  return out;
})()`

// Bug 2: the Target column was one letter wide, Status and Show were cut
// off past the panel's edge, and tabbing to Show scrolled the panel sideways.
func TestListLayoutInBrowser(t *testing.T) {
	t.Parallel()
	for _, set := range []struct {
		name string
		s    *Server
	}{{"12 incidents", offlineServer(t)}, {"6,000 incidents", syntheticServer(t, 6000)}} {
		b := newBrowser(t, set.s)
		for _, size := range []struct {
			name          string
			width, height int64
			phone         bool
		}{{"desktop", 1280, 800, false}, {"phone", 375, 740, true}} {
			t.Run(set.name+"/"+size.name, func(t *testing.T) {
				tb := b.newTab(t, size.width, size.height)
				tb.open("/")
				tb.openPanelList(size.phone)
				if n := len(tb.listIDs()); n == 0 {
					t.Fatal("the list is empty")
				}
				problems := eval[[]string](tb, listLayoutProblems)
				for _, p := range problems[:min(len(problems), 12)] {
					t.Error(p)
				}
				if len(problems) > 12 {
					t.Errorf("and %d more", len(problems)-12)
				}
				tb.checkClean()
			})
		}
	}
}

// Bug 7: sorting by date reversed only the first 500 rows. The list asks
// the server for the order and pages over the whole filtered set.
func TestListSortsAndPagesTheWholeSetInBrowser(t *testing.T) {
	t.Parallel()
	requireBrowser(t) // before building the server
	s := syntheticServer(t, 6000)
	d := s.store.Dataset()
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	showAll(tb)
	tb.run(chromedp.Click(chromedp.CSS(`#sort-date`)))
	tb.settle()
	newest := d.Incidents[len(d.Incidents)-1].ID
	rows := tb.listIDs()
	if len(rows) == 0 || rows[0] != newest {
		first := "none"
		if len(rows) > 0 {
			first = rows[0]
		}
		t.Fatalf("after sorting newest first the first row is %s, want the newest incident, %s", first, newest)
	}
	want := apiFC(t, b.server.URL, "/api/incidents.geojson?sort=-date&limit=500&offset=500")
	rangeText := eval[string](tb, `document.getElementById('list-range').textContent`)
	if got := numbers(rangeText); !slices.Equal(got, []int{1, 500, len(d.Incidents)}) {
		t.Errorf("the list says %q, want 1–500 of %d", rangeText, len(d.Incidents))
	}
	tb.run(chromedp.Click(chromedp.CSS(`#list-next`)))
	tb.settle()
	var wantIDs []string
	for _, f := range want.Features {
		wantIDs = append(wantIDs, f.ID)
	}
	if got := tb.listIDs(); !slices.Equal(got, wantIDs) {
		t.Errorf("the second page lists %d rows starting %v, want the API's 501–1000 of sort=-date", len(got), got[:min(3, len(got))])
	}
	rangeText = eval[string](tb, `document.getElementById('list-range').textContent`)
	if got := numbers(rangeText); !slices.Equal(got, []int{501, 1000, len(d.Incidents)}) {
		t.Errorf("on the second page the list says %q, want 501–1000 of %d", rangeText, len(d.Incidents))
	}
	tb.run(chromedp.Click(chromedp.CSS(`#list-prev`)))
	tb.settle()
	if rows := tb.listIDs(); len(rows) == 0 || rows[0] != newest {
		t.Error("back on the first page, the newest incident is not first")
	}
	// Oldest first again: the first row is the dataset's first incident.
	tb.run(chromedp.Click(chromedp.CSS(`#sort-date`)))
	tb.settle()
	if rows := tb.listIDs(); len(rows) == 0 || rows[0] != d.Incidents[0].ID {
		t.Errorf("sorted oldest first, the first row is not the oldest incident %s", d.Incidents[0].ID)
	}
	tb.checkClean()
}

// showAll makes the list cover the whole filtered set, not only the view.
func showAll(tb *tab) {
	tb.t.Helper()
	if eval[bool](tb, `!!document.getElementById('list-in-view') && document.getElementById('list-in-view').checked`) {
		tb.run(chromedp.Click(chromedp.CSS(`#list-in-view`)))
		tb.settle()
	}
}

// countShown reads the panel's incident count: its first number.
func countShown(tb *tab) int {
	tb.t.Helper()
	text := eval[string](tb, `document.getElementById('incident-count').textContent`)
	n := numbers(text)
	if len(n) == 0 {
		tb.t.Fatalf("the count %q has no number", text)
	}
	return n[0]
}

// Bug 4: unticking one target dropped every incident with no base.
func TestListNoKnownBaseInBrowser(t *testing.T) {
	t.Parallel()
	s := syntheticServer(t, 800) // points: a tab has a minute for five renders
	d := s.store.Dataset()
	harir := d.Count(geo.Filter{Bases: []string{"harir"}})
	none := d.Count(geo.Filter{Bases: []string{geo.NoBase}})
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	if got := countShown(tb); got != len(d.Incidents) {
		t.Fatalf("the count says %d, want %d", got, len(d.Incidents))
	}
	tb.run(chromedp.Click(chromedp.CSS(`input[name=base][value=harir]`)))
	tb.settle()
	if got, want := countShown(tb), len(d.Incidents)-harir; got != want {
		t.Fatalf("with Harir unticked the count says %d, want %d (all but Harir's %d; %d have no known base)", got, want, harir, none)
	}
	label := eval[string](tb, `(() => { const i = document.querySelector('input[name=base][value="-"]'); return i ? i.closest('label').textContent.trim() : ''; })()`)
	if label != "No known base" {
		t.Fatalf("the target choices have no \"No known base\" (found %q)", label)
	}
	tb.run(chromedp.Click(chromedp.CSS(`input[name=base][value="-"]`)))
	tb.settle()
	if got, want := countShown(tb), len(d.Incidents)-harir-none; got != want {
		t.Errorf("with Harir and no known base unticked the count says %d, want %d", got, want)
	}
	if u := eval[string](tb, `location.search`); !strings.Contains(u, "base=") || strings.Contains(u, "harir") {
		t.Errorf("the URL %q does not say which targets are chosen", u)
	}
	tb.checkClean()
	// The URL brings the same choice back (in a tab of its own: a tab has a
	// minute).
	search := eval[string](tb, `location.search`)
	again := b.newTab(t, 1280, 800)
	again.open("/" + search)
	if got, want := countShown(again), len(d.Incidents)-harir-none; got != want {
		t.Errorf("reloaded, the count says %d, want %d", got, want)
	}
	if eval[bool](again, `document.querySelector('input[name=base][value="-"]').checked`) {
		t.Error("reloaded, No known base is ticked again")
	}
	again.checkClean()
}

// Bug 6: in cluster mode the list's Show button did nothing.
func TestListShowInClusterModeInBrowser(t *testing.T) {
	t.Parallel()
	requireBrowser(t) // before building the server
	s := syntheticServer(t, 6000)
	b := newBrowser(t, s)
	for _, size := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"desktop", 1280, 800, false}, {"phone", 375, 740, true}} {
		t.Run(size.name, func(t *testing.T) {
			tb := b.newTab(t, size.width, size.height)
			tb.open("/")
			if !strings.Contains(eval[string](tb, `document.getElementById('incident-count').textContent`), "cluster") {
				t.Fatal("the page is not in cluster mode")
			}
			showAll(tb)
			tb.openPanelList(size.phone)
			id := eval[string](tb, `document.querySelectorAll('#incident-list tbody tr[data-id]')[3].dataset.id`)
			inc, _ := s.store.Dataset().Incident(id)
			tb.run(chromedp.Click(chromedp.CSS(`#incident-list tbody tr[data-id="` + id + `"] button`)))
			tb.settle()
			popup := poll[string](tb, `(() => { const p = document.querySelector('.leaflet-popup .incident-popup'); return p ? p.dataset.id : ''; })()`, 10*time.Second)
			if popup != id {
				t.Fatalf("the open popup is %q, want %s", popup, id)
			}
			// Opening the popup pans the map to fit it (animated): wait until
			// the map stands still.
			poll[bool](tb, mapStill, 10*time.Second)
			tb.settle()
			// The view is close in, and the popup's tip is on the map at the
			// incident's place (Web Mercator from the view in the URL, which
			// the page keeps equal to what it shows).
			view := strings.Split(eval[string](tb, `new URLSearchParams(location.search).get('map') || ''`), "/")
			if len(view) != 3 {
				t.Fatalf("no map view in the URL")
			}
			zoom, _ := strconv.ParseFloat(view[0], 64)
			lat, _ := strconv.ParseFloat(view[1], 64)
			lon, _ := strconv.ParseFloat(view[2], 64)
			if zoom < 9 {
				t.Errorf("the view is %v, want zoom 9 or more", view)
			}
			px := func(lat, lon float64) (float64, float64) {
				scale := 256 * math.Pow(2, zoom)
				s := math.Sin(lat * math.Pi / 180)
				return (lon + 180) / 360 * scale, (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * scale
			}
			cx, cy := px(lat, lon)
			ix, iy := px(inc.Point.Lat(), inc.Point.Lon())
			tip := eval[[]float64](tb, `(() => { const m = document.getElementById('map').getBoundingClientRect(); const p = document.querySelector('.leaflet-popup-tip-container').getBoundingClientRect();
			  return [(p.left + p.right) / 2 - (m.left + m.width / 2), p.bottom - (m.top + m.height / 2), m.width, m.height, p.bottom - m.top, p.left - m.left, m.right - p.right]; })()`)
			if math.Abs(tip[0]-(ix-cx)) > 12 || math.Abs(tip[1]-(iy-cy)) > 12 {
				t.Errorf("the popup points at %.0f,%.0f px from the map's centre; the incident is at %.0f,%.0f", tip[0], tip[1], ix-cx, iy-cy)
			}
			if tip[4] < 0 || tip[4] > tip[3] || tip[5] < 0 || tip[6] < 0 {
				t.Errorf("the popup's tip is outside the map (%v)", tip)
			}
			if sel := eval[string](tb, `new URLSearchParams(location.search).get('sel') || ''`); sel != id {
				t.Errorf("sel in the URL is %q, want %s", sel, id)
			}
			tb.checkClean()
		})
	}
}

// The list follows the map view: what it lists is what the map shows.
func TestListFollowsTheViewInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	all := apiIDs(t, b.server.URL, "")
	tb := b.newTab(t, 1280, 800)
	// Ain al-Asad, close enough that the other bases are off the map.
	tb.open("/?map=10/33.80/42.44")
	if !eval[bool](tb, `!!document.getElementById('list-in-view') && document.getElementById('list-in-view').checked`) {
		t.Fatal("no ticked \"only what the map shows\" choice")
	}
	// Every marker well inside the map has a row, and every row's marker is
	// on the map.
	check := func(what string) {
		t.Helper()
		inside := eval[[]string](tb, `(() => { const m = document.getElementById('map').getBoundingClientRect();
		  return Array.from(document.querySelectorAll('#map .incident-marker')).filter(e => { const r = e.getBoundingClientRect(); const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2; return x > m.left && x < m.right && y > m.top && y < m.bottom; }).map(e => e.dataset.id).sort(); })()`)
		rows := tb.listIDs()
		slices.Sort(rows)
		if len(rows) == 0 || len(rows) == len(all) {
			t.Errorf("%s: the list has %d rows of %d; it does not follow the view", what, len(rows), len(all))
		}
		if !slices.Equal(rows, inside) {
			t.Errorf("%s: the list has %v, the map shows %v", what, rows, inside)
		}
		text := eval[string](tb, `document.getElementById('list-range').textContent`)
		if n := numbers(text); len(n) == 0 || n[len(n)-1] != len(rows) {
			t.Errorf("%s: the list says %q for %d rows", what, text, len(rows))
		}
	}
	check("at Ain al-Asad")
	// Zoom out with the keyboard, as a reader can: more of the map, more rows.
	before := len(tb.listIDs())
	for _, from := range []string{"10", "9"} {
		tb.run(chromedp.Focus(chromedp.CSS(`#map`)), chromedp.KeyEvent("-"))
		// The URL follows the view at moveend, after the zoom's animation
		// (read decoded, as a reader's browser would).
		poll[bool](tb, `!(new URLSearchParams(location.search).get('map') || '').startsWith('`+from+`/') && `+mapStill, 10*time.Second)
		tb.settle()
	}
	check("zoomed out twice")
	if after := len(tb.listIDs()); after <= before {
		t.Errorf("zoomed out, the list has %d rows, no more than before (%d)", after, before)
	}
	showAll(tb)
	if got := tb.listIDs(); len(got) != len(all) {
		t.Errorf("with the choice unticked the list has %d rows, want all %d", len(got), len(all))
	}
	tb.checkClean()
}
