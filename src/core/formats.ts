/**
 * The single registry of secret formats, shared by the extension and the CLI.
 *
 * Sizes are in bytes of entropy where that applies (hex, base64*, JWT, API-key bodies), in
 * characters for passwords and Django keys, and in words for passphrases. Anything under 128 bits
 * is refused unless the caller explicitly allows weak sizes.
 */
import { ENV_UNSAFE_CHARS } from './envdoc/quote.ts';
import { KeysmithError } from './errors.ts';
import { RandomSource, TEXT_BATCH, asciiCodes, defaultRandom, scratch, sliceText } from './random.ts';
import {
  BASE62_ALPHABET, allIn, asciiToString, encodeRecords, encodedLength, recordStride, fromBase64Strict, hexInto, isHex,
} from './encoding.ts';

export const FORMAT_IDS = [
  'hex', 'base64url', 'base64', 'fernet', 'jwt-hs256', 'jwt-hs384', 'jwt-hs512',
  'django', 'password', 'passphrase', 'uuid', 'api-key',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export const MIN_BITS = 128;

export interface PasswordOptions {
  lowercase?: boolean;
  uppercase?: boolean;
  digits?: boolean;
  symbols?: boolean;
  /** The symbol characters used when `symbols` is on. */
  symbolSet?: string;
  /** Drop characters that are easy to confuse: I l 1 | O 0 o. */
  excludeLookalikes?: boolean;
  /** Every enabled class appears at least once (still uniform over all such passwords). */
  requireEachClass?: boolean;
}

export interface GenerateOptions {
  /** Bytes of entropy (hex, base64, base64url, jwt-*, api-key). */
  bytes?: number;
  /** Characters (password, django). */
  length?: number;
  /** Words (passphrase). */
  words?: number;
  /** Between words (passphrase). */
  separator?: string;
  /** API key prefix and environment: `<prefix>_<environment>_<body>`. */
  prefix?: string;
  environment?: string;
  /** API key body encoding. */
  body?: 'hex' | 'base62';
  password?: PasswordOptions;
  /** The EFF large wordlist (7,776 words); required by `passphrase`. */
  wordlist?: readonly string[];
  /** Allow sizes under 128 bits. */
  allowWeak?: boolean;
  /**
   * The secret goes into a `.env` file: it uses none of `ENV_UNSAFE_CHARS` (`$`, backslash, quotes,
   * backtick), which .env readers and shells treat differently. Django keys use Django's alphabet
   * minus `$`; passwords leave those symbols out of the symbol set; a passphrase separator holding
   * one is refused. Other formats never contain them. Generation into code leaves this off.
   */
  forEnvFile?: boolean;
}

export type SizeUnit = 'bytes' | 'characters' | 'words' | 'fixed';

export interface SecretFormat {
  readonly id: FormatId;
  readonly label: string;
  readonly description: string;
  readonly sizeUnit: SizeUnit;
  /** Default size in `sizeUnit` (for fixed formats: the size in bytes or characters it has). */
  readonly defaultSize: number;
  /** Hard floor for `options.bytes` (JWT HMAC keys); `allowWeak` does not lower it. */
  readonly minBytes?: number | undefined;
  /** True when generating needs `options.wordlist`. */
  readonly needsWordlist: boolean;
  /** Entropy in bits of one secret generated with these options. Throws on invalid options. */
  entropyBits(options?: GenerateOptions): number;
  generate(options?: GenerateOptions, rng?: RandomSource): string;
  /** Many secrets at once: entropy is drawn in large batches. */
  generateMany(count: number, options?: GenerateOptions, rng?: RandomSource): string[];
  /** Whether `value` is a well-formed instance (given options: of that exact configuration). */
  validate(value: string, options?: GenerateOptions): boolean;
}

// ---------------------------------------------------------------------------------------------
// Option checks

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new KeysmithError('bad-option', `${name} must be a whole number from ${min} to ${max}.`);
  }
  return v;
}

