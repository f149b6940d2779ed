// The page's state and its URL. Pure functions of the state and the page's
// config (cfg, from the server): no DOM, no globals, so node --test runs them.

// OVERLAYS are the map's overlay layers; DEFAULT_LAYERS those shown at first.
export const OVERLAYS = ['bases', 'incidents', 'rings', 'links', 'density', 'strikes'];
export const DEFAULT_LAYERS = ['bases', 'incidents'];
export const DEFAULT_VIEW = { lat: 34.2, lon: 41.6, zoom: 6 };
// MAX_ZOOM is the deepest zoom a URL may ask for.
export const MAX_ZOOM = 19;

export const words = (terms) => terms.map((t) => t.word);
// baseIDs are the target choices: the bases' ids, and cfg.noBase (the
// API's word for the incidents with no known base) when the data has such
// incidents. All of them ticked is no base filter at all; unticking one
// base keeps every other choice, no known base included.
export const baseIDs = (cfg) => cfg.bases.map((b) => b.id).concat(cfg.noBase ? [cfg.noBase] : []);

// SORTS are the list's orders (the API's sort), the first the default.
export const SORTS = ['date', '-date', 'base', '-base'];
// MAX_PAGE is the last list page a URL may ask for.
export const MAX_PAGE = 1000000;

export function defaultState(cfg) {
  return {
    from: cfg.first, to: cfg.last,
    weapons: words(cfg.weapons), statuses: words(cfg.statuses), bases: baseIDs(cfg),
    layers: DEFAULT_LAYERS.slice(), basemap: cfg.tileUrl ? 'tiles' : 'offline',
    lat: DEFAULT_VIEW.lat, lon: DEFAULT_VIEW.lon, zoom: DEFAULT_VIEW.zoom, sel: '', hasView: false,
    sort: SORTS[0], page: 1 // the list's order and page (from 1)
  };
}

export function isDate(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(Date.parse(s + 'T00:00:00Z')); }

// listParam reads a comma-separated list, keeping only allowed values; an
// absent parameter means all of them, an empty one or "none" none of them.
export function listParam(q, name, allowed) {
  if (!q.has(name)) { return allowed.slice(); }
  const v = q.get(name);
  if (v === '' || v === 'none') { return []; }
  return v.split(',').filter((x, i, a) => allowed.includes(x) && a.indexOf(x) === i);
}

// parseView reads map=z/lat/lon, or returns null when it is not a valid view.
export function parseView(v) {
  const m = (v || '').split('/').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (m.length === 3 && m.every(Number.isFinite) && m[0] >= 0 && m[0] <= MAX_ZOOM && Math.abs(m[1]) <= 90 && Math.abs(m[2]) <= 180) {
    return { zoom: m[0], lat: m[1], lon: m[2] };
  }
  return null;
}

// parseState reads the state from a URL's query string; what is missing or
// invalid takes its default.
export function parseState(search, cfg) {
  const q = new URLSearchParams(search);
  const s = defaultState(cfg);
  if (isDate(q.get('from') || '')) { s.from = q.get('from'); }
  if (isDate(q.get('to') || '')) { s.to = q.get('to'); }
  if (s.from > s.to) { [s.from, s.to] = [s.to, s.from]; }
  s.weapons = listParam(q, 'weapon', words(cfg.weapons));
  s.statuses = listParam(q, 'status', words(cfg.statuses));
  s.bases = listParam(q, 'base', baseIDs(cfg));
  s.layers = q.has('layers') ? listParam(q, 'layers', OVERLAYS) : DEFAULT_LAYERS.slice();
  if (q.get('basemap') === 'offline' || (q.get('basemap') === 'tiles' && cfg.tileUrl)) { s.basemap = q.get('basemap'); }
  const view = parseView(q.get('map'));
  if (view) { Object.assign(s, view); s.hasView = true; }
  s.sel = q.get('sel') || '';
  if (SORTS.includes(q.get('sort'))) { s.sort = q.get('sort'); }
  const page = Number(q.get('page'));
  if (Number.isInteger(page) && page >= 1 && page <= MAX_PAGE) { s.page = page; }
  return s;
}

export function sameSet(a, b) { return a.length === b.length && a.every((x) => b.includes(x)); }

