/**
 * The one source of randomness in Keysmith: the platform CSPRNG (`crypto.getRandomValues`),
 * drawn in large batches into a pool so that one CSPRNG call serves many secrets.
 *
 * Uniform choices use rejection sampling with a power-of-two mask: a draw is masked to the
 * smallest number of bits that can hold `n - 1` and rejected when it is `>= n`. No modulo is
 * taken, so there is no modulo bias for any `n`.
 */
import { asciiToString } from './encoding.ts';

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
   * Fills `out[offset .. offset+length)` with uniform integers in [0, n), 2 <= n <= 65,536: two
   * pool bytes per draw, masked to the smallest width that holds `n - 1`, rejected when `>= n`.
   * The batched form of `int(n)` (passphrase word indices): no call per draw.
   */
  intsInto(n: number, out: Uint32Array | Uint16Array, offset: number, length: number): void {
    if (!Number.isInteger(n) || n < 2 || n > 65536) throw new RangeError(`intsInto needs an integer n in 2..65536, got ${n}`);
    const mask = (1 << bitsFor(n)) - 1;
    const pool = this.pool;
    const size = pool.length;
    let pos = this.pos;
    let i = offset;
    const end = offset + length;
    while (i < end) {
      if (pos + 2 > size) {
        // Keep the odd leftover byte out of the draw: a draw never straddles two refills.
        this.refill();
        pos = 0;
      }
      const v = ((pool[pos]! << 8) | pool[pos + 1]!) & mask;
      pos += 2;
      if (v < n) out[i++] = v;
    }
    this.pos = pos;
  }

  /**
   * Fills `out[offset .. offset+length)` with character codes chosen uniformly from `alphabet`
   * (2..256 distinct symbols), by masked rejection sampling on single bytes.
   */
  chooseInto(alphabet: Uint16Array | Uint8Array, out: Uint16Array | Uint8Array, offset: number, length: number): void {
    const n = alphabet.length;
    if (n < 2 || n > 256) throw new RangeError(`alphabet size must be 2..256, got ${n}`);
    const mask = (1 << bitsFor(n)) - 1;
    const pool = this.pool;
    const size = pool.length;
    let pos = this.pos;
    let i = offset;
    const end = offset + length;
    while (i < end) {
      if (pos >= size) {
        this.refill();
        pos = 0;
      }
      const v = pool[pos++]! & mask;
      if (v < n) out[i++] = alphabet[v]!;
    }
    this.pos = pos;
  }

  /** A string of `length` characters drawn uniformly and independently from `alphabet`. */
  string(alphabet: string | Uint16Array, length: number): string {
    const codes = typeof alphabet === 'string' ? alphabetCodes(alphabet) : alphabet;
    const out = new Uint16Array(length);
    this.chooseInto(codes, out, 0, length);
    return codesToString(out);
  }

  /**
   * `count` strings of `length` characters, each drawn uniformly from the ASCII `alphabet`
   * (2..256 distinct codes below 128). When `accept` is given, a string it rejects is drawn again
   * as a whole (so the result is uniform over the accepted strings). Many strings share one
   * buffer and one bytes-to-text conversion, which is what makes bulk generation fast.
   */
  asciiStrings(
    alphabet: Uint8Array,
    length: number,
    count: number,
    accept?: (codes: Uint8Array, offset: number, length: number) => boolean,
  ): string[] {
    const result = new Array<string>(count);
    const perBatch = Math.max(1, Math.min(count, Math.floor(TEXT_BATCH / Math.max(1, length))));
    const buf = scratch(0, perBatch * length);
    for (let done = 0; done < count; done += perBatch) {
      const k = Math.min(perBatch, count - done);
      for (let j = 0; j < k; j++) {
        const off = j * length;
        do this.chooseInto(alphabet, buf, off, length);
        while (accept !== undefined && !accept(buf, off, length));
      }
      sliceText(buf, k, length, result, done);
    }
    buf.fill(0, 0, perBatch * length);
    return result;
  }
}

const scratchBuffers: Uint8Array[] = [];
/**
 * A reusable work buffer of at least `size` bytes (slot 0 or 1, so a caller can hold two at
 * once). Bulk generation runs synchronously, so no two callers share a slot at the same time;
 * reusing the buffers saves an allocation (and its zeroing) per call. Callers zero what they used.
 */
export function scratch(slot: 0 | 1, size: number): Uint8Array {
  let b = scratchBuffers[slot];
  if (b === undefined || b.length < size) {
    b = new Uint8Array(Math.max(size, 4096));
    // Large one-off requests are not kept.
    if (size <= 4 * TEXT_BATCH) scratchBuffers[slot] = b;
  }
  return b;
}

/** Bytes of text built per batch before one conversion to a string (stays in the CPU cache). */
export const TEXT_BATCH = 1 << 16;

/**
 * Turns `count` ASCII records at the start of `buf`, one every `stride` bytes, into strings of
 * their first `length` bytes, written to `out[at ..]`: one conversion for the whole batch, then
 * one substring per record.
 */
export function sliceText(buf: Uint8Array, count: number, stride: number, out: string[], at: number, length = stride): void {
  const text = asciiToString(buf.subarray(0, count === 1 ? length : count * stride));
  if (count === 1) {
    out[at] = text;
    return;
  }
  for (let k = 0, o = 0; k < count; k++, o += stride) out[at + k] = text.substring(o, o + length);
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

/** The codes of an ASCII alphabet (every character below U+0080), for `asciiStrings`. */
export function asciiCodes(alphabet: string): Uint8Array {
  const codes = new Uint8Array(alphabet.length);
  for (let i = 0; i < alphabet.length; i++) {
    const c = alphabet.charCodeAt(i);
    if (c >= 128) throw new RangeError('asciiCodes: the alphabet is not ASCII');
    codes[i] = c;
  }
  return codes;
}

export function codesToString(codes: Uint16Array | Uint8Array): string {
  let s = '';
  const CHUNK = 8192;
  for (let i = 0; i < codes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return s;
}

let shared: RandomSource | undefined;
/** The process-wide pooled CSPRNG source. */
export function defaultRandom(): RandomSource {
  return (shared ??= new RandomSource());
}
