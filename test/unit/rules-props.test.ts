// Properties of the rule engine over generated .env texts (fast-check), and of the shortcuts it takes
// for speed (name prescreen, lazy format inference, per-key memo): they must never change a result.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEnv } from '../../src/core/envdoc.ts';
import { getFormat } from '../../src/core/formats.ts';
import { analyzeEnv, compileRuleConfig, DEFAULT_RULE_CONFIG, type AnalyzeInput, type Finding, type RuleConfig } from '../../src/core/rules.ts';
import { mayHaveSpecialFormat } from '../../src/core/rules/weak.ts';
import { DEFAULT_SECRET_NAME_PATTERNS, inferFormat, isSecretName } from '../../src/core/secrets.ts';

const RUNS = 300;

/** A marker no message can contain unless it leaks a value: 16 random base64url characters. */
function randomTag(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => alphabet[b & 63]).join('');
}

const KEYS = [
  'API_KEY', 'SECRET_KEY', 'DJANGO_SECRET_KEY', 'JWT_SECRET', 'JWT_HS512_SECRET', 'APP_FERNET_KEY', 'DB_PASSWORD',
  'GITHUB_TOKEN', 'PORT', 'HOST', 'DATABASE_URL', 'DEBUG', 'PRIVATE_KEY', 'STRIPE_PUBLISHABLE_KEY', '__proto__', 'export',
  'NEXT_PUBLIC_X', 'authToken', 'A', 'b.c', '1X',
];

