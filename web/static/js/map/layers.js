// The map and what is drawn on it: the basemaps, the incidents (as points
// or the server's clusters), the bases, the range rings and the links.
// Leaflet is the global L of its classic script tag.
import { el, symbol, svgEl } from './dom.js';
import { t, fmtNumber } from './messages.js';
import { OVERLAYS, filterQuery, emptySelection, queryString } from './state.js';
import { getJSON, isStale, latest } from './api.js';
import { clusterCountText, fmtDate, targetText } from './text.js';
import { incidentPopup, basePopup } from './popups.js';
import { declutter } from './declutter.js';
import { fanOffsets } from './fan.js';
import { keepCornersClear } from './corners.js';

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
  map.attributionControl.addAttribution(t('data-attribution'));
  L.control.scale({ imperial: false }).addTo(map);
  if (cfg.embed) {
    const open = L.control({ position: 'bottomleft' });
    open.onAdd = () => {
      const a = el('a', 'embed-open', t('open-in-strikemap'));
      a.href = '/?' + queryString(location.search);
      a.target = '_blank';
      a.rel = 'noopener';
      return a;
    };
    open.addTo(map);
  }
  keepCornersClear(map);

  createPanes(map);

  app.offline = L.layerGroup();
  app.offline.getAttribution = () => t('basemap-attribution');
  app.tiles = cfg.tileUrl ? L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.tileAttribution }) : null;
  const baseLayers = {};
  if (app.tiles) { baseLayers[t('layer.tiles')] = app.tiles; }
  baseLayers[t('layer.offline')] = app.offline;

  app.layers = { bases: L.layerGroup(), incidents: L.layerGroup(), rings: L.layerGroup(), links: L.layerGroup(), density: L.layerGroup(), strikes: L.layerGroup() };
  app.densityRenderer = L.canvas({ pane: 'density', padding: 0.2 });
  app.densitySeq = 0;
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
  // The density layer follows the view, and is drawn when it is ticked.
  map.on('moveend', () => drawDensity(app));
  map.on('overlayadd', (e) => { if (e.layer === app.layers.density) { drawDensity(app); } });
  // A click on the map, or a zoom, folds a fanned-out stack back.
  map.on('click zoomstart', () => foldFan(app));

  app.clusterKeys = el('ul', 'cluster-keys');
  app.clusterKeys.id = 'cluster-keys';
  app.clusterKeys.setAttribute('aria-label', t('clusters-on-map'));
  rovingKeys(app.clusterKeys);
  document.getElementById('map').insertAdjacentElement('afterend', app.clusterKeys);
  app.clusterRenderer = new CountCanvas({ pane: 'clusters', padding: 0.5 });
  app.markers = {}; // incident id -> marker
  app.clusterTotal = 0; // the filter's count, from the clusters response
  app.clusterSeq = 0;
  app.clusterSignal = latest();
  return map;
}

// PANES stack what the map draws, whatever basemap is chosen: the basemap
// (tiles are Leaflet's tilePane, 200) < density < rings < links <
// clusters < incidents (Leaflet's markerPane, 600) < bases < the US strikes (a layer a reader turns on) < their labels
// (Leaflet's tooltipPane, 650) < a stack's incidents fanned out on a
// click (fan, so that no base label covers one) < popups (700). A pane with no z-index of its
// own takes Leaflet's 400 and, coming later in the page, paints over the
// overlay pane: the offline basemap hid the clusters' canvas and the links.
// Each pane's paths get a renderer (SVG, or the clusters' canvas) of their
// own inside it.
export const PANES = { basemap: 210, density: 300, rings: 350, links: 360, clusters: 450, spider: 590, bases: 620, strikes: 630, fan: 660 };

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

export function drawIncidents(app, fc) {
  if (app.fan) { app.fan.legs.remove(); }
  app.fan = null;
  app.layers.incidents.clearLayers();
  clearClusterKeys(app);
  app.markers = {};
  addIncidentMarkers(app, fc.features);
  clusterLegend([]);
}

