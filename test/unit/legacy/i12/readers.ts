// Frozen copy of src/core/ at 65b1530 (before the issue #12 work on the rules' speed): the reference
// that analyze-equivalence.test.ts compares analyzeEnv with. Do not edit. Imports of modules that
// are not frozen (the parser, formats, file names, rule types, the word list) point at src/core.

/**
 * Who reads the `.env` files of a project besides node `dotenv` (the reader the other rules
 * assume), and which values those readers read differently. Pure: the caller hands in file names
 * and texts (the extension reads them with `vscode.workspace.fs`, the CLI with its safe reader).
 *
 * Readers and what gives them away (`detectReaders`):
 *  - `dotenv-expand`: a package.json depending on next, vite, nuxt, @nestjs/config, dotenv-expand
 *    or react-scripts (each runs dotenv-expand over the parsed values);
 *  - `python-dotenv`: python-dotenv or django-environ in requirements*.txt (or requirements/*.txt),
 *    pyproject.toml or Pipfile (django-environ projects are judged by python-dotenv's rules);
 *  - `compose`: a compose file (docker-compose*.yml, compose*.yaml, …) with `env_file:` or `${…}`
 *    / `$NAME` interpolation;
 *  - `shell`: a shell script (*.sh, *.bash, .envrc) that sources a `.env*` file (`. ./.env`,
 *    `source "$DIR/.env.local"`, `export $(cat .env | xargs)`).
 *
 * What each reader does differently from node dotenv (checked against the real readers by
 * test/unit/readers.test.ts: dotenv-expand 12, python-dotenv, dash and bash):
 *
 * | value                                | dotenv    | dotenv-expand | python-dotenv   | compose        | sh (sourcing)      |
 * | ------------------------------------ | --------- | ------------- | --------------- | -------------- | ------------------ |
 * | `$NAME`, `${NAME}`                   | as written| expands in every quote style | `${NAME}` in every quote style | unquoted and `"…"` | unquoted and `"…"` |
 * | `K=a#b` (no space before `#`)        | `a`       | `a`           | `a#b`           | `a#b`          | `a#b`              |
 * | `K= # note` (empty, then a comment)  | empty     | empty         | `# note`        | `# note`       | empty              |
 * | `K=a b` (unquoted whitespace)        | `a b`     | `a b`         | `a b`           | `a b`          | `K=a`, runs `b`    |
 * | `K=a;b` `& | < > ( ) \ " '` `~/x`    | as written| as written    | as written      | as written     | breaks / expands   |
 * | `` K=`v` `` (backticks)              | `v`       | `v`           | `` `v` ``       | `` `v` ``      | runs `v`           |
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { quoteEnvValue } from '../../../../src/core/envdoc/quote.ts';
import type { EnvDocument, EnvEntry, TextEdit } from '../../../../src/core/envdoc/types.ts';

/** The readers Keysmith knows. `dotenv` (node dotenv) is always assumed; the others are detected. */
export type ReaderId = 'dotenv' | 'dotenv-expand' | 'python-dotenv' | 'compose' | 'shell';

/** Every reader id, in the order lists and messages use (also the `keysmith.readers` enum). */
export const READER_IDS: readonly ReaderId[] = ['dotenv', 'dotenv-expand', 'python-dotenv', 'compose', 'shell'];

/** The readers besides node dotenv, the ones the `reader-mismatch` rule is about. */
export type OtherReaderId = Exclude<ReaderId, 'dotenv'>;

export const READER_NAMES: Readonly<Record<ReaderId, string>> = {
  dotenv: 'node dotenv',
  'dotenv-expand': 'dotenv-expand',
  'python-dotenv': 'python-dotenv',
  compose: 'docker compose',
  shell: 'a shell sourcing the file',
};

export interface DetectedReader {
  readonly id: ReaderId;
  /** What gave it away, e.g. "package.json depends on next". Names files and packages only. */
  readonly because: string;
}

/** A file of the project, by its path relative to the project folder (`/` separated), and its text. */
export interface ProjectFile {
  readonly path: string;
  readonly text: string;
}

