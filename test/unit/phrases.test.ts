/**
 * weak-secret and guessable phrases, measured:
 *  - recall: at least 90% of the hand-built corpus of developer-written secrets
 *    (fixtures/phrases/developer-secrets.txt, 300+ phrases) get a weak-secret finding;
 *  - no false positives: at least 10,000 values from Keysmith's own generators (every format,
 *    default and larger sizes, under the key names populate writes them to, *_UUID included) pass
 *    Keysmith's own check.
 * bench/phrases.mjs prints the same figures next to zxcvbn-ts's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getFormat, FORMAT_IDS, type FormatId } from '../../src/core/formats.ts';
import { analyzeEnv } from '../../src/core/rules.ts';
import { inferFormat } from '../../src/core/secrets.ts';
import { estimateStrength } from '../../src/core/strength.ts';
import { WORDLIST_FILE } from './helpers/cli.ts';

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

/** Option sets per format: the defaults, and larger or differently shaped ones a user may pick. */
const OPTIONS: Record<FormatId, readonly Parameters<ReturnType<typeof getFormat>['generate']>[0][]> = {
  hex: [{}, { bytes: 24 }, { bytes: 64 }],
  base64url: [{}, { bytes: 24 }, { bytes: 48 }],
  base64: [{}, { bytes: 24 }, { bytes: 64 }],
  fernet: [{}],
  'jwt-hs256': [{}],
  'jwt-hs384': [{}],
  'jwt-hs512': [{}],
  django: [{}],
  password: [{}, { length: 32 }, { length: 40, password: { symbols: false } }, { length: 28, password: { excludeLookalikes: true } }],
  passphrase: [{ wordlist }, { wordlist, separator: ' ' }, { wordlist, separator: '_' }, { wordlist, separator: '.' }, { wordlist, words: 12 }],
  uuid: [{}],
  'api-key': [{}, { body: 'hex' }, { prefix: 'rk', environment: 'test' }],
};

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

  it('no value Keysmith generates fails Keysmith’s own check (10,000+ values, every format)', () => {
    let checked = 0;
    const failures: string[] = [];
    const perOption = 210;
    for (const id of FORMAT_IDS) {
      const f = getFormat(id);
      for (const opts of OPTIONS[id]) {
        for (let i = 0; i < perOption; i++) {
          const value = f.generate(opts);
          for (const key of KEYS[id]) {
            checked++;
            const found = weakFindings(key, value);
            if (found.length > 0) failures.push(`${id} ${JSON.stringify(opts === undefined ? {} : { ...opts, wordlist: undefined })} under ${key}: ${found[0]!.reason} (${estimateStrength(value).bits} bits)`);
          }
        }
      }
    }
    console.log(`# ${checked} generated values checked, ${failures.length} flagged`);
    assert.ok(checked >= 10_000, `only ${checked} values`);
    assert.deepEqual(failures, []);
  });
});
