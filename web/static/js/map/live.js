// Live updates: the page listens to the server's Server-Sent Events
// (/api/events, no polling) and, when the data served changes (a reload of
// -data DIR, a new version of the record), offers to refresh. It never
// reloads by itself: a reader in the middle of something keeps it.
//
// The stream opens only once a reader is there: at their first touch, key,
// click or wheel, or when they come back to the tab. A page that nobody
// uses (a headless screenshot, a print to PDF) never opens it: an open
// stream is a request that never ends, and Chromium's --virtual-time-budget
// waits for every request to end before it takes the picture, for ever.
// Nothing is missed by waiting: the stream's first event is the version
// served at that moment, and the page compares it with its own.
import { t } from './messages.js';

// readerEvents are the events that say a reader is using the page.
const readerEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'];

// createLive listens for new versions of the data, for a page showing
// version cfg.version, from a reader's first use of the page; it does
// nothing without EventSource.
export function createLive(cfg) {
  if (typeof EventSource === 'undefined') { return; }
  let source = null;
  const start = () => {
    if (source) { return; }
    if (document.visibilityState === 'hidden') { return; }
    readerEvents.forEach((type) => window.removeEventListener(type, start, true));
    document.removeEventListener('visibilitychange', start);
    source = listen(cfg);
  };
  readerEvents.forEach((type) => window.addEventListener(type, start, { capture: true, passive: true }));
  // A tab opened in the background and looked at later is a reader too.
  document.addEventListener('visibilitychange', start);
  // Leaving the page closes the stream at once, not at its next heartbeat.
  window.addEventListener('pagehide', () => { if (source) { source.close(); } });
}

// listen opens the stream and offers a refresh when its version is not
// the page's.
function listen(cfg) {
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
  return source;
}
