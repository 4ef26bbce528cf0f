// Frozen copy of src/core/ at 65b1530 (before the issue #12 work on the rules' speed): the reference
// that analyze-equivalence.test.ts compares analyzeEnv with. Do not edit. Imports of modules that
// are not frozen (the parser, formats, file names, rule types, the word list) point at src/core.

/**
 * In-file suppression comments.
 *
 *   # keysmith-ignore: weak-secret, duplicate-key -- test fixture
 *   API_KEY=abc
 *
 * - `# keysmith-ignore[: CODE[, CODE…]]` anywhere in the run of comment lines directly above an
 *   entry (no blank line between) suppresses those codes on that entry, on every line it spans.
 *   The same directive as the entry's own trailing comment (`KEY=x # keysmith-ignore: weak-secret`)
 *   does too. It also works above an invalid line (for `syntax`).
 * - `# keysmith-ignore-file[: CODE…]` on any comment line suppresses the codes in the whole file.
 *   It is the only way to silence the file-level rules (env-not-ignored, example-ignored,
 *   env-tracked), which have no entry above which to write a directive.
 * - No codes means every code. Codes are separated by commas or spaces; text after `--` is a free
 *   reason. When codes are listed but none is a known rule code, nothing is suppressed (a typo
 *   must not silence everything).
 */
import type { EnvDocument } from '../../../../../src/core/envdoc.ts';
import { isRuleCode, type RuleCode } from '../../../../../src/core/rules/types.ts';

/** 'all', or the set of suppressed codes. */
export type Suppressed = 'all' | ReadonlySet<RuleCode>;

export interface Suppressions {
  /** Codes suppressed in the whole file. */
  readonly file: Suppressed | null;
  /** Per node index (position in doc.nodes): codes suppressed on that node. */
  readonly nodes: ReadonlyMap<number, Suppressed>;
}

const MARKER = /keysmith-ignore/i;
const DIRECTIVE = /^#\s*keysmith-ignore(-file)?(?![\w-])\s*:?\s*(.*)$/i;

interface Directive {
  file: boolean;
  codes: Suppressed | null;
}

function parseDirective(comment: string): Directive | null {
  if (!MARKER.test(comment)) return null;
  const m = DIRECTIVE.exec(comment.trim());
  if (m === null) return null;
  let rest = m[2] ?? '';
  const dash = rest.indexOf('--');
  if (dash >= 0) rest = rest.slice(0, dash);
  const tokens = rest.split(/[\s,]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return { file: m[1] !== undefined, codes: 'all' };
  const codes = new Set<RuleCode>();
  for (const t of tokens) {
    const c = t.toLowerCase();
    if (isRuleCode(c)) codes.add(c);
  }
  return { file: m[1] !== undefined, codes: codes.size > 0 ? codes : null };
}

function merge(a: Suppressed | null, b: Suppressed | null): Suppressed | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

/** Scans the comments of `doc` for directives. Cheap when the text has none. */
export function findSuppressions(doc: EnvDocument): Suppressions | null {
  const text = doc.text;
  if (!MARKER.test(text)) return null;
  let file: Suppressed | null = null;
  const nodes = new Map<number, Suppressed>();
  let pending: Suppressed | null = null;
  const list = doc.nodes;
  for (let i = 0; i < list.length; i++) {
    const node = list[i]!;
    if (node.type === 'comment') {
      const d = parseDirective(text.slice(node.commentStart, node.lineEnd));
      if (d !== null) {
        if (d.file) file = merge(file, d.codes);
        else pending = merge(pending, d.codes);
      }
      continue;
    }
    if (node.type === 'blank') {
      pending = null;
      continue;
    }
    let own = pending;
    if (node.type === 'entry' && node.commentStart >= 0) {
      const d = parseDirective(text.slice(node.commentStart, node.lineEnd));
      if (d !== null) {
        if (d.file) file = merge(file, d.codes);
        else own = merge(own, d.codes);
      }
    }
    if (own !== null) nodes.set(i, own);
    pending = null;
  }
  if (file === null && nodes.size === 0) return null;
  return { file, nodes };
}

export function isSuppressed(s: Suppressed | null | undefined, code: RuleCode): boolean {
  if (s === null || s === undefined) return false;
  return s === 'all' || s.has(code);
}
