// Clusters that do not overlap. The server clusters incidents within a
// fixed radius in pixels, but a cluster's disc grows with its count, so
// neighbours' discs overlap. declutter merges each cluster whose disc
// would overlap one already placed into it, the biggest first, until no two
// discs overlap. Pure: positions are in pixels, no DOM, so node --test runs
// it.

// clusterRadius is the radius in pixels of the disc of a cluster of count
// incidents.
export function clusterRadius(count) { return Math.round(12 + 4 * Math.log10(Math.max(1, count))); }

// declutter takes clusters {x, y, count, ...} (x, y in pixels) and returns
// groups {x, y, count, r, members}: each at the count-weighted centre of
// its members, with no two discs closer than gap pixels.
export function declutter(clusters, gap = 2) {
  let groups = clusters.slice().sort((a, b) => b.count - a.count).map((c) => ({ x: c.x, y: c.y, count: c.count, r: clusterRadius(c.count), members: [c] }));
  // Merging moves and grows a disc, which may then touch another: repeat
  // until a pass merges nothing. Each merge removes a group, so this ends.
  for (let merged = true; merged;) {
    merged = false;
    const placed = [];
    for (const g of groups) {
      // The first placed disc too near g (squared distances: no sqrt in
      // this loop, which runs hundreds of thousands of times at 1M).
      let into = null;
      for (let k = 0; k < placed.length; k++) {
        const p = placed[k], dx = p.x - g.x, dy = p.y - g.y, d = p.r + g.r + gap;
        if (dx * dx + dy * dy < d * d) { into = p; break; }
      }
      if (!into) { placed.push(g); continue; }
      const n = into.count + g.count;
      into.x = (into.x * into.count + g.x * g.count) / n;
      into.y = (into.y * into.count + g.y * g.count) / n;
      into.count = n;
      into.r = clusterRadius(n);
      into.members = into.members.concat(g.members);
      merged = true;
    }
    groups = placed;
  }
  return groups;
}
