// Unit tests of the map page's URL state: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryString, parseState, pageQuery, filterQuery, viewQuery, defaultState, emptySelection, parseView, dayIndex, dayAt } from '../static/js/map/state.js';

const cfg = {
  first: '2023-10-17', last: '2023-10-27', version: 'abc123', tileUrl: '',
  weapons: [{ word: 'drone', label: 'Drone' }, { word: 'rocket', label: 'Rocket' }, { word: 'missile', label: 'Missile' }, { word: 'unknown', label: 'Unknown weapon' }],
  statuses: [{ word: 'confirmed', label: 'Confirmed' }, { word: 'reported', label: 'Reported' }, { word: 'claimed', label: 'Claimed' }],
  bases: [{ id: 'ain-al-asad', name: 'Ain al-Asad' }, { id: 'harir', name: 'Harir' }, { id: 'al-tanf', name: 'Al-Tanf' }]
};

// roundTrip writes a state as the page's URL and reads it back.
const roundTrip = (s) => parseState('?' + pageQuery(s, cfg).toString(), cfg);

test('parse ∘ serialise is the identity for valid states', () => {
  const states = [
    defaultState(cfg),
    { ...defaultState(cfg), from: '2023-10-18', to: '2023-10-18', weapons: ['rocket'], statuses: ['claimed', 'reported'], bases: ['harir'] },
    { ...defaultState(cfg), weapons: [], statuses: [], bases: [], layers: [], basemap: 'offline' },
    { ...defaultState(cfg), layers: ['rings', 'links'], lat: -12.3456, lon: 179.9999, zoom: 19, sel: '2023-10-18-harir-drone' },
    { ...defaultState(cfg), lat: 0, lon: -180, zoom: 0 },
    { ...defaultState(cfg), sort: '-date', page: 3 },
    { ...defaultState(cfg), sort: 'base', page: 1 },
    { ...defaultState(cfg), sort: '-base', page: 1000000 }
  ];
  for (const s of states) {
    const want = { ...s, hasView: true };
    assert.deepEqual(roundTrip(s), want, pageQuery(s, cfg).toString());
  }
});

test('an empty list is "none" in the URL and nothing ticked after it', () => {
  const s = { ...defaultState(cfg), weapons: [] };
  assert.equal(pageQuery(s, cfg).get('weapon'), 'none');
  assert.deepEqual(parseState('?weapon=none', cfg).weapons, []);
  assert.deepEqual(parseState('?weapon=', cfg).weapons, []);
  assert.equal(emptySelection(parseState('?base=none', cfg)), true);
  assert.equal(emptySelection(parseState('', cfg)), false);
  assert.equal(viewQuery(s, cfg).get('weapon'), 'none');
});

test('invalid parameters fall back to their defaults', () => {
  const d = defaultState(cfg);
  const s = parseState('?from=2023-13-45&to=yesterday&weapon=drones,rocket,rocket&status=bogus&base=nowhere,harir&layers=rings,sea&basemap=tiles&map=25/10/10&sel=', cfg);
  assert.equal(s.from, d.from);
  assert.equal(s.to, d.to);
  assert.deepEqual(s.weapons, ['rocket']);
  assert.deepEqual(s.statuses, []);
  assert.deepEqual(s.bases, ['harir']);
  assert.deepEqual(s.layers, ['rings']);
  assert.equal(s.basemap, 'offline', 'no tiles configured');
  assert.deepEqual([s.zoom, s.lat, s.lon, s.hasView], [d.zoom, d.lat, d.lon, false]);
  for (const v of ['', '6/34', '6/34/41/2', 'a/b/c', '6//41', '-1/0/0', '6/91/0', '6/0/181', '6/Infinity/0']) {
    assert.equal(parseView(v), null, v);
  }
  assert.deepEqual(parseView('6.5/33.9/-42.1'), { zoom: 6.5, lat: 33.9, lon: -42.1 });
});

test('dates given backwards are swapped', () => {
  const s = parseState('?from=2023-10-25&to=2023-10-19', cfg);
  assert.deepEqual([s.from, s.to], ['2023-10-19', '2023-10-25']);
});