const piece = fc.oneof(
  fc.constantFrom('changeme', 'your-api-key-here', '${OTHER}', '', 'true', 'https://x.example.com', '12345', 'django-insecure-abc', 'a b', 'x#y', '-----BEGIN PRIVATE KEY-----'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('hex', 'base64url', 'fernet', 'jwt-hs256', 'django', 'password').map((id) => getFormat(id).generate()),
);
const quote = fc.constantFrom('', '"', "'", '`');
const eol = fc.constantFrom('\n', '\r\n', '\r', '\u2028');

/** Lines that look like .env, with a random tag planted in every value. */
function envText(tag: string) {
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('=', ' = ', ': ', '='), quote, piece, fc.constantFrom('', ' # c', '#x')).map(([k, sep, q, v, c]) => `${k}${sep}${q}${v}${tag}${q}${c}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '# comment', '# keysmith-ignore: weak-secret', '# keysmith-ignore', 'garbage line', 'export A=1', 'K="multi') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
  return fc.tuple(fc.array(fc.tuple(line, eol), { maxLength: 25 }), fc.boolean()).map(([ls, bom]) => (bom ? '\uFEFF' : '') + ls.map(([l, e]) => l + e).join(''));
}

const inputExtras = fc.record({
  fileName: fc.constantFrom('.env', '.env.local', '.env.example', 'example.env', 'prod.env', 'notes.txt'),
  git: fc.option(fc.record({ ignored: fc.constantFrom(true, false, 'unknown' as const), tracked: fc.constantFrom(true, false, 'unknown' as const), trackingNote: fc.constantFrom('tracking could not be checked: Restricted Mode') }), { nil: undefined }),
  counterpart: fc.option(fc.record({ role: fc.constantFrom('example' as const, 'source' as const), name: fc.constantFrom('.env.example', '.env'), keys: fc.subarray(KEYS) }), { nil: undefined }),
  isDjangoProject: fc.boolean(),
});

function lineOf(text: string, offset: number): number {
  return (text.slice(0, offset).match(/\r\n|\r|\n/g) ?? []).length;
}

function check(text: string, findings: readonly Finding[], tag: string): void {
  for (const f of findings) {
    assert.ok(f.start >= 0 && f.start <= f.end && f.end <= text.length);
    assert.equal(f.line, lineOf(text, f.start));
    assert.ok(!f.message.includes(tag), `${f.code} leaks a value: ${f.message}`);
    assert.ok(!JSON.stringify(f).includes(tag), `${f.code} carries a value`);
  }
  for (let i = 1; i < findings.length; i++) assert.ok(findings[i - 1]!.start <= findings[i]!.start);
}

describe('analyzeEnv properties', () => {
  it('never throws; findings are in range, on the right line, sorted, and never carry a value', () => {
    const tag = randomTag();
    fc.assert(
      fc.property(envText(tag), inputExtras, (text, extra) => {
        const input: AnalyzeInput = { text, ...extra };
        check(text, analyzeEnv(input), tag);
      }),
      { numRuns: RUNS },
    );
  });

  it('any text: no throw, well-formed findings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        check(text, analyzeEnv({ text, fileName: '.env', git: { ignored: false, tracked: true } }), '\u0000never\u0000');
      }),
      { numRuns: RUNS },
    );
  });

  it('memo, name prescreen and lazy formats change nothing: a fresh, uncached config agrees', () => {
    const tag = randomTag();
    let n = 0;
    fc.assert(
      fc.property(envText(tag), inputExtras, (text, extra) => {
        const input: AnalyzeInput = { text, ...extra };
        // A regex pattern that matches no generated key: same semantics, but a config of its own
        // (no memo, no name cache) and no literal prescreen.
        const fresh: RuleConfig = { ...DEFAULT_RULE_CONFIG, secretPatterns: [`/^never-${n++}$/`] };
        const warm = analyzeEnv(input);
        assert.deepEqual(warm, analyzeEnv(input, fresh));
        assert.deepEqual(analyzeEnv(input), warm, 'stable on re-analysis');
      }),
      { numRuns: RUNS },
    );
  });

  it("'# keysmith-ignore-file' first silences everything", () => {
    const tag = randomTag();
    fc.assert(
      fc.property(envText(tag), inputExtras, (text, extra) => {
        assert.deepEqual(analyzeEnv({ ...extra, text: '# keysmith-ignore-file\n' + text.replace(/^\uFEFF/, '') }), []);
      }),
      { numRuns: RUNS / 3 },
    );
  });

  it('reusing a parse gives the same findings', () => {
    const tag = randomTag();
    fc.assert(
      fc.property(envText(tag), inputExtras, (text, extra) => {
        assert.deepEqual(analyzeEnv({ ...extra, text, doc: parseEnv(text) }), analyzeEnv({ ...extra, text }));
      }),
      { numRuns: RUNS / 3 },
    );
  });
});

describe('speed shortcuts are exact', () => {
  const word = fc.constantFrom(
    'API', 'KEY', 'KEYS', 'SECRET', 'TOKEN', 'PASS', 'PASSWORD', 'PWD', 'AUTH', 'JWT', 'HS256', 'HS384', 'HS512', 'FERNET', 'DJANGO',
    'PRIVATE', 'PUBLIC', 'ID', 'URL', 'HOST', 'MONKEY', 'KEYBOARD', 'SALT', 'HMAC', 'CREDS', 'BEARER', 'SIGNING', 'ENCRYPTION',
    'PASSPHRASE', 'APIKEY', 'PRIVATEKEY', 'HEX', 'BASE64', 'UUID', 'SSH', 'RSA', 'PEM', 'PARTITION', 'X', 'DB', 'Secret', 'apiKey',
    'key2', 'AUTH0', 'passwd', 'ſecret', 'K\u212aY',
  );
  const key = fc.oneof(
    fc.array(word, { minLength: 1, maxLength: 4 }).chain((ws) => fc.constantFrom('_', '-', '.', '').map((sep) => ws.join(sep))),
    fc.string({ maxLength: 16 }),
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/),
  );

  it('the literal name prescreen never rejects a secret name', () => {
    const extraPatterns = fc.array(fc.oneof(fc.constantFrom('MY_THING', 'STRIPE_*', '*_SECRETISH', 'client secret', 'x'), fc.stringMatching(/^[A-Z_*]{1,8}$/)), { maxLength: 3 });
    fc.assert(
      fc.property(key, extraPatterns, (k, patterns) => {
        const cfg = compileRuleConfig({ ...DEFAULT_RULE_CONFIG, secretPatterns: patterns });
        assert.equal(cfg.isSecret(k), isSecretName(k, patterns), `${JSON.stringify(k)} with ${JSON.stringify(patterns)}`);
      }),
      { numRuns: 2000 },
    );
    for (const p of DEFAULT_SECRET_NAME_PATTERNS) {
      const k = p.replace(/\*/g, 'X');
      assert.equal(compileRuleConfig(DEFAULT_RULE_CONFIG).isSecret(k), isSecretName(k), k);
    }
  });

  it('format inference is skipped only for keys that cannot be fernet, JWT or Django', () => {
    fc.assert(
      fc.property(key, fc.boolean(), (k, django) => {
        const f = inferFormat(k, { defaultFormat: 'base64url', isDjangoProject: django });
        if (f === 'fernet' || f === 'django' || (f !== null && f.startsWith('jwt-'))) assert.ok(mayHaveSpecialFormat(k, django), `${k} → ${f}`);
      }),
      { numRuns: 3000 },
    );
  });
});
