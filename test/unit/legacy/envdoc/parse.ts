// Frozen copy of src/core/envdoc/parse.ts (before the issue #12 parser speed work): the reference that
// parse-equivalence.test.ts compares the optimised parser with. Do not edit.

/**
 * A single-pass, lossless .env parser that reproduces `dotenv.parse` (dotenv 18, default parser).
 *
 * dotenv's default parser normalises CRLF/CR to LF and then runs one global, multiline regex:
 *
 *   /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|
 *    \s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/mg
 *
 * then trims the captured value, strips one pair of matching outer quotes
 * (`/^(['"`])([\s\S]*)\1$/mg`) and, when the trimmed value began with `"`, turns the two-character
 * sequences `\n` and `\r` into LF and CR. The last occurrence of a key wins (`obj[key] = value`,
 * so `__proto__` is silently dropped).
 *
 * Working out that regex's backtracking by hand gives the rules this parser follows without
 * regexes or normalisation (offsets stay those of the original text; CRLF counts as one char):
 *
 * - A match can only begin at the first non-whitespace character of a logical line (terminators:
 *   CRLF, CR, LF, U+2028, U+2029; `\s` includes all of them, U+FEFF and Unicode spaces).
 * - `export` + whitespace + a key character starts the `export` form; if the separator after that
 *   key fails the whole line fails. (If the whitespace crosses a line break, dotenv would glue the
 *   two lines, which yields exactly what parsing the next line on its own yields, so we do that.)
 * - The key is the maximal run of `[A-Za-z0-9_.-]`. The separator is whitespace (line breaks
 *   included!) then `=`, or a `:` right after the key followed by exactly one whitespace char
 *   (possibly a line break).
 * - The value search starts right after the separator (the lazy `\s*?` never needs to grow):
 *   - If the first non-whitespace character (again, possibly on a later line) is a quote Q, the
 *     closing candidates are the Q characters after it up to and including the first Q not
 *     preceded by a backslash ("unescaped"); they are tried from the last to the first, and one is
 *     accepted when what follows it on its line is whitespace and then `#`, a line break or the end.
 *     The value is what lies between the quotes.
 *   - Otherwise the value is everything up to the first `#`, CR or LF (U+2028/U+2029 included),
 *     trimmed; then outer matching quotes are stripped and `\n`/`\r` are expanded if it began with
 *     a double quote.
 * - Whatever the regex consumes after the value is whitespace plus at most one comment, so the
 *   next logical line can always be parsed on its own.
 */
import type {
  EnvBlankLine,
  EnvCommentLine,
  EnvDocument,
  EnvEntry,
  EnvInvalidLine,
  EnvNode,
  EnvProblem,
  EnvProblemKind,
  EnvProblemSeverity,
  EnvQuote,
} from './types.ts';
import {
  BACKSLASH,
  BACKTICK,
  COLON,
  CR,
  DQUOTE,
  EQUALS,
  HASH,
  LF,
  LS,
  PS,
  SQUOTE,
  isKeyChar,
  isWs,
  lineEndFrom,
  terminatorEndAt,
} from './chars.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type MutableEntry = Mutable<EnvEntry>;

export interface Counts {
  lf: number;
  crlf: number;
  cr: number;
  /** FNV-1a hash of the key of the entry `matchEntry` just returned. */
  keyHash: number;
}

/**
 * The furthest offset the parser has looked at while reading the current node (`n` when it looked
 * for something up to the end of the text). An edit after a node's reach cannot change how that
 * node parses; incremental re-parsing relies on this (see incremental.ts).
 */
let reach = 0;
const see = (i: number): void => {
  if (i > reach) reach = i;
};