// filterQuery is the API query for the state's filters: only what narrows
// the selection, in a stable order so that equal views share cache entries.
// A group with nothing ticked is "" here: see emptySelection.
export function filterQuery(s, cfg) {
  const q = new URLSearchParams();
  if (s.from !== cfg.first) { q.set('from', s.from); }
  if (s.to !== cfg.last) { q.set('to', s.to); }
  if (!sameSet(s.weapons, words(cfg.weapons))) { q.set('weapon', s.weapons.join(',')); }
  if (!sameSet(s.statuses, words(cfg.statuses))) { q.set('status', s.statuses.join(',')); }
  if (!sameSet(s.bases, baseIDs(cfg))) { q.set('base', s.bases.join(',')); }
  // A page showing an old version of the record asks for that version.
  if (cfg.asOf) { q.set('as_of', cfg.asOf); }
  return q;
}

// emptySelection reports whether a filter group has nothing ticked, which
// selects no incident at all (the API has no way to say "none").
export function emptySelection(s) { return !s.weapons.length || !s.statuses.length || !s.bases.length; }

// queryString writes a query (URLSearchParams, or anything it takes) as a
// URL's query without the "?": as URLSearchParams does, but with "/", ","
// and ":" left as they are, so that a link reads map=9/33.8/42.44 and
// weapon=drone,rocket. They need no escaping in a query (RFC 3986, 3.4);
// "&", "=", "#", "+", "%", spaces and non-ASCII still are escaped. Every "%"
// of URLSearchParams' output starts an escape (a "%" of a value is %25), so
// only the three escapes themselves are turned back.
const PLAIN = { '%2F': '/', '%2C': ',', '%3A': ':' };
export function queryString(q) {
  const s = (q instanceof URLSearchParams ? q : new URLSearchParams(q)).toString();
  return s.replace(/%(2F|2C|3A)/g, (m) => PLAIN[m]);
}

// viewParam writes a view as map=z/lat/lon, to 4 decimals (about 10 m).
export function viewParam(s) { return [s.zoom, s.lat.toFixed(4), s.lon.toFixed(4)].join('/'); }

// stateQuery is filterQuery with an empty group written "none", which the
// page reads back as nothing ticked.
function stateQuery(s, cfg) {
  const q = filterQuery(s, cfg);
  ['weapon', 'status', 'base'].forEach((k) => { if (q.get(k) === '') { q.set(k, 'none'); } });
  return q;
}

// pageQuery is the map page's URL query: the whole state, the list's order
// and page included (an embed's and the downloads' queries leave them out).
export function pageQuery(s, cfg) {
  const q = stateQuery(s, cfg);
  if (!sameSet(s.layers, DEFAULT_LAYERS)) { q.set('layers', s.layers.join(',') || 'none'); }
  if (s.basemap !== defaultState(cfg).basemap) { q.set('basemap', s.basemap); }
  if (s.sort !== SORTS[0]) { q.set('sort', s.sort); }
  if (s.page > 1) { q.set('page', String(s.page)); }
  q.set('map', viewParam(s));
  if (s.sel) { q.set('sel', s.sel); }
  return q;
}

// viewQuery is the query of the current view for /embed and the image
// export: the filters, the layers, the position and the dataset version.
// With a record (-db) the version is pinned (as_of=N): the embed shows the
// data it was made from for ever. With files, v= names the version, and a
// changed dataset is said rather than shown as it was.
export function viewQuery(s, cfg) {
  const q = stateQuery(s, cfg);
  if (s.layers.length) { q.set('layers', s.layers.join(',')); }
  q.set('map', viewParam(s));
  if (cfg.record) { q.set('as_of', cfg.asOf || String(cfg.record)); } else { q.set('v', cfg.version); }
  return q;
}

// DAY is a day in milliseconds.
export const DAY = 86400000;
export function dayIndex(cfg, d) { return Math.round((Date.parse(d + 'T00:00:00Z') - Date.parse(cfg.first + 'T00:00:00Z')) / DAY); }
export function dayAt(cfg, i) { return new Date(Date.parse(cfg.first + 'T00:00:00Z') + i * DAY).toISOString().slice(0, 10); }