// clusterLegend shows the legend's cluster row while the map draws
// clusters, with the range of their counts in view, as the image exports'
// legend does: at 200,000 incidents the discs cover the map, and a reader
// saw dozens of alike blue discs with nothing saying how many each holds
// or that size grows with the count.
function clusterLegend(groups) {
  let least = Infinity, most = 0;
  groups.forEach((g) => { least = Math.min(least, g.count); most = Math.max(most, g.count); });
  document.querySelectorAll('[data-clusters]').forEach((li) => {
    li.hidden = groups.length === 0;
    const text = li.querySelector('.legend-clusters');
    if (!text || groups.length === 0) { return; }
    text.textContent = most > least ? t('legend-clusters-range', { least, most }) : t('legend.clusters');
  });
}

// incidentIcon is an incident's symbol, its centre dx, dy pixels from its
// place (0, 0 but when fanned out).
function incidentIcon(app, f, dx, dy) {
  const p = f.properties;
  const wrap = el('span', 'incident-marker');
  wrap.setAttribute('data-id', f.id);
  wrap.setAttribute('data-weapon', p.weapon);
  wrap.setAttribute('data-status', p.status);
  wrap.appendChild(symbol(p.weapon, p.status, p.disputed.length > 0));
  return L.divIcon({ className: 'incident-icon', html: wrap, iconSize: [20, 20], iconAnchor: [10 - dx, 10 - dy], popupAnchor: [dx, dy - 8] });
}

// incidentMarker is an incident's marker at its place, with its popup.
function incidentMarker(app, f, keyboard, pane) {
  const Lb = app.labels, p = f.properties;
  const label = t('incident-marker', { date: fmtDate(p), status: Lb.status[p.status].toLowerCase(), weapon: Lb.weapon[p.weapon].toLowerCase(), target: targetText(p) });
  const m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
    icon: incidentIcon(app, f, 0, 0), title: label, alt: label, keyboard: keyboard !== false, riseOnHover: true, pane: pane || 'markerPane'
  });
  m.bindPopup(() => incidentPopup(app, f), { maxWidth: 360, minWidth: 260, maxHeight: 380, autoPanPadding: [20, 20] });
  m.on('popupopen', () => { if (app.state.sel !== f.id) { app.state.sel = f.id; app.writeURL(true); } });
  m.on('popupclose', () => { if (app.state.sel === f.id) { app.state.sel = ''; app.writeURL(true); } });
  m.incident = f;
  return m;
}

// addIncidentMarkers draws incidents at their places. Incidents that share
// a place, or sit on a base's point (where the base's symbol, drawn above
// them, would hide one), are a stack: their symbols on top of each other
// and a badge with their count; a click fans them out (spiderfy), with a
// leg from the place to each, and a click on the map folds them back.
// (Spread on rings of pixels, they were drawn tens of kilometres from
// where they happened at a small zoom.)
//
// Among clusters (listed), each incident or stack is a button in the
// clusters' list, the one Tab stop of what the map shows, not a Tab stop
// of its own.
function addIncidentMarkers(app, features, listed) {
  const groups = new Map();
  features.forEach((f) => {
    const key = f.geometry.coordinates.join(',');
    if (!groups.has(key)) { groups.set(key, []); }
    groups.get(key).push(f);
  });
  groups.forEach((group) => {
    const aroundBase = group.some((f) => f.properties.location_precision === 'base');
    let m;
    if (group.length === 1 && !aroundBase) {
      m = incidentMarker(app, group[0], !listed).addTo(app.layers.incidents);
      app.markers[group[0].id] = m;
    } else {
      m = stackMarker(app, group, !listed).addTo(app.layers.incidents);
    }
    if (listed) { listMarker(app, m); }
  });
}

// listMarker adds a button for an incident or stack to the clusters' list.
function listMarker(app, m) {
  const li = el('li');
  const button = el('button', 'cluster-key', m.options.title);
  button.type = 'button';
  button.tabIndex = app.clusterKeys.querySelector('.cluster-key') ? -1 : 0;
  const at = app.map.latLngToContainerPoint(m.getLatLng());
  button.setAttribute('data-x', String(Math.round(at.x)));
  button.setAttribute('data-y', String(Math.round(at.y)));
  button.addEventListener('click', () => {
    if (m.members) {
      fanOut(app, m);
      m.members[0].getElement().focus();
    } else {
      m.openPopup();
    }
  });
  li.appendChild(button);
  app.clusterKeys.appendChild(li);
}

