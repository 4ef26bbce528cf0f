/**
 * "Populate Empty Keys": which secret-named keys of a .env get a fresh value, in which format, and
 * the minimal edits that write them. One engine for the extension and `keysmith populate`.
 */
import type { EnvDocument, EnvEntry, TextEdit } from './envdoc.ts';
import { setValueEdits } from './envdoc.ts';
import { getFormat, type FormatId } from './formats.ts';
import { hiddenKeys } from './leakguard.ts';
import { RandomSource } from './random.ts';
import { inferFormat, isPlaceholder, type FormatRule } from './secrets.ts';
import { optionsFor, type KeysmithSettings } from './settings.ts';

export interface PopulateContext {
  defaultFormat: FormatId;
  /** The .env belongs to a Django project (a manage.py beside it or one folder up). */
  isDjangoProject?: boolean;
  /** User rules (key pattern → format), tried before the built-in ones. */
  rules?: readonly FormatRule[];
  /** Extra secret-name patterns and placeholder values from settings. */
  secretPatterns?: readonly string[];
  placeholders?: readonly string[];
}

export interface PopulateItem {
  key: string;
  format: FormatId;
  /** Index into `doc.entries` of the occurrence to fill (the one dotenv uses). */
  entryIndex: number;
  /** Why it is filled: the value is empty, or a placeholder. */
  reason: 'empty' | 'placeholder';
}

/**
 * The keys to fill: every secret-named key whose value (the occurrence dotenv uses) is empty or an
 * obvious placeholder. Keys that are not secrets (PORT, HOST, URLs, booleans, numbers, public
 * keys) and keys Keysmith cannot generate (PEM private keys) are never touched.
 */
export function planPopulate(doc: EnvDocument, ctx: PopulateContext): PopulateItem[] {
  const items: PopulateItem[] = [];
  // Lines of an unquoted PEM block that dotenv reads as keys, and random key names: never filled
  // (nor named in the confirmation).
  const hidden = hiddenKeys(doc).entries;
  for (const entry of doc.entries) {
    if (!entry.wins || hidden.has(entry.index)) continue;
    const empty = entry.value.trim().length === 0;
    if (!empty && !isPlaceholder(entry.value, ctx.placeholders)) continue;
    const format = inferFormat(entry.key, {
      defaultFormat: ctx.defaultFormat,
      isDjangoProject: ctx.isDjangoProject,
      rules: ctx.rules,
      secretPatterns: ctx.secretPatterns,
    });
    if (format === null) continue;
    items.push({ key: entry.key, format, entryIndex: entry.index, reason: empty ? 'empty' : 'placeholder' });
  }
  return items;
}

/** Fresh secrets for the plan, as non-overlapping edits of `doc.text`. */
export function populateEdits(
  doc: EnvDocument,
  plan: readonly PopulateItem[],
  settings: KeysmithSettings,
  wordlist?: readonly string[],
  rng?: RandomSource,
): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const item of plan) {
    const format = getFormat(item.format);
    const value = format.generate(optionsFor(format, settings, wordlist, 'env'), rng);
    const entry: EnvEntry = doc.entries[item.entryIndex]!;
    edits.push(...setValueEdits(doc, entry, value));
  }
  return edits;
}

/** Whether any planned format needs the passphrase wordlist loaded first. */
export function planNeedsWordlist(plan: readonly PopulateItem[]): boolean {
  return plan.some((p) => getFormat(p.format).needsWordlist);
}

/** Parses the `keysmith.populate.rules` setting / `--rule` flags: { "STRIPE_*": "api-key" }. */
export function parseFormatRules(raw: unknown): { rules: FormatRule[]; errors: string[] } {
  const rules: FormatRule[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { rules, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { rules, errors: ['rules must be an object of "KEY_PATTERN": "format"'] };
  for (const [pattern, format] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof format !== 'string') { errors.push(`rule "${pattern}": the format must be a string`); continue; }
    try {
      getFormat(format);
      rules.push({ pattern, format: format as FormatId });
    } catch {
      errors.push(`rule "${pattern}": unknown format "${format}"`);
    }
  }
  return { rules, errors };
}
