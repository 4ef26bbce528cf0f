// Benchmark: parsing throughput of Keysmith's lossless .env model (parseEnv) against
// dotenv.parse (dotenv 18, default regex parser) on realistic generated files of 10k and 100k
// lines, measured in the same run, interleaved, over several rounds (median reported).
// dotenv's opt-in `{ fast: true }` scanner is shown for reference.
import { parse as dotenvParse } from 'dotenv';
import { parseEnv, effectiveValues } from '../src/core/envdoc.ts';
import { seededRng as rng } from '../test/unit/helpers/seeded.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 250);


const WORDS = ['database', 'host', 'port', 'user', 'password', 'api', 'key', 'secret', 'token', 'url', 'redis', 'cache', 'timeout', 'region', 'bucket', 'log', 'level', 'feature', 'flag', 'smtp', 'mail', 'sentry', 'dsn', 'jwt', 'stripe', 'webhook'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function generate(lines, seed) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const token = (len, alphabet = B64) => {
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const key = () => `${pick(WORDS)}_${pick(WORDS)}_${Math.floor(r() * 1000)}`.toUpperCase();
  const out = [];
  let n = 0;
  while (n < lines) {
    const x = r();
    if (x < 0.1) out.push('');
    else if (x < 0.22) out.push(`# ${pick(WORDS)} ${pick(WORDS)} settings (${pick(WORDS)})`);
    else if (x < 0.3) out.push(`export ${key()}=${token(12, 'abcdefghijklmnopqrstuvwxyz0123456789')}`);
    else if (x < 0.48) out.push(`${key()}="${pick(WORDS)} ${pick(WORDS)} ${token(8)}"`);
    else if (x < 0.56) out.push(`${key()}='${token(24)}'`);
    else if (x < 0.62) out.push(`${key()}=https://${pick(WORDS)}.example.com:${1000 + Math.floor(r() * 9000)}/${pick(WORDS)}?a=1 # ${pick(WORDS)}`);
    else if (x < 0.64) out.push(`${key()}="line one\\nline two\\n${token(10)}"`);
    else if (x < 0.645) {
      const body = [];
      for (let i = 0; i < 5; i++) body.push(token(64));
      out.push(`${key()}="-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n-----END PRIVATE KEY-----"`);
      n += 6;
    } else if (x < 0.7) out.push(`  ${key()} = ${Math.floor(r() * 100000)}`);
    else out.push(`${key()}=${token(16 + Math.floor(r() * 32), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-')}`);
    n++;
  }
  return out.join('\n') + '\n';
}

let sink = 0;
/** ops/s of fn over at least MIN_MS. */
function rate(fn) {
  let iters = 0;
  const t0 = performance.now();
  let t;
  do {
    sink += fn();
    iters++;
    t = performance.now();
  } while (t - t0 < MIN_MS);
  return (iters * 1000) / (t - t0);
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

for (const size of [10_000, 100_000]) {
  const text = generate(size, size);
  // Sanity: the model agrees with dotenv on this file.
  const ours = Object.fromEntries(effectiveValues(parseEnv(text)));
  const theirs = dotenvParse(text);
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    console.error(`parseEnv and dotenv.parse disagree on the ${size}-line file`);
    process.exitCode = 1;
  }
  const contenders = {
    'keysmith parseEnv (lossless)': () => parseEnv(text).nodes.length,
    'dotenv.parse (default)': () => Object.keys(dotenvParse(text)).length,
    'dotenv.parse { fast: true }': () => Object.keys(dotenvParse(text, { fast: true })).length,
  };
  // Warm up, then interleave rounds so machine noise hits every contender alike.
  for (const fn of Object.values(contenders)) for (let i = 0; i < 3; i++) sink += fn();
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(contenders)) results[k].push(rate(fn));
  const rates = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  const mb = text.length / 1e6;
  console.log(`parse: ${size.toLocaleString('en')} lines, ${(text.length / 1024).toFixed(0)} KiB, ${Object.keys(theirs).length} keys (median of ${ROUNDS} rounds)`);
  for (const [k, v] of Object.entries(rates)) console.log(`  ${k.padEnd(30)} ${v.toFixed(1).padStart(9)} ops/s  ${(v * mb).toFixed(1).padStart(7)} MB/s`);
  const ours1 = rates['keysmith parseEnv (lossless)'];
  console.log(`  ratio ours/dotenv.parse        ${(ours1 / rates['dotenv.parse (default)']).toFixed(2)}x   (target >= 1.0x)`);
  console.log(`  ratio ours/dotenv fast         ${(ours1 / rates['dotenv.parse { fast: true }']).toFixed(2)}x   (reference only)`);
}
if (sink === 42) console.log('');
