// The server's API: JSON over fetch, with the server's error message on failure.
import { t } from './messages.js';

export function getJSON(url) {
  return fetch(url, { headers: { Accept: 'application/geo+json' } }).then((r) => {
    if (!r.ok) {
      return r.json().catch(() => ({})).then((b) => {
        throw new Error((b && b.error) || t('http-error', { status: String(r.status), url }));
      });
    }
    return r.json();
  });
}
