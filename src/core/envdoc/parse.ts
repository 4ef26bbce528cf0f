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

const QUOTE_NAMES: Record<string, string> = { "'": 'single quote', '"': 'double quote', '`': 'backtick' };

interface EntryConstructor {
  new (
    index: number, key: string, value: string, quote: EnvQuote | null, exportStart: number, keyStart: number, keyEnd: number,
    separator: '=' | ':', separatorStart: number, valueStart: number, valueEnd: number, commentStart: number, line: number,
    endLine: number, lineStart: number, lineEnd: number, terminatorEnd: number,
  ): MutableEntry;
}

/**
 * Builds entry nodes: plain objects (their prototype is Object.prototype, their own fields those of
 * EnvEntry, in this order), made by a constructor rather than an object literal because V8 moves a
 * literal whose objects outlive a scavenge to old-space allocation ("pretenuring"), which made
 * every entry of a large file several times slower to create.
 */
const Entry = function (
  this: MutableEntry,
  index: number, key: string, value: string, quote: EnvQuote | null, exportStart: number, keyStart: number, keyEnd: number,
  separator: '=' | ':', separatorStart: number, valueStart: number, valueEnd: number, commentStart: number, line: number,
  endLine: number, lineStart: number, lineEnd: number, terminatorEnd: number,
): void {
  this.type = 'entry';
  this.index = index;
  this.key = key;
  this.value = value;
  this.wins = true;
  this.quote = quote;
  this.exported = exportStart !== -1;
  this.exportStart = exportStart;
  this.keyStart = keyStart;
  this.keyEnd = keyEnd;
  this.separator = separator;
  this.separatorStart = separatorStart;
  this.valueStart = valueStart;
  this.valueEnd = valueEnd;
  this.commentStart = commentStart;
  this.line = line;
  this.endLine = endLine;
  this.lineStart = lineStart;
  this.lineEnd = lineEnd;
  this.terminatorEnd = terminatorEnd;
} as unknown as EntryConstructor;
Entry.prototype = Object.prototype as MutableEntry;

/** Blank, comment and invalid-line nodes: plain objects too (see Entry). */
const Blank = function (this: Mutable<EnvBlankLine>, line: number, lineStart: number, lineEnd: number, terminatorEnd: number): void {
  this.type = 'blank';
  this.line = line;
  this.lineStart = lineStart;
  this.lineEnd = lineEnd;
  this.terminatorEnd = terminatorEnd;
} as unknown as new (line: number, lineStart: number, lineEnd: number, terminatorEnd: number) => EnvBlankLine;
Blank.prototype = Object.prototype as EnvBlankLine;

const Comment = function (this: Mutable<EnvCommentLine>, line: number, lineStart: number, lineEnd: number, terminatorEnd: number, commentStart: number): void {
  this.type = 'comment';
  this.line = line;
  this.lineStart = lineStart;
  this.lineEnd = lineEnd;
  this.terminatorEnd = terminatorEnd;
  this.commentStart = commentStart;
} as unknown as new (line: number, lineStart: number, lineEnd: number, terminatorEnd: number, commentStart: number) => EnvCommentLine;
Comment.prototype = Object.prototype as EnvCommentLine;

