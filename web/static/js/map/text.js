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
// clusterCountText is the count written on a cluster's disc: 7,380 in the
// locale's digits, from 10,000 in thousands (12k) and from 999,500 in
// millions to a tenth (1.2M), which keeps the biggest counts inside their
// discs. The exports write the same (mapimage's clusterText).
export function clusterCountText(n) {
  if (n >= 999500) { return t('cluster-millions', { n: Math.round(n / 100000) / 10 }); }
  return n >= 10000 ? t('cluster-thousands', { n: Math.round(n / 1000) }) : fmtNumber(n);
}
export function weaponText(L, p) { return p.count ? t('times', { weapon: L.weapon[p.weapon], count: p.count }) : L.weapon[p.weapon]; }