// stackMarker draws incidents that share a place: their symbols stacked
// and their count; each incident's own marker waits in app.markers and
// joins the map when the stack is fanned out.
function stackMarker(app, group, keyboard) {
  const f0 = group[0];
  const latlng = L.latLng(f0.geometry.coordinates[1], f0.geometry.coordinates[0]);
  const wrap = el('span', 'incident-stack');
  group.slice().reverse().forEach((f) => {
    const p = f.properties;
    const sym = el('span', 'incident-marker');
    sym.setAttribute('data-id', f.id);
    sym.setAttribute('data-weapon', p.weapon);
    sym.setAttribute('data-status', p.status);
    sym.appendChild(symbol(p.weapon, p.status, p.disputed.length > 0));
    wrap.appendChild(sym);
  });
  wrap.appendChild(el('span', 'stack-count', fmtNumber(group.length)));
  const label = t('stack-marker', { count: group.length, target: targetText(f0.properties) });
  const stack = L.marker(latlng, {
    icon: L.divIcon({ className: 'incident-icon stack-icon', html: wrap, iconSize: [20, 20], iconAnchor: [10, 10] }),
    title: label, alt: label, keyboard: keyboard !== false, riseOnHover: true
  });
  stack.members = group.map((f) => {
    const m = incidentMarker(app, f, true, 'fan');
    m.stack = stack;
    // Opening one (from the list, the URL or back) fans its stack out first.
    m.openPopup = function () {
      if (!this._map) { fanOut(app, stack); }
      return L.Marker.prototype.openPopup.apply(this, arguments);
    };
    app.markers[f.id] = m;
    return m;
  });
  stack.on('click', () => fanOut(app, stack));
  // Enter or Space on the focused stack fans it out and moves the focus
  // to its first incident.
  stack.on('add', () => {
    stack.getElement().addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') { return; }
      e.preventDefault();
      fanOut(app, stack);
      stack.members[0].getElement().focus();
    });
  });
  return stack;
}

// fanOut shows a stack's incidents around their place; foldFan puts them
// back. One stack is fanned out at a time.
function fanOut(app, stack) {
  if (app.fan && app.fan.stack === stack) { return; }
  foldFan(app);
  const map = app.map, at = map.latLngToLayerPoint(stack.getLatLng());
  const legs = L.layerGroup();
  const offs = fanOffsets(stack.members.length);
  offs.forEach(([dx, dy], i) => {
    const m = stack.members[i];
    m.setIcon(incidentIcon(app, m.incident, dx, dy));
    L.polyline([stack.getLatLng(), map.layerPointToLatLng(at.add([dx, dy]))], { pane: 'spider', className: 'fan-leg', weight: 1.5, interactive: false }).addTo(legs);
  });
  app.layers.incidents.removeLayer(stack);
  // On the map itself: the incidents' layer holds markers alone (the
  // label placement reads their positions).
  legs.addTo(app.map);
  stack.members.forEach((m) => m.addTo(app.layers.incidents));
  app.fan = { stack, legs };
  fitFan(app, map.latLngToContainerPoint(stack.getLatLng()), offs);
}

// fitFan pans the map, when a fan of many would reach past its edge or
// under one of its controls (the zoom buttons, the attribution), so that
// every fanned-out symbol can be seen and clicked.
function fitFan(app, at, offs) {
  const map = app.map, size = map.getSize(), HALF = 12;
  const box = {
    minX: at.x + Math.min(...offs.map((o) => o[0])) - HALF, maxX: at.x + Math.max(...offs.map((o) => o[0])) + HALF,
    minY: at.y + Math.min(...offs.map((o) => o[1])) - HALF, maxY: at.y + Math.max(...offs.map((o) => o[1])) + HALF
  };
  // The controls above and below the fan's columns narrow the room.
  let top = 4, bottom = size.y - 4;
  const c = map.getContainer().getBoundingClientRect();
  map.getContainer().querySelectorAll('.leaflet-control, .map-date').forEach((e) => {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || r.right - c.left < box.minX || r.left - c.left > box.maxX) { return; }
    if ((r.top + r.bottom) / 2 - c.top < size.y / 2) { top = Math.max(top, r.bottom - c.top + 4); } else { bottom = Math.min(bottom, r.top - c.top - 4); }
  });
  let dx = 0, dy = 0;
  if (box.minX < 4) { dx = box.minX - 4; } else if (box.maxX > size.x - 4) { dx = Math.min(box.maxX - size.x + 4, box.minX - 4); }
  if (box.minY < top) { dy = box.minY - top; } else if (box.maxY > bottom) { dy = Math.min(box.maxY - bottom, box.minY - top); }
  if (dx || dy) { map.panBy([Math.round(dx), Math.round(dy)], { animate: false }); }
}

