/**
 * Example values: what a key of `.env` gets in `.env.example`, and the "taint" that keeps text
 * copied from `.env` (comments, kept values) from repeating anything the example hides.
 *
 * Fake values never take characters from the real value: they are fixed text chosen by the key's
 * name and the value's *shape* (a URL keeps its scheme, port and plain path words; a long number
 * keeps its length). Values are copied only when they are plainly configuration (booleans, small
 * numbers, short enum-like words, loopback addresses) and the key is not secret-named.
 *
 * | key / value                                    | example value                                   |
 * | ---------------------------------------------- | ----------------------------------------------- |
 * | a user rule matches the key                    | the rule's value (`<generate>`, `<keep>`, text) |
 * | secret-named key (isSecretName), any value     | `"<generate: FORMAT>"` (FORMAT from inferFormat) |
 * | secret-named PEM/SSH private key               | `"<paste: PEM private key>"`                    |
 * | empty or whitespace-only value                 | empty                                           |
 * | `scheme://user:pass@host:port/db?k=v#f`        | `scheme://user:password@localhost:port/app?k=v` |
 * | `http(s)/ws(s)/ftp(s)://host/path`             | `https://example.com/path-words-or-xxxx`        |
 * | e-mail address                                 | `user@example.com`                              |
 * | true/false/yes/no/on/off/enabled/disabled      | kept                                            |
 * | number up to 7 integer digits, version, 30s    | kept                                            |
 * | longer integer (an id)                         | `1234567890…` of the same length                |
 * | enum-like word, at most 16 characters: letters, up to 3 digits per part, parts joined by `-`/`_` | kept |
 * | (`info`, `production`, `us-east-1`, `http2`, `WARN`; not `k3x9qz7w`, `deadbeef1234`, `MixedCase`)  |      |
 * | localhost, 127.x.x.x, 0.0.0.0, ::1 (+ :port)   | kept                                            |
 * | other IPv4 address (+ :port)                   | `127.0.0.1` (+ :port)                           |
 * | anything else: free text, paths, host names, ids, JSON, multi-line | `"<KEY_NAME>"`              |
 *
 * Rule tokens: `<generate>` (the secret placeholder), `<keep>` (copy the value, never for a
 * secret-named key). Placeholders are double-quoted so that dotenv and `source .env` both read them.
 *
 * The taint (what copied text must not repeat): values of secret-named keys (except booleans and
 * numbers under 8 characters), URL passwords, user names (not postgres/root/admin/…), hosts (not
 * localhost/127.x/::1/0.0.0.0), path segments and query values, e-mail addresses and their local
 * parts. Tokens of 8+ characters count by every 8-character window; shorter ones (6-7 characters;
 * e-mail local parts from 4) count whole.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { KeysmithError } from '../errors.ts';
import { appendEntryEdits, parseEnv, quoteEnvValue } from '../envdoc.ts';
import { isWs } from '../envdoc/chars.ts';
import type { FormatId } from '../formats.ts';
import { inferFormat, isSecretName, matchesKeyPattern } from '../secrets.ts';

/** A user rule: keys matching `pattern` (syntax of matchesKeyPattern) get `value` in the example. */
export interface ExampleRule {
  pattern: string;
  /**
   * The example value. Two tokens are special: `<generate>` writes the secret placeholder
   * (`<generate: FORMAT>`), `<keep>` copies the `.env` value (never for a secret-named key, and
   * never when it repeats a hidden value). Anything else is written literally.
   */
  value: string;
}

export const GENERATE_TOKEN = '<generate>';
export const KEEP_TOKEN = '<keep>';

export interface ExampleValueOptions {
  /** User rules, tried in order before the built-ins; the first match wins. */
  rules?: readonly ExampleRule[];
  /** Extra secret-name patterns (as for isSecretName). */
  secretPatterns?: readonly string[];
  /** Format named in `<generate: …>` for secret keys no built-in recognises (default base64url). */
  defaultFormat?: FormatId;
  /** The project is a Django project: a bare SECRET_KEY says `<generate: django>`. */
  isDjangoProject?: boolean;
}

