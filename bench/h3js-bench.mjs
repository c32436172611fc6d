// Baseline for bench/Benchmarks/H3: h3-js 4.5.0 throughput on the same 1000 inputs (mulberry32 seed 42,
// uniform points on the sphere, resolution i % 16). Usage: node bench/h3js-bench.mjs [passes]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../tools/node/package.json'));
const h3 = require('h3-js');

let state = 42;
function next() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const N = 1000;
const lat = [], lng = [], res = [], cells = [];
for (let i = 0; i < N; i++) {
  lat.push((Math.asin(2 * next() - 1) * 180) / Math.PI);
  lng.push(next() * 360 - 180);
  res.push(i % 16);
  cells.push(h3.latLngToCell(lat[i], lng[i], res[i]));
}

function measure(name, body) {
  for (let w = 0; w < 200; w++) body(); // warm up the JIT and the wasm module
  // Wall-clock per op, and process CPU time per op (less sensitive to other load on a shared machine).
  const rounds = [];
  const cpuRounds = [];
  for (let r = 0; r < 15; r++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    let reps = 0;
    while (process.hrtime.bigint() - start < 100_000_000n) { body(); reps++; }
    const ns = Number(process.hrtime.bigint() - start);
    const cpu = process.cpuUsage(cpuStart);
    rounds.push(ns / (reps * N));
    cpuRounds.push(((cpu.user + cpu.system) * 1000) / (reps * N));
  }
  rounds.sort((a, b) => a - b);
  cpuRounds.sort((a, b) => a - b);
  const median = rounds[Math.floor(rounds.length / 2)];
  const cpuMedian = cpuRounds[Math.floor(cpuRounds.length / 2)];
  console.log(`${name.padEnd(16)} median ${median.toFixed(1)} ns/op  (min ${rounds[0].toFixed(1)}, max ${rounds[rounds.length - 1].toFixed(1)})  cpu-time median ${cpuMedian.toFixed(1)} ns/op`);
}

let sink = 0;
const passes = Number(process.argv[2] ?? 1);
for (let pass = 0; pass < passes; pass++) {
measure('latLngToCell', () => { for (let i = 0; i < N; i++) sink ^= h3.latLngToCell(lat[i], lng[i], res[i]).length; });
measure('cellToBoundary', () => { for (let i = 0; i < N; i++) sink += h3.cellToBoundary(cells[i]).length; });
measure('gridDisk(1)', () => { for (let i = 0; i < N; i++) sink += h3.gridDisk(cells[i], 1).length; });
}
console.log(`h3-js ${require('h3-js/package.json').version}, node ${process.version}, sink ${sink}`);
