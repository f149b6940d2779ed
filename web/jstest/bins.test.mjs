// Unit tests of the timeline's arithmetic: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayNum, dayStr, unitStart, unitNext, segments, binsOf, countBins, histogram, dayAtX, snapRange, xRange, playSteps, playStepsOver, frame, stepAt, MIN_BIN_PX, BREAK_PX } from '../static/js/map/bins.js';

const D = dayNum;
const days = (...xs) => xs.map(([day, count]) => ({ day, count }));
// The shipped data: a busy week in October 2023, then one attack in January 2024.
const shipped = days(['2023-10-18', 4], ['2023-10-19', 2], ['2023-10-20', 1], ['2023-10-21', 3], ['2023-10-23', 1], ['2024-01-28', 1]);

// everyDay is n days of one incident each from first.
function everyDay(first, n) {
  const out = [];
  for (let i = 0; i < n; i++) { out.push({ day: dayStr(D(first) + i), count: 1 + (i % 5) }); }
  return out;
}

test('day numbers round-trip', () => {
  for (const s of ['1970-01-01', '2016-02-29', '2023-10-18', '2026-12-31']) { assert.equal(dayStr(D(s)), s); }
  assert.equal(D('1970-01-02'), 1);
});

test('units start on Monday, the 1st, the quarter and the year', () => {
  assert.equal(dayStr(unitStart('week', D('2023-10-18'))), '2023-10-16'); // a Wednesday
  assert.equal(dayStr(unitStart('week', D('2023-10-16'))), '2023-10-16');
  assert.equal(dayStr(unitStart('week', D('2023-10-22'))), '2023-10-16'); // Sunday
  assert.equal(dayStr(unitNext('week', D('2023-10-22'))), '2023-10-23');
  assert.equal(dayStr(unitStart('month', D('2024-02-29'))), '2024-02-01');
  assert.equal(dayStr(unitNext('month', D('2024-02-29'))), '2024-03-01');
  assert.equal(dayStr(unitNext('month', D('2023-12-31'))), '2024-01-01');
  assert.equal(dayStr(unitStart('quarter', D('2023-11-05'))), '2023-10-01');
  assert.equal(dayStr(unitNext('quarter', D('2023-11-05'))), '2024-01-01');
  assert.equal(dayStr(unitStart('year', D('2023-11-05'))), '2023-01-01');
  assert.equal(dayStr(unitNext('day', D('2023-12-31'))), '2024-01-01');
});

test('a quiet stretch of months becomes a break; a quiet day does not', () => {
  const { segments: segs, gaps } = segments(shipped, D('2023-10-18'), D('2024-01-28'));
  assert.deepEqual(segs.map((s) => [dayStr(s.start), dayStr(s.end)]), [['2023-10-18', '2023-10-23'], ['2024-01-28', '2024-01-28']]);
  assert.deepEqual(gaps.map((g) => [dayStr(g.start), dayStr(g.end)]), [['2023-10-24', '2024-01-27']]);
  // A quiet week in a decade of data stays on the axis.
  const decade = everyDay('2016-01-01', 3650).filter((d) => d.day < '2020-03-01' || d.day > '2020-03-20');
  assert.equal(segments(decade, D('2016-01-01'), D('2016-01-01') + 3649).gaps.length, 0);
  // Nothing at all: one segment, no break.
  assert.deepEqual(segments([], 10, 20), { segments: [{ start: 10, end: 20 }], gaps: [] });
});

test('bins are clipped to their segment and count every day once', () => {
  const segs = [{ start: D('2023-10-18'), end: D('2023-10-23') }, { start: D('2024-01-28'), end: D('2024-01-28') }];
  const weeks = binsOf(segs, 'week');
  assert.deepEqual(weeks.map((b) => [dayStr(b.start), dayStr(b.end), b.seg]), [
    ['2023-10-18', '2023-10-22', 0], ['2023-10-23', '2023-10-23', 0], ['2024-01-28', '2024-01-28', 1]]);
  assert.deepEqual(countBins(weeks, shipped).map((b) => b.count), [10, 1, 1]);
  const many = everyDay('2016-01-01', 4018);
  const months = countBins(binsOf([{ start: D('2016-01-01'), end: D('2016-01-01') + 4017 }], 'month'), many);
  assert.equal(months.length, 132);
  assert.equal(months.reduce((s, b) => s + b.count, 0), many.reduce((s, d) => s + d.count, 0));
});

test('bins stay at least 3 px wide at desktop and phone widths', () => {
  const decade = everyDay('2016-01-01', 4018); // 2016-01-01 .. 2026-12-31
  for (const [data, first, last] of [[shipped, '2023-10-18', '2024-01-28'], [decade, '2016-01-01', '2026-12-31'], [everyDay('2023-10-01', 120), '2023-10-01', '2024-01-28']]) {
    for (const width of [250, 300, 330, 1000]) {
      const h = histogram(data, first, last, width);
      assert.ok(h.binPx >= MIN_BIN_PX, `${first}..${last} at ${width}px: ${h.bins.length} ${h.unit} bins of ${h.binPx}px`);
      const end = h.bins[h.bins.length - 1].x + h.binPx;
      assert.ok(Math.abs(end - width) < 1e-6, `bins end at ${end}, want ${width}`);
      assert.equal(h.bins.reduce((s, b) => s + b.count, 0), data.reduce((s, d) => s + d.count, 0));
    }
  }
  // The finest unit that fits is chosen.
  assert.equal(histogram(decade, '2016-01-01', '2026-12-31', 300).unit, 'quarter');
  assert.equal(histogram(decade, '2016-01-01', '2026-12-31', 420).unit, 'month');
  assert.equal(histogram(everyDay('2023-10-01', 120), '2023-10-01', '2024-01-28', 300).unit, 'week');
  assert.equal(histogram(shipped, '2023-10-18', '2024-01-28', 300).unit, 'day');
});

