/**
 * The schema of the `keysmith.*` settings (package.json's `contributes.configuration`, checked
 * against this table by a unit test), their validation, and the generator settings alone: the
 * light part of src/core/configuration.ts, which the extension's activation bundle uses without
 * loading the rules.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { FORMAT_IDS, isFormatId, type FormatId } from './formats.ts';
import { DEFAULT_SETTINGS, type KeysmithSettings } from './settings.ts';

/** The check codes (as in src/core/rules/types.ts RULES; a unit test keeps them equal). */
export const RULE_CODES: readonly string[] = [
  'env-not-ignored', 'example-ignored', 'env-tracked', 'weak-secret', 'syntax', 'duplicate-key', 'example-leak', 'example-drift', 'empty-secret',
  'client-exposed-secret', 'reader-mismatch',
];
/** The readers of `keysmith.readers` (as READER_IDS in src/core/readers.ts; a unit test keeps them equal). */
export const READERS: readonly string[] = ['dotenv', 'dotenv-expand', 'python-dotenv', 'compose', 'shell'];
/** `rotate.keep` bounds (as in src/core/rotate.ts; a unit test keeps them equal). */
export const DEFAULT_KEEP = 2;
export const MAX_KEEP = 64;

type SettingType = 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'object';

export interface SettingSpec {
  /** Key without the `keysmith.` prefix, e.g. `rules.disabled`. */
  readonly key: string;
  readonly type: SettingType;
  readonly default: unknown;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** For strings: a regular expression the whole value must match. */
  readonly pattern?: string;
  /** Only the editor uses it (scan and typing behaviour); the CLI shows it but ignores it. */
  readonly editorOnly?: boolean;
}

/** Every `keysmith.*` setting of package.json, with its schema (a unit test keeps them equal). */
export const SETTINGS: readonly SettingSpec[] = [
  { key: 'defaultFormat', type: 'string', default: DEFAULT_SETTINGS.defaultFormat, enum: FORMAT_IDS },
  { key: 'defaultBytes', type: 'integer', default: DEFAULT_SETTINGS.defaultBytes, minimum: 1, maximum: 4096 },
  { key: 'allowWeakSizes', type: 'boolean', default: DEFAULT_SETTINGS.allowWeakSizes },
  { key: 'password.length', type: 'integer', default: DEFAULT_SETTINGS.password.length, minimum: 4, maximum: 4096 },
  { key: 'password.lowercase', type: 'boolean', default: DEFAULT_SETTINGS.password.lowercase },
  { key: 'password.uppercase', type: 'boolean', default: DEFAULT_SETTINGS.password.uppercase },
  { key: 'password.digits', type: 'boolean', default: DEFAULT_SETTINGS.password.digits },
  { key: 'password.symbols', type: 'boolean', default: DEFAULT_SETTINGS.password.symbols },
  { key: 'password.symbolSet', type: 'string', default: DEFAULT_SETTINGS.password.symbolSet },
  { key: 'password.excludeLookalikes', type: 'boolean', default: DEFAULT_SETTINGS.password.excludeLookalikes },
  { key: 'password.requireEachClass', type: 'boolean', default: DEFAULT_SETTINGS.password.requireEachClass },
  { key: 'passphrase.words', type: 'integer', default: DEFAULT_SETTINGS.passphrase.words, minimum: 1, maximum: 256 },
  { key: 'passphrase.separator', type: 'string', default: DEFAULT_SETTINGS.passphrase.separator },
  { key: 'apiKey.prefix', type: 'string', default: DEFAULT_SETTINGS.apiKey.prefix, pattern: '^[A-Za-z0-9]+$' },
  { key: 'apiKey.environment', type: 'string', default: DEFAULT_SETTINGS.apiKey.environment, pattern: '^[A-Za-z0-9]*$' },
  { key: 'apiKey.body', type: 'string', default: DEFAULT_SETTINGS.apiKey.body, enum: ['base62', 'hex'] },
  { key: 'populate.rules', type: 'object', default: {} },
  { key: 'secretNamePatterns', type: 'string[]', default: [] },
  { key: 'placeholders', type: 'string[]', default: [] },
  { key: 'clientPrefixes', type: 'string[]', default: [] },
  { key: 'readers', type: 'string[]', default: [], enum: READERS },
  { key: 'maxFileSizeMB', type: 'number', default: 5, minimum: 0 },
  { key: 'rules.disabled', type: 'string[]', default: [], enum: RULE_CODES },
  { key: 'rules.severity', type: 'object', default: {} },
  { key: 'scan.maxFiles', type: 'integer', default: 5000, minimum: 1, editorOnly: true },
  { key: 'diagnostics.debounceMs', type: 'integer', default: 300, minimum: 0, maximum: 5000, editorOnly: true },
  { key: 'example.fileName', type: 'string', default: '.env.example' },
  { key: 'rotate.keep', type: 'integer', default: DEFAULT_KEEP, minimum: 1, maximum: MAX_KEEP },
  { key: 'example.syncOnSave', type: 'boolean', default: false, editorOnly: true },
  { key: 'example.rules', type: 'object', default: {} },
];

export interface SettingProblem {
  /** The full setting name, e.g. `keysmith.rules.disabled`. */
  readonly setting: string;
  readonly message: string;
}

/** A setting's raw value by key without the `keysmith.` prefix; `undefined`: not set. */
export type SettingLookup = (key: string) => unknown;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'a whole number' : 'a number';
  return `a ${typeof v}`;
}

const EXPECTED: Record<SettingType, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  'string[]': 'an array of strings',
  object: 'an object',
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks `raw` against `spec`. Returns the value to use (the default when `raw` is unusable) and
 * the problems found. Lists and maps keep their good entries.
 */
