/**
 * Bytes <-> text for .env files, without Node built-ins (TextDecoder/TextEncoder only).
 *
 * Decoding never throws. It refuses oversized input before looking at it, treats any NUL byte as a
 * sign of a binary file, and decodes strict UTF-8 (`fatal: true`) keeping a BOM as U+FEFF in the
 * text (`ignoreBOM: true`), so that `encodeEnvText(text)` gives back exactly the bytes that were
 * read. Error messages describe the problem (sizes, offsets) and never quote file content.
 */

export const DEFAULT_MAX_ENV_BYTES = 5 * 1024 * 1024;

export type DecodeEnvErrorCode = 'too-large' | 'binary' | 'utf-16' | 'invalid-utf8';

export type DecodeEnvResult =
  | { ok: true; text: string; bom: boolean }
  | { ok: false; error: { code: DecodeEnvErrorCode; message: string } };

export interface DecodeEnvOptions {
  /** Largest accepted input in bytes (default 5 MiB). */
  maxBytes?: number;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (shortest form, no
 * surrogates, at most U+10FFFF), or -1. Only used to explain a failure reported by TextDecoder.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * 'little-endian' or 'big-endian' when the bytes look like UTF-16 text: a UTF-16 byte order mark,
 * or (without one) NUL in every other byte of the first line-sized stretch, as ASCII text saved
 * as UTF-16 gives (Windows editors and PowerShell's `>` write it).
 */
function utf16Kind(bytes: Uint8Array): 'little-endian' | 'big-endian' | undefined {
  const n = bytes.length;
  if (n >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian';
  if (n >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian';
  if (n < 4 || n % 2 !== 0) return undefined;
  const m = Math.min(n, 256);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < m; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = m / 2;
  if (oddNul === pairs && evenNul === 0) return 'little-endian';
  if (evenNul === pairs && oddNul === 0) return 'big-endian';
  return undefined;
}

/** Decodes .env file bytes. Never throws. */
export function decodeEnvBytes(bytes: Uint8Array, opts?: DecodeEnvOptions): DecodeEnvResult {
  if (!(bytes instanceof Uint8Array)) {
    return { ok: false, error: { code: 'binary', message: 'The input is not a byte array.' } };
  }
  const max = opts?.maxBytes ?? DEFAULT_MAX_ENV_BYTES;
  const length = bytes.length;
  if (length > max) {
    return {
      ok: false,
      error: { code: 'too-large', message: `The file is ${formatBytes(length)}, more than the ${formatBytes(max)} limit for .env files; it was not read.` },
    };
  }
  const utf16 = utf16Kind(bytes);
  if (utf16) {
    return {
      ok: false,
      error: { code: 'utf-16', message: `The file is UTF-16 (${utf16}) text, not UTF-8; save it as UTF-8 to use it here (.env readers expect UTF-8).` },
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      error: { code: 'binary', message: `The file looks binary (it contains a NUL byte at offset ${nul}); .env files are text.` },
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      ok: false,
      error: {
        code: 'invalid-utf8',
        message: `The file is not valid UTF-8${at >= 0 ? ` (invalid byte sequence at offset ${at})` : ''}; save it as UTF-8 to edit it here.`,
      },
    };
  }
  return { ok: true, text, bom: text.charCodeAt(0) === 0xfeff };
}

/**
 * Encodes text as UTF-8 bytes (a leading U+FEFF becomes the BOM bytes EF BB BF). Lone surrogates,
 * which UTF-8 cannot represent, become U+FFFD.
 */
export function encodeEnvText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
