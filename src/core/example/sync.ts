/**
 * `syncExample`: brings `.env.example` in line with `.env` without copying any value that could
 * be sensitive. See the module comment of `../example.ts` for the rules.
 */
import { beforeInlineComment, nodeAt, parseEnv, type EnvDocument, type EnvEntry, type EnvNode, type EnvProblemKind } from '../envdoc.ts';
import { KeysmithError } from '../errors.ts';
import { ExampleGuard, hiddenKeys, type LineOrigin } from '../leakguard.ts';
import { isSecretName } from '../secrets.ts';
import { KEEP_TOKEN, encodeExampleValue, exampleValue, keyPlaceholder, matchingRule, type ExampleValueOptions } from './values.ts';

export interface SyncExampleOptions extends ExampleValueOptions {
  /** Delete keys that are only in the example (reported in `removed`); default: keep them (`extra`). */
  removeExtra?: boolean;
}

export interface SyncExampleResult {
  /** The new example text. */
  text: string;
  /** Keys of `.env` that were missing from the example and got an example value (`.env` order). */
  added: string[];
  /** Keys of `.env` the example already had: their example line is kept as it was (`.env` order). */
  kept: string[];
  /** Keys only in the example, kept (example order). */
  extra: string[];
  /** Keys only in the example, removed because of `removeExtra` (example order). */
  removed: string[];
  /** `text` differs from the example given (always true when there was none). */
  changed: boolean;
  /**
   * Lines and inline comments of `.env` left out because they could carry values: lines dotenv
   * cannot read, inline comments after secrets, and comments the leak guard withheld.
   */
  skipped: number;
  /** Comment lines of `.env` withheld because they hold something credential-like or repeat a hidden value (part of `skipped`). */
  withheldComments: number;
  /** Keys whose inline comment or copied value was withheld by the leak guard (`.env` order). */
  withheld: string[];
  /**
   * Keys left out because their name looks like key material (lines of an unquoted PEM block that
   * dotenv reads as keys, random-looking names): counted, never named. Such keys already in the
   * example are removed.
   */
  hiddenKeys: number;
}

/** The comment lines directly above an entry (its `block`) and the free lines before them (`gap`). */
interface Segment {
  gap: EnvNode[];
  block: EnvNode[];
  entry: EnvEntry;
}

interface Segmented {
  /** Free lines before the first used entry's block (the file header). */
  preamble: EnvNode[];
  items: Segment[];
  /** Free lines after the last used entry. */
  post: EnvNode[];
}

/**
 * Splits a document into segments around the entries `use` accepts. An entry that is not used
 * takes its comment block with it; the free lines before it flow into the next segment.
 */
function segment(doc: EnvDocument, use: (e: EnvEntry) => boolean): Segmented {
  let preamble: EnvNode[] | null = null;
  const items: Segment[] = [];
  let pending: EnvNode[] = [];
  for (const node of doc.nodes) {
    if (node.type !== 'entry') {
      pending.push(node);
      continue;
    }
    let k = pending.length;
    while (k > 0 && pending[k - 1]!.type === 'comment') k--;
    const gap = pending.slice(0, k);
    const block = pending.slice(k);
    if (use(node)) {
      if (preamble === null) {
        preamble = gap;
        items.push({ gap: [], block, entry: node });
      } else items.push({ gap, block, entry: node });
      pending = [];
    } else pending = gap;
  }
  if (preamble === null) return { preamble: pending, items, post: [] };
  return { preamble, items, post: pending };
}

/** Free lines worth keeping from the example: a comment, or (at level 0) a line dotenv ignores. */
function hasContent(nodes: readonly EnvNode[], level: number): boolean {
  return nodes.some((n) => n.type === 'comment' || (n.type === 'invalid' && level === 0));
}

/** Entry problems after which a line may read differently once moved (its reading depends on later text). */
const FRAGILE: ReadonlySet<EnvProblemKind> = new Set<EnvProblemKind>([
  'unterminated-quote', 'escaped-closing-quote', 'text-after-quote', 'value-on-next-line', 'equals-on-next-line',
  'swallowed-lines', 'unusual-line-break', 'colon-separator',
]);

const COMMENTED_ASSIGNMENT = /^([ \t]*)(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)=/;

interface Planned {
  key: string;
  value: string;
}

interface Context {
  src: EnvDocument;
  ex: EnvDocument | undefined;
  srcSeg: Segmented;
  exSeg: Segmented | undefined;
  exByKey: Map<string, Segment>;
  /** The occurrence of each `.env` key dotenv uses (its value, `export` and inline comment). */
  srcLast: Map<string, EnvEntry>;
  extrasTop: Segment[];
  extrasAfter: Map<string, Segment[]>;
  fragile: Set<number>;
  options: SyncExampleOptions;
  guard: ExampleGuard;
  eol: string;
}

