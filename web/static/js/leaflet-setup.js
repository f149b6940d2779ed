// One attribution setup for every Leaflet map of the site (the map page and
// its embed, the OGC pages' small map, the editor's point picker), loaded
// right after vendor/leaflet/leaflet.js: Leaflet is credited by a plain
// link, without the flag Leaflet 1.9 puts before it by default. Each map
// then adds what it draws: its basemap's attribution (the tiles' or the
// offline basemap's, from /api/basemap.geojson) and the data's.
(function () {
  'use strict';
  if (typeof L === 'undefined') { return; }
  L.Control.Attribution.mergeOptions({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' });
}());
