// The size of a map label's box from its CSS and a measure of its text,
// without laying the page out. Reading offsetWidth after each label was
// made laid the whole page out each time: at a million incidents on a
// phone's CPU (4× throttled), measuring the base names, the towns and
// the two-line and short forms took some 300 ms of a 3.7 s load.
// Pure: the page gives it the label's computed style and a canvas's
// measureText (maplabels.js); the tests give it their own.

const px = (v) => parseFloat(v) || 0;

// styleBox reads what sizes a label from its computed style (a
// CSSStyleDeclaration, or an object with the same fields): the canvas font
// to measure its text in, the letter spacing CSS adds after each
// character, whether it is drawn in capitals, its line height in pixels and the widths of
// its padding and border across and down. Every label's CSS sets its line
// height; "normal", which depends on the font's metrics, is taken as 1.2
// times the font's size, as most fonts have it.
export function styleBox(cs) {
  const size = px(cs.fontSize);
  let lineHeight = 1.2 * size;
  if (cs.lineHeight && cs.lineHeight !== 'normal') {
    lineHeight = cs.lineHeight.endsWith('px') ? px(cs.lineHeight) : cs.lineHeight.endsWith('%') ? px(cs.lineHeight) / 100 * size : px(cs.lineHeight) * size;
  }
  return {
    font: [cs.fontStyle || 'normal', cs.fontWeight || 'normal', cs.fontSize, cs.fontFamily].join(' '),
    spacing: cs.letterSpacing && cs.letterSpacing !== 'normal' ? px(cs.letterSpacing) : 0,
    upper: cs.textTransform === 'uppercase',
    lineHeight,
    chromeX: px(cs.paddingLeft) + px(cs.paddingRight) + px(cs.borderLeftWidth) + px(cs.borderRightWidth),
    chromeY: px(cs.paddingTop) + px(cs.paddingBottom) + px(cs.borderTopWidth) + px(cs.borderBottomWidth)
  };
}

// textWidth is the width of text on one line in a label of style box:
// measure(font, s) is the advance of s in font (a canvas's measureText);
// letter spacing comes after every character, the last one too, as CSS
// lays it out.
export function textWidth(box, text, measure) {
  const s = box.upper ? text.toUpperCase() : text;
  return measure(box.font, s) + box.spacing * Array.from(s).length;
}

// boxSize is the size of a label of style box holding text on lines
// lines, rounded as offsetWidth and offsetHeight round them: { w, h }.
export function boxSize(box, text, measure, lines = 1) {
  return { w: Math.round(textWidth(box, text, measure) + box.chromeX), h: Math.round(lines * box.lineHeight + box.chromeY) };
}
