// The speed work of issue #12 rewrote the .env parser's hot paths (src/core/envdoc/parse.ts). It
// must not change a single node, field, range, problem (message, range, order), winner or
// effective value: this compares it with a frozen copy of the parser before that work
// (test/unit/legacy/envdoc/) on (a) every test input we can collect (fixture files, the string
// literals of every test file, the rule fixtures' JSON strings) and (b) thousands of generated
// adversarial documents (deterministic: seeded), whole and as incremental re-parse runs
// (`parseNodes` from any node boundary, with and without a stop callback).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { effectiveObject, effectiveValues, parseEnv } from '../../src/core/envdoc.ts';
import { parseNodes } from '../../src/core/envdoc/parse.ts';
import { effectiveValues as oldEffectiveValues } from './legacy/envdoc/effective.ts';
import { parseEnv as oldParseEnv, parseNodes as oldParseNodes } from './legacy/envdoc/parse.ts';
import { anyDoc, doc as structuredDoc, soup } from './fixtures/envdoc/gen.ts';
import { PROBLEM_KINDS } from './fixtures/envdoc/support.ts';
import { seededRng } from './helpers/seeded.ts';

const root = new URL('../../', import.meta.url).pathname;

/** Deep equality (prototypes, own keys, values) with a short, value-free description on failure. */
function sameDoc(text: string, label: string): void {
  const a = parseEnv(text);
  const b = oldParseEnv(text);
  try {
    assert.deepStrictEqual(a, b);
    const values = oldEffectiveValues(b);
    assert.deepStrictEqual(effectiveValues(a), values);
    // effectiveObject is what dotenv.parse returns: the old Map as an object, keys in the same order.
    const object = effectiveObject(a);
    assert.equal(Object.getPrototypeOf(object), Object.prototype);
    assert.deepStrictEqual(Object.entries(object), Object.entries(Object.fromEntries(values)));
  } catch (e) {
    assert.fail(`${label}: parseEnv differs from the frozen parser on ${JSON.stringify(text.length > 400 ? text.slice(0, 400) + '…' : text)}\n${(e as Error).message.slice(0, 2000)}`);
  }
  // Field order too (JSON output of nodes and problems depends on it).
  if (a.nodes.length > 0) assert.deepStrictEqual(Object.keys(a.nodes[0]!), Object.keys(b.nodes[0]!));
  for (let i = 0; i < a.problems.length; i++) assert.deepStrictEqual(Object.keys(a.problems[i]!), Object.keys(b.problems[i]!), label);
}

/** parseNodes from node boundary `k` (as the incremental model calls it), with an optional stop. */
function sameRun(text: string, label: string, rnd: () => number): void {
  const full = oldParseEnv(text);
  if (full.nodes.length === 0) return;
  const k = Math.floor(rnd() * full.nodes.length);
  const node = full.nodes[k]!;
  let entryIndex = 0;
  while (entryIndex < full.entries.length && full.entries[entryIndex]!.lineStart < node.lineStart) entryIndex++;
  const minEnd = node.lineStart + Math.floor(rnd() * 8);
  const stopAt = new Set(full.nodes.filter(() => rnd() < 0.3).map((x) => x.lineStart));
  const stops = [undefined, (pos: number) => stopAt.has(pos)];
  for (const stop of stops) {
    const a = parseNodes(text, node.lineStart, node.line, entryIndex, minEnd, stop);
    const b = oldParseNodes(text, node.lineStart, node.line, entryIndex, minEnd, stop);
    try {
      assert.deepStrictEqual(a, b);
    } catch (e) {
      assert.fail(`${label}: parseNodes from node ${k} differs on ${JSON.stringify(text.slice(0, 400))}\n${(e as Error).message.slice(0, 2000)}`);
    }
  }
}

