// The timeline: the histogram of incidents over the data's span, a brush on
// it to choose the dates, and play, which steps through the chosen range
// by day, week or month. The state's dates (from, to) are the reader's
// range and play never changes them: it shows frames of the range through
// app.frame, so pausing, resuming and the end all keep the range, and the
// URL, the downloads and the embed code keep describing it.
import { svgEl } from './dom.js';
import { t } from './messages.js';
import { histogram, dayNum, dayStr, dayAtX, snapRange, xRange, binIndex, playSteps, playStepsOver, frame, stepAt, STEPS, BREAK_PX } from './bins.js';

const HEIGHT = 48; // bars
const AXIS = 14; // labels under them
const EDGE_PX = 8; // how near a brush edge a pointer grabs it
const LABEL_PX = 64; // room an axis date needs

// createTimeline wires the histogram, its brush and play.
export function createTimeline(app) {
  const { cfg } = app;
  const noop = () => {};
  if (!app.panelUI) { return { draw: noop, mark: noop, stop: noop, optionsChanged: noop }; }
  const box = document.getElementById('histogram');
  const button = document.getElementById('play');
  const stopButton = document.getElementById('play-stop');
  const dayOut = document.getElementById('play-day');
  const stepSel = document.getElementById('play-step');
  const windowIn = document.getElementById('play-window');
  const speedSel = document.getElementById('play-speed');
  const accumulate = document.getElementById('play-accumulate');
  let data = null; // the last /api/timeline.json
  let h = null; // the histogram's layout
  let svg = null;
  let bars = [];
  let sel = null, frameBox = null, handles = [];
  let drag = null; // {anchor, startX, moved, range}
  let play = null; // {range: {from, to}, steps, k, timer, paused}
  let stepTouched = false;

  // The date shown on the map itself, for a reader with the panel closed.
  const mapDate = document.createElement('div');
  mapDate.className = 'map-date';
  mapDate.id = 'map-date';
  app.map.getContainer().appendChild(mapDate);

  const range = () => ({ from: dayNum(app.state.from), to: dayNum(app.state.to) });
  const spanText = (a, b) => (a === b ? a : t('date-span', { from: a, to: b }));

  // On a phone the histogram is in the drawer: while the drawer is closed
  // it is not drawn (nor its bins' titles made), and shown draws it as the
  // drawer opens. The date on the map is drawn either way (mark).
  let waiting = false;
  function shown() {
    if (waiting && data) { draw(data); }
  }

  function draw(timeline) {
    data = timeline;
    waiting = app.drawerClosed();
    if (waiting) { mark(); return; }
    const width = Math.floor(box.clientWidth);
    if (width <= 0) { return; }
    h = histogram(timeline.days, cfg.first, cfg.last, width);
    if (!stepTouched) { stepSel.value = STEPS.includes(h.unit) ? h.unit : 'month'; }
    const maxCount = Math.max(1, ...h.bins.map((b) => b.count));
    svg = svgEl('svg');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(HEIGHT + AXIS));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + (HEIGHT + AXIS));
    svg.setAttribute('class', 'histogram-svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t('histogram-label', { unit: t('unit.' + h.unit), first: cfg.first, last: cfg.last, max: maxCount }));
    svg.dataset.unit = h.unit;
    bars = h.bins.map((b) => {
      const r = svgEl('rect');
      r.setAttribute('class', 'bar');
      const ht = b.count ? Math.max(3, (HEIGHT - 2) * b.count / maxCount) : 0.6;
      const gap = h.binPx >= 4 ? 1 : 0.5;
      r.setAttribute('x', String(b.x + gap / 2));
      r.setAttribute('width', String(h.binPx - gap));
      r.setAttribute('y', String(HEIGHT - ht));
      r.setAttribute('height', String(ht));
      const title = svgEl('title');
      const from = dayStr(b.start), to = dayStr(b.end);
      r.dataset.from = from;
      r.dataset.to = to;
      title.textContent = t(b.count === 1 ? 'bin-count-one' : 'bin-count', { dates: spanText(from, to), count: b.count });
      r.appendChild(title);
      svg.appendChild(r);
      return r;
    });
    h.breaks.forEach((g) => {
      const grp = svgEl('g');
      grp.setAttribute('class', 'histogram-break');
      const title = svgEl('title');
      title.textContent = t('gap', { from: dayStr(g.start), to: dayStr(g.end), days: g.end - g.start + 1 });
      grp.appendChild(title);
      const hit = svgEl('rect');
      hit.setAttribute('x', String(g.x)); hit.setAttribute('width', String(BREAK_PX));
      hit.setAttribute('y', '0'); hit.setAttribute('height', String(HEIGHT));
      hit.setAttribute('class', 'break-area');
      grp.appendChild(hit);
      [4, 9].forEach((dx) => {
        const l = svgEl('line');
        l.setAttribute('x1', String(g.x + dx - 2)); l.setAttribute('y1', String(HEIGHT));
        l.setAttribute('x2', String(g.x + dx + 2)); l.setAttribute('y2', String(HEIGHT - 12));
        grp.appendChild(l);
      });
      svg.appendChild(grp);
    });
    drawAxis(width);
    frameBox = svgEl('rect');
    frameBox.setAttribute('class', 'play-frame');
    frameBox.setAttribute('y', '0.5'); frameBox.setAttribute('height', String(HEIGHT - 1));
    sel = svgEl('rect');
    sel.setAttribute('class', 'brush-selection');
    sel.setAttribute('y', '0'); sel.setAttribute('height', String(HEIGHT));
    svg.appendChild(sel);
    svg.appendChild(frameBox);
    handles = [0, 1].map(() => {
      const r = svgEl('rect');
      r.setAttribute('class', 'brush-handle');
      r.setAttribute('width', '4'); r.setAttribute('y', String(HEIGHT / 4)); r.setAttribute('height', String(HEIGHT / 2));
      r.setAttribute('rx', '1.5');
      svg.appendChild(r);
      return r;
    });
    svg.addEventListener('pointerdown', onDown);
    svg.addEventListener('pointermove', onMove);
    svg.addEventListener('pointerup', onUp);
    svg.addEventListener('pointercancel', () => { drag = null; app.syncForm(); mark(); });
    box.replaceChildren(svg);
    mark();
  }

  // drawAxis writes the first day, the first day after each break and the
  // last day under the bars, leaving out any that would overlap.
  function drawAxis(width) {
    const labels = [{ x: 0, text: cfg.first, anchor: 'start' }];
    h.breaks.forEach((g) => labels.push({ x: g.x + BREAK_PX, text: dayStr(g.end + 1), anchor: 'start' }));
    const last = { x: width, text: cfg.last, anchor: 'end' };
    let right = -Infinity;
    labels.forEach((l) => {
      if (l.x < right || l.x + LABEL_PX > width - LABEL_PX) { return; }
      addLabel(l); right = l.x + LABEL_PX;
    });
    addLabel(last);
  }

  function addLabel(l) {
    const tx = svgEl('text');
    tx.setAttribute('x', String(l.x)); tx.setAttribute('y', String(HEIGHT + AXIS - 3));
    tx.setAttribute('text-anchor', l.anchor);
    tx.setAttribute('class', 'histogram-tick');
    tx.textContent = l.text;
    svg.appendChild(tx);
  }

  // mark shows the range (or the one being brushed) and play's frame.
  function mark(r) {
    drawMapDate();
    if (!h || !svg) { return; }
    const cur = r || range();
    const i = binIndex(h, cur.from), j = binIndex(h, cur.to);
    // While play runs, the bars of its frame stand out from the rest of the range.
    const fi = app.frame ? binIndex(h, dayNum(app.frame.from)) : i, fj = app.frame ? binIndex(h, dayNum(app.frame.to)) : j;
    bars.forEach((b, k) => { b.setAttribute('class', k < i || k > j ? 'bar out-of-range' : k < fi || k > fj ? 'bar in-range dim' : 'bar in-range'); });
    const [x0, x1] = xRange(h, cur.from, cur.to);
    sel.setAttribute('x', String(x0)); sel.setAttribute('width', String(x1 - x0));
    handles[0].setAttribute('x', String(Math.max(0, x0 - 1)));
    handles[1].setAttribute('x', String(Math.min(h.width - 4, x1 - 3)));
    if (app.frame) {
      const [f0, f1] = xRange(h, dayNum(app.frame.from), dayNum(app.frame.to));
      frameBox.setAttribute('x', String(f0 + 0.5)); frameBox.setAttribute('width', String(Math.max(1, f1 - f0 - 1)));
      frameBox.removeAttribute('visibility');
    } else {
      frameBox.setAttribute('visibility', 'hidden');
    }
  }

  function drawMapDate() {
    if (app.frame) {
      const text = spanText(app.frame.from, app.frame.to);
      mapDate.textContent = play && play.paused ? t('frame-paused', { dates: text }) : text;
      mapDate.classList.add('playing');
    } else {
      mapDate.textContent = spanText(app.state.from, app.state.to);
      mapDate.classList.remove('playing');
    }
  }

  // ---- the brush: drag (mouse, pen or touch) or click a bar ----

  const px = (e) => e.clientX - svg.getBoundingClientRect().left;

  function onDown(e) {
    if (e.button !== 0 || !h) { return; }
    const x = px(e);
    const cur = range();
    const [x0, x1] = xRange(h, cur.from, cur.to);
    let anchor = dayAtX(h, x);
    // Near an edge, the other edge stays put.
    if (Math.abs(x - x1) <= EDGE_PX && Math.abs(x - x1) <= Math.abs(x - x0)) { anchor = cur.from; } else if (Math.abs(x - x0) <= EDGE_PX) { anchor = cur.to; }
    drag = { anchor, startX: x, moved: false, range: snapRange(h, anchor, dayAtX(h, x)) };
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  }

  function onMove(e) {
    if (!drag) { return; }
    const x = px(e);
    if (Math.abs(x - drag.startX) > 3) { drag.moved = true; }
    drag.range = snapRange(h, drag.anchor, dayAtX(h, x));
    // The date inputs follow the brush as it moves.
    document.getElementById('filter-from').value = dayStr(drag.range.from);
    document.getElementById('filter-to').value = dayStr(drag.range.to);
    mark(drag.range);
  }

  function onUp(e) {
    if (!drag) { return; }
    onMove(e);
    const r = drag.range;
    drag = null;
    stop();
    app.state.from = dayStr(r.from) < cfg.first ? cfg.first : dayStr(r.from);
    app.state.to = dayStr(r.to) > cfg.last ? cfg.last : dayStr(r.to);
    app.syncForm();
    app.update(true);
  }

  // ---- play ----

  const windowSteps = () => Math.max(1, Math.min(520, Math.floor(Number(windowIn.value)) || 1));
  const delay = () => Number(speedSel.value) || 900;

  function setButton() {
    button.textContent = t(!play ? 'play' : play.paused ? 'resume' : 'pause');
    button.setAttribute('aria-pressed', String(!!play && !play.paused));
    stopButton.hidden = !play;
  }

  // show draws play's current frame and, unless paused, schedules the next.
  function show() {
    const f = frame(play.steps, play.range.to, play.k, windowSteps(), accumulate.checked, play.unit);
    app.frame = { from: dayStr(f.from), to: dayStr(f.to) };
    // The panel names the step; the map's date says all the frame holds.
    const st = frame(play.steps, play.range.to, play.k, 1, false, play.unit);
    dayOut.textContent = spanText(dayStr(st.from), dayStr(st.to));
    const mine = play;
    app.update().then(() => {
      if (play !== mine || play.paused) { return; }
      play.timer = setTimeout(advance, delay());
    });
  }

  function advance() {
    if (!play || play.paused) { return; }
    if (play.k + 1 >= play.steps.length) { end(); return; }
    play.k++;
    show();
  }

  // stepsOf are play's steps through range r, over the histogram's breaks.
  const stepsOf = (r, step) => playStepsOver(r.from, r.to, step, h ? h.breaks : []);

  function start() {
    let r = range();
    const step = stepSel.value;
    // A range of one step has nothing to play: play the whole span.
    if (playSteps(r.from, r.to, step).length < 2) { r = { from: dayNum(cfg.first), to: dayNum(cfg.last) }; }
    play = { range: r, unit: step, steps: stepsOf(r, step), k: 0, timer: null, paused: false };
    setButton();
    show();
  }

  function pause() {
    clearTimeout(play.timer);
    play.paused = true;
    setButton();
    mark();
  }

  function resume() {
    play.paused = false;
    setButton();
    advance();
  }

  // stop ends play with nothing redrawn: the caller changes the state and
  // updates. end stops and shows the range again.
  function stop() {
    if (!play) { return; }
    clearTimeout(play.timer);
    play = null;
    app.frame = null;
    dayOut.textContent = '';
    setButton();
  }

  function end() {
    stop();
    app.update();
  }

  // optionsChanged applies a new step, window or speed to play in place.
  function optionsChanged(e) {
    if (e && e.target === stepSel) { stepTouched = true; }
    if (!play) { return; }
    const at = app.frame ? dayNum(app.frame.to) : play.range.from;
    play.unit = stepSel.value;
    play.steps = stepsOf(play.range, play.unit);
    play.k = stepAt(play.steps, at);
    clearTimeout(play.timer);
    show();
  }

  button.addEventListener('click', () => {
    if (!play) { start(); } else if (play.paused) { resume(); } else { pause(); }
  });
  stopButton.addEventListener('click', () => { end(); button.focus(); });
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = Math.floor(box.clientWidth);
    if (data && w > 0 && w !== lastWidth) { lastWidth = w; draw(data); }
  }).observe(box);

  return { draw, mark, stop, optionsChanged, shown };
}
