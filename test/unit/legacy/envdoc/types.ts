// Frozen copy of src/core/envdoc/types.ts (before the issue #12 parser speed work): the reference that
// parse-equivalence.test.ts compares the optimised parser with. Do not edit.

/**
 * The lossless .env document model: types only.
 *
 * Offsets are UTF-16 code-unit offsets into `EnvDocument.text` (the exact text that was parsed,
 * BOM included). Ranges are half-open: `[start, end)`.
 *
 * Two notions of "line" appear:
 * - A *logical line* is what dotenv sees: text between line terminators, where a terminator is
 *   CRLF, CR, LF, U+2028 or U+2029 (dotenv normalises CRLF/CR to LF and its `m`-flag regex also
 *   treats U+2028/U+2029 as line boundaries). Nodes tile the document by logical lines.
 * - An *editor line* (the `line` / `endLine` numbers) counts only CRLF, CR and LF, as VS Code does.
 */

/** The quote characters dotenv understands. */
export type EnvQuote = "'" | '"' | '`';

/** Fields every node has: the logical line(s) it covers and its terminator. */
export interface EnvLineRange {
  /** 0-based editor line of `lineStart`. */
  readonly line: number;
  /** Start of the node's first logical line. */
  readonly lineStart: number;
  /** End of the node's last logical line, excluding its terminator. */
  readonly lineEnd: number;
  /** End of the terminator after `lineEnd` (`=== lineEnd` when the node ends the text without one). */
  readonly terminatorEnd: number;
}

/** A line holding only whitespace (spaces, tabs, a BOM, other Unicode spaces). */
export interface EnvBlankLine extends EnvLineRange {
  readonly type: 'blank';
}

/** A line whose first non-whitespace character is `#`. */
export interface EnvCommentLine extends EnvLineRange {
  readonly type: 'comment';
  /** Offset of the `#`. */
  readonly commentStart: number;
}

/** A non-blank, non-comment line that dotenv ignores (no `=`, a bad key, ...). See `problems`. */
export interface EnvInvalidLine extends EnvLineRange {
  readonly type: 'invalid';
  /** Offset of the first non-whitespace character. */
  readonly contentStart: number;
}

/**
 * One `KEY=value` assignment as dotenv reads it. Usually one line; a quoted value (or one of
 * dotenv's quirks: `KEY\n=value`, `KEY:\nvalue`, `KEY=\n"value"`) can span several.
 */
export interface EnvEntry extends EnvLineRange {
  readonly type: 'entry';
  /** Position in `EnvDocument.entries`. */
  readonly index: number;
  readonly key: string;
  /** The decoded value, exactly as `dotenv.parse` computes it for this occurrence. */
  readonly value: string;
  /** True for the occurrence `dotenv.parse` keeps (the last one of its key; never for `__proto__`). */
  readonly wins: boolean;
  /**
   * The quote dotenv matched as a quoted value, or null when it read the value as unquoted text
   * (which may still begin with a quote character, e.g. an unterminated `"abc`).
   */
  readonly quote: EnvQuote | null;
  /** True when an `export ` prefix precedes the key on the same line. */
  readonly exported: boolean;
  /** Offset of `export`, or -1. */
  readonly exportStart: number;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** `=` or dotenv's YAML-ish `KEY: value` form. */
  readonly separator: '=' | ':';
  /** Offset of the `=` / `:`. */
  readonly separatorStart: number;
  /**
   * The raw value text, quotes included, inline comment and surrounding whitespace excluded.
   * For an empty value `valueStart === valueEnd` (where dotenv starts looking for a value).
   */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Offset of the `#` of an inline comment on the entry's last line (runs to `lineEnd`), or -1. */
  readonly commentStart: number;
  /** 0-based editor line of `lineEnd` (equals `line` for single-line entries). */
  readonly endLine: number;
}

export type EnvNode = EnvEntry | EnvBlankLine | EnvCommentLine | EnvInvalidLine;

/**
 * Stable problem ids. Lines/values dotenv ignores or reads differently from what a person would
 * expect, plus portability notes.
 */
export type EnvProblemKind =
  /** A non-comment line without `=`: dotenv ignores it. */
  | 'no-equals'
  /** A line with `=` whose name is empty or has characters outside `[A-Za-z0-9_.-]`: ignored. */
  | 'invalid-key'
  /** A value opens a quote that is never closed on its line: dotenv reads it as literal text. */
  | 'unterminated-quote'
  /** Text follows the closing quote: dotenv reads the whole thing as literal text. */
  | 'text-after-quote'
  /**
   * A quoted value ends on a backslash-escaped quote (`A="x\"`): dotenv closes it there only while
   * no later quote fits better, so the value is fragile and probably not what was meant.
   */
  | 'escaped-closing-quote'
  /** A quoted value runs across lines that look like other entries (a likely missing quote). */
  | 'swallowed-lines'
  /** `KEY` and `=` are on different lines: dotenv still joins them. */
  | 'equals-on-next-line'
  /** The value was taken from a following line (`KEY=` then `"x"`, `KEY:` then `x`). */
  | 'value-on-next-line'
  /** An unquoted value meets `#` with no space before it: dotenv cuts the value there. */
  | 'inline-hash'
  /** An unquoted value with inner whitespace: dotenv keeps it, shells split it. */
  | 'unquoted-space'
  /** Backslash escapes dotenv does not interpret (only `\n` and `\r` in double quotes are). */
  | 'unsupported-escape'
  /** `KEY: value` instead of `KEY=value`: dotenv accepts it, most other tools do not. */
  | 'colon-separator'
  /** A key dotenv accepts that is not a portable shell name (`.`, `-`, leading digit). */
  | 'nonportable-key'
  /** An earlier definition overridden by a later one with the same key. */
  | 'duplicate-key'
  /** `__proto__`: dotenv.parse silently drops it. */
  | 'ignored-key'
  /**
   * U+2028/U+2029: dotenv treats them as line breaks, editors do not, so text after one (even in
   * what looks like a comment) can be an entry, or an unquoted value can run past one.
   */
  | 'unusual-line-break';

export type EnvProblemSeverity = 'error' | 'warning' | 'info';

export interface EnvProblem {
  readonly kind: EnvProblemKind;
  /** Suggested severity for diagnostics. */
  readonly severity: EnvProblemSeverity;
  /** 0-based editor line of `start`. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** Human-readable; names keys, never contains values. */
  readonly message: string;
  /** The key concerned, when there is one. */
  readonly key?: string;
}

export interface EnvDocument {
  /** The parsed text, unchanged. */
  readonly text: string;
  /** All nodes in order; they tile `text` exactly (each node covers `[lineStart, terminatorEnd)`). */
  readonly nodes: readonly EnvNode[];
  /** The entry nodes, in order. */
  readonly entries: readonly EnvEntry[];
  /** Problems in document order. */
  readonly problems: readonly EnvProblem[];
  /** The text starts with U+FEFF. */
  readonly bom: boolean;
  /** The most common editor line break (`'\n'` when there is none; ties prefer LF, then CRLF). */
  readonly eol: '\n' | '\r\n' | '\r';
  /** The text ends with CR or LF. */
  readonly endsWithNewline: boolean;
  /** Number of editor lines (line breaks + 1). */
  readonly lineCount: number;
}

/** A replacement of `[start, end)` of the original text by `newText`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}
