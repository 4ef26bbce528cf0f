/**
 * Key-name classification for .env-style files: which keys hold secrets, which values are
 * placeholders, and which generator format fits a key.
 *
 * Pure and deterministic; no value is ever logged or put into an error.
 *
 * ## Key patterns
 *
 * Secret-name patterns (`DEFAULT_SECRET_NAME_PATTERNS`, the `extraPatterns` of `isSecretName`) and
 * the `pattern` of format rules share one syntax, always case-insensitive:
 *  - `/regex/flags`: a JavaScript regular expression tested against the whole key (unanchored:
 *    add `^`/`$` yourself). `g`/`y` are dropped, `i` is always added. An invalid regex matches
 *    nothing.
 *  - a glob containing `*`: `*` matches any run of characters (including none), everything else
 *    is literal, and the glob must match the whole key: `STRIPE_*`, `*_TOKEN`, `*SECRET*`.
 *  - anything else is a word fragment: it matches when its words appear consecutively among the
 *    key's words. `CLIENT_SECRET` matches `GITHUB_CLIENT_SECRET` and `clientSecret`, `KEY` matches
 *    `API_KEY` and `apiKey` but not `KEYBOARD` or `MONKEY`.
 *
 * Words: a key is split on every non-alphanumeric character (`_ - .` ...) and at camelCase
 * boundaries (`apiKey` → API KEY, `APIKey` → API KEY); a trailing number is ignored when
 * comparing a word (`KEY2` counts as KEY, `AUTH0` as AUTH).
 */

import { asciiCodes, loadAscii } from './asciicodes.ts';
import type { FormatId } from './formats.ts';
export type { FormatId };

export interface FormatRule {
  /** Key pattern (see the module comment): glob with `*`, `/regex/`, or word fragment. */
  pattern: string;
  format: FormatId;
}

