import { RandomSource } from '../../../src/core/random.ts';

/**
 * A deterministic PRNG (mulberry32) for test and benchmark DATA only (reproducible files and
 * repositories). Never for secrets: Keysmith's randomness is crypto.getRandomValues.
 */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A deterministic byte source (xorshift32) for tests whose draws of generated values must be the
 * same every run (bounds that random values break now and then by chance). Never for secrets.
 */
export function seededRandomSource(seed: number): RandomSource {
  let x = seed >>> 0 || 1;
  return new RandomSource((target) => {
    for (let i = 0; i < target.length; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      target[i] = x & 0xff;
    }
  }, 4096);
}
