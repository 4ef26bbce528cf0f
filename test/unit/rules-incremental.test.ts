// IncrementalAnalysis against analyzeEnv: after every edit, the findings kept up to date equal a
// full analysis of the same text and context (every rule, suppression directives, duplicates whose
// winner moves, example drift), over random edits; and an edit re-checks only a few nodes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnv, DEFAULT_RULE_CONFIG } from '../../src/core/rules.ts';
import { IncrementalAnalysis, type AnalysisContext } from '../../src/core/rules/incremental.ts';
import { IncrementalDoc } from '../../src/core/envdoc/incremental.ts';
import { Rope } from '../../src/core/envdoc/rope.ts';
import { seededRng } from './helpers/seeded.ts';

const PIECES = [
  'API_KEY=changeme', 'SECRET_KEY=short', 'DB_PASSWORD=hunter2', 'TOKEN=Zx9kQ2mP7vR4tY8wB3nL6cF1hJ5sD0gA', 'PORT=8080',
  'API_KEY=again', 'FERNET_KEY=notbase64', 'JWT_SECRET=abc', 'DJANGO_SECRET_KEY=django-insecure-x', 'URL=https://a.b',
  'X="multi', 'line"', 'EMPTY=', '"next line value"', 'ONLY_KEY', '=x', '# comment', '# keysmith-ignore', '# keysmith-ignore: weak-secret',
  '# keysmith-ignore-file: duplicate-key', '', 'BAD KEY=1', '__proto__=1', 'Q="unterminated', 'PASSWORD=p4ss word', 'A=1', 'A=2', 'export TOKEN=xyz',
  'EXAMPLE_ONLY=1', 'SECRET="sk_live_abcdefghijklmnopqrstuvwx" # keysmith-ignore',
  'REF=${A}/x', 'REF2=$PORT$UNSET', 'H=abc#def', 'N= # note', 'M=a;b', 'B=`x`', "S='${A}'",
  'PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
  '-----END RSA PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----', 'Zx9kQ2mP7vR4tY8wB3nL6cF1hJ5sD0gA=1',
];
const BREAKS = ['\n', '\r\n', '\n'];

function randomText(r: () => number, lines: number): string {
  let t = '';
  for (let i = 0; i < lines; i++) t += PIECES[Math.floor(r() * PIECES.length)]! + BREAKS[Math.floor(r() * BREAKS.length)]!;
  return t;
}

const strip = (fs: readonly object[]) => fs.map((f) => JSON.parse(JSON.stringify(f)));

describe('IncrementalAnalysis', () => {
  const contexts: AnalysisContext[] = [
    { fileName: '.env', git: { ignored: false, tracked: true } },
    { fileName: '.env.example', git: { ignored: true, tracked: false } },
    { fileName: '.env', counterpart: { role: 'example', name: '.env.example', keys: ['API_KEY', 'PORT', 'A'] }, isDjangoProject: true },
    { fileName: '.env', readers: ['dotenv-expand', 'python-dotenv', 'compose', 'shell'] },
  ];
  for (const [label, window, chunk] of [['', 2048, 8192], [' (tiny parse windows and text chunks)', 3, 5]] as const) it(`equals analyzeEnv after every one of thousands of random edits${label}`, (t) => {
    IncrementalDoc.window = window;
    Rope.chunkSize = chunk;
    t.after(() => {
      IncrementalDoc.window = 2048;
      Rope.chunkSize = 8192;
    });
    const seed = Number(process.env['KEYSMITH_SEED'] ?? crypto.getRandomValues(new Uint32Array(1))[0]);
    const r = seededRng(seed);
    let edits = 0;
    for (let round = 0; round < 90; round++) {
      const ctx = contexts[round % contexts.length]!;
      const a = new IncrementalAnalysis(randomText(r, 1 + Math.floor(r() * 20)), ctx);
      for (let step = 0; step < 25; step++) {
        const text = a.text;
        const s = Math.floor(r() * (text.length + 1));
        const e = Math.min(text.length, s + (r() < 0.5 ? 0 : Math.floor(r() * 15)));
        const x = r();
        const insert = x < 0.3 ? '' : x < 0.6 ? randomText(r, 1 + Math.floor(r() * 2)) : PIECES[Math.floor(r() * PIECES.length)]!.slice(0, 1 + Math.floor(r() * 6));
        a.edit(s, e, insert);
        edits++;
        // findings() first: it must work from the chunks, without the whole text built.
        const found = strip(a.findings());
        const expected = analyzeEnv({ text: a.text, ...ctx }, DEFAULT_RULE_CONFIG);
        assert.deepEqual(found, strip(expected), `seed ${seed}, round ${round}, step ${step}: edit [${s}, ${e}) -> ${JSON.stringify(insert)}`);
      }
      // A context change re-checks what depends on it.
      const other = contexts[(round + 1) % contexts.length]!;
      a.setContext(other);
      assert.deepEqual(strip(a.findings()), strip(analyzeEnv({ text: a.text, ...other })));
    }
    assert.ok(edits >= 2000);
  });

  it('a keystroke in a 20,000-line file re-checks a handful of nodes, not the file', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(i % 7 === 0 ? `# section ${i}` : `SERVICE_${i}_API_KEY=${i % 3 === 0 ? 'changeme' : 'Zx9kQ2mP7vR4tY8wB3nL6cF1hJ5sD0gA'}`);
    const a = new IncrementalAnalysis(lines.join('\n') + '\n', { fileName: '.env' });
    const before = a.findings().length;
    const at = a.text.indexOf('SERVICE_10000_API_KEY=') + 'SERVICE_10000_API_KEY='.length;
    a.edit(at, at, 'x');
    assert.ok(a.lastChecked <= 3, `re-checked ${a.lastChecked} nodes`);
    assert.equal(a.findings().length, before);
    // A new line shifts everything after it: reused findings move with their nodes.
    a.edit(0, 0, 'NEW_TOKEN=abc\n');
    assert.ok(a.lastChecked <= 3, `re-checked ${a.lastChecked} nodes`);
    assert.deepEqual(strip(a.findings()), strip(analyzeEnv({ text: a.text, fileName: '.env' })));
  });
});