export function isReaderId(s: unknown): s is ReaderId {
  return typeof s === 'string' && (READER_IDS as readonly string[]).includes(s);
}

/** A glob (VS Code syntax) of the files `detectReaders` looks at, anywhere in a folder. */
export const READER_FILES_GLOB =
  '**/{package.json,requirements*.txt,requirements/*.txt,pyproject.toml,Pipfile,docker-compose*.yml,docker-compose*.yaml,compose*.yml,compose*.yaml,*.sh,*.bash,.envrc}';

/** Folders never searched for these files. */
export const READER_SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', 'site-packages']);

/** Files larger than this are not read for detection. */
export const READER_FILE_MAX_BYTES = 1 << 20;

type FileKind = 'package' | 'python' | 'compose' | 'shell';

/** Which kind of project file `path` is (by its name), or undefined when detection ignores it. */
export function readerFileKind(path: string): FileKind | undefined {
  const parts = path.split('/');
  const name = parts[parts.length - 1]!;
  const parent = parts.length > 1 ? parts[parts.length - 2]! : '';
  if (name === 'package.json') return 'package';
  if (/^requirements.*\.txt$/i.test(name) || (parent === 'requirements' && /\.txt$/i.test(name))) return 'python';
  if (name === 'pyproject.toml' || name === 'Pipfile') return 'python';
  if (/^(?:docker-)?compose(?:\.[\w.-]+)?\.ya?ml$/i.test(name)) return 'compose';
  if (/\.(?:sh|bash)$/.test(name) || name === '.envrc') return 'shell';
  return undefined;
}

const EXPANDING_PACKAGES = ['next', 'vite', 'nuxt', '@nestjs/config', 'dotenv-expand', 'react-scripts'];
const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

