// MessageGate finds the allowed names a line contains through the line's runs of key characters
// instead of testing every name of the file (issue #12: a gate over a 100k-line file took seconds).
// The verdicts must be those of the plain way: this compares them over generated files and lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv } from '../../src/core/envdoc.ts';
import { hasCredentialToken, MessageGate, type Taint } from '../../src/core/leakguard.ts';
import { seededRng } from './helpers/seeded.ts';

interface GateInside {
  taints: Taint[];
  hiddenNames: Set<string>;
  allowed: Set<string>;
}

/** MessageGate.passes as it was: every allowed name tested against the line. */
function referencePasses(gate: MessageGate, line: string): boolean {
  const g = gate as unknown as GateInside;
  let masked = line;
  for (const n of g.hiddenNames) if (masked.includes(n) && (n.length >= 6 || new RegExp(`(^|[^A-Za-z0-9_.-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_.-])`).test(masked))) return false;
  if (g.allowed.size > 0) {
    const names = [...g.allowed].filter((n) => masked.includes(n)).sort((a, b) => b.length - a.length);
    for (const n of names) masked = masked.split(n).join('\u0000');
  }
  for (const t of g.taints) if (t.hits(masked)) return false;
  return !hasCredentialToken(masked.split('\u0000').join(' '));
}

describe('MessageGate: allowed names found by runs of key characters', () => {
  it('gives the verdicts of testing every name, over generated files and lines', () => {
    const r = seededRng(1212);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    const WORDS = ['API', 'KEY', 'A', 'B', 'DB', 'SECRET', 'TOKEN', 'x', 'port', 'line', 'is', 'weak', 'env', 'sk', 'live', '1', '42', 'a.b', 'c-d'];
    const word = () => pick(WORDS);
    const name = () => Array.from({ length: 1 + Math.floor(r() * 3) }, word).join(pick(['_', '.', '-', '']));
    let keys: string[] = [];
    // Values that contain key or file names (so masking a name decides whether a line repeats a value).
    const value = () =>
      pick([
        () => pick(['', 'changeme', 'hunter2hunter2', 'is weak here', 'line 5', 'ABCDEFGHIJKLMNOP', 'sk_live_abcdefghijklmnop1234']),
        () => name(),
        () => `${name()} ${name()}`,
        () => `${pick(['', 'Q', 'xy '])}${pick(keys)}${pick(['', 'Z', '_Q9', 'zz'])}`,
        () => pick(['in my file.envQQ', '.env.exampleZZ', 'x.envy1', '.envQQQQQQ', 'mpleQQQQQQ', 'e!QQQQQQQ']),
        // Part of a name then more: only masking the whole name keeps a line that holds it from repeating this.
        () => `${pick(keys).slice(-3)}QQQQQQ`,
      ])();
    let compared = 0;
    let withheld = 0;
    for (let f = 0; f < 80; f++) {
      keys = Array.from({ length: 12 }, name);
      const lines: string[] = [];
      for (const k of keys) lines.push(r() < 0.15 ? `# ${value()}` : `${k}=${value()}`);
      const doc = parseEnv(lines.join('\n') + '\n');
      const gate = MessageGate.forDocuments([doc]).allow('.env', 'my file.env', '.env.example', 'my file!');
      for (let m = 0; m < 40; m++) {
        const key = pick(doc.entries)?.key ?? name();
        const line = pick([
          () => `${key} is weak: about 40 bits of estimated strength, under the 128-bit minimum.`,
          () => `${key} is defined again on line ${1 + Math.floor(r() * 12)}; dotenv uses that last definition.`,
          () => `${name()} ${value()} ${key}${pick(['', '.', '-', '_x'])} in my file.env and .env.example`,
          () => `${value()}${key}${value()}`,
          () => `${pick(keys)}${pick(['', 'Z', '_Q9', 'zz', 'QQQQQQ'])} and ${pick(['in my file.envQQ', 'my file.env', 'my file.envQQQQQQ', '.env.exampleQQQQQQ', 'x.envy1', 'my file!QQQQQQQ'])}`,
        ])();
        const expected = referencePasses(gate, line);
        assert.equal(gate.passes(line), expected, JSON.stringify(line));
        compared++;
        if (!expected) withheld++;
      }
    }
    // Both verdicts occur, so the comparison means something.
    assert.ok(withheld > 50 && withheld < compared - 50, `${withheld} of ${compared} withheld`);
  });
});

describe('MessageGate: values that only refer to other keys', () => {
  it('does not withhold messages naming keys that share text with a ${REFERENCE} value', async () => {
    const { parseEnv } = await import('../../src/core/envdoc.ts');
    const { MessageGate } = await import('../../src/core/leakguard.ts');
    const doc = parseEnv('MAILGUN_API_KEY=\nAPP_SECRET=${MAILGUN_SHARED_SECRET}\nB_TOKEN=$MAILGUN_SHARED$OTHER_ONE\n');
    const gate = MessageGate.forDocuments([doc]).allow('.env');
    assert.ok(gate.passes('MAILGUN_API_KEY is empty. Populate Empty Keys fills it with a fresh secret.'));
    // Text around a reference is the value's own: the value stays hidden.
    const mixed = parseEnv('MAILGUN_API_KEY=\nC_TOKEN=x${MAILGUN_SHARED_SECRET}\n');
    const strict = MessageGate.forDocuments([mixed]).allow('.env');
    assert.ok(!strict.passes('a message quoting x${MAILGUN_SHARED_SECRET}'));
  });
});

describe('looksLikeKeyMaterial', () => {
  it('gives the verdicts of the regular-expression version (frozen copy) on 50,000 seeded names', async () => {
    const { looksLikeKeyMaterial } = await import('../../src/core/leakguard.ts');
    const { looksLikeKeyMaterial: frozen } = await import('./legacy/i12/leakguard.ts');
    const { seededRng } = await import('./helpers/seeded.ts');
    const r = seededRng(7);
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-ÄéZ9';
    let positive = 0;
    for (let i = 0; i < 50_000; i++) {
      let s = '';
      const n = Math.floor(r() * 60);
      for (let k = 0; k < n; k++) s += A[Math.floor(r() * (r() < 0.9 ? 62 : A.length))];
      const got = looksLikeKeyMaterial(s);
      if (got) positive++;
      assert.equal(got, frozen(s), s);
    }
    assert.ok(positive > 200, `${positive} names taken for key material: the test must reach both verdicts`);
  });
});
