// The speed work of issue #12 restructured key-name classification, placeholder detection, the
// strength estimate and the weak-secret check. It must not change a single verdict: this compares
// the optimised code with a frozen copy of the code before it (test/unit/legacy/) over many
// generated keys and values (deterministic: a seeded PRNG) and the values of the test corpus.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from '../../src/core/envdoc.ts';
import { compileRuleConfig as newCompile, DEFAULT_RULE_CONFIG } from '../../src/core/rules/config.ts';
import type { RuleConfig } from '../../src/core/rules/types.ts';
import { assessWeak as newAssessWeak, looksLikeRealSecret as newLooksLikeRealSecret } from '../../src/core/rules/weak.ts';
import * as cur from '../../src/core/secrets.ts';
import { estimateStrength as newEstimate } from '../../src/core/strength.ts';
import { compileRuleConfig as oldCompile } from './legacy/config.ts';
import * as old from './legacy/secrets.ts';
import { estimateStrength as oldEstimate } from './legacy/strength.ts';
import { assessWeak as oldAssessWeak, looksLikeRealSecret as oldLooksLikeRealSecret } from './legacy/weak.ts';
import { seededRng } from './helpers/seeded.ts';

/** assert.equal with the message built only on failure (the loops below are long). */
function same<T>(a: T, b: T, msg: () => string): void {
  if (a !== b) assert.equal(a, b, msg());
}
function sameDeep<T>(a: T, b: T, msg: () => string): void {
  if (a === b) return;
  try {
    assert.deepEqual(a, b);
  } catch {
    assert.deepEqual(a, b, msg());
  }
}

const root = new URL('../../', import.meta.url).pathname;

/** Every key and value of the .env-like files in the test fixtures. */
function corpus(): { keys: string[]; values: string[] } {
  const keys = new Set<string>();
  const values = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/env|\.json$/.test(name) && statSync(p).size < 1_000_000) {
        const text = readFileSync(p, 'utf8');
        for (const e of parseEnv(text).entries) {
          keys.add(e.key);
          values.add(e.value);
        }
        // JSON fixtures: every string in them.
        if (name.endsWith('.json')) for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"/g)) values.add(m[1]!);
      }
    }
  };
  walk(join(root, 'test/unit/fixtures'));
  return { keys: [...keys], values: [...values] };
}

const WORDS = [
  'API', 'KEY', 'KEYS', 'SECRET', 'TOKEN', 'PASSWORD', 'PASSWD', 'PASS', 'PW', 'PWD', 'AUTH', 'AUTH0', 'JWT', 'HS256', 'HS384', 'HS512',
  'FERNET', 'DJANGO', 'SALT', 'PEPPER', 'PRIVATE', 'PUBLIC', 'PUB', 'PUBLISHABLE', 'SIGN', 'SIGNING', 'SESSION', 'COOKIE', 'DSN',
  'CONNECTION', 'STRING', 'CONNSTR', 'WEBHOOK', 'HMAC', 'ID', 'URL', 'HOST', 'PORT', 'NAME', 'FILE', 'PRIMARY', 'PARTITION', 'CACHE',
  'HEX', 'BASE64', 'BASE64URL', 'B64', 'UUID', 'GUID', 'PASSPHRASE', 'APIKEY', 'PRIVATEKEY', 'RSA', 'SSH', 'PEM', 'TLS', 'ACCESS',
  'CLIENT', 'STRIPE', 'GITHUB', 'AWS', 'DB', 'REDIS', 'MAX', 'TOKENS', 'KEYBOARD', 'MONKEY', 'BYPASS', 'OLDPWD', 'GOOGLE',
  'APPLICATION', 'CREDENTIALS', 'CREDENTIAL', 'CREDS', 'BEARER', 'ENCRYPTION', 'ENCRYPT', 'DRIVER', 'EXPIRES', 'IN', 'X', '2',
];
const SEPS = ['_', '_', '_', '-', '.', '', '__'];

