// node --test web/jstest: the label placement of web/static/js/map/labels.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelBox, intersects, GridIndex, placeLabels, SIDES, balancedBreak, inLand, landSpots, segmentMeetsBox, leaderLine, disc, meets, segmentMeetsDisc } from '../static/js/map/labels.js';

const box = (minX, minY, maxX, maxY) => ({ minX, minY, maxX, maxY });
const view = { width: 400, height: 300 };

test('labelBox puts the label on each side of its point, gap pixels away', () => {
  assert.deepEqual(labelBox(100, 100, 40, 10, 5, 'right'), box(105, 95, 145, 105));
  assert.deepEqual(labelBox(100, 100, 40, 10, 5, 'left'), box(55, 95, 95, 105));
  assert.deepEqual(labelBox(100, 100, 40, 10, 5, 'above'), box(80, 85, 120, 95));
  assert.deepEqual(labelBox(100, 100, 40, 10, 5, 'below'), box(80, 105, 120, 115));
  assert.deepEqual(labelBox(100, 100, 40, 10, 5, 'center'), box(80, 95, 120, 105));
  for (const a of SIDES) {
    assert.ok(!intersects(labelBox(100, 100, 40, 10, 5, a), box(97, 97, 103, 103)), a + ' covers its own point');
  }
  assert.throws(() => labelBox(0, 0, 1, 1, 0, 'north'));
});

test('intersects: overlapping boxes do, touching ones do not', () => {
  assert.ok(intersects(box(0, 0, 10, 10), box(5, 5, 15, 15)));
  assert.ok(intersects(box(0, 0, 10, 10), box(2, 2, 3, 3)));
  assert.ok(!intersects(box(0, 0, 10, 10), box(10, 0, 20, 10)));
  assert.ok(!intersects(box(0, 0, 10, 10), box(0, 11, 10, 20)));
});

test('GridIndex finds a box across cells and negative coordinates', () => {
  const g = new GridIndex(16);
  g.insert(box(-40, -40, 100, -30));
  assert.ok(g.collides(box(90, -35, 95, -31)));
  assert.ok(g.collides(box(-50, -50, -39, -39)));
  assert.ok(!g.collides(box(-50, -50, -41, -41)));
  assert.ok(!g.collides(box(0, 0, 500, 500)));
});

test('a label moves to another side rather than cover a mark', () => {
  // Ain al-Asad's label would cover a rocket marker to the right of the base.
  const marks = [box(191, 91, 209, 109), box(215, 92, 231, 108)];
  const [p] = placeLabels([{ id: 'ain', x: 200, y: 100, w: 90, h: 16, gap: 12 }], marks, view);
  assert.equal(p.anchor, 'left');
  marks.forEach((m) => assert.ok(!intersects(p.box, m)));
});

test('the first candidate wins; the second goes elsewhere or is dropped', () => {
  const cands = [
    { id: 'harir', x: 100, y: 100, w: 80, h: 16, gap: 10 },
    { id: 'erbil', x: 100, y: 110, w: 80, h: 16, gap: 10 }
  ];
  const placed = placeLabels(cands, [], view);
  assert.deepEqual(placed.map((p) => p.id), ['harir', 'erbil']);
  assert.equal(placed[0].anchor, 'right');
  assert.notEqual(placed[1].anchor, 'right');
  assert.ok(!intersects(placed[0].box, placed[1].box));
  // With no room at all, the later one is dropped.
  const crowded = placeLabels(cands, [], { width: 200, height: 140 });
  crowded.forEach((a, i) => crowded.slice(i + 1).forEach((b) => assert.ok(!intersects(a.box, b.box))));
});

test('labels stay inside the view, clear of the margin', () => {
  const placed = placeLabels([{ id: 'edge', x: 390, y: 150, w: 60, h: 14, gap: 8 }], [], { width: 400, height: 300, margin: 4 });
  assert.equal(placed[0].anchor, 'left');
  assert.equal(placeLabels([{ id: 'wide', x: 200, y: 150, w: 500, h: 14, gap: 8, anchors: ['center'] }], [], view).length, 0);
});

