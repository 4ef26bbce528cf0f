/**
 * One configuration for the editor and the command line: the `keysmith.*` settings (as VS Code
 * stores them, keys without the `keysmith.` prefix) turned into the options of the core.
 *
 * The extension feeds `resolveConfig` from `vscode.workspace.getConfiguration('keysmith', uri)`,
 * the CLI from the workspace's `.vscode/settings.json` (src/cli/config.ts). Both get the same
 * validation (the schema of package.json's `contributes.configuration`, in src/core/settingsSchema.ts,
 * checked against package.json by a unit test) and the same fallback: a value of the wrong type is
 * reported and replaced by the default; a bad entry of a list or map (an unknown rule code, an
 * unknown format) is reported and dropped. So the editor and `keysmith check` cannot disagree
 * about what a setting means.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { FormatId } from './formats.ts';
import { parseExampleRules, type ExampleRule } from './example/values.ts';
import { parseFormatRules } from './populate.ts';
import type { FormatRule } from './secrets.ts';
import { DEFAULT_RULE_CONFIG, isRuleCode, type RuleCode, type RuleConfig } from './rules.ts';
import type { KeysmithSettings } from './settings.ts';
import { readersFromSetting, type DetectedReader } from './readers.ts';
import { fileSizeLimitBytes, generatorFrom, isPlainObject, resolveSettingValues, RULE_CODES, type SettingLookup, type SettingProblem } from './settingsSchema.ts';

export { fileSizeLimitBytes, MAX_FILE_SIZE_MB } from './settingsSchema.ts';

export { SETTINGS, type SettingLookup, type SettingProblem, type SettingSpec } from './settingsSchema.ts';

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'a whole number' : 'a number';
  return `a ${typeof v}`;
}

/** Everything the core needs from the settings of one workspace folder. */
export interface KeysmithConfig {
  /** Generator settings (formats, sizes, password classes, …). */
  readonly generator: KeysmithSettings;
  /** The checks: disabled rules, severities, secret-name patterns, placeholders. */
  readonly rules: RuleConfig;
  /** `populate.rules`, parsed (bad entries dropped and reported). */
  readonly populateRules: readonly FormatRule[];
  readonly secretNamePatterns: readonly string[];
  readonly placeholders: readonly string[];
  /** `.env` files larger than this are skipped (bytes). */
  readonly maxFileBytes: number;
  readonly example: { readonly fileName: string; readonly rules: readonly ExampleRule[]; readonly syncOnSave: boolean };
  /** `rotate.keep`. */
  readonly rotateKeep: number;
  readonly scanMaxFiles: number;
  readonly debounceMs: number;
  /** `keysmith.readers`: the readers it names (with why: the setting), or undefined: detect them. */
  readonly readers: readonly DetectedReader[] | undefined;
}

export interface ResolvedConfig {
  readonly config: KeysmithConfig;
  /** Values that were ignored (wrong type) or entries that were dropped, each with its reason. */
  readonly problems: readonly SettingProblem[];
  /** The effective value of every setting (after validation), by key without the prefix. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys whose value came from the lookup (not the default), even if partly dropped. */
  readonly fromLookup: ReadonlySet<string>;
  /** Keys set to an unusable value, replaced by the default (a subset of fromLookup). */
  readonly replaced: ReadonlySet<string>;
}

/**
 * The effective configuration from a lookup of raw setting values. Pure and total: never throws,
 * whatever the values are.
 */