function genKeys(n: number, seed: number): string[] {
  const r = seededRng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = 1 + Math.floor(r() * 4);
    const sep = pick(SEPS);
    const style = r();
    const parts: string[] = [];
    for (let w = 0; w < words; w++) {
      let word = pick(WORDS);
      if (r() < 0.15) word += String(Math.floor(r() * 100));
      if (style < 0.25) word = word.toLowerCase();
      else if (style < 0.5) word = word[0] + word.slice(1).toLowerCase();
      else if (style < 0.55) word = [...word].map((c) => (r() < 0.5 ? c.toLowerCase() : c)).join('');
      parts.push(word);
    }
    let key = parts.join(style >= 0.25 && style < 0.5 && r() < 0.5 ? '' : sep);
    if (r() < 0.03) key = pick(['ſecret_KEY', 'TOKEN_İD', 'paßword', 'K\u212AEY', 'ımportant_TOKEN', 'x'.repeat(Math.floor(r() * 3)), '__proto__']) + (r() < 0.5 ? key : '');
    out.push(key);
  }
  return out;
}

const ALPHABETS = [
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  '0123456789abcdef',
  '0123456789ABCDEF',
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)',
  ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~aA0',
  'xX*#•',
  'éüñßÆ',
  'αβγδЖЯ',
  '漢字かな',
  '😀🔑',
  'aaaa1111',
  'qwertyuiop1234567890',
];
const SNIPPETS = [
  'changeme', 'password', 'secret', 'your-api-key-here', 'TODO', 'here', ' here', 'example', 'EXAMPLEKEY', 'django-insecure-', 'p@ssw0rd',
  '-----BEGIN PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----', '\\n', '-----END PRIVATE KEY-----', 'eyJhbGciOiJIUzI1NiJ9', '.', '${X}', '$VAR',
  'https://user:pw@host/db', 'localhost:5432', '127.0.0.1', '30s', '10mb', 'true', 'off', '1e5', '0x', '=', '==', '"', "'", '`', ' ', '\t',
  '{{x}}', '<secret>', 'xxxx', '****', '1234', 'abcd', '4321', 'zyx', 'qwerty', '!@#$', 'asdf', 'Proc-Type: 4,ENCRYPTED', 'sk_live_', '\r\n',
  '123e4567-e89b-42d3-a456-426614174000', '00000000-0000-0000-0000-000000000000', 'mustang', 'lemon', 'correct-horse-battery-staple',
];

function genValues(n: number, seed: number): string[] {
  const r = seededRng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const tok = (len: number, a: string): string => {
    const chars = [...a];
    let s = '';
    for (let i = 0; i < len; i++) s += pick(chars);
    return s;
  };
  const B64URL = ALPHABETS[0]!;
  const HEX = ALPHABETS[2]!;
  /** Values shaped like Keysmith's formats (seeded, not from the CSPRNG: the test is deterministic). */
  const shaped = (): string => {
    switch (Math.floor(r() * 8)) {
      case 0: return tok(43, B64URL) + '='; // Fernet
      case 1: return `${tok(8, HEX)}-${tok(4, HEX)}-4${tok(3, HEX)}-${pick([...'89ab'])}${tok(3, HEX)}-${tok(12, HEX)}`;
      case 2: return tok(50, ALPHABETS[6]!); // Django
      case 3: return `eyJ${tok(20, B64URL)}.eyJ${tok(30, B64URL)}.${tok(43, B64URL)}`;
      case 4: return `${pick(['sk', 'rk', 'pk'])}_${pick(['live', 'test'])}_${tok(32, ALPHABETS[0]!.slice(0, 62))}`;
      case 5: return tok(64, HEX);
      case 6: return `django-insecure-${tok(50, ALPHABETS[6]!)}`;
      default: return `-----BEGIN ${pick(['RSA PRIVATE', 'PUBLIC', 'ENCRYPTED PRIVATE'])} KEY-----\\n${tok(64, ALPHABETS[1]!)}\\n-----END KEY-----`;
    }
  };
  const lens = [0, 1, 2, 3, 5, 8, 12, 15, 16, 20, 24, 32, 36, 43, 44, 50, 64, 88, 100, 300];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    let v: string;
    if (x < 0.45) v = tok(pick(lens), pick(ALPHABETS));
    else if (x < 0.75) {
      v = '';
      const parts = 1 + Math.floor(r() * 4);
      for (let p = 0; p < parts; p++) v += r() < 0.5 ? pick(SNIPPETS) : tok(Math.floor(r() * 20), pick(ALPHABETS));
    } else if (x < 0.85) v = shaped();
    else if (x < 0.9) {
      const words = 2 + Math.floor(r() * 6);
      const sep = pick([' ', '-', '_', '.', '-', '+']);
      const ws: string[] = [];
      for (let w = 0; w < words; w++) ws.push(tok(2 + Math.floor(r() * 12), 'abcdefghijklmnopqrstuvwxyz'));
      v = ws.join(sep);
      if (r() < 0.3) v = v.toUpperCase();
    } else {
      // Mutations of a structured value: case flips, a character replaced, quotes around.
      v = r() < 0.5 ? pick(SNIPPETS) : shaped();
      if (r() < 0.3) v = v.toUpperCase();
      if (r() < 0.3 && v.length > 0) {
        const k = Math.floor(r() * v.length);
        v = v.slice(0, k) + pick([...'aZ9-_=+/ .$"\'']) + v.slice(k + 1);
      }
      if (r() < 0.3) v = `${pick(['"', "'", '`', ' '])}${v}${pick(['"', "'", '`', ' '])}`;
    }
    out.push(v);
  }
  return out;
}