test("a town whose dot would cover a mark is dropped, label and all", () => {
  const dot = box(97, 97, 103, 103);
  const placed = placeLabels([{ id: 'town', x: 100, y: 100, w: 40, h: 12, gap: 6, mark: dot }], [box(95, 95, 105, 105)], view);
  assert.equal(placed.length, 0);
  // A later label may not cover a placed town's dot.
  const two = placeLabels([
    { id: 'town', x: 100, y: 100, w: 40, h: 12, gap: 6, mark: dot },
    { id: 'country', x: 100, y: 100, w: 80, h: 14, anchors: ['center'] }
  ], [], view);
  assert.deepEqual(two.map((p) => p.id), ['town']);
});

test('many labels among many marks: none overlaps a mark or another label', () => {
  let seed = 7;
  const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const marks = Array.from({ length: 600 }, () => { const x = rnd() * 1200, y = rnd() * 800; return box(x - 9, y - 9, x + 9, y + 9); });
  const cands = Array.from({ length: 300 }, (_, i) => ({ id: i, x: rnd() * 1200, y: rnd() * 800, w: 30 + rnd() * 80, h: 14, gap: 6 }));
  const placed = placeLabels(cands, marks, { width: 1200, height: 800 });
  assert.ok(placed.length > 20, placed.length + ' placed');
  placed.forEach((p, i) => {
    marks.forEach((m) => assert.ok(!intersects(p.box, m)));
    placed.slice(i + 1).forEach((q) => assert.ok(!intersects(p.box, q.box)));
  });
});

test('a label crowded out near its point tries the farther gaps, then its other points', () => {
  // A base ringed by incidents: no side is free at 12 px, one is at 32.
  const ring = [[0, -20], [20, 0], [0, 20], [-20, 0], [14, -14], [14, 14], [-14, 14], [-14, -14]]
    .map(([dx, dy]) => box(200 + dx - 9, 150 + dy - 9, 200 + dx + 9, 150 + dy + 9));
  const c = { id: 'ain', x: 200, y: 150, w: 80, h: 16, gap: 12 };
  assert.equal(placeLabels([c], ring, view).length, 0);
  const [p] = placeLabels([Object.assign({ gaps: [12, 32] }, c)], ring, view);
  assert.equal(p.anchor, 'right');
  assert.equal(p.box.minX, 232);
  ring.forEach((m) => assert.ok(!intersects(p.box, m)));

  // A country's name whose best point is off screen goes to the next one.
  const [q] = placeLabels([{ id: 'iraq', x: -50, y: 100, w: 60, h: 14, anchors: ['center'], at: [{ x: 900, y: 100 }, { x: 300, y: 200 }] }], [], view);
  assert.deepEqual([q.x, q.y], [300, 200]);
});

test('a label too long for the map on one line takes its other size (two lines)', () => {
  const narrow = { width: 200, height: 200 };
  // 150 px on one line fits on neither side of a point at x 100.
  const c = { id: 0, x: 100, y: 100, w: 150, h: 16, sizes: [[80, 32]], gap: 5, anchors: ['right', 'left'] };
  const [p] = placeLabels([c], [], narrow);
  assert.equal(p.size, 1);
  assert.equal(p.box.maxX - p.box.minX, 80);
  assert.equal(p.box.maxY - p.box.minY, 32);
  // Where one line fits, it is taken.
  const [q] = placeLabels([{ ...c, x: 20 }], [], narrow);
  assert.equal(q.size, 0);
  // With no other size, it is left out.
  assert.equal(placeLabels([{ ...c, sizes: undefined }], [], narrow).length, 0);
});

test('GridIndex lists the boxes a box overlaps, each once, and skips those keep refuses', () => {
  const g = new GridIndex(16);
  const wide = box(0, 0, 100, 10, 'wide'), small = box(40, 2, 44, 6);
  wide.owner = 1;
  g.insert(wide);
  g.insert(small);
  assert.deepEqual(g.overlapping(box(30, 0, 60, 8)).length, 2);
  assert.deepEqual(g.overlapping(box(60, 0, 70, 8)), [wide]);
  assert.deepEqual(g.overlapping(box(0, 20, 10, 30)), []);
  assert.ok(!g.collides(box(60, 0, 70, 8), (o) => o.owner !== 1));
  assert.ok(g.collides(box(60, 0, 70, 8)));
});

