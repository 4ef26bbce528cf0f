/**
 * Byte encodings written without Node's Buffer, so that they run in browsers and web workers.
 * Encoders write ASCII codes into a caller-provided buffer, so bulk generation can encode many
 * secrets into one buffer and decode it to a string once.
 */

export const HEX_ALPHABET = '0123456789abcdef';
export const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const EQ = 0x3d;

function codes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
const HEX = codes(HEX_ALPHABET);
const B64 = codes(BASE64_ALPHABET);
const B64URL = codes(BASE64URL_ALPHABET);

export type Base64Variant = 'base64' | 'base64url';

/** Length of the encoded form of `n` bytes. */
export function encodedLength(kind: 'hex' | Base64Variant, n: number, pad: boolean): number {
  if (kind === 'hex') return n * 2;
  return pad ? Math.ceil(n / 3) * 4 : Math.ceil((n * 4) / 3);
}

export function hexInto(src: Uint8Array, srcPos: number, len: number, out: Uint8Array, outPos: number): number {
  let o = outPos;
  for (let i = srcPos, end = srcPos + len; i < end; i++) {
    const b = src[i]!;
    out[o++] = HEX[b >>> 4]!;
    out[o++] = HEX[b & 15]!;
  }
  return o;
}

export function base64Into(
  src: Uint8Array, srcPos: number, len: number, out: Uint8Array, outPos: number, variant: Base64Variant, pad: boolean,
): number {
  const A = variant === 'base64url' ? B64URL : B64;
  let o = outPos;
  let i = srcPos;
  const end = srcPos + len;
  const full = end - ((end - srcPos) % 3);
  for (; i < full; i += 3) {
    const n = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    out[o++] = A[n >>> 18]!;
    out[o++] = A[(n >>> 12) & 63]!;
    out[o++] = A[(n >>> 6) & 63]!;
    out[o++] = A[n & 63]!;
  }
  const rest = end - i;
  if (rest === 1) {
    const n = src[i]! << 16;
    out[o++] = A[n >>> 18]!;
    out[o++] = A[(n >>> 12) & 63]!;
    if (pad) { out[o++] = EQ; out[o++] = EQ; }
  } else if (rest === 2) {
    const n = (src[i]! << 16) | (src[i + 1]! << 8);
    out[o++] = A[n >>> 18]!;
    out[o++] = A[(n >>> 12) & 63]!;
    out[o++] = A[(n >>> 6) & 63]!;
    if (pad) out[o++] = EQ;
  }
  return o;
}

/** Two base64 symbols per 12 bits, as one little-endian 16-bit store (null on big-endian machines). */
function pairTable(A: Uint8Array): Uint16Array | null {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return null;
  const t = new Uint16Array(4096);
  for (let v = 0; v < 4096; v++) t[v] = A[v >>> 6]! | (A[v & 63]! << 8);
  return t;
}
const PAIRS = pairTable(B64);
const PAIRS_URL = pairTable(B64URL);

/** Bytes per record that `encodeRecords` writes: the encoded length, rounded up to even. */
export function recordStride(kind: 'hex' | Base64Variant, nbytes: number, pad: boolean): number {
  const len = encodedLength(kind, nbytes, pad);
  return len + (len & 1);
}

/**
 * Encodes `count` records of `nbytes` bytes each, back to back in `src`, into `out`: record k is
 * encoded on its own (as `hexInto` / `base64Into` would) at `k * recordStride(...)`, the byte after
 * an odd-length encoding being filler. One tight loop for a whole batch of secrets, writing two
 * symbols per store. `out` must start at an even byte offset.
 */
