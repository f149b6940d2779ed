// The timeline's arithmetic: which bins a histogram of a given width can
// show readably, where a long quiet stretch is drawn as a break, how a
// pointer position maps to a day, and the frames play steps through. Pure
// functions of day numbers (days since 1970-01-01, UTC): no DOM, so
// node --test runs them.

export const DAY_MS = 86400000;

// UNITS are the bin sizes, finest first. Day, week and month are what a
// reader expects; quarter and year keep a decade readable on a phone.
export const UNITS = ['day', 'week', 'month', 'quarter', 'year'];
// STEPS are the units play can step by.
export const STEPS = ['day', 'week', 'month'];

// MIN_BIN_PX is the narrowest bin a histogram draws: under it bars blur
// into a carpet and cannot be pointed at.
export const MIN_BIN_PX = 3;
// BREAK_PX is the width of a break drawn for a gap in time.
export const BREAK_PX = 14;
// MIN_GAP_DAYS is the shortest quiet stretch drawn as a break; it must also
// be at least GAP_SHARE of the whole span, so a quiet week in a decade
// stays on the axis.
export const MIN_GAP_DAYS = 28;
export const GAP_SHARE = 0.1;

// dayNum is the day number of a YYYY-MM-DD date; dayStr its inverse.
// Day numbers are kept by date: the histogram tries each unit over every
// day of the timeline (3,300 days at a million incidents), and parsing a
// date is the slow part.
const dayNums = new Map();
export function dayNum(s) {
  let n = dayNums.get(s);
  if (n === undefined) { n = Math.round(Date.parse(s + 'T00:00:00Z') / DAY_MS); dayNums.set(s, n); }
  return n;
}
export function dayStr(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

// unitStart is the first day of the unit (ISO week from Monday, calendar
// month, quarter, year) that holds day d.
export function unitStart(unit, d) {
  if (unit === 'day') { return d; }
  if (unit === 'week') { return d - (((d + 3) % 7) + 7) % 7; } // 1970-01-01 was a Thursday
  const t = new Date(d * DAY_MS);
  const y = t.getUTCFullYear(), m = t.getUTCMonth();
  const month = unit === 'month' ? m : unit === 'quarter' ? m - (m % 3) : 0;
  return Math.round(Date.UTC(y, month, 1) / DAY_MS);
}

// unitNext is the first day of the unit after the one that holds day d.
export function unitNext(unit, d) {
  if (unit === 'day') { return d + 1; }
  if (unit === 'week') { return unitStart('week', d) + 7; }
  const t = new Date(unitStart(unit, d) * DAY_MS);
  const months = unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
  return Math.round(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1) / DAY_MS);
}

// segments splits the span first..last (day numbers, inclusive) at every
// quiet stretch (no incident) long enough to be a break: at least
// MIN_GAP_DAYS and GAP_SHARE of the span. days are [{day, count}] as
// /api/timeline.json gives them, in any order, zero counts allowed.
// It returns {segments, gaps}, each a list of {start, end} day numbers.
export function segments(days, first, last) {
  const busy = days.filter((d) => d.count > 0).map((d) => dayNum(d.day)).filter((n) => n >= first && n <= last).sort((a, b) => a - b);
  const minGap = Math.max(MIN_GAP_DAYS, GAP_SHARE * (last - first + 1));
  const gaps = [];
  for (let i = 1; i < busy.length; i++) {
    if (busy[i] - busy[i - 1] - 1 >= minGap) { gaps.push({ start: busy[i - 1] + 1, end: busy[i] - 1 }); }
  }
  if (busy.length) {
    if (busy[0] - first >= minGap) { gaps.unshift({ start: first, end: busy[0] - 1 }); }
    if (last - busy[busy.length - 1] >= minGap) { gaps.push({ start: busy[busy.length - 1] + 1, end: last }); }
  }
  const segs = [];
  let s = first;
  gaps.forEach((g) => { if (g.start > s) { segs.push({ start: s, end: g.start - 1 }); } s = g.end + 1; });
  if (s <= last) { segs.push({ start: s, end: last }); }
  // Leading and trailing gaps are not drawn: the axis starts and ends with data.
  return { segments: segs, gaps: gaps.filter((g) => g.start > first && g.end < last) };
}

// binsOf cuts segments into bins of a unit, each clipped to its segment:
// [{start, end, seg}] in order.
export function binsOf(segs, unit) {
  const out = [];
  segs.forEach((sg, i) => {
    for (let d = sg.start; d <= sg.end; d = unitNext(unit, d)) {
      out.push({ start: d, end: Math.min(sg.end, unitNext(unit, d) - 1), seg: i });
    }
  });
  return out;
}

// countBins returns bins with count set: the sum of the days each holds.
export function countBins(bins, days) {
  const out = bins.map((b) => ({ ...b, count: 0 }));
  if (!out.length) { return out; }
  const sorted = days.map((d) => ({ n: dayNum(d.day), count: d.count })).sort((a, b) => a.n - b.n);
  let i = 0;
  sorted.forEach((d) => {
    while (i < out.length && out[i].end < d.n) { i++; }
    if (i < out.length && out[i].start <= d.n) { out[i].count += d.count; }
  });
  return out;
}