const PATTERN_SETS: readonly (readonly string[])[] = [[], ['STRIPE_*', '/^my_?thing$/', 'CLIENT_SECRET', '*_PIN'], ['*'], ['MONKEY']];
const PLACEHOLDER_SETS: readonly (readonly string[])[] = [[], ['lemon', 'my*value', '  XX '], ['ab']];

describe('issue #12: optimised checks give the verdicts of the code before them', () => {
  const { keys: corpusKeys, values: corpusValues } = corpus();
  const keys = [...corpusKeys, ...cur.DEFAULT_SECRET_NAME_PATTERNS, ...genKeys(8_000, 12)];
  const values = [...corpusValues, ...genValues(10_000, 34)];

  it('has a corpus to compare', () => {
    assert.ok(corpusKeys.length >= 50, `corpus keys: ${corpusKeys.length}`);
    assert.ok(corpusValues.length >= 50, `corpus values: ${corpusValues.length}`);
  });

  it('key names: isSecretName, inferFormat, pasteKind', () => {
    for (const patterns of PATTERN_SETS) {
      for (const key of keys) {
        same(cur.isSecretName(key, patterns), old.isSecretName(key, patterns), () => `isSecretName ${JSON.stringify(key)} ${JSON.stringify(patterns)}`);
        for (const django of [false, true]) {
          const ctx = { defaultFormat: 'base64url' as const, secretPatterns: patterns, isDjangoProject: django };
          same(cur.inferFormat(key, ctx), old.inferFormat(key, ctx), () => `inferFormat ${JSON.stringify(key)}`);
        }
      }
    }
    for (const key of keys) same(cur.pasteKind(key), old.pasteKind(key), () => `pasteKind ${JSON.stringify(key)}`);
  });

  it('values: isPlaceholder, looksLikeNonSecretValue, estimateStrength', () => {
    for (const extra of PLACEHOLDER_SETS) {
      values.forEach((v, i) => {
        same(cur.isPlaceholder(v, extra), old.isPlaceholder(v, extra), () => `isPlaceholder #${i}`);
        sameDeep(newEstimate(v, { placeholders: extra }), oldEstimate(v, { placeholders: extra }), () => `estimateStrength #${i}`);
      });
    }
    values.forEach((v, i) => same(cur.looksLikeNonSecretValue(v), old.looksLikeNonSecretValue(v), () => `looksLikeNonSecretValue #${i}`));
  });

  it('weak-secret and example-leak verdicts, key × value', () => {
    const r = seededRng(56);
    const configs: RuleConfig[] = [DEFAULT_RULE_CONFIG, { ...DEFAULT_RULE_CONFIG, placeholders: ['lemon', 'my*value'], secretPatterns: ['*_PIN'], minBits: 100, leakBits: 40 }];
    for (const config of configs) {
      const a = newCompile(config);
      const b = oldCompile(config);
      for (let i = 0; i < 25_000; i++) {
        const key = keys[Math.floor(r() * keys.length)]!;
        const vi = Math.floor(r() * values.length);
        const value = values[vi]!;
        const django = r() < 0.3;
        same(a.isSecret(key), b.isSecret(key), () => `isSecret ${JSON.stringify(key)}`);
        sameDeep(newAssessWeak(key, value, a, django), oldAssessWeak(key, value, b, django), () => `assessWeak ${JSON.stringify(key)} value #${vi}`);
        if (i % 2 === 0) same(newLooksLikeRealSecret(value, a), oldLooksLikeRealSecret(value, b), () => `looksLikeRealSecret #${vi}`);
      }
    }
  });
});
