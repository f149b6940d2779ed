// Times web/static/js/map/labels.js's placement with its grid index against
// the same placement with rbush, on random marks and labels in a 1280x800
// view. rbush is not a dependency of strikemap: fetch it for this only and
// pass the path of its module (without one, only the grid is timed):
//   d=$(mktemp -d) && (cd "$d" && npm install --no-save --silent rbush@4.0.1)
//   node bench/labels/bench.mjs "$d/node_modules/rbush/index.js"
import { GridIndex, labelBox, SIDES } from '../../web/static/js/map/labels.js';

const rbushPath = process.argv[2];
const RBush = rbushPath ? (await import(rbushPath)).default : null;
let seed = 7;
const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const box = (a, b, c, d) => ({ minX: a, minY: b, maxX: c, maxY: d });
const W = 1280, H = 800, RUNS = 50;
for (const [nm, nc] of [[50, 100], [50, 100], [1000, 300], [3000, 500], [5000, 500]]) {
  const marks = Array.from({ length: nm }, () => { const x = rnd() * W, y = rnd() * H; return box(x - 9, y - 9, x + 9, y + 9); });
  const cands = Array.from({ length: nc }, (_, i) => ({ id: i, x: rnd() * W, y: rnd() * H, w: 30 + rnd() * 80, h: 14, gap: 6 }));
  const place = (idx) => {
    marks.forEach((m) => idx.insert(m));
    let n = 0;
    for (const c of cands) {
      for (const a of SIDES) {
        const b = labelBox(c.x, c.y, c.w, c.h, c.gap, a);
        if (b.minX < 0 || b.minY < 0 || b.maxX > W || b.maxY > H || idx.collides(b)) { continue; }
        idx.insert(b); n++; break;
      }
    }
    return n;
  };
  const indexes = [['grid', () => new GridIndex()]];
  if (RBush) { indexes.push(['rbush', () => new RBush()]); }
  for (const [name, make] of indexes) {
    let n = 0;
    const t0 = performance.now();
    for (let i = 0; i < RUNS; i++) { n = place(make()); }
    console.log(`${nm} marks, ${nc} labels: ${name} ${((performance.now() - t0) / RUNS).toFixed(2)} ms per placement, ${n} placed`);
  }
}