export function validate(spec: SettingSpec, raw: unknown, problems: SettingProblem[]): unknown {
  const setting = `keysmith.${spec.key}`;
  const bad = (message: string) => problems.push({ setting, message });
  const wrongType = () => {
    bad(`must be ${spec.enum && spec.type === 'string' ? `one of ${spec.enum.join(', ')}` : EXPECTED[spec.type]}, not ${typeName(raw)}; using the default`);
    return spec.default;
  };
  switch (spec.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? raw : wrongType();
    case 'integer':
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw) || (spec.type === 'integer' && !Number.isInteger(raw))) return wrongType();
      if (spec.minimum !== undefined && raw < spec.minimum) {
        bad(`must be at least ${spec.minimum}, not ${raw}; using the default`);
        return spec.default;
      }
      if (spec.maximum !== undefined && raw > spec.maximum) {
        bad(`must be at most ${spec.maximum}, not ${raw}; using the default`);
        return spec.default;
      }
      return raw;
    }
    case 'string': {
      if (typeof raw !== 'string') return wrongType();
      if (spec.enum && !spec.enum.includes(raw)) {
        bad(`must be one of ${spec.enum.join(', ')}, not "${raw}"; using the default`);
        return spec.default;
      }
      if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(raw)) {
        bad(`must match ${spec.pattern}, not "${raw}"; using the default`);
        return spec.default;
      }
      return raw;
    }
    case 'string[]': {
      if (!Array.isArray(raw)) return wrongType();
      const out: string[] = [];
      raw.forEach((item: unknown, i) => {
        if (typeof item !== 'string') bad(`item ${i + 1} must be a string, not ${typeName(item)}; ignored`);
        else if (spec.enum && !spec.enum.includes(item)) bad(`unknown value "${item}" (expected one of ${spec.enum.join(', ')}); ignored`);
        else if (!out.includes(item) || !spec.enum) out.push(item);
      });
      return out;
    }
    case 'object':
      return isPlainObject(raw) ? raw : wrongType();
  }
}

/** The generator settings from validated values (see resolveSettingValues). */
export function generatorFrom(values: Readonly<Record<string, unknown>>): KeysmithSettings {
  const v = <T>(key: string) => values[key] as T;
  const defaultFormat = v<string>('defaultFormat');
  return {
    defaultFormat: isFormatId(defaultFormat) ? (defaultFormat as FormatId) : DEFAULT_SETTINGS.defaultFormat,
    defaultBytes: v<number>('defaultBytes'),
    allowWeakSizes: v<boolean>('allowWeakSizes'),
    password: {
      length: v<number>('password.length'),
      lowercase: v<boolean>('password.lowercase'),
      uppercase: v<boolean>('password.uppercase'),
      digits: v<boolean>('password.digits'),
      symbols: v<boolean>('password.symbols'),
      symbolSet: v<string>('password.symbolSet'),
      excludeLookalikes: v<boolean>('password.excludeLookalikes'),
      requireEachClass: v<boolean>('password.requireEachClass'),
    },
    passphrase: { words: v<number>('passphrase.words'), separator: v<string>('passphrase.separator') },
    apiKey: {
      prefix: v<string>('apiKey.prefix'),
      environment: v<string>('apiKey.environment'),
      body: v<string>('apiKey.body') === 'hex' ? 'hex' : 'base62',
    },
  };
}

/**
 * Every setting's value after validation (the default where unset or unusable), the keys that were
 * set, and those whose value was replaced by the default. `only`: validate just these keys.
 */
export function resolveSettingValues(lookup: SettingLookup, problems: SettingProblem[], only?: (key: string) => boolean): {
  values: Record<string, unknown>; fromLookup: Set<string>; replaced: Set<string>;
} {
  const values: Record<string, unknown> = {};
  const fromLookup = new Set<string>();
  const replaced = new Set<string>();
  for (const spec of SETTINGS) {
    if (only && !only(spec.key)) continue;
    let raw: unknown;
    try {
      raw = lookup(spec.key);
    } catch {
      raw = undefined;
    }
    if (raw === undefined) {
      values[spec.key] = spec.default;
      continue;
    }
    fromLookup.add(spec.key);
    const before = problems.length;
    values[spec.key] = validate(spec, raw, problems);
    if (problems.length > before && problems[problems.length - 1]!.message.endsWith('using the default')) replaced.add(spec.key);
  }
  return { values, fromLookup, replaced };
}

const GENERATOR_KEYS = /^(defaultFormat|defaultBytes|allowWeakSizes|password\.|passphrase\.|apiKey\.)/;

/** The generator settings alone (the same validation as resolveConfig), with their problems. */
export function resolveGeneratorSettings(lookup: SettingLookup): { settings: KeysmithSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const { values } = resolveSettingValues(lookup, problems, (k) => GENERATOR_KEYS.test(k));
  return { settings: generatorFrom(values), problems };
}

/** Largest `keysmith.maxFileSizeMB` that counts (a string of more cannot be held anyway). */
export const MAX_FILE_SIZE_MB = 1024;

/**
 * `keysmith.maxFileSizeMB` in bytes: a finite number whatever the setting holds (1e302 MB used to
 * make the limit Infinity), at most MAX_FILE_SIZE_MB.
 */
export function fileSizeLimitBytes(mb: number): number {
  const m = Number.isFinite(mb) ? Math.min(Math.max(mb, 0), MAX_FILE_SIZE_MB) : mb > 0 ? MAX_FILE_SIZE_MB : 0;
  return Math.floor(m * 1024 * 1024);
}
