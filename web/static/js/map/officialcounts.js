// The official counts beside the map's: the Pentagon's running count of
// attacks, drawn as a step line in a strip under the timeline's histogram
// (its own SVG, laid out with the histogram's pure layout from bins.js, so
// the timeline's module is not touched), and a sentence under the count of
// incidents: "The Pentagon counted N attacks by this date; this map holds
// M". A reader must never take the map for the full record when it is not.
import { getJSON } from './api.js';
import { el, svgEl } from './dom.js';
import { t } from './messages.js';
import { histogram, binIndex, dayNum } from './bins.js';

const HEIGHT = 22;

// latestBy is the last count dated on or before day (YYYY-MM-DD), or null.
export function latestBy(counts, day) {
  let best = null;
  for (const c of counts) { if (c.date <= day) { best = c; } }
  return best;
}

// countSentence is the sentence for a range ending on day: the last count
// by then, or the first count when the range ends before any.
export function countSentence(counts, day) {
  if (!counts.length) { return { text: t('official-count-none'), count: null }; }
  const c = latestBy(counts, day);
  const shown = c || counts[0];
  return {
    text: t(c ? 'official-count' : 'official-count-before', { qualifier: t('qualifier.' + shown.qualifier), count: shown.count, scope: shown.scope, date: shown.date, mapped: shown.mapped }),
    count: shown
  };
}

// createOfficialCounts loads /api/official-counts.json and returns
// {draw(timeline), update()}: draw lays the strip out under the histogram,
// update writes the sentence for the state's range.
export function createOfficialCounts(app) {
  const noop = () => {};
  if (!app.panelUI) { return { draw: noop, update: noop }; }
  const { cfg } = app;
  let counts = null;
  let timeline = null;
  const para = document.getElementById('official-count');
  const strip = document.getElementById('official-strip');
  const loaded = getJSON('/api/official-counts.json').then((r) => { counts = r.counts; }).catch(() => { counts = []; });

  function drawStrip() {
    strip.replaceChildren();
    if (!counts || !counts.length || !timeline) { return; }
    const width = Math.floor(document.getElementById('histogram').clientWidth);
    if (width <= 0) { return; }
    const h = histogram(timeline.days, cfg.first, cfg.last, width);
    const svg = svgEl('svg');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(HEIGHT));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + HEIGHT);
    svg.setAttribute('class', 'official-strip-svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t('official-strip-label', { first: counts[0].date, last: counts[counts.length - 1].date }));
    const max = Math.max(...counts.map((c) => c.count));
    const xOf = (day) => { const b = h.bins[binIndex(h, day)]; return b.x + h.binPx / 2; };
    const yOf = (n) => HEIGHT - 1 - (HEIGHT - 4) * n / max;
    const steps = (value) => {
      let d = '';
      counts.forEach((c, i) => {
        const x = xOf(dayNum(c.date)).toFixed(1), y = yOf(value(c)).toFixed(1);
        d += i === 0 ? 'M' + x + ' ' + y : 'H' + x + 'V' + y;
      });
      return d + 'H' + width;
    };
    [['mapped', (c) => c.mapped], ['official', (c) => c.count]].forEach(([cls, value]) => {
      const path = svgEl('path');
      path.setAttribute('class', 'official-step ' + cls);
      path.setAttribute('d', steps(value));
      svg.appendChild(path);
    });
    counts.forEach((c) => {
      const dot = svgEl('circle');
      dot.setAttribute('class', 'official-mark');
      dot.setAttribute('cx', xOf(dayNum(c.date)).toFixed(1));
      dot.setAttribute('cy', yOf(c.count).toFixed(1));
      dot.setAttribute('r', '2.5');
      dot.dataset.date = c.date;
      const title = svgEl('title');
      title.textContent = t('official-mark', { date: c.date, qualifier: t('qualifier.' + c.qualifier), count: c.count, mapped: c.mapped });
      dot.appendChild(title);
      svg.appendChild(dot);
    });
    strip.appendChild(svg);
  }

  function update() {
    loaded.then(() => {
      const { text, count } = countSentence(counts, app.state.to);
      para.replaceChildren(text);
      if (count && /^https?:\/\//.test(count.source.url)) {
        const a = el('a', null, t('official-count-source', { publisher: count.source.publisher }));
        a.href = count.source.url;
        a.rel = 'noopener';
        a.title = count.source.says;
        para.append(' ', a);
      }
    });
  }

  return {
    draw(tl) { timeline = tl; loaded.then(drawStrip); },
    update
  };
}
