// Frozen copy of effectiveValues from src/core/envdoc.ts (before the issue #12 parser speed work). Do not edit.
import type { EnvDocument } from './types.ts';

export function effectiveValues(doc: EnvDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of doc.entries) if (e.key !== '__proto__') out.set(e.key, e.value);
  return out;
}
