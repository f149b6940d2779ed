// node --test web/jstest: where counts go (web/static/js/map/counts.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeCounts, countBox, stackSpots, clusterSpots, MARK_HALF } from '../static/js/map/counts.js';
import { intersects } from '../static/js/map/labels.js';

const box = (minX, minY, maxX, maxY, owner) => ({ minX, minY, maxX, maxY, owner });
// A base's 18 px symbol at (x, y).
const base = (x, y) => box(x - 9, y - 9, x + 9, y + 9);

test('a free count keeps its usual spot', () => {
  const [p] = placeCounts([{ id: 0, x: 100, y: 100, w: 18, h: 18, spots: stackSpots(18, 18) }], [box(90, 90, 110, 110, 0)]);
  assert.equal(p.spot, 0);
  assert.deepEqual(p.box, { minX: 102, minY: 78, maxX: 120, maxY: 96, owner: 0 });
});

test("a stack at a base's point puts its badge clear of the base's symbol", () => {
  const [p] = placeCounts([{ id: 0, x: 100, y: 100, w: 18, h: 18, spots: stackSpots(18, 18) }], [base(100, 100), box(90, 90, 110, 110, 0)]);
  assert.ok(p.spot > 0);
  assert.ok(!intersects(p.box, base(100, 100)));
  // Still beside its stack: touching the stack's 20 px square.
  assert.ok(p.box.minX <= 100 + MARK_HALF && p.box.maxY >= 100 - MARK_HALF);
});

test("a neighbouring base's symbol moves the badge (Erbil's under Harir's on a phone)", () => {
  // Harir's symbol 14 px right of and 14 px above Erbil's stack.
  const obstacles = [base(100, 100), base(114, 86), box(90, 90, 110, 110, 0)];
  const [p] = placeCounts([{ id: 0, x: 100, y: 100, w: 18, h: 18, spots: stackSpots(18, 18) }], obstacles);
  obstacles.forEach((o) => { if (o.owner !== 0) { assert.ok(!intersects(p.box, o), JSON.stringify(p.box)); } });
});

test('two counts never take the same place; a free one is not pushed out', () => {
  const spots = stackSpots(18, 18);
  const placed = placeCounts([
    { id: 0, x: 100, y: 100, w: 18, h: 18, spots },
    { id: 1, x: 104, y: 104, w: 18, h: 18, spots }
  ], []);
  assert.equal(placed[0].spot, 0);
  assert.ok(!intersects(placed[0].box, placed[1].box));
});

test("a cluster's count moves off a base at its centre and stays near", () => {
  const w = 30, h = 16, r = 30;
  const [p] = placeCounts([{ id: 0, x: 200, y: 200, w, h, spots: clusterSpots(w, h, r) }], [base(200, 200)]);
  assert.ok(p.spot > 0);
  assert.ok(!intersects(p.box, base(200, 200)));
  const c = [(p.box.minX + p.box.maxX) / 2, (p.box.minY + p.box.maxY) / 2];
  assert.ok(Math.hypot(c[0] - 200, c[1] - 200) < r, 'the count left its disc');
  // With nothing on it, the count is at the disc's centre.
  assert.deepEqual(placeCounts([{ id: 0, x: 200, y: 200, w, h, spots: clusterSpots(w, h, r) }], [])[0].box, { ...countBox(200, 200, w, h, [-15, -8]), owner: 0 });
});

test('with nowhere free, the least covered spot wins', () => {
  const spots = [[0, 0], [20, 0], [40, 0]];
  const obstacles = [box(0, 0, 20, 10), box(20, 0, 30, 10), box(40, 0, 60, 10)];
  const [p] = placeCounts([{ id: 0, x: 0, y: 0, w: 20, h: 10, spots }], obstacles);
  assert.equal(p.spot, 1);
});
