// The map and what is drawn on it: the basemaps, the incidents (as points
// or the server's clusters), the bases, the range rings and the links.
// Leaflet is the global L of its classic script tag.
import { el, symbol, svgEl } from './dom.js';
import { t } from './messages.js';
import { OVERLAYS, filterQuery } from './state.js';
import { getJSON } from './api.js';
import { fmtDate, targetText } from './text.js';
import { incidentPopup, basePopup } from './popups.js';

const L = window.L;

// createMap builds the map at the state's view (or framing the bases when
// the URL has none), its controls, panes and layers, and puts them on app.
export function createMap(app) {
  const { cfg, state } = app;
  const controls = !cfg.embed || cfg.controls;
  const map = L.map('map', { center: [state.lat, state.lon], zoom: state.zoom, zoomControl: controls, keyboard: true });
  app.map = map;
  if (!state.hasView && cfg.bounds) {
    // No view in the URL: frame the bases.
    map.fitBounds([[cfg.bounds[1], cfg.bounds[0]], [cfg.bounds[3], cfg.bounds[2]]], { padding: [40, 40], maxZoom: 9, animate: false });
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(t('data-attribution'));
  L.control.scale({ imperial: false }).addTo(map);
  if (cfg.embed) {
    const open = L.control({ position: 'bottomleft' });
    open.onAdd = () => {
      const a = el('a', 'embed-open', t('open-in-strikemap'));
      a.href = '/?' + new URLSearchParams(location.search).toString();
      a.target = '_blank';
      a.rel = 'noopener';
      return a;
    };
    open.addTo(map);
  }

  createPanes(map);

  app.offline = L.layerGroup();
  app.offline.getAttribution = () => t('basemap-attribution');
  app.tiles = cfg.tileUrl ? L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.tileAttribution }) : null;
  const baseLayers = {};
  if (app.tiles) { baseLayers[t('layer.tiles')] = app.tiles; }
  baseLayers[t('layer.offline')] = app.offline;

  app.layers = { bases: L.layerGroup(), incidents: L.layerGroup(), rings: L.layerGroup(), links: L.layerGroup() };
  const overlayControl = {};
  OVERLAYS.forEach((k) => { overlayControl[t('layer.' + k)] = app.layers[k]; });
  if (controls) { L.control.layers(baseLayers, overlayControl, { collapsed: true }).addTo(map); }

  map.on('baselayerchange', (e) => {
    if (app.applyingLayers) { return; }
    app.state.basemap = e.layer === app.tiles ? 'tiles' : 'offline';
    app.writeURL(true);
  });
  map.on('overlayadd overlayremove', () => {
    if (app.applyingLayers) { return; }
    app.state.layers = OVERLAYS.filter((k) => map.hasLayer(app.layers[k]));
    app.writeURL(true);
  });
  watchTiles(app);

  app.clusterKeys = el('ul', 'cluster-keys');
  app.clusterKeys.id = 'cluster-keys';
  app.clusterKeys.setAttribute('aria-label', t('clusters-on-map'));
  document.getElementById('map').insertAdjacentElement('afterend', app.clusterKeys);
  app.clusterRenderer = L.canvas({ pane: 'clusters', padding: 0.5 });
  app.markers = {}; // incident id -> marker
  app.clusterTotal = 0; // the filter's count, from the clusters response
  app.clusterSeq = 0;
  return map;
}

// PANES stack what the map draws, whatever basemap is chosen: the basemap
// (tiles are Leaflet's tilePane, 200) < density < rings < links <
// clusters < incidents (Leaflet's markerPane, 600) < bases < their labels
// (Leaflet's tooltipPane, 650) < popups (700). A pane with no z-index of its
// own takes Leaflet's 400 and, coming later in the page, paints over the
// overlay pane: the offline basemap hid the clusters' canvas and the links.
// Each pane's paths get a renderer (SVG, or the clusters' canvas) of their
// own inside it.
export const PANES = { basemap: 210, density: 300, rings: 350, links: 360, clusters: 450, spider: 590, bases: 620 };

