/**
 * An .env document kept up to date edit by edit: an edit re-parses only the nodes it can change
 * and shifts the others.
 *
 * Which nodes an edit can change: parsing a node reads its own logical line(s) and, in a few of
 * dotenv's quirks (an empty value followed by a quoted one on a later line, an unterminated quote,
 * `KEY` then `=` on the next line), text further on. The parser records, per node, the furthest
 * offset it read (its reach). An edit starting at `s` re-parses from the first node whose reach is
 * at or after `s`, and stops at the first old node boundary after the edit where the new parse
 * lands exactly: from a line start, parsing depends only on the text from there on, so every later
 * node is unchanged but for its offsets (and lines, and entry index), which are shifted in place.
 *
 * Which occurrence of a key wins is recomputed for the keys of the removed and added entries only,
 * from a key → occurrences index.
 *
 * The text is kept in a Rope and the edited region is parsed from a window of it: an edit copies a
 * few KiB, not the whole text. The window grows (doubling) until the parse provably did not read
 * its end: the run stopped on an old node boundary before the window's last character and no node
 * read that far. The whole text is built only when asked for (`text`, `document().text`).
 *
 * Nodes and entries are mutated by later edits: a document from `document()` is valid until the
 * next `edit()`. A differential test checks every state against `parseEnv` of the same text.
 */
import { eolOf, keyHash, nodeIndexAt, parseNodes, type MutableEntry, type NodeRun } from './parse.ts';
import { Rope } from './rope.ts';
import { NumberMap } from '../numbermap.ts';
import type { EnvDocument, EnvEntry, EnvNode, EnvProblem } from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface EditResult {
  /** Index (in the new node list) of the first re-parsed node. */
  readonly first: number;
  /** Nodes parsed afresh, now at `first ..`. */
  readonly added: readonly EnvNode[];
  /** The nodes they replaced, and their text. */
  readonly removed: readonly EnvNode[];
  readonly removedText: string;
  /** Keys whose occurrences changed (so whose winner may have changed). */
  readonly keys: ReadonlySet<string>;
  /** Change of the text length, of the line count, and of the entry count. */
  readonly delta: number;
  readonly lineDelta: number;
  readonly entryDelta: number;
}

function countLines(text: string, from: number, to: number, counts: { lf: number; crlf: number; cr: number }, sign: 1 | -1): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) counts.lf += sign;
    else if (c === 13) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === 10) {
        // A CRLF split by the range end counts as CR here; ranges passed in end at node ends.
        if (i + 1 < to) {
          counts.crlf += sign;
          i++;
        } else counts.cr += sign;
      } else counts.cr += sign;
    }
  }
}

