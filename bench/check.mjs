// Benchmark: the rule engine as the editor uses it, with targets:
//  - true cold: the first analysis in a fresh process (a new Node process per sample; module
//    loading excluded, reported as such), 10k lines: reported;
//  - warm first analysis: JIT warm (other files analysed before), a 10k-line file never seen
//    before (new values, so no memo helps): parse + every rule, target <= 10 ms;
//  - before/after the leak rules (issue 11): warm first analysis of the same 10k-line files by
//    the core of the commit before them (bench/run.mjs builds it from git) and by this tree,
//    target: at most 1.15x before;
//  - keystroke: one character typed into a 10k- and a 100k-line file (the end of the middle line,
//    and inside a secret's value), through the incremental analysis the extension keeps for open
//    documents (edit + findings), target <= 5 ms; and with what the extension also does per
//    analysis, the leak gate's lines (kept up to date too), target <= 5 ms; next to the whole gate
//    built again, a full re-analysis and building the new text as one string (the old ways).
// CPU time of this process, median of interleaved rounds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { cpuMs, line, loadCore, machine, median } from './lib.mjs';

const { analyzeEnv, parseEnv, IncrementalAnalysis, MessageGate, seededRng: rng } = await loadCore();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const COLD_SAMPLES = Number(process.env.BENCH_COLD ?? 7);

const SERVICES = ['APP', 'DB', 'POSTGRES', 'REDIS', 'STRIPE', 'GITHUB', 'SENTRY', 'AWS', 'SMTP', 'MAILGUN', 'OPENAI', 'SLACK', 'AUTH0', 'S3', 'KAFKA', 'ELASTIC'];
const SECRET_SUFFIX = ['SECRET', 'SECRET_KEY', 'API_KEY', 'TOKEN', 'PASSWORD', 'ACCESS_TOKEN', 'WEBHOOK_SECRET', 'JWT_SECRET', 'FERNET_KEY', 'SIGNING_KEY', 'CLIENT_SECRET'];
const PLAIN_SUFFIX = ['HOST', 'PORT', 'URL', 'USER', 'REGION', 'TIMEOUT', 'ENABLED', 'LOG_LEVEL', 'BUCKET', 'NAME', 'MAX_CONNECTIONS', 'CLIENT_ID'];
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Lines the leak rules judge (issue 11): client-prefixed secrets, URL passwords, provider keys, phrases. */
function leakLine(r, i, token) {
  const y = r();
  if (y < 0.25) return `NEXT_PUBLIC_SVC_${i}_SECRET_KEY=sk_live_${token(40, B62)}`;
  if (y < 0.5) return `SVC_${i}_DATABASE_URL=postgres://app:${token(12, LOWER)}@db-${i}.internal:5432/app`;
  if (y < 0.7) return `SVC_${i}_GITHUB_TOKEN=ghp_${token(36, B62)}`;
  if (y < 0.85) return `SVC_${i}_JWT_SECRET=my_super_secret_jwt_key_${token(4, LOWER)}_${Math.floor(r() * 100)}`;
  return `VITE_SVC_${i}_API_URL=https://api-${i}.example.com/v1`;
}

