// The embed dialog (the iframe snippet of the current view) and the
// download and image links, which all follow the state; and, on /embed,
// what the embed says about itself: its caption, its legend and (with
// height=auto) its height, posted to the host page.
import { t, fmtDayRange } from './messages.js';
import { filterQuery, viewQuery, emptySelection, sameSet, words, baseIDs, queryString } from './state.js';

// HOST_SCRIPT is the host page's one line: it sets the height of the
// iframes of strikemap's origin that ask for it (static/js/embed-host.js).
const HOST_SCRIPT = '/static/js/embed-host.js';

// captionText says what an embed shows: the dates, the filters that narrow
// the data, the count and the dataset version, in the catalog's words.
export function captionText(s, cfg, count) {
  const sep = t('list-sep');
  const label = (terms, chosen) => terms.filter((x) => chosen.includes(x.word)).map((x) => x.label).join(sep);
  const parts = [fmtDayRange(s.from, s.to)];
  if (emptySelection(s)) {
    parts.push(t('caption.nothing'));
  } else {
    if (!sameSet(s.weapons, words(cfg.weapons))) { parts.push(t('caption.weapons', { list: label(cfg.weapons, s.weapons) })); }
    if (!sameSet(s.statuses, words(cfg.statuses))) { parts.push(t('caption.statuses', { list: label(cfg.statuses, s.statuses) })); }
    if (!sameSet(s.bases, baseIDs(cfg))) {
      // The targets in the order the panel lists them, "no known base" last.
      const names = cfg.bases.filter((b) => s.bases.includes(b.id)).map((b) => b.name);
      if (cfg.noBase && s.bases.includes(cfg.noBase)) { names.push(t('no-known-base')); }
      const total = baseIDs(cfg).length;
      parts.push(names.length <= 3 ? t('caption.targets', { list: names.join(sep) }) : t('caption.targets-some', { count: names.length, total }));
    }
  }
  parts.push(count === 1 ? t('caption.count-one') : t('count-all', { count }));
  parts.push(t('caption.version', { version: cfg.version }));
  return parts.join(t('caption-sep'));
}

// snippet is the HTML an embed dialog offers for src at a size ("WxH", or
// "auto": the column's width and the height the embed asks for). Every
// size keeps to the host's column (max-width: 100%), so none overflows a
// phone.
export function snippet(src, size, title, origin) {
  const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  if (size === 'auto') {
    const u = new URL(src);
    u.searchParams.set('height', 'auto');
    u.search = queryString(u.searchParams);
    return '<iframe src="' + attr(u.href) + '" width="100%" height="500" title="' + attr(title) +
      '" loading="lazy" style="border:0;width:100%;max-width:100%" allowfullscreen data-strikemap-height="auto"></iframe>' +
      '<script src="' + attr(origin + HOST_SCRIPT) + '" async></script>';
  }
  const wh = size.split('x');
  return '<iframe src="' + attr(src) + '" width="' + attr(wh[0]) + '" height="' + attr(wh[1]) +
    '" title="' + attr(title) + '" loading="lazy" style="border:0;max-width:100%" allowfullscreen></iframe>';
}

// DATA_LINKS are the links whose content the filters choose.
const DATA_LINKS = ['download-incidents', 'download-csv', 'download-bases', 'export-png', 'export-svg', 'export-pdf', 'embed-image'];

