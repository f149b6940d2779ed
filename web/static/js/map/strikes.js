// The US strikes in response to the attacks: their own layer (off by
// default), from /api/strikes.geojson, on the same timeline: a strike shows
// when its days meet the dates the map shows. A strike is not an incident
// on a base: its marker, a crosshair, and its popup say what was struck,
// where, and which attacks it answered.
import { getJSON } from './api.js';
import { el, svgEl } from './dom.js';
import { t, fmtNumber } from './messages.js';
import { sourceList } from './popups.js';

const L = window.L;

// inRange reports whether a strike's days (date .. date_end) meet from..to.
export function inRange(p, from, to) {
  return p.date <= to && (p.date_end || p.date) >= from;
}

function crosshair() {
  const svg = svgEl('svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('class', 'strike-symbol');
  svg.setAttribute('aria-hidden', 'true');
  const c = svgEl('circle');
  c.setAttribute('cx', '10'); c.setAttribute('cy', '10'); c.setAttribute('r', '6');
  svg.appendChild(c);
  [['10', '1', '10', '19'], ['1', '10', '19', '10']].forEach(([x1, y1, x2, y2]) => {
    const l = svgEl('line');
    l.setAttribute('x1', x1); l.setAttribute('y1', y1); l.setAttribute('x2', x2); l.setAttribute('y2', y2);
    svg.appendChild(l);
  });
  return svg;
}

function strikePopup(app, f) {
  const p = f.properties;
  const box = el('div', 'strike-popup');
  box.setAttribute('data-id', f.id);
  box.appendChild(el('h3', null, t('strike-title', { target: p.target })));
  const dl = el('dl');
  const row = (term, value) => { dl.appendChild(el('dt', null, term)); const dd = el('dd', null, value); dl.appendChild(dd); return dd; };
  row(t('field.date'), p.date_end ? t('date-span', { from: p.date, to: p.date_end }) : p.date);
  row(t('field.target'), t('strike-place', { place: p.place, precision: p.location_precision }));
  if (p.target_groups.length) { row(t('field.claimed-by').replace(/.*/, p.attacker), p.target_groups.join('; ')); }
  row(t('field.killed'), p.killed === null ? t('unknown-number') : fmtNumber(p.killed));
  row(t('field.status'), app.labels.status[p.status]).className = 'status st-' + p.status;
  if (p.in_response_to.length) {
    const dd = row(t('strike-response-to').trim(), '');
    p.in_response_to.forEach((id, i) => {
      const a = el('a', 'page-link', id);
      a.href = '/incidents/' + encodeURIComponent(id);
      if (app.cfg.embed) { a.target = '_blank'; a.rel = 'noopener'; }
      if (i) { dd.append('; '); }
      dd.append(a);
    });
  }
  box.appendChild(dl);
  box.appendChild(el('h4', null, t('sources', { count: p.sources.length })));
  box.appendChild(sourceList(app, p.sources));
  if (p.notes) { box.appendChild(el('p', 'notes', p.notes)); }
  return box;
}

// createStrikes returns {update()}: it loads the strikes the first time the
// layer is shown and draws those in the dates the map shows.
export function createStrikes(app) {
  const layer = app.layers.strikes;
  let fc = null;
  let loading = null;
  function draw() {
    layer.clearLayers();
    const s = app.shown();
    fc.features.filter((f) => inRange(f.properties, s.from, s.to)).forEach((f) => {
      const icon = el('div', 'strike-marker');
      icon.setAttribute('data-id', f.id);
      icon.appendChild(crosshair());
      const [lon, lat] = f.geometry.coordinates;
      const m = L.marker([lat, lon], {
        icon: L.divIcon({ html: icon, className: 'strike-icon', iconSize: [20, 20], iconAnchor: [10, 10] }),
        title: t('strike-title', { target: f.properties.target }) + ', ' + f.properties.date,
        keyboard: true, pane: 'strikes'
      });
      m.bindPopup(() => strikePopup(app, f), { maxWidth: 360, minWidth: 260, maxHeight: 380 });
      layer.addLayer(m);
    });
  }
  function update() {
    if (!app.map.hasLayer(layer)) { return; }
    if (fc) { draw(); return; }
    if (!loading) {
      loading = getJSON('/api/strikes.geojson').then((r) => { fc = r; draw(); })
        .catch((err) => { loading = null; app.showError(t('strikes-failed', { error: err.message })); });
    }
  }
  app.map.on('overlayadd', (e) => { if (e.layer === layer) { update(); } });
  return { update };
}
