// The histogram of incidents per day, and play, which steps through the
// days of the chosen range.
import { el, svgEl } from './dom.js';
import { t } from './messages.js';
import { dayIndex, dayAt } from './state.js';

const PLAY_STEP_MS = 900;

// createTimeline wires the histogram and play button of the panel.
export function createTimeline(app) {
  const { cfg } = app;
  let histBars = [];
  let play = null; // {timer, start, end, day}

  function draw(timeline) {
    if (!app.panelUI) { return; }
    const n = dayIndex(cfg, cfg.last) + 1;
    const counts = new Array(n).fill(0);
    timeline.days.forEach((d) => {
      const i = dayIndex(cfg, d.day);
      if (i >= 0 && i < n) { counts[i] = d.count; }
    });
    const maxCount = Math.max(1, ...counts);
    const svg = svgEl('svg');
    svg.setAttribute('viewBox', '0 0 ' + n + ' 40');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'histogram-svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t('histogram-label', { first: cfg.first, last: cfg.last, max: maxCount }));
    histBars = [];
    counts.forEach((c, i) => {
      const r = svgEl('rect');
      const h = c ? Math.max(3, 38 * c / maxCount) : 0.6;
      r.setAttribute('x', i + 0.1);
      r.setAttribute('width', 0.8);
      r.setAttribute('y', 40 - h);
      r.setAttribute('height', h);
      const title = svgEl('title');
      title.textContent = t(c === 1 ? 'day-count-one' : 'day-count', { day: dayAt(cfg, i), count: c });
      r.appendChild(title);
      r.addEventListener('click', () => { stop(); app.state.from = app.state.to = dayAt(cfg, i); app.syncForm(); app.update(true); });
      svg.appendChild(r);
      histBars.push(r);
    });
    const box = document.getElementById('histogram');
    box.replaceChildren(svg);
    const axis = el('div', 'histogram-axis');
    axis.appendChild(el('span', null, cfg.first));
    axis.appendChild(el('span', null, cfg.last));
    box.appendChild(axis);
    mark();
  }

  function mark() {
    if (!app.panelUI) { return; }
    const a = dayIndex(cfg, app.state.from), b = dayIndex(cfg, app.state.to);
    histBars.forEach((r, i) => { r.setAttribute('class', i >= a && i <= b ? 'in-range' : 'out-of-range'); });
  }

  function stop() {
    if (!play) { return; }
    clearTimeout(play.timer);
    play = null;
    const b = document.getElementById('play');
    b.textContent = t('play');
    b.setAttribute('aria-pressed', 'false');
  }

  function step() {
    if (!play) { return; }
    const day = dayAt(cfg, play.day);
    app.state.from = document.getElementById('play-accumulate').checked ? dayAt(cfg, play.start) : day;
    app.state.to = day;
    document.getElementById('play-day').textContent = day;
    app.syncForm();
    app.update(false).then(() => {
      if (!play) { return; }
      if (play.day >= play.end) { stop(); app.writeURL(true); return; }
      play.day++;
      play.timer = setTimeout(step, PLAY_STEP_MS);
    });
  }

  function toggle(e) {
    if (play) { stop(); app.writeURL(true); return; }
    let a = dayIndex(cfg, app.state.from), b = dayIndex(cfg, app.state.to);
    if (a === b) { a = 0; b = dayIndex(cfg, cfg.last); } // one day shown: play the whole span
    play = { start: a, end: b, day: a, timer: null };
    e.currentTarget.textContent = t('pause');
    e.currentTarget.setAttribute('aria-pressed', 'true');
    step();
  }

  if (app.panelUI) { document.getElementById('play').addEventListener('click', toggle); }
  return { draw, mark, stop };
}
