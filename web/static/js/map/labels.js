// Label placement: which labels to draw and on which side of their point,
// so that no label covers a mark (an incident, a cluster, a base) or
// another label. Pure: it works on boxes in pixels and knows nothing of
// Leaflet or the DOM, so node --test runs it (web/jstest/labels.test.js).
//
// A box is { minX, minY, maxX, maxY } in pixels, y down, as rbush has them.
// Collisions are found with a uniform grid of cells: the labels and marks
// of one map view are at most a few thousand boxes of similar size, for
// which a grid is as fast as an R-tree, with no library to vendor
// (bench/labels/bench.mjs times both; docs/basemap.md has the figures).

// SIDES are the positions tried for a label beside a point mark, in order
// of preference (as cartographers rank them: right of the point first).
export const SIDES = ['right', 'left', 'above', 'below', 'above-right', 'below-right', 'above-left', 'below-left'];

// balancedBreak splits text in two lines of as near equal a width as its
// words allow, width(s) measuring a line: [first, second], or null for
// one word. A label wrapped to a fixed fraction of its width left a word
// alone on a line ("US Embassy / Baghdad and Union / III").
export function balancedBreak(text, width) {
  const words = text.trim().split(/\s+/);
  if (words.length < 2) { return null; }
  let best = null, bestW = Infinity;
  for (let i = 1; i < words.length; i++) {
    const a = words.slice(0, i).join(' '), b = words.slice(i).join(' ');
    const w = Math.max(width(a), width(b));
    if (w < bestW) { best = [a, b]; bestW = w; }
  }
  return best;
}

// inLand reports whether [lon, lat] lies in polygons (GeoJSON Polygon
// coordinates, each a list of rings; holes count by the even-odd rule).
export function inLand(polygons, lon, lat) {
  let inside = false;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        // Index access, not destructuring: this runs for every vertex of
        // every country at each placement (15 times faster in Node).
        const a = ring[i], b = ring[j];
        const xi = a[0], yi = a[1], xj = b[0], yj = b[1];
        if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) { inside = !inside; }
      }
    }
  }
  return inside;
}

// LAND_GRID is how many points across and down landSpots tries.
export const LAND_GRID = 7;

// landSpots returns the points of a w×h view, on a LAND_GRID grid, whose
// [lon, lat] (toLonLat(x, y)) lie in polygons, the farthest from the
// view's centre (where the map's subject is) first: where a country's
// name goes when none of its label points is in view, as the image
// exports do (mapimage's landPoints).
export function landSpots(polygons, w, h, toLonLat) {
  const out = [];
  for (let i = 1; i <= LAND_GRID; i++) {
    for (let j = 1; j <= LAND_GRID; j++) {
      const x = w * i / (LAND_GRID + 1), y = h * j / (LAND_GRID + 1);
      const [lon, lat] = toLonLat(x, y);
      if (inLand(polygons, lon, lat)) { out.push({ x, y, d: Math.hypot(x - w / 2, y - h / 2) }); }
    }
  }
  // Stable: equal distances keep the grid's order.
  return out.map((p, i) => [p, i]).sort((a, b) => b[0].d - a[0].d || a[1] - b[1]).map(([p]) => ({ x: p.x, y: p.y }));
}

// labelBox returns the box of a w×h label for the point (x, y) at anchor:
// one of SIDES, gap pixels clear of the point, or 'center' on it.
export function labelBox(x, y, w, h, gap, anchor) {
  let minX, minY;
  switch (anchor) {
    case 'right': minX = x + gap; minY = y - h / 2; break;
    case 'left': minX = x - gap - w; minY = y - h / 2; break;
    case 'above': minX = x - w / 2; minY = y - gap - h; break;
    case 'below': minX = x - w / 2; minY = y + gap; break;
    case 'above-right': minX = x + gap * 0.7; minY = y - gap * 0.7 - h; break;
    case 'below-right': minX = x + gap * 0.7; minY = y + gap * 0.7; break;
    case 'above-left': minX = x - gap * 0.7 - w; minY = y - gap * 0.7 - h; break;
    case 'below-left': minX = x - gap * 0.7 - w; minY = y + gap * 0.7; break;
    case 'center': minX = x - w / 2; minY = y - h / 2; break;
    default: throw new Error('unknown anchor ' + anchor);
  }
  return { minX, minY, maxX: minX + w, maxY: minY + h };
}

