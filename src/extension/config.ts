import * as vscode from 'vscode';
import { fileSizeLimitBytes, resolveGeneratorSettings, resolveSettingValues, type SettingProblem } from '../core/settingsSchema.ts';
import type { KeysmithSettings } from '../core/settings.ts';

/**
 * Keysmith's settings in the editor, through the mapping the CLI uses too (src/core/settingsSchema.ts
 * and src/core/configuration.ts). This module is the light part the activation bundle needs
 * (generator settings, single values); envConfig.ts has the whole configuration. Never writes.
 */

/** Where problems with the settings go (the Keysmith log), each said once. */
let problemLog: ((message: string) => void) | undefined;
const reported = new Set<string>();

/** Settings problems (a wrong type, an unknown rule code) are logged as warnings, once each. */
export function setConfigLog(log: vscode.LogOutputChannel): void {
  problemLog = (m) => log.warn(m);
}

export function reportProblems(problems: readonly SettingProblem[]): void {
  for (const p of problems) {
    const line = `settings: ${p.setting} ${p.message}`;
    if (!reported.has(line)) {
      reported.add(line);
      problemLog?.(line);
    }
  }
}

/** The raw `keysmith.*` values for a resource (multi-root: each folder can differ). */
export function settingsLookup(scope?: vscode.ConfigurationScope): (key: string) => unknown {
  const c = vscode.workspace.getConfiguration('keysmith', scope ?? null);
  return (key) => c.get<unknown>(key);
}

/** Generator settings for a resource. */
export function readSettings(scope?: vscode.ConfigurationScope): KeysmithSettings {
  const { settings, problems } = resolveGeneratorSettings(settingsLookup(scope));
  reportProblems(problems);
  return settings;
}

/** One setting's validated value (the default when unset or unusable). */
export function readSetting<T>(key: string, scope?: vscode.ConfigurationScope): T {
  const problems: SettingProblem[] = [];
  const { values } = resolveSettingValues(settingsLookup(scope), problems, (k) => k === key);
  reportProblems(problems);
  return values[key] as T;
}

/** `.env` files larger than this are skipped (bytes). */
export function maxFileBytes(scope?: vscode.ConfigurationScope): number {
  return fileSizeLimitBytes(readSetting<number>('maxFileSizeMB', scope));
}
