// Benchmark: 32-byte base64url secrets per second.
// Keysmith in bulk and one at a time, against node's crypto.randomBytes(32).toString('base64url')
// per secret and (where python3 is present) Python's secrets.token_urlsafe(32), all in this run.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { getFormat } from '../src/core/formats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_N ?? 1_000_000);
const format = getFormat('base64url');
const options = { bytes: 32 };

let sink = 0;
function rate(fn) {
  const t0 = process.hrtime.bigint();
  const n = fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return n / secs;
}

const measures = {
  'keysmith bulk (generateMany)': () => { const out = format.generateMany(N, options); sink += out[N - 1].length; return N; },
  'keysmith one at a time (generate)': () => { const n = N / 4; for (let i = 0; i < n; i++) sink += format.generate(options).length; return n; },
  "node randomBytes(32).toString('base64url')": () => { const n = N / 4; for (let i = 0; i < n; i++) sink += randomBytes(32).toString('base64url').length; return n; },
};

// Interleave rounds so that machine noise hits every contender alike; report the median.
const results = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(measures)) results[k].push(rate(fn));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rates = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));

const py = spawnSync('python3', ['-c', `
import secrets, time
n = ${Math.floor(N / 4)}
best = []
for _ in range(${ROUNDS}):
    t = time.perf_counter()
    for _ in range(n):
        secrets.token_urlsafe(32)
    best.append(n / (time.perf_counter() - t))
best.sort()
print(best[len(best)//2])
`], { encoding: 'utf8' });
if (py.status === 0) rates["python secrets.token_urlsafe(32)"] = Number(py.stdout.trim());

const fmt = (n) => (n / 1e6).toFixed(2).padStart(7) + ' M/s';
console.log(`generate: 32-byte base64url secrets per second (median of ${ROUNDS} rounds, N=${N})`);
for (const [k, v] of Object.entries(rates)) console.log(`  ${k.padEnd(46)} ${fmt(v)}`);
const bulk = rates['keysmith bulk (generateMany)'];
const node = rates["node randomBytes(32).toString('base64url')"];
const pyr = rates['python secrets.token_urlsafe(32)'];
console.log('ratios:');
console.log(`  bulk vs node per call      ${(bulk / node).toFixed(2)}x   (target >= 8x)`);
if (pyr) console.log(`  bulk vs python             ${(bulk / pyr).toFixed(2)}x   (target >= 4x)`);
else console.log('  bulk vs python             n/a (python3 not found)');
console.log(`  one-at-a-time vs node      ${(rates['keysmith one at a time (generate)'] / node).toFixed(2)}x`);
console.log(`  bulk absolute              ${(bulk / 1e6).toFixed(2)} M/s   (target >= 5 M/s)`);
if (sink === 42) console.log('');
