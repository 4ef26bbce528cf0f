// Frozen copy of src/core/ (before the issue #12 speed work): the reference that
// verdicts-equivalence.test.ts compares the optimised code with. Do not edit. Refreshed once with
// the leak rules of issue #11 (URL passwords, the chance margin, guessable phrases, placeholder
// shapes that need typed words), which changed verdicts on purpose; the speed work's code must
// still agree with it.

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

import type { FormatId } from '../../../src/core/formats.ts';
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
  const words = splitKeyName(key);
  if (words.length === 0) return false;
  if (extraPatterns !== undefined && extraPatterns.length > 0 && matchesAny(key, words, extraPatterns)) return true;
  return isDefaultSecretName(key, words);
}

function isDefaultSecretName(key: string, words: readonly string[]): boolean {
  if (NON_SECRET_NAMES.has(words.join('_'))) return false;
  for (const w of words) if (PUBLIC_SET.has(w) || PUBLIC_SET.has(stem(w))) return false;
  const last = words[words.length - 1]!;
  if (SUFFIX_SET.has(last) || SUFFIX_SET.has(stem(last))) return false;
  if (words.length >= 2 && (wordIs(last, 'KEY') || wordIs(last, 'KEYS')) && KEY_QUALIFIER_SET.has(words[words.length - 2]!)) return false;
  return matchesAny(key, words, DEFAULT_SECRET_NAME_PATTERNS);
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
  const n = s.length;
  let found = false;
  for (let i = 0; i < n && !found; i++) {
    const c = s.charCodeAt(i);
    const x = c === 120 || c === 88;
    const mask = x || c === 42 || c === 0x2022 || c === 35;
    run = mask && i > 0 && c === s.charCodeAt(i - 1) ? run + 1 : mask ? 1 : 0;
    if (run === 0) continue;
    if (run >= (x ? 8 : 6)) found = true;
    else if (run >= 4 && (i === n - 1 || i + 1 === run)) found = true;
  }
  if (!found) return false;
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
  if (isWordy(v)) {
    for (const p of PLACEHOLDER_PREFIXES) if (c.startsWith(p)) return true;
    for (const p of PLACEHOLDER_WORD_PREFIXES) if (startsWithWord(lower, p)) return true;
    if (c.startsWith('your')) for (const w of YOUR_SOMETHING) if (c.startsWith(w, 4)) return true;
    if (/(^|[-_. ])here$/.test(lower)) return true;
  }
  // AWS-style sample keys: random characters then EXAMPLE(KEY), in capitals as AWS writes them
  // (a random token ends so about once in 4 trillion); in lower case only where the value reads as
  // words, since `example` is a word of passphrases.
  if (v.endsWith('EXAMPLE') || v.endsWith('EXAMPLEKEY') || (isWordy(v) && (c.endsWith('example') || c.endsWith('examplekey')))) return true;

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

function hasWord(words: readonly string[], target: string): boolean {
  for (const w of words) if (wordIs(w, target)) return true;
  return false;
}

function hasWordContaining(words: readonly string[], fragment: string): boolean {
  for (const w of words) if (w.includes(fragment)) return true;
  return false;
}

function hasPair(words: readonly string[], a: string, b: string): boolean {
  for (let i = 0; i + 1 < words.length; i++) if (wordIs(words[i]!, a) && wordIs(words[i + 1]!, b)) return true;
  return false;
}

const ASYMMETRIC_WORDS: readonly string[] = ['RSA', 'EC', 'ECDSA', 'ED25519', 'SSH', 'GPG', 'PGP', 'TLS', 'SSL', 'X509'];

/** Names of asymmetric private keys (PEM/OpenSSH blocks), which no Keysmith format produces. */
function isAsymmetricKeyName(words: readonly string[]): boolean {
  if (hasPair(words, 'PRIVATE', 'KEY') || hasWordContaining(words, 'PRIVATEKEY') || hasWord(words, 'PEM')) return true;
  if (!hasWord(words, 'KEY') && !hasWordContaining(words, 'PRIVATE')) return false;
  for (const w of ASYMMETRIC_WORDS) if (hasWord(words, w)) return true;
  return false;
}

/**
 * What a secret-named key holds when Keysmith cannot generate it, for `<paste: …>` placeholders:
 * a PEM private key, a DSN, a webhook URL or a connection string; null for generatable secrets.
 */
export function pasteKind(key: string): string | null {
  const words = splitKeyName(key);
  if (isAsymmetricKeyName(words)) return 'PEM private key';
  if (hasWord(words, 'DSN')) return 'DSN';
  if (hasWordContaining(words, 'WEBHOOK')) return 'webhook URL';
  if (hasPair(words, 'CONNECTION', 'STRING') || hasWord(words, 'CONNSTR')) return 'connection string';
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
  const words = splitKeyName(key);
  if (words.length === 0) return null;
  if (ctx.rules !== undefined) {
    for (const rule of ctx.rules) {
      const c = compilePattern(rule.pattern);
      if (c !== null && matchCompiled(key, words, c)) return rule.format;
    }
  }
  const extra = ctx.secretPatterns;
  if (!(extra !== undefined && extra.length > 0 && matchesAny(key, words, extra)) && !isDefaultSecretName(key, words)) return null;

  if (isAsymmetricKeyName(words)) return null;
  if (pasteKind(key) !== null && !hasWordContaining(words, 'SECRET')) return null;
  if (hasWord(words, 'HEX')) return 'hex';
  if (hasWord(words, 'BASE64URL') || hasWord(words, 'B64URL')) return 'base64url';
  if (hasWord(words, 'BASE64') || hasWord(words, 'B64')) return 'base64';
  if (hasWord(words, 'UUID') || hasWord(words, 'GUID')) return 'uuid';
  if (hasWordContaining(words, 'FERNET')) return 'fernet';
  if (hasWordContaining(words, 'HS512')) return 'jwt-hs512';
  if (hasWordContaining(words, 'HS384')) return 'jwt-hs384';
  if (hasWordContaining(words, 'HS256') || hasWordContaining(words, 'JWT')) return 'jwt-hs256';
  if (hasWord(words, 'DJANGO') && hasWordContaining(words, 'SECRET')) return 'django';
  if (ctx.isDjangoProject === true && words.length === 2 && words[0] === 'SECRET' && words[1] === 'KEY') return 'django';
  // A salt or pepper is named by its last word: PASSWORD_SALT is a salt, not a password.
  const last = words[words.length - 1]!.replace(/\d+$/, '');
  if (last === 'SALT' || last === 'PEPPER') return 'base64url';
  if (hasWordContaining(words, 'PASSPHRASE')) return 'passphrase';
  if (hasWordContaining(words, 'PASSWORD') || hasWordContaining(words, 'PASSWD') || hasWord(words, 'PWD') || hasWord(words, 'PW') || hasWord(words, 'PASS')) {
    return 'password';
  }
  if (hasWordContaining(words, 'APIKEY') || hasPair(words, 'API', 'KEY')) return 'api-key';
  if (hasWord(words, 'SALT') || hasWord(words, 'PEPPER')) return 'base64url';
  return ctx.defaultFormat;
}