// intersects says whether two boxes overlap; boxes that only touch do not.
export function intersects(a, b) {
  return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;
}

// meets says whether the mark o overlaps the box b: o is a box, or a
// cluster's disc, { cx, cy, r } with its box, which a box in a corner of
// the disc's box does not meet.
export function meets(o, b) {
  if (!intersects(o, b)) { return false; }
  if (o.r === undefined) { return true; }
  const dx = Math.max(b.minX - o.cx, 0, o.cx - b.maxX), dy = Math.max(b.minY - o.cy, 0, o.cy - b.maxY);
  return dx * dx + dy * dy < o.r * o.r;
}

// disc is the mark of a cluster's disc centred at (x, y), of radius r.
export function disc(x, y, r) {
  return { minX: x - r, minY: y - r, maxX: x + r, maxY: y + r, cx: x, cy: y, r };
}

// segmentMeetsDisc reports whether the segment [x0, y0, x1, y1] passes
// through the inside of the disc d.
export function segmentMeetsDisc([x0, y0, x1, y1], d) {
  const dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((d.cx - x0) * dx + (d.cy - y0) * dy) / len2)) : 0;
  return Math.hypot(x0 + t * dx - d.cx, y0 + t * dy - d.cy) < d.r;
}

// key numbers a cell; a map view is far less than 2^20 cells across.
const key = (i, j) => (i + 0x80000) * 0x100000 + (j + 0x80000);

// GridIndex holds boxes in square cells of cell pixels and says whether a
// box overlaps any of them (or any for which keep(box) holds).
export class GridIndex {
  constructor(cell = 64) {
    this.cell = cell;
    this.cells = new Map();
  }

  range(b) {
    const c = this.cell;
    return [Math.floor(b.minX / c), Math.floor(b.minY / c), Math.floor(b.maxX / c), Math.floor(b.maxY / c)];
  }

  insert(b) {
    const [x0, y0, x1, y1] = this.range(b);
    for (let i = x0; i <= x1; i++) {
      for (let j = y0; j <= y1; j++) {
        const k = key(i, j);
        const list = this.cells.get(k);
        if (list) { list.push(b); } else { this.cells.set(k, [b]); }
      }
    }
  }

  // overlapping returns the boxes held that overlap b, each once.
  overlapping(b) {
    const [x0, y0, x1, y1] = this.range(b);
    const out = new Set();
    for (let i = x0; i <= x1; i++) {
      for (let j = y0; j <= y1; j++) {
        const list = this.cells.get(key(i, j));
        if (list) { list.forEach((o) => { if (intersects(o, b)) { out.add(o); } }); }
      }
    }
    return Array.from(out);
  }

  collides(b, keep) {
    const [x0, y0, x1, y1] = this.range(b);
    for (let i = x0; i <= x1; i++) {
      for (let j = y0; j <= y1; j++) {
        const list = this.cells.get(key(i, j));
        if (list && list.some((o) => (!keep || keep(o)) && meets(o, b))) { return true; }
      }
    }
    return false;
  }
}

// placeLabels places candidates in the order given (the order is the
// priority: the first placed wins a contested spot) and returns those that
// found room, each as { id, anchor, box, size }, size being the index of
// the size taken (0 for w, h; 1 for sizes[0], ...).
//
// A candidate is { id, x, y, w, h, sizes, gap, gaps, anchors, at, mark }:
// the point in pixels, the label's size (and, optionally, sizes, other
// [w, h] it may take when that one finds no room: a long name on two
// lines), its distance from the point (or gaps,
// the distances to try in turn, nearest first), the anchors to try in order
// (default SIDES), optionally at, other points the label may go to instead
// (a country's name: [{ x, y }, ...], tried after x, y) and, optionally, the
// box of a mark drawn with the label (a town's dot), which must find room
// too or the candidate is dropped, and optionally leader, the length past
// which a line is drawn from the point to the label (a base's name set
// apart): that line may cross no other label, and no label placed later
// may cross it, nor any cluster's disc but the one its point is on (which
// it must leave). marks are the boxes (and discs, see disc) no label may
// cover.
// view { width, height, margin } is the map's size: a label must lie wholly
// inside it, margin pixels clear of its edges. prior, optional, is what an
// earlier pass placed and keeps: { labels: boxes, lines: leader lines },
// which a line placed now may not cross, nor a label lie across (the
// labels must be among marks too).
// OWN_DISC is how far past a disc's edge a point may be and still be on it
// (a base's symbol, 18 px, drawn over the disc's edge).
const OWN_DISC = 9;

