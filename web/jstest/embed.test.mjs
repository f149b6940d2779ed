// Unit tests of the embed's caption and snippet, and of the popup's words
// for disputed fields: node --test web/jstest/
import './english.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captionText, snippet } from '../static/js/map/embed.js';
import { disputedText } from '../static/js/map/popups.js';
import { defaultState } from '../static/js/map/state.js';

const cfg = {
  first: '2023-10-18', last: '2024-01-28', version: 'abc123',
  weapons: [{ word: 'drone', label: 'Drone' }, { word: 'rocket', label: 'Rocket' }],
  statuses: [{ word: 'confirmed', label: 'Confirmed' }, { word: 'claimed', label: 'Claimed' }],
  bases: [{ id: 'a', name: 'Alpha' }, { id: 'b', name: 'Bravo' }, { id: 'c', name: 'Charlie' }, { id: 'd', name: 'Delta' }, { id: 'e', name: 'Echo' }],
  sourceKinds: []
};

test('the caption says the dates, what narrows the data, the count and the version', () => {
  const s = defaultState(cfg);
  // Intl puts thin spaces around the range's dash.
  assert.match(captionText(s, cfg, 200000), /^Oct 18, 2023\s–\sJan 28, 2024 · 200,000 incidents · data version abc123$/);
  s.weapons = ['rocket'];
  s.bases = ['b', 'a'];
  s.to = '2023-10-18';
  assert.equal(captionText(s, cfg, 1), 'Oct 18, 2023 · weapon: Rocket · target: Alpha, Bravo · 1 incident · data version abc123');
  s.bases = ['a', 'b', 'c', 'd'];
  assert.match(captionText(s, cfg, 12345), / · 4 of 5 targets · 12,345 incidents · /);
  // "No known base" is a target like the others: the caption names it.
  const withNone = { ...cfg, noBase: '-' };
  s.bases = ['a', '-'];
  assert.match(captionText(s, withNone, 7), / · target: Alpha, no known base · 7 incidents · /);
  s.bases = ['a', 'b', 'c', 'd', 'e'];
  assert.match(captionText(s, withNone, 7), / · 5 of 6 targets · 7 incidents · /);
  s.statuses = [];
  assert.match(captionText(s, cfg, 0), / · nothing selected · 0 incidents · /);
});

test('every snippet keeps to its column; the default asks for its height', () => {
  const src = 'http://m.example/embed?weapon=drone&map=6/34/41';
  const auto = snippet(src, 'auto', 'A "map" <x>', 'http://m.example');
  assert.match(auto, /^<iframe src="http:\/\/m\.example\/embed\?weapon=drone&amp;map=6\/34\/41&amp;height=auto" width="100%" /);
  assert.match(auto, /title="A &quot;map&quot; &lt;x>"/);
  assert.match(auto, /style="border:0;width:100%;max-width:100%"/);
  assert.match(auto, /<\/iframe><script src="http:\/\/m\.example\/static\/js\/embed-host\.js" async><\/script>$/);
  assert.match(snippet(src, '800x500', 't', 'http://m.example'), /width="800" height="500" title="t" loading="lazy" style="border:0;max-width:100%"/);
});

test('disputed fields read as words', () => {
  assert.equal(disputedText(['injured', 'claimed_by']), 'injured, who claimed it');
  assert.equal(disputedText(['count', 'base']), 'how many, target');
});
