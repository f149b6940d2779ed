// Where a count goes: a stack's badge or a cluster's number must be seen
// and reached, so it may not lie under a base's symbol (bases are drawn
// above the incidents and clusters), another mark's symbol or another
// count. Each count has spots to try, its usual one first; a count whose
// usual spot is covered moves to the first free one. Pure: boxes in
// pixels, no DOM, so node --test runs it (web/jstest/counts.test.mjs).
import { GridIndex } from './labels.js';

// countBox is the box of a w×h count whose top left corner is (dx, dy)
// from the point (x, y).
export function countBox(x, y, w, h, [dx, dy]) {
  return { minX: x + dx, minY: y + dy, maxX: x + dx + w, maxY: y + dy + h };
}

// MARK_HALF is half the side of the symbols a count sits beside (a stack's
// 20 px, a base's 18 px): a count this far from its point clears a base's
// symbol at the same point.
export const MARK_HALF = 10;

// ring returns the top-left offsets of a w×h box placed k pixels clear of
// a square of half side half round the point: beside it (right, left),
// above, below, then at the corners.
function ring(w, h, half, k) {
  const d = half + k;
  return [
    [d, -h / 2], [-d - w, -h / 2], [-w / 2, -d - h], [-w / 2, d],
    [d, -d - h], [-d - w, -d - h], [d, d], [-d - w, d]
  ];
}

// stackSpots are the spots of a stack's w×h badge: its usual one (drawn by
// the page's CSS, overlapping the stack's top right corner), then the top
// right corner clear of a base's symbol at the stack's place (a stack at a
// base's point lies under the base's symbol: its badge is what shows), then
// rings farther out.
export function stackSpots(w, h) {
  return [[2, -22], [MARK_HALF, -MARK_HALF - h]].concat(ring(w, h, MARK_HALF, 0), ring(w, h, MARK_HALF, 12));
}

// clusterSpots are the spots of a cluster's w×h count: the centre of its
// disc, then around it (a base's symbol at the disc's centre is what
// covers it), then around its rim.
export function clusterSpots(w, h, r) {
  return [[-w / 2, -h / 2]].concat(ring(w, h, MARK_HALF, 0), ring(w, h, MARK_HALF, 10), ring(w, h, Math.max(MARK_HALF + 20, r), 2));
}

function overlapArea(a, b) {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  return w > 0 && h > 0 ? w * h : 0;
}

// placeCounts places counts {id, x, y, w, h, spots} clear of obstacles
// (boxes; one with owner equal to a count's id, such as the count's own
// stack, does not hinder it) and of each other. Counts whose usual spot
// (spots[0]) is free keep it, in order; the others take their first free
// spot, or, when none is free, the one least covered. It returns, in the
// counts' order, {id, spot, at: [dx, dy], box}, spot being the index of
// the one taken.
export function placeCounts(counts, obstacles) {
  // Grids, not lists: a view of points holds thousands of marks.
  const grid = new GridIndex();
  obstacles.forEach((o) => grid.insert(o));
  const placedGrid = new GridIndex(); // placed counts' boxes
  const blocked = (c, b) => grid.collides(b, (o) => o.owner !== c.id) || placedGrid.collides(b);
  const out = new Array(counts.length);
  const take = (i, k) => {
    const c = counts[i];
    const box = countBox(c.x, c.y, c.w, c.h, c.spots[k]);
    box.owner = c.id;
    placedGrid.insert(box);
    out[i] = { id: c.id, spot: k, at: c.spots[k], box };
  };
  const moved = [];
  counts.forEach((c, i) => {
    if (blocked(c, countBox(c.x, c.y, c.w, c.h, c.spots[0]))) { moved.push(i); } else { take(i, 0); }
  });
  moved.forEach((i) => {
    const c = counts[i];
    let best = 0, least = Infinity;
    for (let k = 0; k < c.spots.length; k++) {
      const b = countBox(c.x, c.y, c.w, c.h, c.spots[k]);
      if (k > 0 && !blocked(c, b)) { best = k; least = 0; break; }
      const cover = grid.overlapping(b).concat(placedGrid.overlapping(b)).reduce((s, o) => s + (o.owner === c.id ? 0 : overlapArea(o, b)), 0);
      if (cover < least) { best = k; least = cover; }
    }
    take(i, best);
  });
  return out;
}
