/**
 * Keysmith's lossless .env document model.
 *
 * - `parseEnv(text)` reads any string into nodes that tile the text exactly (entries, comments,
 *   blank and invalid lines) with offsets for keys, raw values and comments, decoded values that
 *   match `dotenv.parse` (dotenv 18, default parser) occurrence by occurrence, which occurrence
 *   wins, and a list of problems (lines dotenv ignores or reads differently from what a person
 *   would expect).
 * - `printEnv(doc)` gives the text back byte for byte.
 * - `setValueEdits` / `appendEntryEdits` / `removeEntryEdits` return minimal `TextEdit`s, verified
 *   to read back as intended without changing any other entry; `applyEdits` applies them.
 * - `quoteEnvValue` decides how every writer quotes a value so that dotenv, dotenv-expand,
 *   python-dotenv, docker compose and a sourcing shell all read it back exactly.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { EnvDocument, EnvEntry, EnvNode } from './envdoc/types.ts';

export type {
  EnvBlankLine,
  EnvCommentLine,
  EnvDocument,
  EnvEntry,
  EnvInvalidLine,
  EnvLineRange,
  EnvNode,
  EnvProblem,
  EnvProblemKind,
  EnvProblemSeverity,
  EnvQuote,
  TextEdit,
} from './envdoc/types.ts';
export { parseEnv } from './envdoc/parse.ts';
export {
  EnvEditError,
  appendEntryEdits,
  applyEdits,
  envKeyKind,
  isDotenvKey,
  isValidEnvKey,
  removeEntryEdits,
  setValueEdits,
} from './envdoc/edit.ts';
export type { EnvEditErrorReason } from './envdoc/edit.ts';
export { ENV_UNSAFE_CHARS, beforeInlineComment, isBareEnvValue, isPortableEnvValue, quoteAtValuePosition, quoteEnvValue } from './envdoc/quote.ts';
export type { QuoteEnvValueOptions } from './envdoc/quote.ts';

/** The document's text rebuilt from its nodes (equal to the parsed text). */
export function printEnv(doc: EnvDocument): string {
  const { text, nodes } = doc;
  if (nodes.length === 0) return '';
  const parts = new Array<string>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    parts[i] = text.slice(node.lineStart, node.terminatorEnd);
  }
  return parts.join('');
}

/**
 * Key -> value as `dotenv.parse` returns them (last occurrence wins, `__proto__` dropped), in the
 * order keys first appear. `Object.fromEntries(effectiveValues(doc))` deep-equals `dotenv.parse(text)`.
 */
export function effectiveValues(doc: EnvDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of doc.entries) if (e.key !== '__proto__') out.set(e.key, e.value);
  return out;
}

/**
 * What `dotenv.parse(text)` returns: a plain object of key -> value, built the way dotenv builds
 * it (`obj[key] = value` for every occurrence, in order: keys in the order they first appear, the
 * last value wins, `__proto__` dropped). Deep-equals `dotenv.parse(text)`; cheaper than
 * `Object.fromEntries(effectiveValues(doc))` when an object is what the caller needs.
 */
export function effectiveObject(doc: EnvDocument): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = doc.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.key !== '__proto__') out[e.key] = e.value;
  }
  return out;
}

/** All occurrences of `key`, in document order. */
export function findEntries(doc: EnvDocument, key: string): EnvEntry[] {
  return doc.entries.filter((e) => e.key === key);
}

/** The occurrence of `key` dotenv uses, if any. */
export function winningEntry(doc: EnvDocument, key: string): EnvEntry | undefined {
  for (let i = doc.entries.length - 1; i >= 0; i--) {
    const e = doc.entries[i]!;
    if (e.key === key) return e.wins ? e : undefined;
  }
  return undefined;
}

/** The node covering `offset` (a terminator belongs to the node it ends); undefined past the end. */
export function nodeAt(doc: EnvDocument, offset: number): EnvNode | undefined {
  const nodes = doc.nodes;
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const node = nodes[mid]!;
    if (offset < node.lineStart) hi = mid - 1;
    else if (offset >= node.terminatorEnd) lo = mid + 1;
    else return node;
  }
  return undefined;
}