const Invalid = function (this: Mutable<EnvInvalidLine>, line: number, lineStart: number, lineEnd: number, terminatorEnd: number, contentStart: number): void {
  this.type = 'invalid';
  this.line = line;
  this.lineStart = lineStart;
  this.lineEnd = lineEnd;
  this.terminatorEnd = terminatorEnd;
  this.contentStart = contentStart;
} as unknown as new (line: number, lineStart: number, lineEnd: number, terminatorEnd: number, contentStart: number) => EnvInvalidLine;
Invalid.prototype = Object.prototype as EnvInvalidLine;

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
  /** The quoted content holds a backslash / a line break. */
  let hasBackslash = false;
  let hasBreak = false;

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
      let hasCR = false;
      for (let k = l + 1; k < close; k++) {
        const ch = text.charCodeAt(k);
        if (ch === BACKSLASH) hasBackslash = true;
        else if (ch === LF || ch === LS || ch === PS) hasBreak = true;
        else if (ch === CR) hasCR = hasBreak = true;
      }
      let content = text.slice(l + 1, close);
      rawContent = content;
      if (hasBreak) {
        multi = true;
        if (hasCR) content = content.replace(/\r\n?/g, '\n');
      }
      value = d === DQUOTE && hasBackslash ? expandDoubleQuoted(content) : content;
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
      if (ch > 32 && ch < 127 && ch !== HASH) {
        // Printable ASCII: the common case.
        if (a === -1) a = i;
        else if (pending) innerSpace = true;
        pending = false;
        b = i + 1;
        continue;
      }
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
  const entry: MutableEntry = new Entry(index, key, value, quote, exportStart, ks, ke, separator, separatorStart, valueStart, valueEnd, commentStart, line, endLine, pos, lineEnd, terminatorEnd);

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
  if (rawContent !== null && (hasBackslash || hasBreak)) {
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

/** FNV-1a hash of `__proto__`, as matchEntry computes key hashes. */
/** FNV-1a hash of a key: what matchEntry computes while it reads the key (NodeRun.hashes). */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

const PROTO_HASH = keyHash('__proto__');

/**
 * Sets `wins` (entries start with `wins: true`) and returns duplicate/ignored-key problems, sorted
 * by start. An open-addressing table over the key hashes computed during the scan (cheaper than a
 * Map of 100k fresh strings); keys are compared only when their full 32-bit hashes are equal.
 */
export function markWinners(entries: MutableEntry[], hashes: ArrayLike<number>): EnvProblem[] {
  const out: EnvProblem[] = [];
  const m = entries.length;
  if (m === 0) return out;
  let cap = 16;
  while (cap < m * 2) cap *= 2;
  const mask = cap - 1;
  // Slot s holds [1 + entry index (0: empty), key hash] at 2s, 2s + 1: one cache line per probe.
  const table = winnerTable(cap * 2);
  /** Overridden entries and the table slot of their key. */
  let losers: number[] | null = null;
  let slots: number[] | null = null;
  for (let i = 0; i < m; i++) {
    const h = hashes[i]! | 0;
    if (h === PROTO_HASH) {
      const en = entries[i]!;
      if (en.key === '__proto__') {
        en.wins = false;
        out.push(problem('ignored-key', 'error', en.line, en.keyStart, en.keyEnd, 'dotenv.parse drops the key __proto__ (it cannot be stored on a plain object). Rename it.', en.key));
        continue;
      }
    }
    let slot = h & mask;
    for (;;) {
      const j = table[2 * slot]! - 1;
      if (j === -1) {
        table[2 * slot] = i + 1;
        table[2 * slot + 1] = h;
        break;
      }
      if (table[2 * slot + 1] === h && entries[j]!.key === entries[i]!.key) {
        entries[j]!.wins = false;
        table[2 * slot] = i + 1;
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
      const winner = entries[table[2 * slots![k]!]! - 1]!;
      out.push(
        problem('duplicate-key', 'warning', en.line, en.keyStart, en.keyEnd, `${en.key} is defined again on line ${winner.line + 1}; dotenv uses the last definition, so this one has no effect.`, en.key),
      );
    }
    if (!sortedByStart(out)) out.sort((x, y) => x.start - y.start);
  }
  return out;
}

/** A reused table for markWinners up to this many int32s (larger ones are allocated per call). */
const SHARED_TABLE_SIZE = 1 << 16;
let sharedTable: Int32Array | null = null;

/** A zeroed Int32Array of `size` elements (a view of a shared buffer when small enough). */
function winnerTable(size: number): Int32Array {
  if (size > SHARED_TABLE_SIZE) return new Int32Array(size);
  sharedTable ??= new Int32Array(SHARED_TABLE_SIZE);
  const t = sharedTable.subarray(0, size);
  t.fill(0);
  return t;
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
 * The state of one scan. `parseNodes` records per-node reaches and problems (for incremental
 * re-parsing); `parseEnv` needs neither and collects problems in one list (`perNode` false).
 */
interface Scan {
  readonly perNode: boolean;
  readonly nodes: EnvNode[];
  readonly entries: MutableEntry[];
  readonly hashes: number[];
  readonly reaches: number[];
  readonly nodeProblems: (EnvProblem[] | null)[];
  /** perNode: the current node's problems (then copied to nodeProblems); otherwise all problems. */
  readonly problems: EnvProblem[];
  readonly counts: Counts;
  readonly entryIndex: number;
  line: number;
}

function newScan(perNode: boolean, line: number, entryIndex: number): Scan {
  return { perNode, nodes: [], entries: [], hashes: [], reaches: [], nodeProblems: [], problems: [], counts: { lf: 0, crlf: 0, cr: 0, keyHash: 0 }, entryIndex, line };
}

/**
 * Parses nodes from `pos` (the start of a logical line, on editor line `line`), numbering entries
 * from `entryIndex`, until the end of the text or until `stop(offset)` is true at a node boundary
 * after `minEnd`. Parsing from a line start depends only on the text from there on, so a run can
 * resume anywhere a node began.
 */
export function parseNodes(text: string, pos: number, line: number, entryIndex: number, minEnd = 0, stop?: (offset: number) => boolean): NodeRun {
  const n = text.length;
  const scan = newScan(true, line, entryIndex);
  // The loop stays small: the work per node is in parseNode, a function called once per node,
  // which the JIT optimises as a whole (a long loop body is optimised on-stack and, in V8, falls
  // back to the interpreter for the rest of the run at the first rarely taken branch).
  if (stop === undefined) {
    while (pos < n) pos = parseNode(text, n, pos, scan);
  } else {
    while (pos < n && (pos <= minEnd || !stop(pos))) pos = parseNode(text, n, pos, scan);
  }
  return { nodes: scan.nodes, entries: scan.entries, hashes: scan.hashes, reaches: scan.reaches, nodeProblems: scan.nodeProblems, counts: scan.counts, end: pos, line: scan.line };
}

/** Parses the node starting at `pos` into `scan`; returns the offset after it. */
function parseNode(text: string, n: number, pos: number, scan: Scan): number {
  const problems = scan.problems;
  const before = problems.length;
  const counts = scan.counts;
  const line = scan.line;
  reach = pos;
  let q = pos;
  let c = 0;
  while (q < n) {
    c = text.charCodeAt(q);
    if (c > 32 || !(c === 32 || c === 9 || c === 11 || c === 12)) {
      if (c < 128 || !isWs(c) || c === LS || c === PS) break;
    }
    q++;
  }
  let e: number;
  let endLine = line;
  if (q === n || c === LF || c === CR || c === LS || c === PS) {
    e = q;
    scan.nodes.push(new Blank(line, pos, q, terminatorEndAt(text, q, n)));
  } else if (c === HASH) {
    e = lineEndFrom(text, q + 1, n);
    scan.nodes.push(new Comment(line, pos, e, terminatorEndAt(text, e, n), q));
  } else {
    const entry = matchEntry(text, n, pos, q, line, scan.entryIndex + scan.entries.length, problems, counts);
    if (entry !== null) {
      const k = scan.entries.push(entry) - 1;
      if (scan.perNode) scan.hashes.push(counts.keyHash);
      else {
        if (k === hashBuf.length) growHashBuf();
        hashBuf[k] = counts.keyHash;
      }
      scan.nodes.push(entry);
      e = entry.lineEnd;
      endLine = entry.endLine;
    } else e = invalidLine(text, n, pos, q, c, line, scan);
  }
  // The node's terminator: a U+2028/U+2029 one is flagged; CR/LF ones count as editor lines.
  let next = n;
  if (e < n) {
    const t = text.charCodeAt(e);
    next = e + 1;
    if (t === LF) {
      counts.lf++;
      endLine++;
    } else if (t === CR) {
      if (next < n && text.charCodeAt(next) === LF) {
        counts.crlf++;
        next++;
      } else counts.cr++;
      endLine++;
    } else problems.push(unusualBreak(text, pos, line, e, LINE_SEPARATOR_MESSAGE));
  }
  scan.line = endLine;
  if (scan.perNode) {
    scan.reaches.push(reach > next ? reach : next);
    if (problems.length === before) scan.nodeProblems.push(null);
    else {
      scan.nodeProblems.push(problems.slice(before));
      problems.length = before;
    }
  }
  return next;
}

/**
 * parseEnv's key hashes, entry by entry (parseNodes returns them in `NodeRun.hashes` instead): a
 * buffer reused from one parse to the next, so that no per-entry number is left for the GC.
 */
let hashBuf = new Int32Array(256);
const HASH_BUF_KEEP = 1 << 14;

function growHashBuf(): void {
  const next = new Int32Array(hashBuf.length * 2);
  next.set(hashBuf);
  hashBuf = next;
}

/** A line dotenv does not match: pushes its node and problem; returns the end of its logical line. */
function invalidLine(text: string, n: number, pos: number, q: number, c: number, line: number, scan: Scan): number {
  let e = q + 1;
  let eq = -1;
  for (; e < n; e++) {
    const ch = text.charCodeAt(e);
    if (ch === LF || ch === CR || ch === LS || ch === PS) break;
    if (ch === EQUALS && eq === -1) eq = e;
  }
  if (c === EQUALS) eq = q;
  scan.nodes.push(new Invalid(line, pos, e, terminatorEndAt(text, e, n), q));
  const problems = scan.problems;
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
  return e;
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
  const scan = newScan(false, 0, 0);
  let pos = 0;
  while (pos < n) pos = parseNode(text, n, pos, scan);
  const { nodes, entries, counts, problems } = scan;

  // Which occurrence wins: the last one of each key, as `obj[key] = value` does; `__proto__`
  // assignments are swallowed by the prototype setter.
  const extra = markWinners(entries, hashBuf);
  if (hashBuf.length > HASH_BUF_KEEP) hashBuf = new Int32Array(256);
  const all = extra.length === 0 ? problems : mergeByStart(problems, extra);
  if (!sortedByStart(all)) all.sort((x, y) => x.start - y.start);

  const last = n > 0 ? text.charCodeAt(n - 1) : 0;
  return {
    text,
    nodes,
    entries,
    problems: all,
    bom: n > 0 && text.charCodeAt(0) === 0xfeff,
    eol: eolOf(counts),
    endsWithNewline: last === LF || last === CR,
    lineCount: scan.line + 1,
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
