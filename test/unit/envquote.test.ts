/**
 * quoteEnvValue (the one quoting decision of every .env writer) and the alphabets of the formats
 * when they are written into a .env file: no `$`, backslash, quote or backtick, in any format,
 * under any settings. What the readers then make of the files is test/unit/readback.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENV_UNSAFE_CHARS, isPortableEnvValue, quoteAtValuePosition, quoteEnvValue } from '../../src/core/envdoc.ts';
import { ALL_SYMBOLS, DJANGO_ALPHABET, DJANGO_ENV_ALPHABET, FORMAT_IDS, getFormat } from '../../src/core/formats.ts';
import { DEFAULT_SETTINGS, optionsFor, parseWordlist, type KeysmithSettings } from '../../src/core/settings.ts';
import { WORDLIST_FILE } from './helpers/cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function loadWordlist(): string[] {
  if (!existsSync(WORDLIST_FILE)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  return parseWordlist(readFileSync(WORDLIST_FILE, 'utf8'));
}

describe('quoteEnvValue', () => {
  it('writes values of letters, digits and _ . , : / @ % + = - bare', () => {
    for (const v of ['', 'abc', 'sk_live_AbC123', 'a+b/c==', 'postgres://u@h:5432/db', '8080', 'a.b,c:d@e%f=g-h']) {
      assert.equal(quoteEnvValue(v), v);
    }
  });
  it('puts every value with a shell metacharacter, space, # or ~ in single quotes', () => {
    for (const v of ['a(b', 'a&b', 'a*b', 'a;b', 'a|b', 'a<b>', 'a b', 'a#b', '#', '~', 'a:~', '!x', 'a^b', '{a}', '[a]', 'a?', ' lead', 'trail ', 'it"s', 'ü', '\t']) {
      assert.equal(quoteEnvValue(v), `'${v}'`, JSON.stringify(v));
    }
  });
  it("puts a value with ' (and no \") in double quotes", () => {
    assert.equal(quoteEnvValue("it's"), `"it's"`);
    assert.equal(quoteEnvValue("it's (ok)!"), `"it's (ok)!"`);
  });
  it('has no form for $, backslash, line breaks, NUL, or both quotes', () => {
    for (const v of ['$', 'a$b', "'$HOME'", 'a\\b', '\\', 'a\nb', 'a\rb', 'a\u2028b', 'a\u0085b', 'a\0b', `'"`, `it's "x"`]) {
      assert.equal(quoteEnvValue(v), null, JSON.stringify(v));
      assert.equal(isPortableEnvValue(v), false);
    }
  });
  it('keeps the quote an entry has when it reads the value literally everywhere', () => {
    assert.equal(quoteEnvValue('abc', { keep: '"' }), '"abc"');
    assert.equal(quoteEnvValue('abc', { keep: "'" }), "'abc'");
    assert.equal(quoteEnvValue('a(b)&!', { keep: '"' }), '"a(b)&!"');
    assert.equal(quoteEnvValue("it's", { keep: "'" }), `"it's"`);
    assert.equal(quoteEnvValue('abc', { keep: '`' }), 'abc');
    assert.equal(quoteEnvValue('a b', { keep: '`' }), "'a b'");
  });
  it('prefers double quotes when asked and they read the value literally', () => {
    assert.equal(quoteEnvValue('<generate: django>', { prefer: '"' }), '"<generate: django>"');
    assert.equal(quoteEnvValue('say "hi"', { prefer: '"' }), `'say "hi"'`);
    assert.equal(quoteEnvValue('plain', { prefer: '"' }), 'plain');
  });
  it('writes an empty value before an inline comment as ""', () => {
    assert.equal(quoteEnvValue('', { comment: true }), '""');
    assert.equal(quoteEnvValue('', { comment: true, keep: "'" }), "''");
    assert.equal(quoteEnvValue('x', { comment: true }), 'x');
  });
  it('quoteAtValuePosition: quotes a value inserted as a whole value after KEY=, leaves other places alone', () => {
    const v = 'a(b)#c';
    assert.equal(quoteAtValuePosition(v, 'KEY=', ''), "'a(b)#c'");
    assert.equal(quoteAtValuePosition(v, '  export KEY = ', '   '), "'a(b)#c'");
    assert.equal(quoteAtValuePosition(v, 'KEY=', ' # note'), "'a(b)#c'");
    assert.equal(quoteAtValuePosition(v, 'KEY=', '# note'), "'a(b)#c' ");
    assert.equal(quoteAtValuePosition('abc', 'KEY=', ''), 'abc');
    for (const [before, after] of [['KEY="', '"'], ["KEY='", "'"], ['KEY=ab', ''], ['KEY=', 'cd'], ['# KEY=', ''], ['x = y(', ''], ['', '']]) {
      assert.equal(quoteAtValuePosition(v, before!, after!), null, `${before}|${after}`);
    }
    assert.equal(quoteAtValuePosition('a$b', 'KEY=', ''), null);
  });
  it('property: the form is the value, bare or in quotes that hold no character they interpret; null only when no form exists', () => {
    const chars = [...'abcXYZ019 _.,:/@%+=-!#&*()[]{}<>|;?~^\'"`$\\\t\u00e9'];
    for (let i = 0; i < 5000; i++) {
      let v = '';
      const len = i % 12;
      for (let k = 0; k < len; k++) v += chars[(i * 7 + k * 13 + ((i * k) % 5)) % chars.length];
      const raw = quoteEnvValue(v);
      if (raw === null) {
        assert.ok(/[$\\\n\r]/.test(v) || (v.includes("'") && /["`]/.test(v)), JSON.stringify(v));
        continue;
      }
      const q = raw[0];
      if (raw !== v) {
        assert.ok(q === "'" || q === '"', JSON.stringify(raw));
        assert.equal(raw.slice(1, -1), v);
        assert.ok(!/[$\\]/.test(v) && !v.includes(q) && (q === "'" || !v.includes('`')), JSON.stringify(raw));
      } else assert.match(v, /^[A-Za-z0-9_.,:/@%+=-]*$/);
    }
  });
});

describe('formats written into a .env file', () => {
  const wordlist = loadWordlist();
  const settings: KeysmithSettings[] = [
    DEFAULT_SETTINGS,
    { ...DEFAULT_SETTINGS, password: { ...DEFAULT_SETTINGS.password, symbolSet: ALL_SYMBOLS } },
    { ...DEFAULT_SETTINGS, password: { ...DEFAULT_SETTINGS.password, symbolSet: '$"\'`\\', length: 40 } },
    { ...DEFAULT_SETTINGS, passphrase: { words: 10, separator: ' ' }, apiKey: { prefix: 'pk', environment: '', body: 'hex' } },
  ];

  for (const id of FORMAT_IDS) {
    it(`${id}: no $, backslash, quote or backtick in 2,000 values under every setting`, () => {
      const f = getFormat(id);
      for (const s of settings) {
        const options = optionsFor(f, s, wordlist, 'env');
        for (const v of f.generateMany(500, options)) {
          for (const ch of ENV_UNSAFE_CHARS) assert.ok(!v.includes(ch), `${id} wrote ${JSON.stringify(ch)}`);
          assert.ok(isPortableEnvValue(v), id);
          assert.ok(f.validate(v, options), `${id} value fails its own validation`);
        }
      }
    });
  }

  it("django: Django's alphabet minus $, still 50 characters, still passing W009", () => {
    assert.equal(DJANGO_ALPHABET.length, 50);
    assert.equal(DJANGO_ENV_ALPHABET, 'abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)');
    const f = getFormat('django');
    const options = optionsFor(f, DEFAULT_SETTINGS, undefined, 'env');
    assert.ok(Math.abs(f.entropyBits(options) - 50 * Math.log2(49)) < 1e-9);
    const seen = new Set<string>();
    for (const v of f.generateMany(2000, options)) {
      // Django's check W009: at least 50 characters, at least 5 distinct, no django-insecure- prefix.
      assert.ok(v.length >= 50 && new Set(v).size >= 5 && !v.startsWith('django-insecure-'), 'W009');
      for (const ch of v) seen.add(ch);
    }
    assert.equal([...seen].sort().join(''), [...DJANGO_ENV_ALPHABET].sort().join(''), 'every character of the alphabet is used, $ never');
  });

  it('generation at the cursor is unchanged: the full Django alphabet, the configured symbols and separator', () => {
    const django = getFormat('django');
    const code = optionsFor(django, DEFAULT_SETTINGS);
    assert.ok(Math.abs(django.entropyBits(code) - 50 * Math.log2(50)) < 1e-9);
    assert.ok(django.generateMany(400, code).some((v) => v.includes('$')), 'the cursor alphabet still has $');
    const pw = getFormat('password');
    const all = { ...DEFAULT_SETTINGS, password: { ...DEFAULT_SETTINGS.password, symbolSet: ALL_SYMBOLS } };
    assert.ok(pw.generateMany(200, optionsFor(pw, all)).some((v) => /[$\\'"`]/.test(v)));
    const pp = getFormat('passphrase');
    const dollar = { ...DEFAULT_SETTINGS, passphrase: { words: 10, separator: '$' } };
    assert.match(pp.generate(optionsFor(pp, dollar, wordlist)), /\$/);
    assert.throws(() => pp.generate(optionsFor(pp, dollar, wordlist, 'env')), /separator cannot contain \$/);
  });

  it('a password whose symbols are all unsafe in a .env drops the symbol class there, and says so in its entropy', () => {
    const pw = getFormat('password');
    const s = { ...DEFAULT_SETTINGS, password: { ...DEFAULT_SETTINGS.password, symbolSet: '$"\'`\\' } };
    const env = optionsFor(pw, s, undefined, 'env');
    assert.ok(pw.entropyBits(env) < pw.entropyBits(optionsFor(pw, s)));
    for (const v of pw.generateMany(300, env)) assert.match(v, /^[A-Za-z0-9]+$/);
  });
});