export function foldFan(app) {
  const fan = app.fan;
  if (!fan) { return; }
  app.fan = null;
  fan.stack.members.forEach((m) => { m.closePopup(); app.layers.incidents.removeLayer(m); });
  fan.legs.remove();
  // Unless the layer was redrawn meanwhile, the stack comes back.
  if (fan.stack.members.every((m) => app.markers[m.incident.id] === m)) { fan.stack.addTo(app.layers.incidents); }
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
const COUNT_FONT = '700 11px system-ui, sans-serif';
const COUNT_H = 16; // a count's box: its text's line and a margin, or its pill
let measurer = null;

const ClusterDot = L.CircleMarker.extend({
  // The disc alone: CountCanvas writes every count once every disc is
  // drawn, so that no neighbour's disc paints over a count moved off its
  // own (counts.js moves one that a base's symbol would cover).
  _updatePath: function () { this._renderer._updateCircle(this); },

  // countSize is the w×h box of the count, measured on a canvas in the
  // font it is drawn with.
  countSize: function () {
    if (!this._countSize) {
      measurer = measurer || document.createElement('canvas').getContext('2d');
      measurer.font = COUNT_FONT;
      this._countSize = [Math.ceil(measurer.measureText(this.options.text).width) + 10, COUNT_H];
    }
    return this._countSize;
  },

  // setCount puts the count's box's top left corner at [dx, dy] from the
  // centre: the centre's spot writes it on the disc, any other on a pill
  // of its own (counts.js).
  setCount: function (at, pill) {
    const o = this.options;
    if (o.countAt && o.countAt[0] === at[0] && o.countAt[1] === at[1] && o.countPill === pill) { return; }
    o.countAt = at; o.countPill = pill;
    this.redraw();
  },

  _countBox: function () {
    const [w, h] = this.countSize(), at = this.options.countAt || [-w / 2, -h / 2];
    const min = this._point.add(at);
    return L.bounds(min, min.add([w, h]));
  },

  _updateBounds: function () {
    L.CircleMarker.prototype._updateBounds.call(this);
    if (this._pxBounds && this.options.countPill) { this._pxBounds.extend(this._countBox()); }
  },

  // A click on a moved count is a click on its cluster.
  _containsPoint: function (p) {
    return L.CircleMarker.prototype._containsPoint.call(this, p) || (!!this.options.countPill && this._countBox().contains(p));
  },

  drawCount: function (ctx) {
    if (this._empty()) { return; }
    const b = this._countBox(), c = b.getCenter();
    ctx.save();
    if (this.options.countPill) {
      const w = b.max.x - b.min.x, h = b.max.y - b.min.y;
      ctx.beginPath();
      ctx.roundRect(b.min.x + 0.75, b.min.y + 0.75, w - 1.5, h - 1.5, (h - 1.5) / 2);
      ctx.fillStyle = '#0b57d0';
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      ctx.fill();
      ctx.stroke();
    }
    ctx.fillStyle = '#fff';
    ctx.font = COUNT_FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.options.text, c.x, c.y + 0.5);
    ctx.restore();
  }
});

// CountCanvas draws the clusters' discs, then their counts above them all.
const CountCanvas = L.Canvas.extend({
  _draw: function () {
    L.Canvas.prototype._draw.call(this);
    const bounds = this._redrawBounds, ctx = this._ctx;
    ctx.save();
    if (bounds) {
      const size = bounds.getSize();
      ctx.beginPath();
      ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y);
      ctx.clip();
    }
    for (let order = this._drawFirst; order; order = order.next) {
      const layer = order.layer;
      if (layer.drawCount && (!bounds || (layer._pxBounds && layer._pxBounds.intersects(bounds)))) { layer.drawCount(ctx); }
    }
    ctx.restore();
  }
});

