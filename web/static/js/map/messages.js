// Every user-visible string of the map page's script, in one catalog.
// Vocabulary labels (weapons, statuses, source kinds) come from the server's
// config instead. A translation is another catalog with the same keys and a
// locale (and dir: 'rtl' for Arabic or Kurdish): setLocale swaps both, and
// no other module changes.

const en = {
  locale: 'en',
  dir: 'ltr',
  messages: {
    'open-in-strikemap': 'Open in strikemap ↗',
    'basemap-attribution': 'Basemap: Natural Earth',
    'data-attribution': 'Data: strikemap, sources on each incident',
    'layer.tiles': 'Map tiles',
    'layer.offline': 'Offline basemap (Natural Earth)',
    'layer.bases': 'Bases',
    'layer.incidents': 'Incidents',
    'layer.rings': 'Range rings',
    'layer.links': 'Incident links',
    'layer.density': 'Density (incidents per hexagon)',
    'layer.strikes': 'US strikes in response',
    'official-count': 'The Pentagon counted {qualifier}{count} attacks on US forces in {scope} by {date}; this map holds {mapped} there by then.',
    'official-count-before': 'The Pentagon’s first count, {qualifier}{count} attacks in {scope} by {date}, comes after this range; this map holds {mapped} there by then.',
    'official-count-source': 'Source: {publisher}',
    'official-count-none': 'No official count is known for this dataset: the map may not hold every attack.',
    'qualifier.exact': '',
    'qualifier.at_least': 'at least ',
    'qualifier.more_than': 'more than ',
    'qualifier.about': 'about ',
    'qualifier.nearly': 'nearly ',
    'official-strip-label': 'The Pentagon’s running count of attacks (dark steps) and the incidents this map holds by the same days (light steps), {first} to {last}',
    'official-mark': '{date}: the Pentagon counted {qualifier}{count}; the map holds {mapped}',
    'strikes-failed': 'The strikes could not be loaded: {error}',
    'strike-title': 'US strike: {target}',
    'strike-place': '{place} ({precision})',
    'strike-response-to': 'In response to: ',
    'strike-killed': 'Killed: {killed}',
    'tiles-failed': 'Map tiles could not be loaded; showing the offline basemap.',
    'dismiss-notice': 'Dismiss this notice',
    'date-span': '{from} to {to}',
    'unknown-number': 'unknown',
    'times': '{weapon}\u00a0×\u00a0{count}',
    'no-known-base': 'no known base',
    'incident-title': '{weapon} attack on {target}',
    'field.date': 'Date',
    'field.weapon': 'Weapon',
    'field.target': 'Target',
    'field.outcome': 'Outcome',
    'field.injured': 'Injured',
    'field.killed': 'Killed',
    'field.status': 'Status',
    'field.claimed-by': 'Claimed by',
    'field.confirmed-by': 'Confirmed by',
    'field.disputed': 'Disputed',
    // The incident properties sources may disagree on (geo.DisputableFields).
    'disputed.date': 'date',
    'disputed.weapon': 'weapon',
    'disputed.count': 'how many',
    'disputed.base': 'target',
    'disputed.outcome': 'outcome',
    'disputed.injured': 'injured',
    'disputed.killed': 'killed',
    'disputed.claimed_by': 'who claimed it',
    'disputed.location': 'location',
    'list-sep': ', ',
    'located': '{target} (located {precision})',
    'sources': 'Sources ({count})',
    'permalink': 'Permalink and printable page',
    'aliases': 'Also: {aliases}',
    'field.attacks': 'Attacks',
    'with-filters': '{count} (with the current filters)',
    'field.by-weapon': 'By weapon',
    'field.by-status': 'By status',
    'term-count': '{label} {count}',
    'none': 'none',
    'field.first-attack': 'First attack',
    'field.last-attack': 'Last attack',
    'known-with-unknown': '{count} known ({unknown} attacks with no figure)',
    'field.codes': 'Codes',
    'field.location': 'Location',
    'location-of': '{lat}, {lon} — ',
    'only-this-base': 'Show only attacks on this base',
    'base-report': 'Report on this base',
    'incident-marker': '{date}: {status} {weapon} attack on {target}',
    'clusters-on-map': 'Clusters on the map',
    'cluster-button': '{count} incidents: zoom in',
    'cluster-near': 'Near {place}: {count} incidents',
    'cluster-from': '{km} km from {place}: {count} incidents',
    'base-marker': '{name}: {count} attacks',
    'stack-marker': '{count} incidents here, on {target}: show them one by one',
    'ring-radius': '{km} km',
    'disputed-suffix': '{status} · disputed',
    'show': 'Show',
    'show-label': 'Show the {date} {weapon} attack on {target} on the map',
    'date-to': 'to {date}',
    'sort.date': 'Date',
    'sort.date.asc': 'Date ▲',
    'sort.date.desc': 'Date ▼',
    'sort.base': 'Target',
    'sort.base.asc': 'Target ▲',
    'sort.base.desc': 'Target ▼',
    'list-range': '{first}–{last} of {total}',
    'list-range-in-view': '{first}–{last} of {total} in the map’s view',
    'list-none': 'No incident matches the filters.',
    'list-none-in-view': 'No incident in the map’s view: zoom out, or untick “Only what the map shows”.',
    'count-all': '{count} incidents',
    'count-some': '{count} of {total} incidents',
    'count-clustered': ' (clustered on the map)',
    'count-none': '0 incidents: tick at least one weapon, status and target',
    'downloads-none': 'Nothing is selected, so there is nothing to download: tick at least one weapon, status and target.',
    'embed-title-default': 'strikemap map',
    'caption-sep': ' · ',
    'caption.weapons': 'weapon: {list}',
    'caption.statuses': 'status: {list}',
    'caption.targets': 'target: {list}',
    'caption.targets-some': '{count} of {total} targets',
    'caption.nothing': 'nothing selected',
    'caption.count-one': '1 incident',
    'caption.version': 'data version {version}',
    'copied': 'Copied.',
    'histogram-label': 'Incidents per {unit} from {first} to {last}; the busiest {unit} has {max}. Drag across it, or set the dates below, to choose a range.',
    'unit.day': 'day',
    'unit.week': 'week',
    'unit.month': 'month',
    'unit.quarter': 'quarter',
    'unit.year': 'year',
    'bin-count-one': '{dates}: {count} incident',
    'bin-count': '{dates}: {count} incidents',
    'gap': 'No incidents from {from} to {to} ({days} days): left out of the axis',
    'frame-paused': '{dates} (paused)',
    'play': '▶ Play',
    'pause': '❚❚ Pause',
    'resume': '▶ Resume',
    'load-failed': 'Could not load the data: {error}',
    'basemap-failed': 'Could not load the offline basemap: {error}',
    'rings-failed': 'Could not load the range rings: {error}',
    'http-error': 'HTTP {status} for {url}'
  }
};

