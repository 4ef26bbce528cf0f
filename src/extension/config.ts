import * as vscode from 'vscode';
import { isFormatId, type FormatId } from '../core/formats.ts';
import { DEFAULT_SETTINGS, type KeysmithSettings } from '../core/settings.ts';

/** Reads Keysmith's settings for a resource (multi-root: each folder can differ). Never writes. */
export function readSettings(scope?: vscode.ConfigurationScope): KeysmithSettings {
  const c = vscode.workspace.getConfiguration('keysmith', scope ?? null);
  const d = DEFAULT_SETTINGS;
  const fmt = c.get<string>('defaultFormat', d.defaultFormat);
  const body = c.get<string>('apiKey.body', d.apiKey.body);
  return {
    defaultFormat: isFormatId(fmt) ? (fmt as FormatId) : d.defaultFormat,
    defaultBytes: c.get<number>('defaultBytes', d.defaultBytes),
    allowWeakSizes: c.get<boolean>('allowWeakSizes', d.allowWeakSizes),
    password: {
      length: c.get<number>('password.length', d.password.length),
      lowercase: c.get<boolean>('password.lowercase', d.password.lowercase),
      uppercase: c.get<boolean>('password.uppercase', d.password.uppercase),
      digits: c.get<boolean>('password.digits', d.password.digits),
      symbols: c.get<boolean>('password.symbols', d.password.symbols),
      symbolSet: c.get<string>('password.symbolSet', d.password.symbolSet),
      excludeLookalikes: c.get<boolean>('password.excludeLookalikes', d.password.excludeLookalikes),
      requireEachClass: c.get<boolean>('password.requireEachClass', d.password.requireEachClass),
    },
    passphrase: {
      words: c.get<number>('passphrase.words', d.passphrase.words),
      separator: c.get<string>('passphrase.separator', d.passphrase.separator),
    },
    apiKey: {
      prefix: c.get<string>('apiKey.prefix', d.apiKey.prefix),
      environment: c.get<string>('apiKey.environment', d.apiKey.environment),
      body: body === 'hex' ? 'hex' : 'base62',
    },
  };
}

export interface EnvSettings {
  /** Files larger than this are skipped (bytes). */
  maxFileBytes: number;
  populateRules: unknown;
  secretNamePatterns: string[];
  placeholders: string[];
}

export function readEnvSettings(scope?: vscode.ConfigurationScope): EnvSettings {
  const c = vscode.workspace.getConfiguration('keysmith', scope ?? null);
  const mb = c.get<number>('maxFileSizeMB', 5);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    maxFileBytes: Math.max(0, mb) * 1024 * 1024,
    populateRules: c.get<unknown>('populate.rules', {}),
    secretNamePatterns: strings(c.get('secretNamePatterns', [])),
    placeholders: strings(c.get('placeholders', [])),
  };
}