/** dotenv's outer-quote strip, used verbatim when a value contains U+2028/U+2029 (its `m` flag). */
const QUOTE_STRIP = /^(['"`])([\s\S]*)\1$/gm;
const ANY_BREAK = /[\r\n\u2028\u2029]/;
const SPLIT_BREAKS = /\r\n|[\r\n\u2028\u2029]/;
/** A line inside a quoted value that looks like an assignment (base64 padding lines excluded). */
const LOOKS_LIKE_ENTRY = /^[\t ]*(?:export[\t ]+)?[A-Za-z_][A-Za-z0-9_.-]*[\t ]*=(?!=*[\t ]*$)/;
const DQ_UNSUPPORTED_ESCAPE = /\\(?:[^nr]|$)/;

/** dotenv's double-quote expansion: `\n` then `\r` (two-character sequences) to LF and CR. */
function expandDoubleQuoted(s: string): string {
  return s.indexOf('\\') === -1 ? s : s.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
}

/**
 * After a closing-quote candidate: skip whitespace on the same logical line; accept at `#`, a line
 * terminator or the end. Returns the offset where it stopped, or -1 when something else follows.
 */
function restStop(text: string, j: number, n: number): number {
  for (; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === HASH || c === LF || c === CR || c === LS || c === PS) {
      see(j);
      return j;
    }
    if (!isWs(c)) {
      see(j);
      return -1;
    }
  }
  see(n);
  return n;
}

/** Counts editor line breaks (CRLF, CR, LF) in `[from, to)`, tallying their kinds. */
function countBreaks(text: string, from: number, to: number, counts: Counts): number {
  let lines = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      counts.lf++;
      lines++;
    } else if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) {
        i++;
        counts.crlf++;
      } else counts.cr++;
      lines++;
    }
  }
  return lines;
}

/** Editor lines added by the terminator at `e` (0 for U+2028/U+2029 or the end). */
function countTerminator(text: string, e: number, n: number, counts: Counts): number {
  if (e >= n) return 0;
  const c = text.charCodeAt(e);
  if (c === LF) {
    counts.lf++;
    return 1;
  }
  if (c === CR) {
    if (e + 1 < n && text.charCodeAt(e + 1) === LF) counts.crlf++;
    else counts.cr++;
    return 1;
  }
  return 0;
}

function lineOf(text: string, from: number, fromLine: number, offset: number): number {
  let line = fromLine;
  for (let i = from; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) line++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) line++;
  }
  return line;
}

function problem(
  kind: EnvProblemKind,
  severity: EnvProblemSeverity,
  line: number,
  start: number,
  end: number,
  message: string,
  key?: string,
): EnvProblem {
  return key === undefined ? { kind, severity, line, start, end, message } : { kind, severity, line, start, end, message, key };
}

function unusualBreak(text: string, from: number, fromLine: number, at: number, message: string, key?: string): EnvProblem {
  return problem('unusual-line-break', 'warning', lineOf(text, from, fromLine, at), at, at + 1, message, key);
}

const LINE_SEPARATOR_MESSAGE =
  'This U+2028/U+2029 character is a line break for dotenv but not for editors: what follows it is read as a new line (possibly an entry hidden in a comment). Replace it with a real line break or remove it.';

/** Flags a logical line that ends in U+2028/U+2029. */
function checkTerminator(text: string, e: number, n: number, pos: number, line: number, problems: EnvProblem[]): void {
  if (e < n) {
    const t = text.charCodeAt(e);
    if (t === LS || t === PS) problems.push(unusualBreak(text, pos, line, e, LINE_SEPARATOR_MESSAGE));
  }
}

const QUOTE_NAMES: Record<string, string> = { "'": 'single quote', '"': 'double quote', '`': 'backtick' };

/**
 * Tries dotenv's match at `q`, the first non-whitespace character of the logical line starting at
 * `pos`. Returns the entry, or null when dotenv finds no match there.
 */