export type ExampleValueKind =
  /** A user rule's literal value. */
  | 'rule'
  /** `<generate: FORMAT>` / `<paste: …>` for a secret. */
  | 'generate'
  | 'empty'
  /** The `.env` value, copied (plain configuration, or a `<keep>` rule). */
  | 'keep'
  | 'url'
  | 'email'
  | 'address'
  | 'number'
  /** `<KEY_NAME>`. */
  | 'placeholder';

export interface ExampleValue {
  /** The value dotenv reads from the example. */
  value: string;
  /** How it is written after `=` (quoted when needed). */
  raw: string;
  kind: ExampleValueKind;
}

// ---------------------------------------------------------------------------------------------
// Taint: what text copied from .env must not repeat

const WINDOW = 8;
const B1 = 0x01000193;
const B2 = 0x5bd1e995;

/** `base^(n-1)` modulo 2^32. */
function topPower(base: number, n: number): number {
  let p = 1;
  for (let i = 1; i < n; i++) p = Math.imul(p, base);
  return p;
}

/**
 * A set of strings of one length, stored as two 32-bit polynomial hashes (open addressing over
 * typed arrays) and searched with rolling hashes: linear in the text, no substrings allocated.
 * Two different strings share both hashes about once in 2^64: then an innocent comment is left
 * out, never the other way round.
 */
class HashedStrings {
  readonly length: number;
  private readonly top1: number;
  private readonly top2: number;
  private h1 = new Int32Array(64);
  private h2 = new Int32Array(64);
  private used = new Uint8Array(64);
  private size = 0;

  constructor(length: number) {
    this.length = length;
    this.top1 = topPower(B1, length);
    this.top2 = topPower(B2, length);
  }

  private insert(a: number, b: number): void {
    const mask = this.used.length - 1;
    let slot = (a ^ (b >>> 7)) & mask;
    while (this.used[slot] === 1) {
      if (this.h1[slot] === a && this.h2[slot] === b) return;
      slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.h1[slot] = a;
    this.h2[slot] = b;
    this.size++;
  }

  private has(a: number, b: number): boolean {
    const mask = this.used.length - 1;
    let slot = (a ^ (b >>> 7)) & mask;
    while (this.used[slot] === 1) {
      if (this.h1[slot] === a && this.h2[slot] === b) return true;
      slot = (slot + 1) & mask;
    }
    return false;
  }

  private grow(): void {
    const { h1, h2, used } = this;
    this.h1 = new Int32Array(used.length * 2);
    this.h2 = new Int32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.insert(h1[i]!, h2[i]!);
  }

  /**
   * Calls `visit(start)` for every window of `text` of this length (those of only whitespace are
   * skipped when `skipBlank`), with the window's hashes; stops when it returns true.
   */
  private scan(text: string, skipBlank: boolean, visit: (start: number, a: number, b: number) => boolean): void {
    const n = this.length;
    let a = 0;
    let b = 0;
    let solid = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (i >= n) {
        const out = text.charCodeAt(i - n);
        a = (a - Math.imul(out, this.top1)) | 0;
        b = (b - Math.imul(out, this.top2)) | 0;
        if (!isWs(out)) solid--;
      }
      a = (Math.imul(a, B1) + c) | 0;
      b = (Math.imul(b, B2) + c) | 0;
      if (!isWs(c)) solid++;
      if (i >= n - 1 && (solid > 0 || !skipBlank) && visit(i - n + 1, a, b)) return;
    }
  }

  /** Adds every window of `token` of this length that is not only whitespace. */
  addWindows(token: string): void {
    this.scan(token, true, (_start, a, b) => {
      if ((this.size + 1) * 2 > this.used.length) this.grow();
      this.insert(a, b);
      return false;
    });
  }

  /** Starts of the windows of `text` in the set; with `first`, at most one. */
  find(text: string, first: boolean): number[] {
    const out: number[] = [];
    if (this.size === 0) return out;
    this.scan(text, false, (start, a, b) => {
      if (!this.has(a, b)) return false;
      out.push(start);
      return first;
    });
    return out;
  }
}

/**
 * Tokens that must not appear in text copied from `.env`. A token of 8+ characters taints every
 * 8-character window of it (windows of only whitespace excepted); a shorter one (from `minShort`
 * characters) taints its whole text.
 */
