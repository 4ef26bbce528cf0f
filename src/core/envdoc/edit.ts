/**
 * Pure edits on a parsed .env document. Every function returns `TextEdit`s against the document's
 * original text and touches nothing outside the entry it is about (plus a line break where one is
 * needed). Each edit is checked by re-parsing the edited text: the entry must read back exactly
 * the requested value and every other entry must keep its key and value; otherwise the next
 * encoding is tried, and when none works an `EnvEditError` is thrown.
 */
import { KeysmithError } from '../errors.ts';
import { BACKSLASH, BOM, CR, HASH, LF, LS, PS, isLt, isQuote, isWs } from './chars.ts';
import { parseEnv } from './parse.ts';
import { quoteEnvValue } from './quote.ts';
import type { EnvDocument, EnvEntry, EnvQuote, TextEdit } from './types.ts';

export type EnvEditErrorReason =
  /** No dotenv syntax yields this value here (e.g. a CR together with `"` and a literal `\n`). */
  | 'unrepresentable'
  /** The value cannot be saved as UTF-8 text our reader accepts (lone surrogate, NUL). */
  | 'unencodable'
  /** Every encoding would change how dotenv reads other lines (e.g. a dangling quote elsewhere). */
  | 'conflict'
  /** The key is not one dotenv accepts (`[A-Za-z0-9_.-]+`), or is `__proto__`. */
  | 'invalid-key'
  /** The entry does not belong to the document passed in. */
  | 'foreign-entry'
  /** `applyEdits` got overlapping or out-of-range edits. */
  | 'bad-edits';

/** Thrown by the edit functions. `code` is `'unrepresentable'` or `'bad-input'`; `reason` is precise. */
export class EnvEditError extends KeysmithError {
  readonly reason: EnvEditErrorReason;
  constructor(reason: EnvEditErrorReason, message: string) {
    super(reason === 'unrepresentable' || reason === 'unencodable' || reason === 'conflict' ? 'unrepresentable' : 'bad-input', message);
    this.name = 'EnvEditError';
    this.reason = reason;
  }
}

const POSIX_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTENV_KEY = /^[\w.-]+$/;

/** POSIX-ish environment variable name: `[A-Za-z_][A-Za-z0-9_]*`. */
export function isValidEnvKey(name: string): boolean {
  return POSIX_KEY.test(name);
}

/** What dotenv accepts as a key: `[A-Za-z0-9_.-]+` (broader: dots, dashes, leading digits). */
export function isDotenvKey(name: string): boolean {
  return DOTENV_KEY.test(name);
}

/** `'posix'` (portable), `'dotenv'` (dotenv accepts it, shells do not) or `'invalid'`. */
export function envKeyKind(name: string): 'posix' | 'dotenv' | 'invalid' {
  return POSIX_KEY.test(name) ? 'posix' : DOTENV_KEY.test(name) ? 'dotenv' : 'invalid';
}

/** Applies non-overlapping edits (offsets into `text`); inserts at the same offset keep their order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const order = edits.map((e, i) => ({ e, i }));
  order.sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const parts: string[] = [];
  let at = 0;
  for (const { e } of order) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < at || e.end < e.start || e.end > text.length) {
      throw new EnvEditError('bad-edits', `Edits overlap or fall outside the text (edit ${e.start}..${e.end}, text length ${text.length}).`);
    }
    parts.push(text.slice(at, e.start), e.newText);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Value encodings

/** Lone surrogates cannot be written as UTF-8; NUL would make our reader reject the file as binary. */
function checkEncodable(s: string, what: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) throw new EnvEditError('unencodable', `The ${what} contains a NUL character, which cannot be stored in a .env file.`);
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      throw new EnvEditError('unencodable', `The ${what} contains an unpaired UTF-16 surrogate, which cannot be stored as UTF-8.`);
    }
  }
}

/** Needs no quotes at all: no whitespace, `#` or quote characters anywhere. */
function isSimple(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (isWs(c) || c === HASH || isQuote(c)) return false;
  }
  return true;
}

/** Unquoted text dotenv reads back unchanged: no `#`/line breaks, no outer whitespace, no leading quote. */
function unquotedRaw(v: string): string | null {
  if (v === '') return v;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === HASH || isLt(c)) return null;
  }
  if (isWs(v.charCodeAt(0)) || isWs(v.charCodeAt(v.length - 1)) || isQuote(v.charCodeAt(0))) return null;
  return v;
}

