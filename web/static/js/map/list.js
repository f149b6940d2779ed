// The incident list (the keyboard and screen-reader way through the data)
// and the count above it. The list is a page of the server's answer: the
// server sorts the whole filtered set (sort=date, -date, base, -base) and
// the list pages through it, so the newest incident of 200,000 is one click
// away. By default it holds only what the map shows (the view's bbox), and
// follows the map as it moves. Its order and page are the state's (sort,
// page), in the URL: a shared link reopens the same page in the same order.
import { el, symbol } from './dom.js';
import { t } from './messages.js';
import { getJSON, isStale, latest } from './api.js';
import { emptySelection, filterQuery, queryString } from './state.js';
import { fmtDate, targetText, weaponText } from './text.js';

// nextSort is the order a click on a column's header asks for: its
// ascending order first, then the reverse.
export function nextSort(current, column) {
  return current === column ? '-' + column : column;
}

// pageRange says which rows a page holds: "1–500 of 6,000".
export function pageRange(offset, returned, matched, inView) {
  if (matched === 0) { return t(inView ? 'list-none-in-view' : 'list-none'); }
  return t(inView ? 'list-range-in-view' : 'list-range', { first: offset + 1, last: offset + returned, total: matched });
}

// viewBBox is the map's view as the API's bbox, clamped to the world.
export function viewBBox(map) {
  const b = map.getBounds();
  return [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())]
    .map((v) => v.toFixed(5)).join(',');
}

// FIRST_ROWS is how many of a page's rows are written at once, and
// ROWS_PER_TASK how many each later task makes (drawRows).
const FIRST_ROWS = 50;
const ROWS_PER_TASK = 100;

// nextTask runs fn in a task of its own, after what is already queued (a
// click, the page's redraw). Not setTimeout: a tab in the background gets
// a timer's task about once a second, and a page of rows would take it
// seconds.
let tasks = null; // made at first use: an open channel keeps node's tests running
const queued = [];
function nextTask(fn) {
  if (!tasks) {
    tasks = new MessageChannel();
    tasks.port1.onmessage = () => { queued.shift()(); };
  }
  queued.push(fn);
  tasks.port2.postMessage(null);
}