test('the busy week is not squeezed by the quiet months after it', () => {
  const h = histogram(shipped, '2023-10-18', '2024-01-28', 300);
  assert.equal(h.breaks.length, 1);
  const october = h.bins.filter((b) => b.seg === 0);
  const share = (october.length * h.binPx) / 300;
  assert.ok(share > 0.6, `October takes ${share} of the width`);
  assert.ok(Math.abs(h.breaks[0].x - october.length * h.binPx) < 1e-9);
  assert.ok(Math.abs(h.bins[october.length].x - (h.breaks[0].x + BREAK_PX)) < 1e-9);
});

test('pixels map to days, and a brush snaps to whole bins', () => {
  const h = histogram(shipped, '2023-10-18', '2024-01-28', 300);
  assert.equal(dayStr(dayAtX(h, 0)), '2023-10-18');
  assert.equal(dayStr(dayAtX(h, -5)), '2023-10-18');
  assert.equal(dayStr(dayAtX(h, h.binPx * 1.5)), '2023-10-19');
  assert.equal(dayStr(dayAtX(h, h.breaks[0].x + 2)), '2023-10-23');
  assert.equal(dayStr(dayAtX(h, h.breaks[0].x + BREAK_PX - 2)), '2024-01-28');
  assert.equal(dayStr(dayAtX(h, 1000)), '2024-01-28');
  const w = histogram(everyDay('2023-10-01', 120), '2023-10-01', '2024-01-28', 300);
  const r = snapRange(w, D('2023-10-20'), D('2023-10-10'));
  assert.deepEqual([dayStr(r.from), dayStr(r.to)], ['2023-10-09', '2023-10-22']);
  const [x0, x1] = xRange(w, r.from, r.to);
  assert.ok(x1 - x0 > 2 * w.binPx - 1e-9 && x1 - x0 < 2 * w.binPx + 1e-9);
});

test('play steps by day, week or month and restarts nowhere', () => {
  const from = D('2023-10-18'), to = D('2023-11-20');
  assert.equal(playSteps(from, to, 'day').length, 34);
  const weeks = playSteps(from, to, 'week');
  assert.deepEqual(weeks.map(dayStr), ['2023-10-18', '2023-10-23', '2023-10-30', '2023-11-06', '2023-11-13', '2023-11-20']);
  const months = playSteps(from, to, 'month');
  assert.deepEqual(months.map(dayStr), ['2023-10-18', '2023-11-01']);
  const f = (steps, k, win, acc) => { const r = frame(steps, to, k, win, acc); return [dayStr(r.from), dayStr(r.to)]; };
  assert.deepEqual(f(weeks, 0, 1, false), ['2023-10-18', '2023-10-22']);
  assert.deepEqual(f(weeks, 2, 1, false), ['2023-10-30', '2023-11-05']);
  assert.deepEqual(f(weeks, 2, 2, false), ['2023-10-23', '2023-11-05']); // a rolling window of two weeks
  assert.deepEqual(f(weeks, 2, 1, true), ['2023-10-18', '2023-11-05']); // accumulating
  assert.deepEqual(f(weeks, 5, 1, false), ['2023-11-20', '2023-11-20']); // the last step ends with the range
  assert.deepEqual(f(months, 1, 1, false), ['2023-11-01', '2023-11-20']);
  // Changing the step keeps play's place.
  assert.equal(stepAt(playSteps(from, to, 'day'), D('2023-11-05')), 18);
  assert.equal(stepAt(weeks, D('2023-11-05')), 2);
  assert.equal(stepAt(months, D('2023-10-31')), 0);
});

test('play jumps over a break: no step in the quiet months, each step its own length', () => {
  const from = D('2023-10-18'), to = D('2024-01-28');
  const gaps = [{ start: D('2023-10-24'), end: D('2024-01-27') }];
  const days = playStepsOver(from, to, 'day', gaps);
  assert.deepEqual(days.map(dayStr), ['2023-10-18', '2023-10-19', '2023-10-20', '2023-10-21', '2023-10-22', '2023-10-23', '2024-01-28']);
  // The step before the break is its own day, not the months after it.
  const f = frame(days, to, 5, 1, false, 'day');
  assert.deepEqual([dayStr(f.from), dayStr(f.to)], ['2023-10-23', '2023-10-23']);
  // A week or month that holds a busy day stays.
  const weeks = playStepsOver(from, to, 'week', gaps);
  assert.deepEqual(weeks.map(dayStr), ['2023-10-18', '2023-10-23', '2024-01-22']);
  const w = frame(weeks, to, 1, 1, false, 'week');
  assert.deepEqual([dayStr(w.from), dayStr(w.to)], ['2023-10-23', '2023-10-29']);
  // Accumulating still starts at the first step; a window of two spans the break.
  const acc = frame(days, to, 6, 1, true, 'day');
  assert.deepEqual([dayStr(acc.from), dayStr(acc.to)], ['2023-10-18', '2024-01-28']);
  const win = frame(days, to, 6, 2, false, 'day');
  assert.deepEqual([dayStr(win.from), dayStr(win.to)], ['2023-10-23', '2024-01-28']);
  // A range inside the break keeps its steps.
  assert.equal(playStepsOver(D('2023-11-01'), D('2023-11-05'), 'day', gaps).length, 5);
  // Without a unit, frame is as before.
  assert.deepEqual(frame(days, to, 5, 1, false), { from: D('2023-10-23'), to: D('2024-01-27') });
});