function zoomInto(map, latlng, expansion) {
  map.setView(latlng, Math.min(Math.max(expansion, map.getZoom() + 1), 18));
}

// clusterName is what a cluster's button says: its place (the nearest
// base, from the server) and its count.
function clusterName(g) {
  const p = g.members[0].properties; // the biggest: declutter sorts by count
  if (!p.near) { return t('cluster-button', { count: g.count }); }
  return p.near_km <= 30 ? t('cluster-near', { place: p.near, count: g.count }) : t('cluster-from', { place: p.near, km: p.near_km, count: g.count });
}

// clusterMarker draws a group of clusters that declutter kept together,
// and its button; a click on either zooms to where it splits.
function clusterMarker(app, g, index) {
  const map = app.map;
  const latlng = map.layerPointToLatLng(L.point(g.x, g.y));
  // Zoom to where the first of its clusters splits.
  const expansion = Math.min.apply(null, g.members.map((f) => f.properties.expansion_zoom));
  const m = new ClusterDot(latlng, {
    renderer: app.clusterRenderer, radius: g.r,
    color: '#fff', weight: 2, opacity: 1, fillColor: '#0b57d0', fillOpacity: 0.85,
    text: clusterCountText(g.count)
  });
  const name = clusterName(g);
  m.bindTooltip(el('span', null, name), { direction: 'top' });
  m.on('click', () => zoomInto(map, latlng, expansion));
  const li = el('li');
  const button = el('button', 'cluster-key', name);
  button.type = 'button';
  // One Tab stop for the whole list: the arrow keys move within it.
  button.tabIndex = index === 0 ? 0 : -1;
  button.setAttribute('data-count', String(g.count));
  button.setAttribute('data-count-text', m.options.text); // what the disc writes, for tests
  button.setAttribute('data-lat', String(latlng.lat));
  button.setAttribute('data-lon', String(latlng.lng));
  const at = map.latLngToContainerPoint(latlng); // where it is drawn, for tests
  button.setAttribute('data-x', String(Math.round(at.x)));
  button.setAttribute('data-y', String(Math.round(at.y)));
  button.setAttribute('data-r', String(g.r));
  m.key = button; // maplabels.js writes where the count went (data-count-box)
  button.addEventListener('click', () => { zoomInto(map, latlng, expansion); map.getContainer().focus(); });
  li.appendChild(button);
  app.clusterKeys.appendChild(li);
  return m;
}

// rovingKeys moves the focus through the list of clusters with the arrow
// keys, Home and End: the list is one Tab stop, not hundreds.
function rovingKeys(list) {
  list.addEventListener('keydown', (e) => {
    const buttons = Array.from(list.querySelectorAll('.cluster-key'));
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) { return; }
    const next = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (next === undefined) { return; }
    e.preventDefault();
    const to = buttons[Math.max(0, Math.min(buttons.length - 1, next))];
    buttons.forEach((b) => { b.tabIndex = b === to ? 0 : -1; });
    to.focus();
  });
}

function clearClusterKeys(app) { app.clusterKeys.replaceChildren(); }

// drawClusters asks the server for the clusters in view at this zoom, and
// draws them with no two discs overlapping (see declutter.js).
export function drawClusters(app) {
  return loadClusters(app).then((fc) => { if (fc) { paintClusters(app, fc); } });
}

// loadClusters asks the server for the clusters in view at this zoom. It
// resolves to null when a newer request, or a change of mode, made the
// answer stale (and aborts the older request). Past clusterMaxZoom every
// incident stands alone: it asks for them as incidents.
export function loadClusters(app) {
  const { cfg, map } = app;
  const my = ++app.clusterSeq;
  const q = filterQuery(app.shown(), cfg);
  const b = map.getBounds();
  const west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
  q.set('bbox', [west, Math.max(-90, b.getSouth()), east, Math.min(90, b.getNorth())].map((v) => v.toFixed(5)).join(','));
  const zoom = map.getZoom();
  const url = zoom > cfg.clusterMaxZoom ? '/api/incidents.geojson?limit=' + cfg.pointLimit + '&' + queryString(q) : '/api/clusters.geojson?zoom=' + zoom + '&' + queryString(q);
  app.setBusy(true);
  return getJSON(url, app.clusterSignal()).then((fc) => {
    if (my !== app.clusterSeq || app.mode !== 'clusters') { return null; }
    return fc;
  }, (err) => {
    if (isStale(err)) { return null; }
    throw err;
  });
}

