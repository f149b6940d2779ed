// strikemap's map page: wires the modules together. Data arrives as
// GeoJSON from the server's API and goes into the page with textContent and
// DOM nodes only (never innerHTML), so a strict Content-Security-Policy
// holds and text from the data cannot become markup. The page's whole
// state lives in its URL; the server's vocabulary and thresholds arrive in
// the config.
import { getJSON, isStale, latest, pinVersion } from './api.js';
import { t } from './messages.js';
import { el } from './dom.js';
import { parseState, defaultState, filterQuery, pageQuery, emptySelection, isDate, queryString } from './state.js';
import { labels } from './text.js';
import { createMap, applyLayers, drawIncidents, drawClusters, loadClusters, paintClusters, drawBases, drawLinks, drawRings, drawBasemap, drawDensity } from './layers.js';
import { createTimeline } from './timeline.js';
import { createList } from './list.js';
import { createEmbed } from './embed.js';
import { createMapLabels } from './maplabels.js';
import { incidentPopup } from './popups.js';
import { createOfficialCounts } from './officialcounts.js';
import { createStrikes } from './strikes.js';
import { createLive } from './live.js';

const L = window.L;

const cfg = JSON.parse(document.getElementById('map-config').textContent);
pinVersion(cfg.asOf);
// The current data's page offers new versions as they come; a page or an
// embed showing a version keeps showing it.
if (cfg.live && !cfg.asOf && !cfg.embed) { createLive(cfg); }

// app is the page: its state and the parts that read and change it.
const app = {
  cfg,
  labels: labels(cfg),
  state: parseState(location.search, cfg),
  // An embed (/embed, in an iframe) is the map alone: no panel, and the
  // iframe's URL is left alone so the host page's history is not touched.
  panelUI: !cfg.embed,
  mode: 'points',
  applyingLayers: false
};

const form = document.getElementById('filters');
const panel = document.getElementById('panel');
const toggle = document.getElementById('filters-toggle');

// syncView makes the state's view the map's: the URL, the embed code and
// the image links then describe exactly what is shown, whatever Leaflet did
// to the asked view (framing the bases, snapping the zoom).
function syncView() {
  const c = app.map.getCenter();
  app.state.lat = c.lat; app.state.lon = c.lng; app.state.zoom = app.map.getZoom();
}

// A page at an old version links to the same view of the current data
// (#asof-current): kept to the view as it changes, without the version.
const currentLink = document.getElementById('asof-current');
function syncCurrentLink() {
  if (!currentLink) { return; }
  const q = pageQuery(app.state, cfg);
  q.delete('as_of');
  const s = queryString(q);
  currentLink.href = '/' + (s ? '?' + s : '');
}

app.writeURL = function (push) {
  if (!app.panelUI) { return; }
  syncCurrentLink();
  const url = location.pathname + '?' + queryString(pageQuery(app.state, cfg));
  if (url === location.pathname + location.search) { return; }
  if (push) { history.pushState(null, '', url); } else { history.replaceState(null, '', url); }
};
// shown is the state the map draws: the state itself, or, while play runs
// or is paused, the state with play's frame for dates.
app.frame = null;
app.shown = () => (app.frame ? { ...app.state, from: app.frame.from, to: app.frame.to } : app.state);
// busy is what is loading: the map ('map') and the list ('list') load
// apart, and the page is settled when neither is.
const busy = { map: false, list: false };
app.setBusy = (b, part = 'map') => {
  busy[part] = b;
  document.body.setAttribute('data-busy', busy.map || busy.list ? '1' : '0');
};
app.isFiltered = () => filterQuery(app.state, cfg).toString() !== '';
// drawerClosed is true on a phone while the panel, a drawer over the map,
// is closed: it is not drawn then (its content-visibility), and what only
// it shows (the histogram, the list) is drawn when it opens (shown).
app.drawerClosed = () => !!panel && !panel.classList.contains('open') && getComputedStyle(panel).position === 'fixed';

const map = createMap(app);
app.mapLabels = createMapLabels(app);
syncView();
const timeline = createTimeline(app);
const list = createList(app);
const embed = createEmbed(app);
const officialCounts = createOfficialCounts(app);
const strikes = createStrikes(app);

map.on('moveend', () => {
  syncView();
  app.writeURL(false);
  embed.drawDownloads();
  if (document.body.getAttribute('data-ready') !== '1') { return; }
  if (app.mode === 'clusters') { drawClusters(app); }
  list.moved();
});

// ---- the form ----------------------------------------------------------

function checked(name) {
  return Array.from(form.querySelectorAll('input[name="' + name + '"]')).filter((i) => i.checked).map((i) => i.value);
}

app.syncForm = function () {
  if (!app.panelUI) { return; }
  const s = app.state;
  document.getElementById('filter-from').value = s.from;
  document.getElementById('filter-to').value = s.to;
  form.querySelectorAll('input[name=weapon]').forEach((i) => { i.checked = s.weapons.includes(i.value); });
  form.querySelectorAll('input[name=status]').forEach((i) => { i.checked = s.statuses.includes(i.value); });
  form.querySelectorAll('input[name=base]').forEach((i) => { i.checked = s.bases.includes(i.value); });
};