/** Double-quoted content: LF/CR written as `\n`/`\r`; impossible if `v` has literal `\n`/`\r` pairs. */
function doubleContent(v: string): string | null {
  for (let i = v.indexOf('\\'); i !== -1; i = v.indexOf('\\', i + 1)) {
    const next = v.charCodeAt(i + 1);
    if (next === 110 || next === 114) return null;
  }
  return v.indexOf('\r') === -1 && v.indexOf('\n') === -1 ? v : v.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Every quote character `q` inside `content` must be backslash-escaped (dotenv keeps the backslash). */
function quotesEscaped(content: string, q: string): boolean {
  for (let i = content.indexOf(q); i !== -1; i = content.indexOf(q, i + 1)) {
    if (i === 0 || content.charCodeAt(i - 1) !== BACKSLASH) return false;
  }
  return true;
}

/**
 * A real quoted value (`Q...Q`, closed by dotenv's quoted branch). Single and backtick quotes keep
 * line breaks literally (written with the file's line ending; CR cannot survive), double quotes
 * use `\n`/`\r`. `loose` allows a trailing backslash, which only works when no later quote in the
 * file can take over as the closing one.
 */
function quotedRaw(v: string, q: EnvQuote, eol: string, loose: boolean): string | null {
  let content: string | null;
  if (q === '"') content = doubleContent(v);
  else if (v.indexOf('\r') !== -1) content = null;
  else content = eol === '\n' || v.indexOf('\n') === -1 ? v : v.replace(/\n/g, eol);
  if (content === null || !quotesEscaped(content, q)) return null;
  if (!loose && content.charCodeAt(content.length - 1) === BACKSLASH) return null;
  return q + content + q;
}

/**
 * dotenv's unquoted branch strips one pair of outer quotes too, so `"a"b"` reads as `a"b`. This
 * lets values holding every kind of quote (but no `#` or line break) be written.
 */
function strippedRaw(v: string, q: EnvQuote): string | null {
  const content = q === '"' ? doubleContent(v) : v;
  if (content === null) return null;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === HASH || c === LF || c === CR || c === LS || c === PS) return null;
  }
  return q + content + q;
}

const QUOTES: readonly EnvQuote[] = ['"', "'", '`'];

/**
 * Raw encodings of `v`, most preferred first: the form every common reader reads back
 * (`quoteEnvValue`, keeping the entry's quote where it can), then, for values no such form
 * suits, the forms only dotenv reads back.
 */
function encodings(v: string, preferred: EnvQuote | null, eol: string, comment = false): string[] {
  const out: string[] = [];
  const add = (r: string | null): void => {
    if (r !== null && !out.includes(r)) out.push(r);
  };
  add(quoteEnvValue(v, { keep: preferred, comment }));
  if (preferred !== null) add(quotedRaw(v, preferred, eol, false));
  if (isSimple(v)) add(v);
  for (const q of QUOTES) add(quotedRaw(v, q, eol, false));
  add(unquotedRaw(v));
  for (const q of QUOTES) add(strippedRaw(v, q));
  for (const q of QUOTES) add(quotedRaw(v, q, eol, true));
  return out;
}

const UNREPRESENTABLE =
  'dotenv has no syntax that reads it back exactly (it combines characters every quoting style alters, e.g. a carriage return or a literal "\\n" together with all three kinds of quote).';

// ---------------------------------------------------------------------------------------------
// Verification

function sameEntry(a: EnvEntry, b: EnvEntry): boolean {
  return a.key === b.key && a.value === b.value;
}

function checkEntry(doc: EnvDocument, entry: EnvEntry): void {
  const e = doc.entries[entry.index];
  if (e === undefined || e.key !== entry.key || e.keyStart !== entry.keyStart || e.valueEnd !== entry.valueEnd || e.terminatorEnd !== entry.terminatorEnd) {
    throw new EnvEditError('foreign-entry', `The entry ${entry.key} does not belong to this document (parse the current text again).`);
  }
}

// ---------------------------------------------------------------------------------------------
// Public edit functions

/**
 * Edits that make `entry` hold `value`, written as `quoteEnvValue` decides (bare, or in single
 * quotes when the value has a shell metacharacter; the entry's own quotes kept when they read the
 * value literally), so that every common reader reads it back. A value no such form suits (`$`,
 * backslash, line breaks, both quotes) falls back to forms dotenv alone reads back: the entry's
 * quote style, unquoted, then double, single and backtick quotes. Only the
 * value's raw text is replaced (if dotenv took the value from a following line, the value is moved
 * next to its separator). Note that `dotenv.parse` reports the value of the *winning* occurrence.
 *
 * @throws EnvEditError `unencodable` (lone surrogate, NUL), `unrepresentable`, `conflict`, `foreign-entry`.
 */
