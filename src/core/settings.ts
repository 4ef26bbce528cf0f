/**
 * Keysmith's user-facing settings, shared by the extension (read from VS Code configuration) and
 * the CLI (read from flags), and the one place that turns them into generator options.
 */
import type { FormatId, GenerateOptions, PasswordOptions, SecretFormat } from './formats.ts';
import { EFF_WORDLIST_SIZE, PASSWORD_DEFAULTS } from './formats.ts';
import { KeysmithError } from './errors.ts';

export interface KeysmithSettings {
  defaultFormat: FormatId;
  /** Bytes of entropy for byte-sized formats (hex, base64, base64url, JWT, API key). */
  defaultBytes: number;
  allowWeakSizes: boolean;
  password: Required<PasswordOptions> & { length: number };
  passphrase: { words: number; separator: string };
  apiKey: { prefix: string; environment: string; body: 'hex' | 'base62' };
}

export const DEFAULT_SETTINGS: KeysmithSettings = {
  defaultFormat: 'base64url',
  defaultBytes: 32,
  allowWeakSizes: false,
  password: { ...PASSWORD_DEFAULTS, length: 24 },
  passphrase: { words: 10, separator: '-' },
  apiKey: { prefix: 'sk', environment: 'live', body: 'base62' },
};

/**
 * Where a generated secret goes: `'code'` (at the cursor, the clipboard, `keysmith generate`) or
 * `'env'` (written into a .env file: no `$`, backslash, quote or backtick; see
 * `GenerateOptions.forEnvFile`).
 */
export type SecretTarget = 'code' | 'env';

/** Generator options for `format` under `settings`, for a secret going to `target`. */
export function optionsFor(format: SecretFormat, settings: KeysmithSettings, wordlist?: readonly string[], target: SecretTarget = 'code'): GenerateOptions {
  const o: GenerateOptions = { allowWeak: settings.allowWeakSizes };
  if (target === 'env') o.forEnvFile = true;
  if (format.sizeUnit === 'bytes') {
    // A JWT secret is never shorter than its algorithm needs, whatever the general default.
    o.bytes = Math.max(settings.defaultBytes, format.minBytes ?? 0);
  }
  switch (format.id) {
    case 'password': {
      const { length, ...classes } = settings.password;
      o.length = length;
      o.password = classes;
      break;
    }
    case 'passphrase':
      o.words = settings.passphrase.words;
      o.separator = settings.passphrase.separator;
      if (wordlist) o.wordlist = wordlist;
      break;
    case 'api-key':
      o.prefix = settings.apiKey.prefix;
      o.environment = settings.apiKey.environment;
      o.body = settings.apiKey.body;
      break;
  }
  return o;
}

/** Parses the shipped wordlist file (one word per line). */
export function parseWordlist(text: string): string[] {
  const words = text.split(/\r?\n/).filter((w) => w.length > 0);
  if (words.length !== EFF_WORDLIST_SIZE) {
    throw new KeysmithError('wordlist-missing', `The EFF wordlist file has ${words.length} words, expected ${EFF_WORDLIST_SIZE}.`);
  }
  return words;
}
