// The exclude glob for Keysmith's workspace scan, from the user's `files.exclude` and
// `search.exclude` plus node_modules and .git. No `vscode` import (unit-tested with node's runner).
//
// `workspace.findFiles` applies `files.exclude` only when no exclude is passed, and never
// `search.exclude`; passing one glob replaces both. So the scan passes one glob that holds them
// all: VS Code globs do not nest brace groups, so each pattern's braces are expanded first and the
// alternatives joined in a single `{…}` group.

/** Always left out of the scan, whatever the settings say. */
export const ALWAYS_EXCLUDED = ['**/node_modules', '**/.git'];

/** `a{b,c}d{e,f}` → [abde, abdf, acde, acdf]; unbalanced braces are kept literally. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  const parts: string[] = [];
  let from = open + 1;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        parts.push(pattern.slice(from, i));
        const head = pattern.slice(0, open);
        const tails = expandBraces(pattern.slice(i + 1));
        return parts.flatMap((p) => expandBraces(p).flatMap((x) => tails.map((t) => head + x + t)));
      }
    } else if (ch === ',' && depth === 1) {
      parts.push(pattern.slice(from, i));
      from = i + 1;
    }
  }
  return [pattern];
}

/** The patterns a `files.exclude`-style setting turns on (value `true`; `when` clauses are skipped). */
export function enabledPatterns(setting: unknown): string[] {
  if (setting === null || typeof setting !== 'object') return [];
  return Object.entries(setting as Record<string, unknown>).filter(([, v]) => v === true).map(([k]) => k);
}

/**
 * One glob excluding everything the settings exclude, node_modules and .git; a matched folder
 * excludes what is inside it.
 */
export function scanExcludeGlob(filesExclude: unknown, searchExclude: unknown): string {
  const alternatives = new Set<string>();
  for (const p of [...ALWAYS_EXCLUDED, ...enabledPatterns(filesExclude), ...enabledPatterns(searchExclude)]) {
    for (const x of expandBraces(p.trim())) {
      // A comma cannot be written inside a brace group; such a pattern is left out.
      if (x === '' || x.includes(',') || x.includes('{') || x.includes('}')) continue;
      const base = x.replace(/\/+$/, '');
      alternatives.add(base);
      if (!base.endsWith('/**')) alternatives.add(`${base}/**`);
    }
  }
  return `{${[...alternatives].join(',')}}`;
}