test('balancedBreak splits a name in two lines of near equal width, no word alone', () => {
  const chars = (s) => s.length;
  assert.deepEqual(balancedBreak('US Embassy Baghdad and Union III', chars), ['US Embassy Baghdad', 'and Union III']);
  assert.deepEqual(balancedBreak('Baghdad Diplomatic Support Center', chars), ['Baghdad Diplomatic', 'Support Center']);
  assert.deepEqual(balancedBreak('  Al-Tanf   garrison ', chars), ['Al-Tanf', 'garrison']);
  assert.equal(balancedBreak('Harir', chars), null);
  // Widths, not characters, decide: a wide word weighs more.
  const wide = (s) => s.replace(/W/g, 'WWW').length;
  assert.deepEqual(balancedBreak('WW a b c d', wide), ['WW', 'a b c d']);
  // The longer line is never longer than any other split's.
  for (const name of ['Mission Support Site Green Village (al-Omar oil field)', 'Rumalyn Landing Zone (Rmelan, Kharab al-Jir)', 'a bb ccc dddd eeeee']) {
    const [a, b] = balancedBreak(name, chars);
    const words = name.split(' ');
    for (let i = 1; i < words.length; i++) {
      assert.ok(Math.max(a.length, b.length) <= Math.max(words.slice(0, i).join(' ').length, words.slice(i).join(' ').length));
    }
    assert.equal(a + ' ' + b, name);
  }
});

test('landSpots finds a country land in a view without its label points, farthest from the centre first', () => {
  // A square country from 0 to 10 and a hole from 4 to 6.
  const land = [[[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]];
  assert.equal(inLand(land, 1, 1), true);
  assert.equal(inLand(land, 5, 5), false); // the hole
  assert.equal(inLand(land, 11, 5), false);
  assert.equal(inLand([[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 3], [2, 2]]]], 2.5, 2.5), true); // a second polygon
  // A 160×160 view of lon 0..16, lat 16..0 (y down): the land is its top left.
  const spots = landSpots(land, 160, 160, (x, y) => [x / 10, 16 - y / 10]);
  assert.ok(spots.length > 0);
  for (const p of spots) { assert.ok(inLand(land, p.x / 10, 16 - p.y / 10)); }
  const d = spots.map((p) => Math.hypot(p.x - 80, p.y - 80));
  for (let i = 1; i < d.length; i++) { assert.ok(d[i] <= d[i - 1]); }
  assert.deepEqual(landSpots(land, 160, 160, (x, y) => [100 + x, y]), []);
});

test('a leader line crosses no other label, and no label is placed across one', () => {
  const box = { minX: 10, minY: 10, maxX: 20, maxY: 20 };
  assert.equal(segmentMeetsBox([0, 15, 30, 15], box), true);
  assert.equal(segmentMeetsBox([0, 0, 30, 30], box), true);
  assert.equal(segmentMeetsBox([0, 0, 9, 30], box), false);
  assert.equal(segmentMeetsBox([0, 10, 30, 10], box), false); // along its edge
  assert.equal(segmentMeetsBox([15, 15, 15, 16], box), true); // inside
  assert.deepEqual(leaderLine(0, 15, box), [0, 15, 10, 15]);
  const view = { width: 400, height: 400, margin: 0 };
  // Base A's name fits only far to the right (a wall of marks near it),
  // and B's name, placed first, sits where A's line would run.
  const wall = [{ minX: 105, minY: 170, maxX: 150, maxY: 230 }];
  const b = { id: 'b', x: 165, y: 200, w: 20, h: 20, gaps: [0], anchors: ['center'] };
  const a = { id: 'a', x: 100, y: 200, w: 60, h: 16, gaps: [12, 80, 120], anchors: ['right', 'above-right', 'below-right'], leader: 16 };
  const placed = placeLabels([b, a], wall, view);
  const pa = placed.find((p) => p.id === 'a'), pb = placed.find((p) => p.id === 'b');
  assert.ok(pa && pb, JSON.stringify(placed));
  assert.equal(segmentMeetsBox(leaderLine(a.x, a.y, pa.box), pb.box), false, JSON.stringify(placed));
  // And the other way round: a label placed after a line keeps off it.
  const c = { id: 'c', x: 165, y: 200, w: 20, h: 20, gaps: [0], anchors: ['center'] };
  const again = placeLabels([a, c], wall, view);
  const la = again.find((p) => p.id === 'a'), lc = again.find((p) => p.id === 'c');
  // c's one spot lies across a's line: c gives way rather than cover it.
  assert.ok(la, JSON.stringify(again));
  assert.equal(lc, undefined, JSON.stringify(again));
  // Given a second spot, clear of the line, c takes that one.
  const c2 = { ...c, gaps: [0, 40], anchors: ['center', 'below'] };
  const third = placeLabels([a, c2], wall, view);
  const la2 = third.find((p) => p.id === 'a'), lc2 = third.find((p) => p.id === 'c');
  assert.ok(la2 && lc2, JSON.stringify(third));
  assert.equal(segmentMeetsBox(leaderLine(a.x, a.y, la2.box), lc2.box), false, JSON.stringify(third));
});

