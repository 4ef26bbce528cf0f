/**
 * Example values: what a key of `.env` gets in `.env.example`.
 *
 * Fake values never take characters from the real value: they are fixed text chosen by the key's
 * name and the value's *shape* (a URL keeps its scheme, port and plain path words; a long number
 * keeps its length). Values are copied only when they are of a kind that is provably not secret
 * (`isKeepableValue` in `../leakguard.ts`) and the key is not secret-named. What may be copied,
 * and what copied text must not repeat, is the leak guard's decision (`../leakguard.ts`).
 *
 * | key / value                                    | example value                                   |
 * | ---------------------------------------------- | ----------------------------------------------- |
 * | a user rule matches the key                    | the rule's value (`<generate>`, `<keep>`, text) |
 * | secret-named key (isSecretName), any value     | `"<generate: FORMAT>"` (FORMAT from inferFormat) |
 * | secret-named key Keysmith cannot generate (PEM/SSH private key, DSN, webhook, connection string) | `"<paste: …>"` |
 * | empty or whitespace-only value                 | empty                                           |
 * | `scheme://user:pass@host:port/db?k=v#f`        | `scheme://user:password@localhost:port/app?k=v` |
 * | `http(s)/ws(s)/ftp(s)://host/path`             | `https://example.com/path-words-or-xxxx`        |
 * | e-mail address                                 | `user@example.com`                              |
 * | true/false/yes/no/on/off/enabled/disabled      | kept                                            |
 * | number up to 7 integer digits, version, 30s    | kept                                            |
 * | a known enum word (ENUM_WORDS: log levels, environment names, log formats) | kept                |
 * | localhost, 127.x.x.x, 0.0.0.0, ::1 (+ :port)   | kept                                            |
 * | longer integer (an id)                         | `1234567890…` of the same length                |
 * | other IPv4 address (+ :port)                   | `127.0.0.1` (+ :port)                           |
 * | anything else: words, free text, paths, host names, ids, JSON, multi-line | `"<KEY_NAME>"`       |
 *
 * Rule tokens: `<generate>` (the secret placeholder), `<keep>` (copy the value, never for a
 * secret-named key). Placeholders are double-quoted so that dotenv and `source .env` both read them.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { KeysmithError } from '../errors.ts';
import { appendEntryEdits, parseEnv, quoteEnvValue } from '../envdoc.ts';
import type { FormatId } from '../formats.ts';
import { isEmail, isKeepableValue, isLoopbackHost, isSafeWord, SMALL_NUMBER, splitUrl, type Taint, type UrlParts } from '../leakguard.ts';
import { inferFormat, isSecretName, matchesKeyPattern, pasteKind } from '../secrets.ts';

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
// Value shapes

const LONG_INTEGER = /^\d{8,}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(:\d{1,5})?$/;

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
      const keep = v === '' || isSafeWord(v) || SMALL_NUMBER.test(v) || isKeepableValue(v);
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

/** `<generate: FORMAT>`, or `<paste: …>` for secrets Keysmith cannot generate (see pasteKind). */
export function secretPlaceholder(key: string, options: ExampleValueOptions = {}): string {
  const { secretPatterns, isDjangoProject } = options;
  const defaultFormat = options.defaultFormat ?? 'base64url';
  const format = inferFormat(key, { defaultFormat, secretPatterns, isDjangoProject });
  if (format !== null) return `<generate: ${format}>`;
  return isSecretName(key, secretPatterns) ? `<paste: ${pasteKind(key) ?? 'PEM private key'}>` : `<generate: ${defaultFormat}>`;
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
  if (isEmail(value)) return { value: 'user@example.com', raw: 'user@example.com', kind: 'email' };
  if (isKeepableValue(value)) return copied(key, value, 'keep', taint);
  if (LONG_INTEGER.test(value)) {
    const fake = '1234567890'.repeat(Math.ceil(value.length / 10)).slice(0, value.length);
    return copied(key, fake, 'number', taint);
  }
  const ip = IPV4.exec(value);
  if (ip !== null && [ip[1], ip[2], ip[3], ip[4]].every((o) => Number(o) <= 255)) {
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
