// The small map of the OGC API's HTML pages: it shows the feature or page of
// features given in #ogc-map-data (GeoJSON, read by L.geoJSON, never by
// hand) over the configured tiles or the offline basemap. Text from the data
// goes into the page with textContent only.
(function () {
  'use strict';

  var el = document.getElementById('ogc-map');
  var data = document.getElementById('ogc-map-data');
  if (!el || !data || typeof L === 'undefined') { return; }
  var cfg = JSON.parse(data.textContent);

  // BASEMAP_STYLE is the map page's (map/layers.js), by the basemap's layer.
  var BASEMAP_STYLE = {
    land: { className: 'bm-land', stroke: false, interactive: false },
    country: { className: 'bm-country', stroke: false, interactive: false },
    border: { className: 'bm-border', weight: 1, fill: false, interactive: false },
    river: { className: 'bm-river', weight: 1.5, fill: false, interactive: false }
  };

  var map = L.map(el, { scrollWheelZoom: false });
  // The basemap in a pane below the features' (as map/layers.js does): a
  // group's bringToBack reversed its shapes, the land over the borders.
  map.createPane('basemap').style.zIndex = 210;
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 18 }).addTo(map);
  } else {
    fetch('/api/basemap.geojson').then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
      if (fc) {
        // Its land and countries filled and its borders and rivers drawn as
        // lines, as on the map page (the classes of site.css): outlining the
        // areas drew the edge they are clipped at as a grey box. Its places
        // (points) would be drawn as Leaflet's default pins, hundreds of
        // them, mistaken for features.
        L.geoJSON(fc, {
          pane: 'basemap',
          interactive: false,
          attribution: fc.attribution,
          filter: function (f) { return !!f.geometry && Object.prototype.hasOwnProperty.call(BASEMAP_STYLE, f.properties.layer); },
          style: function (f) { return BASEMAP_STYLE[f.properties.layer]; }
        }).addTo(map);
      }
    }).catch(function () {});
  }

  var layer = L.geoJSON(cfg.features, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7, weight: 2, color: '#b22', fillOpacity: 0.6 });
    },
    onEachFeature: function (feature, lyr) {
      var p = feature.properties || {};
      var label = document.createElement('span');
      label.textContent = p.name || (feature.id + (p.date ? ' (' + p.date + ')' : ''));
      lyr.bindTooltip(label);
    }
  }).addTo(map);

  var bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds.pad(0.5), { maxZoom: 9 });
  } else {
    map.setView([34, 42], 5);
  }
}());