type Origin = LineOrigin;

const OTHER: Origin = { kind: 'other' };

/** A node's text without its terminator (and without a leading BOM), inner line breaks as `eol`. */
function nodeText(doc: EnvDocument, node: EnvNode, eol: string): string {
  const start = node.lineStart === 0 && doc.bom ? 1 : node.lineStart;
  const s = doc.text.slice(start, node.lineEnd);
  return node.type === 'entry' && node.endLine !== node.line ? s.replace(/\r\n|\r|\n/g, eol) : s;
}

/** A `.env` comment as it may appear in the example: commented-out assignments get example values. */
function rewriteComment(ctx: Context, node: EnvNode): string {
  const doc = ctx.src;
  const start = node.lineStart === 0 && doc.bom ? 1 : node.lineStart;
  const raw = doc.text.slice(start, node.lineEnd);
  if (node.type !== 'comment') return raw;
  const hash = node.commentStart - start;
  const body = raw.slice(hash + 1);
  const a = commentedAssignment(body);
  if (a === null) return raw;
  const fake = exampleValue(a.entry.key, a.entry.value, ctx.options, ctx.guard.taint);
  const secret = fake.kind === 'generate' || isSecretName(a.entry.key, ctx.options.secretPatterns);
  const comment = a.entry.commentStart >= 0 ? body.slice(a.entry.commentStart, a.entry.lineEnd).trimEnd() : '';
  const inline = comment !== '' && !secret && ctx.guard.inline(a.entry, comment, false) ? ' ' + comment : '';
  return raw.slice(0, hash + 1) + a.indent + (a.exported ? 'export ' : '') + a.entry.key + '=' + (inline ? beforeInlineComment(fake.raw) : fake.raw) + inline;
}

/** `# KEY=value` (the text after `#`) read as the assignment it comments out, or null. */
function commentedAssignment(body: string): { indent: string; exported: boolean; entry: EnvEntry } | null {
  const m = COMMENTED_ASSIGNMENT.exec(body);
  if (m === null) return null;
  const e = parseEnv(body).entries[0];
  const keyStart = m[1]!.length + (m[2]?.length ?? 0);
  if (e === undefined || e.key !== m[3] || e.keyStart !== keyStart || e.separator !== '=' || e.endLine !== 0) return null;
  return { indent: m[1]!, exported: m[2] !== undefined, entry: e };
}

class Writer {
  readonly lines: string[] = [];
  readonly origins: Origin[] = [];
  readonly planned: Planned[] = [];
  skipped = 0;
  withheldComments = 0;
  readonly withheld = new Set<string>();
  /** The last line written is a comment outside any block: an entry must not follow it directly. */
  private freeComment = false;

  free(line: string, comment: boolean, origin: Origin = OTHER): void {
    this.lines.push(line);
    this.origins.push(origin);
    this.freeComment = comment;
  }

  /** Before a segment's block and entry: keeps a free comment from joining the block below it. */
  startItem(): void {
    if (this.freeComment) this.free('', false);
    this.freeComment = false;
  }

  block(line: string, origin: Origin = OTHER): void {
    this.lines.push(line);
    this.origins.push(origin);
  }

  entry(line: string, key: string, value: string, origin: Origin = OTHER): void {
    this.lines.push(line);
    this.origins.push(origin);
    this.planned.push({ key, value });
  }
}

/**
 * Level 0 copies example lines as they are; level 1 leaves out lines dotenv cannot read and
 * rewrites example entries whose reading depends on what follows them; level 2 rewrites every
 * example entry (same key, value, `export` and inline comment).
 */