/** Every string literal (and template text) in a TypeScript/JavaScript file. */
function literals(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    else if (ts.isTemplateExpression(n)) {
      out.push(n.head.text + n.templateSpans.map((s) => s.literal.text).join('X'));
      out.push(n.head.text + n.templateSpans.map((s) => s.literal.text).join(''));
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/** (a) Every test input we can collect: files of the fixture folders, literals of the test code. */
function collected(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules') continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size < 2_000_000) {
        const rel = p.slice(root.length);
        if (/\.(?:[cm]?ts|[cm]?js)$/.test(name)) {
          for (const [i, s] of literals(p).entries()) if (s.length > 0) out.set(`${rel} literal ${i}`, s);
        } else {
          const text = readFileSync(p, 'utf8');
          out.set(rel, text);
          if (name.endsWith('.json')) for (const [i, m] of [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].entries()) out.set(`${rel} string ${i}`, JSON.parse(`"${m[1]!}"`) as string);
        }
      }
    }
  };
  for (const d of ['test/unit', 'test/integration', 'test/e2e', 'test/frameworks', 'test/host/sample-workspace', 'bench']) {
    try {
      walk(join(root, d));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}

/** (b) Adversarial documents from a seeded generator. */
const PIECES = [
  'A', 'KEY', 'DATABASE_URL', 'b_2', 'a.b', 'k-v', '1X', '9', '_', 'export', 'export ', 'export\t', ' export\n', 'exported', '__proto__', 'constructor',
  '=', '==', ' = ', '=\n', '\n=', ':', ': ', ':\n', ':\r\n', ':\t', ' ', '  ', '\t', '\v', '\f', '\u00a0', '\u3000', '\u2007', '\u1680', '\u205f',
  '\n', '\n', '\n', '\r\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\uFEFF', '\0', '\ud800', '\udc00', '😀', 'é',
  '#', ' #', '#x', ' # c', "'", "'", '"', '"', '`', '\\', '\\n', '\\r', '\\"', "\\'", '\\`', '\\\\', 'val', 'a b', 'x y z',
  '$', '${A}', 'x=y', 'A=1', 'B="x', 'C=\'y', '-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAAOCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'AAAA==',
];
const KEYS = ['A', 'B', 'FOO', 'foo_bar', 'X1', 'a.b', 'k-v', '9Z', 'export', '__proto__', 'PATH', 'SECRET_KEY', 'A B', '', 'É', 'x'.repeat(40)];
const WS = ['', '', '', ' ', '  ', '\t', '\u00a0', '\uFEFF', '\u2028', '\v'];
const EOLS = ['\n', '\n', '\n', '\n', '\r\n', '\r\n', '\r', '\u2028', '\u2029', ''];
const SEPS = ['=', '=', '=', '=', '=', ' = ', '\t=\t', ': ', ':', ':\n', ' :', '=\n', '\n=', '\r\n=', '==', ' ', ''];

function adversarial(r: () => number): string {
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const soupOf = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += pick(PIECES);
    return s;
  };
  const mode = r();
  if (mode < 0.2) return soupOf(Math.floor(r() * 80));
  const lines: string[] = [];
  const count = Math.floor(r() * 14);
  const usedKeys: string[] = [];
  for (let i = 0; i < count; i++) {
    const x = r();
    let l: string;
    if (x < 0.1) l = pick(WS);
    else if (x < 0.2) l = pick(WS) + '#' + soupOf(Math.floor(r() * 6));
    else if (x < 0.28) l = soupOf(1 + Math.floor(r() * 8));
    else {
      const key = usedKeys.length > 0 && r() < 0.25 ? pick(usedKeys) : pick(KEYS);
      usedKeys.push(key);
      const q = pick(['', '', '', "'", '"', '`']);
      let body = '';
      const y = r();
      if (y < 0.05) body = 'x'.repeat(2000 + Math.floor(r() * 20000));
      else if (y < 0.15) for (let j = 0; j < 5; j++) body += pick(['line', 'A=1', 'export B=2', 'AAAA==', '#c', q, '\\' + q]) + pick(EOLS);
      else body = soupOf(Math.floor(r() * 7));
      const close = r() < 0.8 ? q : r() < 0.5 ? '' : pick(["'", '"', '`']);
      l = pick(WS) + pick(['', '', '', '', 'export ', 'export\t', 'export\n', 'export  ']) + key + pick(SEPS) + pick(WS) + q + body + close + pick(['', '', '', ' ', 'x', ' # note', '#c', '\t# "q"']);
    }
    lines.push(l + pick(EOLS));
  }
  return (r() < 0.1 ? '\uFEFF' : '') + lines.join('');
}

/** Random edits of a text (insert/delete pieces), as an editor would make. */
function mutate(text: string, r: () => number): string {
  let t = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (t.length + 1));
    if (r() < 0.6) t = t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)]! + t.slice(at);
    else t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 5));
  }
  return t;
}