// histogram lays out days (from /api/timeline.json) over first..last
// (YYYY-MM-DD) in width pixels: it picks the finest unit whose bins are at
// least MIN_BIN_PX wide once the gaps are drawn as breaks of BREAK_PX.
// Every bin is as wide as the others (a clipped week at a segment's edge
// too), so each stays readable. It returns {unit, width, binPx, bins:
// [{start, end, count, x}], breaks: [{start, end, x}]}.
export function histogram(days, first, last, width) {
  const a = dayNum(first), b = dayNum(last);
  const { segments: segs, gaps } = segments(days, a, b);
  const room = Math.max(1, width - gaps.length * BREAK_PX);
  let unit = UNITS[UNITS.length - 1], bins = null;
  for (const u of UNITS) {
    const bs = binsOf(segs, u);
    if (room / bs.length >= MIN_BIN_PX || u === unit) { unit = u; bins = bs; break; }
  }
  const binPx = room / Math.max(1, bins.length);
  const counted = countBins(bins, days);
  const breaks = [];
  let x = 0;
  counted.forEach((bin, i) => {
    if (i > 0 && bin.seg !== counted[i - 1].seg) {
      breaks.push({ start: gaps[breaks.length].start, end: gaps[breaks.length].end, x });
      x += BREAK_PX;
    }
    bin.x = x;
    x += binPx;
  });
  return { unit, width, binPx, bins: counted, breaks };
}

// dayAtX is the day under pixel x of a histogram: linear within a bin; a
// break's left half belongs to the day before it, its right half to the
// day after.
export function dayAtX(h, x) {
  const bins = h.bins;
  if (!bins.length) { return null; }
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i];
    if (x < b.x) { // in the break before b (or left of everything)
      if (i === 0) { return b.start; }
      return x < b.x - BREAK_PX / 2 ? bins[i - 1].end : b.start;
    }
    if (x < b.x + h.binPx) {
      const f = (x - b.x) / h.binPx;
      return Math.min(b.end, b.start + Math.floor(f * (b.end - b.start + 1)));
    }
  }
  return bins[bins.length - 1].end;
}

// binIndex is the index of the bin holding day d, or the nearest one.
export function binIndex(h, d) {
  const bins = h.bins;
  for (let i = 0; i < bins.length; i++) {
    if (d <= bins[i].end) { return (d < bins[i].start && i > 0 && d - bins[i - 1].end < bins[i].start - d) ? i - 1 : i; }
  }
  return bins.length - 1;
}

// snapRange widens the days a..b (either order) to whole bins: what a brush
// selects is what its highlighted bars hold. Returns {from, to} day numbers.
export function snapRange(h, a, b) {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  return { from: h.bins[binIndex(h, lo)].start, to: h.bins[binIndex(h, hi)].end };
}

// xRange is the pixel span [x0, x1] of the bins a day range covers.
export function xRange(h, from, to) {
  const i = binIndex(h, from), j = binIndex(h, to);
  return [h.bins[i].x, h.bins[j].x + h.binPx];
}

// playSteps are the first days of the steps play shows in from..to (day
// numbers): from itself, then the start of each following day, week or month.
export function playSteps(from, to, step) {
  const out = [];
  for (let d = from; d <= to; d = unitNext(step, d)) { out.push(d); }
  return out;
}

// playStepsOver are playSteps without the steps that fall wholly inside
// one of gaps ([{start, end}], the histogram's breaks): play jumps over the
// quiet months the axis draws as a break, as the reader's eye does. When
// every step is quiet, it keeps them all.
export function playStepsOver(from, to, step, gaps) {
  const all = playSteps(from, to, step);
  const kept = all.filter((d) => {
    const end = Math.min(to, unitNext(step, d) - 1);
    return !gaps.some((g) => d >= g.start && end <= g.end);
  });
  return kept.length ? kept : all;
}

// frame is what play shows at step k of steps within from..to: the step
// alone with window 1, the last `window` steps with more, or everything
// from the start when accumulating. A step ends where the next begins or,
// given its unit, where its day, week or month ends, whichever is first
// (the next may lie past a break). Returns {from, to} day numbers.
export function frame(steps, to, k, window, accumulate, unit) {
  let end = k + 1 < steps.length ? steps[k + 1] - 1 : to;
  if (unit) { end = Math.min(end, unitNext(unit, steps[k]) - 1); }
  const first = accumulate ? 0 : Math.max(0, k - Math.max(1, window) + 1);
  return { from: steps[first], to: end };
}

// stepAt is the index of the step holding day d, to carry play's place
// over when the step changes.
export function stepAt(steps, d) {
  let k = 0;
  while (k + 1 < steps.length && steps[k + 1] <= d) { k++; }
  return k;
}