// PROVISIONAL_MS is how soon the page asks again for clusters that the
// server answered provisionally, counted in a grid while it builds its
// index (for a moment after it starts, at a million incidents).
const PROVISIONAL_MS = 700;

// paintClusters draws a clusters answer (loadClusters').
export function paintClusters(app, fc) {
  const map = app.map;
  if (fc.numberMatched !== undefined) { app.clusterTotal = fc.numberMatched; }
  clearTimeout(app.provisional);
  if (fc.provisional) {
    app.provisional = setTimeout(() => { if (app.mode === 'clusters') { drawClusters(app); } }, PROVISIONAL_MS);
  }
  if (app.fan) { app.fan.legs.remove(); }
  app.fan = null;
  app.layers.incidents.clearLayers();
  clearClusterKeys(app);
  app.markers = {};
  const singles = [], clusters = [];
  fc.features.forEach((f) => {
    if (!f.properties.cluster) { singles.push(f); return; }
    const pt = map.latLngToLayerPoint([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    clusters.push({ x: pt.x, y: pt.y, count: f.properties.count, properties: f.properties });
  });
  const groups = declutter(clusters);
  groups.forEach((g, i) => clusterMarker(app, g, i).addTo(app.layers.incidents));
  clusterLegend(groups);
  addIncidentMarkers(app, singles, true);
  app.setBusy(false);
}

// DENSITY_COLOURS shade the density hexagons by count, on a log scale
// (ColorBrewer's YlOrRd, as the image exports' density layer).
const DENSITY_COLOURS = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];

export function densityColour(count, most) {
  if (most <= 1) { return DENSITY_COLOURS[DENSITY_COLOURS.length - 1]; }
  const k = Math.floor(Math.log(count) / Math.log(most) * DENSITY_COLOURS.length);
  return DENSITY_COLOURS[Math.max(0, Math.min(DENSITY_COLOURS.length - 1, k))];
}

// drawDensity draws, when the density layer is shown, the server's
// hexagons of the filtered incidents in view at this zoom.
export function drawDensity(app) {
  const { cfg, map } = app;
  if (!map.hasLayer(app.layers.density)) { return Promise.resolve(); }
  const my = ++app.densitySeq;
  if (emptySelection(app.state)) { app.layers.density.clearLayers(); return Promise.resolve(); }
  const q = filterQuery(app.state, cfg);
  const b = map.getBounds();
  q.set('bbox', [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())].map((v) => v.toFixed(5)).join(','));
  return getJSON('/api/density.geojson?zoom=' + map.getZoom() + '&' + queryString(q)).then((fc) => {
    if (my !== app.densitySeq) { return; }
    app.layers.density.clearLayers();
    L.geoJSON(fc, {
      renderer: app.densityRenderer, interactive: false,
      style: (f) => ({ stroke: false, fillColor: densityColour(f.properties.count, fc.most), fillOpacity: 0.75, renderer: app.densityRenderer, interactive: false })
    }).addTo(app.layers.density);
    app.map.getContainer().setAttribute('data-density', String(fc.features.length));
  }).catch((err) => { app.showError(t('load-failed', { error: err.message })); });
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
      labelText: f.properties.name, // drawn by maplabels.js, clear of the marks
      shortText: f.properties.short_name // the label where full names find no room (geo.Base.Short)
    });
    m.bindPopup(() => basePopup(app, f), { maxWidth: 340, maxHeight: 380 });
    m.addTo(app.layers.bases);
  });
}

export function drawRings(app, fc) {
  app.layers.rings.clearLayers();
  // Not interactive (a click goes through to the incidents under a ring),
  // so no tooltip could ever show: the legend gives the radii.
  L.geoJSON(fc, {
    pane: 'rings',
    style: () => ({ className: 'range-ring', weight: 1, fill: false, interactive: false })
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
