// Live updates: the page listens to the server's Server-Sent Events
// (/api/events, no polling) and, when the data served changes (a reload of
// -data DIR, a new version of the record), offers to refresh. It never
// reloads by itself: a reader in the middle of something keeps it.
import { t } from './messages.js';

// createLive listens for new versions of the data, for a page showing
// version cfg.version; it does nothing without EventSource.
export function createLive(cfg) {
  if (typeof EventSource === 'undefined') { return; }
  let button = null;
  const source = new EventSource('/api/events');
  source.addEventListener('version', (ev) => {
    let v;
    try { v = JSON.parse(ev.data); } catch (e) { return; }
    if (!v || v.digest === cfg.version || button) { return; }
    button = document.createElement('button');
    button.type = 'button';
    button.id = 'live-refresh';
    button.className = 'live-refresh';
    button.textContent = t('live.new-data');
    button.addEventListener('click', () => { location.reload(); });
    document.body.appendChild(button);
  });
  // Leaving the page closes the stream at once, not at its next heartbeat.
  window.addEventListener('pagehide', () => source.close());
}