test('a later pass keeps off the labels and lines an earlier pass placed', () => {
  const view = { width: 400, height: 400 };
  // An earlier pass placed a label at (200..260, 100..116) and a leader
  // line from (100, 300) up to (100, 120).
  const prior = { labels: [{ minX: 200, minY: 100, maxX: 260, maxY: 116 }], lines: [[100, 300, 100, 120]] };
  // This base's label may go only where its line would cross the earlier
  // label, or across the earlier line: it gets no spot.
  const crossing = { id: 'x', x: 230, y: 300, w: 40, h: 16, gaps: [0], anchors: ['center'], at: [{ x: 230, y: 60 }, { x: 100, y: 200 }], leader: 10 };
  // (Its own mark, at its point, is covered by nothing.)
  const marks = prior.labels.concat([{ minX: 220, minY: 290, maxX: 240, maxY: 310 }]);
  assert.deepEqual(placeLabels([crossing], marks, view, prior), []);
  // Without what the earlier pass placed, it would have taken the first.
  assert.equal(placeLabels([crossing], marks, view).length, 1);
  // Given a spot clear of both, it takes that one.
  const clear = { ...crossing, at: [{ x: 230, y: 60 }, { x: 330, y: 250 }] };
  const got = placeLabels([clear], marks, view, prior);
  assert.equal(got.length, 1);
  assert.ok(got[0].box.minX > 300, JSON.stringify(got));
});

test("a cluster's disc is round: a label keeps off it, not off its box's corners", () => {
  const d = disc(100, 100, 30);
  assert.ok(meets(d, box(120, 95, 160, 105)), 'across its edge');
  assert.ok(!meets(d, box(124, 70, 160, 76)), "in its box's corner");
  assert.ok(meets(box(0, 0, 10, 10), box(5, 5, 20, 20)), 'a box is a box');
  assert.ok(segmentMeetsDisc([0, 100, 200, 100], d));
  assert.ok(!segmentMeetsDisc([0, 60, 200, 60], d));
  // A base on the disc's edge: its label beside it would lie on the disc
  // (before, a disc was no obstacle): it goes to the far side.
  const base = { id: 'base', x: 125, y: 100, w: 40, h: 14, gaps: [12, 32], anchors: ['left', 'right'] };
  const [pl] = placeLabels([base], [d], view);
  assert.ok(pl && !meets(d, pl.box), JSON.stringify(pl));
  assert.equal(pl.anchor, 'right');
});

test('a leader line leaves its own disc and crosses no other', () => {
  const own = disc(200, 150, 25), other = disc(275, 150, 25);
  const v = { width: 400, height: 300, margin: 0 };
  // Right of the base, through the other disc, is the first spot tried;
  // the label goes left instead, its line leaving the base's own disc.
  const c = { id: 'a', x: 200, y: 150, w: 40, h: 14, gaps: [12, 100], anchors: ['right', 'left'], leader: 16 };
  const [pl] = placeLabels([c], [own, other], v);
  assert.ok(pl, 'the base is named');
  const line = leaderLine(c.x, c.y, pl.box);
  assert.ok(!segmentMeetsDisc(line, other), JSON.stringify(pl));
  assert.equal(pl.anchor, 'left');
});