/** A realistic file as bench/parse.mjs generates it (every line kind the benchmarks time). */
function benchLike(lines: number, r: () => number): string {
  const W = ['database', 'host', 'port', 'user', 'password', 'api', 'key', 'secret', 'token', 'url', 'redis', 'smtp'];
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const tok = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[Math.floor(r() * 64)];
    return s;
  };
  const key = (): string => `${pick(W)}_${pick(W)}_${Math.floor(r() * 100)}`.toUpperCase();
  const out: string[] = [];
  for (let n = 0; n < lines; n++) {
    const x = r();
    if (x < 0.1) out.push('');
    else if (x < 0.2) out.push(`# ${pick(W)} settings`);
    else if (x < 0.3) out.push(`export ${key()}=${tok(12)}`);
    else if (x < 0.45) out.push(`${key()}="${pick(W)} ${pick(W)} ${tok(8)}"`);
    else if (x < 0.55) out.push(`${key()}='${tok(24)}'`);
    else if (x < 0.6) out.push(`${key()}=https://${pick(W)}.example.com:8080/${pick(W)}?a=1 # ${pick(W)}`);
    else if (x < 0.62) out.push(`${key()}="line one\\nline two\\n${tok(10)}"`);
    else if (x < 0.63) out.push(`${key()}="-----BEGIN PRIVATE KEY-----\n${tok(64)}\n${tok(64)}\n-----END PRIVATE KEY-----"`);
    else if (x < 0.68) out.push(`  ${key()} = ${Math.floor(r() * 100000)}`);
    else out.push(`${key()}=${tok(16 + Math.floor(r() * 32))}`);
  }
  return out.join(r() < 0.8 ? '\n' : '\r\n') + (r() < 0.8 ? '\n' : '');
}

describe('the optimised parser against the frozen parser', () => {
  it('agrees on every collected test input (fixture files, test literals, JSON strings) and their line-break variants', () => {
    const inputs = collected();
    assert.ok(inputs.size > 5000, `collected only ${inputs.size} inputs`);
    const r = seededRng(12);
    let n = 0;
    for (const [label, text] of inputs) {
      sameDoc(text, label);
      sameDoc(text.replace(/\r?\n/g, '\r\n'), `${label} (CRLF)`);
      sameDoc(text.replace(/\r?\n/g, '\r'), `${label} (CR)`);
      sameDoc('\uFEFF' + text.replace(/\r?\n/g, '\u2028'), `${label} (BOM, U+2028)`);
      sameRun(text, label, r);
      n++;
    }
    assert.equal(n, inputs.size);
  });

  it('agrees on 4000 seeded adversarial documents, whole and from any node boundary', () => {
    const r = seededRng(0x5eed12);
    const kinds = new Set<string>();
    const shapes = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      const text = adversarial(r);
      sameDoc(text, `adversarial #${i}`);
      sameRun(text, `adversarial #${i}`, r);
      const doc = parseEnv(text);
      for (const p of doc.problems) kinds.add(p.kind);
      for (const e of doc.entries) shapes.add(`${e.quote}${e.exported}${e.separator}${e.commentStart !== -1}${e.endLine > e.line}${e.wins}`);
    }
    // The generator reaches every problem kind and every kind of entry.
    assert.deepEqual([...kinds].sort(), [...PROBLEM_KINDS].sort());
    assert.ok(shapes.size >= 60, `only ${shapes.size} entry shapes`);
  });

  it('agrees on 3000 documents of the envdoc generators (seeded fast-check samples) and on edits of them', () => {
    const r = seededRng(31337);
    const texts = [
      ...fc.sample(anyDoc, { seed: 12, numRuns: 1500 }),
      ...fc.sample(structuredDoc, { seed: 13, numRuns: 1000 }),
      ...fc.sample(soup, { seed: 14, numRuns: 500 }),
    ];
    for (const [i, text] of texts.entries()) {
      sameDoc(text, `generated #${i}`);
      sameDoc(mutate(text, r), `edited generated #${i}`);
      sameRun(text, `generated #${i}`, r);
    }
  });

  it('agrees on edits of every fixture file', () => {
    const r = seededRng(4242);
    const files = [...collected()].filter(([label]) => !label.includes(' literal ') && !label.includes(' string '));
    for (const [label, text] of files) for (let i = 0; i < 20; i++) sameDoc(mutate(text, r), `${label} edit ${i}`);
  });

  it('agrees on large realistic files (1k and 20k lines, LF and CRLF) and on very long lines', () => {
    const r = seededRng(77);
    for (const lines of [1000, 1000, 20000]) {
      const text = benchLike(lines, r);
      sameDoc(text, `${lines}-line file`);
      sameRun(text, `${lines}-line file`, r);
      sameDoc(mutate(text, r), `${lines}-line file, edited`);
    }
    const long = 'x'.repeat(200_000);
    for (const t of [`A=${long}`, `A="${long}`, `A="${long}"`, `A='${long}\n'`, `${long}=1`, `#${long}\nB=2`, `A=${long} #c`, `A= ${long.replace(/x/g, ' ')}`]) sameDoc(t, 'long line');
  });

  it('can fail: a document the frozen parser reads differently from a changed one is reported', () => {
    const a = parseEnv('A=1\nB="x"\n');
    const b = oldParseEnv('A=1\nB="y"\n');
    assert.throws(() => assert.deepStrictEqual(a, b));
    assert.throws(() => assert.deepStrictEqual(effectiveValues(a), oldEffectiveValues(b)));
  });
});
