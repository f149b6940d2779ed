// The map's text: base names always, and on the offline basemap the
// country names and the towns, placed by labels.js's collision pass so that
// no label covers an incident, a cluster, a base or another label. Labels
// are plain elements in their own pane (above the marks, below popups),
// placed again whenever the view or what is drawn changes.
import { placeLabels, intersects, SIDES, balancedBreak, landSpots, leaderLine, disc } from './labels.js';
import { placeCounts, stackSpots, clusterSpots } from './counts.js';
import { spreadPoints } from './fan.js';
import { el } from './dom.js';
import { styleBox, textWidth, boxSize } from './textbox.js';

const L = window.L;

const MARGIN = 2; // pixels kept clear of the map's edges
const DOT = 6; // a town's dot, pixels
const CAPITAL_DOT = 8;
const PAD = 2; // pixels kept between a label and anything else
const CONTROL_GAP = 6; // pixels kept between a name and a control over the map
const NEAR = 12; // a base label's distance from its point; farther ones get a leader line
const BASE_RADIUS = 9; // half a base marker
// BASE_GAPS are a base label's distances from its point, tried in turn:
// past the incidents round it, out to where a crowd of clusters (200,000
// incidents on a phone) still leaves room, with a leader line, as the image
// exports lead theirs.
const BASE_GAPS = [NEAR, 32, 52, 76, 100, 130, 170, 220];
const FAR = 260; // the farthest a base's label goes from it, pixels

