// strikemap's map page. Data arrives as GeoJSON from the server's API and
// goes into the page with textContent and DOM nodes only (never innerHTML),
// so a strict Content-Security-Policy holds and text from the data cannot
// become markup. The page's whole state lives in its URL.
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('map-config').textContent);
  var WEAPONS = ['drone', 'rocket', 'missile', 'unknown'];
  var STATUSES = ['confirmed', 'reported', 'claimed'];
  var WEAPON_LABEL = { drone: 'Drone', rocket: 'Rocket', missile: 'Missile', unknown: 'Unknown weapon' };
  var STATUS_LABEL = { confirmed: 'Confirmed', reported: 'Reported', claimed: 'Claimed' };
  var KIND_LABEL = { official: 'official', media: 'media', monitor: 'monitor', claim: 'claim' };
  var OVERLAYS = ['bases', 'incidents', 'rings', 'links'];
  var DEFAULT_LAYERS = ['bases', 'incidents'];
  var DEFAULT_VIEW = { lat: 34.2, lon: 41.6, zoom: 6 };
  var PLAY_STEP_MS = 900;
  // Past POINT_LIMIT matching incidents the map shows server-side clusters
  // (exact counts), and the list its first LIST_LIMIT rows.
  var POINT_LIMIT = 5000;
  var LIST_LIMIT = 500;
  var CLUSTER_MAX_ZOOM = 16;
  var mode = 'points';
  // An embed (/embed, in an iframe) is the map alone: no panel, and the
  // iframe's URL is left alone so the host page's history is not touched.
  var panelUI = !cfg.embed;
  var SVGNS = 'http://www.w3.org/2000/svg';

  var allBaseIDs = cfg.bases.map(function (b) { return b.id; });
  var baseNames = {};
  cfg.bases.forEach(function (b) { baseNames[b.id] = b.name; });

  // ---- state and URL ----------------------------------------------------

  function defaultState() {
    return {
      from: cfg.first, to: cfg.last,
      weapons: WEAPONS.slice(), statuses: STATUSES.slice(), bases: allBaseIDs.slice(),
      layers: DEFAULT_LAYERS.slice(), basemap: cfg.tileUrl ? 'tiles' : 'offline',
      lat: DEFAULT_VIEW.lat, lon: DEFAULT_VIEW.lon, zoom: DEFAULT_VIEW.zoom, sel: ''
    };
  }

  function isDate(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(Date.parse(s + 'T00:00:00Z')); }

  // listParam reads a comma-separated list, keeping only allowed values; an
  // absent parameter means all of them.
  function listParam(q, name, allowed) {
    if (!q.has(name)) { return allowed.slice(); }
    var v = q.get(name);
    if (v === '' || v === 'none') { return []; }
    return v.split(',').filter(function (x, i, a) { return allowed.indexOf(x) >= 0 && a.indexOf(x) === i; });
  }

  function stateFromURL() {
    var q = new URLSearchParams(location.search);
    var s = defaultState();
    if (isDate(q.get('from') || '')) { s.from = q.get('from'); }
    if (isDate(q.get('to') || '')) { s.to = q.get('to'); }
    if (s.from > s.to) { var t = s.from; s.from = s.to; s.to = t; }
    s.weapons = listParam(q, 'weapon', WEAPONS);
    s.statuses = listParam(q, 'status', STATUSES);
    s.bases = listParam(q, 'base', allBaseIDs);
    s.layers = listParam(q, 'layers', OVERLAYS);
    if (!q.has('layers')) { s.layers = DEFAULT_LAYERS.slice(); }
    if (q.get('basemap') === 'offline' || (q.get('basemap') === 'tiles' && cfg.tileUrl)) { s.basemap = q.get('basemap'); }
    var m = (q.get('map') || '').split('/').map(Number);
    if (m.length === 3 && m.every(isFinite) && m[0] >= 0 && m[0] <= 19 && Math.abs(m[1]) <= 90 && Math.abs(m[2]) <= 180) {
      s.zoom = m[0]; s.lat = m[1]; s.lon = m[2];
    }
    s.hasView = m.length === 3 && s.zoom === m[0];
    s.sel = q.get('sel') || '';
    return s;
  }

  function sameSet(a, b) { return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; }); }

  // filterQuery is the API query for the state's filters: only what narrows
  // the selection, in a stable order so that equal views share cache entries.
  function filterQuery(s) {
    var q = new URLSearchParams();
    if (s.from !== cfg.first) { q.set('from', s.from); }
    if (s.to !== cfg.last) { q.set('to', s.to); }
    if (!sameSet(s.weapons, WEAPONS)) { q.set('weapon', s.weapons.join(',')); }
    if (!sameSet(s.statuses, STATUSES)) { q.set('status', s.statuses.join(',')); }
    if (!sameSet(s.bases, allBaseIDs)) { q.set('base', s.bases.join(',')); }
    return q;
  }

  // emptySelection reports whether a filter group has nothing ticked, which
  // selects no incident at all (the API has no way to say "none").
  function emptySelection(s) { return !s.weapons.length || !s.statuses.length || !s.bases.length; }

  function pageQuery(s) {
    var q = filterQuery(s);
    ['weapon', 'status', 'base'].forEach(function (k) { if (q.get(k) === '') { q.set(k, 'none'); } });
    if (!sameSet(s.layers, DEFAULT_LAYERS)) { q.set('layers', s.layers.join(',') || 'none'); }
    if (s.basemap !== defaultState().basemap) { q.set('basemap', s.basemap); }
    q.set('map', [s.zoom, s.lat.toFixed(4), s.lon.toFixed(4)].join('/'));
    if (s.sel) { q.set('sel', s.sel); }
    return q;
  }

  var state = stateFromURL();

  function writeURL(push) {
    if (!panelUI) { return; }
    var url = location.pathname + '?' + pageQuery(state).toString();
    if (url === location.pathname + location.search) { return; }
    if (push) { history.pushState(null, '', url); } else { history.replaceState(null, '', url); }
  }

  // ---- the map ------------------------------------------------------------

  var controls = !cfg.embed || cfg.controls;
  var map = L.map('map', { center: [state.lat, state.lon], zoom: state.zoom, zoomControl: controls, keyboard: true });
  if (!state.hasView && cfg.bounds) {
    // No view in the URL: frame the bases.
    map.fitBounds([[cfg.bounds[1], cfg.bounds[0]], [cfg.bounds[3], cfg.bounds[2]]], { padding: [40, 40], maxZoom: 9, animate: false });
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution('Data: strikemap, sources on each incident');
  L.control.scale({ imperial: false }).addTo(map);
  if (cfg.embed) {
    var open = L.control({ position: 'bottomleft' });
    open.onAdd = function () {
      var a = el('a', 'embed-open', 'Open in strikemap ↗');
      a.href = '/?' + new URLSearchParams(location.search).toString();
      a.target = '_blank';
      a.rel = 'noopener';
      return a;
    };
    open.addTo(map);
  }

  map.createPane('basemap');
  map.getPane('basemap').classList.add('pane-basemap');
  map.createPane('rings');
  map.getPane('rings').classList.add('pane-rings');

  var offline = L.layerGroup();
  offline.getAttribution = function () { return 'Basemap: Natural Earth'; };
  var tiles = cfg.tileUrl ? L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.tileAttribution }) : null;
  var baseLayers = {};
  if (tiles) { baseLayers['Map tiles'] = tiles; }
  baseLayers['Offline basemap (Natural Earth)'] = offline;

  var layers = {
    bases: L.layerGroup(),
    incidents: L.layerGroup(),
    rings: L.layerGroup(),
    links: L.layerGroup()
  };
  var layerNames = { bases: 'Bases', incidents: 'Incidents', rings: 'Range rings', links: 'Incident links' };
  var overlayControl = {};
  OVERLAYS.forEach(function (k) { overlayControl[layerNames[k]] = layers[k]; });
  if (controls) { L.control.layers(baseLayers, overlayControl, { collapsed: true }).addTo(map); }

  function applyLayers() {
    // One basemap at a time: the layer control only swaps them when the
    // user picks one, not when the state changes (back, forward, fallback).
    var basemap = (state.basemap === 'tiles' && tiles) ? tiles : offline;
    [tiles, offline].forEach(function (l) { if (l && l !== basemap) { l.remove(); } });
    basemap.addTo(map);
    OVERLAYS.forEach(function (k) {
      if (state.layers.indexOf(k) >= 0) { layers[k].addTo(map); } else { layers[k].remove(); }
    });
  }

  var applyingLayers = false;
  map.on('baselayerchange', function (e) {
    if (applyingLayers) { return; }
    state.basemap = e.layer === tiles ? 'tiles' : 'offline';
    writeURL(true);
  });
  map.on('overlayadd overlayremove', function (e) {
    if (applyingLayers) { return; }
    state.layers = OVERLAYS.filter(function (k) { return map.hasLayer(layers[k]); });
    writeURL(true);
  });
  // Tile fallback: on an air-gapped network every tile fails and the map
  // would stay blank. When a round of tiles has settled (Leaflet's 'load'
  // fires once each tile has loaded or failed) with errors and not one tile
  // loaded so far, switch to the offline basemap, once, and say so. Once a
  // tile has loaded, later errors are the tile server's hiccups, not this.
  var tileState = { loaded: 0, errors: 0, fellBack: false };
  if (tiles) {
    tiles.on('tileload', function () { tileState.loaded++; });
    tiles.on('tileerror', function () { tileState.errors++; });
    tiles.on('load', function () {
      if (tileState.fellBack || tileState.loaded > 0 || tileState.errors === 0) { return; }
      tileState.fellBack = true;
      // After the event: Leaflet still uses the layer's map once 'load' returns.
      setTimeout(function () {
        if (!map.hasLayer(tiles)) { return; } // the user chose a basemap meanwhile
        state.basemap = 'offline';
        applyingLayers = true; applyLayers(); applyingLayers = false;
        writeURL(false);
        showTileNotice();
      }, 0);
    });
  }

  // showTileNotice says, on the map, that the tiles failed: a status message
  // (read out by screen readers) with a button to dismiss it.
  function showTileNotice() {
    var notice = L.control({ position: 'topright' });
    notice.onAdd = function () {
      var box = el('div', 'tile-notice');
      box.appendChild(el('p', 'tile-notice-text')).setAttribute('role', 'status');
      var close = el('button', 'tile-notice-close', '×');
      close.type = 'button';
      close.setAttribute('aria-label', 'Dismiss this notice');
      close.addEventListener('click', function () {
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
    notice.getContainer().querySelector('.tile-notice-text').textContent =
      'Map tiles could not be loaded; showing the offline basemap.';
  }

  map.on('moveend', function () {
    var c = map.getCenter();
    state.lat = c.lat; state.lon = c.lng; state.zoom = map.getZoom();
    writeURL(false);
    drawDownloads();
    if (mode === 'clusters' && document.body.getAttribute('data-ready') === '1') { drawClusters(); }
  });

  // ---- fetching -----------------------------------------------------------

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/geo+json' } }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (b) {
          throw new Error((b && b.error) || ('HTTP ' + r.status + ' for ' + url));
        });
      }
      return r.json();
    });
  }

  // ---- symbols --------------------------------------------------------------

  function symbol(weapon, status, disputed) {
    var svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('viewBox', '0 0 20 20');
    svg.setAttribute('width', '20');
    svg.setAttribute('height', '20');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'sym weapon-' + weapon + ' status-' + status + (disputed ? ' disputed' : ''));
    ['sym-outline', 'sym-half'].forEach(function (cls, i) {
      var use = document.createElementNS(SVGNS, 'use');
      use.setAttribute('class', cls);
      use.setAttribute('href', '#sym-' + weapon + (i ? '-half' : ''));
      svg.appendChild(use);
    });
    return svg;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // safeURL returns u when it is an absolute http(s) URL, else null: only
  // such links from the data ever become hrefs.
  function safeURL(u) {
    if (typeof u !== 'string') { return null; }
    try {
      var p = new URL(u);
      return (p.protocol === 'http:' || p.protocol === 'https:') ? p.href : null;
    } catch (e) { return null; }
  }

  function fmtDate(p) { return p.date_end ? p.date + ' to ' + p.date_end : p.date; }
  function fmtCount(n) { return n === null || n === undefined ? 'unknown' : String(n); }
  function weaponText(p) { return WEAPON_LABEL[p.weapon] + (p.count ? ' × ' + p.count : ''); }
  function targetText(p) { return p.base_name || 'no known base'; }

  // ---- popups -----------------------------------------------------------------

  function row(dl, term, value) {
    dl.appendChild(el('dt', null, term));
    var dd = el('dd', null, value);
    dl.appendChild(dd);
    return dd;
  }

  function incidentPopup(f) {
    var p = f.properties;
    var box = el('div', 'incident-popup');
    box.setAttribute('data-id', f.id);
    box.appendChild(el('h3', null, WEAPON_LABEL[p.weapon] + ' attack on ' + targetText(p)));
    var dl = el('dl');
    row(dl, 'Date', fmtDate(p));
    row(dl, 'Weapon', weaponText(p));
    row(dl, 'Target', targetText(p) + (p.location_precision === 'base' ? '' : ' (located ' + p.location_precision + ')'));
    if (p.outcome) { row(dl, 'Outcome', p.outcome); }
    row(dl, 'Injured', fmtCount(p.injured));
    row(dl, 'Killed', fmtCount(p.killed));
    var st = row(dl, 'Status', STATUS_LABEL[p.status]);
    st.className = 'status st-' + p.status;
    if (p.claimed_by.length) { row(dl, 'Claimed by', p.claimed_by.join('; ')); }
    var officials = p.sources.filter(function (s) { return s.kind === 'official'; }).map(function (s) { return s.publisher; });
    if (officials.length) { row(dl, 'Confirmed by', officials.join('; ')); }
    if (p.disputed.length) {
      row(dl, 'Disputed', p.disputed.join(', ')).className = 'disputed-fields';
    }
    box.appendChild(dl);
    box.appendChild(el('h4', null, 'Sources (' + p.sources.length + ')'));
    var ul = el('ul', 'sources');
    p.sources.forEach(function (s) {
      var li = el('li');
      var href = safeURL(s.url);
      var name;
      if (href) {
        name = el('a', 'source-link', s.publisher);
        name.href = href;
        name.target = '_blank';
        name.rel = 'noopener noreferrer';
      } else {
        name = el('span', 'source-name', s.publisher);
      }
      li.appendChild(name);
      li.appendChild(el('span', 'source-kind kind-' + s.kind, KIND_LABEL[s.kind] || s.kind));
      if (s.published) { li.appendChild(el('span', 'source-date', s.published)); }
      li.appendChild(el('p', 'source-says', s.says));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (p.notes) { box.appendChild(el('p', 'notes', p.notes)); }
    box.appendChild(pageLink('/incidents/' + encodeURIComponent(f.id), 'Permalink and printable page'));
    return box;
  }

  // pageLink links to one of strikemap's own pages; from an embed it opens
  // a new tab rather than navigating inside the iframe.
  function pageLink(href, text) {
    var a = el('a', 'page-link', text);
    a.href = href;
    if (cfg.embed) { a.target = '_blank'; a.rel = 'noopener'; }
    return a;
  }

  function basePopup(f) {
    var p = f.properties;
    var box = el('div', 'base-popup');
    box.setAttribute('data-id', f.id);
    box.appendChild(el('h3', null, p.name));
    if (p.aliases.length) { box.appendChild(el('p', 'aliases', 'Also: ' + p.aliases.join('; '))); }
    var dl = el('dl');
    row(dl, 'Attacks', p.attacks + (isFiltered() ? ' (with the current filters)' : ''));
    row(dl, 'By weapon', WEAPONS.filter(function (w) { return p.by_weapon[w]; }).map(function (w) { return WEAPON_LABEL[w] + ' ' + p.by_weapon[w]; }).join(', ') || 'none');
    row(dl, 'By status', STATUSES.filter(function (s) { return p.by_status[s]; }).map(function (s) { return STATUS_LABEL[s] + ' ' + p.by_status[s]; }).join(', ') || 'none');
    if (p.first_attack) { row(dl, 'First attack', p.first_attack); }
    if (p.last_attack) { row(dl, 'Last attack', p.last_attack); }
    row(dl, 'Injured', p.injured + (p.incidents_injured_unknown ? ' known (' + p.incidents_injured_unknown + ' attacks with no figure)' : ''));
    row(dl, 'Killed', p.killed + (p.incidents_killed_unknown ? ' known (' + p.incidents_killed_unknown + ' attacks with no figure)' : ''));
    var codes = [p.icao, p.iata].filter(Boolean).join(' / ');
    if (codes) { row(dl, 'Codes', codes); }
    var loc = row(dl, 'Location', f.geometry.coordinates[1].toFixed(4) + ', ' + f.geometry.coordinates[0].toFixed(4) + ' — ');
    var href = safeURL(p.coord_source_url);
    if (href) {
      var a = el('a', 'source-link', p.coord_source);
      a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
      loc.appendChild(a);
    } else {
      loc.appendChild(document.createTextNode(p.coord_source));
    }
    box.appendChild(dl);
    if (p.notes) { box.appendChild(el('p', 'notes', p.notes)); }
    var only = el('button', 'filter-base', 'Show only attacks on this base');
    only.type = 'button';
    only.addEventListener('click', function () {
      state.bases = [f.id];
      syncForm();
      update(true);
    });
    if (panelUI) { box.appendChild(only); }
    box.appendChild(pageLink('/bases/' + encodeURIComponent(f.id), 'Report on this base'));
    return box;
  }

  // ---- drawing ----------------------------------------------------------------

  var markers = {}; // incident id -> marker
  var incidentsByID = {};

  // offsets spreads n symbols that share a point around it, in pixels, so
  // every one stays visible and clickable at any zoom.
  function offsets(n, aroundBase) {
    if (n === 1 && !aroundBase) { return [[0, 0]]; }
    var out = [];
    var ring = 0, placed = 0;
    while (placed < n) {
      var radius = 20 + ring * 16;
      var cap = Math.max(1, Math.floor(2 * Math.PI * radius / 20));
      var k = Math.min(cap, n - placed);
      for (var i = 0; i < k; i++) {
        var a = -Math.PI / 2 + i * 2 * Math.PI / k;
        out.push([Math.round(radius * Math.cos(a)), Math.round(radius * Math.sin(a))]);
      }
      placed += k; ring++;
    }
    return out;
  }

  function drawIncidents(fc) {
    layers.incidents.clearLayers();
    clearClusterKeys();
    markers = {};
    incidentsByID = {};
    addIncidentMarkers(fc.features);
  }

  // addIncidentMarkers draws incidents, spreading those that share a point.
  function addIncidentMarkers(features) {
    var fc = { features: features };
    var groups = {};
    fc.features.forEach(function (f) {
      var key = f.geometry.coordinates.join(',');
      (groups[key] = groups[key] || []).push(f);
    });
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      var aroundBase = group.some(function (f) { return f.properties.location_precision === 'base'; });
      var offs = offsets(group.length, aroundBase);
      group.forEach(function (f, i) {
        var p = f.properties;
        var wrap = el('span', 'incident-marker');
        wrap.setAttribute('data-id', f.id);
        wrap.setAttribute('data-weapon', p.weapon);
        wrap.setAttribute('data-status', p.status);
        wrap.appendChild(symbol(p.weapon, p.status, p.disputed.length > 0));
        var dx = offs[i][0], dy = offs[i][1];
        var label = fmtDate(p) + ': ' + STATUS_LABEL[p.status].toLowerCase() + ' ' + WEAPON_LABEL[p.weapon].toLowerCase() + ' attack on ' + targetText(p);
        var m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
          icon: L.divIcon({ className: 'incident-icon', html: wrap, iconSize: [20, 20], iconAnchor: [10 - dx, 10 - dy], popupAnchor: [dx, dy - 8] }),
          title: label, alt: label, keyboard: true, riseOnHover: true
        });
        m.bindPopup(function () { return incidentPopup(f); }, { maxWidth: 360, minWidth: 260, maxHeight: 380, autoPanPadding: [20, 20] });
        m.on('popupopen', function () { if (state.sel !== f.id) { state.sel = f.id; writeURL(true); } });
        m.on('popupclose', function () { if (state.sel === f.id) { state.sel = ''; writeURL(true); } });
        m.addTo(layers.incidents);
        markers[f.id] = m;
        incidentsByID[f.id] = f;
      });
    });
  }

  function drawLinks(fc) {
    layers.links.clearLayers();
    L.geoJSON(fc, { style: function () { return { className: 'incident-link', weight: 2, dashArray: '4 4' }; } }).addTo(layers.links);
  }

  // Clusters are drawn on one canvas: hundreds of DOM markers, each its own
  // compositing layer, made panning stutter (bench/render -pans measured
  // frames 83 ms apart at 1M incidents; 17 ms with no markers). A list of
  // buttons beside the map gives keyboard and screen-reader users the same
  // clusters, and the same zoom.
  var clusterRenderer = L.canvas({ padding: 0.5 });
  var ClusterDot = L.CircleMarker.extend({
    _updatePath: function () {
      var r = this._renderer;
      r._updateCircle(this);
      if (!r._drawing || this._empty()) { return; }
      var ctx = r._ctx, pt = this._point;
      ctx.save();
      ctx.fillStyle = '#fff';
      ctx.font = '700 11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(this.options.text, pt.x, pt.y);
      ctx.restore();
    }
  });
  var clusterKeys = el('ul', 'cluster-keys');
  clusterKeys.id = 'cluster-keys';
  clusterKeys.setAttribute('aria-label', 'Clusters on the map');
  document.getElementById('map').insertAdjacentElement('afterend', clusterKeys);

  function zoomInto(latlng, expansion) {
    map.setView(latlng, Math.min(Math.max(expansion, map.getZoom() + 1), 18));
  }

  // clusterMarker draws a cluster of count incidents, and its button; a
  // click on either zooms to where it splits.
  function clusterMarker(f) {
    var p = f.properties;
    var latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
    var label = p.count + ' incidents; zoom in to split them';
    var m = new ClusterDot(latlng, {
      renderer: clusterRenderer, radius: Math.round(12 + 4 * Math.log10(p.count)),
      color: '#fff', weight: 2, opacity: 1, fillColor: '#0b57d0', fillOpacity: 0.85,
      text: p.count >= 10000 ? Math.round(p.count / 1000) + 'k' : String(p.count)
    });
    m.bindTooltip(el('span', null, label), { direction: 'top' });
    m.on('click', function () { zoomInto(latlng, p.expansion_zoom); });
    var li = el('li');
    var button = el('button', 'cluster-key', p.count + ' incidents near ' + latlng.lat.toFixed(2) + ', ' + latlng.lng.toFixed(2) + ': zoom in');
    button.type = 'button';
    button.setAttribute('data-count', String(p.count));
    button.setAttribute('data-lat', String(latlng.lat));
    button.setAttribute('data-lon', String(latlng.lng));
    var at = map.latLngToContainerPoint(latlng); // where it is drawn, for tests
    button.setAttribute('data-x', String(Math.round(at.x)));
    button.setAttribute('data-y', String(Math.round(at.y)));
    button.addEventListener('click', function () { zoomInto(latlng, p.expansion_zoom); map.getContainer().focus(); });
    li.appendChild(button);
    clusterKeys.appendChild(li);
    return m;
  }

  function clearClusterKeys() {
    while (clusterKeys.firstChild) { clusterKeys.removeChild(clusterKeys.firstChild); }
  }

  var clusterSeq = 0;
  var clusterTotal = 0; // the filter's count, from the clusters response
  // drawClusters asks the server for the clusters in view at this zoom.
  function drawClusters() {
    var my = ++clusterSeq;
    var q = filterQuery(state);
    var b = map.getBounds();
    var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
    q.set('bbox', [west, Math.max(-90, b.getSouth()), east, Math.min(90, b.getNorth())].map(function (v) { return v.toFixed(5); }).join(','));
    var zoom = map.getZoom();
    var url = zoom > CLUSTER_MAX_ZOOM ? '/api/incidents.geojson?limit=' + POINT_LIMIT + '&' + q.toString() : '/api/clusters.geojson?zoom=' + zoom + '&' + q.toString();
    setBusy(true);
    return getJSON(url).then(function (fc) {
      if (my !== clusterSeq || mode !== 'clusters') { return; }
      if (fc.numberMatched !== undefined) { clusterTotal = fc.numberMatched; }
      layers.incidents.clearLayers();
      clearClusterKeys();
      markers = {};
      incidentsByID = {};
      var singles = [];
      fc.features.forEach(function (f) {
        if (f.properties.cluster) { clusterMarker(f).addTo(layers.incidents); } else { singles.push(f); }
      });
      addIncidentMarkers(singles);
      setBusy(false);
    });
  }

  var basesDrawn = {};
  function drawBases(fc) {
    layers.bases.clearLayers();
    basesDrawn = {};
    fc.features.forEach(function (f) {
      var icon = el('span', 'base-marker');
      icon.setAttribute('data-id', f.id);
      var svg = document.createElementNS(SVGNS, 'svg');
      svg.setAttribute('viewBox', '0 0 20 20');
      svg.setAttribute('width', '18');
      svg.setAttribute('height', '18');
      svg.setAttribute('aria-hidden', 'true');
      svg.setAttribute('class', 'sym sym-base');
      var use = document.createElementNS(SVGNS, 'use');
      use.setAttribute('href', '#sym-base');
      svg.appendChild(use);
      icon.appendChild(svg);
      var label = f.properties.name + ': ' + f.properties.attacks + ' attacks';
      var m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
        icon: L.divIcon({ className: 'base-icon', html: icon, iconSize: [18, 18], iconAnchor: [9, 9] }),
        title: label, alt: label, keyboard: true, zIndexOffset: -100
      });
      m.bindTooltip(el('span', 'base-label', f.properties.name), { permanent: true, direction: 'right', offset: [12, 0], className: 'base-tooltip' });
      m.bindPopup(function () { return basePopup(f); }, { maxWidth: 340, maxHeight: 380 });
      m.addTo(layers.bases);
      basesDrawn[f.id] = m;
    });
  }

  function drawRings(fc) {
    layers.rings.clearLayers();
    L.geoJSON(fc, {
      pane: 'rings',
      style: function () { return { className: 'range-ring', weight: 1, fill: false, interactive: false }; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(el('span', null, f.properties.radius_km + ' km'), { sticky: true });
      }
    }).addTo(layers.rings);
  }

  function drawBasemap(fc) {
    L.geoJSON(fc, {
      pane: 'basemap',
      interactive: false,
      style: function (f) {
        return f.properties.layer === 'river'
          ? { className: 'bm-river', weight: 1.5, interactive: false }
          : { className: 'bm-country', weight: 1, interactive: false };
      },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 3, className: 'bm-city', interactive: false }); }
    }).addTo(offline);
  }

  // ---- list, counts and downloads ----------------------------------------------

  var sortAscending = true;

  function drawList(fc) {
    if (!panelUI) { return; }
    var tbody = document.querySelector('#incident-list tbody');
    var rows = fc.features.slice(0, LIST_LIMIT);
    rows.sort(function (a, b) {
      var c = a.properties.date < b.properties.date ? -1 : a.properties.date > b.properties.date ? 1 : (a.id < b.id ? -1 : 1);
      return sortAscending ? c : -c;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (f) {
      var p = f.properties;
      var tr = el('tr');
      tr.setAttribute('data-id', f.id);
      tr.appendChild(el('td', 'nowrap', fmtDate(p)));
      tr.appendChild(el('td', null, targetText(p)));
      var w = el('td', 'nowrap');
      w.appendChild(symbol(p.weapon, p.status, false));
      w.appendChild(document.createTextNode(' ' + weaponText(p)));
      tr.appendChild(w);
      tr.appendChild(el('td', 'status st-' + p.status, STATUS_LABEL[p.status] + (p.disputed.length ? ' · disputed' : '')));
      var td = el('td');
      var btn = el('button', 'focus-incident', 'Show');
      btn.type = 'button';
      btn.setAttribute('aria-label', 'Show the ' + fmtDate(p) + ' ' + WEAPON_LABEL[p.weapon].toLowerCase() + ' attack on ' + targetText(p) + ' on the map');
      btn.addEventListener('click', function () { focusIncident(f.id, true); });
      td.appendChild(btn);
      tr.appendChild(td);
      frag.appendChild(tr);
    });
    if (fc.features.length > LIST_LIMIT) {
      var more = el('tr', 'list-more');
      var td = el('td', null, 'The first ' + LIST_LIMIT + ' incidents by date; narrow the filters or download the data to see the rest.');
      td.colSpan = 5;
      more.appendChild(td);
      frag.appendChild(more);
    }
    tbody.replaceChildren(frag);
    var th = document.querySelector('#incident-list th[aria-sort]');
    th.setAttribute('aria-sort', sortAscending ? 'ascending' : 'descending');
    document.getElementById('sort-date').textContent = 'Date ' + (sortAscending ? '▲' : '▼');
  }

  function isFiltered() { return filterQuery(state).toString() !== ''; }

  function drawCount(n) {
    if (!panelUI) { return; }
    var total = timeline ? timeline.total : n;
    var text = n === total ? n + ' incidents' : n + ' of ' + total + ' incidents';
    if (mode === 'clusters') { text += ' (clustered on the map)'; }
    if (emptySelection(state)) { text = '0 incidents: tick at least one weapon, status and target'; }
    document.getElementById('incident-count').textContent = text;
  }

  // viewQuery is the query of the current view for /embed and the image
  // export: the filters, the layers, the position and the dataset version.
  function viewQuery() {
    var q = filterQuery(state);
    q.set('layers', state.layers.join(',') || 'none');
    if (q.get('layers') === 'none') { q.delete('layers'); }
    q.set('map', [state.zoom, state.lat.toFixed(4), state.lon.toFixed(4)].join('/'));
    q.set('v', cfg.version);
    return q;
  }

  function imageQuery() {
    var q = viewQuery();
    var size = map.getSize();
    q.set('width', String(Math.max(200, Math.min(4000, size.x))));
    q.set('height', String(Math.max(200, Math.min(4000, size.y))));
    return q;
  }

  function drawDownloads() {
    if (!panelUI) { return; }
    var q = filterQuery(state);
    q.set('download', '1');
    document.getElementById('download-incidents').href = '/api/incidents.geojson?' + q.toString();
    document.getElementById('download-csv').href = '/api/incidents.csv?' + q.toString();
    ['png', 'svg', 'pdf'].forEach(function (f) {
      var iq = imageQuery();
      iq.set('download', '1');
      if (f === 'png') { iq.set('scale', '2'); }
      document.getElementById('export-' + f).href = '/api/export/map.' + f + '?' + iq.toString();
    });
    drawEmbedCode();
    var bq = new URLSearchParams(q);
    bq.delete('base');
    document.getElementById('download-bases').href = '/api/bases.geojson?' + bq.toString();
    var rq = new URLSearchParams({ download: '1' });
    if (q.has('base')) { rq.set('base', q.get('base')); }
    document.getElementById('download-rings').href = '/api/rings.geojson?' + rq.toString();
  }

  function focusIncident(id, push) {
    var m = markers[id];
    if (!m) { return; }
    if (state.layers.indexOf('incidents') < 0) {
      state.layers.push('incidents');
      applyingLayers = true; applyLayers(); applyingLayers = false;
    }
    closeDrawerOnPhone();
    map.setView(m.getLatLng(), Math.max(map.getZoom(), 9), { animate: false });
    state.sel = id;
    m.openPopup();
    writeURL(push);
  }

  // ---- the embed dialog ---------------------------------------------------------

  function embedURL() {
    var q = viewQuery();
    if (!document.getElementById('embed-legend').checked) { q.set('legend', '0'); }
    if (!document.getElementById('embed-controls').checked) { q.set('controls', '0'); }
    var title = document.getElementById('embed-title-text').value.trim();
    if (title) { q.set('title', title); }
    return location.origin + '/embed?' + q.toString();
  }

  // drawEmbedCode writes the iframe snippet as text: the textarea's value,
  // never markup in this page.
  function drawEmbedCode() {
    var dialog = document.getElementById('embed-dialog');
    if (!dialog || !dialog.open) { return; }
    var size = (dialog.querySelector('input[name=embed-size]:checked') || {}).value || '800x500';
    var wh = size.split('x');
    var src = embedURL();
    var attr = function (v) { return String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'); };
    var title = document.getElementById('embed-title-text').value.trim() || 'strikemap map';
    document.getElementById('embed-code').value = '<iframe src="' + attr(src) + '" width="' + attr(wh[0]) + '" height="' + attr(wh[1]) +
      '" title="' + attr(title) + '" loading="lazy" style="border:0" allowfullscreen></iframe>';
    document.getElementById('embed-preview').href = src;
    var iq = imageQuery();
    iq.set('width', wh[0] === '100%' ? '1200' : wh[0]);
    iq.set('height', wh[1]);
    if (title) { iq.set('title', title); }
    document.getElementById('embed-image').href = '/api/export/map.png?' + iq.toString();
  }

  if (panelUI) {
    var dialog = document.getElementById('embed-dialog');
    document.getElementById('embed-open').addEventListener('click', function () {
      dialog.showModal();
      document.getElementById('embed-copied').textContent = '';
      drawEmbedCode();
    });
    dialog.addEventListener('change', drawEmbedCode);
    dialog.addEventListener('input', drawEmbedCode);
    document.getElementById('embed-copy').addEventListener('click', function () {
      var code = document.getElementById('embed-code');
      var done = function () { document.getElementById('embed-copied').textContent = 'Copied.'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.value).then(done, function () { code.select(); document.execCommand('copy'); done(); });
      } else {
        code.select();
        document.execCommand('copy');
        done();
      }
    });
  }

  // ---- histogram and play ---------------------------------------------------------

  var timeline = null; // {total, days: [{day, count}]} of the whole dataset
  var DAY = 86400000;
  function dayIndex(d) { return Math.round((Date.parse(d + 'T00:00:00Z') - Date.parse(cfg.first + 'T00:00:00Z')) / DAY); }
  function dayAt(i) { return new Date(Date.parse(cfg.first + 'T00:00:00Z') + i * DAY).toISOString().slice(0, 10); }

  var histBars = [];
  function drawHistogram() {
    if (!panelUI) { return; }
    var n = dayIndex(cfg.last) + 1;
    var counts = new Array(n).fill(0);
    timeline.days.forEach(function (d) {
      var i = dayIndex(d.day);
      if (i >= 0 && i < n) { counts[i] = d.count; }
    });
    var maxCount = Math.max.apply(null, counts.concat([1]));
    var svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + n + ' 40');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'histogram-svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Incidents per day from ' + cfg.first + ' to ' + cfg.last + '; the busiest day has ' + maxCount);
    histBars = [];
    counts.forEach(function (c, i) {
      var r = document.createElementNS(SVGNS, 'rect');
      var h = c ? Math.max(3, 38 * c / maxCount) : 0.6;
      r.setAttribute('x', i + 0.1);
      r.setAttribute('width', 0.8);
      r.setAttribute('y', 40 - h);
      r.setAttribute('height', h);
      var t = document.createElementNS(SVGNS, 'title');
      t.textContent = dayAt(i) + ': ' + c + (c === 1 ? ' incident' : ' incidents');
      r.appendChild(t);
      r.addEventListener('click', function () { stopPlay(); state.from = state.to = dayAt(i); syncForm(); update(true); });
      svg.appendChild(r);
      histBars.push(r);
    });
    var box = document.getElementById('histogram');
    box.replaceChildren(svg);
    var axis = el('div', 'histogram-axis');
    axis.appendChild(el('span', null, cfg.first));
    axis.appendChild(el('span', null, cfg.last));
    box.appendChild(axis);
    markHistogram();
  }

  function markHistogram() {
    if (!panelUI) { return; }
    var a = dayIndex(state.from), b = dayIndex(state.to);
    histBars.forEach(function (r, i) { r.setAttribute('class', i >= a && i <= b ? 'in-range' : 'out-of-range'); });
  }

  var play = null; // {timer, start, end, day}
  function stopPlay() {
    if (!play) { return; }
    clearTimeout(play.timer);
    play = null;
    var b = document.getElementById('play');
    b.textContent = '▶ Play';
    b.setAttribute('aria-pressed', 'false');
  }

  function stepPlay() {
    if (!play) { return; }
    var day = dayAt(play.day);
    state.from = document.getElementById('play-accumulate').checked ? dayAt(play.start) : day;
    state.to = day;
    document.getElementById('play-day').textContent = day;
    syncForm();
    update(false).then(function () {
      if (!play) { return; }
      if (play.day >= play.end) { stopPlay(); writeURL(true); return; }
      play.day++;
      play.timer = setTimeout(stepPlay, PLAY_STEP_MS);
    });
  }

  function togglePlay() {
    if (play) { stopPlay(); writeURL(true); return; }
    var a = dayIndex(state.from), b = dayIndex(state.to);
    if (a === b) { a = 0; b = dayIndex(cfg.last); } // one day shown: play the whole span
    play = { start: a, end: b, day: a, timer: null };
    this.textContent = '❚❚ Pause';
    this.setAttribute('aria-pressed', 'true');
    stepPlay();
  }

  // ---- the form -----------------------------------------------------------

  var form = document.getElementById('filters');
  var panel = document.getElementById('panel');
  var toggle = document.getElementById('filters-toggle');

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }

  function syncForm() {
    if (!panelUI) { return; }
    document.getElementById('filter-from').value = state.from;
    document.getElementById('filter-to').value = state.to;
    form.querySelectorAll('input[name=weapon]').forEach(function (i) { i.checked = state.weapons.indexOf(i.value) >= 0; });
    form.querySelectorAll('input[name=status]').forEach(function (i) { i.checked = state.statuses.indexOf(i.value) >= 0; });
    form.querySelectorAll('input[name=base]').forEach(function (i) { i.checked = state.bases.indexOf(i.value) >= 0; });
  }

  function onFilterChange(e) {
    stopPlay();
    if (e.target.id === 'play-accumulate') { return; }
    var from = document.getElementById('filter-from').value;
    var to = document.getElementById('filter-to').value;
    if (isDate(from)) { state.from = from < cfg.first ? cfg.first : from; }
    if (isDate(to)) { state.to = to > cfg.last ? cfg.last : to; }
    if (state.from > state.to) {
      if (e.target.id === 'filter-from') { state.to = state.from; } else { state.from = state.to; }
    }
    state.weapons = checked('weapon');
    state.statuses = checked('status');
    state.bases = checked('base');
    syncForm();
    update(true);
  }

  function resetFilters() {
    stopPlay();
    var d = defaultState();
    state.from = d.from; state.to = d.to; state.weapons = d.weapons; state.statuses = d.statuses; state.bases = d.bases;
    syncForm();
    update(true);
  }

  function closeDrawerOnPhone() {
    if (panel && panel.classList.contains('open')) {
      panel.classList.remove('open');
      toggle.setAttribute('aria-expanded', 'false');
    }
  }

  if (panelUI) {
    document.getElementById('play').addEventListener('click', togglePlay);
    form.addEventListener('change', onFilterChange);
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    document.getElementById('reset').addEventListener('click', resetFilters);
    document.getElementById('sort-date').addEventListener('click', function () {
      sortAscending = !sortAscending;
      if (lastIncidents) { drawList(lastIncidents); }
    });
    toggle.addEventListener('click', function () {
      var open = !panel.classList.contains('open');
      panel.classList.toggle('open', open);
      toggle.setAttribute('aria-expanded', String(open));
      if (open) { panel.querySelector('input, button').focus(); }
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && panel.classList.contains('open')) { closeDrawerOnPhone(); toggle.focus(); }
    });
  }

  // ---- update cycle -----------------------------------------------------------

  var seq = 0;
  var lastIncidents = null;
  var renders = 0;

  function setBusy(b) { document.body.setAttribute('data-busy', b ? '1' : '0'); }

  // update fetches what the state selects and redraws; responses to an older
  // state are dropped, so fast clicks never show a stale mix.
  function update(push) {
    var my = ++seq;
    setBusy(true);
    markHistogram();
    drawDownloads();
    if (push !== undefined) { writeURL(push); }
    var q = filterQuery(state).toString();
    var none = emptySelection(state);
    var incidents = none ? Promise.resolve({ type: 'FeatureCollection', features: [], numberMatched: 0 }) :
      getJSON('/api/incidents.geojson?limit=' + (POINT_LIMIT + 1) + (q ? '&' + q : ''));
    // Bases are always all drawn; their summaries count what the filters select.
    var bq = filterQuery(state);
    bq.delete('base');
    var bases = getJSON('/api/bases.geojson' + (!none && bq.toString() ? '?' + bq.toString() : '')).then(function (fc) {
      if (none) { fc.features.forEach(function (f) { zeroSummary(f.properties); }); }
      return fc;
    });
    return Promise.all([incidents, bases]).then(function (r) {
      if (my !== seq) { return; }
      // A page of POINT_LIMIT+1 with a next link means more than can be drawn.
      mode = (r[0].features.length > POINT_LIMIT || r[0].next) ? 'clusters' : 'points';
      // Links only for a drawable number of incidents.
      var links = (none || mode === 'clusters') ? Promise.resolve({ type: 'FeatureCollection', features: [] }) : getJSON('/api/links.geojson' + (q ? '?' + q : ''));
      var drawn = mode === 'clusters' ? drawClusters() : Promise.resolve(drawIncidents(r[0]));
      return Promise.all([links, drawn]).then(function (more) {
        r.push(more[0]);
        return r;
      });
    }).then(function (r) {
      if (!r || my !== seq) { return; }
      lastIncidents = r[0];
      drawBases(r[1]);
      drawLinks(r[2]);
      drawList(r[0]);
      drawCount(mode === 'clusters' ? clusterTotal : r[0].features.length);
      document.getElementById('map-error') && document.getElementById('map-error').remove();
      if (state.sel && markers[state.sel] && !markers[state.sel].isPopupOpen()) { markers[state.sel].openPopup(); }
      renders++;
      document.body.setAttribute('data-renders', String(renders));
      if (cfg.embed && window.parent !== window) {
        // Tell the host page what the embed shows (e.g. to size or log it).
        window.parent.postMessage({ type: 'strikemap:rendered', incidents: mode === 'clusters' ? clusterTotal : r[0].features.length, version: cfg.version }, '*');
      }
      setBusy(false);
    }).catch(function (err) {
      if (my !== seq) { return; }
      showError('Could not load the data: ' + err.message);
      setBusy(false);
    });
  }

  // zeroSummary empties a base's counts, for a filter that selects nothing.
  function zeroSummary(p) {
    p.attacks = p.injured = p.killed = p.incidents_injured_unknown = p.incidents_killed_unknown = 0;
    p.first_attack = p.last_attack = null;
    Object.keys(p.by_weapon).forEach(function (k) { p.by_weapon[k] = 0; });
    Object.keys(p.by_status).forEach(function (k) { p.by_status[k] = 0; });
  }

  function showError(msg) {
    var box = document.getElementById('map-error');
    if (!box) {
      box = el('p', 'map-error');
      box.id = 'map-error';
      box.setAttribute('role', 'alert');
      (panel || document.getElementById('map')).prepend(box);
    }
    box.textContent = msg;
  }

  window.addEventListener('popstate', function () {
    stopPlay();
    state = stateFromURL();
    // The tiles failed and never loaded: an older entry's basemap is offline too.
    if (tileState.fellBack && !tileState.loaded && state.basemap === 'tiles') {
      state.basemap = 'offline';
      writeURL(false);
    }
    syncForm();
    applyingLayers = true; applyLayers(); applyingLayers = false;
    map.setView([state.lat, state.lon], state.zoom, { animate: false });
    if (!state.sel) { map.closePopup(); }
    update();
  });

  // ---- start ------------------------------------------------------------------

  syncForm();
  applyingLayers = true; applyLayers(); applyingLayers = false;
  getJSON('/api/basemap.geojson').then(drawBasemap).catch(function (err) { showError('Could not load the offline basemap: ' + err.message); });
  getJSON('/api/rings.geojson').then(drawRings).catch(function (err) { showError('Could not load the range rings: ' + err.message); });
  getJSON('/api/timeline.json').then(function (t) {
    timeline = t;
    drawHistogram();
    return update();
  }).then(function () {
    writeURL(false);
    document.body.setAttribute('data-ready', '1');
  });
})();
