// Unit tests of the clusters' declutter pass: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declutter, clusterRadius } from '../static/js/map/declutter.js';

function overlaps(groups, gap) {
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i], b = groups[j];
      if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r + gap) { return [a, b]; }
    }
  }
  return null;
}

test('no two discs overlap, and every incident is still counted', () => {
  // A dense field, as the server sends at 200k: centres 20 px apart.
  let seed = 7;
  const rand = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const clusters = [];
  for (let i = 0; i < 600; i++) {
    clusters.push({ x: rand() * 1000, y: rand() * 700, count: 1 + Math.floor(Math.exp(rand() * 9)) });
  }
  const groups = declutter(clusters, 2);
  assert.equal(overlaps(groups, 2), null);
  assert.equal(groups.reduce((s, g) => s + g.count, 0), clusters.reduce((s, c) => s + c.count, 0));
  assert.equal(groups.reduce((s, g) => s + g.members.length, 0), clusters.length);
  assert.ok(groups.length < clusters.length);
});

test('clusters far apart are left alone', () => {
  const groups = declutter([{ x: 0, y: 0, count: 10 }, { x: 200, y: 0, count: 5 }]);
  assert.equal(groups.length, 2);
  assert.deepEqual(groups.map((g) => [g.x, g.y, g.count]), [[0, 0, 10], [200, 0, 5]]);
});

test('a merged cluster sits at the weighted centre, sized by its count', () => {
  const [g] = declutter([{ x: 0, y: 0, count: 30 }, { x: 10, y: 0, count: 10 }]);
  assert.equal(g.count, 40);
  assert.equal(g.x, 2.5);
  assert.equal(g.r, clusterRadius(40));
});
