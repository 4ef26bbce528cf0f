import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomSource, MAX_CSPRNG_CALL, bitsFor } from '../../src/core/random.ts';
import { getFormat, ALL_SYMBOLS, LOWERCASE, UPPERCASE, DIGITS } from '../../src/core/formats.ts';
import { BASE62_ALPHABET } from '../../src/core/encoding.ts';
import { ALPHA, chiSquareFit, chiSquareUniform } from './helpers/stats.ts';

/** A scripted byte source: replays `script` over and over. */
function scripted(script: number[]): RandomSource {
  let i = 0;
  return new RandomSource((target) => {
    for (let k = 0; k < target.length; k++) target[k] = script[i++ % script.length]!;
  }, script.length);
}

describe('RandomSource', () => {
  it('draws from crypto.getRandomValues in batches of at most 65,536 bytes', () => {
    const calls: number[] = [];
    const original = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    const rng = new RandomSource((t) => { calls.push(t.length); original(t); });
    rng.bytes(200_000);
    assert.ok(calls.every((n) => n <= MAX_CSPRNG_CALL));
    assert.equal(calls.length, Math.ceil(200_000 / MAX_CSPRNG_CALL));
  });

  it('one CSPRNG call serves many secrets in bulk generation', () => {
    const rng = new RandomSource();
    getFormat('base64url').generateMany(10_000, { bytes: 32 }, rng);
    // 320,000 bytes of entropy: five 64 KiB refills, not 10,000 calls.
    assert.ok(rng.refills <= Math.ceil((10_000 * 32) / MAX_CSPRNG_CALL) + 1, `refills: ${rng.refills}`);
  });

  it('rejects masked draws that fall outside the alphabet instead of wrapping them', () => {
    // Alphabet of 3: mask 0b11; the draw 3 must be rejected, not folded onto 0.
    const rng = scripted([3, 3, 7, 2, 1, 0]);
    assert.equal(rng.string('abc', 3), 'cba');
  });

  it('int(n) is exact at the edges and rejects out-of-range draws', () => {
    const rng = scripted([0xff, 0xff, 0x00, 0x05]);
    // n = 6: mask 7; 0xff&7 = 7 rejected twice, then 0 and 5.
    assert.equal(rng.int(6), 0);
    assert.equal(rng.int(6), 5);
    assert.equal(new RandomSource().int(1), 0);
    assert.throws(() => new RandomSource().int(0), RangeError);
    const big = new RandomSource();
    for (let i = 0; i < 1000; i++) {
      const v = big.int(2 ** 32);
      assert.ok(v >= 0 && v < 2 ** 32 && Number.isInteger(v));
    }
  });

  it('bitsFor gives the smallest mask width for every alphabet size 2..256', () => {
    for (let n = 2; n <= 256; n++) {
      const b = bitsFor(n);
      assert.ok(2 ** b >= n && 2 ** (b - 1) < n, `n=${n} b=${b}`);
    }
  });

  it('is unbiased for every alphabet size from 2 to 256', () => {
    const rng = new RandomSource();
    for (let n = 2; n <= 256; n++) {
      const alphabet = Array.from({ length: n }, (_, i) => String.fromCharCode(0x100 + i)).join('');
      const s = rng.string(alphabet, n * 200);
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < s.length; i++) counts[s.charCodeAt(i) - 0x100]!++;
      const { p } = chiSquareUniform(counts);
      assert.ok(p > ALPHA / 255, `alphabet size ${n}: p=${p}`);
    }
  });
});

function charCounts(s: string, alphabet: string): number[] {
  const index = new Map([...alphabet].map((c, i) => [c, i]));
  const counts = new Array<number>(alphabet.length).fill(0);
  for (const ch of s) {
    const i = index.get(ch);
    assert.ok(i !== undefined, `character outside the alphabet`);
    counts[i]!++;
  }
  return counts;
}