function onFilterChange(e) {
  // Play's own options change play in place.
  if (e.target.closest('.play-options')) { timeline.optionsChanged(e); return; }
  timeline.stop();
  const s = app.state;
  const from = document.getElementById('filter-from').value;
  const to = document.getElementById('filter-to').value;
  if (isDate(from)) { s.from = from < cfg.first ? cfg.first : from; }
  if (isDate(to)) { s.to = to > cfg.last ? cfg.last : to; }
  if (s.from > s.to) {
    if (e.target.id === 'filter-from') { s.to = s.from; } else { s.from = s.to; }
  }
  s.weapons = checked('weapon');
  s.statuses = checked('status');
  s.bases = checked('base');
  app.syncForm();
  app.update(true);
}

function resetFilters() {
  timeline.stop();
  const d = defaultState(cfg);
  Object.assign(app.state, { from: d.from, to: d.to, weapons: d.weapons, statuses: d.statuses, bases: d.bases });
  app.syncForm();
  app.update(true);
}

function closeDrawerOnPhone() {
  if (panel && panel.classList.contains('open')) {
    panel.classList.remove('open');
    toggle.setAttribute('aria-expanded', 'false');
  }
}

app.onlyBase = function (id) {
  app.state.bases = [id];
  app.syncForm();
  app.update(true);
};

// focusIncident zooms to an incident and opens it. f, the incident's
// feature, is for when it has no marker of its own: in cluster mode it may
// be inside a cluster, so its popup opens on its own at its place.
app.focusIncident = function (id, push, f) {
  const m = app.markers[id];
  if (!m && !f) { return; }
  if (!app.state.layers.includes('incidents')) {
    app.state.layers.push('incidents');
    applyLayers(app);
  }
  closeDrawerOnPhone();
  const at = m ? m.getLatLng() : L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
  list.quietly(() => map.setView(at, Math.max(map.getZoom(), 9), { animate: false }));
  app.state.sel = id;
  if (m) {
    m.openPopup();
  } else {
    const popup = L.popup({ maxWidth: 360, minWidth: 260, maxHeight: 380, autoPanPadding: [20, 20] })
      .setLatLng(at).setContent(incidentPopup(app, f)).openOn(map);
    popup.on('remove', () => { if (app.state.sel === id) { app.state.sel = ''; app.writeURL(true); } });
  }
  app.writeURL(push);
};

if (app.panelUI) {
  form.addEventListener('change', onFilterChange);
  form.addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('reset').addEventListener('click', resetFilters);
  toggle.addEventListener('click', () => {
    const open = !panel.classList.contains('open');
    panel.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open) { timeline.shown(); list.shown(); panel.querySelector('input, button').focus(); }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && panel.classList.contains('open')) { closeDrawerOnPhone(); toggle.focus(); }
  });
  // The drawer's own close button, and a tap on the map beside it, close it.
  document.getElementById('drawer-close').addEventListener('click', () => { closeDrawerOnPhone(); toggle.focus(); });
  document.getElementById('map').addEventListener('pointerdown', closeDrawerOnPhone, true);
}

// ---- update cycle -------------------------------------------------------

let seq = 0;
let renders = 0;
const total = cfg.total; // incidents in the whole dataset

// zeroSummary empties a base's counts, for a filter that selects nothing.
function zeroSummary(p) {
  p.attacks = p.injured = p.killed = p.incidents_injured_unknown = p.incidents_killed_unknown = 0;
  p.first_attack = p.last_attack = null;
  Object.keys(p.by_weapon).forEach((k) => { p.by_weapon[k] = 0; });
  Object.keys(p.by_status).forEach((k) => { p.by_status[k] = 0; });
}

app.showError = showError;
function showError(msg) {
  let box = document.getElementById('map-error');
  if (!box) {
    box = el('p', 'map-error');
    box.id = 'map-error';
    box.setAttribute('role', 'alert');
    (panel || document.getElementById('map')).prepend(box);
  }
  box.textContent = msg;
}

