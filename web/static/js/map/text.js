// How an incident reads: its dates, weapon, target and counts, through the
// message catalog and the server's labels.
import { t, fmtNumber } from './messages.js';

// labels maps each vocabulary's words to their labels, from the config.
export function labels(cfg) {
  const m = (terms) => Object.fromEntries(terms.map((x) => [x.word, x.label]));
  return { weapon: m(cfg.weapons), status: m(cfg.statuses), kind: m(cfg.sourceKinds) };
}

export function fmtDate(p) { return p.date_end ? t('date-span', { from: p.date, to: p.date_end }) : p.date; }
export function fmtCount(n) { return n === null || n === undefined ? t('unknown-number') : fmtNumber(n); }
export function targetText(p) { return p.base_name || t('no-known-base'); }
export function weaponText(L, p) { return p.count ? t('times', { weapon: L.weapon[p.weapon], count: p.count }) : L.weapon[p.weapon]; }
