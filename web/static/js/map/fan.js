// Where the incidents that share one place go when their stack is fanned
// out (spiderfied): in pixels from the place, on a circle for a few and on
// rings round it for many, so that every symbol is apart from the others
// and from the place and a fan of many stays compact. Pure: no DOM.

// fanOffsets returns n [dx, dy] offsets in pixels.
export function fanOffsets(n) {
  const out = [];
  if (n <= 8) {
    const leg = Math.max(30, 25 * (2 + n) / (2 * Math.PI));
    for (let i = 0; i < n; i++) {
      const a = -Math.PI / 2 + i * 2 * Math.PI / n;
      out.push([Math.round(leg * Math.cos(a)), Math.round(leg * Math.sin(a))]);
    }
    return out;
  }
  // Rings, 24 px apart, each as full as 24 px between neighbours allows:
  // a spiral's arms reach twice as far for the same count, past the edge
  // of a phone's map.
  for (let r = 30; out.length < n; r += 24) {
    const k = Math.min(n - out.length, Math.floor(2 * Math.PI * r / 24));
    const turn = r / 24; // each ring starts a little round from the last
    for (let i = 0; i < k; i++) {
      const a = -Math.PI / 2 + turn + i * 2 * Math.PI / k;
      out.push([Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a))]);
    }
  }
  return out;
}

// spreadPoints keeps marks of one size apart: points closer than gap
// pixels to each other (two bases a kilometre apart, at a country's zoom)
// would draw one symbol on top of the other, and the lower one could not be
// clicked. Each group of such points is spread on a circle round its
// centre, in the order of their bearings from it, so that neighbours are
// gap apart; a point with no neighbour stays. Returns one [dx, dy] offset
// in pixels per point.
export function spreadPoints(points, gap) {
  const n = points.length, parent = points.map((_, i) => i);
  const root = (i) => { while (parent[i] !== i) { i = parent[i] = parent[parent[i]]; } return i; };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.hypot(points[i].x - points[j].x, points[i].y - points[j].y) < gap) { parent[root(i)] = root(j); }
    }
  }
  const groups = new Map();
  points.forEach((_, i) => { const r = root(i); if (!groups.has(r)) { groups.set(r, []); } groups.get(r).push(i); });
  const out = points.map(() => [0, 0]);
  groups.forEach((g) => {
    if (g.length < 2) { return; }
    const cx = g.reduce((s, i) => s + points[i].x, 0) / g.length;
    const cy = g.reduce((s, i) => s + points[i].y, 0) / g.length;
    const bearing = (i) => Math.atan2(points[i].y - cy, points[i].x - cx);
    g.sort((a, b) => bearing(a) - bearing(b) || a - b);
    const r = gap / (2 * Math.sin(Math.PI / g.length));
    // The first keeps its bearing (the same point twice: east, west).
    const a0 = Math.hypot(points[g[0]].x - cx, points[g[0]].y - cy) > 0.5 ? bearing(g[0]) : Math.PI;
    g.forEach((i, k) => {
      const a = a0 + k * 2 * Math.PI / g.length;
      out[i] = [cx + r * Math.cos(a) - points[i].x, cy + r * Math.sin(a) - points[i].y];
    });
  });
  return out;
}