function createPanes(map) {
  Object.keys(PANES).forEach((name) => {
    const pane = map.createPane(name);
    pane.classList.add('pane-' + name);
    pane.style.zIndex = String(PANES[name]);
  });
}

// applyLayers shows the state's basemap and overlays. One basemap at a
// time: the layer control only swaps them when the user picks one, not
// when the state changes (back, forward, fallback).
export function applyLayers(app) {
  app.applyingLayers = true;
  const basemap = (app.state.basemap === 'tiles' && app.tiles) ? app.tiles : app.offline;
  [app.tiles, app.offline].forEach((l) => { if (l && l !== basemap) { l.remove(); } });
  basemap.addTo(app.map);
  OVERLAYS.forEach((k) => {
    if (app.state.layers.includes(k)) { app.layers[k].addTo(app.map); } else { app.layers[k].remove(); }
  });
  app.applyingLayers = false;
}

// watchTiles is the tile fallback: on an air-gapped network every tile
// fails and the map would stay blank. When a round of tiles has settled
// (Leaflet's 'load' fires once each tile has loaded or failed) with errors
// and not one tile loaded so far, switch to the offline basemap, once, and
// say so. Once a tile has loaded, later errors are the tile server's
// hiccups, not this.
function watchTiles(app) {
  const tiles = app.tiles;
  app.tileState = { loaded: 0, errors: 0, fellBack: false };
  if (!tiles) { return; }
  const ts = app.tileState;
  tiles.on('tileload', () => { ts.loaded++; });
  tiles.on('tileerror', () => { ts.errors++; });
  tiles.on('load', () => {
    if (ts.fellBack || ts.loaded > 0 || ts.errors === 0) { return; }
    ts.fellBack = true;
    // After the event: Leaflet still uses the layer's map once 'load' returns.
    setTimeout(() => {
      if (!app.map.hasLayer(tiles)) { return; } // the user chose a basemap meanwhile
      app.state.basemap = 'offline';
      applyLayers(app);
      app.writeURL(false);
      showTileNotice(app.map);
    }, 0);
  });
}

// showTileNotice says, on the map, that the tiles failed: a status message
// (read out by screen readers) with a button to dismiss it.
function showTileNotice(map) {
  const notice = L.control({ position: 'topright' });
  notice.onAdd = () => {
    const box = el('div', 'tile-notice');
    box.appendChild(el('p', 'tile-notice-text')).setAttribute('role', 'status');
    const close = el('button', 'tile-notice-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', t('dismiss-notice'));
    close.addEventListener('click', () => {
      notice.remove();
      map.getContainer().focus();
    });
    box.appendChild(close);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  notice.addTo(map);
  // The text goes in after the live region is in the page, so that it is
  // announced.
  notice.getContainer().querySelector('.tile-notice-text').textContent = t('tiles-failed');
}

// offsets spreads n symbols that share a point around it, in pixels, so
// every one stays visible and clickable at any zoom.
function offsets(n, aroundBase) {
  if (n === 1 && !aroundBase) { return [[0, 0]]; }
  const out = [];
  let ring = 0, placed = 0;
  while (placed < n) {
    const radius = 20 + ring * 16;
    const cap = Math.max(1, Math.floor(2 * Math.PI * radius / 20));
    const k = Math.min(cap, n - placed);
    for (let i = 0; i < k; i++) {
      const a = -Math.PI / 2 + i * 2 * Math.PI / k;
      out.push([Math.round(radius * Math.cos(a)), Math.round(radius * Math.sin(a))]);
    }
    placed += k; ring++;
  }
  return out;
}

export function drawIncidents(app, fc) {
  app.layers.incidents.clearLayers();
  clearClusterKeys(app);
  app.markers = {};
  addIncidentMarkers(app, fc.features);
}

// addIncidentMarkers draws incidents, spreading those that share a point.
function addIncidentMarkers(app, features) {
  const Lb = app.labels;
  const groups = {};
  features.forEach((f) => {
    const key = f.geometry.coordinates.join(',');
    (groups[key] = groups[key] || []).push(f);
  });
  Object.keys(groups).forEach((key) => {
    const group = groups[key];
    const aroundBase = group.some((f) => f.properties.location_precision === 'base');
    const offs = offsets(group.length, aroundBase);
    group.forEach((f, i) => {
      const p = f.properties;
      const wrap = el('span', 'incident-marker');
      wrap.setAttribute('data-id', f.id);
      wrap.setAttribute('data-weapon', p.weapon);
      wrap.setAttribute('data-status', p.status);
      wrap.appendChild(symbol(p.weapon, p.status, p.disputed.length > 0));
      const [dx, dy] = offs[i];
      const label = t('incident-marker', { date: fmtDate(p), status: Lb.status[p.status].toLowerCase(), weapon: Lb.weapon[p.weapon].toLowerCase(), target: targetText(p) });
      const m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
        icon: L.divIcon({ className: 'incident-icon', html: wrap, iconSize: [20, 20], iconAnchor: [10 - dx, 10 - dy], popupAnchor: [dx, dy - 8] }),
        title: label, alt: label, keyboard: true, riseOnHover: true
      });
      m.bindPopup(() => incidentPopup(app, f), { maxWidth: 360, minWidth: 260, maxHeight: 380, autoPanPadding: [20, 20] });
      m.on('popupopen', () => { if (app.state.sel !== f.id) { app.state.sel = f.id; app.writeURL(true); } });
      m.on('popupclose', () => { if (app.state.sel === f.id) { app.state.sel = ''; app.writeURL(true); } });
      m.addTo(app.layers.incidents);
      app.markers[f.id] = m;
    });
  });
}