export function encodeRecords(kind: 'hex' | Base64Variant, pad: boolean, src: Uint8Array, nbytes: number, count: number, out: Uint8Array): void {
  // Hex of a concatenation is the concatenation of the hexes (and always of even length).
  if (kind === 'hex') {
    hexInto(src, 0, nbytes * count, out, 0);
    return;
  }
  const stride = recordStride(kind, nbytes, pad);
  const pairs = kind === 'base64url' ? PAIRS_URL : PAIRS;
  if (pairs === null || (out.byteOffset & 1) !== 0) {
    for (let k = 0; k < count; k++) base64Into(src, k * nbytes, nbytes, out, k * stride, kind, pad);
    return;
  }
  const A = kind === 'base64url' ? B64URL : B64;
  const out16 = new Uint16Array(out.buffer, out.byteOffset, out.length >>> 1);
  const full = nbytes - (nbytes % 3);
  const rest = nbytes - full;
  for (let k = 0; k < count; k++) {
    const base = k * nbytes;
    const end = base + full;
    let w = (k * stride) >>> 1;
    for (let i = base; i < end; i += 3) {
      const n = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
      out16[w] = pairs[n >>> 12]!;
      out16[w + 1] = pairs[n & 4095]!;
      w += 2;
    }
    if (rest !== 0) {
      let o = w << 1;
      const n = rest === 1 ? src[end]! << 16 : (src[end]! << 16) | (src[end + 1]! << 8);
      out[o++] = A[n >>> 18]!;
      out[o++] = A[(n >>> 12) & 63]!;
      if (rest === 2) out[o++] = A[(n >>> 6) & 63]!;
      if (pad) {
        out[o] = EQ;
        if (rest === 1) out[o + 1] = EQ;
      }
    }
  }
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
/**
 * The platform's fastest bytes-to-text conversion for ASCII. On Node (the extension host and the
 * CLI), Buffer's native latin1 slice copies bytes straight into a one-byte string: tens of GB/s
 * on Node 20 and 24, where `TextDecoder('latin1')` manages a few hundred MB/s on Node 20. In
 * browsers and web workers there is no Buffer, and the UTF-8 TextDecoder (ASCII is UTF-8) is the
 * native fast path. Detected, not imported: core stays free of Node built-ins.
 */
const nativeLatin1: Latin1Slice | undefined = (() => {
  const B = (globalThis as { Buffer?: { prototype?: { latin1Slice?: unknown } } }).Buffer;
  const f = B?.prototype?.latin1Slice;
  if (typeof f !== 'function') return undefined;
  try {
    return (f as Latin1Slice).call(new Uint8Array([0x4b, 0x73]), 0, 2) === 'Ks' ? (f as Latin1Slice) : undefined;
  } catch {
    return undefined;
  }
})();
let utf8: { decode(b: Uint8Array): string } | undefined;

/** Decodes a buffer of ASCII codes (all < 128) to a string in one call. */
export function asciiToString(buf: Uint8Array): string {
  if (nativeLatin1 !== undefined) return nativeLatin1.call(buf, 0, buf.length);
  return (utf8 ??= new TextDecoder()).decode(buf);
}

export function toHex(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length * 2);
  hexInto(bytes, 0, bytes.length, out, 0);
  return asciiToString(out);
}

export function toBase64(bytes: Uint8Array, variant: Base64Variant, pad: boolean): string {
  const out = new Uint8Array(encodedLength(variant, bytes.length, pad));
  base64Into(bytes, 0, bytes.length, out, 0, variant, pad);
  return asciiToString(out);
}

const DECODE_STD = new Int16Array(128).fill(-1);
const DECODE_URL = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  DECODE_STD[B64[i]!] = i;
  DECODE_URL[B64URL[i]!] = i;
}

/**
 * Strict decoder: only the variant's alphabet, padding exactly as required when `pad` is true
 * (and none when false), and canonical trailing bits (the unused low bits of the last symbol are
 * zero). Returns null for anything else.
 */
export function fromBase64Strict(s: string, variant: Base64Variant, pad: boolean): Uint8Array | null {
  let body = s;
  if (pad) {
    if (s.length % 4 !== 0) return null;
    if (s.endsWith('==')) body = s.slice(0, -2);
    else if (s.endsWith('=')) body = s.slice(0, -1);
  }
  if (body.length % 4 === 1) return null;
  if (!pad && s.includes('=')) return null;
  const table = variant === 'base64url' ? DECODE_URL : DECODE_STD;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

export function isHex(s: string): boolean {
  if (s.length === 0 || s.length % 2 !== 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export function allIn(s: string, alphabet: string): boolean {
  for (let i = 0; i < s.length; i++) if (!alphabet.includes(s[i]!)) return false;
  return true;
}
