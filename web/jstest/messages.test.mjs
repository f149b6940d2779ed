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
