// Frozen copy of src/core/ at 65b1530 (before the issue #12 work on the rules' speed): the reference
// that analyze-equivalence.test.ts compares analyzeEnv with. Do not edit. Imports of modules that
// are not frozen (the parser, formats, file names, rule types, the word list) point at src/core.

/**
 * Credentials inside URLs: `scheme://user:password@host…` (postgres, mysql, redis, amqp, mongodb,
 * https, …). Pure; the caller decides what to do with the password and never prints it.
 */

export interface UrlCredentials {
  /** Offset of the password in the value as given (before percent-decoding). */
  readonly start: number;
  readonly end: number;
  /** The password, percent-decoded when that is valid. */
  readonly password: string;
  /** The user name is present (`user:pw@`), not just `:pw@`. */
  readonly hasUser: boolean;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * The password of a URL-shaped value, or undefined when the value is not `scheme://…` or its
 * authority has no `:password@` part (an empty password counts as none).
 */
export function urlCredentials(value: string): UrlCredentials | undefined {
  const lead = value.length - value.trimStart().length;
  const v = value.trim();
  const m = SCHEME.exec(v);
  if (m === null) return undefined;
  const authStart = m[0].length;
  // The authority ends at the first '/', '?' or '#' after the last '@' that precedes them; a
  // password may itself contain '@' when not percent-encoded (the last '@' wins, like most drivers).
  let authEnd = v.length;
  for (let i = authStart; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      authEnd = i;
      break;
    }
  }
  let at = v.lastIndexOf('@', authEnd - 1);
  if (at < authStart) {
    // No '@' before the first '/': perhaps a password containing '/', '?' or '#' unencoded.
    at = v.lastIndexOf('@');
    if (at < authStart) return undefined;
    const colon0 = v.indexOf(':', authStart);
    if (colon0 < 0 || colon0 > at) return undefined;
    if (/[\s]/.test(v.slice(authStart, at))) return undefined;
  }
  const colon = v.indexOf(':', authStart);
  if (colon < 0 || colon > at) return undefined;
  const raw = v.slice(colon + 1, at);
  if (raw.length === 0) return undefined;
  let password = raw;
  if (raw.indexOf('%') >= 0) {
    try {
      password = decodeURIComponent(raw);
    } catch {
      password = raw;
    }
  }
  return { start: lead + colon + 1, end: lead + at, password, hasUser: colon > authStart };
}

/** The value is `scheme://…` (a URL, with or without credentials). */
export function isUrlValue(value: string): boolean {
  return SCHEME.test(value.trim());
}
