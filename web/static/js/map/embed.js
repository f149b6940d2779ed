// The embed dialog (the iframe snippet of the current view) and the
// download and image links, which all follow the state.
import { t } from './messages.js';
import { filterQuery, viewQuery, emptySelection } from './state.js';

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
    setLink('download-rings', app.state.bases.length ? '/api/rings.geojson?' + rq.toString() : null);
    if (none) {
      DATA_LINKS.forEach((id) => setLink(id, null));
      drawCode();
      return;
    }
    q.set('download', '1');
    setLink('download-incidents', '/api/incidents.geojson?' + q.toString());
    setLink('download-csv', '/api/incidents.csv?' + q.toString());
    ['png', 'svg', 'pdf'].forEach((f) => {
      const iq = imageQuery();
      iq.set('download', '1');
      if (f === 'png') { iq.set('scale', '2'); }
      setLink('export-' + f, '/api/export/map.' + f + '?' + iq.toString());
    });
    drawCode();
    const bq = new URLSearchParams(q);
    bq.delete('base');
    setLink('download-bases', '/api/bases.geojson?' + bq.toString());
  }

  function embedURL() {
    const q = viewQuery(app.state, cfg);
    if (!document.getElementById('embed-legend').checked) { q.set('legend', '0'); }
    if (!document.getElementById('embed-controls').checked) { q.set('controls', '0'); }
    const title = document.getElementById('embed-title-text').value.trim();
    if (title) { q.set('title', title); }
    return location.origin + '/embed?' + q.toString();
  }

  // drawCode writes the iframe snippet as text: the textarea's value,
  // never markup in this page.
  function drawCode() {
    const dialog = document.getElementById('embed-dialog');
    if (!dialog || !dialog.open) { return; }
    const size = (dialog.querySelector('input[name=embed-size]:checked') || {}).value || '800x500';
    const wh = size.split('x');
    const src = embedURL();
    const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const title = document.getElementById('embed-title-text').value.trim() || t('embed-title-default');
    document.getElementById('embed-code').value = '<iframe src="' + attr(src) + '" width="' + attr(wh[0]) + '" height="' + attr(wh[1]) +
      '" title="' + attr(title) + '" loading="lazy" style="border:0" allowfullscreen></iframe>';
    document.getElementById('embed-preview').href = src;
    if (emptySelection(app.state)) { setLink('embed-image', null); return; }
    const iq = imageQuery();
    iq.set('width', wh[0] === '100%' ? '1200' : wh[0]);
    iq.set('height', wh[1]);
    if (title) { iq.set('title', title); }
    setLink('embed-image', '/api/export/map.png?' + iq.toString());
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
  return { drawDownloads };
}