export class Taint {
  private readonly byLength = new Map<number, HashedStrings>();

  add(token: string, minShort = 6): void {
    const n = token.length;
    if (n < minShort || (n < WINDOW && ALL_SPACE.test(token))) return;
    const len = Math.min(n, WINDOW);
    let set = this.byLength.get(len);
    if (set === undefined) this.byLength.set(len, (set = new HashedStrings(len)));
    set.addWindows(token);
  }

  /** Where `text` repeats a token: `[start, end)` ranges (overlapping, unordered). */
  find(text: string): [number, number][] {
    const out: [number, number][] = [];
    for (const [len, set] of this.byLength) for (const start of set.find(text, false)) out.push([start, start + len]);
    return out;
  }

  /** Whether `text` contains a window of a token of 8+ characters, or a whole shorter token. */
  hits(text: string): boolean {
    for (const set of this.byLength.values()) if (set.find(text, true).length > 0) return true;
    return false;
  }
}

const ALL_SPACE = /^\s*$/;

/** User names that say nothing about a deployment: not treated as sensitive URL parts. */
const DEFAULT_USERS: ReadonlySet<string> = new Set([
  'postgres', 'root', 'admin', 'user', 'guest', 'default', 'sa', 'mysql', 'redis', 'mongo', 'rabbitmq', 'elastic', 'app',
]);

/** Adds what a `.env` value hides to the taint: the value of a secret-named key, URL credentials and hosts, e-mail addresses. */
export function taintValue(taint: Taint, key: string, value: string, options: ExampleValueOptions): void {
  // A short boolean or number is not a secret, even under a secret name (BASIC_AUTH=false).
  const plain = value.length < WINDOW && (BOOLEANS.has(value.toLowerCase()) || SMALL_NUMBER.test(value));
  if (!plain && isSecretName(key, options.secretPatterns)) taint.add(value, 6);
  const url = splitUrl(value);
  if (url !== null) {
    if (url.userinfo !== null) {
      const colon = url.userinfo.indexOf(':');
      const user = colon < 0 ? url.userinfo : url.userinfo.slice(0, colon);
      if (!DEFAULT_USERS.has(user.toLowerCase())) taint.add(user, 6);
      if (colon >= 0) taint.add(url.userinfo.slice(colon + 1), 6);
    }
    for (const h of url.hosts) if (!isLoopbackHost(h.host)) taint.add(h.host, 6);
    for (const seg of url.path.split('/')) if (!isSafeWord(seg) && !/^\d{1,4}$/.test(seg)) taint.add(seg, 8);
    if (url.query !== null) for (const pair of url.query.split('&')) taint.add(pair.slice(pair.indexOf('=') + 1), 8);
  }
  if (EMAIL.test(value)) {
    taint.add(value, 6);
    taint.add(value.slice(0, value.lastIndexOf('@')), 4);
  }
}

// ---------------------------------------------------------------------------------------------
// Value shapes

const BOOLEANS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'enabled', 'disabled']);
/** Numbers small enough to be configuration (ports, sizes, counts, timeouts, ratios). */
const SMALL_NUMBER = /^[+-]?\d{1,7}(?:\.\d{1,6})?$/;
const LONG_INTEGER = /^\d{8,}$/;
const DURATION = /^\d{1,6}(?:\.\d{1,3})?(?:ms|s|m|h|d|w|y|k|kb|mb|gb|tb)$/i;
const VERSION = /^v?\d{1,4}(?:\.\d{1,4}){1,2}$/;
/** Enum-like words: `info`, `development`, `us-east-1`, `http2`, `WARN`; not random tokens like `k3x9q`. */
const WORD_LOWER = /^[a-z]+[0-9]{0,3}(?:[-_](?:[a-z]+[0-9]{0,3}|[0-9]{1,3}))*$/;
const WORD_UPPER = /^[A-Z]+[0-9]{0,3}(?:[-_](?:[A-Z]+[0-9]{0,3}|[0-9]{1,3}))*$/;
const MAX_WORD = 16;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(:\d{1,5})?$/;
const LOCALHOST = /^(?:localhost|\[::1\]|::1)(?::\d{1,5})?$/i;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

