import type * as vscode from 'vscode';
import { resolveConfig, type KeysmithConfig } from '../core/configuration.ts';
import type { RuleConfig } from '../core/rules.ts';
import { reportProblems, settingsLookup } from './config.ts';

/**
 * Keysmith's whole configuration for a resource (multi-root: each folder can differ), through the
 * one mapping the CLI uses too (src/core/configuration.ts). Never writes.
 */
export function readConfig(scope?: vscode.ConfigurationScope): KeysmithConfig {
  const { config, problems } = resolveConfig(settingsLookup(scope));
  reportProblems(problems);
  return config;
}

export interface EnvSettings {
  /** Files larger than this are skipped (bytes). */
  maxFileBytes: number;
  /** `keysmith.populate.rules`, bad entries already dropped (and logged). */
  populateRules: Record<string, string>;
  secretNamePatterns: string[];
  placeholders: string[];
}

export function readEnvSettings(scope?: vscode.ConfigurationScope): EnvSettings {
  const config = readConfig(scope);
  return {
    maxFileBytes: config.maxFileBytes,
    populateRules: Object.fromEntries(config.populateRules.map((r) => [r.pattern, r.format])),
    secretNamePatterns: [...config.secretNamePatterns],
    placeholders: [...config.placeholders],
  };
}

/** The checks' configuration for a resource. */
export function readRuleConfig(scope: vscode.Uri): RuleConfig {
  return readConfig(scope).rules;
}

/** `keysmith.example.fileName` for a resource. */
export function exampleFileName(scope: vscode.Uri): string {
  return readConfig(scope).example.fileName;
}