export interface InferFormatContext {
  /** The workspace looks like a Django project: a bare SECRET_KEY is a Django key. */
  isDjangoProject?: boolean;
  /** User rules, tried in order before the built-ins; the first match wins, even for a key that is not otherwise a secret. */
  rules?: readonly FormatRule[];
  /** Format for secret keys no built-in recognises. */
  defaultFormat: FormatId;
  /** Extra secret-name patterns (as for isSecretName). */
  secretPatterns?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Words and patterns

/**
 * Splits a key into upper-case words: on non-alphanumerics and camelCase boundaries.
 * `AWS_SECRET_ACCESS_KEY` → AWS SECRET ACCESS KEY; `myAPIKey2` → MY API KEY2; `oauth2Token` →
 * OAUTH2 TOKEN. Digits followed by a capital split only after a lower-case letter, so all-caps
 * words like BASE64URL or HS256 stay whole.
 */
export function splitKeyName(key: string): string[] {
  const words: string[] = [];
  let start = -1;
  const n = key.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? key.charCodeAt(i) : -1;
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (!upper && !lower && !digit) {
      if (start >= 0) words.push(key.slice(start, i).toUpperCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    if (upper) {
      const p = key.charCodeAt(i - 1);
      const prevLower = p >= 97 && p <= 122;
      const prevUpper = p >= 65 && p <= 90;
      let prevDigitAfterLower = false;
      if (p >= 48 && p <= 57) {
        let k = i - 1;
        while (k > start && key.charCodeAt(k - 1) >= 48 && key.charCodeAt(k - 1) <= 57) k--;
        const q = k > start ? key.charCodeAt(k - 1) : -1;
        prevDigitAfterLower = q >= 97 && q <= 122;
      }
      const nx = i + 1 < n ? key.charCodeAt(i + 1) : -1;
      const nextLower = nx >= 97 && nx <= 122;
      // fooBar → foo|Bar ; APIKey → API|Key ; oauth2Token → oauth2|Token (but BASE64URL stays whole)
      if (prevLower || prevDigitAfterLower || (prevUpper && nextLower)) {
        words.push(key.slice(start, i).toUpperCase());
        start = i;
      }
    }
  }
  return words;
}

let lastKey = '';
let lastWords: readonly string[] = [];
/**
 * splitKeyName for internal use, remembering the last key: the rules ask isSecretName and then
 * inferFormat about the same key. The array is shared: never modified.
 */
function wordsOf(key: string): readonly string[] {
  if (key !== lastKey || lastWords.length === 0) {
    lastWords = splitKeyName(key);
    lastKey = key;
  }
  return lastWords;
}

/** A word without its trailing digits (KEY2 → KEY), or the word itself when that would be empty. */
function stem(word: string): string {
  let e = word.length;
  while (e > 0) {
    const c = word.charCodeAt(e - 1);
    if (c < 48 || c > 57) break;
    e--;
  }
  return e === 0 || e === word.length ? word : word.slice(0, e);
}

function wordIs(word: string, target: string): boolean {
  return word === target || stem(word) === target;
}

type CompiledPattern = { re: RegExp; words?: undefined } | { re?: undefined; words: readonly string[] };

const patternCache = new Map<string, CompiledPattern | null>();

function compilePattern(pattern: string): CompiledPattern | null {
  const cached = patternCache.get(pattern);
  if (cached !== undefined) return cached;
  let compiled: CompiledPattern | null;
  const p = pattern.trim();
  const lastSlash = p.lastIndexOf('/');
  if (p.length >= 3 && p.charCodeAt(0) === 47 && lastSlash > 1) {
    const flags = p.slice(lastSlash + 1).replace(/[gy]/g, '');
    try {
      compiled = { re: new RegExp(p.slice(1, lastSlash), flags.includes('i') ? flags : flags + 'i') };
    } catch {
      compiled = null;
    }
  } else if (p.includes('*')) {
    const body = p
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    compiled = { re: new RegExp(`^${body}$`, 'is') };
  } else {
    const words = splitKeyName(p);
    compiled = words.length > 0 ? { words } : null;
  }
  if (patternCache.size >= 512) patternCache.clear();
  patternCache.set(pattern, compiled);
  return compiled;
}

function matchCompiled(key: string, words: readonly string[], c: CompiledPattern): boolean {
  if (c.re !== undefined) return c.re.test(key);
  const need = c.words;
  outer: for (let i = 0; i + need.length <= words.length; i++) {
    for (let j = 0; j < need.length; j++) if (!wordIs(words[i + j]!, need[j]!)) continue outer;
    return true;
  }
  return false;
}

/** Whether `key` matches one key pattern (syntax in the module comment). */
export function matchesKeyPattern(key: string, pattern: string): boolean {
  const c = compilePattern(pattern);
  return c !== null && matchCompiled(key, c.words !== undefined ? splitKeyName(key) : [], c);
}

function matchesAny(key: string, words: readonly string[], patterns: readonly string[]): boolean {
  for (const p of patterns) {
    const c = compilePattern(p);
    if (c !== null && matchCompiled(key, words, c)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Secret names

/**
 * Name patterns marking a secret. Substring globs only for long, unambiguous fragments; short
 * ones are whole words so that KEYBOARD, MONKEY, TURKEY, PASSENGER, BYPASS stay non-secret.
 * CERT/CERTIFICATE is deliberately absent (certificates are public; their private keys are
 * caught by KEY). DSN, WEBHOOK and CONNECTION_STRING name secrets Keysmith cannot generate (a
 * provider hands them out): inferFormat returns null for them, so Populate leaves them alone and
 * the example says `<paste: …>`.
 */
export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
  '*SECRET*', // SECRET_KEY, CLIENT_SECRET, SESSION_SECRET, COOKIE_SECRET, NEXTAUTH_SECRET
  '*PASSWORD*', // DB_PASSWORD, PGPASSWORD
  '*PASSWD*',
  '*PASSPHRASE*',
  '*APIKEY*', // APIKEY, OPENAIAPIKEY (API_KEY / apiKey are caught by KEY)
  '*PRIVATEKEY*',
  '*TOKEN', // GITHUBTOKEN, csrfToken (not MAX_TOKENS, TOKENIZERS_PARALLELISM)
  '*FERNET*',
  '*HMAC*',
  '*WEBHOOK*', // SLACK_WEBHOOK, DISCORD_WEBHOOK (WEBHOOK_URL is a URL: see NON_SECRET_NAME_SUFFIXES)
  'TOKEN',
  'KEY',
  'KEYS',
  'PASS',
  'PW', // REDIS_PW
  'PWD',
  'AUTH',
  'AUTHORIZATION',
  'BEARER',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'SALT',
  'PEPPER',
  'PRIVATE',
  'SIGN', // COOKIE_SIGN
  'SIGNING',
  'ENCRYPTION',
  'JWT',
  'COOKIE', // COOKIE, SESSION_COOKIE (COOKIE_NAME, COOKIE_DOMAIN … are attributes)
  'SESSION', // SESSION, SESSION_KEY (SESSION_DRIVER, SESSION_LIFETIME … are attributes)
  'DSN', // SENTRY_DSN: its key part authenticates the client
  'CONNECTION_STRING', // DATABASE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING
  'CONNSTR',
];

/**
 * A key whose LAST word is one of these names an attribute of a secret, not the secret itself:
 * identifiers (AWS_ACCESS_KEY_ID, KEY_ID), locations (TOKEN_URL, KEY_FILE, SECRET_NAME, *_ARN),
 * durations and sizes (JWT_EXPIRES_IN, PASSWORD_MIN_LENGTH, SALT_ROUNDS), switches and
 * algorithms (AUTH_ENABLED, JWT_ALGORITHM), derived values (PASSWORD_HASH).
 */
export const NON_SECRET_NAME_SUFFIXES: readonly string[] = [
  'ID', 'IDS', 'IDENTIFIER', 'URL', 'URLS', 'URI', 'URIS', 'HOST', 'HOSTNAME', 'HOSTS', 'PORT',
  'ENDPOINT', 'DOMAIN', 'REGION', 'ZONE', 'NAME', 'NAMES', 'USER', 'USERNAME', 'LOGIN', 'EMAIL',
  'ACCOUNT', 'PROJECT', 'PATH', 'FILE', 'FILENAME', 'DIR', 'DIRECTORY', 'LOCATION', 'ARN', 'VAULT',
  'BUCKET', 'TABLE', 'QUEUE', 'TOPIC', 'SOCK', 'SOCKET', 'CALLBACK', 'REDIRECT', 'TTL', 'TIMEOUT',
  'EXPIRY', 'EXPIRES', 'EXPIRATION', 'EXP', 'IN', 'LIFETIME', 'AGE', 'DURATION', 'INTERVAL',
  'SECONDS', 'SECS', 'MS', 'MINUTES', 'MINS', 'HOURS', 'DAYS', 'LENGTH', 'LEN', 'SIZE', 'BITS',
  'ROUNDS', 'ITERATIONS', 'COST', 'MIN', 'MAX', 'LIMIT', 'COUNT', 'ALGORITHM', 'ALGORITHMS', 'ALG',
  'ALGO', 'TYPE', 'MODE', 'FORMAT', 'ENCODING', 'VERSION', 'ENABLED', 'DISABLED', 'ENABLE',
  'DISABLE', 'REQUIRED', 'STRATEGY', 'PROVIDER', 'BACKEND', 'METHOD', 'POLICY', 'SCOPE', 'SCOPES',
  'ISSUER', 'AUDIENCE', 'HEADER', 'PREFIX', 'FIELD', 'PARAM', 'COLUMN', 'PARALLELISM', 'LEVEL',
  'ROTATION', 'HASH', 'HASHER', 'HASHERS', 'IP', 'ADDR', 'ADDRESS', 'CIDR', 'SUBNET', 'NETWORK',
  // Attributes of sessions and cookies (Laravel, Django, express-session): SESSION_DRIVER,
  // SESSION_ENGINE, SESSION_COOKIE_SECURE, COOKIE_SAMESITE, SESSION_CONNECTION …
  'DRIVER', 'ENGINE', 'STORE', 'STORAGE', 'SERIALIZER', 'SECURE', 'HTTPONLY', 'SAMESITE', 'ENCRYPT', 'CONNECTION',
  'REQUEST', 'LIFETIME', 'PARTITIONED',
];

/**
 * Words that, right before a final KEY/KEYS, make it a data or lookup key rather than a secret:
 * PRIMARY_KEY, PARTITION_KEY, SORT_KEY, ROUTING_KEY, CACHE_KEY, OBJECT_KEY, IDEMPOTENCY_KEY.
 */
export const NON_SECRET_KEY_QUALIFIERS: readonly string[] = [
  'PRIMARY', 'FOREIGN', 'PARTITION', 'SORT', 'ROUTING', 'CACHE', 'LOOKUP', 'INDEX', 'OBJECT', 'MAP',
  'HOT', 'SHORTCUT', 'IDEMPOTENCY', 'DEDUP', 'DEDUPLICATION',
];

/** Any of these words makes a key public by construction: PUBLIC_KEY, STRIPE_PUBLISHABLE_KEY, NEXT_PUBLIC_*, NUXT_PUBLIC_*, EXPO_PUBLIC_*. */
export const PUBLIC_NAME_WORDS: readonly string[] = ['PUBLIC', 'PUBLISHABLE', 'PUB'];

/** Exact names that match a secret pattern but are not secrets. */
const NON_SECRET_NAMES: ReadonlySet<string> = new Set([
  'PWD', // the shell's working directory
  'OLDPWD',
  'GOOGLE_APPLICATION_CREDENTIALS', // a path to a credentials file
]);

const SUFFIX_SET: ReadonlySet<string> = new Set(NON_SECRET_NAME_SUFFIXES);
const KEY_QUALIFIER_SET: ReadonlySet<string> = new Set(NON_SECRET_KEY_QUALIFIERS);
const PUBLIC_SET: ReadonlySet<string> = new Set(PUBLIC_NAME_WORDS);

/**
 * Whether a key names a secret.
 *
 * 1. `extraPatterns` (user settings) win: a match is a secret, whatever the rest says.
 * 2. Not a secret: the exact names PWD, OLDPWD, GOOGLE_APPLICATION_CREDENTIALS; any key with a
 *    PUBLIC / PUBLISHABLE / PUB word; any key whose last word is in NON_SECRET_NAME_SUFFIXES;
 *    a final KEY/KEYS right after a word of NON_SECRET_KEY_QUALIFIERS (PARTITION_KEY).
 * 3. A secret when any of DEFAULT_SECRET_NAME_PATTERNS matches.
 */
export function isSecretName(key: string, extraPatterns?: readonly string[]): boolean {
  if (extraPatterns === undefined || extraPatterns.length === 0) {
    if (endsWithAttributeWord(key)) return false;
    if (SCANNED_DEFAULT.ok && scanKey(key)) return nw > 0 && isDefaultSecretScanned();
  }
  const words = wordsOf(key);
  if (words.length === 0) return false;
  if (extraPatterns !== undefined && extraPatterns.length > 0 && matchesAny(key, words, extraPatterns)) return true;
  return isDefaultSecretName(key, words);
}

/** Most words in a NON_SECRET_NAMES entry (longer keys need no join). */
const NON_SECRET_MAX_WORDS = Math.max(...[...NON_SECRET_NAMES].map((n) => n.split('_').length));

function isDefaultSecretName(key: string, words: readonly string[]): boolean {
  if (SCANNED_DEFAULT.ok && scanKey(key)) return isDefaultSecretScanned();
  if (words.length <= NON_SECRET_MAX_WORDS && NON_SECRET_NAMES.has(words.join('_'))) return false;
  for (const w of words) if (PUBLIC_SET.has(w) || PUBLIC_SET.has(stem(w))) return false;
  const last = words[words.length - 1]!;
  if (SUFFIX_SET.has(last) || SUFFIX_SET.has(stem(last))) return false;
  if (words.length >= 2 && (wordIs(last, 'KEY') || wordIs(last, 'KEYS')) && KEY_QUALIFIER_SET.has(words[words.length - 2]!)) return false;
  return isAscii(key) ? matchesDefaultFast(key, words) : matchesAny(key, words, DEFAULT_SECRET_NAME_PATTERNS);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * DEFAULT_SECRET_NAME_PATTERNS compiled for ASCII keys: `*X*`, `*X` and `X*` globs become
 * substring tests on the upper-cased key (the same as the case-insensitive regex for ASCII text),
 * one-word fragments a set lookup per key word (and its stem); anything else stays a compiled
 * pattern. matchesDefaultFast(key, words) === matchesAny(key, words, DEFAULT_SECRET_NAME_PATTERNS)
 * for every ASCII key (tested).
 */
const FAST_DEFAULT = (() => {
  const contains: string[] = [];
  const ends: string[] = [];
  const starts: string[] = [];
  const oneWord = new Set<string>();
  const other: CompiledPattern[] = [];
  const plain = /^[A-Za-z0-9_]+$/;
  for (const raw of DEFAULT_SECRET_NAME_PATTERNS) {
    const p = raw.trim();
    const c = compilePattern(raw);
    if (c === null) continue;
    const parts = p.split('*');
    if (c.re !== undefined && parts.length === 3 && parts[0] === '' && parts[2] === '' && plain.test(parts[1]!)) contains.push(parts[1]!.toUpperCase());
    else if (c.re !== undefined && parts.length === 2 && parts[0] === '' && plain.test(parts[1]!)) ends.push(parts[1]!.toUpperCase());
    else if (c.re !== undefined && parts.length === 2 && parts[1] === '' && plain.test(parts[0]!)) starts.push(parts[0]!.toUpperCase());
    else if (c.words !== undefined && c.words.length === 1) oneWord.add(c.words[0]!);
    else other.push(c);
  }
  return { contains, ends, starts, oneWord, other };
})();

function matchesDefaultFast(key: string, words: readonly string[]): boolean {
  const f = FAST_DEFAULT;
  for (const w of words) if (f.oneWord.has(w) || f.oneWord.has(stem(w))) return true;
  const upper = key.toUpperCase();
  for (const x of f.contains) if (upper.includes(x)) return true;
  for (const x of f.ends) if (upper.endsWith(x)) return true;
  for (const x of f.starts) if (upper.startsWith(x)) return true;
  for (const c of f.other) if (matchCompiled(key, words, c)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Key names without allocation (ASCII keys)
//
// Keys come from the parser as slices of the file's text, on which string methods (toUpperCase,
// slice, Set lookups of fresh substrings) allocate and are slow, and a first analysis classifies
// every key of the file once. For an ASCII key, scanKey() writes its upper-cased characters to KU
// and its words, cut exactly as splitKeyName cuts them, to WS/WE (start, end) with each word's
// stem (stem(): trailing digits dropped unless that leaves nothing) ending at WT; words are then
// looked up in one table by their characters (WID: exact word, SID: its stem). The checks below
// (isDefaultSecretScanned, inferFormatScanned) are the string-based ones restated over that
// scan; non-ASCII keys keep the string path. The equivalence tests compare both.

let KU = new Uint8Array(64);
/** Kind of each character of the scanned key (K_*), and K_OTHER just past its end. */
let KC = new Uint8Array(64);
let kn = 0;
const K_OTHER = 0;
const K_UPPER = 1;
const K_LOWER = 2;
const K_DIGIT = 3;
const CHAR_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) CHAR_KIND[c] = c >= 65 && c <= 90 ? K_UPPER : c >= 97 && c <= 122 ? K_LOWER : c >= 48 && c <= 57 ? K_DIGIT : K_OTHER;
let WS: Int32Array<ArrayBuffer> = new Int32Array(16);
let WE = new Int32Array(16);
let WT = new Int32Array(16);
let WID = new Int32Array(16);
let SID = new Int32Array(16);
let nw = 0;
/** The key the arrays hold (null: none, or a scan left half done). */
let scanned: string | null = null;

/** Every word a check asks about, with an id (its index) and flags. */
const TABLE_WORDS: string[] = [];
const TABLE_FLAGS: number[] = [];
/** WORD_BITS of a table word (inferFormat's W_* features). */
const TABLE_WBITS: number[] = [];
const T_ONE = 1; // a one-word default secret pattern
const T_PUBLIC = 2;
const T_SUFFIX = 4;
const T_QUALIFIER = 8;
const T_KEYWORD = 16; // KEY, KEYS

function tableWord(word: string): number {
  let id = TABLE_WORDS.indexOf(word);
  if (id < 0) {
    id = TABLE_WORDS.length;
    TABLE_WORDS.push(word);
    TABLE_FLAGS.push(0);
    TABLE_WBITS.push(0);
  }
  return id;
}

const SLOTS = 2048;
const SLOT_ID = new Int32Array(SLOTS).fill(-1);

function hashChars(codes: ArrayLike<number>, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s);
  for (let i = s; i < e; i++) h = Math.imul(h ^ codes[i]!, 16777619);
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}

/**
 * Forgets the key last scanned (a slice that may keep a whole file's text alive); the rules call
 * it when a run of checks ends.
 */
export function forgetKeyScan(): void {
  scanned = null;
}

/** Id of the table word spelled by codes[s, e) (upper-case ASCII: KU, or TAIL), or -1. */
function lookupWord(codes: Uint8Array, s: number, e: number): number {
  const len = e - s;
  for (let slot = hashChars(codes, s, e); ; slot = (slot + 1) & (SLOTS - 1)) {
    const id = SLOT_ID[slot]!;
    if (id < 0) return -1;
    const w = TABLE_WORDS[id]!;
    if (w.length !== len) continue;
    let k = 0;
    while (k < len && w.charCodeAt(k) === codes[s + k]) k++;
    if (k === len) return id;
  }
}

/**
 * Scans an ASCII key into KU and the word arrays (see above); false, with nothing scanned, when
 * the key has a non-ASCII character.
 */
function scanKey(key: string): boolean {
  // The rules ask isSecretName and then inferFormat about the same key: scan it once.
  if (key === scanned) return true;
  scanned = null;
  const n = key.length;
  if (KU.length < n + 1) {
    KU = new Uint8Array(n * 2 + 1);
    KC = new Uint8Array(n * 2 + 1);
  }
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 128) return false;
    const k = CHAR_KIND[c]!;
    KC[i] = k;
    KU[i] = k === K_LOWER ? c - 32 : c;
  }
  KC[n] = K_OTHER;
  kn = n;
  nw = 0;
  // splitKeyName's cuts, over the character kinds.
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const k = KC[i]!;
    if (k === K_OTHER) {
      if (start >= 0) pushWord(start, i);
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    if (k === K_UPPER) {
      const p = KC[i - 1]!;
      let cut = p === K_LOWER || (p === K_UPPER && KC[i + 1] === K_LOWER);
      if (!cut && p === K_DIGIT) {
        let j = i - 1;
        while (j > start && KC[j - 1] === K_DIGIT) j--;
        cut = j > start && KC[j - 1] === K_LOWER;
      }
      if (cut) {
        pushWord(start, i);
        start = i;
      }
    }
  }
  scanned = key;
  return true;
}

function pushWord(s: number, e: number): void {
  if (nw === WS.length) {
    const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    WS = grow(WS);
    WE = grow(WE);
    WT = grow(WT);
    WID = grow(WID);
    SID = grow(SID);
  }
  let t = e;
  while (t > s && KU[t - 1]! >= 48 && KU[t - 1]! <= 57) t--;
  if (t === s) t = e; // all digits: the stem is the word itself
  WS[nw] = s;
  WE[nw] = e;
  WT[nw] = t;
  const id = lookupWord(KU, s, e);
  WID[nw] = id;
  SID[nw] = t === e ? id : lookupWord(KU, s, t);
  nw++;
}

/** endsWithAttributeWord's copy of a key's last word. */
let TAIL = new Uint8Array(64);

/**
 * The key's last word is in NON_SECRET_NAME_SUFFIXES (or its stem is), found from the end when
 * that is quick: the last run of letters and digits has no lower-case letter, so splitKeyName cuts
 * nowhere inside it and it is the last word. Such a key is never a default secret name (the last
 * word decides before any pattern), so most keys of a file are answered without a full scan.
 */
function endsWithAttributeWord(key: string): boolean {
  // Past the trailing separators (splitKeyName treats every non-ASCII character as one).
  let e = key.length;
  while (e > 0) {
    const c = key.charCodeAt(e - 1);
    if (c < 128 && CHAR_KIND[c] !== K_OTHER) break;
    e--;
  }
  if (e === 0) return false;
  let s = e;
  while (s > 0) {
    const c = key.charCodeAt(s - 1);
    if (c >= 128) break;
    const k = CHAR_KIND[c]!;
    if (k === K_OTHER) break;
    if (k === K_LOWER) return false;
    s--;
  }
  // The last word's codes (no lower-case letter: as scanKey would upper-case them) for lookupWord.
  const len = e - s;
  if (TAIL.length < len) TAIL = new Uint8Array(len * 2);
  for (let i = 0; i < len; i++) TAIL[i] = key.charCodeAt(s + i);
  // The stem: trailing digits dropped, unless that leaves nothing.
  let t = len;
  while (t > 0 && CHAR_KIND[TAIL[t - 1]!] === K_DIGIT) t--;
  if (t === 0) t = len;
  const id = lookupWord(TAIL, 0, len);
  if (id >= 0 && TABLE_FLAGS[id]! & T_SUFFIX) return true;
  if (t === len) return false;
  const sid = lookupWord(TAIL, 0, t);
  return sid >= 0 && (TABLE_FLAGS[sid]! & T_SUFFIX) !== 0;
}

/** Table flags of word i or of its stem (wordIs semantics). */
function wordOrStemFlags(i: number): number {
  const a = WID[i]!;
  const b = SID[i]!;
  return (a >= 0 ? TABLE_FLAGS[a]! : 0) | (b >= 0 ? TABLE_FLAGS[b]! : 0);
}

/** KU[0, kn) contains `needle` (upper-case ASCII codes) at or after `from`, ending by `to`. */
function kuIncludes(needle: Uint8Array, from: number, to: number): boolean {
  const m = needle.length;
  const first = needle[0]!;
  for (let i = from; i + m <= to; i++) {
    if (KU[i] !== first) continue;
    let k = 1;
    while (k < m && KU[i + k] === needle[k]) k++;
    if (k === m) return true;
  }
  return false;
}

function kuEndsWith(needle: Uint8Array): boolean {
  const m = needle.length;
  if (m > kn) return false;
  for (let k = 0; k < m; k++) if (KU[kn - m + k] !== needle[k]) return false;
  return true;
}

function kuStartsWith(needle: Uint8Array): boolean {
  const m = needle.length;
  if (m > kn) return false;
  for (let k = 0; k < m; k++) if (KU[k] !== needle[k]) return false;
  return true;
}

const codesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** FAST_DEFAULT over the scan: substring needles as codes, word fragments as table ids. */
const SCANNED_DEFAULT = (() => {
  const f = FAST_DEFAULT;
  const ok = f.other.every((c) => c.words !== undefined);
  for (const w of f.oneWord) TABLE_FLAGS[tableWord(w)]! |= T_ONE;
  for (const w of PUBLIC_SET) TABLE_FLAGS[tableWord(w)]! |= T_PUBLIC;
  for (const w of SUFFIX_SET) TABLE_FLAGS[tableWord(w)]! |= T_SUFFIX;
  for (const w of KEY_QUALIFIER_SET) TABLE_FLAGS[tableWord(w)]! |= T_QUALIFIER;
  for (const w of ['KEY', 'KEYS']) TABLE_FLAGS[tableWord(w)]! |= T_KEYWORD;
  return {
    ok,
    contains: f.contains.map(codesOf),
    ends: f.ends.map(codesOf),
    starts: f.starts.map(codesOf),
    other: f.other.map((c) => c.words!.map(tableWord)),
    nonSecret: [...NON_SECRET_NAMES].map((n) => n.split('_').map(tableWord)),
  };
})();

const SPECIAL_CODES = ['FERNET', 'JWT', 'HS256', 'HS384', 'HS512', 'DJANGO'].map(codesOf);
const C_SECRET_WORD = codesOf('SECRET');

/**
 * /fernet|jwt|hs256|hs384|hs512|django/i.test(key) || (django && /secret/i.test(key)) read from the
 * scan when it holds `key` (the rules ask right after isSecretName); undefined when it does not.
 */
export function scannedKeyMentionsSpecial(key: string, django: boolean): boolean | undefined {
  if (key !== scanned) return undefined;
  for (const x of SPECIAL_CODES) if (kuIncludes(x, 0, kn)) return true;
  return django && kuIncludes(C_SECRET_WORD, 0, kn);
}

/** Word i is `id` or has it as its stem (wordIs). */
function wordIsId(i: number, id: number): boolean {
  return WID[i] === id || SID[i] === id;
}

/** isDefaultSecretName(key, splitKeyName(key)) for the scanned key (at least one word). */
function isDefaultSecretScanned(): boolean {
  const d = SCANNED_DEFAULT;
  if (nw <= NON_SECRET_MAX_WORDS) {
    for (const seq of d.nonSecret) {
      if (seq.length !== nw) continue;
      let k = 0;
      while (k < nw && WID[k] === seq[k]) k++;
      if (k === nw) return false;
    }
  }
  for (let i = 0; i < nw; i++) if (wordOrStemFlags(i) & T_PUBLIC) return false;
  const last = wordOrStemFlags(nw - 1);
  if (last & T_SUFFIX) return false;
  if (nw >= 2 && last & T_KEYWORD) {
    const q = WID[nw - 2]!;
    if (q >= 0 && TABLE_FLAGS[q]! & T_QUALIFIER) return false;
  }
  // matchesDefaultFast
  for (let i = 0; i < nw; i++) if (wordOrStemFlags(i) & T_ONE) return true;
  for (const x of d.contains) if (kuIncludes(x, 0, kn)) return true;
  for (const x of d.ends) if (kuEndsWith(x)) return true;
  for (const x of d.starts) if (kuStartsWith(x)) return true;
  for (const need of d.other) {
    outer: for (let i = 0; i + need.length <= nw; i++) {
      for (let j = 0; j < need.length; j++) if (!wordIsId(i + j, need[j]!)) continue outer;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Placeholders

/**
 * Values that are obviously not real secrets. Compared case-insensitively after trimming
 * whitespace and one pair of surrounding quotes, ignoring `-`, `_`, `.` and spaces (so
 * `change-me`, `CHANGE_ME` and `Change Me` are all `changeme`), and also with trailing digits
 * removed (`password123`, `changeme2`). Besides this list, isPlaceholder() recognises shapes:
 * empty, `<anything>`, `{{anything}}`, one repeated character (`x`, `****`, `0000`), runs of
 * x/X/*\/•/# (`sk_live_xxxxxxxx`), counting sequences (`1234…`, `abcd…`), values ending in a
 * separate word `here` (`your-key-here`), the prefixes change…, replace…, insert…, enter-your…,
 * sample…, example…, placeholder…, the whole-word prefixes your, todo, fixme, dummy, fake, tbd
 * (`your_api_key`, `TODO: fill in`, also `yourApiKey`-style your+api/key/secret/token/…), the
 * `django-insecure-` prefix (a development key from `django-admin startproject`), and anything
 * ending in `example`/`examplekey` (AWS-style sample keys). The prefixes, `here` and the mask runs
 * count only where the rest reads as typed words (isWordy), so a random key that happens to start
 * with `TBD_` or `xxxx` is not a placeholder.
 *
 * Published sample credentials are listed so they are never mistaken for real ones.
 */
export const DEFAULT_PLACEHOLDERS: readonly string[] = [
  'changeme', 'change-me', 'change_me', 'changeit', 'replaceme', 'replace-me', 'todo', 'fixme',
  'tbd', 'tba', 'xxx', 'secret', 'password', 'passwd', 'pass', 'pwd', 'key', 'apikey', 'api-key',
  'token', 'mysecret', 'my-secret', 'supersecret', 'secretkey', 'secret-key', 'mypassword',
  'example', 'sample', 'test', 'testing', 'testkey', 'testsecret', 'testtoken', 'testpassword',
  'demo', 'dummy', 'fake', 'foo', 'bar', 'baz', 'foobar', 'placeholder', 'null', 'nil', 'none',
  'undefined', 'empty', 'blank', 'default', 'value', 'string', 'n/a', 'na', 'unset', 'notset',
  'not-set', 'redacted', 'hidden', 'masked', 'removed', 'required', 'your-secret-here',
  'your_api_key', 'your-key-here', 'insert-key-here', 'abc123', 'qwerty', 'asdf', 'p@ssw0rd',
  'passw0rd', 's3cr3t',
  // Laravel's .env.example shipped APP_KEY=SomeRandomString (Laravel 5.0/5.1).
  'SomeRandomString',
  // jwt.io debugger default secrets for HS256/HS384/HS512.
  'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret',
  // AWS documentation example keys (IAM user guide "Managing access keys"; CLI "Named profiles").
  'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  // Stripe API reference sample test keys.
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'pk_test_TYooMQauvdEDq54NiTphI7jx',
  // Fernet spec test-vector key (github.com/fernet/spec, generate.json / verify.json).
  'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
];

function compact(lower: string): string {
  return lower.replace(/[-_. \t]+/g, '');
}

function trimDigits(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) >= 48 && s.charCodeAt(e - 1) <= 57) e--;
  return s.slice(0, e);
}

const PLACEHOLDER_SET: ReadonlySet<string> = new Set(
  DEFAULT_PLACEHOLDERS.flatMap((p) => {
    const lower = p.toLowerCase();
    return [lower, compact(lower)];
  }),
);

/** Prefixes (of the compacted value) long enough to be safe on random data. */
const PLACEHOLDER_PREFIXES: readonly string[] = ['change', 'replace', 'insert', 'enteryour', 'sample', 'example', 'placeholder'];
/** Short prefixes: only as a whole word (followed by a non-letter, or the end), e.g. 'todo: …', 'fake_key'. */
const PLACEHOLDER_WORD_PREFIXES: readonly string[] = ['your', 'todo', 'fixme', 'dummy', 'fake', 'tbd'];
/** 'your' glued to one of these (yourapikey, YourSecretKey) also counts. */
const YOUR_SOMETHING: readonly string[] = [
  'api', 'key', 'secret', 'token', 'pass', 'access', 'client', 'app', 'own', 'private', 'auth', 'db', 'database',
  'account', 'session', 'signing', 'encryption', 'jwt', 'value', 'real', 'actual', 'generated', 'random', 'strong',
];

function startsWithWord(lower: string, word: string): boolean {
  if (!lower.startsWith(word)) return false;
  if (lower.length === word.length) return true;
  const c = lower.charCodeAt(word.length);
  return !((c >= 97 && c <= 122) || (c >= 48 && c <= 57));
}

/** Trims whitespace and one pair of matching surrounding quotes (' " `). */
export function unquoteValue(value: string): string {
  let v = value.trim();
  if (v.length >= 2) {
    const q = v.charCodeAt(0);
    if ((q === 34 || q === 39 || q === 96) && v.charCodeAt(v.length - 1) === q) v = v.slice(1, -1).trim();
  }
  return v;
}

function isCountingSequence(s: string): boolean {
  if (s.length < 3) return false;
  const first = s.charCodeAt(0);
  const digits = first >= 48 && first <= 57;
  if (!digits && !(first >= 97 && first <= 122)) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const p = s.charCodeAt(i - 1);
    if (digits) {
      if (c < 48 || c > 57) return false;
      if (c !== p + 1 && !(p === 57 && c === 48)) return false; // 1234567890123...
    } else if (c !== p + 1 || c > 122) return false;
  }
  return digits ? first <= 49 : first === 97; // starts at 0/1 or a
}

/**
 * Masked or filler text: a run of the same `*`, `•`, `#` or x/X: 4+ at the start or the end (as in
 * sk_live_xxxx, ****1234), or 6+ (x/X: 8+) anywhere. Generated values hold `*`, `#` and x/X
 * (Django keys, passwords, base64), so such a run counts only when the runs make up at least half
 * the value or what is left reads as words (isWordy): `xxxx` opens about one random base64 key in
 * four million, and the rest of that key is then 39 random characters.
 */
function hasMaskRun(s: string): boolean {
  let run = 0;
  let found = false;
  const n = s.length;
  for (let i = 0; i < n && !found; i++) {
    const c = s.charCodeAt(i);
    const x = c === 120 || c === 88;
    const mask = x || c === 42 || c === 0x2022 || c === 35;
    run = mask && i > 0 && c === s.charCodeAt(i - 1) ? run + 1 : mask ? 1 : 0;
    if (run === 0) continue;
    if (run >= (x ? 8 : 6)) found = true;
    else if (run >= 4 && (i === n - 1 || i + 1 === run)) found = true;
  }
  return found && maskRunCounts(s);
}

/** The rest of hasMaskRun(s) once a run is found. */
function maskRunCounts(s: string): boolean {
  const rest = s.replace(/(?:x{4,}|X{4,}|\*{4,}|•{4,}|#{4,})/g, '');
  // The mask is at least half the value (sk_live_51H + 24 x), or the rest reads as words.
  return s.length - rest.length >= rest.length || isWordy(rest);
}

/** Separators people put between the words of a placeholder (`todo: fill in`, `your-key-here`). */
const WORD_SEPARATORS = /[\s\-_.:,/]+/;
/** One word of a placeholder: lower, UPPER or Capitalised/camelCase letters, digits only at its end; or digits. */
const PLACEHOLDER_WORD = /^(?:(?:[a-z]+|[A-Z]+|[A-Z]?[a-z]+(?:[A-Z][a-z]+)*)[0-9]*|[0-9]+)$/;
const VOWEL = /[aeiouy]/i;
const HUMP = /[A-Z]?[a-z]+/g;

/** Whether one separator-free piece reads as a typed word (see isWordy). */
function isTypedWord(w: string): boolean {
  if (w.length > 20 || !PLACEHOLDER_WORD.test(w)) return false;
  const letters = w.replace(/[0-9]+$/, '');
  if (letters.length === 0) return true;
  const lower = letters.toLowerCase();
  if (letters === lower || letters === letters.toUpperCase()) return letters.length <= 3 || VOWEL.test(letters); // tbd, TBD, TODO, secret
  // YourApiKey, myApiKey; not auVpwdjBik or DeAuRheyj: each hump has a vowel, and those after the first 3+ letters.
  const humps = letters.match(HUMP) ?? [];
  for (let i = 0; i < humps.length; i++) if (!VOWEL.test(humps[i]!) || (i > 0 && humps[i]!.length < 3)) return false;
  return true;
}

/**
 * Whether `v` reads as words a person typed (`your_api_key_here`, `TODO: fill in`, `YourSecretKey`,
 * `change-this-in-production`): split by the usual separators into words of at most 20 letters,
 * each in one case (or camelCase, each hump with a vowel), with digits only at its end. The
 * placeholder rules that match only part of a value (prefixes such as `tbd`, `fake`, `change`, a
 * final `here`, a mask run) apply only to such values, because a random token matches them by
 * chance: `TBD_…` opens about one random base64url key in 150,000, `tbd!` one Django key in
 * 450,000, `change` one passphrase without separators in 2,000. A random token (mixed case
 * inside a word, digits between letters, symbols) or a passphrase whose words run together or
 * are joined by other separators is not wordy, and is left to the strength estimate.
 */
function isWordy(v: string): boolean {
  for (const w of v.split(WORD_SEPARATORS)) if (w.length > 0 && !isTypedWord(w)) return false;
  return true;
}


/**
 * Whether a value is empty or an obvious placeholder (see DEFAULT_PLACEHOLDERS for the rules).
 * `extra` entries compare like the defaults; an entry containing `*` is a case-insensitive glob
 * over the whole (trimmed, unquoted) value.
 */
export function isPlaceholder(value: string, extra?: readonly string[]): boolean {
  const fast = placeholderAscii(value, extra);
  return fast !== undefined ? fast : placeholderByStrings(value, extra);
}

/** isPlaceholder over strings (any value; placeholderAscii answers for ASCII values). */
function placeholderByStrings(value: string, extra?: readonly string[]): boolean {
  const v = unquoteValue(value);
  if (v.length === 0) return true;
  const lower = v.toLowerCase();
  const c = compact(lower);
  if (c.length === 0) return true; // only separators: '-', '...', '___'

  const n = lower.length;
  const f = lower.charCodeAt(0);
  const l = lower.charCodeAt(n - 1);
  if ((f === 60 && l === 62) || (n >= 4 && lower.startsWith('{{') && lower.endsWith('}}'))) return true;

  let same = true;
  for (let i = 1; i < n && same; i++) same = lower.charCodeAt(i) === f;
  if (same) return true; // 'x', '****', '0000', 'aaaaaaaa'

  if (PLACEHOLDER_SET.has(lower) || PLACEHOLDER_SET.has(c)) return true;
  const stemmed = trimDigits(c);
  if (stemmed.length >= 4 && stemmed !== c && PLACEHOLDER_SET.has(stemmed)) return true;

  if (hasMaskRun(v)) return true;
  if (isCountingSequence(c)) return true;
  if (v.startsWith('django-insecure-')) return true; // case-sensitive, as Django's W009
  // A long phrase (8+ words) is left to the strength estimate: a passphrase of dictionary words
  // may begin with 'sample' or 'change' by chance, and a long made-up phrase is weak anyway.
  if (/^[a-z]+(?:[-_. :,/][a-z]+){7,}$/.test(lower)) return false;
  // AWS-style sample keys: random characters then EXAMPLE(KEY), in capitals as AWS writes them
  // (a random token ends so about once in 4 trillion).
  if (v.endsWith('EXAMPLE') || v.endsWith('EXAMPLEKEY')) return true;
  // The shapes that match part of a value, only where the value reads as typed words (isWordy;
  // checked last, and only when a shape matched: most values match none).
  let partial = c.endsWith('example') || c.endsWith('examplekey') || (lower.endsWith('here') && /(^|[-_. ])here$/.test(lower));
  for (let i = 0; !partial && i < PLACEHOLDER_PREFIXES.length; i++) partial = c.startsWith(PLACEHOLDER_PREFIXES[i]!);
  for (let i = 0; !partial && i < PLACEHOLDER_WORD_PREFIXES.length; i++) partial = startsWithWord(lower, PLACEHOLDER_WORD_PREFIXES[i]!);
  if (!partial && c.startsWith('your')) for (const w of YOUR_SOMETHING) if (c.startsWith(w, 4)) partial = true;
  if (partial && isWordy(v)) return true;

  if (extra !== undefined) {
    for (const e of extra) {
      const el = unquoteValue(e).toLowerCase();
      if (el.length === 0) continue;
      if (el.includes('*')) {
        if (globToRegExp(el).test(lower)) return true;
      } else if (el === lower || compact(el) === c) return true;
    }
  }
  return false;
}

// isPlaceholder without allocation, for ASCII values (the usual case). Values are slices of the
// file's text, on which trim, toLowerCase and the regex replace of the string path allocate and are
// slow. One pass writes the trimmed, unquoted value lower-cased to LB and compacted (without
// - _ . space tab) to CB, and follows the counting-sequence and long-phrase shapes; the list is
// consulted through (length, first, last) of `lower`, `c` and trimDigits(c), and strings are
// made only when one of those could be in it, when a partial shape needs isWordy, or for the
// caller's extra placeholders. The equivalence tests compare it with the string path.

const shapeKey = (len: number, first: number, last: number): number => len * 65536 + first * 256 + last;
/** shapeKey of every entry of PLACEHOLDER_SET (all ASCII). */
const PLACEHOLDER_SHAPES: ReadonlySet<number> = new Set(
  [...PLACEHOLDER_SET].map((p) => shapeKey(p.length, p.charCodeAt(0), p.charCodeAt(p.length - 1))),
);
const PLACEHOLDER_SET_ASCII = [...PLACEHOLDER_SET].every(isAscii);
const PREFIX_CODES = PLACEHOLDER_PREFIXES.map(codesOf);
const WORD_PREFIX_CODES = PLACEHOLDER_WORD_PREFIXES.map(codesOf);
const YOUR_CODES = YOUR_SOMETHING.map(codesOf);
const C_YOUR = codesOf('your');
const C_EXAMPLE = codesOf('example');
const C_EXAMPLEKEY = codesOf('examplekey');
const C_HERE = codesOf('here');

/** Kinds of ASCII characters for placeholderAscii's pass: a compact() separator, a digit, a mask character (x X * #), x or X. */
const P_SEP = 1;
const P_DIGIT = 2;
const P_MASK = 4;
const P_X = 8;
const PKIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  PKIND[c] =
    (isCompactSep(c) ? P_SEP : 0) |
    (c >= 48 && c <= 57 ? P_DIGIT : 0) |
    (c === 120 || c === 88 || c === 42 || c === 35 ? P_MASK : 0) |
    (c === 120 || c === 88 ? P_X : 0);
}

function lowerCode(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** The characters compact() removes: - _ . space tab. */
function isCompactSep(c: number): boolean {
  return c === 45 || c === 95 || c === 46 || c === 32 || c === 9;
}

/** compact(lower(value[a, b))) has `needle` at compact offset `skip`. */
function compactStartsWith(C: Uint8Array, a: number, b: number, needle: Uint8Array, skip: number): boolean {
  let k = -skip;
  for (let i = a; i < b && k < needle.length; i++) {
    const c = C[i]!;
    if (isCompactSep(c)) continue;
    if (k >= 0 && lowerCode(c) !== needle[k]) return false;
    k++;
  }
  return k === needle.length;
}

/** compact(lower(value[a, b))) ends with `needle`. */
function compactEndsWith(C: Uint8Array, a: number, b: number, needle: Uint8Array): boolean {
  let k = needle.length - 1;
  for (let i = b - 1; i >= a && k >= 0; i--) {
    const c = C[i]!;
    if (isCompactSep(c)) continue;
    if (lowerCode(c) !== needle[k]) return false;
    k--;
  }
  return k < 0;
}

/** lower(value[a, b)) starts with `needle`. */
function lowerStartsWith(C: Uint8Array, a: number, b: number, needle: Uint8Array): boolean {
  const m = needle.length;
  if (b - a < m) return false;
  for (let k = 0; k < m; k++) if (lowerCode(C[a + k]!) !== needle[k]) return false;
  return true;
}

function lowerEndsWithHere(C: Uint8Array, a: number, b: number): boolean {
  return b - a >= 4 && lowerStartsWith(C, b - 4, b, C_HERE);
}

/** isCountingSequence(compact(lower(value[a, b)))) for a compacted length of 3 or more. */
function isCountingIn(C: Uint8Array, a: number, b: number): boolean {
  let first = -1;
  let p = -1;
  for (let i = a; i < b; i++) {
    const c0 = C[i]!;
    if (isCompactSep(c0)) continue;
    const c = lowerCode(c0);
    if (first < 0) {
      first = c;
      if (!(c >= 48 && c <= 57) && !(c >= 97 && c <= 122)) return false;
    } else if (first >= 48 && first <= 57) {
      if (c < 48 || c > 57) return false;
      if (c !== p + 1 && !(p === 57 && c === 48)) return false;
    } else if (c !== p + 1 || c > 122) return false;
    p = c;
  }
  return first >= 48 && first <= 57 ? first <= 49 : first === 97;
}

/** /^[a-z]+(?:[-_. :,/][a-z]+){7,}$/ on lower(value[a, b)). */
function isLongPhraseIn(C: Uint8Array, a: number, b: number): boolean {
  let seps = 0;
  let prevSep = true;
  for (let i = a; i < b; i++) {
    const c = lowerCode(C[i]!);
    if (c >= 97 && c <= 122) prevSep = false;
    else if (!prevSep && (c === 45 || c === 95 || c === 46 || c === 32 || c === 58 || c === 44 || c === 47)) {
      prevSep = true;
      seps++;
    } else return false;
  }
  return !prevSep && seps >= 7;
}

function isAsciiWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The codes C[at, end) start with `needle` (ASCII). */
function codesAt(C: Uint8Array, at: number, end: number, needle: string): boolean {
  const m = needle.length;
  if (at + m > end) return false;
  for (let k = 0; k < m; k++) if (C[at + k]! !== needle.charCodeAt(k)) return false;
  return true;
}

/** isPlaceholder(value, extra) when `value` is ASCII; undefined otherwise. */
function placeholderAscii(value: string, extra: readonly string[] | undefined): boolean | undefined {
  if (!PLACEHOLDER_SET_ASCII || !loadAscii(value)) return undefined;
  const C = asciiCodes();
  // unquoteValue: trim, one pair of matching quotes, trim.
  let a = 0;
  let b = value.length;
  while (a < b && isAsciiWs(C[a]!)) a++;
  while (b > a && isAsciiWs(C[b - 1]!)) b--;
  if (b - a >= 2) {
    const q = C[a]!;
    if ((q === 34 || q === 39 || q === 96) && C[b - 1] === q) {
      a++;
      b--;
      while (a < b && isAsciiWs(C[a]!)) a++;
      while (b > a && isAsciiWs(C[b - 1]!)) b--;
    }
  }
  const n = b - a;
  if (n === 0) return true;
  // One pass: ASCII only, the mask runs of hasMaskRun, one repeated character, and the compacted
  // value's length, first and last characters (also of its stem without trailing digits).
  const f = lowerCode(C[a]!);
  let same = true;
  for (let i = a + 1; i < b && same; i++) same = lowerCode(C[i]!) === f;
  let cn = 0;
  let stemLen = 0;
  let firstC = 0;
  let lastC = 0;
  let stemLast = 0;
  let run = 0;
  let mask = false;
  let prev = -1;
  for (let i = a; i < b; i++) {
    const c = C[i]!;
    const k = PKIND[c]!;
    if (!mask) {
      if (k & P_MASK) {
        run = c === prev ? run + 1 : 1;
        if (run >= (k & P_X ? 8 : 6) || (run >= 4 && (i === b - 1 || i - a + 1 === run))) mask = true;
      } else run = 0;
    }
    prev = c;
    if (k & P_SEP) continue;
    if (cn++ === 0) firstC = c;
    lastC = c;
    if (!(k & P_DIGIT)) {
      stemLen = cn;
      stemLast = c;
    }
  }
  firstC = lowerCode(firstC);
  lastC = lowerCode(lastC);
  stemLast = lowerCode(stemLast);
  if (cn === 0) return true; // only separators
  const l = lowerCode(C[b - 1]!);
  if ((f === 60 && l === 62) || (n >= 4 && f === 123 && C[a + 1]! === 123 && l === 125 && C[b - 2]! === 125)) return true;
  if (same) return true;
  // The list, through shapes first.
  if (PLACEHOLDER_SHAPES.has(shapeKey(n, f, l)) || PLACEHOLDER_SHAPES.has(shapeKey(cn, firstC, lastC)) || (stemLen >= 4 && stemLen !== cn && PLACEHOLDER_SHAPES.has(shapeKey(stemLen, firstC, stemLast)))) {
    const lower = value.slice(a, b).toLowerCase();
    const c = compact(lower);
    if (PLACEHOLDER_SET.has(lower) || PLACEHOLDER_SET.has(c)) return true;
    const stemmed = trimDigits(c);
    if (stemmed.length >= 4 && stemmed !== c && PLACEHOLDER_SET.has(stemmed)) return true;
  }
  if (mask && maskRunCounts(value.slice(a, b))) return true;
  if (cn >= 3 && isCountingIn(C, a, b)) return true;
  if (codesAt(C, a, b, 'django-insecure-')) return true;
  if (isLongPhraseIn(C, a, b)) return false;
  if ((n >= 7 && codesAt(C, b - 7, b, 'EXAMPLE')) || (n >= 10 && codesAt(C, b - 10, b, 'EXAMPLEKEY'))) return true;
  let partial = compactEndsWith(C, a, b, C_EXAMPLE) || compactEndsWith(C, a, b, C_EXAMPLEKEY);
  if (!partial && n >= 4 && lowerEndsWithHere(C, a, b)) {
    const d = n === 4 ? -1 : C[b - 5]!;
    partial = d === -1 || d === 45 || d === 95 || d === 46 || d === 32;
  }
  // (A prefix can match only where its first character is the value's: most values skip the lists.)
  for (let i = 0; !partial && i < PREFIX_CODES.length; i++) partial = PREFIX_CODES[i]![0] === firstC && compactStartsWith(C, a, b, PREFIX_CODES[i]!, 0);
  for (let i = 0; !partial && i < WORD_PREFIX_CODES.length; i++) {
    const w = WORD_PREFIX_CODES[i]!;
    if (w[0] !== f || !lowerStartsWith(C, a, b, w)) continue;
    const c = w.length < n ? lowerCode(C[a + w.length]!) : -1;
    partial = c < 0 || !((c >= 97 && c <= 122) || (c >= 48 && c <= 57));
  }
  if (!partial && firstC === C_YOUR[0] && compactStartsWith(C, a, b, C_YOUR, 0)) for (const w of YOUR_CODES) if (compactStartsWith(C, a, b, w, 4)) partial = true;
  if (partial && isWordy(value.slice(a, b))) return true;
  if (extra !== undefined && extra.length > 0) {
    const lower = value.slice(a, b).toLowerCase();
    const c = compact(lower);
    for (const e of extra) {
      const el = unquoteValue(e).toLowerCase();
      if (el.length === 0) continue;
      if (el.includes('*')) {
        if (globToRegExp(el).test(lower)) return true;
      } else if (el === lower || compact(el) === c) return true;
    }
  }
  return false;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

// ---------------------------------------------------------------------------------------------
// Non-secret values

const BOOLEANS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'enabled', 'disabled']);
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i;
const NUMBER_RE = /^[+-]?(?:\d{1,15}(?:\.\d+)?|\.\d+)(?:e[+-]?\d{1,3})?$/i;
const IPV4_RE = /^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/;
const LOCALHOST_RE = /^localhost(?::\d{1,5})?$/i;
const DURATION_RE = /^\d{1,9}(?:\.\d{1,6})?(?:ms|s|m|h|d|w|y|kb|mb|gb)$/i;

/**
 * Whether a value (trimmed, unquoted) is plainly configuration rather than a secret: a URL
 * (scheme://…, even one with embedded credentials: that case is out of scope here), a boolean
 * (true/false/yes/no/on/off/enabled/disabled), a number of at most 15 integer digits, an IPv4
 * address (with optional :port), localhost[:port], or a duration/size such as 30s, 15m, 10mb.
 * Empty values are not "non-secret values" (see isPlaceholder).
 */
export function looksLikeNonSecretValue(value: string): boolean {
  const v = unquoteValue(value);
  if (v.length === 0) return false;
  if (BOOLEANS.has(v.toLowerCase())) return true;
  return NUMBER_RE.test(v) || URL_RE.test(v) || IPV4_RE.test(v) || LOCALHOST_RE.test(v) || DURATION_RE.test(v);
}

// ---------------------------------------------------------------------------------------------
// Format inference

const ASYMMETRIC_WORDS: readonly string[] = ['RSA', 'EC', 'ECDSA', 'ED25519', 'SSH', 'GPG', 'PGP', 'TLS', 'SSL', 'X509'];

// Word features for pasteKind and inferFormat, gathered in one pass over the key's words instead of
// a scan per question. W_* bits: the word is the target or the target plus digits (wordIs); C_*
// bits: the word contains the target (hasWordContaining); P_* bits: two consecutive words (hasPair).
const W_KEY = 1 << 0;
const W_PEM = 1 << 1;
const W_ASYM = 1 << 2;
const W_DSN = 1 << 3;
const W_CONNSTR = 1 << 4;
const W_HEX = 1 << 5;
const W_B64URL = 1 << 6;
const W_B64 = 1 << 7;
const W_UUID = 1 << 8;
const W_DJANGO = 1 << 9;
const W_PWD = 1 << 10; // PWD, PW, PASS
const W_SALT = 1 << 11;
const W_PEPPER = 1 << 12;
const W_PRIVATE = 1 << 13;
const W_CONNECTION = 1 << 14;
const W_STRING = 1 << 15;
const W_API = 1 << 16;
const C_PRIVATEKEY = 1 << 17;
const C_PRIVATE = 1 << 18;
const C_WEBHOOK = 1 << 19;
const C_SECRET = 1 << 20;
const C_FERNET = 1 << 21;
const C_HS512 = 1 << 22;
const C_HS384 = 1 << 23;
const C_HS256 = 1 << 24;
const C_JWT = 1 << 25;
const C_PASSPHRASE = 1 << 26;
const C_PASSWORD = 1 << 27;
const C_PASSWD = 1 << 28;
const C_APIKEY = 1 << 29;
const P_PRIVATE_KEY = 1;
const P_CONNECTION_STRING = 2;
const P_API_KEY = 4;

const WORD_BITS: ReadonlyMap<string, number> = new Map<string, number>([
  ['KEY', W_KEY], ['PEM', W_PEM], ['DSN', W_DSN], ['CONNSTR', W_CONNSTR], ['HEX', W_HEX], ['BASE64URL', W_B64URL], ['B64URL', W_B64URL],
  ['BASE64', W_B64], ['B64', W_B64], ['UUID', W_UUID], ['GUID', W_UUID], ['DJANGO', W_DJANGO], ['PWD', W_PWD], ['PW', W_PWD], ['PASS', W_PWD],
  ['SALT', W_SALT], ['PEPPER', W_PEPPER], ['PRIVATE', W_PRIVATE], ['CONNECTION', W_CONNECTION], ['STRING', W_STRING], ['API', W_API],
  ...ASYMMETRIC_WORDS.map((w) => [w, W_ASYM] as [string, number]),
]);
const CONTAINS_BITS: readonly (readonly [string, number])[] = [
  ['PRIVATEKEY', C_PRIVATEKEY], ['PRIVATE', C_PRIVATE], ['WEBHOOK', C_WEBHOOK], ['SECRET', C_SECRET], ['FERNET', C_FERNET], ['HS512', C_HS512],
  ['HS384', C_HS384], ['HS256', C_HS256], ['JWT', C_JWT], ['PASSPHRASE', C_PASSPHRASE], ['PASSWORD', C_PASSWORD], ['PASSWD', C_PASSWD], ['APIKEY', C_APIKEY],
];

/** Pair bits (P_*) of the last wordFeatures() call. */
let featurePairs = 0;

/** The W_* and C_* bits of any word of `words`; the P_* bits go to featurePairs. */
function wordFeatures(words: readonly string[]): number {
  let any = 0;
  let pairs = 0;
  let prev = 0;
  for (const w of words) {
    let m = WORD_BITS.get(w) ?? 0;
    const st = stem(w);
    if (st !== w) m |= WORD_BITS.get(st) ?? 0;
    if (w.length >= 3) for (const [needle, bit] of CONTAINS_BITS) if (w.includes(needle)) m |= bit;
    if (prev & W_PRIVATE && m & W_KEY) pairs |= P_PRIVATE_KEY;
    if (prev & W_CONNECTION && m & W_STRING) pairs |= P_CONNECTION_STRING;
    if (prev & W_API && m & W_KEY) pairs |= P_API_KEY;
    any |= m;
    prev = m;
  }
  featurePairs = pairs;
  return any;
}

/** Names of asymmetric private keys (PEM/OpenSSH blocks), which no Keysmith format produces. */
function isAsymmetric(f: number, pairs: number): boolean {
  if (pairs & P_PRIVATE_KEY || f & (C_PRIVATEKEY | W_PEM)) return true;
  if (!(f & (W_KEY | C_PRIVATE))) return false;
  return (f & W_ASYM) !== 0;
}

/**
 * What a secret-named key holds when Keysmith cannot generate it, for `<paste: …>` placeholders:
 * a PEM private key, a DSN, a webhook URL or a connection string; null for generatable secrets.
 */
export function pasteKind(key: string): string | null {
  const f = wordFeatures(wordsOf(key));
  return pasteKindOf(f, featurePairs);
}

function pasteKindOf(f: number, pairs: number): string | null {
  if (isAsymmetric(f, pairs)) return 'PEM private key';
  if (f & W_DSN) return 'DSN';
  if (f & C_WEBHOOK) return 'webhook URL';
  if (pairs & P_CONNECTION_STRING || f & W_CONNSTR) return 'connection string';
  return null;
}

/**
 * The generator format for a key, or null when the key is not a secret (never touch it).
 *
 * Order: user rules (first match wins, secret or not); then null for non-secret names
 * (isSecretName with ctx.secretPatterns); then null for asymmetric key material Keysmith cannot
 * generate (PRIVATE_KEY, *_PEM, SSH/RSA/EC/ED25519/GPG/PGP/TLS/SSL/X509 … KEY: such a value is a
 * PEM/OpenSSH block, and an HMAC-style secret there would break the app; isSecretName() is still
 * true for them), and likewise for DSNs, webhooks and connection strings (pasteKind; but a
 * WEBHOOK_SECRET is a shared secret and is generated); then the built-ins, first match wins:
 *  1. explicit encoding word: HEX → hex, BASE64URL/B64URL → base64url, BASE64/B64 → base64,
 *     UUID/GUID → uuid (e.g. JWT_SECRET_HEX is hex);
 *  2. FERNET → fernet;
 *  3. HS512 → jwt-hs512, HS384 → jwt-hs384, HS256 or JWT → jwt-hs256;
 *  4. DJANGO together with SECRET → django; exactly SECRET_KEY when ctx.isDjangoProject → django;
 *  5. PASSPHRASE → passphrase; PASSWORD/PASSWD anywhere or the word PWD/PW/PASS → password;
 *  6. APIKEY or API_KEY → api-key;
 *  7. SALT or PEPPER → base64url;
 *  8. otherwise ctx.defaultFormat.
 */
export function inferFormat(key: string, ctx: InferFormatContext): FormatId | null {
  const extra = ctx.secretPatterns;
  if ((ctx.rules === undefined || ctx.rules.length === 0) && (extra === undefined || extra.length === 0) && SCANNED_DEFAULT.ok && scanKey(key)) {
    if (nw === 0 || !isDefaultSecretScanned()) return null;
    const f = scannedFeatures();
    const djangoKey = nw === 2 && WID[0] === ID_SECRET && WID[1] === ID_KEY;
    const saltOrPepper = SID[nw - 1] === ID_SALT || SID[nw - 1] === ID_PEPPER;
    return formatOf(f, featurePairs, djangoKey, saltOrPepper, ctx);
  }
  const words = wordsOf(key);
  if (words.length === 0) return null;
  if (ctx.rules !== undefined) {
    for (const rule of ctx.rules) {
      const c = compilePattern(rule.pattern);
      if (c !== null && matchCompiled(key, words, c)) return rule.format;
    }
  }
  if (!(extra !== undefined && extra.length > 0 && matchesAny(key, words, extra)) && !isDefaultSecretName(key, words)) return null;

  const f = wordFeatures(words);
  const djangoKey = words.length === 2 && words[0] === 'SECRET' && words[1] === 'KEY';
  // A salt or pepper is named by its last word: PASSWORD_SALT is a salt, not a password.
  const last = words[words.length - 1]!.replace(/\d+$/, '');
  return formatOf(f, featurePairs, djangoKey, last === 'SALT' || last === 'PEPPER', ctx);
}

/** The built-in steps of inferFormat for a secret name with word features `f` and `pairs`. */
function formatOf(f: number, pairs: number, djangoKey: boolean, saltOrPepper: boolean, ctx: InferFormatContext): FormatId | null {
  if (isAsymmetric(f, pairs)) return null;
  if (pasteKindOf(f, pairs) !== null && !(f & C_SECRET)) return null;
  if (f & W_HEX) return 'hex';
  if (f & W_B64URL) return 'base64url';
  if (f & W_B64) return 'base64';
  if (f & W_UUID) return 'uuid';
  if (f & C_FERNET) return 'fernet';
  if (f & C_HS512) return 'jwt-hs512';
  if (f & C_HS384) return 'jwt-hs384';
  if (f & (C_HS256 | C_JWT)) return 'jwt-hs256';
  if (f & W_DJANGO && f & C_SECRET) return 'django';
  if (ctx.isDjangoProject === true && djangoKey) return 'django';
  if (saltOrPepper) return 'base64url';
  if (f & C_PASSPHRASE) return 'passphrase';
  if (f & (C_PASSWORD | C_PASSWD | W_PWD)) return 'password';
  if (f & C_APIKEY || pairs & P_API_KEY) return 'api-key';
  if (f & (W_SALT | W_PEPPER)) return 'base64url';
  return ctx.defaultFormat;
}

/** wordFeatures() of the scanned key (pairs to featurePairs). */
function scannedFeatures(): number {
  let any = 0;
  let pairs = 0;
  let prev = 0;
  for (let i = 0; i < nw; i++) {
    const a = WID[i]!;
    const b = SID[i]!;
    let m = a >= 0 ? TABLE_WBITS[a]! : 0;
    if (WT[i] !== WE[i] && b >= 0) m |= TABLE_WBITS[b]!;
    if (WE[i]! - WS[i]! >= 3) for (let k = 0; k < CONTAINS_CODES.length; k++) if (kuIncludes(CONTAINS_CODES[k]!, WS[i]!, WE[i]!)) m |= CONTAINS_BITS[k]![1];
    if (prev & W_PRIVATE && m & W_KEY) pairs |= P_PRIVATE_KEY;
    if (prev & W_CONNECTION && m & W_STRING) pairs |= P_CONNECTION_STRING;
    if (prev & W_API && m & W_KEY) pairs |= P_API_KEY;
    any |= m;
    prev = m;
  }
  featurePairs = pairs;
  return any;
}

const CONTAINS_CODES: readonly Uint8Array[] = CONTAINS_BITS.map(([needle]) => codesOf(needle));
for (const [w, bits] of WORD_BITS) TABLE_WBITS[tableWord(w)] = bits;
const ID_SECRET = tableWord('SECRET');
const ID_KEY = tableWord('KEY');
const ID_SALT = tableWord('SALT');
const ID_PEPPER = tableWord('PEPPER');
// Every table word is known now: fill the hash slots.
TABLE_WORDS.forEach((w, id) => {
  const codes = codesOf(w);
  let slot = hashChars(codes, 0, codes.length);
  while (SLOT_ID[slot]! >= 0) slot = (slot + 1) & (SLOTS - 1);
  SLOT_ID[slot] = id;
});