export function drawLinks(app, fc) {
  app.layers.links.clearLayers();
  L.geoJSON(fc, { pane: 'links', style: () => ({ className: 'incident-link', weight: 2, dashArray: '4 4' }) }).addTo(app.layers.links);
}

// Clusters are drawn on one canvas: hundreds of DOM markers, each its own
// compositing layer, made panning stutter (bench/render -pans measured
// frames 83 ms apart at 1M incidents; 17 ms with no markers). A list of
// buttons beside the map gives keyboard and screen-reader users the same
// clusters, and the same zoom.
const ClusterDot = L.CircleMarker.extend({
  _updatePath: function () {
    const r = this._renderer;
    r._updateCircle(this);
    if (!r._drawing || this._empty()) { return; }
    const ctx = r._ctx, pt = this._point;
    ctx.save();
    ctx.fillStyle = '#fff';
    ctx.font = '700 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.options.text, pt.x, pt.y);
    ctx.restore();
  }
});

function zoomInto(map, latlng, expansion) {
  map.setView(latlng, Math.min(Math.max(expansion, map.getZoom() + 1), 18));
}

// clusterMarker draws a cluster of count incidents, and its button; a
// click on either zooms to where it splits.
function clusterMarker(app, f) {
  const map = app.map;
  const p = f.properties;
  const latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
  const m = new ClusterDot(latlng, {
    renderer: app.clusterRenderer, radius: Math.round(12 + 4 * Math.log10(p.count)),
    color: '#fff', weight: 2, opacity: 1, fillColor: '#0b57d0', fillOpacity: 0.85,
    text: p.count >= 10000 ? Math.round(p.count / 1000) + 'k' : String(p.count)
  });
  m.bindTooltip(el('span', null, t('cluster-tooltip', { count: p.count })), { direction: 'top' });
  m.on('click', () => zoomInto(map, latlng, p.expansion_zoom));
  const li = el('li');
  const button = el('button', 'cluster-key', t('cluster-button', { count: p.count, lat: latlng.lat.toFixed(2), lon: latlng.lng.toFixed(2) }));
  button.type = 'button';
  button.setAttribute('data-count', String(p.count));
  button.setAttribute('data-lat', String(latlng.lat));
  button.setAttribute('data-lon', String(latlng.lng));
  const at = map.latLngToContainerPoint(latlng); // where it is drawn, for tests
  button.setAttribute('data-x', String(Math.round(at.x)));
  button.setAttribute('data-y', String(Math.round(at.y)));
  button.addEventListener('click', () => { zoomInto(map, latlng, p.expansion_zoom); map.getContainer().focus(); });
  li.appendChild(button);
  app.clusterKeys.appendChild(li);
  return m;
}

