// Where the incidents that share one place go when their stack is fanned
// out (spiderfied): in pixels from the place, on a circle for a few and on
// a spiral for many, with Leaflet.markercluster's spacing, so that every
// symbol is apart from the others and from the place. Pure: no DOM.

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
  let leg = 22, angle = 0;
  for (let i = 0; i < n; i++) {
    angle += 26 / leg + i * 0.0005;
    out.push([Math.round(leg * Math.cos(angle)), Math.round(leg * Math.sin(angle))]);
    leg += 2 * Math.PI * 5 / angle;
  }
  return out;
}