function render(ctx: Context, level: 0 | 1 | 2): Writer {
  const w = new Writer();
  const { src, ex, eol } = ctx;

  const exampleFree = (nodes: readonly EnvNode[]): void => {
    for (const n of nodes) {
      if (n.type === 'invalid' && level > 0) continue;
      w.free(nodeText(ex!, n, eol), n.type === 'comment');
    }
  };
  const sourceFree = (nodes: readonly EnvNode[], asBlock: boolean): void => {
    for (const n of nodes) {
      if (n.type === 'blank') {
        w.free('', false);
        continue;
      }
      if (n.type !== 'comment') {
        w.skipped++;
        continue;
      }
      const line = rewriteComment(ctx, n);
      const origin: Origin = { kind: 'comment', node: n };
      if (!ctx.guard.comment(n, line)) {
        w.skipped++;
        w.withheldComments++;
      } else if (asBlock) w.block(line, origin);
      else w.free(line, true, origin);
    }
  };
  const exampleEntry = (e: EnvEntry): void => {
    if (level === 2 || (level === 1 && ctx.fragile.has(e.index))) {
      const inline = e.commentStart >= 0 ? ' ' + ex!.text.slice(e.commentStart, e.lineEnd).trimEnd() : '';
      const raw = encodeExampleValue(e.key, e.value);
      w.entry((e.exported ? 'export ' : '') + e.key + '=' + (inline ? beforeInlineComment(raw) : raw) + inline, e.key, e.value);
    } else w.entry(nodeText(ex!, e, eol), e.key, e.value);
  };
  const exampleItem = (seg: Segment): void => {
    exampleFree(seg.gap);
    w.startItem();
    for (const n of seg.block) w.block(nodeText(ex!, n, eol));
    exampleEntry(seg.entry);
  };

  if (ctx.exSeg !== undefined && hasContent(ctx.exSeg.preamble, level)) exampleFree(ctx.exSeg.preamble);
  else sourceFree(ctx.srcSeg.preamble, false);
  for (const seg of ctx.extrasTop) exampleItem(seg);

  for (const item of ctx.srcSeg.items) {
    const key = item.entry.key;
    const exItem = ctx.exByKey.get(key);
    if (exItem !== undefined && hasContent(exItem.gap, level)) exampleFree(exItem.gap);
    else sourceFree(item.gap, false);
    w.startItem();
    if (exItem !== undefined && exItem.block.length > 0) for (const n of exItem.block) w.block(nodeText(ex!, n, eol));
    else sourceFree(item.block, true);
    if (exItem !== undefined) exampleEntry(exItem.entry);
    else {
      const last = ctx.srcLast.get(key)!;
      let fake = exampleValue(key, last.value, ctx.options, ctx.guard.taint);
      // A user rule's literal value is written as given (it is the user's own text); anything
      // else the last gate withheld becomes <KEY>.
      if (ctx.guard.hideValue.has(key) && fake.kind !== 'rule') {
        fake = keyPlaceholder(key);
        w.withheld.add(key);
      }
      let line = (last.exported ? 'export ' : '') + key + '=';
      let inline = false;
      if (last.commentStart >= 0) {
        const comment = src.text.slice(last.commentStart, last.lineEnd).trimEnd();
        const secret = fake.kind === 'generate' || isSecretName(key, ctx.options.secretPatterns);
        if (!ctx.guard.inline(last, comment, secret)) {
          w.skipped++;
          w.withheld.add(key);
        } else {
          line += beforeInlineComment(fake.raw) + ' ' + comment;
          inline = true;
        }
      }
      if (!inline) line += fake.raw;
      w.entry(line, key, fake.value, { kind: 'entry', key, inline });
    }
    for (const seg of ctx.extrasAfter.get(key) ?? []) exampleItem(seg);
  }

  if (ctx.exSeg !== undefined && hasContent(ctx.exSeg.post, level)) exampleFree(ctx.exSeg.post);
  else sourceFree(ctx.srcSeg.post, false);
  return w;
}

interface Assembled {
  text: string;
  /** Offset in `text` where each kept line starts (lines past `count` were dropped). */
  starts: number[];
  count: number;
}

/**
 * The lines joined with `eol`. Without a final newline, trailing empty lines go (they would add
 * one); a text of nothing but empty lines is empty (the BOM aside).
 */
function assemble(w: Writer, eol: string, finalNewline: boolean, bom: boolean): Assembled {
  const lines = w.lines;
  let count = lines.length;
  if (lines.every((l) => l === '')) count = 0;
  if (!finalNewline) while (count > 0 && lines[count - 1] === '') count--;
  const starts: number[] = [];
  let at = bom ? 1 : 0;
  for (let i = 0; i < count; i++) {
    starts.push(at);
    at += lines[i]!.length + eol.length;
  }
  const body = lines.slice(0, count).join(eol);
  return { text: (bom ? '\uFEFF' : '') + body + (finalNewline && count > 0 ? eol : ''), starts, count };
}

/** Whether `text` reads back as exactly the planned entries, in order. */
function verify(text: string, planned: readonly Planned[]): boolean {
  const entries = parseEnv(text).entries;
  if (entries.length !== planned.length) return false;
  for (let i = 0; i < entries.length; i++) {
    if (entries[i]!.key !== planned[i]!.key || entries[i]!.value !== planned[i]!.value) return false;
  }
  return true;
}

function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}

/**
 * Brings an example file in line with `.env` (`sourceText`). `exampleText` undefined means there
 * is no example yet. Never throws for any input text; throws KeysmithError only when a user rule's
 * value (or an example value that has to be rewritten) cannot be written in a .env file.
 */
