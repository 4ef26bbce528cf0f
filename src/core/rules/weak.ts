/**
 * Value checks behind `weak-secret` and `example-leak`. Messages describe values (estimated bits,
 * shape, length in bytes) and never contain them.
 */
import { getFormat, type FormatId } from '../formats.ts';
import { isPlaceholder, looksLikeNonSecretValue, scannedKeyMentionsSpecial } from '../secrets.ts';
import { estimateStrength, estimateStrengthUnder, type DetectedKind, type StrengthEstimate } from '../strength.ts';
import { urlCredentials } from '../urlcreds.ts';
import type { CompiledConfig } from './config.ts';
import type { WeakSecretReason } from './types.ts';

/** `${NAME}` anywhere, or the whole value being `$NAME`: expanded by dotenv-expand/compose, not a literal secret. */
const VAR_REF = /\$\{[^}]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$/;

export function isVariableReference(value: string): boolean {
  return value.indexOf('$') >= 0 && VAR_REF.test(value.trim());
}

/**
 * Cheap pre-check: false only when looksLikeNonSecretValue() must be false too (it accepts short
 * booleans, numbers, URLs, IPv4 addresses, localhost and durations only).
 */
function mayBeNonSecretValue(value: string): boolean {
  let v = value.trim();
  const q = v.charCodeAt(0);
  if ((q === 34 || q === 39 || q === 96) && v.length >= 2 && v.charCodeAt(v.length - 1) === q) v = v.slice(1, -1).trim();
  if (v.length <= 8) return true;
  const c = v.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return true;
  return v.indexOf('://') >= 0 || (v.length >= 9 && v.slice(0, 9).toLowerCase() === 'localhost');
}

/** String.prototype.trim's whitespace (WhiteSpace and LineTerminator). */
function isTrimWs(c: number): boolean {
  return c <= 32
    ? c === 32 || (c >= 9 && c <= 13)
    : c >= 160 &&
        (c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff);
}

/** value.slice(a, b).startsWith(prefix), by codes. */
function startsWithAt(value: string, a: number, b: number, prefix: string): boolean {
  const m = prefix.length;
  if (b - a < m) return false;
  for (let k = 0; k < m; k++) if (value.charCodeAt(a + k) !== prefix.charCodeAt(k)) return false;
  return true;
}

