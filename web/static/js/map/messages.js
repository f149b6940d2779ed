// Every user-visible string of the map page's script comes from the
// server's catalog (web/messages/LANG.json, the same one the templates
// use), which arrives in the page's config (script#map-config, as
// "messages": {locale, dir, messages}): the script holds no copy. Vocabulary
// labels (weapons, statuses, source kinds) come from the config too. A
// translation is another catalog file on the server; no module changes.

const empty = { locale: 'en', dir: 'ltr', messages: {} };

// fromPage reads the catalog from the page's config; outside a page (Node's
// tests) there is none until setLocale gives one.
function fromPage() {
  if (typeof document === 'undefined') { return empty; }
  const node = document.getElementById('map-config');
  const cfg = node ? JSON.parse(node.textContent) : null;
  return (cfg && cfg.messages) || empty;
}

let current = fromPage();

// setLocale makes a catalog the one t reads (the server fills a
// translation's missing keys from English).
export function setLocale(catalog) { current = catalog; }
export function locale() { return current.locale; }
export function dir() { return current.dir; }

// fmtNumber writes a count with the locale's digit grouping: 12,345. A
// whole number is written from the catalog's own description of its
// numbers (the server's, so the script writes what the templates do),
// without Intl.NumberFormat: making the first one loads the engine's
// locale data (20 ms in Node here, 55 ms of a 4× throttled page load's
// profile). Anything else goes to Intl, made once per locale.
const numberFormats = new Map();
export function fmtNumber(n) {
  const d = current.numbers;
  if (d && d.digits && d.digits.length === 10 && Number.isSafeInteger(n) && n >= 0) { return grouped(d, n); }
  let f = numberFormats.get(current.locale);
  if (!f) { f = new Intl.NumberFormat(current.locale); numberFormats.set(current.locale, f); }
  return f.format(n);
}

// grouped writes n >= 0 in d's digits, grouped d.primary digits from the
// right, then d.secondary at a time, joined by d.group.
function grouped(d, n) {
  let s = String(n);
  const parts = [];
  if (d.primary > 0 && s.length > d.primary) {
    parts.push(s.slice(-d.primary));
    s = s.slice(0, -d.primary);
    const size = d.secondary > 0 ? d.secondary : d.primary;
    while (s.length > size) {
      parts.unshift(s.slice(-size));
      s = s.slice(0, -size);
    }
  }
  parts.unshift(s);
  return parts.map((p) => p.replace(/[0-9]/g, (c) => d.digits[c])).join(d.group);
}

// fmtDayRange writes a span of days (YYYY-MM-DD, inclusive) the locale's
// way: "Oct 18, 2023 – Jan 28, 2024".
export function fmtDayRange(from, to) {
  const f = new Intl.DateTimeFormat(current.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const d = (s) => new Date(s + 'T00:00:00Z');
  return from === to ? f.format(d(from)) : f.formatRange(d(from), d(to));
}

// has reports whether the catalog has a message key.
export function has(key) { return Boolean(current.messages && current.messages[key]); }

// t returns the message key with {name} replaced by params.name; numbers
// are formatted with fmtNumber, everything else with String.
export function t(key, params) {
  const text = current.messages && current.messages[key];
  if (text === undefined) { throw new Error('no message ' + key); }
  return text.replace(/\{(\w+)\}/g, (m, name) => {
    if (!params || !(name in params)) { return m; }
    const v = params[name];
    return typeof v === 'number' ? fmtNumber(v) : String(v);
  });
}
