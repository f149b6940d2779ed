// Unit tests of the fanned-out stacks' offsets: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanOffsets } from '../static/js/map/fan.js';

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