export function setValueEdits(doc: EnvDocument, entry: EnvEntry, value: string): TextEdit[] {
  checkEntry(doc, entry);
  checkEncodable(value, `value for ${entry.key}`);
  const text = doc.text;
  if (entry.value === value) return [];

  const sepEnd = entry.separatorStart + 1;
  let sameLine = true;
  for (let i = sepEnd; i < entry.valueStart; i++) {
    if (isLt(text.charCodeAt(i))) {
      sameLine = false;
      break;
    }
  }
  let start = entry.valueStart;
  let end = entry.valueEnd;
  let prefix = '';
  if (!sameLine) {
    start = sepEnd;
    end = entry.valueStart === entry.valueEnd ? sepEnd : entry.valueEnd;
    prefix = entry.separator === ':' ? ' ' : '';
  }

  let preferred: EnvQuote | null = entry.quote;
  if (preferred === null && entry.valueEnd > entry.valueStart) {
    const c = text[entry.valueStart]!;
    if (c === '"' || c === "'" || c === '`') preferred = c;
  }

  const candidates = encodings(value, preferred, doc.eol, entry.commentStart >= 0);
  let sawConflict = false;
  for (const raw of candidates) {
    const edit: TextEdit = { start, end, newText: prefix + raw };
    const after = parseEnv(applyEdits(text, [edit]));
    if (after.entries.length !== doc.entries.length) {
      sawConflict = true;
      continue;
    }
    const target = after.entries[entry.index]!;
    if (target.key !== entry.key || target.keyStart !== entry.keyStart) {
      sawConflict = true;
      continue;
    }
    if (target.value !== value) continue;
    let ok = true;
    for (let i = 0; i < after.entries.length; i++) {
      if (i !== entry.index && !sameEntry(after.entries[i]!, doc.entries[i]!)) {
        ok = false;
        sawConflict = true;
        break;
      }
    }
    if (ok) return [edit];
  }
  if (sawConflict && candidates.length > 0) {
    throw new EnvEditError('conflict', `Every way of writing the new value of ${entry.key} would change how dotenv reads other lines of this file (look for an unclosed quote nearby).`);
  }
  throw new EnvEditError('unrepresentable', `Cannot write the value of ${entry.key}: ${UNREPRESENTABLE}`);
}

/**
 * Edits that append `KEY=value` as a new last line, using the file's dominant line ending. The
 * value is written as `quoteEnvValue` decides (see `setValueEdits`).
 *
 * Final-newline convention: the file's own is kept. If the text ends with a line break (or is empty
 * or only a BOM), the new line is `KEY=value` + line break. If the text does not end with a line
 * break, one is inserted *before* the new line and none after it, so the result again ends without
 * one.
 *
 * @throws EnvEditError `invalid-key`, `unencodable`, `unrepresentable`, `conflict`.
 */
export function appendEntryEdits(doc: EnvDocument, key: string, value: string): TextEdit[] {
  if (!DOTENV_KEY.test(key) || key === '__proto__') {
    throw new EnvEditError('invalid-key', key === '__proto__' ? 'dotenv cannot store the key __proto__.' : 'A key may only contain letters, digits, "_", "." and "-".');
  }
  checkEncodable(value, `value for ${key}`);
  const text = doc.text;
  const n = text.length;
  const empty = n === 0 || (n === 1 && text.charCodeAt(0) === BOM);
  const before = empty || doc.endsWithNewline ? '' : doc.eol;
  const after = empty || doc.endsWithNewline ? doc.eol : '';
  const candidates = encodings(value, null, doc.eol);
  let sawConflict = false;
  for (const raw of candidates) {
    const edit: TextEdit = { start: n, end: n, newText: before + key + '=' + raw + after };
    const parsed = parseEnv(text + edit.newText);
    const m = doc.entries.length;
    if (parsed.entries.length !== m + 1) {
      sawConflict = true;
      continue;
    }
    const added = parsed.entries[m]!;
    if (added.key !== key || added.keyStart !== n + before.length) {
      sawConflict = true;
      continue;
    }
    if (added.value !== value) continue;
    let ok = true;
    for (let i = 0; i < m; i++) {
      if (!sameEntry(parsed.entries[i]!, doc.entries[i]!)) {
        ok = false;
        sawConflict = true;
        break;
      }
    }
    if (ok) return [edit];
  }
  if (sawConflict) {
    throw new EnvEditError('conflict', `Appending ${key} would change how dotenv reads the existing last lines of this file (look for an unclosed quote or a dangling "KEY:").`);
  }
  throw new EnvEditError('unrepresentable', `Cannot write the value of ${key}: ${UNREPRESENTABLE}`);
}

/**
 * Edits that delete the entry's whole line(s) with its terminator. A leading BOM is kept. When the
 * entry is the last line and has no terminator, the line break before it goes instead, so a file
 * without a final newline stays that way.
 *
 * @throws EnvEditError `foreign-entry`, or `conflict` when removing the line would change how dotenv
 *   reads another line (e.g. `A=` followed by this line and then a quoted line `"x"`).
 */
export function removeEntryEdits(doc: EnvDocument, entry: EnvEntry): TextEdit[] {
  checkEntry(doc, entry);
  const text = doc.text;
  let start = entry.lineStart;
  const end = entry.terminatorEnd;
  if (start === 0 && doc.bom) start = 1;
  if (end === entry.lineEnd && entry.lineStart > 0 && !doc.endsWithNewline) {
    start = entry.lineStart - 1;
    if (text.charCodeAt(start) === LF && start > 0 && text.charCodeAt(start - 1) === CR) start--;
  }
  const edit: TextEdit = { start, end, newText: '' };
  const parsed = parseEnv(applyEdits(text, [edit]));
  const m = doc.entries.length;
  let ok = parsed.entries.length === m - 1;
  for (let i = 0, j = 0; ok && i < m; i++) {
    if (i === entry.index) continue;
    if (!sameEntry(parsed.entries[j++]!, doc.entries[i]!)) ok = false;
  }
  if (!ok) {
    throw new EnvEditError('conflict', `Removing ${entry.key} would change how dotenv reads neighbouring lines of this file.`);
  }
  return [edit];
}