export function createList(app) {
  const { cfg } = app;
  let seq = 0;
  let offset = 0; // of the page drawn
  let held = false; // a move of the map the list made itself
  const signal = latest(); // aborts the page asked for before
  // An embed has no list, and so no such box: nothing to follow there.
  const inView = () => { const box = document.getElementById('list-in-view'); return !!box && box.checked; };

  // wholeWords writes text into cell with each hyphenated word ("(al-Omar",
  // "al-Jir)") kept on one line: a browser breaks a squeezed line after a
  // hyphen, which splits a place's name over two lines of a narrow column.
  function wholeWords(cell, text) {
    text.split(/(\s+)/).forEach((w) => {
      cell.append(w.includes('-') ? el('span', 'nowrap', w) : w);
    });
    return cell;
  }

  // row makes the list's row of an incident.
  function row(f) {
    const Lb = app.labels;
    const p = f.properties;
    const tr = el('tr');
    tr.setAttribute('data-id', f.id);
    const date = el('td', 'list-date');
    date.appendChild(el('span', 'nowrap', p.date));
    if (p.date_end) {
      // "to 2023-10-20", the date kept whole (a browser may break a
      // squeezed line after a hyphen) and the words of the message free.
      const end = el('span', 'date-end');
      const [before, after] = t('date-to', { date: '\u0001' }).split('\u0001');
      end.append(before, el('span', 'nowrap', p.date_end), after || '');
      date.appendChild(end);
    }
    tr.appendChild(date);
    tr.appendChild(wholeWords(el('td', 'list-target'), targetText(p)));
    const w = el('td', 'list-attack');
    // The symbol keeps to the first word, and the rest wraps where it
    // has spaces: "Unknown weapon × 3" on one line would widen the
    // column past the panel. The count ("Rocket × 15", joined by
    // no-break spaces) may go to a line of its own.
    const text = weaponText(Lb, p);
    const m = /[ \u00a0]/.exec(text);
    const cut = m ? m.index : text.length;
    const weapon = el('span', 'list-weapon');
    const first = el('span', 'nowrap');
    first.append(symbol(p.weapon, p.status, false), ' ' + text.slice(0, cut));
    weapon.append(first, m ? ' ' + text.slice(cut + 1) : '');
    w.appendChild(weapon);
    w.appendChild(el('span', 'status st-' + p.status, p.disputed.length ? t('disputed-suffix', { status: Lb.status[p.status] }) : Lb.status[p.status]));
    tr.appendChild(w);
    const td = el('td', 'list-show');
    const btn = el('button', 'focus-incident', t('show'));
    btn.type = 'button';
    btn.setAttribute('aria-label', t('show-label', { date: fmtDate(p), weapon: Lb.weapon[p.weapon].toLowerCase(), target: targetText(p) }));
    btn.addEventListener('click', () => app.focusIncident(f.id, true, f));
    td.appendChild(btn);
    tr.appendChild(td);
    return tr;
  }

  // drawRows writes a page's rows: the first FIRST_ROWS at once, the rest
  // made ROWS_PER_TASK at a time in tasks of their own, out of the page,
  // and put in together. 500 rows are some 10,000 nodes, which at a million
  // incidents took the main thread for a few hundred milliseconds right
  // after the map was drawn: the page answered no click meanwhile, though
  // the rows are below the filters, out of sight. (Put in a task at a time,
  // the table would be laid out again for each: its columns fit all its
  // rows.) It resolves once every row is in, or when a newer page took its
  // place (drawn counts the pages).
  let drawn = 0;
  function drawRows(fc) {
    const my = ++drawn;
    const tbody = document.querySelector('#incident-list tbody');
    const rows = fc.features;
    const first = document.createDocumentFragment();
    rows.slice(0, FIRST_ROWS).forEach((f) => first.appendChild(row(f)));
    tbody.replaceChildren(first);
    if (rows.length <= FIRST_ROWS) { return Promise.resolve(); }
    const rest = document.createDocumentFragment();
    return new Promise((resolve) => {
      const more = (from) => {
        if (my !== drawn) { resolve(); return; }
        rows.slice(from, from + ROWS_PER_TASK).forEach((f) => rest.appendChild(row(f)));
        if (from + ROWS_PER_TASK < rows.length) { nextTask(() => more(from + ROWS_PER_TASK)); return; }
        tbody.appendChild(rest);
        resolve();
      };
      nextTask(() => more(FIRST_ROWS));
    });
  }

  function drawSort() {
    [['date', 'sort-date'], ['base', 'sort-base']].forEach(([column, id]) => {
      const button = document.getElementById(id);
      const th = button.closest('th');
      const sort = app.state.sort;
      const on = sort.replace('-', '') === column;
      if (on) { th.setAttribute('aria-sort', sort[0] === '-' ? 'descending' : 'ascending'); } else { th.removeAttribute('aria-sort'); }
      button.textContent = t('sort.' + column + (on ? (sort[0] === '-' ? '.desc' : '.asc') : ''));
    });
  }

  function drawPaging(returned, matched) {
    document.getElementById('list-prev').disabled = offset === 0;
    document.getElementById('list-next').disabled = offset + returned >= matched;
    document.getElementById('list-range').textContent = pageRange(offset, returned, matched, inView());
  }

  // On a phone the panel is a drawer over the map, not drawn while closed
  // (its content-visibility): the list is asked for and drawn only once
  // the drawer is open. A page of 500 rows is some 7,000 nodes; made at
  // every filter click for a closed drawer, it held a phone's slow CPU for
  // hundreds of milliseconds for a table no one could see. Until it is
  // drawn for the current choice, the table says it is waiting
  // (data-pending, aria-busy); opening the drawer draws it.
  const table = document.getElementById('incident-list');
  let pending = false;
  function setPending(on) {
    pending = on;
    if (on) { table.setAttribute('data-pending', '1'); table.setAttribute('aria-busy', 'true'); } else { table.removeAttribute('data-pending'); table.removeAttribute('aria-busy'); }
  }
  // shown draws the list if it waits: the drawer opened, or the window
  // grew past a phone's width.
  function shown() {
    if (pending && !app.drawerClosed()) { load(); }
  }

  // load asks the server for the state's page of the list and draws it
  // (while play runs, the first page of its frame: play leaves the state
  // alone); out of a reader's reach, it only notes that the list is due.
  function load() {
    if (!app.panelUI) { return Promise.resolve(); }
    if (app.drawerClosed()) {
      ++seq; // an answer still on its way is for an older choice
      signal();
      setPending(true);
      app.setBusy(false, 'list');
      return Promise.resolve();
    }
    setPending(false);
    const my = ++seq;
    offset = app.frame ? 0 : (app.state.page - 1) * cfg.listLimit;
    drawSort();
    const shown = app.shown ? app.shown() : app.state; // play's frame, while it plays
    if (emptySelection(shown)) {
      drawRows({ features: [] });
      drawPaging(0, 0);
      // A page asked for before, and still being drawn, is not drawn.
      app.setBusy(false, 'list');
      return Promise.resolve();
    }
    const q = filterQuery(shown, cfg);
    if (inView()) { q.set('bbox', viewBBox(app.map)); }
    q.set('sort', app.state.sort);
    q.set('limit', String(cfg.listLimit));
    if (offset > 0) { q.set('offset', String(offset)); }
    q.set('count', '1');
    app.setBusy(true, 'list');
    return getJSON('/api/incidents.geojson?' + queryString(q), signal()).then((fc) => {
      if (my !== seq) { return; }
      // A page past the end (an old link, fewer matches now): its last page.
      if (offset > 0 && offset >= fc.numberMatched && !app.frame) {
        app.state.page = Math.max(1, Math.ceil(fc.numberMatched / cfg.listLimit));
        app.writeURL(false);
        return load();
      }
      drawPaging(fc.features.length, fc.numberMatched);
      return drawRows(fc).then(() => {
        if (my === seq) { app.setBusy(false, 'list'); }
      });
    }).catch((err) => {
      if (my !== seq || isStale(err)) { return; }
      app.showError(t('load-failed', { error: err.message }));
      app.setBusy(false, 'list');
    });
  }

  // refresh starts the list again from its first page: what it holds
  // changed.
  function refresh(push) {
    app.state.page = 1;
    app.writeURL(push);
    return load();
  }

  // moved follows the map, unless the list itself moved it (Show, back and
  // forward): the row the reader chose stays where it is.
  function moved() {
    if (!held && inView()) { refresh(false); }
  }

  function turn(by) {
    app.state.page = Math.max(1, app.state.page + by);
    app.writeURL(true);
    load();
  }

  function drawCount(n, total) {
    if (!app.panelUI) { return; }
    let text = n === total ? t('count-all', { count: n }) : t('count-some', { count: n, total });
    if (app.mode === 'clusters') { text += t('count-clustered'); }
    if (emptySelection(app.state)) { text = t('count-none'); }
    document.getElementById('incident-count').textContent = text;
  }

  if (app.panelUI) {
    document.getElementById('sort-date').addEventListener('click', () => { app.state.sort = nextSort(app.state.sort, 'date'); refresh(true); });
    document.getElementById('sort-base').addEventListener('click', () => { app.state.sort = nextSort(app.state.sort, 'base'); refresh(true); });
    document.getElementById('list-in-view').addEventListener('change', () => refresh(false));
    document.getElementById('list-prev').addEventListener('click', () => turn(-1));
    document.getElementById('list-next').addEventListener('click', () => turn(1));
    window.addEventListener('resize', shown);
  }
  // quietly runs fn (a move of the map) without the list following it.
  function quietly(fn) {
    held = true;
    try { fn(); } finally { held = false; }
  }

  return { load, moved, quietly, drawCount, shown };
}
