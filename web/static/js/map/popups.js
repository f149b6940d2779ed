// The popups of incidents and bases, built as DOM nodes from the data.
import { el, safeURL } from './dom.js';
import { t, has, fmtNumber } from './messages.js';
import { fmtDate, fmtCount, targetText, weaponText } from './text.js';

function row(dl, term, value) {
  dl.appendChild(el('dt', null, term));
  const dd = el('dd', null, value);
  dl.appendChild(dd);
  return dd;
}

// pageLink links to one of strikemap's own pages; from an embed it opens
// a new tab rather than navigating inside the iframe.
function pageLink(app, href, text) {
  const a = el('a', 'page-link', text);
  a.href = href;
  if (app.cfg.embed) { a.target = '_blank'; a.rel = 'noopener'; }
  return a;
}

// disputedText names the properties sources disagree on in words, not as
// the data's field names (claimed_by is "who claimed it").
export function disputedText(fields) {
  return fields.map((k) => (has('disputed.' + k) ? t('disputed.' + k) : k)).join(t('list-sep'));
}

// sourceList lists sources, each linked (http(s) only), with its kind,
// date and what it says: an incident's, or a strike's.
export function sourceList(app, sources) {
  const L = app.labels;
  const ul = el('ul', 'sources');
  sources.forEach((s) => {
    const li = el('li');
    const href = safeURL(s.url);
    let name;
    if (href) {
      name = el('a', 'source-link', s.publisher);
      name.href = href;
      name.target = '_blank';
      name.rel = 'noopener noreferrer';
    } else {
      name = el('span', 'source-name', s.publisher);
    }
    li.appendChild(name);
    li.appendChild(el('span', 'source-kind kind-' + s.kind, L.kind[s.kind] || s.kind));
    if (s.published) { li.appendChild(el('span', 'source-date', s.published)); }
    li.appendChild(el('p', 'source-says', s.says));
    ul.appendChild(li);
  });
  return ul;
}

export function incidentPopup(app, f) {
  const L = app.labels;
  const p = f.properties;
  const box = el('div', 'incident-popup');
  box.setAttribute('data-id', f.id);
  box.appendChild(el('h3', null, t('incident-title', { weapon: L.weapon[p.weapon], target: targetText(p) })));
  const dl = el('dl');
  row(dl, t('field.date'), fmtDate(p));
  row(dl, t('field.weapon'), weaponText(L, p));
  row(dl, t('field.target'), p.location_precision === 'base' ? targetText(p) : t('located', { target: targetText(p), precision: p.location_precision }));
  if (p.outcome) { row(dl, t('field.outcome'), p.outcome); }
  row(dl, t('field.injured'), fmtCount(p.injured));
  row(dl, t('field.killed'), fmtCount(p.killed));
  const st = row(dl, t('field.status'), L.status[p.status]);
  st.className = 'status st-' + p.status;
  if (p.claimed_by.length) { row(dl, t('field.claimed-by'), p.claimed_by.join('; ')); }
  const officials = p.sources.filter((s) => s.kind === 'official').map((s) => s.publisher);
  if (officials.length) { row(dl, t('field.confirmed-by'), officials.join('; ')); }
  if (p.disputed.length) {
    row(dl, t('field.disputed'), disputedText(p.disputed)).className = 'disputed-fields';
  }
  box.appendChild(dl);
  box.appendChild(el('h4', null, t('sources', { count: p.sources.length })));
  box.appendChild(sourceList(app, p.sources));
  if (p.notes) { box.appendChild(el('p', 'notes', p.notes)); }
  box.appendChild(pageLink(app, '/incidents/' + encodeURIComponent(f.id), t('permalink')));
  return box;
}

function knownWithUnknown(count, unknown) {
  return unknown ? t('known-with-unknown', { count, unknown }) : fmtNumber(count);
}

export function basePopup(app, f) {
  const L = app.labels;
  const p = f.properties;
  const box = el('div', 'base-popup');
  box.setAttribute('data-id', f.id);
  box.appendChild(el('h3', null, p.name));
  if (p.aliases.length) { box.appendChild(el('p', 'aliases', t('aliases', { aliases: p.aliases.join('; ') }))); }
  const dl = el('dl');
  row(dl, t('field.attacks'), app.isFiltered() ? t('with-filters', { count: p.attacks }) : fmtNumber(p.attacks));
  const counts = (terms, by) => terms.filter((x) => by[x.word]).map((x) => t('term-count', { label: x.label, count: by[x.word] })).join(', ') || t('none');
  row(dl, t('field.by-weapon'), counts(app.cfg.weapons, p.by_weapon));
  row(dl, t('field.by-status'), counts(app.cfg.statuses, p.by_status));
  if (p.first_attack) { row(dl, t('field.first-attack'), p.first_attack); }
  if (p.last_attack) { row(dl, t('field.last-attack'), p.last_attack); }
  row(dl, t('field.injured'), knownWithUnknown(p.injured, p.incidents_injured_unknown));
  row(dl, t('field.killed'), knownWithUnknown(p.killed, p.incidents_killed_unknown));
  const codes = [p.icao, p.iata].filter(Boolean).join(' / ');
  if (codes) { row(dl, t('field.codes'), codes); }
  const loc = row(dl, t('field.location'), t('location-of', { lat: f.geometry.coordinates[1].toFixed(4), lon: f.geometry.coordinates[0].toFixed(4) }));
  const href = safeURL(p.coord_source_url);
  if (href) {
    const a = el('a', 'source-link', p.coord_source);
    a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
    loc.appendChild(a);
  } else {
    loc.appendChild(document.createTextNode(p.coord_source));
  }
  box.appendChild(dl);
  if (p.notes) { box.appendChild(el('p', 'notes', p.notes)); }
  if (app.panelUI) {
    const only = el('button', 'filter-base', t('only-this-base'));
    only.type = 'button';
    only.addEventListener('click', () => app.onlyBase(f.id));
    box.appendChild(only);
  }
  box.appendChild(pageLink(app, '/bases/' + encodeURIComponent(f.id), t('base-report')));
  return box;
}
