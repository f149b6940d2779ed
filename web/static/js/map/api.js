// The server's API: JSON over fetch, with the server's error message on failure.
import { t } from './messages.js';

// asOf is the record's version the page shows when it shows an old one
// (?as_of=): every request asks for it, so nothing mixes two versions.
let asOf = '';
export function pinVersion(v) { asOf = v || ''; }

// getJSON fetches url's JSON. A signal (an AbortController's) cancels it:
// the page aborts what a newer filter or view has made stale, so a burst of
// clicks does not queue a burst of downloads; an aborted fetch rejects with
// an AbortError, which isStale recognises.
export function getJSON(url, signal) {
  if (asOf && !/[?&]as_of=/.test(url)) { url += (url.includes('?') ? '&' : '?') + 'as_of=' + encodeURIComponent(asOf); }
  return fetch(url, { headers: { Accept: 'application/geo+json' }, signal }).then((r) => {
    if (!r.ok) {
      return r.json().catch(() => ({})).then((b) => {
        throw new Error((b && b.error) || t('http-error', { status: String(r.status), url }));
      });
    }
    return r.json();
  });
}

// isStale reports whether err is the rejection of a fetch the page aborted.
export function isStale(err) {
  return !!err && err.name === 'AbortError';
}

// latest returns a function that gives a fresh AbortSignal on each call,
// aborting the one it gave before: one request of a kind in flight at once.
export function latest() {
  let ctl = null;
  return () => {
    if (ctl) { ctl.abort(); }
    ctl = new AbortController();
    return ctl.signal;
  };
}