export function placeLabels(candidates, marks, view, prior = {}) {
  const grid = new GridIndex();
  marks.forEach((m) => grid.insert(m));
  const margin = view.margin || 0;
  const inside = (b) => b.minX >= margin && b.minY >= margin && b.maxX <= view.width - margin && b.maxY <= view.height - margin;
  const placed = [];
  const priorLabels = prior.labels || [];
  const lines = (prior.lines || []).slice(); // the leader lines placed: [x0, y0, x1, y1]
  const lineOf = (c, box) => {
    if (!c.leader) { return null; }
    const line = leaderLine(c.x, c.y, box);
    return Math.hypot(line[2] - line[0], line[3] - line[1]) > c.leader ? line : null;
  };
  // A leader crosses no disc but those under its own point.
  const crossesDisc = (c, line) => grid.overlapping({ minX: Math.min(line[0], line[2]), minY: Math.min(line[1], line[3]), maxX: Math.max(line[0], line[2]), maxY: Math.max(line[1], line[3]) })
    .some((o) => o.r !== undefined && Math.hypot(c.x - o.cx, c.y - o.cy) >= o.r + OWN_DISC && segmentMeetsDisc(line, o));
  for (const c of candidates) {
    if (c.mark && grid.collides(c.mark)) { continue; }
    const found = tryPlaces(c, (box) => {
      if (!inside(box) || grid.collides(box) || (c.mark && intersects(box, c.mark))) { return false; }
      if (lines.some((l) => segmentMeetsBox(l, box))) { return false; }
      const line = lineOf(c, box);
      return !line || !(placed.some((pl) => segmentMeetsBox(line, pl.box)) || priorLabels.some((b) => segmentMeetsBox(line, b)) || crossesDisc(c, line));
    });
    if (found) {
      grid.insert(found.box);
      if (c.mark) { grid.insert(c.mark); }
      const line = lineOf(c, found.box); // tryPlaces keeps no result but the box
      if (line) { lines.push(line); }
      placed.push(Object.assign({ id: c.id }, found));
    }
  }
  return placed;
}

// leaderLine is the line from (x, y) to the nearest point of box: where a
// label's leader runs.
export function leaderLine(x, y, box) {
  return [x, y, Math.min(Math.max(x, box.minX), box.maxX), Math.min(Math.max(y, box.minY), box.maxY)];
}

// segmentMeetsBox reports whether the segment [x0, y0, x1, y1] passes
// through the inside of box (Liang-Barsky clipping); touching its edge
// does not count.
export function segmentMeetsBox([x0, y0, x1, y1], box) {
  const dx = x1 - x0, dy = y1 - y0;
  let t0 = 0, t1 = 1;
  const edges = [[-dx, x0 - box.minX], [dx, box.maxX - x0], [-dy, y0 - box.minY], [dy, box.maxY - y0]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) { return false; }
    } else {
      const r = q / p;
      if (p < 0) { t0 = Math.max(t0, r); } else { t1 = Math.min(t1, r); }
      if (t0 >= t1) { return false; }
    }
  }
  return true;
}

// tryPlaces returns the first { anchor, box, x, y, size } of c's sizes,
// points, gaps and anchors, in that order of nesting, that fits.
function tryPlaces(c, fits) {
  const points = [{ x: c.x, y: c.y }].concat(c.at || []);
  const sizes = [[c.w, c.h]].concat(c.sizes || []);
  for (let size = 0; size < sizes.length; size++) {
    const [w, h] = sizes[size];
    for (const p of points) {
      for (const gap of c.gaps || [c.gap || 0]) {
        for (const anchor of c.anchors || SIDES) {
          const box = labelBox(p.x, p.y, w, h, gap, anchor);
          if (fits(box)) { return { anchor, box, x: p.x, y: p.y, size }; }
        }
      }
    }
  }
  return null;
}
