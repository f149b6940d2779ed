// Unit tests of the fanned-out stacks' offsets: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanOffsets, spreadPoints } from '../static/js/map/fan.js';

test('fanned-out symbols (20 px) are apart from each other and from the place', () => {
  for (const n of [1, 2, 5, 8, 9, 30, 200]) {
    const offs = fanOffsets(n);
    assert.equal(offs.length, n);
    offs.forEach(([x, y], i) => {
      assert.ok(Math.hypot(x, y) >= 20, `n=${n}: symbol ${i} is ${Math.hypot(x, y)} px from the place`);
      for (let j = 0; j < i; j++) {
        const d = Math.hypot(x - offs[j][0], y - offs[j][1]);
        assert.ok(d >= 20, `n=${n}: symbols ${j} and ${i} are ${d} px apart`);
      }
    });
  }
});

test('marks nearer than the gap are spread apart round their centre; the others stay', () => {
  const pts = [{ x: 100, y: 100 }, { x: 104, y: 102 }, { x: 300, y: 300 }, { x: 50, y: 50 }, { x: 50, y: 50 }, { x: 58, y: 50 }];
  const offs = spreadPoints(pts, 22);
  const at = pts.map((p, i) => [p.x + offs[i][0], p.y + offs[i][1]]);
  for (let i = 0; i < at.length; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.hypot(at[i][0] - at[j][0], at[i][1] - at[j][1]);
      assert.ok(d >= 22 - 1e-9, `marks ${j} and ${i} are ${d} px apart`);
    }
  }
  assert.deepEqual(offs[2], [0, 0]);
  // Each stays near its place.
  offs.forEach(([dx, dy], i) => assert.ok(Math.hypot(dx, dy) <= 22, `mark ${i} moved ${Math.hypot(dx, dy)} px`));
});

test('a fan of many stays compact: 22 within 80 px of the place', () => {
  assert.ok(Math.max(...fanOffsets(22).map(([x, y]) => Math.hypot(x, y))) <= 80);
});
