// node --test web/jstest: a label's size from its CSS (web/static/js/map/textbox.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { styleBox, textWidth, boxSize } from '../static/js/map/textbox.js';

// A monospaced measure: 7 px a character, and the font it was asked for.
const fonts = [];
const mono = (font, s) => { fonts.push(font); return 7 * s.length; };

const base = { fontStyle: 'normal', fontWeight: '700', fontSize: '12px', fontFamily: 'system-ui, sans-serif', letterSpacing: 'normal', textTransform: 'none', lineHeight: '18px', paddingLeft: '4px', paddingRight: '4px', paddingTop: '0px', paddingBottom: '0px', borderLeftWidth: '1px', borderRightWidth: '1px', borderTopWidth: '1px', borderBottomWidth: '1px' };

test('styleBox reads the font, the line height and the padding and border', () => {
  const b = styleBox(base);
  assert.equal(b.font, 'normal 700 12px system-ui, sans-serif');
  assert.equal(b.lineHeight, 18);
  assert.equal(b.chromeX, 10);
  assert.equal(b.chromeY, 2);
  assert.equal(b.spacing, 0);
  assert.equal(b.upper, false);
});

test('styleBox resolves a line height given as a number or a percentage, and takes normal as 1.2', () => {
  assert.equal(styleBox({ ...base, lineHeight: '1.25' }).lineHeight, 15);
  assert.equal(styleBox({ ...base, lineHeight: '150%' }).lineHeight, 18);
  assert.ok(Math.abs(styleBox({ ...base, lineHeight: 'normal' }).lineHeight - 14.4) < 1e-9);
});

test('boxSize adds padding and border to the text, and line heights down', () => {
  fonts.length = 0;
  const b = styleBox(base);
  assert.deepEqual(boxSize(b, 'Harir', mono), { w: 35 + 10, h: 18 + 2 });
  assert.deepEqual(fonts, ['normal 700 12px system-ui, sans-serif']);
  assert.deepEqual(boxSize({ ...b, lineHeight: 15 }, 'Harir', mono, 2), { w: 45, h: 32 });
});

test('capitals and letter spacing count as CSS lays them out', () => {
  const b = styleBox({ ...base, textTransform: 'uppercase', letterSpacing: '1.82px' });
  const seen = [];
  const w = textWidth(b, 'Iraq', (font, s) => { seen.push(s); return 7 * s.length; });
  assert.deepEqual(seen, ['IRAQ']);
  assert.ok(Math.abs(w - (28 + 4 * 1.82)) < 1e-9, 'spacing after each of the 4 characters: ' + w);
  // A character outside the BMP is one character, not two code units.
  assert.ok(Math.abs(textWidth(b, '𝐀', () => 0) - 1.82) < 1e-9);
});

test('boxSize rounds as offsetWidth does', () => {
  const b = styleBox(base);
  assert.equal(boxSize(b, 'x', () => 10.4).w, 20);
  assert.equal(boxSize(b, 'x', () => 10.6).w, 21);
});
