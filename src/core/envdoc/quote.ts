/**
 * How a value is written after `KEY=` so that every common reader of `.env` files reads it back
 * byte for byte: node `dotenv`, `dotenv-expand` (Next.js, Vite, NestJS), python-dotenv with its
 * default interpolation, docker compose (`.env` and `env_file`), and a POSIX shell that sources
 * the file (`set -a; . ./.env` in bash or dash).
 *
 * Every writer of values into a `.env` (populate, Add Secret, the regenerate quick fix, the
 * example file's values, and any later one) asks `quoteEnvValue` first; `setValueEdits` and
 * `appendEntryEdits` fall back to dotenv-only encodings only for values no form suits.
 *
 * What each reader does with the three forms (checked by test/unit/readback.test.ts):
 *
 * | form      | dotenv            | dotenv-expand       | python-dotenv            | compose                     | sh / bash / dash              |
 * | --------- | ----------------- | ------------------- | ------------------------ | --------------------------- | ----------------------------- |
 * | `K=v`     | `#` starts a comment; trims | `$` expands | ` #` comment; `${}` expands | ` #` comment; `$` expands | every metacharacter, `~`, `$` |
 * | `K='v'`   | literal           | `$` still expands   | `\\` and `\'` unescaped   | literal (`\'` unescaped)    | literal; no `'` inside        |
 * | `K="v"`   | `\n` `\r` decoded | `$` expands         | backslash escapes, `${}` | backslash escapes, `$`      | `$` `` ` `` `\` `"` special   |
 *
 * So a value is portable when it has no `$` (dotenv-expand expands it even inside single quotes),
 * no backslash, no line break, and not both kinds of quote. Keysmith's formats never produce
 * those characters in a `.env` (see `GenerateOptions.forEnvFile`).
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { EnvQuote } from './types.ts';

/** Characters no portable value may contain: every reader treats them differently. */
export const ENV_UNSAFE_CHARS = '$\\\'"`';

/**
 * Characters written without quotes: letters, digits and `_ . , : / @ % + = -`. Nothing here
 * means anything to a shell (no glob, tilde, redirection, expansion or history character),
 * to dotenv (`#`, quotes) or to compose and python-dotenv.
 */
const BARE = /^[A-Za-z0-9_.,:/@%+=-]*$/;

/** Line terminators of any reader (dotenv and JavaScript also break on U+2028/U+2029), and NUL. */
const BREAKS = /[\r\n\u2028\u2029\u0085\0]/;

/**
 * Inside single quotes: every reader is literal except dotenv-expand (`$`) and python-dotenv and
 * compose (`\\`, `\'`); a shell cannot have `'` inside at all.
 */
function singleLiteral(v: string): boolean {
  return !BREAKS.test(v) && !/[$\\']/.test(v);
}

/**
 * Inside double quotes: `$` expands (shell, dotenv-expand, python-dotenv, compose), backslash
 * escapes (python-dotenv, compose, shell), backtick substitutes (shell), `"` closes. `!` is not
 * special in a sourced file, not even in an interactive bash (history expansion applies to
 * typed lines only).
 */
function doubleLiteral(v: string): boolean {
  return !BREAKS.test(v) && !/[$\\"`]/.test(v);
}

/** Whether `value` needs no quotes at all in every reader (see the `BARE` characters). */
export function isBareEnvValue(value: string): boolean {
  return BARE.test(value);
}

export interface QuoteEnvValueOptions {
  /**
   * The quote the value has now (an existing entry's style): kept whenever it reads the value
   * literally everywhere, so an edit changes as little as possible. A backtick is never kept
   * (a shell runs its content; python-dotenv keeps the backticks).
   */
  keep?: EnvQuote | null;
  /** Which quote to use when the value needs one and both would do (default single). */
  prefer?: "'" | '"';
  /** An inline comment (` # …`) follows the value on its line (see `beforeInlineComment`). */
  comment?: boolean;
}

/**
 * The raw value `raw` (as `quoteEnvValue` wrote it) when an inline comment follows it on the
 * line: an empty value becomes `""`, because python-dotenv and compose skip the spaces after `=`
 * and would read `# comment` as the value (`KEY= # note` reads as `# note` there, as empty in
 * dotenv and a shell).
 */
export function beforeInlineComment(raw: string): string {
  return raw === '' ? '""' : raw;
}

/**
 * The text to write after `KEY=` so that dotenv, dotenv-expand, python-dotenv, docker compose
 * and a POSIX shell sourcing the file all read exactly `value`, or `null` when no such text exists
 * (the value holds `$`, a backslash, a line break or NUL, or both `'` and `"`).
 *
 * - Values of only `A-Z a-z 0-9 _ . , : / @ % + = -` are written bare (or in the `keep` quote).
 * - Anything else, i.e. every value with a shell metacharacter, space, `#`, `~`, `!`, `*`, `(`, …,
 *   is written in single quotes, which every one of those readers takes literally.
 * - A value holding `'` (but no `"`) is written in double quotes.
 * - An empty value before an inline comment is written `""` (see `beforeInlineComment`).
 *
 * This is the one place that decides quoting for every writer of `.env` values (populate, Add
 * Secret, regenerate, the example file, Rotate Secret, the "quote this value" quick fix).
 */
export function quoteEnvValue(value: string, options: QuoteEnvValueOptions = {}): string | null {
  const { keep = null, prefer = "'" } = options;
  if (value === '' && options.comment) return keep === "'" ? "''" : '""';
  if (keep === "'" && singleLiteral(value)) return `'${value}'`;
  if (keep === '"' && doubleLiteral(value)) return `"${value}"`;
  if (BARE.test(value)) return value;
  if (prefer === '"' && doubleLiteral(value)) return `"${value}"`;
  if (singleLiteral(value)) return `'${value}'`;
  if (doubleLiteral(value)) return `"${value}"`;
  return null;
}

/**
 * For text typed or inserted into a .env line: when the text before the insertion point on its
 * line is `KEY=` (with optional `export` and spaces) and the text after it is blank or an inline
 * comment, the inserted value is the entry's whole value and should be written as
 * `quoteEnvValue` decides; this returns the text to insert (a space is added before a `#` that
 * follows directly, which a shell would otherwise read as part of the value). Anywhere else
 * (inside quotes, mid-value, in a comment) it returns null: insert the value as it is.
 */
export function quoteAtValuePosition(value: string, lineBefore: string, lineAfter: string): string | null {
  if (!/^\s*(?:export\s+)?[A-Za-z0-9_.-]+\s*=\s*$/.test(lineBefore)) return null;
  if (!/^\s*(?:#.*)?$/.test(lineAfter)) return null;
  const comment = lineAfter.includes('#');
  const raw = quoteEnvValue(value, { comment });
  if (raw === null) return null;
  return lineAfter.startsWith('#') ? raw + ' ' : raw;
}

/** Whether every common reader reads `value` back exactly from some form (`quoteEnvValue` is not null). */
export function isPortableEnvValue(value: string): boolean {
  return quoteEnvValue(value) !== null;
}
