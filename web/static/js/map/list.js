// The incident list (the keyboard and screen-reader way through the data)
// and the count above it.
import { el, symbol } from './dom.js';
import { t } from './messages.js';
import { emptySelection } from './state.js';
import { fmtDate, targetText, weaponText } from './text.js';

export function createList(app) {
  const { cfg } = app;
  let sortAscending = true;
  let last = null;

  function draw(fc) {
    if (!app.panelUI) { return; }
    last = fc;
    const Lb = app.labels;
    const tbody = document.querySelector('#incident-list tbody');
    const rows = fc.features.slice(0, cfg.listLimit);
    rows.sort((a, b) => {
      const c = a.properties.date < b.properties.date ? -1 : a.properties.date > b.properties.date ? 1 : (a.id < b.id ? -1 : 1);
      return sortAscending ? c : -c;
    });
    const frag = document.createDocumentFragment();
    rows.forEach((f) => {
      const p = f.properties;
      const tr = el('tr');
      tr.setAttribute('data-id', f.id);
      tr.appendChild(el('td', 'nowrap', fmtDate(p)));
      tr.appendChild(el('td', null, targetText(p)));
      const w = el('td', 'nowrap');
      w.appendChild(symbol(p.weapon, p.status, false));
      w.appendChild(document.createTextNode(' ' + weaponText(Lb, p)));
      tr.appendChild(w);
      tr.appendChild(el('td', 'status st-' + p.status, p.disputed.length ? t('disputed-suffix', { status: Lb.status[p.status] }) : Lb.status[p.status]));
      const td = el('td');
      const btn = el('button', 'focus-incident', t('show'));
      btn.type = 'button';
      btn.setAttribute('aria-label', t('show-label', { date: fmtDate(p), weapon: Lb.weapon[p.weapon].toLowerCase(), target: targetText(p) }));
      btn.addEventListener('click', () => app.focusIncident(f.id, true));
      td.appendChild(btn);
      tr.appendChild(td);
      frag.appendChild(tr);
    });
    if (fc.features.length > cfg.listLimit) {
      const more = el('tr', 'list-more');
      const td = el('td', null, t('list-more', { limit: cfg.listLimit }));
      td.colSpan = 5;
      more.appendChild(td);
      frag.appendChild(more);
    }
    tbody.replaceChildren(frag);
    const th = document.querySelector('#incident-list th[aria-sort]');
    th.setAttribute('aria-sort', sortAscending ? 'ascending' : 'descending');
    document.getElementById('sort-date').textContent = t(sortAscending ? 'sort-date-asc' : 'sort-date-desc');
  }

  function drawCount(n, total) {
    if (!app.panelUI) { return; }
    let text = n === total ? t('count-all', { count: n }) : t('count-some', { count: n, total });
    if (app.mode === 'clusters') { text += t('count-clustered'); }
    if (emptySelection(app.state)) { text = t('count-none'); }
    document.getElementById('incident-count').textContent = text;
  }

  if (app.panelUI) {
    document.getElementById('sort-date').addEventListener('click', () => {
      sortAscending = !sortAscending;
      if (last) { draw(last); }
    });
  }
  return { draw, drawCount };
}
