// The map's bottom edge: the attribution runs along it from the right and,
// on a phone or in a narrow embed, reaches under the bottom-left corner
// (the scale, the embed's "Open in strikemap"), which Leaflet would leave
// beneath it. keepCornersClear lifts that corner above the attribution when
// the two meet, and tells the stylesheet the attribution's height
// (--attribution-h on the map's parent), which the embed's legend button
// sits above.
export function keepCornersClear(map) {
  const box = map.getContainer();
  const attribution = box.querySelector('.leaflet-control-attribution');
  const left = box.querySelector('.leaflet-bottom.leaflet-left');
  if (!attribution || !left) { return; }
  const around = box.parentElement || box;
  let lift = -1, height = -1;
  const update = () => {
    const a = attribution.getBoundingClientRect();
    let right = -Infinity;
    left.querySelectorAll(':scope > .leaflet-control').forEach((c) => {
      const r = c.getBoundingClientRect();
      if (r.width) { right = Math.max(right, r.right); }
    });
    const h = Math.ceil(a.height);
    const l = a.width && a.left < right ? h : 0;
    if (h !== height) { height = h; around.style.setProperty('--attribution-h', h + 'px'); }
    if (l !== lift) { lift = l; left.style.bottom = l + 'px'; }
  };
  // The observer's first call comes once the map is laid out, before it
  // is first painted: measuring here, while the page script makes the
  // map, would lay the page out an extra time for nothing.
  const watch = new ResizeObserver(update);
  [box, attribution, left].forEach((e) => watch.observe(e));
}