export function syncExample(sourceText: string, exampleText: string | undefined, options: SyncExampleOptions = {}): SyncExampleResult {
  const src = parseEnv(sourceText);
  const ex = exampleText === undefined ? undefined : parseEnv(exampleText);
  const removeExtra = options.removeExtra === true;

  // Keys whose name looks like key material (lines of an unquoted PEM block read as keys, random
  // names) are never copied or named; the example loses any it has.
  const srcHidden = hiddenKeys(src);
  const exHidden = ex === undefined ? undefined : hiddenKeys(ex);
  const hiddenName = (key: string): boolean => srcHidden.names.has(key) || (exHidden?.names.has(key) ?? false);
  const hiddenCount = new Set([...srcHidden.names, ...(exHidden?.names ?? [])]).size;

  const srcLast = new Map<string, EnvEntry>();
  for (const e of src.entries) if (e.key !== '__proto__' && !hiddenName(e.key)) srcLast.set(e.key, e);
  const srcFirst = new Set<string>();
  const srcSeg = segment(src, (e) => {
    if (e.key === '__proto__' || hiddenName(e.key) || srcFirst.has(e.key)) return false;
    srcFirst.add(e.key);
    return true;
  });

  const exLast = new Map<string, EnvEntry>();
  const exKeys: string[] = [];
  if (ex !== undefined) {
    for (const e of ex.entries) {
      if (hiddenName(e.key)) continue;
      if (!exLast.has(e.key)) exKeys.push(e.key);
      exLast.set(e.key, e);
    }
  }
  const exSeg = ex === undefined ? undefined : segment(ex, (e) => exLast.get(e.key) === e && (srcLast.has(e.key) || !removeExtra));

  const exByKey = new Map<string, Segment>();
  const extrasTop: Segment[] = [];
  const extrasAfter = new Map<string, Segment[]>();
  if (exSeg !== undefined) {
    let anchor: string | null = null;
    for (const seg of exSeg.items) {
      const key = seg.entry.key;
      exByKey.set(key, seg);
      if (srcLast.has(key)) anchor = key;
      else if (anchor === null) extrasTop.push(seg);
      else {
        const list = extrasAfter.get(anchor);
        if (list === undefined) extrasAfter.set(anchor, [seg]);
        else list.push(seg);
      }
    }
  }

  const fragile = new Set<number>();
  if (ex !== undefined) {
    for (const p of ex.problems) {
      if (!FRAGILE.has(p.kind)) continue;
      const node = nodeAt(ex, p.start);
      if (node !== undefined && node.type === 'entry') fragile.add(node.index);
    }
  }

  // Everything the example hides: no text copied from .env may repeat it (the leak guard decides).
  const commented: { key: string; value: string }[] = [];
  for (const n of src.nodes) {
    if (n.type !== 'comment') continue;
    const a = commentedAssignment(src.text.slice(n.commentStart + 1, n.lineEnd));
    if (a !== null) commented.push({ key: a.entry.key, value: a.entry.value });
  }
  const keep = (key: string): boolean => matchingRule(key, options.rules)?.value === KEEP_TOKEN && !isSecretName(key, options.secretPatterns);
  const guard = new ExampleGuard(src, options, keep, commented);

  // Conventions: the example's when it has them, else .env's.
  const eol = ex !== undefined && hasLineBreak(exampleText!) ? ex.eol : hasLineBreak(sourceText) ? src.eol : '\n';
  const finalNewline = ex !== undefined && exampleText!.length > 0 ? ex.endsWithNewline : sourceText.length > 0 ? src.endsWithNewline : true;
  const bom = ex !== undefined ? ex.bom : src.bom;

  const ctx: Context = {
    src, ex, srcSeg, exSeg, exByKey, srcLast, extrasTop, extrasAfter, fragile, options, guard, eol,
  };
  let text: string | undefined;
  let done: Writer | undefined;
  levels: for (const level of [0, 1, 2] as const) {
    for (;;) {
      const w = render(ctx, level);
      const candidate = assemble(w, eol, finalNewline, bom);
      if (!verify(candidate.text, w.planned)) {
        if (ex === undefined) break levels;
        continue levels;
      }
      if (!guard.gate(candidate.text, candidate.starts, candidate.count, w.origins)) {
        text = candidate.text;
        done = w;
        break levels;
      }
    }
  }
  if (text === undefined || done === undefined) {
    throw new KeysmithError('unrepresentable', 'Could not write an example file that dotenv reads back as intended.');
  }

  const added: string[] = [];
  const kept: string[] = [];
  for (const item of srcSeg.items) (exLast.has(item.entry.key) ? kept : added).push(item.entry.key);
  const onlyExample = exKeys.filter((k) => !srcLast.has(k));
  return {
    text,
    added,
    kept,
    extra: removeExtra ? [] : onlyExample,
    removed: removeExtra ? onlyExample : [],
    changed: exampleText === undefined || text !== exampleText,
    skipped: done.skipped,
    withheldComments: done.withheldComments,
    withheld: srcSeg.items.map((i) => i.entry.key).filter((k) => done.withheld.has(k)),
    hiddenKeys: hiddenCount,
  };
}