/** First i with items[i].lineStart >= offset (items.length when none). */
function firstFrom(items: readonly { readonly lineStart: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.lineStart < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Replaces `list[from .. to)` by `items`, in place. */
export function splice<T>(list: T[], from: number, to: number, items: readonly T[]): void {
  if (items.length === to - from) {
    for (let i = 0; i < items.length; i++) list[from + i] = items[i]!;
  } else if (items.length <= 4096) list.splice(from, to - from, ...items);
  else {
    const tail = list.slice(to);
    list.length = from;
    for (const x of items) list.push(x);
    for (const x of tail) list.push(x);
  }
}

function shiftProblem(p: EnvProblem, delta: number, lineDelta: number): void {
  const m = p as Mutable<EnvProblem>;
  m.start += delta;
  m.end += delta;
  m.line += lineDelta;
}

/** Moves a node's offsets by `delta`, its lines by `lineDelta` and its entry index by `entryDelta`, in place. */
export function shiftNode(node: EnvNode, delta: number, lineDelta: number, entryDelta: number): void {
  // One branch per node class, each updating all its fields: every field store then sees one
  // hidden class (shared stores before the switch saw four, which Node 20 handles slowly; this
  // loop runs over every node after an edit).
  switch (node.type) {
    case 'entry': {
      const e = node as MutableEntry;
      e.lineStart += delta;
      e.lineEnd += delta;
      e.terminatorEnd += delta;
      e.line += lineDelta;
      if (e.exportStart >= 0) e.exportStart += delta;
      e.keyStart += delta;
      e.keyEnd += delta;
      e.separatorStart += delta;
      e.valueStart += delta;
      e.valueEnd += delta;
      if (e.commentStart >= 0) e.commentStart += delta;
      e.endLine += lineDelta;
      e.index += entryDelta;
      break;
    }
    case 'comment': {
      const m = node as Mutable<typeof node>;
      m.lineStart += delta;
      m.lineEnd += delta;
      m.terminatorEnd += delta;
      m.line += lineDelta;
      m.commentStart += delta;
      break;
    }
    case 'invalid': {
      const m = node as Mutable<typeof node>;
      m.lineStart += delta;
      m.lineEnd += delta;
      m.terminatorEnd += delta;
      m.line += lineDelta;
      m.contentStart += delta;
      break;
    }
    default: {
      const m = node as Mutable<EnvNode>;
      m.lineStart += delta;
      m.lineEnd += delta;
      m.terminatorEnd += delta;
      m.line += lineDelta;
      break;
    }
  }
}

function duplicateProblem(e: EnvEntry, winner: EnvEntry): EnvProblem {
  return {
    kind: 'duplicate-key',
    severity: 'warning',
    line: e.line,
    start: e.keyStart,
    end: e.keyEnd,
    message: `${e.key} is defined again on line ${winner.line + 1}; dotenv uses the last definition, so this one has no effect.`,
    key: e.key,
  };
}

function ignoredKeyProblem(e: EnvEntry): EnvProblem {
  return {
    kind: 'ignored-key',
    severity: 'error',
    line: e.line,
    start: e.keyStart,
    end: e.keyEnd,
    message: 'dotenv.parse drops the key __proto__ (it cannot be stored on a plain object). Rename it.',
    key: e.key,
  };
}

export class IncrementalDoc {
  /** Characters of text parsed after an edit's end at first (doubled while too short; tests lower it). */
  static window = 2048;
  readonly rope: Rope;
  nodes: EnvNode[];
  entries: MutableEntry[];
  /** Per node: furthest offset read to parse it. */
  private reaches: number[];
  /** Per node: its own parse problems. */
  nodeProblems: (EnvProblem[] | null)[];
  /**
   * Key hash → the entry with a key of that hash, or the entries in document order when there are
   * several (keyed by numbers: a Map keyed by the keys themselves, fresh slices of the text, cost
   * more than the parse; split, see NumberMap; no array per key, as nearly every key is unique).
   */
  private readonly byHash = new NumberMap<MutableEntry | MutableEntry[]>();
  /** Keys with more than one occurrence, or `__proto__`. */
  readonly dupKeys = new Set<string>();
  private readonly counts = { lf: 0, crlf: 0, cr: 0 };
  private lineCount: number;

  private current: EnvDocument | undefined;

  constructor(text: string) {
    this.rope = new Rope(text);
    const run = parseNodes(text, 0, 0, 0);
    this.nodes = run.nodes;
    this.entries = run.entries;
    this.reaches = run.reaches;
    this.nodeProblems = run.nodeProblems;
    this.counts.lf = run.counts.lf;
    this.counts.crlf = run.counts.crlf;
    this.counts.cr = run.counts.cr;
    this.lineCount = run.line + 1;
    let dup: number[] | undefined;
    const hashes = run.hashes;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      const h = hashes[i]!; // keyHash(e.key), computed by the parse
      const held = this.byHash.get(h);
      if (held === undefined) this.byHash.set(h, e);
      else if (Array.isArray(held)) held.push(e);
      else {
        this.byHash.set(h, [held, e]);
        (dup ??= []).push(h);
      }
      if (e.key === '__proto__') this.settle(e.key);
    }
    if (dup !== undefined) for (const h of dup) for (const key of new Set(this.listAt(h).map((e) => e.key))) this.settle(key);
  }

  /** The entries of key hash `h`, in document order. */
  private listAt(h: number): MutableEntry[] {
    const held = this.byHash.get(h);
    return held === undefined ? [] : Array.isArray(held) ? held : [held];
  }

  /** The entries with key `key`, in document order. */
  occurrences(key: string): MutableEntry[] {
    const list = this.listAt(keyHash(key));
    for (const e of list) if (e.key !== key) return list.filter((x) => x.key === key);
    return list;
  }

  /** The whole text (built at most once per edit). */
  get text(): string {
    return this.rope.toString();
  }

  /** The text of `[start, end)`, without building the whole text. */
  slice(start: number, end: number): string {
    return this.rope.slice(start, end);
  }

  /** Recomputes which occurrence of `key` wins (the last; none for `__proto__`). */
  private settle(key: string): void {
    const list = this.occurrences(key);
    if (list.length === 0) {
      this.dupKeys.delete(key);
      return;
    }
    const proto = key === '__proto__';
    for (let i = 0; i < list.length; i++) list[i]!.wins = !proto && i === list.length - 1;
    if (list.length > 1 || proto) this.dupKeys.add(key);
    else this.dupKeys.delete(key);
  }

  /** The key's duplicate-key / ignored-key problems (what markWinners reports for it). */
  keyProblems(key: string): EnvProblem[] {
    const list = this.occurrences(key);
    if (list.length === 0) return [];
    if (key === '__proto__') return list.map(ignoredKeyProblem);
    const winner = list[list.length - 1]!;
    return list.slice(0, -1).map((e) => duplicateProblem(e, winner));
  }

  /** Replaces `[start, end)` of the current text by `insert`. */
  edit(start: number, end: number, insert: string): EditResult {
    const rope = this.rope;
    const oldLength = rope.length;
    if (!(start >= 0 && start <= end && end <= oldLength)) throw new RangeError(`edit [${start}, ${end}) outside the text (length ${oldLength})`);
    const delta = insert.length - (end - start);
    const newLength = oldLength + delta;
    const nodes = this.nodes;
    const reaches = this.reaches;
    this.current = undefined;

    // The first node the edit can change: the one holding `start`, or an earlier one reading past it.
    // (A numeric scan: a node far back can read up to here, e.g. an unterminated quote.)
    let a = nodes.length === 0 ? 0 : nodeIndexAt(nodes, start);
    for (let k = 0; k < a; k++) {
      if (reaches[k]! >= start) {
        a = k;
        break;
      }
    }
    const from = a < nodes.length ? nodes[a]!.lineStart : oldLength;
    const fromLine = a < nodes.length ? nodes[a]!.line : this.lineCount - 1;
    const entryFrom = firstFrom(this.entries, from);

    // Re-parse until the new parse lands on an old node boundary at or after the edit's end, from
    // a window of the new text starting at `from` (offsets in the window are relative to `from`).
    const head = rope.slice(from, start) + insert;
    let j = a;
    let run: NodeRun;
    for (let size = IncrementalDoc.window; ; size *= 2) {
      const tailEnd = Math.min(oldLength, end + size);
      const win = head + rope.slice(end, tailEnd);
      const whole = tailEnd === oldLength;
      j = a;
      run = parseNodes(win, 0, fromLine, entryFrom, start + insert.length - 1 - from, (pos) => {
        const abs = pos + from;
        while (j < nodes.length && nodes[j]!.lineStart + delta < abs) j++;
        return j < nodes.length && nodes[j]!.lineStart >= end && nodes[j]!.lineStart + delta === abs;
      });
      if (whole) break;
      // Valid only if nothing depended on where the window was cut.
      const last = win.length - 1;
      if (run.end < last && run.reaches.every((x) => x < last)) break;
    }
    if (from !== 0) {
      for (const node of run.nodes) shiftNode(node, from, 0, 0);
      for (let k = 0; k < run.reaches.length; k++) run.reaches[k]! += from;
      for (const ps of run.nodeProblems) if (ps) for (const p of ps) shiftProblem(p, from, 0);
    }
    const runEnd = run.end + from;
    if (runEnd >= newLength) j = nodes.length;
    const removed = nodes.slice(a, j);
    const oldEnd = j < nodes.length ? nodes[j]!.lineStart : oldLength;
    const lineDelta = j < nodes.length ? run.line - nodes[j]!.line : run.line + 1 - this.lineCount;

    // Line-break tallies: out with the old window's, in with the new one's.
    const removedText = rope.slice(from, oldEnd);
    countLines(removedText, 0, removedText.length, this.counts, -1);
    this.counts.lf += run.counts.lf;
    this.counts.crlf += run.counts.crlf;
    this.counts.cr += run.counts.cr;
    this.lineCount += lineDelta;

    const entryTo = firstFrom(this.entries, oldEnd);
    const removedEntries = this.entries.slice(entryFrom, entryTo);
    const entryDelta = run.entries.length - removedEntries.length;

    // Shift what follows.
    if (delta !== 0 || lineDelta !== 0 || entryDelta !== 0) {
      for (let k = j; k < nodes.length; k++) {
        shiftNode(nodes[k]!, delta, lineDelta, entryDelta);
        reaches[k]! += delta;
        const ps = this.nodeProblems[k];
        if (ps) for (const p of ps) shiftProblem(p, delta, lineDelta);
      }
    }
    splice(nodes, a, j, run.nodes);
    splice(reaches, a, j, run.reaches);
    splice(this.nodeProblems, a, j, run.nodeProblems);
    splice(this.entries, entryFrom, entryTo, run.entries);
    rope.edit(start, end, insert);

    // Winners, for the keys whose occurrences changed.
    const keys = new Set<string>();
    for (const e of removedEntries) {
      keys.add(e.key);
      const h = keyHash(e.key);
      const list = this.listAt(h);
      list.splice(list.indexOf(e), 1);
      if (list.length === 0) this.byHash.delete(h);
      else if (list.length === 1) this.byHash.set(h, list[0]!);
    }
    for (let i = 0; i < run.entries.length; i++) {
      const e = run.entries[i]!;
      keys.add(e.key);
      const h = run.hashes[i]!; // keyHash(e.key), computed by the parse
      const held = this.byHash.get(h);
      if (held === undefined) this.byHash.set(h, e);
      else {
        const list = Array.isArray(held) ? held : [held];
        list.splice(firstFrom(list, e.lineStart), 0, e);
        if (list !== held) this.byHash.set(h, list);
      }
    }
    for (const k of keys) this.settle(k);
    return { first: a, added: run.nodes, removed, removedText, keys, delta, lineDelta, entryDelta };
  }

  /**
   * The current state as an EnvDocument (the same object until the next edit, which invalidates
   * it; `text` and `problems` are built on first use).
   */
  document(): EnvDocument {
    if (this.current !== undefined) return this.current;
    const rope = this.rope;
    const n = rope.length;
    const last = n > 0 ? rope.slice(n - 1, n).charCodeAt(0) : 0;
    const first = n > 0 ? rope.slice(0, 1).charCodeAt(0) : 0;
    const nodeProblems = this.nodeProblems;
    const dupKeys = [...this.dupKeys];
    const keyProblems = (k: string) => this.keyProblems(k);
    let problems: EnvProblem[] | undefined;
    this.current = {
      get text(): string {
        return rope.toString();
      },
      nodes: this.nodes,
      entries: this.entries,
      get problems(): readonly EnvProblem[] {
        if (problems === undefined) {
          const all: EnvProblem[] = [];
          for (const ps of nodeProblems) if (ps) for (const p of ps) all.push(p);
          for (const k of dupKeys) all.push(...keyProblems(k));
          problems = all.sort((x, y) => x.start - y.start);
        }
        return problems;
      },
      bom: first === 0xfeff,
      eol: eolOf(this.counts),
      endsWithNewline: last === 10 || last === 13,
      lineCount: this.lineCount,
    };
    return this.current;
  }
}
