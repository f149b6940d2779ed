// Side-by-side benchmark of npm supercluster against strikemap's
// internal/cluster: reads the points and viewport queries written by
// `go run ./bench/supercluster -write`, builds a Supercluster with the same
// options as the Go side, and prints build time, memory and query latency.
//
//   node --expose-gc bench.js points.bin queries.bin
import {readFileSync} from 'node:fs';
import Supercluster from 'supercluster';

const [pointsFile, queriesFile] = process.argv.slice(2);
if (!pointsFile || !queriesFile) {
    console.error('usage: node --expose-gc bench.js points.bin queries.bin');
    process.exit(2);
}
const gc = globalThis.gc || (() => {});

// little-endian float64 files: points are lon,lat pairs; queries are
// zoom,minLon,minLat,maxLon,maxLat
const asFloat64 = (file) => {
    const buf = readFileSync(file);
    return new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
};
const raw = asFloat64(pointsFile);
const features = [];
for (let i = 0; i < raw.length; i += 2) {
    features.push({type: 'Feature', properties: null, geometry: {type: 'Point', coordinates: [raw[i], raw[i + 1]]}});
}
const queries = asFloat64(queriesFile);

const mb = (b) => (b / (1 << 20)).toFixed(1);
const used = () => {
    const m = process.memoryUsage();
    return {heap: m.heapUsed, external: m.external, rss: m.rss};
};

gc(); gc();
const before = used();
const t0 = performance.now();
const index = new Supercluster({radius: 40, extent: 512, minZoom: 0, maxZoom: 16, minPoints: 2}).load(features);
const buildMs = performance.now() - t0;
gc(); gc();
const after = used();

console.log(`supercluster ${JSON.parse(readFileSync(new URL('./node_modules/supercluster/package.json', import.meta.url))).version}, node ${process.version}`);
console.log(`points ${features.length}`);
console.log(`build ${buildMs.toFixed(0)} ms`);
console.log(`index heapUsed +${mb(after.heap - before.heap)} MB, external (typed arrays) +${mb(after.external - before.external)} MB, ` +
    `total +${mb(after.heap + after.external - before.heap - before.external)} MB`);
console.log(`rss ${mb(after.rss)} MB, peak rss ${mb(process.resourceUsage().maxRSS * 1024)} MB (includes the ${features.length} input features)`);

const world = [];
for (let z = 0; z <= 17; z++) world.push(index.getClusters([-180, -90, 180, 90], z).length);
console.log(`world entries by zoom 0..17: ${world.join(' ')}`);

// warm up, then time each query
const nq = queries.length / 5;
for (let q = 0; q < Math.min(nq, 200); q++) {
    const k = q * 5;
    index.getClusters([queries[k + 1], queries[k + 2], queries[k + 3], queries[k + 4]], queries[k]);
}
const byZoom = new Map();
let returned = 0;
for (let q = 0; q < nq; q++) {
    const k = q * 5;
    const t = process.hrtime.bigint();
    const cs = index.getClusters([queries[k + 1], queries[k + 2], queries[k + 3], queries[k + 4]], queries[k]);
    const us = Number(process.hrtime.bigint() - t) / 1000;
    returned += cs.length;
    const z = queries[k];
    if (!byZoom.has(z)) byZoom.set(z, []);
    byZoom.get(z).push(us);
}
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const all = [...byZoom.values()].flat().sort((a, b) => a - b);
console.log(`queries ${nq}: p50 ${pct(all, 0.5).toFixed(1)} µs, p99 ${pct(all, 0.99).toFixed(1)} µs, max ${all[all.length - 1].toFixed(1)} µs, ${(returned / nq).toFixed(1)} entries/query`);
for (const [z, xs] of [...byZoom].sort((a, b) => a[0] - b[0])) {
    xs.sort((a, b) => a - b);
    console.log(`  zoom ${String(z).padStart(2)}: p50 ${pct(xs, 0.5).toFixed(1)} µs, p99 ${pct(xs, 0.99).toFixed(1)} µs`);
}