function clearClusterKeys(app) { app.clusterKeys.replaceChildren(); }

// drawClusters asks the server for the clusters in view at this zoom.
export function drawClusters(app) {
  const { cfg, map } = app;
  const my = ++app.clusterSeq;
  const q = filterQuery(app.shown(), cfg);
  const b = map.getBounds();
  const west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
  q.set('bbox', [west, Math.max(-90, b.getSouth()), east, Math.min(90, b.getNorth())].map((v) => v.toFixed(5)).join(','));
  const zoom = map.getZoom();
  const url = zoom > cfg.clusterMaxZoom ? '/api/incidents.geojson?limit=' + cfg.pointLimit + '&' + q.toString() : '/api/clusters.geojson?zoom=' + zoom + '&' + q.toString();
  app.setBusy(true);
  return getJSON(url).then((fc) => {
    if (my !== app.clusterSeq || app.mode !== 'clusters') { return; }
    if (fc.numberMatched !== undefined) { app.clusterTotal = fc.numberMatched; }
    app.layers.incidents.clearLayers();
    clearClusterKeys(app);
    app.markers = {};
    const singles = [];
    fc.features.forEach((f) => {
      if (f.properties.cluster) { clusterMarker(app, f).addTo(app.layers.incidents); } else { singles.push(f); }
    });
    addIncidentMarkers(app, singles);
    app.setBusy(false);
  });
}

export function drawBases(app, fc) {
  app.layers.bases.clearLayers();
  fc.features.forEach((f) => {
    const icon = el('span', 'base-marker');
    icon.setAttribute('data-id', f.id);
    const svg = svgEl('svg');
    svg.setAttribute('viewBox', '0 0 20 20');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'sym sym-base');
    const use = svgEl('use');
    use.setAttribute('href', '#sym-base');
    svg.appendChild(use);
    icon.appendChild(svg);
    const label = t('base-marker', { name: f.properties.name, count: f.properties.attacks });
    const m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      icon: L.divIcon({ className: 'base-icon', html: icon, iconSize: [18, 18], iconAnchor: [9, 9] }),
      title: label, alt: label, keyboard: true, pane: 'bases',
      labelText: f.properties.name // drawn by maplabels.js, clear of the marks
    });
    m.bindPopup(() => basePopup(app, f), { maxWidth: 340, maxHeight: 380 });
    m.addTo(app.layers.bases);
  });
}

export function drawRings(app, fc) {
  app.layers.rings.clearLayers();
  L.geoJSON(fc, {
    pane: 'rings',
    style: () => ({ className: 'range-ring', weight: 1, fill: false, interactive: false }),
    onEachFeature: (f, layer) => {
      layer.bindTooltip(el('span', null, t('ring-radius', { km: f.properties.radius_km })), { sticky: true });
    }
  }).addTo(app.layers.rings);
}

// BASEMAP_STYLE styles the offline basemap's layers (docs/basemap.md): the
// land and the countries are filled, the borders drawn as lines of their
// own, so a clip edge never looks like a border.
const BASEMAP_STYLE = {
  land: { className: 'bm-land', stroke: false },
  country: { className: 'bm-country', stroke: false },
  border: { className: 'bm-border', weight: 1, fill: false },
  river: { className: 'bm-river', weight: 1.5, fill: false }
};

// drawBasemap draws the offline basemap's shapes; its country names and
// towns go to the labels (maplabels.js), and its credit line, which names
// every source it was built from, to the attribution.
export function drawBasemap(app, fc) {
  L.geoJSON(fc, {
    pane: 'basemap',
    interactive: false,
    filter: (f) => f.properties.layer in BASEMAP_STYLE,
    style: (f) => Object.assign({ interactive: false }, BASEMAP_STYLE[f.properties.layer])
  }).addTo(app.offline);
  if (fc.attribution) {
    const before = app.offline.getAttribution();
    app.offline.getAttribution = () => fc.attribution;
    if (app.map.hasLayer(app.offline)) {
      app.map.attributionControl.removeAttribution(before).addAttribution(fc.attribution);
    }
  }
  app.mapLabels.setBasemap(fc);
}
