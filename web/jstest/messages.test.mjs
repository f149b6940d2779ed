// Unit tests of the map page's message catalog: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { english } from './english.mjs';
import { t, fmtNumber, setLocale, dir } from '../static/js/map/messages.js';

test('counts get thousands separators', () => {
  assert.equal(fmtNumber(0), '0');
  assert.equal(fmtNumber(999), '999');
  assert.equal(fmtNumber(200000), '200,000');
  assert.equal(fmtNumber(1234567), '1,234,567');
  assert.equal(t('count-some', { count: 121000, total: 200000 }), '121,000 of 200,000 incidents');
  assert.equal(t('count-all', { count: 5 }), '5 incidents');
});

test('strings are passed as they are, missing parameters left visible', () => {
  assert.equal(t('cluster-near', { count: 12345, place: 'Ain al-Asad' }), 'Near Ain al-Asad: 12,345 incidents');
  assert.equal(t('incident-title', { weapon: 'Drone' }), 'Drone attack on {target}');
  assert.throws(() => t('no-such-key'));
});

test('counts are written from the catalog\'s numbers, as the server writes them', () => {
  // The descriptions the server gives (internal/catalog's NumberFormat) for
  // Arabic and Hindi: other digits, another separator, groups of 3 then 2.
  const ar = { digits: ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'], group: '٬', primary: 3, secondary: 3 };
  const hi = { digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], group: ',', primary: 3, secondary: 2 };
  try {
    setLocale({ locale: 'ar', dir: 'rtl', messages: {}, numbers: ar });
    assert.equal(fmtNumber(1234567), '١٬٢٣٤٬٥٦٧');
    assert.equal(fmtNumber(999), '٩٩٩');
    setLocale({ locale: 'hi-IN', dir: 'ltr', messages: {}, numbers: hi });
    assert.equal(fmtNumber(1234567), '12,34,567');
    assert.equal(fmtNumber(100000), '1,00,000');
    assert.equal(fmtNumber(1000), '1,000');
    // What the description does not cover goes to Intl.
    assert.equal(fmtNumber(1234.5), new Intl.NumberFormat('hi-IN').format(1234.5));
  } finally {
    setLocale(english);
  }
  // en.json carries no description (the server adds it): the English
  // tests above went through Intl, and the server's English must agree.
  setLocale({ ...english, numbers: { digits: hi.digits, group: ',', primary: 3, secondary: 3 } });
  try {
    for (const n of [0, 7, 999, 1000, 12345, 200000, 1234567, 987654321]) {
      assert.equal(fmtNumber(n), new Intl.NumberFormat('en').format(n));
    }
  } finally {
    setLocale(english);
  }
});

test('another catalog changes the text, the digits and the direction', () => {
  setLocale({ locale: 'ar-IQ', dir: 'rtl', messages: { 'count-all': '{count} حادثة' } });
  try {
    assert.equal(t('count-all', { count: 1200 }), new Intl.NumberFormat('ar-IQ').format(1200) + ' حادثة');
    assert.equal(dir(), 'rtl');
    assert.throws(() => t('show'));
  } finally {
    setLocale(english);
  }
});

test('a cluster\'s disc writes its count grouped, and in thousands from 10,000', async () => {
  const { clusterCountText } = await import('../static/js/map/text.js');
  assert.equal(clusterCountText(7), '7');
  assert.equal(clusterCountText(7380), '7,380');
  assert.equal(clusterCountText(9999), '9,999');
  assert.equal(clusterCountText(10000), '10k');
  assert.equal(clusterCountText(183642), '184k');
  assert.equal(clusterCountText(999499), '999k');
  assert.equal(clusterCountText(999500), '1M');
  assert.equal(clusterCountText(1000000), '1M');
  assert.equal(clusterCountText(1250000), '1.3M');
  assert.equal(clusterCountText(12345678), '12.3M');
  const ar = { digits: ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'], group: '٬', primary: 3, secondary: 3 };
  setLocale({ locale: 'ar', dir: 'rtl', messages: { 'cluster-thousands': '{n} ألف' }, numbers: ar });
  try {
    assert.equal(clusterCountText(7380), '٧٬٣٨٠');
    assert.equal(clusterCountText(183642), '١٨٤ ألف');
  } finally {
    setLocale(english);
  }
});