function matchEntry(
  text: string,
  n: number,
  pos: number,
  q: number,
  line: number,
  index: number,
  problems: EnvProblem[],
  counts: Counts,
): MutableEntry | null {
  const c0 = text.charCodeAt(q);
  if (!isKeyChar(c0)) return null;
  let ks = q;
  let exportStart = -1;
  let d = 0;
  if (c0 === 101 && q + 6 < n && text.startsWith('export', q) && isWs(text.charCodeAt(q + 6))) {
    let s = q + 6;
    let crossed = false;
    while (s < n) {
      d = text.charCodeAt(s);
      if (!isWs(d)) break;
      if (d === LF || d === CR || d === LS || d === PS) crossed = true;
      s++;
    }
    see(s);
    if (s < n && isKeyChar(d)) {
      // The "export KEY" form. If it fails, so does reading "export" itself as the key (a key
      // character follows the whitespace, not "="). Across a line break the next line stands alone.
      if (crossed) return null;
      ks = s;
      exportStart = q;
    }
  }

  // Key: the maximal run of [A-Za-z0-9_.-].
  let ke = ks;
  let portable = !(text.charCodeAt(ks) >= 48 && text.charCodeAt(ks) <= 57);
  let hash = 0x811c9dc5;
  while (ke < n) {
    d = text.charCodeAt(ke);
    if (!isKeyChar(d)) break;
    if (d === 45 || d === 46) portable = false;
    hash = Math.imul(hash ^ d, 0x01000193);
    ke++;
  }

  // Separator: \s*=  |  :\s (one whitespace char, CRLF counting as one)
  let w = ke;
  let sepCrossed = false;
  d = -1;
  while (w < n) {
    d = text.charCodeAt(w);
    if (!isWs(d)) break;
    if (d === LF || d === CR || d === LS || d === PS) sepCrossed = true;
    w++;
  }
  see(w + 2);
  let separator: '=' | ':';
  let separatorStart: number;
  let v: number;
  let colonBreak = false;
  if (w < n && d === EQUALS) {
    separator = '=';
    separatorStart = w;
    v = w + 1;
  } else if (ke < n && text.charCodeAt(ke) === COLON && ke + 1 < n && isWs(text.charCodeAt(ke + 1))) {
    separator = ':';
    separatorStart = ke;
    sepCrossed = false;
    const e = text.charCodeAt(ke + 1);
    if (e === CR && ke + 2 < n && text.charCodeAt(ke + 2) === LF) {
      v = ke + 3;
      colonBreak = true;
    } else {
      v = ke + 2;
      colonBreak = e === LF || e === CR || e === LS || e === PS;
    }
  } else return null;

  const key = text.slice(ks, ke);
  counts.keyHash = hash;
  let multi = sepCrossed || colonBreak;
  let quote: EnvQuote | null = null;
  let valueStart = v;
  let valueEnd = v;
  let value = '';
  let commentStart = -1;
  let lineEnd = -1;
  let valueOnNextLine = false;
  // Problem flags, resolved after the value is known.
  let rawContent: string | null = null;
  let literalQuoteStart = -1;
  let inlineHash = false;
  let innerSpace = false;
  let lspsAt = -1;
  let closedOnEscape = false;

  // Quoted value: the first non-whitespace character after the separator (any line) is a quote.
  let l = v;
  let lCrossed = colonBreak;
  d = -1;
  while (l < n) {
    d = text.charCodeAt(l);
    if (!isWs(d)) break;
    if (d === LF || d === CR || d === LS || d === PS) lCrossed = true;
    l++;
  }
  see(l);
  if (l < n && (d === SQUOTE || d === DQUOTE || d === BACKTICK)) {
    const qch = d === SQUOTE ? "'" : d === DQUOTE ? '"' : '`';
    let close = -1;
    let stop = -1;
    let escaped: number[] | null = null;
    let ci = text.indexOf(qch, l + 1);
    see(ci === -1 ? n : ci);
    while (ci !== -1) {
      if (text.charCodeAt(ci - 1) !== BACKSLASH) {
        stop = restStop(text, ci + 1, n);
        if (stop !== -1) close = ci;
        break;
      }
      if (escaped === null) escaped = [];
      escaped.push(ci);
      ci = text.indexOf(qch, ci + 1);
      see(ci === -1 ? n : ci);
    }
    if (close === -1 && escaped !== null) {
      for (let i = escaped.length - 1; i >= 0; i--) {
        stop = restStop(text, escaped[i]! + 1, n);
        if (stop !== -1) {
          close = escaped[i]!;
          break;
        }
      }
    }
    if (close !== -1) {
      closedOnEscape = text.charCodeAt(close - 1) === BACKSLASH;
      quote = qch;
      valueStart = l;
      valueEnd = close + 1;
      let content = text.slice(l + 1, close);
      rawContent = content;
      if (ANY_BREAK.test(content)) {
        multi = true;
        if (content.indexOf('\r') !== -1) content = content.replace(/\r\n?/g, '\n');
      }
      value = d === DQUOTE ? expandDoubleQuoted(content) : content;
      valueOnNextLine = lCrossed;
      if (lCrossed) multi = true;
      if (stop < n && text.charCodeAt(stop) === HASH) {
        commentStart = stop;
        lineEnd = lineEndFrom(text, stop + 1, n);
      } else lineEnd = stop;
    }
  }

  if (quote === null) {
    // Unquoted: [^#\r\n]+ from v, trimmed.
    let i = v;
    let a = -1;
    let b = v;
    let pending = false;
    let lsps = false;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch === HASH || ch === LF || ch === CR) break;
      if (isWs(ch)) {
        if (a !== -1) pending = true;
        if (ch === LS || ch === PS) {
          if (!lsps) lspsAt = i;
          lsps = true;
        }
      } else {
        if (a === -1) a = i;
        else if (pending) innerSpace = true;
        pending = false;
        b = i + 1;
      }
    }
    if (a !== -1) {
      valueStart = a;
      valueEnd = b;
      const first = text.charCodeAt(a);
      let s: string;
      if (lsps) s = text.slice(a, b).replace(QUOTE_STRIP, '$2');
      else if (b - a >= 2 && (first === SQUOTE || first === DQUOTE || first === BACKTICK) && text.charCodeAt(b - 1) === first) {
        s = text.slice(a + 1, b - 1);
      } else s = text.slice(a, b);
      value = first === DQUOTE ? expandDoubleQuoted(s) : s;
      if (first === SQUOTE || first === DQUOTE || first === BACKTICK) literalQuoteStart = a;
      valueOnNextLine = colonBreak;
    }
    if (i < n && text.charCodeAt(i) === HASH) {
      commentStart = i;
      lineEnd = lineEndFrom(text, i + 1, n);
      inlineHash = !isWs(text.charCodeAt(i - 1));
    } else lineEnd = i;
  }

  const terminatorEnd = terminatorEndAt(text, lineEnd, n);
  const endLine = multi ? line + countBreaks(text, pos, lineEnd, counts) : line;
  const entry: MutableEntry = {
    type: 'entry',
    index,
    key,
    value,
    wins: true,
    quote,
    exported: exportStart !== -1,
    exportStart,
    keyStart: ks,
    keyEnd: ke,
    separator,
    separatorStart,
    valueStart,
    valueEnd,
    commentStart,
    line,
    endLine,
    lineStart: pos,
    lineEnd,
    terminatorEnd,
  };

  // Problems (rare paths).
  if (lspsAt !== -1 && lspsAt < valueEnd && valueStart !== valueEnd) {
    problems.push(unusualBreak(text, pos, line, lspsAt, `${key}'s unquoted value runs across a U+2028/U+2029 character, which dotenv treats as a line break but editors do not show as one.`, key));
  }
  if (!portable) {
    problems.push(
      problem('nonportable-key', 'info', line, ks, ke, `dotenv accepts the key ${key}, but it is not a valid shell variable name (use letters, digits and '_', not starting with a digit).`, key),
    );
  }
  if (sepCrossed) {
    problems.push(
      problem('equals-on-next-line', 'warning', line, ks, separatorStart + 1, `The '=' for ${key} is on a later line; dotenv still joins them. Put '=' on the same line as the key.`, key),
    );
  }
  if (separator === ':') {
    problems.push(
      problem('colon-separator', 'info', line, separatorStart, separatorStart + 1, `${key} uses 'KEY: value'; dotenv accepts it but most other tools expect 'KEY=value'.`, key),
    );
  }
  if (valueOnNextLine) {
    problems.push(
      problem('value-on-next-line', 'warning', lineOf(text, pos, line, valueStart), valueStart, valueEnd, `dotenv takes the value of ${key} from a following line. Put the value on the same line as the key.`, key),
    );
  }
  if (literalQuoteStart !== -1) {
    const qc = text.charCodeAt(literalQuoteStart);
    const le = lineEndFrom(text, literalQuoteStart + 1, n);
    let closed = false;
    for (let j = literalQuoteStart + 1; j < le; j++) {
      if (text.charCodeAt(j) === qc && text.charCodeAt(j - 1) !== BACKSLASH) {
        closed = true;
        break;
      }
    }
    const qname = QUOTE_NAMES[text[literalQuoteStart]!]!;
    const pline = lineOf(text, pos, line, literalQuoteStart);
    if (closed) {
      problems.push(
        problem('text-after-quote', 'warning', pline, valueStart, valueEnd, `Text follows the closing ${qname} of ${key}'s value, so dotenv reads the whole value as unquoted text, quote characters included.`, key),
      );
    } else {
      problems.push(
        problem('unterminated-quote', 'error', pline, literalQuoteStart, lineEndFrom(text, literalQuoteStart + 1, n), `The opening ${qname} of ${key}'s value is not closed on its line, so dotenv reads the value as unquoted text (quote included, cut at any '#').`, key),
      );
    }
  } else if (inlineHash) {
    problems.push(
      problem('inline-hash', 'warning', lineOf(text, pos, line, commentStart), commentStart, lineEnd, `dotenv treats '#' as the start of a comment even without a space before it, so ${key}'s value ends there. Quote the value to keep the '#'.`, key),
    );
  }
  if (innerSpace && literalQuoteStart === -1) {
    problems.push(
      problem('unquoted-space', 'info', lineOf(text, pos, line, valueStart), valueStart, valueEnd, `${key}'s value contains whitespace but is not quoted; dotenv keeps it, shells and some tools split it. Quote the value.`, key),
    );
  }
  if (rawContent !== null) {
    if (closedOnEscape) {
      const qname = QUOTE_NAMES[quote!]!;
      problems.push(
        problem('escaped-closing-quote', 'warning', lineOf(text, pos, line, valueEnd - 2), valueEnd - 2, valueEnd, `The closing ${qname} of ${key}'s value is escaped with a backslash. dotenv still ends the value there (keeping the backslash) because no later ${qname} fits, but a ${qname} added further down would change that.`, key),
      );
      rawContent = rawContent.slice(0, -1);
    }
    if (rawContent.indexOf('\\') !== -1) {
      const bad = quote === '"' ? DQ_UNSUPPORTED_ESCAPE.test(rawContent) : rawContent.indexOf('\\' + quote) !== -1;
      if (bad) {
        problems.push(
          problem('unsupported-escape', 'info', lineOf(text, pos, line, valueStart), valueStart, valueEnd,
            quote === '"'
              ? `${key}'s value has backslash escapes dotenv does not interpret: only \\n and \\r are expanded in double quotes; other backslashes (\\\\, \\", \\t, ...) stay as typed.`
              : `${key}'s value contains a backslash-escaped quote; dotenv keeps the backslash.`,
            key),
        );
      }
    }
    if (multi && ANY_BREAK.test(rawContent)) {
      const segs = rawContent.split(SPLIT_BREAKS);
      // The last segment is the closing line up to the closing quote; a line like `B="` that
      // closes the value is itself a swallowed entry, so the quote is put back for the test.
      segs[segs.length - 1] += quote;
      for (let i = 1; i < segs.length; i++) {
        if (LOOKS_LIKE_ENTRY.test(segs[i]!)) {
          problems.push(
            problem('swallowed-lines', 'error', lineOf(text, pos, line, valueStart), valueStart, valueEnd, `The quoted value of ${key} spans ${segs.length} lines and takes in what looks like another entry; a closing quote may be missing.`, key),
          );
          break;
        }
      }
    }
  }
  return entry;
}