function requireStrength(label: string, bits: number, options: GenerateOptions | undefined, what: string): void {
  if (bits < MIN_BITS && !options?.allowWeak) {
    throw new KeysmithError(
      'weak-size',
      `${label}: ${what} gives ${Math.floor(bits)} bits of entropy, under the ${MIN_BITS}-bit minimum ` +
        `(16 random bytes); a shorter secret can be brute-forced.`,
    );
  }
}

const MAX_BYTES = 4096;

// ---------------------------------------------------------------------------------------------
// Byte-encoded formats: hex, base64, base64url, fernet, jwt-*

interface ByteEncoding {
  kind: 'hex' | 'base64' | 'base64url';
  pad: boolean;
}

function encodeBatch(enc: ByteEncoding, count: number, nbytes: number, rng: RandomSource): string[] {
  const outLen = encodedLength(enc.kind, nbytes, enc.pad);
  const stride = recordStride(enc.kind, nbytes, enc.pad);
  const result = new Array<string>(count);
  // Encode a cache-sized batch of secrets into one buffer, turn it into text in one native call,
  // then slice it: no per-secret decoder call.
  const perBatch = Math.max(1, Math.min(count, Math.floor(TEXT_BATCH / stride)));
  const src = scratch(0, perBatch * nbytes);
  const out = scratch(1, perBatch * stride);
  for (let done = 0; done < count; done += perBatch) {
    const n = Math.min(perBatch, count - done);
    rng.fill(src, 0, n * nbytes);
    encodeRecords(enc.kind, enc.pad, src, nbytes, n, out);
    sliceText(out, n, stride, result, done, outLen);
  }
  src.fill(0, 0, perBatch * nbytes);
  out.fill(0, 0, perBatch * stride);
  return result;
}

function decodeAs(enc: ByteEncoding, value: string): Uint8Array | null {
  if (enc.kind === 'hex') {
    if (!isHex(value)) return null;
    const b = new Uint8Array(value.length / 2);
    for (let i = 0; i < b.length; i++) b[i] = parseInt(value.substr(i * 2, 2), 16);
    return b;
  }
  return fromBase64Strict(value, enc.kind, enc.pad);
}

interface ByteFormatSpec {
  id: FormatId;
  label: string;
  description: string;
  enc: ByteEncoding;
  /** Smallest allowed size in bytes (a hard floor: allowWeak does not lower it). */
  minBytes?: number;
  /** Fixed size: the bytes option must be absent or equal. */
  fixedBytes?: number;
  defaultBytes: number;
}