function generateEnv(lines, seed, { leaks = 0 } = {}) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const token = (len, alphabet) => {
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const out = [];
  let i = 0;
  while (out.length < lines) {
    i++;
    const x = r();
    const svc = `${pick(SERVICES)}_${i}`;
    if (leaks > 0 && r() < leaks) {
      out.push(leakLine(r, i, token));
      continue;
    }
    if (x < 0.08) out.push('');
    else if (x < 0.18) out.push(`# ${pick(SERVICES).toLowerCase()} settings`);
    else if (x < 0.45) {
      // Secret-named keys: mostly strong generated values, some weak, placeholders, empty.
      const key = `${svc}_${pick(SECRET_SUFFIX)}`;
      const y = r();
      let value;
      if (y < 0.35) value = token(43, B64URL);
      else if (y < 0.55) value = token(64, HEX);
      else if (y < 0.65) value = `"${token(24, B64URL)}"`;
      else if (y < 0.75) value = token(10 + Math.floor(r() * 10), LOWER);
      else if (y < 0.82) value = pick(['changeme', 'your-api-key-here', '<secret>', 'xxxxxxxx', 'password123']);
      else if (y < 0.9) value = '';
      else value = `\${${pick(SERVICES)}_SHARED_SECRET}`;
      out.push(`${key}=${value}`);
    } else {
      const key = `${svc}_${pick(PLAIN_SUFFIX)}`;
      const y = r();
      if (y < 0.3) out.push(`${key}=https://${pick(SERVICES).toLowerCase()}.example.com:${1000 + Math.floor(r() * 9000)}/v1`);
      else if (y < 0.55) out.push(`${key}=${Math.floor(r() * 100000)}`);
      else if (y < 0.7) out.push(`${key}=${pick(['true', 'false', 'info', 'debug', 'eu-west-1'])}`);
      else if (y < 0.85) out.push(`export ${key}=${token(12, LOWER)}`);
      else out.push(`${key}="${pick(SERVICES).toLowerCase()} ${token(6, LOWER)}" # note`);
    }
    if (r() < 0.01) out.push(`${svc}_PORT=1`); // a few duplicates
  }
  // One flat string, as an editor hands over a document's text (`join(…) + '\n'` made a rope that
  // V8 flattened on the first read, about 2 ms charged to whichever contender read it first).
  out.push('');
  return out.join('\n');
}

let sink = 0;
const CONTEXT = { fileName: '.env', git: { ignored: true, tracked: false } };
console.log(`check: the rule engine as the editor runs it (CPU time, median of ${ROUNDS} rounds; ${machine()})`);
let allMet = true;
const verdict = (label, ms, target) => {
  const met = ms <= target;
  allMet &&= met;
  console.log(line(label, `${ms.toFixed(2)} ms`, `<= ${target} ms`, met));
};