export function resolveConfig(lookup: SettingLookup): ResolvedConfig {
  const problems: SettingProblem[] = [];
  const { values, fromLookup, replaced } = resolveSettingValues(lookup, problems);
  const v = <T>(key: string) => values[key] as T;

  // rules.severity: rule code → severity; bad entries dropped.
  const severities: Partial<Record<RuleCode, RuleConfig['severities'][RuleCode]>> = {};
  const sevOut: Record<string, string> = {};
  for (const [code, sev] of Object.entries(v<Record<string, unknown>>('rules.severity'))) {
    if (!isRuleCode(code)) problems.push({ setting: 'keysmith.rules.severity', message: `unknown rule "${code}" (rules: ${RULE_CODES.join(', ')}); ignored` });
    else if (typeof sev !== 'string' || !(SEVERITIES as readonly string[]).includes(sev)) {
      problems.push({ setting: 'keysmith.rules.severity', message: `"${code}" must be one of ${SEVERITIES.join(', ')}, not ${typeof sev === 'string' ? `"${sev}"` : typeName(sev)}; ignored` });
    } else {
      severities[code] = sev as (typeof SEVERITIES)[number];
      sevOut[code] = sev;
    }
  }
  values['rules.severity'] = sevOut;

  // populate.rules: pattern → format; bad entries dropped.
  const populateRaw = v<Record<string, unknown>>('populate.rules');
  const parsed = parseFormatRules(populateRaw);
  for (const e of parsed.errors) problems.push({ setting: 'keysmith.populate.rules', message: `${e}; ignored` });
  values['populate.rules'] = Object.fromEntries(parsed.rules.map((r) => [r.pattern, r.format]));

  // example.rules: pattern → literal value; values a .env file cannot hold dropped.
  const exampleParsed = parseExampleRules(v<Record<string, unknown>>('example.rules'));
  for (const e of exampleParsed.errors) problems.push({ setting: 'keysmith.example.rules', message: `${e}; ignored` });
  const exampleRules = exampleParsed.rules;
  values['example.rules'] = Object.fromEntries(exampleRules.map((r) => [r.pattern, r.value]));

  const exampleFileName = v<string>('example.fileName') || '.env.example';
  values['example.fileName'] = exampleFileName;
  const secretNamePatterns = v<string[]>('secretNamePatterns');
  const placeholders = v<string[]>('placeholders');

  const generator: KeysmithSettings = generatorFrom(values);
  const config: KeysmithConfig = {
    generator,
    rules: {
      ...DEFAULT_RULE_CONFIG,
      disabled: v<string[]>('rules.disabled').filter(isRuleCode),
      severities,
      secretPatterns: secretNamePatterns,
      placeholders,
      clientPrefixes: v<string[]>('clientPrefixes').filter((x) => x.trim().length > 0),
    },
    populateRules: parsed.rules,
    secretNamePatterns,
    placeholders,
    maxFileBytes: fileSizeLimitBytes(v<number>('maxFileSizeMB')),
    example: { fileName: exampleFileName, rules: exampleRules, syncOnSave: v<boolean>('example.syncOnSave') },
    rotateKeep: v<number>('rotate.keep'),
    scanMaxFiles: v<number>('scan.maxFiles'),
    debounceMs: v<number>('diagnostics.debounceMs'),
    readers: readersFromSetting(v<string[]>('readers')),
  };
  return { config, problems, values, fromLookup, replaced };
}

/** The configuration with every setting at its default. */
export const DEFAULT_CONFIG: KeysmithConfig = resolveConfig(() => undefined).config;

/**
 * A lookup over a parsed `settings.json` object as VS Code reads it: flat keys
 * (`"keysmith.rules.disabled": […]`) and nested objects (`"keysmith": { "rules": { … } }`) alike; a
 * flat key wins over a nested one. Language blocks (`"[dotenv]": {…}`) are not read: the extension
 * reads its settings per file, not per language.
 */
export function settingsObjectLookup(settings: unknown): SettingLookup {
  if (!isPlainObject(settings)) return () => undefined;
  return (key) => {
    const full = `keysmith.${key}`;
    if (Object.prototype.hasOwnProperty.call(settings, full)) return settings[full];
    // Nested: walk the dotted path, taking the longest flat prefix at each level.
    const parts = full.split('.');
    const walk = (obj: Record<string, unknown>, i: number): unknown => {
      for (let j = parts.length; j > i; j--) {
        const k = parts.slice(i, j).join('.');
        if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
        const next = obj[k];
        if (j === parts.length) return next;
        if (isPlainObject(next)) {
          const found = walk(next, j);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    };
    return walk(settings, 0);
  };
}

/** Options of planPopulate / planRotation that come from the settings (the same in the editor and the CLI). */
export function populateOptions(config: KeysmithConfig): { defaultFormat: FormatId; rules: readonly FormatRule[]; secretPatterns: readonly string[]; placeholders: readonly string[] } {
  return { defaultFormat: config.generator.defaultFormat, rules: config.populateRules, secretPatterns: config.secretNamePatterns, placeholders: config.placeholders };
}

/** Options of syncExample / exampleDrift that come from the settings (the same in the editor and the CLI). */
export function exampleOptions(config: KeysmithConfig): { rules: readonly ExampleRule[]; secretPatterns: readonly string[]; defaultFormat: FormatId } {
  return { rules: config.example.rules, secretPatterns: config.secretNamePatterns, defaultFormat: config.generator.defaultFormat };
}
