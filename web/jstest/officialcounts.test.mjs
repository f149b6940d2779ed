// Unit tests of the official counts' sentence: node --test web/jstest/
import './english.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latestBy, countSentence } from '../static/js/map/officialcounts.js';

const counts = [
  { date: '2023-10-24', count: 13, qualifier: 'exact', scope: 'Iraq and Syria', mapped: 12, source: { publisher: 'A', url: 'https://a.example/' } },
  { date: '2023-12-21', count: 102, qualifier: 'at_least', scope: 'Iraq and Syria', mapped: 59, source: { publisher: 'B', url: 'https://b.example/' } }
];

test('the count for a range is the last one dated by its end', () => {
  assert.equal(latestBy(counts, '2023-10-23'), null);
  assert.equal(latestBy(counts, '2023-10-24').count, 13);
  assert.equal(latestBy(counts, '2023-12-20').count, 13);
  assert.equal(latestBy(counts, '2024-02-05').count, 102);
});

test('the sentence sets the official count beside the map\'s', () => {
  assert.equal(countSentence(counts, '2023-12-31').text,
    'The Pentagon counted at least 102 attacks on US forces in Iraq and Syria by 2023-12-21; this map holds 59 there by then.');
  assert.match(countSentence(counts, '2023-10-20').text, /^The Pentagon’s first count, 13 attacks in Iraq and Syria by 2023-10-24, comes after this range/);
  assert.match(countSentence([], '2023-10-20').text, /No official count/);
});
