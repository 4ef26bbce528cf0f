/**
 * The one source of randomness in Keysmith: the platform CSPRNG (`crypto.getRandomValues`),
 * drawn in large batches into a pool so that one CSPRNG call serves many secrets.
 *
 * Uniform choices use rejection sampling with a power-of-two mask: a draw is masked to the
 * smallest number of bits that can hold `n - 1` and rejected when it is `>= n`. No modulo is
 * taken, so there is no modulo bias for any `n`.
 */

/** The Web Crypto API refuses more than 65,536 bytes per call. */
export const MAX_CSPRNG_CALL = 65536;

export type FillRandom = (target: Uint8Array) => void;

const platformFill: FillRandom = (target) => {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c || typeof c.getRandomValues !== 'function') {
    throw new Error('No cryptographically secure random number generator (crypto.getRandomValues) is available.');
  }
  for (let off = 0; off < target.length; off += MAX_CSPRNG_CALL) {
    c.getRandomValues(target.subarray(off, Math.min(target.length, off + MAX_CSPRNG_CALL)));
  }
};

export class RandomSource {
  private readonly pool: Uint8Array;
  private pos: number;
  private readonly fillFn: FillRandom;
  /** Number of calls made to the underlying fill function (observable for tests and benchmarks). */
  refills = 0;

  /**
   * @param fill where random bytes come from. Production code never passes this: the default is
   *   the platform CSPRNG. Tests pass a scripted source to exercise rejection paths.
   * @param poolSize bytes drawn per refill (default: the largest single CSPRNG call).
   */
  constructor(fill: FillRandom = platformFill, poolSize = MAX_CSPRNG_CALL) {
    this.fillFn = fill;
    this.pool = new Uint8Array(poolSize);
    this.pos = poolSize;
  }

  private refill(): void {
    this.fillFn(this.pool);
    this.refills++;
    this.pos = 0;
  }

  /** One uniformly random byte. */
  byte(): number {
    if (this.pos >= this.pool.length) this.refill();
    return this.pool[this.pos++]!;
  }

  /** Copies `length` random bytes into `target` at `offset`. */
  fill(target: Uint8Array, offset = 0, length = target.length - offset): void {
    let done = 0;
    while (done < length) {
      if (this.pos >= this.pool.length) this.refill();
      const take = Math.min(length - done, this.pool.length - this.pos);
      target.set(this.pool.subarray(this.pos, this.pos + take), offset + done);
      this.pos += take;
      done += take;
    }
    // Bytes handed out are not kept in the pool.
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.fill(out);
    return out;
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^32, by masked rejection sampling. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`int(n) needs an integer n in 1..2^32, got ${n}`);
    if (n === 1) return 0;
    const bits = bitsFor(n);
    if (bits <= 8) {
      const mask = (1 << bits) - 1;
      for (;;) {
        const v = this.byte() & mask;
        if (v < n) return v;
      }
    }
    const nbytes = Math.ceil(bits / 8);
    const mask = bits === 32 ? 0xffffffff : 2 ** bits - 1;
    for (;;) {
      let v = 0;
      for (let i = 0; i < nbytes; i++) v = v * 256 + this.byte();
      v = (v & mask) >>> 0;
      if (v < n) return v;
    }
  }

  /**
   * Fills `out[offset .. offset+length)` with character codes chosen uniformly from `alphabet`
   * (2..256 distinct symbols), by masked rejection sampling on single bytes.
   */
  chooseInto(alphabet: Uint16Array, out: Uint16Array | Uint8Array, offset: number, length: number): void {
    const n = alphabet.length;
    if (n < 2 || n > 256) throw new RangeError(`alphabet size must be 2..256, got ${n}`);
    const mask = (1 << bitsFor(n)) - 1;
    const pool = this.pool;
    let i = offset;
    const end = offset + length;
    while (i < end) {
      if (this.pos >= pool.length) this.refill();
      const v = pool[this.pos++]! & mask;
      if (v < n) out[i++] = alphabet[v]!;
    }
  }

  /** A string of `length` characters drawn uniformly and independently from `alphabet`. */
  string(alphabet: string | Uint16Array, length: number): string {
    const codes = typeof alphabet === 'string' ? alphabetCodes(alphabet) : alphabet;
    const out = new Uint16Array(length);
    this.chooseInto(codes, out, 0, length);
    return codesToString(out);
  }
}

/** Smallest b with 2^b >= n (n >= 2). */
export function bitsFor(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}

export function alphabetCodes(alphabet: string): Uint16Array {
  const codes = new Uint16Array(alphabet.length);
  for (let i = 0; i < alphabet.length; i++) codes[i] = alphabet.charCodeAt(i);
  return codes;
}

export function codesToString(codes: Uint16Array | Uint8Array): string {
  let s = '';
  const CHUNK = 8192;
  for (let i = 0; i < codes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, Array.from(codes.subarray(i, i + CHUNK)));
  }
  return s;
}

let shared: RandomSource | undefined;
/** The process-wide pooled CSPRNG source. */
export function defaultRandom(): RandomSource {
  return (shared ??= new RandomSource());
}