let current = en;

// setLocale makes a catalog the one t reads (missing keys fall back to English).
export function setLocale(catalog) { current = catalog; }
export function locale() { return current.locale; }
export function dir() { return current.dir; }

// fmtNumber writes a count with the locale's digit grouping: 12,345.
export function fmtNumber(n) { return new Intl.NumberFormat(current.locale).format(n); }

// fmtDayRange writes a span of days (YYYY-MM-DD, inclusive) the locale's
// way: "Oct 18, 2023 – Jan 28, 2024".
export function fmtDayRange(from, to) {
  const f = new Intl.DateTimeFormat(current.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const d = (s) => new Date(s + 'T00:00:00Z');
  return from === to ? f.format(d(from)) : f.formatRange(d(from), d(to));
}

// has reports whether the catalog (or English) has a message key.
export function has(key) { return Boolean((current.messages && current.messages[key]) || en.messages[key]); }

// t returns the message key with {name} replaced by params.name; numbers
// are formatted with fmtNumber, everything else with String.
export function t(key, params) {
  const text = (current.messages && current.messages[key]) || en.messages[key];
  if (text === undefined) { throw new Error('no message ' + key); }
  return text.replace(/\{(\w+)\}/g, (m, name) => {
    if (!params || !(name in params)) { return m; }
    const v = params[name];
    return typeof v === 'number' ? fmtNumber(v) : String(v);
  });
}