// True cold: a fresh process per sample.
{
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-cold-'));
  try {
    const file = join(dir, 'a.env');
    writeFileSync(file, generateEnv(10_000, 77));
    const script = `
      const t0 = performance.now();
      const core = await import(${JSON.stringify(process.env.KEYSMITH_BENCH_CORE)});
      const text = (await import('node:fs')).readFileSync(${JSON.stringify(file)}, 'utf8');
      const t1 = performance.now();
      const n = core.analyzeEnv({ text, fileName: '.env', git: { ignored: true, tracked: false } }).length;
      const t2 = performance.now();
      console.log(JSON.stringify({ load: t1 - t0, first: t2 - t1, n }));`;
    const samples = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      if (r.status === 0) samples.push(JSON.parse(r.stdout));
    }
    const first = median(samples.map((x) => x.first));
    const load = median(samples.map((x) => x.load));
    console.log(line('true cold: first analysis, fresh process, 10k lines', `${first.toFixed(1)} ms`, 'reported (no target)'));
    console.log(`      (wall time, median of ${samples.length} processes; loading the bundled core and reading the file took ${load.toFixed(1)} ms more)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Warm first analysis: JIT warmed on other files; each round a file never seen before.
{
  // "JIT warm" for every contender: V8's top tier (and on Node 24 its mid tier first) optimises a
  // function only after many calls; five analyses, and none of the open editor's model or gate,
  // left some rounds still running unoptimised code (20-85 ms medians-of-9 on Node 24 for what
  // runs in 12-16 ms warm).
  for (let i = 0; i < 10; i++) {
    const t = generateEnv(10_000, 1000 + i);
    sink += analyzeEnv({ text: t, ...CONTEXT }).length;
    const inc = new IncrementalAnalysis(t, CONTEXT);
    sink += inc.gatedMessages(inc.findings(), ['.env']).length + Object.keys(dotenvParse(t)).length + parseEnv(t).nodes.length;
  }
  const first = [];
  const firstInc = [];
  const firstGate = [];
  const dotenv = [];
  const parseOnly = [];
  // More rounds than elsewhere: a round now and then meets a major garbage collection (40-55 ms).
  for (let r = 0; r < Math.max(ROUNDS, 15); r++) {
    const a = generateEnv(10_000, 5000 + r);
    const b = generateEnv(10_000, 9000 + r);
    first.push(cpuMs(() => analyzeEnv({ text: a, ...CONTEXT }).length).cpu);
    let inc;
    firstInc.push(cpuMs(() => (inc = new IncrementalAnalysis(b, CONTEXT)).findings().length).cpu);
    const findings = inc.findings();
    firstGate.push(cpuMs(() => inc.gatedMessages(findings, ['.env'])).cpu);
    dotenv.push(cpuMs(() => Object.keys(dotenvParse(a)).length).cpu);
    // The parse alone, of a third never-seen file: what the rules add is the rest.
    const c = generateEnv(10_000, 13000 + r);
    parseOnly.push(cpuMs(() => parseEnv(c).nodes.length).cpu);
  }
  const met = median(first) <= 10 && median(firstInc) <= 10;
  verdict('warm first analysis, 10k lines (analyzeEnv)', median(first), 10);
  verdict('warm first analysis, 10k lines (open editor)', median(firstInc), 10);
  console.log(line("the open editor's first leak gate, 10k lines", `${median(firstGate).toFixed(2)} ms`, 'reported (built once per document)'));
  console.log(`      (dotenv.parse of the same text: ${median(dotenv).toFixed(2)} ms; medians of ${first.length} rounds, after 10 warm-up rounds of every contender)`);
  if (!met) {
    const p = median(parseOnly);
    console.log(`      (why not met: parsing alone takes ${p.toFixed(1)} ms and the rules about ${Math.max(0, median(first) - p).toFixed(1)} ms more: every secret-named value gets a strength estimate and`);
    console.log(`       placeholder, phrase, provider and URL checks, every key a secret-name scan; the open editor also builds its incremental model)`);
  }
}

// Before/after the leak rules (issue 11): the same never-seen 10k-line files (5% of lines of the
// kinds the new rules judge) through the core of the commit before them and the current core,
// alternating which goes first.
const baselinePath = process.env.KEYSMITH_BENCH_BASELINE_CORE;
if (baselinePath) {
  const before = await import(baselinePath);
  for (let i = 0; i < 5; i++) {
    const t = generateEnv(10_000, 300 + i, { leaks: 0.05 });
    sink += before.analyzeEnv({ text: t, ...CONTEXT }).length + analyzeEnv({ text: t, ...CONTEXT }).length;
  }
  const old = [];
  const now = [];
  for (let r = 0; r < ROUNDS * 2; r++) {
    const a = generateEnv(10_000, 7000 + r, { leaks: 0.05 });
    const b = generateEnv(10_000, 8000 + r, { leaks: 0.05 });
    const [first, second] = r % 2 === 0 ? [before, { analyzeEnv }] : [{ analyzeEnv }, before];
    // Each core sees each text once (new values: no memo helps), a then b or b then a.
    const t1 = cpuMs(() => first.analyzeEnv({ text: a, ...CONTEXT }).length).cpu;
    const t2 = cpuMs(() => second.analyzeEnv({ text: b, ...CONTEXT }).length).cpu;
    (first === before ? old : now).push(t1);
    (second === before ? old : now).push(t2);
  }
  const o = median(old);
  const n = median(now);
  const ratio = n / o;
  console.log(line(`10k lines before the leak rules (${process.env.KEYSMITH_BENCH_BASELINE_REV})`, `${o.toFixed(2)} ms`, 'reported (baseline)'));
  const met = ratio <= 1.15;
  allMet &&= met;
  console.log(line('10k lines with the leak rules (this tree)', `${n.toFixed(2)} ms`, '<= 1.15x before', met));
  console.log(`      (ratio after/before ${ratio.toFixed(2)}x; CPU-time medians of ${old.length} files each, 5% of their lines of the kinds the new rules judge)`);
} else {
  console.log('      (before/after the leak rules: no baseline core, run through `npm run bench`)');
}

// Keystrokes: what the extension does for each keystroke in an open document (src/extension/
// diagnostics.ts): the edit, the findings, and the leak gate's lines for them, all kept up to date
// edit by edit. (VS Code's own work, positionAt and publishing, is not counted.)
// Two places: the end of the middle line (whatever it holds), and inside a secret's value (each
// keystroke changes what the leak gate must hide: the most work for it).
for (const [lines, where] of [[10_000, 'middle line'], [100_000, 'middle line'], [100_000, 'secret value']]) {
  const text = generateEnv(lines, 2026);
  const inc = new IncrementalAnalysis(text, CONTEXT);
  inc.gatedMessages(inc.findings(), ['.env']);
  let pos = where === 'secret value' ? text.indexOf('\n', text.indexOf('_API_KEY=', text.length >> 1)) - 10 : text.indexOf('\n', text.length >> 1);
  const type = (at) => {
    const ks = cpuMs(() => {
      inc.edit(at, at, 'x');
      return inc.findings().length;
    }).cpu;
    const findings = inc.findings();
    return [ks, cpuMs(() => inc.gatedMessages(findings, ['.env'])).cpu];
  };
  const keystroke = [];
  const gated = [];
  for (let r = 0; r < ROUNDS * 3; r++) {
    const [k, g] = type(pos++);
    keystroke.push(k);
    gated.push(g);
  }
  const withheld = inc.withheld;
  // For comparison, after the keystrokes (the garbage they leave, collected by V8's background
  // threads, would otherwise be billed to the next keystroke's CPU time): the whole gate built
  // again (what every keystroke cost before), a full re-analysis of the text, and building the new
  // text as one string.
  const wholeGate = [];
  const full = [];
  const textOnly = [];
  const findings = inc.findings();
  for (let r = 0; r < ROUNDS; r++) {
    wholeGate.push(cpuMs(() => {
      const gate = MessageGate.forDocuments([inc.document()]).allow('.env');
      let n = 0;
      for (const f of findings) n += gate.line(f.message, f.key).length;
      return [n];
    }).cpu);
    const whole = inc.text;
    full.push(cpuMs(() => analyzeEnv({ text: whole, ...CONTEXT }).length).cpu);
    textOnly.push(cpuMs(() => { const t = whole.slice(0, pos) + 'y' + whole.slice(pos); return t.charCodeAt(pos) === 121 ? [1] : []; }).cpu);
  }
  const at = `${lines.toLocaleString('en')} lines, ${where}`;
  const met = median(keystroke) + median(gated) <= 5;
  verdict(`keystroke, ${at} (analysis)`, median(keystroke), 5);
  verdict(`keystroke, ${at}, with the leak gate`, median(keystroke) + median(gated), 5);
  console.log(`      (the gate's share: ${median(gated).toFixed(2)} ms for ${inc.findings().length} messages, ${withheld} withheld; the whole gate built again: ${median(wholeGate).toFixed(1)} ms)`);
  console.log(`      (full re-analysis of the same text: ${median(full).toFixed(1)} ms; building the new ${(text.length / 1048576).toFixed(1)} MB text as one string, which the incremental analysis no longer does: ${median(textOnly).toFixed(2)} ms)`);
  if (!met) {
    // Why: the same keystroke on the last line, where no node or finding comes after the edit.
    const endKeys = [];
    let end = inc.text.length - 1;
    for (let r = 0; r < ROUNDS * 3; r++) {
      const [k, g] = type(end++);
      endKeys.push(k + g);
    }
    const moved = median(keystroke) + median(gated) - median(endKeys);
    console.log(`      (why not met: the same keystroke on the last line takes ${median(endKeys).toFixed(2)} ms; the other ${Math.max(0, moved).toFixed(2)} ms move the offsets of every node and finding`);
    console.log(`       after the edit (each holds absolute offsets, so half the file's nodes are touched: memory-bound, and slower on Node 20)`);
  }
}
console.log(line('every check target', allMet ? 'all met' : 'some not met', '', allMet));
if (sink === 42) console.log('');