describe('chi-square over generated characters', () => {
  const cases = [
    { name: '62-symbol (base62 API key body)', alphabet: BASE62_ALPHABET, make: (n: number) => getFormat('api-key').generateMany(n, { prefix: 'k', environment: '', body: 'base62', bytes: 32 }).map((k) => k.slice(2)) },
    { name: '94-symbol (password, all printable ASCII)', alphabet: LOWERCASE + UPPERCASE + DIGITS + ALL_SYMBOLS, make: (n: number) => getFormat('password').generateMany(n, { length: 24, password: { symbolSet: ALL_SYMBOLS, requireEachClass: false } }) },
  ];
  for (const c of cases) {
    it(`${c.name}: uniform overall and at every position over at least 1M characters`, () => {
      const secrets = c.make(45_000);
      const width = secrets[0]!.length;
      assert.ok(secrets.every((s) => s.length === width));
      assert.ok(secrets.length * width >= 1_000_000, `${secrets.length * width} characters`);
      // One false alarm in a million runs for the whole test: half the budget for the overall
      // check, half shared by the positions (ALPHA for each of the two gave about 1.8e-6).
      const overall = chiSquareUniform(charCounts(secrets.join(''), c.alphabet));
      assert.ok(overall.p > ALPHA / 2, `overall p=${overall.p} (stat ${overall.stat.toFixed(1)}, df ${overall.df})`);
      for (let pos = 0; pos < width; pos++) {
        const col = secrets.map((s) => s[pos]).join('');
        const r = chiSquareUniform(charCounts(col, c.alphabet));
        assert.ok(r.p > ALPHA / (2 * width), `position ${pos}: p=${r.p}`);
      }
    });
  }

  it('the same test does catch modulo bias (control: the check can fail)', () => {
    // A deliberately wrong generator: byte % 62. Symbols 0..7 come up 5/256 of the time, others 4/256.
    const bytes = new Uint8Array(1_000_000);
    for (let o = 0; o < bytes.length; o += 65536) crypto.getRandomValues(bytes.subarray(o, o + 65536));
    const counts = new Array<number>(62).fill(0);
    for (const b of bytes) counts[b % 62]!++;
    assert.ok(chiSquareUniform(counts).p < ALPHA);
  });
});

describe('"at least one of each class" passwords', () => {
  const classes = [LOWERCASE, UPPERCASE, DIGITS, '!%*+-.:=?@^_~'];
  const classOf = (ch: string) => classes.findIndex((c) => c.includes(ch));

  /** Strings of `length` over all the classes that hold every class not in `free` (inclusion–exclusion). */
  function covering(length: number, free = -1): number {
    const n = classes.join('').length;
    let count = 0;
    for (let mask = 0; mask < 1 << classes.length; mask++) {
      if (free >= 0 && mask & (1 << free)) continue;
      let size = 0;
      let k = 0;
      classes.forEach((c, j) => { if (mask & (1 << j)) { size += c.length; k++; } });
      count += (k % 2 ? -1 : 1) * (n - size) ** length;
    }
    return count;
  }

  /**
   * Each position against the exact chance of each class at a position of a uniform "every class"
   * password. (Not a position × class homogeneity test: the positions of one password are not
   * independent samples, a class at one position makes it rarer at the others, and that test's
   * false alarms came about ten times as often as its threshold said.)
   */
  function worstPosition(passwords: string[], length: number): { pos: number; p: number } {
    const all = covering(length);
    const probs = classes.map((c, j) => (c.length * covering(length - 1, j)) / all);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    let worst = { pos: -1, p: 1 };
    for (let i = 0; i < length; i++) {
      const counts = new Array<number>(classes.length).fill(0);
      for (const p of passwords) counts[classOf(p[i]!)]!++;
      const { p } = chiSquareFit(counts, probs);
      if (p < worst.p) worst = { pos: i, p };
    }
    return worst;
  }

  it('every password has every class, and no position favours a class', () => {
    const length = 6;
    const passwords = getFormat('password').generateMany(200_000, { length, allowWeak: true, password: { requireEachClass: true } });
    for (const p of passwords) assert.equal(new Set([...p].map(classOf)).size, classes.length);
    const worst = worstPosition(passwords, length);
    assert.ok(worst.p > ALPHA / length, `position ${worst.pos}: class p=${worst.p}`);
  });

  it('control: "one of each class first, then random" is caught as position-biased', () => {
    const length = 6;
    const rng = new RandomSource();
    const all = classes.join('');
    const passwords = Array.from({ length: 200_000 }, () => classes.map((c) => rng.string(c, 1)).join('') + rng.string(all, length - classes.length));
    assert.ok(worstPosition(passwords, length).p < ALPHA / length);
  });
});