// update fetches what the state selects and redraws; responses to an older
// state are dropped (and their requests aborted), so fast clicks never show
// a stale mix nor queue downloads no one will see.
//
// Which way the incidents are drawn depends on how many match: a dataset
// no larger than pointLimit is always drawn as points, in one request. A
// larger one asks for the clusters in view first, whose answer counts
// every match (numberMatched): only when that count is drawable does it
// fetch the incidents themselves. (Asking for pointLimit+1 incidents to
// learn that there are more downloaded 4 MB at every click at 1M.)
const updateSignal = latest();
app.update = function (push) {
  const my = ++seq;
  const signal = updateSignal();
  const state = app.shown();
  app.setBusy(true);
  app.mapLabels.hold();
  timeline.mark();
  embed.drawDownloads();
  if (push !== undefined) {
    // A new choice: the list starts again from its first page.
    app.state.page = 1;
    app.writeURL(push);
  }
  const q = queryString(filterQuery(state, cfg));
  const none = emptySelection(state);
  const noFeatures = { type: 'FeatureCollection', features: [], numberMatched: 0 };
  const getIncidents = () => getJSON('/api/incidents.geojson?limit=' + (cfg.pointLimit + 1) + (q ? '&' + q : ''), signal);
  let incidents;
  if (none) {
    app.mode = 'points';
    incidents = Promise.resolve(noFeatures);
  } else if (cfg.total <= cfg.pointLimit || app.map.getZoom() > cfg.clusterMaxZoom) {
    incidents = getIncidents();
  } else {
    app.mode = 'clusters';
    incidents = loadClusters(app).then((fc) => {
      // Null: stale. If this update is still the latest, a move of the map
      // asked for the clusters of the new view meanwhile, and draws them.
      if (!fc) { return my === seq ? { clusters: null } : null; }
      if (fc.numberMatched > cfg.pointLimit) { return { clusters: fc }; }
      return getIncidents();
    });
  }
  // Bases are always all drawn; their summaries count what the filters select.
  const bq = filterQuery(state, cfg);
  bq.delete('base');
  const bases = getJSON('/api/bases.geojson' + (!none && bq.toString() ? '?' + queryString(bq) : ''), signal).then((fc) => {
    if (none) { fc.features.forEach((f) => zeroSummary(f.properties)); }
    return fc;
  });
  return Promise.all([incidents, bases]).then((r) => {
    if (my !== seq || !r[0]) { return null; }
    let drawn;
    if (r[0].clusters !== undefined) {
      app.mode = 'clusters';
      if (r[0].clusters) { paintClusters(app, r[0].clusters); }
      r[0] = noFeatures;
      drawn = Promise.resolve();
    } else {
      // A page of pointLimit+1 with a next link means more than can be drawn.
      app.mode = (r[0].features.length > cfg.pointLimit || r[0].next) ? 'clusters' : 'points';
      drawn = app.mode === 'clusters' ? drawClusters(app) : Promise.resolve(drawIncidents(app, r[0]));
    }
    // Links only for a drawable number of incidents.
    const links = (none || app.mode === 'clusters') ? Promise.resolve({ type: 'FeatureCollection', features: [] }) : getJSON('/api/links.geojson' + (q ? '?' + q : ''), signal);
    return Promise.all([links, drawn, drawDensity(app)]).then((more) => r.concat([more[0]]));
  }).then((r) => {
    if (!r || my !== seq) { return; }
    const [inc, bfc, lfc] = r;
    drawBases(app, bfc);
    drawLinks(app, lfc);
    const n = app.mode === 'clusters' ? app.clusterTotal : inc.features.length;
    list.drawCount(n, total);
    officialCounts.update();
    strikes.update();
    const err = document.getElementById('map-error');
    if (err) { err.remove(); }
    const sel = app.markers[state.sel];
    if (state.sel && sel && !sel.isPopupOpen()) { sel.openPopup(); }
    list.load();
    renders++;
    document.body.setAttribute('data-renders', String(renders));
    embed.drawEmbed(n, inc.features);
    app.mapLabels.release();
    app.setBusy(false);
  }).catch((err) => {
    if (my !== seq || isStale(err)) { return; }
    app.mapLabels.release();
    showError(t('load-failed', { error: err.message }));
    app.setBusy(false);
  });
};

window.addEventListener('popstate', () => {
  timeline.stop();
  app.state = parseState(location.search, cfg);
  // The tiles failed and never loaded: an older entry's basemap is offline too.
  if (app.tileState.fellBack && !app.tileState.loaded && app.state.basemap === 'tiles') {
    app.state.basemap = 'offline';
    app.writeURL(false);
  }
  app.syncForm();
  applyLayers(app);
  // The entry's list page stays: the list does not follow this move.
  list.quietly(() => map.setView([app.state.lat, app.state.lon], app.state.zoom, { animate: false }));
  syncView();
  if (!app.state.sel) { map.closePopup(); }
  app.update();
});

// ---- start ----------------------------------------------------------------

app.syncForm();
applyLayers(app);
getJSON('/api/basemap.geojson').then((fc) => drawBasemap(app, fc)).catch((err) => showError(t('basemap-failed', { error: err.message })));
getJSON('/api/rings.geojson').then((fc) => drawRings(app, fc)).catch((err) => showError(t('rings-failed', { error: err.message })));
// The histogram and the map load side by side: neither waits for the other.
Promise.all([
  getJSON('/api/timeline.json').then((tl) => {
    timeline.draw(tl);
    officialCounts.draw(tl);
  }),
  app.update()
]).then(() => {
  app.writeURL(false);
  document.body.setAttribute('data-ready', '1');
  // For bench/render, which reads when this happened from the page's own clock.
  performance.mark('data-ready');
});
