// IncrementalGate (kept by IncrementalAnalysis.gatedMessages) against the whole MessageGate: after
// every edit, each message is passed or withheld exactly as MessageGate.forDocuments([doc]) with the
// same extra names would, over random documents and edits and messages that repeat names, values,
// pieces of values, comments and credential-like tokens.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv } from '../../src/core/envdoc.ts';
import { hiddenKeys, looksLikeKeyMaterial, MessageGate } from '../../src/core/leakguard.ts';
import { IncrementalAnalysis } from '../../src/core/rules/incremental.ts';
import { seededRng } from './helpers/seeded.ts';

const PIECES = [
  'API_KEY=changeme', 'SECRET_KEY=Zx9kQ2mP7vR4tY8w', 'DB_PASSWORD=hunter22', 'TOKEN=Zx9kQ2mP7vR4tY8wB3nL6cF1hJ5sD0gA', 'PORT=8080',
  'DB=postgres', 'DB_HOST=db.internal', 'DATABASE_URL=postgres://app:s3cretpass@db.internal:5432/app', 'API=API_KEY', 'NAME=SECRET_KEY',
  'EMPTY=', '# comment with ghp_abcdefghijklmnopqrstuvwxyz0123456789', '# plain comment', 'bad line here', 'X="multi', 'line value"',
  'SECRET="quoted value 123"', 'PASS=p4ss#word # tail comment', 'A=1', 'A=2', 'export TOKEN=xyz12345', 'KEY.WITH.DOTS=v',
  'STRIPE_KEY=sk_live_abcdefghijklmnopqrstuvwx', 'EMAIL=alice@example.com', 'WORD=is weak', '', 'K=-----BEGIN RSA PRIVATE KEY-----',
];
const BREAKS = ['\n', '\r\n', '\n'];
const rand = (r: () => number, a: readonly string[]) => a[Math.floor(r() * a.length)]!;

function randomText(r: () => number, lines: number): string {
  let t = '';
  for (let i = 0; i < lines; i++) t += rand(r, PIECES) + rand(r, BREAKS);
  return t;
}

type Msg = { message: string; key?: string };

/**
 * Messages about the document: its findings (the analysis's own objects, kept between edits as the
 * extension gets them), and lines naming its keys, values and pieces of them; `kept` holds the
 * latter between steps, a few replaced each time (a line published again is the same object).
 */
function messages(r: () => number, a: IncrementalAnalysis, kept: Msg[]): Msg[] {
  const doc = a.document();
  const keys = doc.entries.map((e) => e.key);
  const values = doc.entries.map((e) => e.value).filter((v) => v.length > 0);
  for (let i = 0; i < 12; i++) {
    if (kept.length >= 12 && r() < 0.75) continue;
    const k = keys.length > 0 ? rand(r, keys) : 'NOKEY';
    const v = values.length > 0 ? rand(r, values) : 'novalue';
    const s = Math.floor(r() * v.length);
    const x = r();
    const message =
      x < 0.2 ? `${k} is weak: it is short.` :
      x < 0.35 ? `${k} and ${keys.length > 1 ? rand(r, keys) : 'OTHER'} in .env: ${v.slice(s, s + 1 + Math.floor(r() * 12))}` :
      x < 0.5 ? `${k}'s value ${v}` :
      x < 0.6 ? `${k}${rand(r, keys.length > 0 ? keys : ['Z'])} is weak` :
      x < 0.7 ? `see my file.env and ${k}` :
      x < 0.8 ? `${rand(r, ['is weak', 'line value', 'postgres', 'db.internal', 'API_KEY'])} in ${k}` :
      `${k} holds ghp_abcdefghijklmnopqrstuvwxyz0123456789`;
    const m = r() < 0.7 ? { message, key: k } : { message };
    if (kept.length >= 12) kept[Math.floor(r() * kept.length)] = m;
    else kept.push(m);
  }
  // Findings first (in the analysis's order), then the kept lines, sometimes one left out.
  const out: Msg[] = [...a.findings()];
  for (const m of kept) if (r() < 0.9) out.push(m);
  return out;
}

describe('IncrementalGate', () => {
  it('passes and withholds exactly as the whole MessageGate, after every one of many random edits', () => {
    const seed = Number(process.env['KEYSMITH_SEED'] ?? crypto.getRandomValues(new Uint32Array(1))[0]);
    const r = seededRng(seed);
    let compared = 0;
    let withheld = 0;
    let fallbacks = 0;
    for (let round = 0; round < 60; round++) {
      const a = new IncrementalAnalysis(randomText(r, 1 + Math.floor(r() * 15)), { fileName: '.env' });
      const extra = r() < 0.5 ? ['.env'] : ['.env', 'my file.env', 'DB'];
      const patterns = r() < 0.3 ? ['word'] : [];
      const kept: Msg[] = [];
      for (let step = 0; step < 25; step++) {
        const text = a.text;
        const s = Math.floor(r() * (text.length + 1));
        const e = Math.min(text.length, s + (r() < 0.5 ? 0 : Math.floor(r() * 15)));
        const x = r();
        const insert = x < 0.3 ? '' : x < 0.6 ? randomText(r, 1 + Math.floor(r() * 2)) : rand(r, PIECES).slice(0, 1 + Math.floor(r() * 8));
        a.edit(s, e, insert);
        const msgs = messages(r, a, kept);
        const got = a.gatedMessages(msgs as never, extra, patterns);
        const doc = parseEnv(a.text);
        if (got === undefined) {
          // Only a document that may hide keys falls back to the whole gate.
          assert.ok(hiddenKeys(doc).names.size > 0 || /-----BEGIN/.test(a.text) || doc.entries.some((x) => looksLikeKeyMaterial(x.key)), `seed ${seed}: fell back without a reason`);
          fallbacks++;
          continue;
        }
        const gate = MessageGate.forDocuments([doc], { secretPatterns: patterns }).allow(...extra);
        const want = msgs.map((m) => gate.line(m.message, m.key));
        assert.deepEqual(got, want, `seed ${seed}, round ${round}, step ${step}: edit [${s}, ${e}) -> ${JSON.stringify(insert)}\n${a.text}`);
        compared += msgs.length;
        withheld += want.filter((w, i) => w !== msgs[i]!.message).length;
      }
    }
    assert.ok(fallbacks < 900, `${fallbacks} fallbacks to the whole gate`);
    assert.ok(compared > 10_000, `${compared} messages compared`);
    assert.ok(withheld > 500, `only ${withheld} withheld: the test must exercise the gate`);
  });
});
