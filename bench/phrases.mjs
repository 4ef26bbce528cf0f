// Benchmark and measurement behind weak-secret's guessable-phrase detection: Keysmith's own word
// segmentation (src/core/strength.ts over the frequency list of src/core/wordfreq.ts) against
// zxcvbn-ts (@zxcvbn-ts/core with the common and English dictionaries), the reference estimator:
//  - recall: share of the hand-built corpus test/unit/fixtures/phrases/developer-secrets.txt
//    flagged (Keysmith: a weak-secret finding for API_SECRET=<phrase>; zxcvbn: log2(guesses) < 128,
//    the same bar, and also its own "score < 4");
//  - false positives: generated values of every format (Keysmith's generators, i.e.
//    crypto.getRandomValues) flagged by each;
//  - time per value, and the minified bundle size each adds to the .env tools.
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import zxCore from '@zxcvbn-ts/core';
import * as zxCommon from '@zxcvbn-ts/language-common';
import * as zxEn from '@zxcvbn-ts/language-en';
import { analyzeEnv } from '../src/core/rules.ts';
import { getFormat, FORMAT_IDS } from '../src/core/formats.ts';
import { estimateStrength } from '../src/core/strength.ts';

const PER_FORMAT = Number(process.env.BENCH_PER_FORMAT ?? 1000);
const corpus = readFileSync(new URL('../test/unit/fixtures/phrases/developer-secrets.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const wordlist = readFileSync(new URL('../dist/eff_large_wordlist.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

/** Key names under which each format is written (as populate would). */
const KEY = {
  hex: 'SESSION_SECRET', base64url: 'API_SECRET', base64: 'ENCRYPTION_KEY', fernet: 'FERNET_KEY', 'jwt-hs256': 'JWT_SECRET',
  'jwt-hs384': 'JWT_HS384_SECRET', 'jwt-hs512': 'JWT_HS512_SECRET', django: 'DJANGO_SECRET_KEY', password: 'DB_PASSWORD',
  passphrase: 'APP_SECRET', uuid: 'SESSION_SECRET_UUID', 'api-key': 'STRIPE_API_KEY',
};
const generated = [];
for (const id of FORMAT_IDS) {
  const f = getFormat(id);
  for (let i = 0; i < PER_FORMAT; i++) generated.push({ id, key: KEY[id], value: f.generate({ wordlist }) });
}

const quote = (v) => JSON.stringify(v);
const keysmithFlags = (key, value) => analyzeEnv({ text: `${key}=${quote(value)}\n`, fileName: '.env' }).some((f) => f.code === 'weak-secret');

const zx = new zxCore.ZxcvbnFactory({ dictionary: { ...zxCommon.dictionary, ...zxEn.dictionary }, graphs: zxCommon.adjacencyGraphs });
// Both zxcvbn lines judge the same estimate: compute it once per value (the time per value is
// measured on the uncached call).
const zxMemo = new Map();
const zxcvbn = (v) => {
  let r = zxMemo.get(v);
  if (!r) zxMemo.set(v, (r = zx.check(v)));
  return r;
};
const zxBits = (v) => Math.log2(zxcvbn(v).guesses);

function measure(name, flag, timed = flag) {
  let hits = 0;
  const missed = [];
  for (const p of corpus) {
    if (flag('API_SECRET', p)) hits++;
    else missed.push(p);
  }
  const fps = {};
  let fp = 0;
  for (const g of generated) {
    if (flag(g.key, g.value)) {
      fp++;
      fps[g.id] = (fps[g.id] ?? 0) + 1;
    }
  }
  const t0 = performance.now();
  let sink = 0;
  // A slow estimator is timed on a sample: 100 phrases and 100 generated values of every format.
  const full = timed === flag;
  const phrases = full ? corpus : corpus.slice(0, 100);
  const values = full ? generated.slice(0, 2000) : generated.filter((_, i) => i % Math.ceil(generated.length / 100) === 0);
  for (const p of phrases) sink += timed('API_SECRET', p) ? 1 : 0;
  for (const g of values) sink += timed(g.key, g.value) ? 1 : 0;
  if (sink < 0) console.log(sink);
  const us = ((performance.now() - t0) * 1000) / (phrases.length + values.length);
  console.log(`  ${name.padEnd(34)} recall ${hits}/${corpus.length} = ${((100 * hits) / corpus.length).toFixed(1)}%   false positives ${fp}/${generated.length} ${fp ? JSON.stringify(fps) : ''}   ${us.toFixed(1)} µs/value`);
  return missed;
}

async function bundleSize(contents) {
  const r = await esbuild.build({ stdin: { contents, resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' }, bundle: true, minify: true, write: false, platform: 'neutral', format: 'esm', mainFields: ['module', 'main'], legalComments: 'none', logLevel: 'silent' });
  return r.outputFiles[0].contents.length;
}

console.log(`phrases: ${corpus.length} developer phrases, ${generated.length} generated values (${PER_FORMAT} per format, ${FORMAT_IDS.length} formats)`);
const missed = measure('Keysmith (weak-secret)', keysmithFlags);
measure('zxcvbn-ts, log2(guesses) < 128', (_k, v) => zxBits(v) < 128, (_k, v) => Math.log2(zx.check(v).guesses) < 128);
measure('zxcvbn-ts, score < 4', (_k, v) => zxcvbn(v).score < 4, (_k, v) => zx.check(v).score < 4);
const ours = await bundleSize(`import { estimateStrength } from './src/core/strength.ts'; console.log(estimateStrength('x'));`);
const theirs = await bundleSize(`import { ZxcvbnFactory } from '@zxcvbn-ts/core'; import * as c from '@zxcvbn-ts/language-common'; import * as e from '@zxcvbn-ts/language-en'; const zx = new ZxcvbnFactory({ dictionary: { ...c.dictionary, ...e.dictionary }, graphs: c.adjacencyGraphs }); console.log(zx.check('x'));`);
console.log(`  bundle (minified): Keysmith estimator + word list ${(ours / 1024).toFixed(0)} KB; zxcvbn-ts core + common + en ${(theirs / 1024).toFixed(0)} KB (${(theirs / ours).toFixed(1)}x)`);
if (missed.length > 0) console.log(`  Keysmith misses (${missed.length}): ${missed.length} phrases (listed by test/unit/phrases.test.ts on failure)`);
void estimateStrength;
