/**
 * The characters of one ASCII string as bytes, for the hot loops of the rules (placeholder shapes,
 * the strength estimate). Keys and values come from the parser as slices of the file's text, on
 * which each charCodeAt costs several times what a typed-array read does, and those loops read
 * every character more than once; TextEncoder.encodeInto copies a string out in one native call.
 * One string is held at a time (the last loaded); callers read `asciiCodes()` right after loading.
 */

/** TextEncoder.encodeInto (in every platform src/core runs on; platform.d.ts declares only encode). */
interface EncodeInto {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

const encoder = new TextEncoder() as unknown as EncodeInto;
let codes = new Uint8Array(1024);
let held: string | null = null;
let heldAscii = false;

/**
 * Loads `s` into the buffer: true when every character is ASCII, and then asciiCodes()[i] is
 * s.charCodeAt(i) for i < s.length. False (and the buffer meaningless) otherwise.
 */
export function loadAscii(s: string): boolean {
  if (s === held) return heldAscii;
  const n = s.length;
  if (codes.length < n * 3) codes = new Uint8Array(Math.max(n * 3, codes.length * 2));
  const r = encoder.encodeInto(s, codes);
  held = s;
  heldAscii = r.read === n && r.written === n;
  return heldAscii;
}

/**
 * Forgets the string last loaded (its text may be a slice that keeps a whole file alive); the
 * rules call it when a run of checks ends.
 */
export function forgetAscii(): void {
  held = null;
}

/** The buffer loadAscii() filled. */
export function asciiCodes(): Uint8Array {
  return codes;
}