describe('batched generation mechanics', () => {
  it('intsInto rejects masked draws >= n (two bytes per draw, never folded)', () => {
    // n = 6000: 13-bit mask. 0xffff & 0x1fff = 8191 is rejected; 0x0001 -> 1; 0x1770 = 6000 rejected; 0x176f = 5999.
    const rng = scripted([0xff, 0xff, 0x00, 0x01, 0x17, 0x70, 0x17, 0x6f]);
    const out = new Uint16Array(2);
    rng.intsInto(6000, out, 0, 2);
    assert.deepEqual([...out], [1, 5999]);
    assert.throws(() => rng.intsInto(1, out, 0, 1), RangeError);
    assert.throws(() => rng.intsInto(65537, out, 0, 1), RangeError);
  });

  it('intsInto is uniform over the 7,776 EFF word indices', () => {
    const rng = new RandomSource();
    const out = new Uint16Array(7776 * 40);
    rng.intsInto(7776, out, 0, out.length);
    const counts = new Array<number>(7776).fill(0);
    for (const v of out) counts[v]!++;
    assert.ok(chiSquareUniform(counts).p > ALPHA);
  });

  it('passphrase words are uniform over the list in bulk', () => {
    const list = Array.from({ length: 7776 }, (_, i) => `w${i.toString(36)}`);
    const phrases = getFormat('passphrase').generateMany(30_000, { wordlist: list, words: 10 });
    const index = new Map(list.map((w, i) => [w, i]));
    const counts = new Array<number>(7776).fill(0);
    for (const p of phrases) {
      const words = p.split('-');
      assert.equal(words.length, 10);
      for (const w of words) counts[index.get(w)!]!++;
    }
    assert.ok(chiSquareUniform(counts).p > ALPHA);
  });

  it('passphrases with a non-ASCII separator or wordlist take the general path', () => {
    const list = Array.from({ length: 7776 }, (_, i) => (i === 0 ? 'é' : `w${i}`));
    const [p] = getFormat('passphrase').generateMany(1, { wordlist: list, words: 12, separator: ' · ' });
    assert.equal(p!.split(' · ').length, 12);
  });

  it('asciiStrings redraws whole strings that accept() rejects', () => {
    // Alphabet "ab" (mask 1): bytes alternate 0,1 -> "abab" rejected by accept, then 1,1,1,1 -> "bbbb".
    const rng = scripted([0, 1, 0, 1, 1, 1, 1, 1]);
    const seen: string[] = [];
    const [s] = rng.asciiStrings(new Uint8Array([0x61, 0x62]), 4, 1, (codes, off, len) => {
      seen.push(String.fromCharCode(...codes.subarray(off, off + len)));
      return codes[off] === 0x62;
    });
    assert.deepEqual(seen, ['abab', 'bbbb']);
    assert.equal(s, 'bbbb');
  });

  it('bulk byte formats encode every record exactly as the one-record encoder does', async () => {
    const { encodeRecords, recordStride, toBase64, toHex } = await import('../../src/core/encoding.ts');
    const rng = new RandomSource();
    for (const kind of ['hex', 'base64', 'base64url'] as const) {
      for (const pad of [false, true]) {
        for (let nbytes = 1; nbytes <= 70; nbytes++) {
          const count = 7;
          const src = rng.bytes(nbytes * count);
          const stride = recordStride(kind, nbytes, pad);
          const out = new Uint8Array(stride * count);
          encodeRecords(kind, pad, src, nbytes, count, out);
          for (let k = 0; k < count; k++) {
            const one = src.subarray(k * nbytes, (k + 1) * nbytes);
            const expected = kind === 'hex' ? toHex(one) : toBase64(one, kind, pad);
            const got = String.fromCharCode(...out.subarray(k * stride, k * stride + expected.length));
            assert.equal(got, expected, `${kind} pad=${pad} nbytes=${nbytes} record ${k}`);
          }
        }
      }
    }
  });

  it('asciiToString turns every ASCII code into its character', async () => {
    const { asciiToString } = await import('../../src/core/encoding.ts');
    const all = Uint8Array.from({ length: 128 }, (_, i) => i);
    assert.equal(asciiToString(all), String.fromCharCode(...all));
    assert.equal(asciiToString(new Uint8Array(0)), '');
  });
});
