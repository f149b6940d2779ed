// Unit tests of the incident list's pure parts and the "no known base"
// target choice in the URL state: node --test web/jstest/
import './english.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSort, pageRange } from '../static/js/map/list.js';
import { parseState, pageQuery, filterQuery, defaultState } from '../static/js/map/state.js';

const cfg = {
  first: '2023-10-17', last: '2023-10-27', version: 'abc123', tileUrl: '', noBase: '-',
  weapons: [{ word: 'drone', label: 'Drone' }], statuses: [{ word: 'confirmed', label: 'Confirmed' }],
  bases: [{ id: 'ain-al-asad', name: 'Ain al-Asad' }, { id: 'harir', name: 'Harir' }]
};

test('a header click sorts by its column, then reverses it', () => {
  assert.equal(nextSort('date', 'date'), '-date');
  assert.equal(nextSort('-date', 'date'), 'date');
  assert.equal(nextSort('-date', 'base'), 'base');
});

test('the list says which rows it holds', () => {
  assert.equal(pageRange(0, 500, 200000, false), '1–500 of 200,000');
  assert.equal(pageRange(500, 500, 200000, true), '501–1,000 of 200,000 in the map’s view');
  assert.match(pageRange(0, 0, 0, true), /No incident in the map’s view/);
});

test('unticking one base keeps the incidents with no known base', () => {
  const s = { ...defaultState(cfg), bases: ['ain-al-asad', '-'] };
  assert.equal(filterQuery(s, cfg).get('base'), 'ain-al-asad,-');
  assert.deepEqual(parseState('?' + pageQuery(s, cfg).toString(), cfg).bases, ['ain-al-asad', '-']);
  assert.equal(filterQuery(defaultState(cfg), cfg).has('base'), false, 'every choice ticked is no filter');
  assert.equal(filterQuery({ ...defaultState(cfg), bases: ['ain-al-asad', 'harir'] }, cfg).get('base'), 'ain-al-asad,harir');
  assert.deepEqual(parseState('?base=harir,-', { ...cfg, noBase: '' }).bases, ['harir'], 'no such choice when the data has none');
});
