// Frozen copy of src/core/envdoc/chars.ts (before the issue #12 parser speed work): the reference that
// parse-equivalence.test.ts compares the optimised parser with. Do not edit.

/** Character classes shared by the .env parser and editor (UTF-16 code units). */

export const LF = 10;
export const CR = 13;
export const HASH = 35;
export const DQUOTE = 34;
export const SQUOTE = 39;
export const BACKTICK = 96;
export const BACKSLASH = 92;
export const EQUALS = 61;
export const COLON = 58;
export const LS = 0x2028;
export const PS = 0x2029;
export const BOM = 0xfeff;

/**
 * JavaScript's `\s` (and `String.prototype.trim`): WhiteSpace + LineTerminator, i.e. TAB, LF, VT,
 * FF, CR, SPACE, NBSP, U+1680, U+2000–U+200A, LS, PS, U+202F, U+205F, U+3000 and U+FEFF.
 */
export function isWs(c: number): boolean {
  return c <= 32
    ? c === 32 || (c >= 9 && c <= 13)
    : c >= 160 &&
        (c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === LS || c === PS || c === 0x202f ||
          c === 0x205f || c === 0x3000 || c === BOM);
}

/** A logical line terminator as dotenv's multiline regex sees it (CR counts: dotenv turns it into LF). */
export function isLt(c: number): boolean {
  return c === LF || c === CR || c === LS || c === PS;
}

export function isQuote(c: number): boolean {
  return c === SQUOTE || c === DQUOTE || c === BACKTICK;
}

/** 1 = dotenv key character (`[\w.-]`), and also a POSIX name character; 2 = dotenv-only (`.`, `-`). */
const KEY_TABLE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KEY_TABLE[c] = 1;
for (let c = 65; c <= 90; c++) KEY_TABLE[c] = 1;
for (let c = 97; c <= 122; c++) KEY_TABLE[c] = 1;
KEY_TABLE[95] = 1;
KEY_TABLE[45] = 2;
KEY_TABLE[46] = 2;

/** `[A-Za-z0-9_.-]`: a character dotenv accepts in a key. */
export function isKeyChar(c: number): boolean {
  return c < 128 && KEY_TABLE[c] !== 0;
}

/** `[A-Za-z0-9_]`. */
export function isPosixKeyChar(c: number): boolean {
  return c < 128 && KEY_TABLE[c] === 1;
}

/** End of the logical line containing `i` (the offset of its terminator, or `n`). */
export function lineEndFrom(text: string, i: number, n: number): number {
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR || c === LS || c === PS) return i;
  }
  return n;
}

/** Given the offset of a terminator (or `n`), the offset just past it. CRLF is one terminator. */
export function terminatorEndAt(text: string, e: number, n: number): number {
  if (e >= n) return n;
  return text.charCodeAt(e) === CR && e + 1 < n && text.charCodeAt(e + 1) === LF ? e + 2 : e + 1;
}