function isSafeWord(s: string): boolean {
  return s.length > 0 && s.length <= MAX_WORD && (WORD_LOWER.test(s) || WORD_UPPER.test(s));
}

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || h === '0.0.0.0' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

interface UrlParts {
  scheme: string;
  userinfo: string | null;
  hosts: { host: string; port: string | null }[];
  path: string;
  query: string | null;
}

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]*)([^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/;

function splitUrl(value: string): UrlParts | null {
  const m = URL_SHAPE.exec(value);
  if (m === null) return null;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? null : authority.slice(0, at);
  const hostlist = at < 0 ? authority : authority.slice(at + 1);
  const hosts: UrlParts['hosts'] = [];
  for (const h of hostlist.split(',')) {
    const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(h);
    if (pm === null) return null;
    hosts.push({ host: pm[1]!, port: pm[2] ?? null });
  }
  return { scheme: m[1]!, userinfo, hosts, path: m[3]!, query: m[4] ?? null };
}

const WEB_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'ftps']);

/** The fake URL: scheme and port kept, fake credentials, localhost / example.com, generic path. */
function fakeUrl(u: UrlParts): string {
  const web = WEB_SCHEMES.has(u.scheme.toLowerCase());
  let out = u.scheme + '://';
  if (u.userinfo !== null) out += u.userinfo.includes(':') ? 'user:password@' : 'user@';
  const first = u.hosts[0]!;
  if (first.host !== '' || u.hosts.length > 1) {
    out += isLoopbackHost(first.host) ? first.host : web ? 'example.com' : 'localhost';
    if (first.port !== null) out += ':' + first.port;
  }
  if (u.path !== '' && u.path !== '/') {
    if (web) {
      out += u.path
        .split('/')
        .map((seg) => (seg === '' || isSafeWord(seg) || /^\d{1,4}$/.test(seg) ? seg : 'xxxx'))
        .join('/');
    } else {
      // The database name / index: a small number (Redis) stays, anything else is "app".
      out += /^\/\d{1,2}\/?$/.test(u.path) ? u.path : '/app';
    }
  } else out += u.path;
  if (u.query !== null) {
    const pairs: string[] = [];
    for (const pair of u.query.split('&')) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (!/^[A-Za-z0-9_.-]{1,32}$/.test(name)) continue;
      if (eq < 0) {
        pairs.push(name);
        continue;
      }
      const v = pair.slice(eq + 1);
      const keep = v === '' || isSafeWord(v) || SMALL_NUMBER.test(v) || BOOLEANS.has(v.toLowerCase());
      pairs.push(name + '=' + (keep ? v : 'xxxx'));
    }
    if (pairs.length > 0) out += '?' + pairs.join('&');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing values

/**
 * The text after `KEY=` that reads back as `value`, whatever surrounds the line: as `quoteEnvValue`
 * writes it (every common reader reads it back; double quotes where quotes are needed, as the
 * placeholders have), else a form dotenv reads back.
 */
export function encodeExampleValue(key: string, value: string): string {
  if (value === '') return '';
  const portable = quoteEnvValue(value, { prefer: '"' });
  if (portable !== null) return portable;
  let text: string;
  try {
    text = appendEntryEdits(parseEnv(''), 'K', value)[0]!.newText;
  } catch (e) {
    if (e instanceof KeysmithError) {
      throw new KeysmithError(e.code, `The example value of ${key} cannot be written in a .env file (dotenv has no syntax that reads it back exactly).`);
    }
    throw e;
  }
  return text.slice(2).replace(/\r?\n$/, '');
}

function quoted(placeholder: string): string {
  return '"' + placeholder + '"';
}

/** `<generate: FORMAT>` (or `<paste: PEM private key>` for asymmetric key material). */
export function secretPlaceholder(key: string, options: ExampleValueOptions = {}): string {
  const { secretPatterns, isDjangoProject } = options;
  const defaultFormat = options.defaultFormat ?? 'base64url';
  const format = inferFormat(key, { defaultFormat, secretPatterns, isDjangoProject });
  if (format !== null) return `<generate: ${format}>`;
  return isSecretName(key, secretPatterns) ? '<paste: PEM private key>' : `<generate: ${defaultFormat}>`;
}

/** `<KEY_NAME>`, quoted. */
export function keyPlaceholder(key: string): ExampleValue {
  const v = `<${key}>`;
  return { value: v, raw: quoted(v), kind: 'placeholder' };
}

function generated(key: string, options: ExampleValueOptions): ExampleValue {
  const v = secretPlaceholder(key, options);
  return { value: v, raw: quoted(v), kind: 'generate' };
}

/** Copied text, unless it repeats something hidden: then the key's placeholder. */
function copied(key: string, value: string, kind: ExampleValueKind, taint: Taint | undefined): ExampleValue {
  if (taint !== undefined && taint.hits(value)) return keyPlaceholder(key);
  return { value, raw: encodeExampleValue(key, value), kind };
}

/** The first user rule matching `key`, if any. */
export function matchingRule(key: string, rules: readonly ExampleRule[] | undefined): ExampleRule | undefined {
  if (rules === undefined) return undefined;
  for (const r of rules) if (matchesKeyPattern(key, r.pattern)) return r;
  return undefined;
}

/**
 * The example value for `key` whose `.env` value is `value` (see the table in the module
 * comment). With a `taint`, copied text that repeats a hidden value becomes `<KEY_NAME>`.
 *
 * @throws KeysmithError when a rule's literal value cannot be written in a .env file.
 */
export function exampleValue(key: string, value: string, options: ExampleValueOptions = {}, taint?: Taint): ExampleValue {
  const secretPatterns = options.secretPatterns;
  const secret = isSecretName(key, secretPatterns);
  const rule = matchingRule(key, options.rules);
  if (rule !== undefined) {
    if (rule.value === GENERATE_TOKEN) return generated(key, options);
    if (rule.value === KEEP_TOKEN) return secret ? generated(key, options) : copied(key, value, 'keep', taint);
    return { value: rule.value, raw: encodeExampleValue(key, rule.value), kind: 'rule' };
  }
  if (secret) return generated(key, options);
  if (value.trim() === '') return { value: '', raw: '', kind: 'empty' };

  const url = splitUrl(value);
  if (url !== null) return copied(key, fakeUrl(url), 'url', taint);
  if (EMAIL.test(value)) return { value: 'user@example.com', raw: 'user@example.com', kind: 'email' };
  if (BOOLEANS.has(value.toLowerCase()) || SMALL_NUMBER.test(value) || DURATION.test(value) || VERSION.test(value) || isSafeWord(value)) {
    return copied(key, value, 'keep', taint);
  }
  if (LONG_INTEGER.test(value)) {
    const fake = '1234567890'.repeat(Math.ceil(value.length / 10)).slice(0, value.length);
    return copied(key, fake, 'number', taint);
  }
  if (LOCALHOST.test(value)) return copied(key, value, 'keep', taint);
  const ip = IPV4.exec(value);
  if (ip !== null && [ip[1], ip[2], ip[3], ip[4]].every((o) => Number(o) <= 255)) {
    if (ip[1] === '127' || value.startsWith('0.0.0.0')) return copied(key, value, 'keep', taint);
    return copied(key, '127.0.0.1' + (ip[5] ?? ''), 'address', taint);
  }
  return keyPlaceholder(key);
}

/**
 * Parses the `keysmith.example.rules` setting / rule flags: `{ "STRIPE_*": "<generate>",
 * "APP_NAME": "<keep>", "SENTRY_DSN": "" }`. Values must be strings that a .env file can hold.
 */
export function parseExampleRules(raw: unknown): { rules: ExampleRule[]; errors: string[] } {
  const rules: ExampleRule[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { rules, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { rules, errors: ['example rules must be an object of "KEY_PATTERN": "value"'] };
  for (const [pattern, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      errors.push(`example rule "${pattern}": the value must be a string`);
      continue;
    }
    try {
      if (value !== GENERATE_TOKEN && value !== KEEP_TOKEN) encodeExampleValue('K', value);
      rules.push({ pattern, value });
    } catch {
      errors.push(`example rule "${pattern}": the value cannot be written in a .env file`);
    }
  }
  return { rules, errors };
}