// createMapLabels makes the labels pane and returns the labels' controller:
// setBasemap(fc) hands it the offline basemap's label points and towns.
export function createMapLabels(app) {
  const map = app.map;
  const pane = map.createPane('labels');
  pane.classList.add('pane-labels');
  let countries = [];
  let places = [];
  // A base's label by its name and place: a redraw makes new markers for
  // the same bases, which keep their labels, measured once.
  const bases = new Map(); // key -> label
  const baseKey = (m) => m.options.labelText + '\u0000' + m.getLatLng().toString();
  let frame = 0;

  // label makes a hidden label element in the pane; its size is measured
  // once (textbox.js): it does not change with the view.
  function label(cls, text) {
    const e = el('span', 'map-label ' + cls, text);
    e.hidden = true;
    pane.appendChild(e);
    return e;
  }
  // Sizes come from the labels' CSS and a canvas's measure of their text
  // (textbox.js), not from offsetWidth: reading a label's size laid the
  // whole page out, once per label and per form of its name.
  const styles = new Map(); // class list -> styleBox
  const styleOf = (e) => {
    let b = styles.get(e.className);
    if (!b) {
      b = styleBox(getComputedStyle(e));
      styles.set(e.className, b);
    }
    return b;
  };
  const ctx = document.createElement('canvas').getContext('2d');
  let font = '';
  const measureText = (f, s) => {
    if (f !== font) { ctx.font = f; font = f; }
    return ctx.measureText(s).width;
  };
  // size is the box of label element e holding text, on lines lines.
  function size(e, text, lines = 1) {
    return boxSize(styleOf(e), text, measureText, lines);
  }
  // measured makes a label's element (a country's or a town's: made when
  // first in view, not all 463 towns' at load) and measures it the first
  // time it is asked for, and returns it.
  function measured(it) {
    if (!it.el) { it.make(); }
    if (it.w === undefined) {
      const b = size(it.el, it.full || it.el.textContent);
      it.w = b.w + 2 * PAD;
      it.h = b.h + PAD;
    }
    return it;
  }

  function setBasemap(fc) {
    countries.concat(places).forEach((it) => {
      if (it.el) { it.el.remove(); }
      if (it.dot) { it.dot.remove(); }
    });
    countries = []; places = [];
    // Each country's land (its polygons, by ISO code), where its name goes
    // when none of its label points is in view.
    const lands = {};
    fc.features.forEach((f) => {
      const p = f.properties;
      if (p.layer === 'country' && p.iso_a2 && f.geometry) {
        const polys = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates];
        lands[p.iso_a2] = (lands[p.iso_a2] || []).concat(polys);
      }
    });
    fc.features.forEach((f) => {
      const p = f.properties;
      if (p.layer === 'country-label') {
        // A MultiPoint: the best point first, then where else the name may go.
        const pts = f.geometry.type === 'MultiPoint' ? f.geometry.coordinates : [f.geometry.coordinates];
        const it = { latlngs: pts.map((c) => L.latLng(c[1], c[0])), land: lands[p.iso_a2] || [], minzoom: p.minzoom, el: null };
        it.make = () => { it.el = label('map-label-country', p.name); };
        countries.push(it);
      } else if (p.layer === 'place') {
        // National capitals stand out; province seats a little.
        const cls = p.capital === 'country' ? ' map-label-capital' : p.capital === 'province' ? ' map-label-seat' : '';
        const it = { latlng: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), minzoom: p.minzoom, size: p.capital === 'country' ? CAPITAL_DOT : DOT, el: null, dot: null };
        it.make = () => {
          it.dot = el('span', 'map-label-dot' + cls);
          it.dot.hidden = true;
          pane.appendChild(it.dot);
          it.el = label('map-label-place' + cls, p.name);
        };
        places.push(it);
      }
    });
    // Countries by zoom, big ones first; towns keep the file's order (by
    // zoom, capitals, then population: docs/basemap.md).
    countries.sort((a, b) => a.minzoom - b.minzoom);
    // Each is made and measured when first in view (measured).
    pane.dataset.basemap = '1'; // for a reader of the DOM (the tests): the names are in
    schedule();
  }

  // baseLabel returns the label element of a base's marker, made the first
  // time its base is asked for.
  function baseLabel(m) {
    const key = baseKey(m);
    let it = bases.get(key);
    if (!it) {
      const e = label('map-label-base base-tooltip', '');
      e.dataset.bases = m.options.labelText; // the bases it names, for a reader of the DOM (the tests)
      const span = el('span', 'base-label', m.options.labelText);
      e.appendChild(span);
      it = { el: e, span, full: m.options.labelText, shortText: m.options.shortText || m.options.labelText, leader: el('span', 'map-label-leader') };
      it.leader.hidden = true;
      pane.appendChild(it.leader);
      bases.set(key, it);
      measured(it);
      measureWrapped(it);
      measureShort(it);
    }
    return it;
  }

  // measureWrapped measures a long base name on two lines, for a narrow
  // map where it finds no room on one (Baghdad Diplomatic Support Center
  // at 320 px): it.wrap is [w, h, box width]. The lines are balanced
  // (balancedBreak), the width that of the longer, so that no word is
  // left alone on a third.
  function measureWrapped(it) {
    if (!/\s/.test(it.full)) { return; }
    const b = styleOf(it.el);
    const lineWidth = (s) => textWidth(b, s, measureText);
    const lines = balancedBreak(it.full, lineWidth);
    // The box's width counts its padding and border (box-sizing:
    // border-box): given the text's width alone, the longer line did not
    // fit and the name took three lines.
    const width = Math.ceil(Math.max(lineWidth(lines[0]), lineWidth(lines[1])) + b.chromeX) + 1;
    // Wrapped, the label takes the wrap class's line height.
    wrap(it, width);
    const two = size(it.el, it.full, 2);
    wrap(it, 0);
    it.wrap = [width + 2 * PAD, two.h + PAD, width];
    if (it.wrap[0] >= it.w) { it.wrap = null; }
  }

  // measureShort measures a base's short name (the server's, from
  // geo.Base.Short: the data's short_name or one derived from the name), which its
  // label takes when the full names do not all find room: it.short is
  // [w, h, text].
  function measureShort(it) {
    const text = it.shortText;
    if (text === it.full) { return; }
    const b = size(it.el, text);
    it.short = [b.w + 2 * PAD, b.h + PAD, text];
  }

  function wrap(it, width) {
    it.el.classList.toggle('map-label-wrap', width > 0);
    it.el.style.width = width > 0 ? width + 'px' : '';
  }

  // markBox is the box of a marker's icon or a cluster's disc, in the
  // map's pixels.
  function markBox(m) {
    const p = map.latLngToContainerPoint(m.getLatLng());
    if (m instanceof L.Marker) {
      const o = m.options.icon.options;
      const [w, h] = o.iconSize, [ax, ay] = o.iconAnchor || [w / 2, h / 2];
      return { minX: p.x - ax, minY: p.y - ay, maxX: p.x - ax + w, maxY: p.y - ay + h };
    }
    if (m instanceof L.CircleMarker) {
      const r = m.getRadius() + (m.options.weight || 0);
      return { minX: p.x - r, minY: p.y - r, maxX: p.x + r, maxY: p.y + r };
    }
    return null;
  }

  // controls are the boxes of the map's controls and the date written on
  // it, and of what is laid over the map from beside it: the embed's
  // legend button (a sibling of the map, not one of Leaflet's controls);
  // each CONTROL_GAP pixels larger, so that no name touches one (the
  // embed's scale bar ended 2 px from Mādabā's dot).
  function controls() {
    const out = [];
    const c = map.getContainer().getBoundingClientRect();
    const around = map.getContainer().parentElement || map.getContainer();
    const g = CONTROL_GAP;
    around.querySelectorAll('.leaflet-control, .map-date, .embed-legend').forEach((e) => {
      const r = e.getBoundingClientRect();
      if (r.width && r.height) { out.push({ minX: r.left - c.left - g, minY: r.top - c.top - g, maxX: r.right - c.left + g, maxY: r.bottom - c.top + g }); }
    });
    return out;
  }

  // marks are the boxes no label may cover: every incident and base marker
  // drawn, the clusters' discs (round, their white rim included: a label
  // lay across a disc's edge) and counts, and the map's controls and the
  // date written on it, as in the image exports. At 200,000 incidents the
  // discs cover the map: a base's label goes out past them, up to FAR
  // pixels, with a leader line that crosses no other disc.
  function marks(counts) {
    const out = [];
    [app.layers.incidents, app.layers.bases].forEach((layer) => {
      if (!map.hasLayer(layer)) { return; }
      layer.eachLayer((m) => {
        if (m.setCount) {
          const p = map.latLngToContainerPoint(m.getLatLng());
          out.push(disc(p.x, p.y, m.getRadius() + (m.options.weight || 0) / 2));
          return;
        }
        const b = markBox(m);
        if (b) { out.push(b); }
      });
    });
    return out.concat(counts, controls());
  }

  // placeMapCounts moves each stack's badge and cluster's count that a
  // base's symbol, another mark or another count would cover to a spot
  // where it is seen and can be clicked (counts.js), and returns the
  // counts' boxes.
  function placeMapCounts() {
    if (!map.hasLayer(app.layers.incidents)) { return []; }
    const size = map.getSize();
    const near = (b) => b.maxX > -40 && b.maxY > -40 && b.minX < size.x + 40 && b.minY < size.y + 40;
    const obstacles = controls();
    if (map.hasLayer(app.layers.bases)) {
      app.layers.bases.eachLayer((m) => { const b = markBox(m); if (b && near(b)) { obstacles.push(b); } });
    }
    const counts = [], owners = [];
    app.layers.incidents.eachLayer((m) => {
      const b = markBox(m);
      if (!b || !near(b)) { return; }
      const id = counts.length;
      const p = map.latLngToContainerPoint(m.getLatLng());
      if (m.members) {
        const badge = m.getElement() && m.getElement().querySelector('.stack-count');
        if (!badge) { return; }
        if (!m.badgeSize) { m.badgeSize = [badge.offsetWidth, badge.offsetHeight]; }
        const [w, h] = m.badgeSize;
        b.owner = id;
        counts.push({ id, x: p.x, y: p.y, w, h, spots: stackSpots(w, h) });
        owners.push({ badge });
      } else if (m.setCount) {
        const [w, h] = m.countSize();
        counts.push({ id, x: p.x, y: p.y, w, h, spots: clusterSpots(w, h, m.getRadius()) });
        owners.push({ dot: m });
        return; // a disc is not an obstacle: counts lie on discs
      }
      obstacles.push(b);
    });
    const placed = placeCounts(counts, obstacles);
    placed.forEach((pl, i) => {
      const o = owners[i];
      if (o.badge) {
        // Offsets from the stack's 20 px icon's top left corner.
        o.badge.style.left = (10 + pl.at[0]) + 'px';
        o.badge.style.top = (10 + pl.at[1]) + 'px';
      } else {
        o.dot.setCount(pl.at, pl.spot > 0);
        if (o.dot.key) { o.dot.key.setAttribute('data-count-box', [pl.box.minX, pl.box.minY, pl.box.maxX, pl.box.maxY].map(Math.round).join(',')); }
      }
    });
    return placed.map((pl) => pl.box);
  }

  // spreadBases keeps the symbols of bases that would cover each other
  // (a kilometre apart, at a country's zoom) apart, round their places
  // (fan.js), so that each can be seen and clicked: it moves their icons'
  // anchors, which markBox reads.
  function spreadBases() {
    if (!map.hasLayer(app.layers.bases)) { return; }
    const ms = [];
    app.layers.bases.eachLayer((m) => { if (m.getElement()) { ms.push(m); } });
    const offs = spreadPoints(ms.map((m) => map.latLngToContainerPoint(m.getLatLng())), 2 * BASE_RADIUS + 4);
    ms.forEach((m, i) => {
      const o = m.options.icon.options, [w, h] = o.iconSize;
      const ax = Math.round(w / 2 - offs[i][0]), ay = Math.round(h / 2 - offs[i][1]);
      // How far the symbol is drawn from its place, for a reader of the
      // page's DOM (the tests) that must tell the two apart.
      m.getElement().dataset.offset = (w / 2 - ax) + ',' + (h / 2 - ay);
      if (o.iconAnchor && o.iconAnchor[0] === ax && o.iconAnchor[1] === ay) { return; }
      o.iconAnchor = [ax, ay];
      m.getElement().style.marginLeft = -ax + 'px';
      m.getElement().style.marginTop = -ay + 'px';
    });
  }

  // around lists the offsets from a point at which a w×h label may be
  // centred, within FAR pixels, nearest first, each clear of the point.
  // Every size filters one grid of offsets, made and sorted once (a stable
  // sort: equally far offsets stay in the grid's order).
  const arounds = new Map(); // w×h -> offsets: a base's name has two or three sizes
  let grid = null;
  function around(w, h) {
    const key = w + 'x' + h;
    let out = arounds.get(key);
    if (out) { return out; }
    if (!grid) {
      grid = [];
      for (let dy = -FAR; dy <= FAR; dy += 8) {
        for (let dx = -FAR; dx <= FAR; dx += 10) {
          const d = Math.hypot(dx, dy);
          if (d <= FAR) { grid.push({ dx, dy, d }); }
        }
      }
      grid.sort((a, b) => a.d - b.d);
    }
    out = grid.filter((o) => !(Math.abs(o.dx) < w / 2 + NEAR && Math.abs(o.dy) < h / 2 + NEAR));
    arounds.set(key, out);
    return out;
  }

  let placements = 0;
  function update() {
    frame = 0;
    // How many passes the page made, for a reader of its DOM (the tests:
    // one per redraw).
    pane.dataset.placements = String(++placements);
    spreadBases();
    const size = map.getSize();
    const zoom = map.getZoom();
    const view = { width: size.x, height: size.y, margin: MARGIN };
    const inView = (p, pad) => p.x > -pad && p.y > -pad && p.x < size.x + pad && p.y < size.y + pad;
    const cands = [];
    const items = [];
    const push = (it, c) => { c.id = items.length; items.push(it); cands.push(c); };

    const live = new Set();
    const baseCands = [];
    if (map.hasLayer(app.layers.bases)) {
      app.layers.bases.eachLayer((m) => {
        if (!m.options.labelText) { return; }
        live.add(baseKey(m));
        const it = baseLabel(m);
        const p = map.latLngToContainerPoint(m.getLatLng());
        // Farther out when incidents ring the base (with a leader line).
        const c = { x: p.x, y: p.y, w: it.w, h: it.h, sizes: it.wrap ? [it.wrap.slice(0, 2)] : [], gaps: BASE_GAPS, anchors: SIDES, leader: NEAR + PAD + 2 };
        push(it, c);
        baseCands.push(c);
      });
    }
    bases.forEach((it, key) => { if (!live.has(key)) { it.el.remove(); it.leader.remove(); bases.delete(key); } });

    if (map.hasLayer(app.offline)) {
      countries.forEach((it) => {
        if (it.minzoom > zoom) { return; }
        let pts = it.latlngs.map((ll) => map.latLngToContainerPoint(ll)).filter((p) => inView(p, 0));
        // Zoomed in, none of its label points may be in view, or free:
        // it is named where else its land is.
        if (it.land.length) {
          pts = pts.concat(landSpots(it.land, size.x, size.y, (x, y) => { const ll = map.containerPointToLatLng([x, y]); return [ll.lng, ll.lat]; }));
        }
        if (pts.length) { measured(it); push(it, { x: pts[0].x, y: pts[0].y, at: pts.slice(1), w: it.w, h: it.h, gap: 2, anchors: ['center', 'above', 'below'] }); }
      });
      places.forEach((it) => {
        if (it.minzoom > zoom) { return; }
        const p = map.latLngToContainerPoint(it.latlng);
        if (!inView(p, 0)) { return; }
        measured(it);
        const r = it.size / 2;
        push(it, { x: p.x, y: p.y, w: it.w, h: it.h, gap: r + 3, anchors: SIDES.slice(0, 4), mark: { minX: p.x - r, minY: p.y - r, maxX: p.x + r, maxY: p.y + r } });
      });
    }

    const obstacles = marks(placeMapCounts());
    let placed = placeLabels(cands, obstacles, view);
    // When a base's full name finds no room (12 sites on a phone), every
    // base takes its short name, so that all of them are named.
    const named = new Set(placed.map((pl) => pl.id));
    const useShort = baseCands.some((c) => !named.has(c.id)) && baseCands.some((c) => items[c.id].short);
    if (useShort) {
      baseCands.forEach((c) => {
        const it = items[c.id];
        if (it.short) { c.w = it.short[0]; c.h = it.short[1]; c.sizes = []; }
      });
      placed = placeLabels(cands, obstacles, view);
    }
    // A base still unnamed in a crowd (the US Embassy 1.5 km from Baghdad
    // DSC, on a disc of thousands) chooses first, when that names more.
    const baseIds = new Set(baseCands.map((c) => c.id));
    const namedBases = (pls) => pls.filter((pl) => baseIds.has(pl.id)).length;
    const left = baseCands.filter((c) => !placed.some((pl) => pl.id === c.id));
    if (left.length) {
      const again = placeLabels(left.concat(cands.filter((c) => !left.includes(c))), obstacles, view);
      if (namedBases(again) > namedBases(placed)) { placed = again; }
    }
    // A base unnamed still goes anywhere within FAR pixels where it covers
    // nothing, the nearest spot first, with a leader line: a town's or a
    // country's name gives way to it.
    const still = baseCands.filter((c) => !placed.some((pl) => pl.id === c.id));
    if (still.length) {
      const fixed = placed.filter((pl) => baseIds.has(pl.id));
      // The names kept, and their leader lines: a far name's line may
      // cross neither, nor lie across one of those lines.
      const fixedLines = fixed.map((pl) => {
        const c = cands[pl.id], line = leaderLine(c.x, c.y, pl.box);
        return Math.hypot(line[2] - line[0], line[3] - line[1]) > c.leader ? line : null;
      }).filter(Boolean);
      const far = placeLabels(still.map((c) => Object.assign({}, c, { gaps: [0], anchors: ['center'], sizes: [], at: around(c.w, c.h).map((o) => ({ x: c.x + o.dx, y: c.y + o.dy })) })),
        obstacles.concat(fixed.map((pl) => pl.box)), view, { labels: fixed.map((pl) => pl.box), lines: fixedLines });
      if (far.length) {
        placed = fixed.concat(far, placed.filter((pl) => !baseIds.has(pl.id) && !far.some((f) => intersects(f.box, pl.box))));
      }
    }
    baseCands.forEach((c) => {
      const it = items[c.id], text = useShort && it.short ? it.short[2] : it.full;
      if (it.span.textContent !== text) { it.span.textContent = text; }
    });
    const shown = new Set();
    placed.forEach((pl) => {
      const it = items[pl.id];
      const c = cands[pl.id];
      shown.add(it);
      it.el.hidden = false;
      it.el.setAttribute('data-anchor', pl.anchor);
      // The size the label was measured to have (textbox.js), for a
      // reader of the DOM (the tests, which compare it with the size the
      // browser lays it out at).
      it.el.dataset.size = Math.round(pl.box.maxX - pl.box.minX - 2 * PAD) + 'x' + Math.round(pl.box.maxY - pl.box.minY - PAD);
      if (it.wrap) { wrap(it, pl.size === 1 && !(useShort && it.short) ? it.wrap[2] : 0); }
      L.DomUtil.setPosition(it.el, map.containerPointToLayerPoint([pl.box.minX + PAD, pl.box.minY + PAD / 2]));
      if (it.dot) {
        it.dot.hidden = false;
        L.DomUtil.setPosition(it.dot, map.containerPointToLayerPoint([c.mark.minX, c.mark.minY]));
      }
      if (it.leader) { drawLeader(it.leader, c, pl.box); }
    });
    countries.concat(places, Array.from(bases.values())).forEach((it) => {
      if (!shown.has(it) && it.el) {
        it.el.hidden = true;
        if (it.dot) { it.dot.hidden = true; }
        if (it.leader) { it.leader.hidden = true; }
      }
    });
    pane.hidden = false;
  }

  // drawLeader joins a base to its label when the label had to go past
  // the incidents around it: a thin line from the marker's edge to the
  // nearest point of the label.
  function drawLeader(line, c, box) {
    const tx = Math.min(Math.max(c.x, box.minX + PAD), box.maxX - PAD);
    const ty = Math.min(Math.max(c.y, box.minY + PAD / 2), box.maxY - PAD / 2);
    const dx = tx - c.x, dy = ty - c.y;
    const len = Math.hypot(dx, dy) - BASE_RADIUS;
    if (Math.hypot(dx, dy) <= NEAR + PAD + 2 || len <= 0) { line.hidden = true; return; }
    const start = map.containerPointToLayerPoint([c.x + dx / Math.hypot(dx, dy) * BASE_RADIUS, c.y + dy / Math.hypot(dx, dy) * BASE_RADIUS]);
    line.hidden = false;
    line.style.left = start.x + 'px';
    line.style.top = start.y + 'px';
    line.style.width = len + 'px';
    line.style.transform = 'rotate(' + Math.atan2(dy, dx) + 'rad)';
  }

  // schedule places the labels once the current task is done: the
  // thousands of layeradd events of one redraw make one placement. (Not
  // requestAnimationFrame: a tab in the background gets no frames, and its
  // labels would wait until it is shown.)
  function schedule() {
    if (!frame) { frame = 1; queueMicrotask(run); }
  }
  // While the page redraws (app.update: the clusters, then the bases and
  // links, each in a task or microtask of its own), the placement waits
  // for the redraw's end: one pass per redraw, not one per layer drawn.
  // Each pass lays the page out, and at a million incidents the passes
  // between a filter click and the redrawn map laid it out two and three
  // times.
  let held = false;
  function run() {
    // Held, or placed meanwhile by release: nothing to do.
    if (held || !frame) { return; }
    update();
  }
  function hold() { held = true; }
  // release ends a redraw: the labels are placed now, once, if anything
  // changed meanwhile, so that the page marks itself settled with its
  // labels placed.
  function release() {
    held = false;
    if (frame) { update(); }
  }

  // During a zoom animation the labels would stay put while the map
  // scales: hide them until the new view is placed.
  map.on('zoomstart', () => { pane.hidden = true; });
  map.on('zoomend moveend resize layeradd layerremove', schedule);
  // The embed's legend opens and closes over the map.
  const legend = document.getElementById('embed-legend');
  if (legend) { legend.addEventListener('toggle', schedule); }
  schedule();
  return { setBasemap, update: schedule, hold, release };
}