function isAllDigitsIn(v: string, a: number, b: number): boolean {
  if (a >= b) return false;
  for (let i = a; i < b; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const LOCALHOST = 'localhost';

/** mayBeNonSecretValue(value) where value.trim() is value.slice(a, b), without slicing. */
function mayBeNonSecretIn(value: string, a: number, b: number): boolean {
  const q = value.charCodeAt(a);
  if ((q === 34 || q === 39 || q === 96) && b - a >= 2 && value.charCodeAt(b - 1) === q) {
    a++;
    b--;
    while (a < b && isTrimWs(value.charCodeAt(a))) a++;
    while (b > a && isTrimWs(value.charCodeAt(b - 1))) b--;
  }
  if (b - a <= 8) return true;
  const c = value.charCodeAt(a);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return true;
  const u = value.indexOf('://', a);
  if (u >= 0 && u + 3 <= b) return true;
  if (b - a < 9) return false;
  for (let k = 0; k < 9; k++) {
    let d = value.charCodeAt(a + k);
    if (d >= 65 && d <= 90) d += 32;
    if (d !== LOCALHOST.charCodeAt(k)) return false;
  }
  return true;
}

function isPem(value: string): boolean {
  return value.trimStart().startsWith('-----BEGIN ');
}

const SHAPES: Record<DetectedKind, string> = {
  empty: 'empty',
  hex: 'hex',
  base64: 'base64',
  base64url: 'base64url',
  alphanumeric: 'letters and digits',
  fernet: 'Fernet key shape',
  uuid: 'a UUID',
  django: 'Django key alphabet',
  'jwt-token': 'a JWT token, not a signing key',
  pem: 'PEM block',
  numeric: 'digits only',
  passphrase: 'a passphrase',
  text: 'text',
};

/** The pattern remarks of estimateStrength worth repeating (they describe, never quote). */
const PATTERN_NOTES: ReadonlySet<string> = new Set([
  'repeated characters',
  'alphabetical or numerical sequence',
  'keyboard pattern',
  'repeated chunk',
  'common password or word',
  'placeholder text',
]);

function describe(est: StrengthEstimate): string {
  const parts = [SHAPES[est.detected]];
  for (const n of est.notes) if (PATTERN_NOTES.has(n)) parts.push(n);
  return parts.join('; ');
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** False only when inferFormat(key) cannot be fernet, jwt-hs256/384/512 or django. */
export function mayHaveSpecialFormat(key: string, django: boolean): boolean {
  // /fernet|jwt|hs256|hs384|hs512|django/i.test(key) || (django && /secret/i.test(key)), by codes (ASCII letters fold as
  // the regexes' i flag folds them; no other character folds to one of these letters without u).
  const n = key.length;
  for (let i = 0; i < n; i++) {
    let c = key.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c === 102 ? foldedAt(key, i, 'fernet') : c === 106 ? foldedAt(key, i, 'jwt') : c === 104 ? foldedAt(key, i, 'hs256') || foldedAt(key, i, 'hs384') || foldedAt(key, i, 'hs512') : c === 100 ? foldedAt(key, i, 'django') : django && c === 115 && foldedAt(key, i, 'secret')) return true;
  }
  return false;
}

/** key.slice(at).toLowerCase() starts with `word` (ASCII letters and digits), for ASCII case folding. */
function foldedAt(key: string, at: number, word: string): boolean {
  const m = word.length;
  if (at + m > key.length) return false;
  for (let k = 0; k < m; k++) {
    let c = key.charCodeAt(at + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

const JWT_MIN: Partial<Record<FormatId, { alg: string; bytes: number }>> = {
  'jwt-hs256': { alg: 'HS256', bytes: 32 },
  'jwt-hs384': { alg: 'HS384', bytes: 48 },
  'jwt-hs512': { alg: 'HS512', bytes: 64 },
};

/**
 * Random text shows short patterns by chance (a word such as `Time` or `help`, a run `aaaa`, a
 * short sequence), and the estimate discounts them: a fresh 16-byte key, exactly 128 bits, is
 * estimated under 128 bits about once in 30 (hex) to once in 25 (base64url), 31 bits under once
 * in a million (measured over a million draws each of 16-byte hex and base64url and the shortest
 * passwords). So a value long enough to hold the minimum (its capacity: length × bits
 * per character of its alphabet, whole bytes for encodings) is weak only when its estimate is
 * both under the minimum and more than this margin under its capacity. Structure a person puts in
 * a secret (a phrase of words, one common word in an otherwise random 22-character value, a year
 * and a repeated half) costs more than this; a value too short to hold the minimum gets no margin.
 */
export const CHANCE_MARGIN_BITS = 40;

/**
 * A random (version 4) UUID carries 122 bits, which Keysmith itself writes for *_UUID keys: it is
 * judged against 122 bits less the same margin for the short patterns random hex shows by chance.
 * (With a 22-bit margin, one random UUID in about two million was weak: 997c4aa1-4aa1-4160-a111-
 * 1145337a14c8 is estimated at 94 bits.)
 */
const UUID_V4_MIN_BITS = 122 - CHANCE_MARGIN_BITS;

/**
 * Bits the value could hold at most with no pattern at all (see CHANCE_MARGIN_BITS), or 0 when
 * not judged by capacity. A password (`password`: the key calls for one, or a URL's password)
 * counts its characters over the classes it uses even when it looks encoded: a 21-character
 * password whose only symbols are `-` and `_` reads as base64url (at most 120 bits), yet it was
 * drawn from 75 characters (130 bits).
 */
function capacityBits(value: string, est: StrengthEstimate, password: boolean): number {
  switch (est.detected) {
    case 'hex':
      return est.length * 4;
    case 'base64':
    case 'base64url':
    case 'alphanumeric':
    case 'fernet': {
      const bytes = Math.floor((value.replace(/=+$/, '').length * 6) / 8) * 8;
      return password ? Math.max(bytes, Math.floor(est.length * Math.log2(classAlphabet(value)))) : bytes;
    }
    case 'numeric':
      // Digits only are also hex: one 16-byte hex key in about 3.4 million is all digits
      // (12543719504701640416065058722710), estimated at 3.3 bits per digit (106 bits).
      return est.length * 4;
    case 'django':
    case 'text':
      return Math.floor(est.length * Math.log2(Math.max(1, est.alphabet)));
    default:
      // uuid (its own rule), passphrase (counted in words), JWT tokens, PEM, empty.
      return 0;
  }
}

/** Size of the union of the ASCII classes `value` uses: lower 26, upper 26, digits 10, symbols 33. */
function classAlphabet(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 26;
    else if (c >= 65 && c <= 90) upper = 26;
    else if (c >= 48 && c <= 57) digit = 10;
    else other = 33;
  }
  return Math.max(2, lower + upper + digit + other);
}

/** The bits `value` must reach; `password` says it is a password (see capacityBits). */
function minBitsFor(value: string, est: StrengthEstimate, cfg: CompiledConfig, password: () => boolean): number {
  if (est.detected === 'uuid' && est.notes.some((n) => n.startsWith('UUID v4'))) return Math.min(cfg.minBits, UUID_V4_MIN_BITS);
  if (est.bits >= cfg.minBits) return cfg.minBits;
  const capacity = capacityBits(value.trim(), est, password());
  return capacity >= cfg.minBits ? Math.min(cfg.minBits, capacity - CHANCE_MARGIN_BITS) : cfg.minBits;
}

export interface UrlPasswordVerdict {
  reason: 'url-placeholder' | 'url-low-entropy';
  message: string;
  /** Offsets of the password within the value as given. */
  start: number;
  end: number;
}

/**
 * The verdict on the password of a `scheme://user:password@host` value (any key), or null when
 * the value has no password or the password is fine. `undefined` when the value is no URL with
 * credentials at all.
 */
export function assessUrlPassword(key: string, value: string, cfg: CompiledConfig): UrlPasswordVerdict | null | undefined {
  if (value.indexOf('://') < 0) return undefined;
  const cred = urlCredentials(value);
  if (cred === undefined) return undefined;
  const pw = cred.password;
  if (isVariableReference(pw) || pw.indexOf('${') >= 0) return null;
  if (isPlaceholder(pw, cfg.placeholders)) {
    return { reason: 'url-placeholder', message: `The password in ${key} is a placeholder or published sample, not a real secret; generate one.`, start: cred.start, end: cred.end };
  }
  // Only a figure under the minimum can make it weak (minBitsFor is never above it).
  const est = estimateStrengthUnder(pw, cfg.placeholders, cfg.minBits);
  if (est !== null && est.bits < minBitsFor(pw, est, cfg, () => true)) {
    return {
      reason: 'url-low-entropy',
      message: `The password in ${key} is weak: about ${est.bits} bits of estimated strength (${describe(est)}), under the ${cfg.minBits}-bit minimum.`,
      start: cred.start,
      end: cred.end,
    };
  }
  return null;
}

export interface WeakVerdict {
  reason: WeakSecretReason;
  message: string;
  format: FormatId;
}

/** The low-entropy verdict of assessWeak (apart: its closure would cost every call a context). */
function lowEntropy(key: string, v: string, est: StrengthEstimate, cfg: CompiledConfig, django: boolean, known: FormatId | undefined): WeakVerdict | null {
  let format: FormatId | null | undefined = known;
  const isPassword = (): boolean => {
    if (format === undefined) format = cfg.formatFor(key, django);
    return format === 'password';
  };
  if (est.bits < minBitsFor(v, est, cfg, isPassword)) {
    return withFormat(format, key, cfg, django, 'low-entropy', `${key} is weak: about ${est.bits} bits of estimated strength (${describe(est)}), under the ${cfg.minBits}-bit minimum.`);
  }
  return null;
}

/** The verdict with the key's format (inferred now if not yet known), or null when it has none. */
function withFormat(format: FormatId | null | undefined, key: string, cfg: CompiledConfig, django: boolean, reason: WeakSecretReason, message: string): WeakVerdict | null {
  const f = format === undefined ? cfg.formatFor(key, django) : format;
  return f === null ? null : { reason, message, format: f };
}

/**
 * Why the (non-empty) value of secret-named `key` is weak, or null when it is fine or not judged
 * (variable references, PEM blocks, keys Keysmith cannot generate, booleans/URLs).
 */
export function assessWeak(key: string, value: string, cfg: CompiledConfig, django: boolean): WeakVerdict | null {
  const v = value;
  // v.trim() as bounds: values are slices of the file's text, on which trim() allocates.
  let ta = 0;
  let tb = v.length;
  while (ta < tb && isTrimWs(v.charCodeAt(ta))) ta++;
  if (ta === tb) return null;
  while (isTrimWs(v.charCodeAt(tb - 1))) tb--;
  if (v.indexOf('$') >= 0 && VAR_REF.test(v.slice(ta, tb))) return null; // isVariableReference
  if (startsWithAt(v, ta, v.length, '-----BEGIN ')) return null; // isPem (trimStart only)
  if (mayBeNonSecretIn(v, ta, tb) && !isAllDigitsIn(v, ta, tb) && looksLikeNonSecretValue(v)) return null;
  // inferFormat only when a format-specific check may apply (FERNET, JWT/HS*, DJANGO, Django's
  // SECRET_KEY) or when there is a verdict to attach a fix to.
  const format: FormatId | null | undefined = (scannedKeyMentionsSpecial(key, django) ?? mayHaveSpecialFormat(key, django)) ? cfg.formatFor(key, django) : undefined;
  if (format === null) return null; // asymmetric key material (PRIVATE_KEY, *_PEM, SSH_KEY, ...)

  // Case-sensitive, exactly as Django's check security.W009 (SECRET_KEY.startswith('django-insecure-')).
  if (startsWithAt(v, ta, tb, 'django-insecure-')) {
    return withFormat(format, key, cfg, django, 'django-insecure', `${key} is a Django development key ('django-insecure-' prefix, made by startproject); generate a new secret.`);
  }
  if (isPlaceholder(v, cfg.placeholders)) {
    return withFormat(format, key, cfg, django, 'placeholder', `${key} holds a placeholder or published sample value, not a real secret; generate one.`);
  }

  if (format === 'fernet' && !getFormat('fernet').validate(v)) {
    return withFormat(format, key, cfg, django, 
      'fernet-format',
      `${key} is not a valid Fernet key: it must be 32 random bytes in URL-safe base64 with padding (44 characters); Fernet(key) would reject it.`,
    );
  }

  const jwt = format === undefined ? undefined : JWT_MIN[format];
  // The JWT check reads the estimate's shape; otherwise only a figure under the minimum matters
  // (minBitsFor is never above it), so the estimate may stop once it is sure to reach it.
  const est = jwt !== undefined ? estimateStrength(v, { placeholders: cfg.placeholders }) : estimateStrengthUnder(v, cfg.placeholders, cfg.minBits);

  if (jwt !== undefined && est !== null && est.detected !== 'jwt-token') {
    const raw = utf8Length(v);
    let decoded = -1;
    let encoding = '';
    if (est.detected === 'hex' && v.length % 2 === 0) {
      decoded = v.length / 2;
      encoding = 'hex';
    } else if (est.detected === 'base64' || est.detected === 'base64url' || est.detected === 'fernet') {
      decoded = Math.floor((v.replace(/=+$/, '').length * 6) / 8);
      encoding = est.detected === 'base64' ? 'base64' : 'base64url';
    }
    const bytes = decoded >= 0 ? Math.min(raw, decoded) : raw;
    if (bytes < jwt.bytes) {
      const how = decoded >= 0 && decoded < raw ? ` once decoded from ${encoding}` : '';
      return withFormat(format, key, cfg, django, 'jwt-length', `${key} is too short for ${jwt.alg}: ${bytes} bytes${how}; RFC 7518 requires an HMAC key of at least ${jwt.bytes} bytes.`);
    }
  }

  if (format === 'django') {
    const cps = Array.from(v);
    let why = '';
    if (cps.length < 50) why = `it has ${cps.length} characters, fewer than 50`;
    else if (new Set(cps).size < 5) why = 'it has fewer than 5 distinct characters';
    if (why !== '') return withFormat(format, key, cfg, django, 'django-w009', `${key} fails Django's check security.W009: ${why}. Generate a new secret key.`);
  }
  return est === null ? null : lowEntropy(key, v, est, cfg, django, format);
}

/**
 * Whether a value in an example file looks like a real secret: not empty, not a placeholder or
 * reference, not plainly configuration, not public PEM material, and at least `cfg.leakBits` of
 * estimated strength.
 */
export function looksLikeRealSecret(value: string, cfg: CompiledConfig): boolean {
  const v = value;
  if (v.trim().length === 0 || isVariableReference(v)) return false;
  if (isPlaceholder(v, cfg.placeholders)) return false;
  if (isPem(v)) {
    const firstLine = v.trimStart().split(/\\n|\r?\n/, 1)[0] ?? '';
    if (!firstLine.includes('PRIVATE')) return false;
  } else if (mayBeNonSecretValue(v) && looksLikeNonSecretValue(v)) return false;
  const est = estimateStrengthUnder(v, cfg.placeholders, cfg.leakBits);
  return est === null || est.bits >= cfg.leakBits;
}