function byteFormat(spec: ByteFormatSpec): SecretFormat {
  const sizeOf = (options?: GenerateOptions): number => {
    if (spec.fixedBytes !== undefined) {
      if (options?.bytes !== undefined && options.bytes !== spec.fixedBytes) {
        throw new KeysmithError('bad-option', `${spec.label}: the size is always ${spec.fixedBytes} bytes.`);
      }
      return spec.fixedBytes;
    }
    const n = intOption(`${spec.label} size`, options?.bytes, spec.defaultBytes, 1, MAX_BYTES);
    if (spec.minBytes !== undefined && n < spec.minBytes) {
      throw new KeysmithError(
        'weak-size',
        `${spec.label}: needs at least ${spec.minBytes} bytes (${spec.minBytes * 8} bits), as RFC 7518 section 3.2 requires for this algorithm; got ${n}.`,
      );
    }
    requireStrength(spec.label, n * 8, options, `${n} bytes`);
    return n;
  };
  return {
    id: spec.id,
    label: spec.label,
    description: spec.description,
    sizeUnit: spec.fixedBytes !== undefined ? 'fixed' : 'bytes',
    defaultSize: spec.fixedBytes ?? spec.defaultBytes,
    minBytes: spec.minBytes,
    needsWordlist: false,
    entropyBits: (options) => sizeOf(options) * 8,
    generate(options, rng = defaultRandom()) {
      return encodeBatch(spec.enc, 1, sizeOf(options), rng)[0]!;
    },
    generateMany(count, options, rng = defaultRandom()) {
      return encodeBatch(spec.enc, count, sizeOf(options), rng);
    },
    validate(value, options) {
      const bytes = decodeAs(spec.enc, value);
      if (!bytes || bytes.length === 0) return false;
      if (spec.fixedBytes !== undefined) return bytes.length === spec.fixedBytes;
      if (spec.minBytes !== undefined && bytes.length < spec.minBytes) return false;
      if (options?.bytes !== undefined) return bytes.length === options.bytes;
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Character formats: django, password

/** Django's get_random_secret_key(): 50 characters from this alphabet. */
export const DJANGO_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';
/**
 * Django's alphabet minus `$`, for keys written into a .env file (`$` starts an expansion in
 * dotenv-expand even inside single quotes). 49 characters: 50 of them still pass check W009.
 */
export const DJANGO_ENV_ALPHABET = DJANGO_ALPHABET.replace('$', '');
const DJANGO_LENGTH = 50;

function djangoAlphabet(options?: GenerateOptions): string {
  return options?.forEnvFile ? DJANGO_ENV_ALPHABET : DJANGO_ALPHABET;
}

const django: SecretFormat = {
  id: 'django',
  label: 'Django secret key',
  description: "50 characters from the alphabet of Django's get_random_secret_key()",
  sizeUnit: 'characters',
  defaultSize: DJANGO_LENGTH,
  needsWordlist: false,
  entropyBits(options) {
    return djangoLength(options) * Math.log2(djangoAlphabet(options).length);
  },
  generate(options, rng = defaultRandom()) {
    return django.generateMany(1, options, rng)[0]!;
  },
  generateMany(count, options, rng = defaultRandom()) {
    return rng.asciiStrings(options?.forEnvFile ? DJANGO_ENV_CODES : DJANGO_CODES, djangoLength(options), count);
  },
  validate(value, options) {
    // Django's check W009: at least 50 characters, at least 5 unique, no django-insecure- prefix.
    if (value.startsWith('django-insecure-')) return false;
    if (value.length < DJANGO_LENGTH || new Set(value).size < 5) return false;
    if (options?.length !== undefined && value.length !== options.length) return false;
    return allIn(value, DJANGO_ALPHABET);
  },
};

const DJANGO_CODES = asciiCodes(DJANGO_ALPHABET);
const DJANGO_ENV_CODES = asciiCodes(DJANGO_ENV_ALPHABET);

function djangoLength(options?: GenerateOptions): number {
  return intOption('Django secret key length', options?.length, DJANGO_LENGTH, DJANGO_LENGTH, 1024);
}

export const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
export const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';
/** Default symbols: safe unquoted in .env files and shells (no quotes, #, $, \, `, spaces). */
export const DEFAULT_SYMBOLS = '!%*+-.:=?@^_~';
/** All 32 printable ASCII symbols. */
export const ALL_SYMBOLS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
export const LOOKALIKES = 'Il1|O0o';

export const PASSWORD_DEFAULTS: Required<PasswordOptions> = {
  lowercase: true,
  uppercase: true,
  digits: true,
  symbols: true,
  symbolSet: DEFAULT_SYMBOLS,
  excludeLookalikes: false,
  requireEachClass: true,
};
const PASSWORD_LENGTH = 24;

export interface PasswordAlphabet {
  /** All allowed characters, in class order, without duplicates. */
  alphabet: string;
  /** The classes in use (each a non-empty string of characters). */
  classes: string[];
}

export function passwordAlphabet(p: PasswordOptions = {}): PasswordAlphabet {
  const o = { ...PASSWORD_DEFAULTS, ...p };
  const raw: string[] = [];
  if (o.lowercase) raw.push(LOWERCASE);
  if (o.uppercase) raw.push(UPPERCASE);
  if (o.digits) raw.push(DIGITS);
  if (o.symbols) {
    for (const ch of o.symbolSet) {
      const c = ch.codePointAt(0)!;
      if (ch.length !== 1 || c < 0x21 || c > 0x7e || /[A-Za-z0-9]/.test(ch)) {
        throw new KeysmithError('bad-option', 'Password symbols must be printable ASCII punctuation (no letters, digits, spaces or non-ASCII).');
      }
    }
    raw.push(o.symbolSet);
  }
  const seen = new Set<string>();
  const classes: string[] = [];
  for (const cls of raw) {
    let kept = '';
    for (const ch of cls) {
      if (o.excludeLookalikes && LOOKALIKES.includes(ch)) continue;
      if (seen.has(ch)) continue;
      seen.add(ch);
      kept += ch;
    }
    if (kept) classes.push(kept);
  }
  const alphabet = classes.join('');
  if (alphabet.length < 2) {
    throw new KeysmithError('bad-option', 'Password: enable at least one character class with two or more characters.');
  }
  if (alphabet.length > 256) throw new KeysmithError('bad-option', 'Password: the alphabet has more than 256 characters.');
  return { alphabet, classes };
}

/**
 * log2 of the number of passwords of `length` over the classes in which every class appears at
 * least once (inclusion–exclusion), or of all passwords when `requireEach` is false.
 */
export function passwordEntropyBits(length: number, a: PasswordAlphabet, requireEach: boolean): number {
  const n = a.alphabet.length;
  if (!requireEach) return length * Math.log2(n);
  const k = a.classes.length;
  if (length < k) return 0;
  // count = sum over subsets S of classes excluded: (-1)^|S| (n - size(S))^length; compute in
  // log space relative to n^length to avoid overflow.
  let ratio = 0;
  for (let mask = 0; mask < 1 << k; mask++) {
    let size = 0;
    let bitsSet = 0;
    for (let j = 0; j < k; j++) if (mask & (1 << j)) { size += a.classes[j]!.length; bitsSet++; }
    const term = Math.pow((n - size) / n, length);
    ratio += bitsSet % 2 === 0 ? term : -term;
  }
  return length * Math.log2(n) + Math.log2(ratio);
}

function passwordLength(options?: GenerateOptions): number {
  return intOption('Password length', options?.length, PASSWORD_LENGTH, 4, 4096);
}

/** The password options in force: for a .env file, the symbols .env readers treat specially are left out. */
function effectivePassword(options?: GenerateOptions): Required<PasswordOptions> {
  const p = { ...PASSWORD_DEFAULTS, ...options?.password };
  if (options?.forEnvFile) {
    p.symbolSet = [...p.symbolSet].filter((ch) => !ENV_UNSAFE_CHARS.includes(ch)).join('');
    if (p.symbolSet === '') p.symbols = false;
  }
  return p;
}

function passwordSetup(options?: GenerateOptions) {
  const p = effectivePassword(options);
  const a = passwordAlphabet(p);
  const length = passwordLength(options);
  if (p.requireEachClass && length < a.classes.length) {
    throw new KeysmithError('bad-option', `Password: length ${length} cannot hold one character of each of ${a.classes.length} classes.`);
  }
  const bits = passwordEntropyBits(length, a, p.requireEachClass);
  requireStrength('Password', bits, options, `${length} characters from ${a.alphabet.length} symbols`);
  return { a, length, requireEach: p.requireEachClass, codes: asciiCodes(a.alphabet), classMask: classMaskTable(a.classes), bits };
}

/** Per ASCII code: the bit of the password class it belongs to (0 outside the alphabet). */
function classMaskTable(classes: readonly string[]): Uint8Array {
  const table = new Uint8Array(128);
  classes.forEach((cls, i) => {
    for (let j = 0; j < cls.length; j++) table[cls.charCodeAt(j)] = 1 << i;
  });
  return table;
}

function hasEachClass(s: string, classes: string[]): boolean {
  return classes.every((cls) => {
    for (let i = 0; i < s.length; i++) if (cls.includes(s[i]!)) return true;
    return false;
  });
}

function generatePasswords(count: number, setup: ReturnType<typeof passwordSetup>, rng: RandomSource): string[] {
  // Whole-password rejection: draw uniformly from the full alphabet and start over when a class is
  // missing. The result is uniform over all passwords that contain every class, so no position
  // or class is favoured (unlike "one of each class, then shuffle").
  if (!setup.requireEach) return rng.asciiStrings(setup.codes, setup.length, count);
  const table = setup.classMask;
  const all = (1 << setup.a.classes.length) - 1;
  return rng.asciiStrings(setup.codes, setup.length, count, (codes, off, len) => {
    let seen = 0;
    for (let i = off, end = off + len; i < end; i++) seen |= table[codes[i]!]!;
    return seen === all;
  });
}

const password: SecretFormat = {
  id: 'password',
  label: 'Password',
  description: 'Random characters; length and character classes configurable',
  sizeUnit: 'characters',
  defaultSize: PASSWORD_LENGTH,
  needsWordlist: false,
  entropyBits: (options) => passwordSetup(options).bits,
  generate(options, rng = defaultRandom()) {
    return generatePasswords(1, passwordSetup(options), rng)[0]!;
  },
  generateMany(count, options, rng = defaultRandom()) {
    return generatePasswords(count, passwordSetup(options), rng);
  },
  validate(value, options) {
    const p = effectivePassword(options);
    let a: PasswordAlphabet;
    try { a = passwordAlphabet(p); } catch { return false; }
    if (value.length === 0 || !allIn(value, a.alphabet)) return false;
    if (options?.length !== undefined && value.length !== options.length) return false;
    if (options && p.requireEachClass && !hasEachClass(value, a.classes)) return false;
    return true;
  },
};

// ---------------------------------------------------------------------------------------------
// Passphrase

export const EFF_WORDLIST_SIZE = 7776;
const PASSPHRASE_WORDS = 10;

function passphraseSetup(options?: GenerateOptions) {
  const words = intOption('Passphrase word count', options?.words, PASSPHRASE_WORDS, 1, 256);
  const separator = options?.separator ?? '-';
  if (/[\r\n]/.test(separator)) throw new KeysmithError('bad-option', 'Passphrase separator cannot contain a line break.');
  if (options?.forEnvFile && [...separator].some((ch) => ENV_UNSAFE_CHARS.includes(ch))) {
    throw new KeysmithError('bad-option', 'Passphrase separator cannot contain $, a backslash, a quote or a backtick in a .env file: .env readers and shells treat them differently.');
  }
  const bits = words * Math.log2(EFF_WORDLIST_SIZE);
  requireStrength('Passphrase', bits, options, `${words} words`);
  return { words, separator, bits };
}

function requireWordlist(options?: GenerateOptions): readonly string[] {
  const list = options?.wordlist;
  if (!list) throw new KeysmithError('wordlist-missing', 'Passphrase: the EFF wordlist is not loaded.');
  if (list.length !== EFF_WORDLIST_SIZE) throw new KeysmithError('wordlist-missing', `Passphrase: the wordlist has ${list.length} words, expected ${EFF_WORDLIST_SIZE}.`);
  return list;
}

interface PackedWords {
  /** The words' ASCII bytes back to back; word i is bytes[start[i] .. start[i + 1]). */
  bytes: Uint8Array;
  start: Uint32Array;
  longest: number;
}
const packedLists = new WeakMap<readonly string[], PackedWords | null>();

/** The list as one byte buffer, or null when a word is not ASCII. Cached per list. */
function packWords(list: readonly string[]): PackedWords | null {
  let packed = packedLists.get(list);
  if (packed !== undefined) return packed;
  let total = 0;
  let longest = 0;
  for (const w of list) {
    total += w.length;
    longest = Math.max(longest, w.length);
  }
  const bytes = new Uint8Array(total);
  const start = new Uint32Array(list.length + 1);
  let o = 0;
  packed = { bytes, start, longest };
  for (let i = 0; i < list.length && packed; i++) {
    const w = list[i]!;
    start[i] = o;
    for (let j = 0; j < w.length; j++) {
      const c = w.charCodeAt(j);
      if (c >= 128) {
        packed = null;
        break;
      }
      bytes[o++] = c;
    }
  }
  start[list.length] = o;
  packedLists.set(list, packed);
  return packed;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

function generatePassphrases(count: number, words: number, separator: string, list: readonly string[], rng: RandomSource): string[] {
  const result = new Array<string>(count);
  // Word indices for a batch of passphrases come from one rejection-sampling pass over the pool.
  const perBatch = Math.max(1, Math.min(count, Math.floor(4096 / words)));
  const picks = new Uint16Array(perBatch * words);
  const packed = isAscii(separator) ? packWords(list) : null;
  if (packed === null) {
    for (let done = 0; done < count; done += perBatch) {
      const n = Math.min(perBatch, count - done);
      rng.intsInto(list.length, picks, 0, n * words);
      for (let k = 0, p = 0; k < n; k++) {
        const picked = new Array<string>(words);
        for (let i = 0; i < words; i++) picked[i] = list[picks[p++]!]!;
        result[done + k] = picked.join(separator);
      }
    }
    picks.fill(0);
    return result;
  }
  // ASCII words and separator: build a batch of passphrases as bytes, convert once, slice.
  const sep = asciiCodes(separator);
  const { bytes, start } = packed;
  const out = new Uint8Array(perBatch * (words * (packed.longest + sep.length)));
  const ends = new Uint32Array(perBatch);
  for (let done = 0; done < count; done += perBatch) {
    const n = Math.min(perBatch, count - done);
    rng.intsInto(list.length, picks, 0, n * words);
    let o = 0;
    for (let k = 0, p = 0; k < n; k++) {
      for (let i = 0; i < words; i++) {
        if (i > 0) for (let j = 0; j < sep.length; j++) out[o++] = sep[j]!;
        const w = picks[p++]!;
        for (let j = start[w]!, e = start[w + 1]!; j < e; j++) out[o++] = bytes[j]!;
      }
      ends[k] = o;
    }
    const text = asciiToString(out.subarray(0, o));
    for (let k = 0, from = 0; k < n; k++) {
      result[done + k] = n === 1 ? text : text.substring(from, ends[k]!);
      from = ends[k]!;
    }
  }
  out.fill(0);
  picks.fill(0);
  return result;
}

const passphrase: SecretFormat = {
  id: 'passphrase',
  label: 'Passphrase',
  description: 'Words from the EFF large wordlist (12.9 bits per word)',
  sizeUnit: 'words',
  defaultSize: PASSPHRASE_WORDS,
  needsWordlist: true,
  entropyBits: (options) => passphraseSetup(options).bits,
  generate(options, rng = defaultRandom()) {
    return passphrase.generateMany(1, options, rng)[0]!;
  },
  generateMany(count, options, rng = defaultRandom()) {
    const { words, separator } = passphraseSetup(options);
    const list = requireWordlist(options);
    return generatePassphrases(count, words, separator, list, rng);
  },
  validate(value, options) {
    const separator = options?.separator ?? '-';
    const list = options?.wordlist;
    if (!list) {
      // Without the list: lowercase words (EFF words may themselves contain a hyphen).
      return value.length > 0 && /^[a-z]+(?:-[a-z]+)*$/.test(separator === '-' ? value : value.split(separator).join('-'));
    }
    return segmentsInto(value, new Set(list), separator, options?.words);
  },
};

/**
 * Whether `value` is `words` (or any number of) list words joined by `separator`. A word may
 * contain the separator itself (EFF has t-shirt, yo-yo), so this is a segmentation, not a split.
 */
function segmentsInto(value: string, words: ReadonlySet<string>, separator: string, count?: number): boolean {
  let maxLen = 0;
  for (const w of words) maxLen = Math.max(maxLen, w.length);
  // reachable[i]: set of word counts with which value[0..i) is a complete join.
  const reachable: Array<Set<number> | undefined> = new Array(value.length + 1);
  reachable[0] = new Set([0]);
  for (let i = 0; i <= value.length; i++) {
    const here = reachable[i];
    if (!here) continue;
    const start = i === 0 ? 0 : value.startsWith(separator, i) ? i + separator.length : -1;
    if (i > 0 && start < 0) continue;
    for (let end = start + 1; end <= Math.min(value.length, start + maxLen); end++) {
      if (!words.has(value.slice(start, end))) continue;
      const next = (reachable[end] ??= new Set());
      for (const c of here) next.add(c + 1);
    }
  }
  const done = reachable[value.length];
  if (!done || value.length === 0) return false;
  return count === undefined ? done.size > 0 && !done.has(0) : done.has(count);
}

// ---------------------------------------------------------------------------------------------
// UUID v4

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function uuidFrom(b: Uint8Array, off: number, out: Uint8Array, o: number): number {
  b[off + 6] = (b[off + 6]! & 0x0f) | 0x40;
  b[off + 8] = (b[off + 8]! & 0x3f) | 0x80;
  const groups = [4, 2, 2, 2, 6];
  let p = off;
  for (let g = 0; g < groups.length; g++) {
    if (g > 0) out[o++] = 0x2d;
    o = hexInto(b, p, groups[g]!, out, o);
    p += groups[g]!;
  }
  return o;
}

const uuid: SecretFormat = {
  id: 'uuid',
  label: 'UUID v4',
  description: 'Random UUID, version 4 (122 random bits)',
  sizeUnit: 'fixed',
  defaultSize: 16,
  needsWordlist: false,
  entropyBits: () => 122,
  generate(_options, rng = defaultRandom()) {
    return uuid.generateMany(1, undefined, rng)[0]!;
  },
  generateMany(count, _options, rng = defaultRandom()) {
    const src = rng.bytes(16 * count);
    const out = new Uint8Array(36 * count);
    let o = 0;
    for (let k = 0; k < count; k++) o = uuidFrom(src, k * 16, out, o);
    src.fill(0);
    const text = asciiToString(out);
    return Array.from({ length: count }, (_, k) => text.substring(k * 36, (k + 1) * 36));
  },
  validate: (value) => UUID_RE.test(value),
};

// ---------------------------------------------------------------------------------------------
// Prefixed API key

const API_PART = /^[A-Za-z0-9]+$/;
const BASE62_CODES = asciiCodes(BASE62_ALPHABET);
const BASE62_BITS = Math.log2(62);

function apiKeySetup(options?: GenerateOptions) {
  const prefix = options?.prefix ?? 'sk';
  const environment = options?.environment ?? 'live';
  if (!API_PART.test(prefix)) throw new KeysmithError('bad-option', 'API key prefix must be letters and digits only (e.g. sk).');
  if (environment !== '' && !API_PART.test(environment)) throw new KeysmithError('bad-option', 'API key environment must be letters and digits only (e.g. live, test).');
  const body = options?.body ?? 'base62';
  if (body !== 'hex' && body !== 'base62') throw new KeysmithError('bad-option', 'API key body must be hex or base62.');
  const bytes = intOption('API key size', options?.bytes, 32, 1, MAX_BYTES);
  requireStrength('API key', bytes * 8, options, `${bytes} bytes`);
  const bodyLength = body === 'hex' ? bytes * 2 : Math.ceil((bytes * 8) / BASE62_BITS);
  const head = environment === '' ? `${prefix}_` : `${prefix}_${environment}_`;
  return { head, body, bytes, bodyLength, bits: body === 'hex' ? bytes * 8 : bodyLength * BASE62_BITS };
}

const apiKey: SecretFormat = {
  id: 'api-key',
  label: 'Prefixed API key',
  description: 'prefix_environment_ then a hex or base62 body, e.g. sk_live_…',
  sizeUnit: 'bytes',
  defaultSize: 32,
  needsWordlist: false,
  entropyBits: (options) => apiKeySetup(options).bits,
  generate(options, rng = defaultRandom()) {
    return apiKey.generateMany(1, options, rng)[0]!;
  },
  generateMany(count, options, rng = defaultRandom()) {
    const s = apiKeySetup(options);
    if (s.body === 'hex') return encodeBatch({ kind: 'hex', pad: false }, count, s.bytes, rng).map((b) => s.head + b);
    return rng.asciiStrings(BASE62_CODES, s.bodyLength, count).map((b) => s.head + b);
  },
  validate(value, options) {
    if (options && (options.prefix !== undefined || options.environment !== undefined || options.body !== undefined || options.bytes !== undefined)) {
      let s;
      try { s = apiKeySetup({ ...options, allowWeak: true }); } catch { return false; }
      if (!value.startsWith(s.head)) return false;
      const rest = value.slice(s.head.length);
      if (rest.length !== s.bodyLength) return false;
      return s.body === 'hex' ? isHex(rest) : allIn(rest, BASE62_ALPHABET);
    }
    const m = /^([A-Za-z0-9]+)_(?:([A-Za-z0-9]+)_)?([A-Za-z0-9]+)$/.exec(value);
    return !!m && m[3]!.length >= 22;
  },
};

// ---------------------------------------------------------------------------------------------
// The registry

const FORMATS: readonly SecretFormat[] = [
  byteFormat({ id: 'hex', label: 'Hex', description: "Hexadecimal, like Python's secrets.token_hex", enc: { kind: 'hex', pad: false }, defaultBytes: 32}),
  byteFormat({ id: 'base64url', label: 'Base64url', description: "URL-safe base64 without padding, like Python's secrets.token_urlsafe", enc: { kind: 'base64url', pad: false }, defaultBytes: 32}),
  byteFormat({ id: 'base64', label: 'Base64', description: 'Standard base64 with padding', enc: { kind: 'base64', pad: true }, defaultBytes: 32}),
  byteFormat({ id: 'fernet', label: 'Fernet key', description: 'URL-safe base64 of 32 random bytes, for Python cryptography.fernet', enc: { kind: 'base64url', pad: true }, fixedBytes: 32, defaultBytes: 32}),
  byteFormat({ id: 'jwt-hs256', label: 'JWT secret (HS256)', description: 'HMAC-SHA256 key, at least 32 bytes (RFC 7518), base64url', enc: { kind: 'base64url', pad: false }, minBytes: 32, defaultBytes: 32}),
  byteFormat({ id: 'jwt-hs384', label: 'JWT secret (HS384)', description: 'HMAC-SHA384 key, at least 48 bytes (RFC 7518), base64url', enc: { kind: 'base64url', pad: false }, minBytes: 48, defaultBytes: 48}),
  byteFormat({ id: 'jwt-hs512', label: 'JWT secret (HS512)', description: 'HMAC-SHA512 key, at least 64 bytes (RFC 7518), base64url', enc: { kind: 'base64url', pad: false }, minBytes: 64, defaultBytes: 64}),
  django,
  password,
  passphrase,
  uuid,
  apiKey,
];

const BY_ID = new Map<string, SecretFormat>(FORMATS.map((f) => [f.id, f]));

export function allFormats(): readonly SecretFormat[] {
  return FORMATS;
}

export function isFormatId(id: string): id is FormatId {
  return BY_ID.has(id);
}

export function getFormat(id: string): SecretFormat {
  const f = BY_ID.get(id);
  if (!f) {
    throw new KeysmithError('unknown-format', `Unknown format "${id}". Known formats: ${FORMAT_IDS.join(', ')}.`);
  }
  return f;
}