function packageHit(text: string): string | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (pkg === null || typeof pkg !== 'object') return undefined;
  for (const field of DEP_FIELDS) {
    const d = (pkg as Record<string, unknown>)[field];
    if (d === null || typeof d !== 'object') continue;
    const hit = EXPANDING_PACKAGES.find((p) => Object.prototype.hasOwnProperty.call(d, p));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** python-dotenv or django-environ as a requirement (comments left out; `_` and `-` alike, as pip has it). */
function pythonHit(text: string): string | undefined {
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/(?:^|\s)#.*$/, '');
    const m = /(?:^|[\s"'[,{])(python[-_.]dotenv|django[-_.]environ)(?![\w.-])/i.exec(line);
    if (m !== null) return m[1]!.toLowerCase().replace(/[_.]/g, '-');
  }
  return undefined;
}

function composeHit(text: string): string | undefined {
  let interpolates = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    if (/^\s*#/.test(rawLine)) continue;
    if (/^\s*-?\s*env_file\s*:/.test(rawLine)) return 'uses env_file';
    // `$$` is a literal dollar in a compose file.
    if (/(?:^|[^$])(?:\$\$)*\$(?:\{[A-Za-z_]|[A-Za-z_])/.test(rawLine)) interpolates = true;
  }
  return interpolates ? 'interpolates variables' : undefined;
}

/** `. .env`, `source ./.env.local`, `. "$DIR/.env"`, `set -a; . ../.env`, `export $(cat .env | xargs)`. */
const SOURCES_ENV =
  /(?:^|[;&|({\s])(?:\.|source)\s+["']?(?:\$\{?\w+\}?\/|~\/|[\w.@/-]*\/)?(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env)["']?(?=$|[\s;&|)])|\$\(\s*(?:cat|grep|sed)\b[^)\n]*\.env\b/;

function shellHit(text: string): boolean {
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    if (/^\s*#/.test(rawLine)) continue;
    if (SOURCES_ENV.test(rawLine)) return true;
  }
  return false;
}

/**
 * The readers (besides node dotenv) that the files of one project folder reveal, in READER_IDS
 * order, each with the first file that gave it away (files are looked at in the order given).
 */
export function detectReaders(files: readonly ProjectFile[]): DetectedReader[] {
  const found = new Map<ReaderId, string>();
  for (const { path, text } of files) {
    const kind = readerFileKind(path);
    if (kind === 'package' && !found.has('dotenv-expand')) {
      const hit = packageHit(text);
      if (hit !== undefined) found.set('dotenv-expand', `${path} depends on ${hit}`);
    } else if (kind === 'python' && !found.has('python-dotenv')) {
      const hit = pythonHit(text);
      if (hit !== undefined) found.set('python-dotenv', `${path} lists ${hit}`);
    } else if (kind === 'compose' && !found.has('compose')) {
      const hit = composeHit(text);
      if (hit !== undefined) found.set('compose', `${path} ${hit}`);
    } else if (kind === 'shell' && !found.has('shell')) {
      if (shellHit(text)) found.set('shell', `${path} sources a .env file`);
    }
  }
  return READER_IDS.filter((id) => found.has(id)).map((id) => ({ id, because: found.get(id)! }));
}

/**
 * The readers the setting `keysmith.readers` (or the CLI's `--readers`) names, or undefined when
 * it names none (an empty list means: detect). Unknown names are ignored.
 */
export function readersFromSetting(value: unknown, because = 'keysmith.readers'): DetectedReader[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ids = READER_IDS.filter((id) => value.includes(id));
  if (ids.length === 0) return undefined;
  return ids.map((id) => ({ id, because }));
}

/** The ids the rules look at: every reader but node dotenv, which is always assumed. */
export function otherReaders(readers: readonly DetectedReader[]): OtherReaderId[] {
  return readers.map((r) => r.id).filter((id): id is OtherReaderId => id !== 'dotenv');
}

// ---------------------------------------------------------------------------------------------
// How one entry reads differently

export type ReaderMismatchKind =
  /** A `$NAME` / `${NAME}` reference to something not defined in the file, which a reader expands. */
  | 'expansion'
  /** References only to keys defined above in the same file, which a reader expands (likely meant: a hint). */
  | 'expansion-local'
  /** An unquoted value with a `#` that node dotenv reads as a comment and the others keep. */
  | 'hash'
  /** An empty value followed by ` # comment`: python-dotenv and compose read the comment as the value. */
  | 'comment-as-value'
  /** Unquoted whitespace inside the value: a sourcing shell runs the rest as a command. */
  | 'space'
  /** Unquoted (or double-quoted) shell metacharacters: a sourcing shell interprets them. */
  | 'shell-metachar'
  /** Backslash escapes in quotes that python-dotenv or compose decode and node dotenv keeps as typed. */
  | 'escape'
  /** A value in backticks: node dotenv strips them, python-dotenv and compose keep them, a shell runs the value. */
  | 'backtick';

export interface ReaderMismatch {
  readonly kind: ReaderMismatchKind;
  /** The readers that read the value differently from node dotenv. */
  readonly readers: readonly OtherReaderId[];
  /** For 'expansion-local': the keys referenced (defined in the file). */
  readonly names?: readonly string[];
}

/** Whitespace as the readers split on it (space, tab; never a line break inside one line). */
const WS = /[ \t\f\v]/;

/** `K= # note`: an empty value, then whitespace and an inline comment (not `K=#x`, which is a value to the others). */
function isCommentAsValue(text: string, e: EnvEntry): boolean {
  if (e.quote !== null || e.valueStart !== e.valueEnd || e.commentStart < 0) return false;
  return e.commentStart > e.separatorStart + 1 && WS.test(text.charAt(e.commentStart - 1));
}

/**
 * The span of the value as python-dotenv, compose and a shell read it: for an unquoted value
 * whose `#` follows directly (node dotenv stops there), up to the first `#` after whitespace,
 * trailing whitespace left out. For every other entry, the value's own span.
 */
export function intendedValueSpan(text: string, e: EnvEntry): { start: number; end: number } {
  if (e.quote !== null || e.commentStart < 0 || isCommentAsValue(text, e)) return { start: e.valueStart, end: e.valueEnd };
  // Only a '#' glued to the value (node dotenv's cut) extends it.
  if (e.commentStart !== e.valueEnd) return { start: e.valueStart, end: e.valueEnd };
  let end = e.lineEnd;
  for (let i = e.commentStart + 1; i < e.lineEnd; i++) {
    if (text.charCodeAt(i) === 35 && WS.test(text.charAt(i - 1))) {
      end = i;
      break;
    }
  }
  while (end > e.valueStart && WS.test(text.charAt(end - 1))) end--;
  return { start: e.valueStart, end };
}

const REF = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g;
/** `$NAME` / `${NAME…}` as a shell expands them (not after a backslash). */
const SHELL_REF = /(?<!\\)\$(?:\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g;

/** What each reader expands (checked against the real readers): dotenv-expand in every quote style, also `\$` (its escape). */
const DOTENV_EXPAND_DOLLAR = /\\\$|\$[{A-Za-z_]/;
/** python-dotenv: `${NAME}` and `${NAME:-default}` in every quote style, never `$NAME`. */
const PYTHON_DOLLAR = /\$\{[^}:]*(?::-[^}]*)?\}/;
/** compose, unquoted and in double quotes: `$NAME`, `${…}`, and `$$` (a literal `$`). */
const COMPOSE_DOLLAR = /\$[${A-Za-z_]/;
/** A shell, unquoted and in double quotes (other `$` forms are shell metacharacters). */
const SHELL_DOLLAR = /(?<!\\)\$[{A-Za-z_]/;

/** The names referenced as `$NAME` or `${NAME…}`. */
function references(s: string): string[] {
  const names: string[] = [];
  REF.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = REF.exec(s)) !== null) names.push(m[1] ?? m[2]!);
  return names;
}

/** Unquoted characters a POSIX shell interprets in an assignment (checked with dash and bash). */
const SHELL_META_UNQUOTED = /[&;|<>()`\\"']|\$[0-9?#@*!$(-]|(?:^|:)~/;
/**
 * In double quotes a shell still runs backticks, expands special parameters, and takes a
 * backslash before `\\ $ " \`` as an escape; node dotenv also decodes `\n` and `\r` there.
 */
const SHELL_META_DOUBLE = /`|\\[\\$"`nr]|\$[0-9?#@*!$(-]/;

/**
 * How the `readers` read entry `e` of `doc` differently from node dotenv. `defined`: each key of
 * the file and the index of the entry that first defines it (for 'expansion-local': every reader
 * resolves a reference only from entries above it, then from the environment).
 */
export function readerMismatches(doc: EnvDocument, e: EnvEntry, readers: readonly OtherReaderId[], defined: ReadonlyMap<string, number>): ReaderMismatch[] {
  if (readers.length === 0) return [];
  const text = doc.text;
  const has = (id: OtherReaderId): boolean => readers.includes(id);
  const out: ReaderMismatch[] = [];

  if (isCommentAsValue(text, e)) {
    const who = readers.filter((r) => r === 'python-dotenv' || r === 'compose');
    if (who.length > 0) out.push({ kind: 'comment-as-value', readers: who });
    return out;
  }
  const span = intendedValueSpan(text, e);
  if (span.end <= span.start) return out;
  const raw = text.slice(span.start, span.end);
  const inner = e.quote === null ? raw : e.value;

  if (inner.indexOf('$') >= 0) {
    const unquotedOrDouble = e.quote === null || e.quote === '"';
    const who: OtherReaderId[] = [];
    if (has('dotenv-expand') && DOTENV_EXPAND_DOLLAR.test(inner)) who.push('dotenv-expand');
    if (has('python-dotenv') && PYTHON_DOLLAR.test(inner)) who.push('python-dotenv');
    if (has('compose') && unquotedOrDouble && COMPOSE_DOLLAR.test(inner)) who.push('compose');
    if (has('shell') && unquotedOrDouble && SHELL_DOLLAR.test(inner)) who.push('shell');
    if (who.length > 0) {
      const names = references(inner);
      // Only references to keys of this file (no `$$`, no `\$`): most likely meant.
      const local = names.length > 0 && names.every((n) => (defined.get(n) ?? Infinity) < e.index) && !/\$\$|\\\$/.test(inner);
      out.push(local ? { kind: 'expansion-local', readers: who, names: [...new Set(names)] } : { kind: 'expansion', readers: who });
    }
  }
  if (e.quote === "'" || e.quote === '"') {
    const body = raw.slice(1, -1);
    const who: OtherReaderId[] = [];
    if (has('python-dotenv') && (e.quote === '"' ? /\\[\\'"abftv]/ : /\\[\\']/).test(body)) who.push('python-dotenv');
    if (has('compose') && (e.quote === '"' ? /\\[\\"t$]/ : /\\'/).test(body)) who.push('compose');
    if (who.length > 0) out.push({ kind: 'escape', readers: who });
    if (e.quote === '"' && has('shell') && SHELL_META_DOUBLE.test(body)) out.push({ kind: 'shell-metachar', readers: ['shell'] });
    return out;
  }
  if (e.quote === '`') {
    const who = readers.filter((r) => r === 'python-dotenv' || r === 'compose' || r === 'shell');
    if (who.length > 0) out.push({ kind: 'backtick', readers: who });
    return out;
  }
  if (e.quote !== null) return out;

  if (span.end > e.valueEnd) {
    // node dotenv cut the value at a '#' the others keep.
    const who = readers.filter((r) => r === 'python-dotenv' || r === 'compose' || r === 'shell');
    if (who.length > 0) out.push({ kind: 'hash', readers: who });
  }
  if (has('shell')) {
    if (WS.test(raw)) out.push({ kind: 'space', readers: ['shell'] });
    // `$NAME` references are reported above; any other `$`, and every other metacharacter, here.
    if (SHELL_META_UNQUOTED.test(raw.replace(SHELL_REF, ''))) out.push({ kind: 'shell-metachar', readers: ['shell'] });
  }
  return out;
}

/** "dotenv-expand and docker compose". */
export function readerList(readers: readonly ReaderId[]): string {
  const names = readers.map((r) => READER_NAMES[r]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

// ---------------------------------------------------------------------------------------------
// The quote fix

const BREAKS = /[\r\n\u2028\u2029\u0085\0]/;

/**
 * The text to write after `KEY=` so that node dotenv and every reader in `readers` read exactly
 * `value`, or null when there is none. `quoteEnvValue`'s form (portable to every reader) first;
 * for a value with `$` (which no quote keeps from dotenv-expand, nor `${` from python-dotenv),
 * single quotes when no detected reader expands inside them.
 */
export function literalValueText(value: string, readers: readonly OtherReaderId[], options: { keep?: "'" | '"' | null; comment?: boolean } = {}): string | null {
  const portable = quoteEnvValue(value, options);
  if (portable !== null) return portable;
  if (BREAKS.test(value) || /[\\']/.test(value)) return null;
  if (readers.includes('dotenv-expand')) return null;
  if (readers.includes('python-dotenv') && value.includes('${')) return null;
  return `'${value}'`;
}

/**
 * The edit that rewrites entry `e`'s value so that every reader reads it literally, as the
 * readers other than node dotenv would have read the text: the whole value through a `#` that
 * only dotenv takes for a comment, an empty value before an inline comment as `""`, a
 * backticked or double-quoted value as dotenv decodes it. Null when no form suits every reader
 * (then the finding has no quick fix) or nothing would change.
 */
export function readerFixEdit(doc: EnvDocument, e: EnvEntry, readers: readonly OtherReaderId[]): TextEdit | null {
  const text = doc.text;
  if (isCommentAsValue(text, e)) return { start: e.valueStart, end: e.valueStart, newText: e.commentStart === e.valueStart ? '"" ' : '""' };
  const span = intendedValueSpan(text, e);
  const value = e.quote === null ? text.slice(span.start, span.end) : e.value;
  const keep = e.quote === "'" || e.quote === '"' ? e.quote : null;
  const comment = span.end < e.lineEnd && text.slice(span.end, e.lineEnd).trim().startsWith('#');
  const newText = literalValueText(value, readers, { keep, comment });
  if (newText === null || newText === text.slice(span.start, span.end)) return null;
  return { start: span.start, end: span.end, newText };
}