export function createEmbed(app) {
  const { cfg } = app;

  function imageQuery() {
    const q = viewQuery(app.state, cfg);
    const size = app.map.getSize();
    q.set('width', String(Math.max(200, Math.min(4000, size.x))));
    q.set('height', String(Math.max(200, Math.min(4000, size.y))));
    return q;
  }

  // setLink points a link at href, or, with href null, disables it: a link
  // with no href is text, which the downloads-none note explains.
  function setLink(id, href) {
    const a = document.getElementById(id);
    if (href === null) {
      a.removeAttribute('href');
      a.setAttribute('aria-disabled', 'true');
    } else {
      a.href = href;
      a.removeAttribute('aria-disabled');
    }
  }

  function drawDownloads() {
    if (!app.panelUI) { return; }
    // Nothing ticked in a group selects nothing: no file or image of it.
    const none = emptySelection(app.state);
    const note = document.getElementById('downloads-none');
    note.hidden = !none;
    note.textContent = none ? t('downloads-none') : '';
    const q = filterQuery(app.state, cfg);
    // The rings follow the bases alone.
    const rq = new URLSearchParams({ download: '1' });
    if (q.has('base')) { rq.set('base', q.get('base')); }
    setLink('download-rings', app.state.bases.length ? '/api/rings.geojson?' + queryString(rq) : null);
    if (none) {
      DATA_LINKS.forEach((id) => setLink(id, null));
      drawCode();
      return;
    }
    q.set('download', '1');
    setLink('download-incidents', '/api/incidents.geojson?' + queryString(q));
    setLink('download-csv', '/api/incidents.csv?' + queryString(q));
    ['png', 'svg', 'pdf'].forEach((f) => {
      const iq = imageQuery();
      iq.set('download', '1');
      if (f === 'png') { iq.set('scale', '2'); }
      setLink('export-' + f, '/api/export/map.' + f + '?' + queryString(iq));
    });
    drawCode();
    const bq = new URLSearchParams(q);
    bq.delete('base');
    setLink('download-bases', '/api/bases.geojson?' + queryString(bq));
  }

  function embedURL() {
    const q = viewQuery(app.state, cfg);
    if (!document.getElementById('embed-legend').checked) { q.set('legend', '0'); }
    if (!document.getElementById('embed-controls').checked) { q.set('controls', '0'); }
    const title = document.getElementById('embed-title-text').value.trim();
    if (title) { q.set('title', title); }
    return location.origin + '/embed?' + queryString(q);
  }

  // drawCode writes the iframe snippet as text: the textarea's value,
  // never markup in this page.
  function drawCode() {
    const dialog = document.getElementById('embed-dialog');
    if (!dialog || !dialog.open) { return; }
    const size = (dialog.querySelector('input[name=embed-size]:checked') || {}).value || 'auto';
    const src = embedURL();
    const title = document.getElementById('embed-title-text').value.trim() || t('embed-title-default');
    document.getElementById('embed-code').value = snippet(src, size, title, location.origin);
    document.getElementById('embed-preview').href = src;
    if (emptySelection(app.state)) { setLink('embed-image', null); return; }
    const wh = size === 'auto' ? ['1200', '800'] : size.split('x');
    const iq = imageQuery();
    iq.set('width', wh[0] === '100%' ? '1200' : wh[0]);
    iq.set('height', wh[1]);
    if (title) { iq.set('title', title); }
    setLink('embed-image', '/api/export/map.png?' + queryString(iq));
  }

  // drawEmbed, on /embed, writes the caption and shows in the legend only
  // what the map shows; features are the drawn incidents (none when the
  // map draws clusters).
  function drawEmbed(count, features) {
    if (!cfg.embed) { return; }
    const s = app.state;
    const caption = document.getElementById('embed-caption');
    if (caption) { caption.textContent = captionText(s, cfg, count); }
    const legend = document.getElementById('embed-legend');
    if (legend) {
      const incidents = s.layers.includes('incidents') && count > 0;
      legend.querySelectorAll('[data-weapon]').forEach((li) => { li.hidden = !incidents || !s.weapons.includes(li.dataset.weapon); });
      legend.querySelectorAll('[data-status]').forEach((li) => { li.hidden = !incidents || !s.statuses.includes(li.dataset.status); });
      legend.querySelectorAll('[data-layer]').forEach((li) => { li.hidden = !s.layers.includes(li.dataset.layer); });
      const disputed = app.mode === 'clusters' || features.some((f) => f.properties.disputed.length);
      legend.querySelectorAll('[data-disputed]').forEach((li) => { li.hidden = !incidents || !disputed; });
    }
    postHeight();
    if (window.parent !== window) {
      // Tell the host page what the embed shows (e.g. to log it).
      window.parent.postMessage({ type: 'strikemap:rendered', incidents: count, version: cfg.version }, '*');
    }
  }

  // postHeight tells the host page (embed-host.js) the height the embed
  // needs, with height=auto: the page is then as tall as its content.
  let posted = 0;
  function postHeight() {
    if (!cfg.embed || window.parent === window || !document.body.classList.contains('auto-height')) { return; }
    const h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h === posted) { return; }
    posted = h;
    window.parent.postMessage({ type: 'strikemap:height', height: h }, '*');
  }
  if (cfg.embed && window.ResizeObserver) {
    new ResizeObserver(postHeight).observe(document.body);
  }

  if (app.panelUI) {
    const dialog = document.getElementById('embed-dialog');
    document.getElementById('embed-open').addEventListener('click', () => {
      dialog.showModal();
      document.getElementById('embed-copied').textContent = '';
      drawCode();
    });
    dialog.addEventListener('change', drawCode);
    dialog.addEventListener('input', drawCode);
    document.getElementById('embed-copy').addEventListener('click', () => {
      const code = document.getElementById('embed-code');
      const done = () => { document.getElementById('embed-copied').textContent = t('copied'); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.value).then(done, () => { code.select(); document.execCommand('copy'); done(); });
      } else {
        code.select();
        document.execCommand('copy');
        done();
      }
    });
  }
  return { drawDownloads, drawEmbed };
}