/** Sets `wins` (entries start with `wins: true`) and returns duplicate/ignored-key problems. */
export function markWinners(entries: MutableEntry[], hashes: number[]): EnvProblem[] {
  const out: EnvProblem[] = [];
  const m = entries.length;
  if (m === 0) return out;
  let cap = 16;
  while (cap < m * 2) cap *= 2;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  /** Overridden entries and the table slot of their key. */
  let losers: number[] | null = null;
  let slots: number[] | null = null;
  for (let i = 0; i < m; i++) {
    const en = entries[i]!;
    const key = en.key;
    if (key.length === 9 && key === '__proto__') {
      en.wins = false;
      out.push(problem('ignored-key', 'error', en.line, en.keyStart, en.keyEnd, 'dotenv.parse drops the key __proto__ (it cannot be stored on a plain object). Rename it.', key));
      continue;
    }
    let slot = hashes[i]! & mask;
    for (;;) {
      const j = table[slot]!;
      if (j === -1) {
        table[slot] = i;
        break;
      }
      if (entries[j]!.key === key) {
        entries[j]!.wins = false;
        table[slot] = i;
        (losers ??= []).push(j);
        (slots ??= []).push(slot);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  if (losers !== null) {
    for (let k = 0; k < losers.length; k++) {
      const en = entries[losers[k]!]!;
      const winner = entries[table[slots![k]!]!]!;
      out.push(
        problem('duplicate-key', 'warning', en.line, en.keyStart, en.keyEnd, `${en.key} is defined again on line ${winner.line + 1}; dotenv uses the last definition, so this one has no effect.`, en.key),
      );
    }
    if (!sortedByStart(out)) out.sort((x, y) => x.start - y.start);
  }
  return out;
}

function sortedByStart(a: EnvProblem[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]!.start > a[i]!.start) return false;
  return true;
}

/** Merges two lists sorted by start (ties: `a` first). */
function mergeByStart(a: EnvProblem[], b: EnvProblem[]): EnvProblem[] {
  if (a.length === 0) return b;
  const out: EnvProblem[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.start <= b[j]!.start ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** What `parseNodes` produces for a run of nodes. */
export interface NodeRun {
  nodes: EnvNode[];
  entries: MutableEntry[];
  /** FNV-1a hash of each entry's key. */
  hashes: number[];
  /** Per node: the furthest offset read to parse it (see `reach`). */
  reaches: number[];
  /** Per node: its parse problems, or null (duplicate/ignored-key problems are per key, from markWinners). */
  nodeProblems: (EnvProblem[] | null)[];
  /** Line breaks by kind in the run. */
  counts: Counts;
  /** Offset after the last node, and the editor line there. */
  end: number;
  line: number;
}

/**
 * Parses nodes from `pos` (the start of a logical line, on editor line `line`), numbering entries
 * from `entryIndex`, until the end of the text or until `stop(offset)` is true at a node boundary
 * after `minEnd`. Parsing from a line start depends only on the text from there on, so a run can
 * resume anywhere a node began.
 */
export function parseNodes(text: string, pos: number, line: number, entryIndex: number, minEnd = 0, stop?: (offset: number) => boolean): NodeRun {
  const n = text.length;
  const nodes: EnvNode[] = [];
  const entries: MutableEntry[] = [];
  const problems: EnvProblem[] = [];
  const counts: Counts = { lf: 0, crlf: 0, cr: 0, keyHash: 0 };
  const hashes: number[] = [];
  const reaches: number[] = [];
  const nodeProblems: (EnvProblem[] | null)[] = [];
  while (pos < n && (pos <= minEnd || stop === undefined || !stop(pos))) {
    const before = problems.length;
    reach = pos;
    let q = pos;
    let c = 0;
    while (q < n) {
      c = text.charCodeAt(q);
      if (!isWs(c) || c === LF || c === CR || c === LS || c === PS) break;
      q++;
    }
    let next: number;
    if (q === n || c === LF || c === CR || c === LS || c === PS) {
      const te = terminatorEndAt(text, q, n);
      const node: EnvBlankLine = { type: 'blank', line, lineStart: pos, lineEnd: q, terminatorEnd: te };
      nodes.push(node);
      if (te === q + 1) checkTerminator(text, q, n, pos, line, problems);
      line += countTerminator(text, q, n, counts);
      next = te;
    } else if (c === HASH) {
      const e = lineEndFrom(text, q + 1, n);
      const te = terminatorEndAt(text, e, n);
      const node: EnvCommentLine = { type: 'comment', line, lineStart: pos, lineEnd: e, terminatorEnd: te, commentStart: q };
      nodes.push(node);
      if (te === e + 1) checkTerminator(text, e, n, pos, line, problems);
      line += countTerminator(text, e, n, counts);
      next = te;
    } else {
      const entry = matchEntry(text, n, pos, q, line, entryIndex + entries.length, problems, counts);
      if (entry !== null) {
        entries.push(entry);
        hashes.push(counts.keyHash);
        if (entry.terminatorEnd === entry.lineEnd + 1) checkTerminator(text, entry.lineEnd, n, pos, line, problems);
        nodes.push(entry);
        line = entry.endLine + countTerminator(text, entry.lineEnd, n, counts);
        next = entry.terminatorEnd;
      } else {
        // A line dotenv does not match.
        let e = q + 1;
        let eq = -1;
        for (; e < n; e++) {
          const ch = text.charCodeAt(e);
          if (ch === LF || ch === CR || ch === LS || ch === PS) break;
          if (ch === EQUALS && eq === -1) eq = e;
        }
        if (c === EQUALS) eq = q;
        const te = terminatorEndAt(text, e, n);
        const node: EnvInvalidLine = { type: 'invalid', line, lineStart: pos, lineEnd: e, terminatorEnd: te, contentStart: q };
        nodes.push(node);
        if (eq === -1) {
          let end = e;
          while (end > q && isWs(text.charCodeAt(end - 1))) end--;
          problems.push(problem('no-equals', 'warning', line, q, end, "dotenv ignores this line: it is not a comment and has no '='."));
        } else if (eq === q) {
          problems.push(problem('invalid-key', 'error', line, q, q + 1, "dotenv ignores this line: there is no key before '='."));
        } else {
          let end = eq;
          while (end > q && isWs(text.charCodeAt(end - 1))) end--;
          problems.push(
            problem('invalid-key', 'error', line, q, end, "dotenv ignores this line: the name before '=' may only contain letters, digits, '_', '.' and '-' (optionally after 'export ')."),
          );
        }
        if (te === e + 1) checkTerminator(text, e, n, pos, line, problems);
        line += countTerminator(text, e, n, counts);
        next = te;
      }
    }
    reaches.push(Math.max(reach, next));
    nodeProblems.push(problems.length === before ? null : problems.slice(before));
    pos = next;
  }
  return { nodes, entries, hashes, reaches, nodeProblems, counts, end: pos, line };
}

/** The document-level fields computed from the line-break counts. */
export function eolOf(counts: { lf: number; crlf: number; cr: number }): '\n' | '\r\n' | '\r' {
  return counts.crlf > counts.lf && counts.crlf >= counts.cr ? '\r\n' : counts.cr > counts.lf && counts.cr > counts.crlf ? '\r' : '\n';
}

/**
 * Parses .env text into a lossless document. Never throws; every string (including lone
 * surrogates, NULs, any mix of line breaks) is accepted and `printEnv(parseEnv(t)) === t`.
 */
export function parseEnv(input: string): EnvDocument {
  const text = typeof input === 'string' ? input : String(input ?? '');
  const n = text.length;
  const run = parseNodes(text, 0, 0, 0);
  const { nodes, entries, hashes, counts } = run;
  const line = run.line;
  const problems: EnvProblem[] = [];
  for (const p of run.nodeProblems) if (p !== null) for (const x of p) problems.push(x);

  // Which occurrence wins: the last one of each key, as `obj[key] = value` does; `__proto__`
  // assignments are swallowed by the prototype setter. An open-addressing table over the key
  // hashes computed during the scan (cheaper than a Map of 100k fresh strings).
  const extra = markWinners(entries, hashes);
  const all = extra.length === 0 ? problems : mergeByStart(problems, extra);
  if (!sortedByStart(all)) all.sort((x, y) => x.start - y.start);

  const eol = eolOf(counts);
  const last = n > 0 ? text.charCodeAt(n - 1) : 0;
  return {
    text,
    nodes,
    entries,
    problems: all,
    bom: n > 0 && text.charCodeAt(0) === 0xfeff,
    eol,
    endsWithNewline: last === LF || last === CR,
    lineCount: line + 1,
  };
}

/** Largest i with items[i].lineStart <= offset (0 when none): the node holding `offset`, as nodes tile the text. */
export function nodeIndexAt(items: readonly { readonly lineStart: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (items[mid]!.lineStart <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
