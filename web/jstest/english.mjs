// Gives the script the server's English catalog (web/messages/en.json), as
// the page's config does in a browser: import it before the modules tested.
import { readFileSync } from 'node:fs';
import { setLocale } from '../static/js/map/messages.js';

export const english = JSON.parse(readFileSync(new URL('../messages/en.json', import.meta.url), 'utf8'));
setLocale(english);