test('the filter query holds only what narrows the selection, in a stable order', () => {
  assert.equal(filterQuery(defaultState(cfg), cfg).toString(), '');
  const s = { ...defaultState(cfg), from: '2023-10-19', weapons: ['rocket', 'drone'], statuses: ['reported', 'confirmed', 'claimed'], bases: ['harir', 'al-tanf'] };
  assert.equal(filterQuery(s, cfg).toString(), 'from=2023-10-19&weapon=rocket%2Cdrone&base=harir%2Cal-tanf');
  // Every weapon, in any order, is no filter at all.
  assert.equal(filterQuery({ ...defaultState(cfg), weapons: ['unknown', 'missile', 'rocket', 'drone'] }, cfg).toString(), '');
});

test('the view query names the view, the layers and the dataset version', () => {
  const s = { ...defaultState(cfg), zoom: 7, lat: 33.12346, lon: 42.98765, layers: ['bases', 'rings'] };
  const q = viewQuery(s, cfg);
  assert.equal(q.get('map'), '7/33.1235/42.9877');
  assert.equal(q.get('layers'), 'bases,rings');
  assert.equal(q.get('v'), 'abc123');
  assert.equal(viewQuery({ ...s, layers: [] }, cfg).has('layers'), false);
});

test('days count from the first day of the data', () => {
  assert.equal(dayIndex(cfg, '2023-10-17'), 0);
  assert.equal(dayIndex(cfg, '2023-10-27'), 10);
  assert.equal(dayAt(cfg, 10), '2023-10-27');
  assert.equal(dayAt(cfg, dayIndex(cfg, '2023-10-20')), '2023-10-20');
});

test("the list's order and page are in the page's URL, not in an embed's or a download's", () => {
  const s = { ...defaultState(cfg), sort: '-date', page: 4 };
  const q = pageQuery(s, cfg);
  assert.equal(q.get('sort'), '-date');
  assert.equal(q.get('page'), '4');
  // The defaults are left out.
  assert.equal(pageQuery(defaultState(cfg), cfg).has('sort'), false);
  assert.equal(pageQuery(defaultState(cfg), cfg).has('page'), false);
  for (const k of ['sort', 'page']) {
    assert.equal(viewQuery(s, cfg).has(k), false, k);
    assert.equal(filterQuery(s, cfg).has(k), false, k);
  }
  // What is not an order or a page is the default.
  for (const bad of ['?sort=id&page=0', '?sort=-&page=-2', '?sort=DATE&page=2.5', '?page=1e9', '?page=abc', '?page=']) {
    const b = parseState(bad, cfg);
    assert.deepEqual([b.sort, b.page], ['date', 1], bad);
  }
});

test('queryString writes "/", "," and ":" as they are, and reads back every value', () => {
  const s = { ...defaultState(cfg), weapons: ['drone', 'rocket'], lat: 33.8, lon: 42.44, zoom: 9 };
  const qs = queryString(pageQuery(s, cfg));
  assert.match(qs, /(^|&)map=9\/33\.8000\/42\.4400(&|$)/);
  assert.match(qs, /(^|&)weapon=drone,rocket(&|$)/);
  assert.doesNotMatch(qs, /%2F|%2C|%3A/i);
  assert.deepEqual(parseState('?' + qs, cfg), { ...s, hasView: true });
  // Hostile values: what a query must still escape, escapes written as
  // text, and the three characters left plain, side by side.
  const hostile = ['a&b=c', '#frag', '1+1 = 2', '100%', '%2F', '%252C', '%3a', 'a/b,c:d', '/,:', 'é ü 漢字 🙂',
    '?x=y&z', "'\"<>`", '\u0000\t\n', '+%2B+', '%', '%%2F', 'a%2', ''];
  for (const v of hostile) {
    const q = new URLSearchParams();
    q.set('title', v);
    q.set(v || 'k', 'x');
    const out = queryString(q);
    // Never a raw separator or fragment from a value, nor a space.
    assert.doesNotMatch(out.replace(/^title=/, ''), /#| /, JSON.stringify(v));
    assert.equal(out.split('&').length, 2, JSON.stringify(v) + ' -> ' + out);
    const back = new URLSearchParams(out);
    assert.equal(back.get('title'), v, JSON.stringify(v) + ' -> ' + out);
    assert.equal(back.get(v || 'k'), 'x', JSON.stringify(v) + ' -> ' + out);
    // The URL a browser makes of it keeps the value too.
    assert.equal(new URL('http://h/?' + out).searchParams.get('title'), v);
  }
  // A string or a record is taken as URLSearchParams takes it.
  assert.equal(queryString('?map=1%2F2%2F3&t=%26'), 'map=1/2/3&t=%26');
  assert.equal(queryString({ a: 'x/y', b: 'é' }), 'a=x/y&b=%C3%A9');
});
