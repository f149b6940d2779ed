// DOM helpers. Text from the data only ever goes in as textContent or DOM
// nodes (never innerHTML), so it cannot become markup under the page's CSP.

const SVGNS = 'http://www.w3.org/2000/svg';

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}

export function svgEl(tag) { return document.createElementNS(SVGNS, tag); }

// symbol is an incident's symbol: the shape says the weapon, the fill the status.
export function symbol(weapon, status, disputed) {
  const svg = svgEl('svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'sym weapon-' + weapon + ' status-' + status + (disputed ? ' disputed' : ''));
  ['sym-outline', 'sym-half'].forEach((cls, i) => {
    const use = svgEl('use');
    use.setAttribute('class', cls);
    use.setAttribute('href', '#sym-' + weapon + (i ? '-half' : ''));
    svg.appendChild(use);
  });
  return svg;
}

// safeURL returns u when it is an absolute http(s) URL, else null: only
// such links from the data ever become hrefs.
export function safeURL(u) {
  if (typeof u !== 'string') { return null; }
  try {
    const p = new URL(u);
    return (p.protocol === 'http:' || p.protocol === 'https:') ? p.href : null;
  } catch (e) { return null; }
}
