/**
 * Pure gitignore evaluation, for where Keysmith cannot ask git: the web extension host, Restricted
 * Mode, and the CLI on a machine without git.
 *
 * `createIgnoreMatcher(sources)` follows git's own algorithm (dir.c: prep_exclude,
 * last_matching_pattern_from_lists, match_basename / match_pathname, and a port of wildmatch.c)
 * rather than a regex translation, and is checked against `git check-ignore` by a differential test:
 *
 * - Each source is a .gitignore (`kind: 'gitignore'`, patterns relative to `dir`), the
 *   repository's `.git/info/exclude` (`'exclude'`) or `core.excludesFile` (`'global'`); the last
 *   two are relative to the repository root whatever `dir` says.
 * - Precedence: deeper .gitignore files over shallower ones, all of them over info/exclude, which
 *   beats core.excludesFile. Within a file the last matching pattern wins. Several sources with the
 *   same kind and dir act as one file in the order given.
 * - `!pattern` re-includes, but nothing below an excluded directory can be re-included: a
 *   directory's exclusion is decided first (with the patterns of its ancestors only), and the
 *   .gitignore files inside an excluded directory are never consulted.
 * - A pattern without a slash (other than a trailing one) matches a name at any depth below its
 *   file's dir; one with a slash is anchored to that dir; a trailing slash matches directories only.
 *   `*`, `?`, `[...]` (ranges, `!`/`^` negation, `[:class:]`) never match `/`; `**` does in the
 *   positions git allows (`**\/x`, `x/**`, `x/**\/y`). Backslash escapes a character; trailing
 *   spaces are dropped unless escaped; lines starting with `#` are comments; a UTF-8 BOM and CR
 *   before LF are ignored.
 * - Matching is on UTF-8 bytes, as in git (`?` matches one byte of a non-ASCII character).
 *   `ignoreCase` mirrors `core.ignoreCase` (ASCII case folding only, as git does).
 *
 * `[:space:]` is git's own set (space, tab, LF, CR: not vertical tab or form feed).
 *
 * Paths are POSIX paths relative to the repository root, without `./` or `..`; a backslash is an
 * ordinary character of a file name, as git has it on POSIX systems (callers on Windows convert
 * their separators first). A trailing `/` (or
 * `isDir: true`) marks a directory: git decides a path's type from the file system, so
 * directory-only patterns (`build/`) apply to a path only when the caller says it is a directory.
 * Tracked files are not special here: this answers "do the ignore rules match", like
 * `git check-ignore --no-index`.
 *
 * Pure TypeScript: no Node built-ins.
 */

export type IgnoreSourceKind = 'gitignore' | 'exclude' | 'global';

export interface IgnoreSource {
  /** POSIX path of the directory holding the .gitignore, relative to the repository root; '' for the root. */
  dir: string;
  /** The file's text. */
  content: string;
  /** Default 'gitignore'. */
  kind?: IgnoreSourceKind;
  /** A label for the source in `match()` results (e.g. 'src/.gitignore'); defaults to a generated one. */
  name?: string;
}

export interface IgnoreMatch {
  /** True when the path is ignored; false when the deciding pattern is a negation (`!x`). */
  ignored: boolean;
  /** The source that holds the deciding pattern. */
  source: IgnoreSource;
  /** The source's label (`source.name`, or '<dir>/.gitignore', '.git/info/exclude', 'core.excludesFile'). */
  sourceName: string;
  /** 1-based line of the pattern in its source. */
  line: number;
  /** The pattern as written, `!` and trailing `/` included, trailing spaces removed. */
  pattern: string;
  /** The path that matched: the path itself or one of its parent directories. */
  matchedPath: string;
}

export interface IgnoreMatcher {
  /** Whether git's ignore rules exclude `relPath` (a trailing '/' or `isDir` marks a directory). */
  isIgnored(relPath: string, isDir?: boolean): boolean;
  /** The deciding pattern, or null when no pattern matches (like `git check-ignore -v --non-matching`). */
  match(relPath: string, isDir?: boolean): IgnoreMatch | null;
}

export interface IgnoreMatcherOptions {
  /** Like core.ignoreCase: compare ASCII letters case-insensitively. Default false. */
  ignoreCase?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Patterns

const F_NEGATIVE = 1;
const F_MUSTBEDIR = 2;
const F_NODIR = 4;

interface Pattern {
  /** Pattern bytes (UTF-8 as char codes 0-255), without `!` and the trailing '/'. */
  readonly pattern: string;
  /** `pattern` lower-cased (ASCII) when matching ignores case, for the literal comparisons. */
  readonly literal: string;
  /** Length of the leading part without glob specials. */
  readonly nowildcardlen: number;
  readonly flags: number;
  /** Base directory bytes with a trailing '/', or '' for the root. */
  readonly base: string;
  readonly line: number;
  readonly text: string;
  readonly source: IgnoreSource;
  readonly sourceName: string;
}

const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const QUESTION = 63;
const LBRACKET = 91;
const RBRACKET = 93;

function isGlobSpecial(c: number): boolean {
  return c === STAR || c === QUESTION || c === LBRACKET || c === BACKSLASH;
}

/** UTF-8 bytes of `s` as a string of char codes 0-255 (unchanged when `s` is ASCII). */
export function toByteString(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out += String.fromCharCode(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate: what TextEncoder writes
    if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function asciiLower(s: string): string {
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      has = true;
      break;
    }
  }
  if (!has) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return out;
}

/** git's trim_trailing_spaces: drop trailing ' ' unless backslash-escaped. */
function trimTrailingSpaces(s: string): string {
  let lastSpace = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (lastSpace < 0) lastSpace = i;
    } else if (c === BACKSLASH) {
      i++;
      if (i >= s.length) return s;
      lastSpace = -1;
    } else lastSpace = -1;
  }
  return lastSpace >= 0 ? s.slice(0, lastSpace) : s;
}

function defaultSourceName(src: IgnoreSource, kind: IgnoreSourceKind): string {
  if (src.name !== undefined) return src.name;
  if (kind === 'exclude') return '.git/info/exclude';
  if (kind === 'global') return 'core.excludesFile';
  return src.dir === '' ? '.gitignore' : `${src.dir}/.gitignore`;
}

function normalizeDir(dir: string): string {
  let d = dir;
  while (d.startsWith('./')) d = d.slice(2);
  if (d === '.') d = '';
  d = d.replace(/^\/+|\/+$/g, '');
  return d;
}

/** Parses one source (git's add_patterns_from_buffer + parse_path_pattern). */
function parseSource(src: IgnoreSource, kind: IgnoreSourceKind, baseBytes: string, fold: boolean): Pattern[] {
  const out: Pattern[] = [];
  let text = src.content;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sourceName = defaultSourceName(src, kind);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) continue;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    line = trimTrailingSpaces(line);
    const parsed = parsePattern(line);
    if (parsed === null) continue;
    const bytes = toByteString(parsed.body);
    let nowild = 0;
    while (nowild < bytes.length && !isGlobSpecial(bytes.charCodeAt(nowild))) nowild++;
    out.push({
      pattern: bytes,
      literal: fold ? asciiLower(bytes) : bytes,
      nowildcardlen: nowild,
      flags: parsed.flags,
      base: baseBytes,
      line: i + 1,
      text: line,
      source: src,
      sourceName,
    });
  }
  return out;
}

function parsePattern(line: string): { body: string; flags: number } | null {
  let p = line;
  let flags = 0;
  if (p.charCodeAt(0) === 33 /* ! */) {
    flags |= F_NEGATIVE;
    p = p.slice(1);
  }
  if (p.length > 0 && p.charCodeAt(p.length - 1) === SLASH) {
    flags |= F_MUSTBEDIR;
    p = p.slice(0, -1);
  }
  if (p.indexOf('/') < 0) flags |= F_NODIR;
  // An empty pattern can only match an empty name: never.
  if (p.length === 0) return null;
  return { body: p, flags };
}

// ---------------------------------------------------------------------------------------------
// wildmatch (a port of git's wildmatch.c; strings are byte strings)

const WM_MATCH = 0;
const WM_NOMATCH = 1;
const WM_ABORT_ALL = -1;
const WM_ABORT_TO_STARSTAR = -2;

function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function charClass(name: string, c: number): boolean | null {
  switch (name) {
    case 'alnum': return isAlpha(c) || isDigit(c);
    case 'alpha': return isAlpha(c);
    case 'blank': return c === 32 || c === 9;
    case 'cntrl': return c < 32 || c === 127;
    case 'digit': return isDigit(c);
    case 'graph': return c > 32 && c < 127;
    case 'lower': return c >= 97 && c <= 122;
    case 'print': return c >= 32 && c < 127;
    case 'punct': return c > 32 && c < 127 && !isAlpha(c) && !isDigit(c);
    case 'space': return c === 32 || c === 9 || c === 10 || c === 13; // git's isspace(): no VT, no FF
    case 'upper': return c >= 65 && c <= 90;
    case 'xdigit': return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    default: return null;
  }
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

const WM_PATHNAME = 1;
const WM_CASEFOLD = 2;

/**
 * git's dowild(): match pattern p[pi..] against text t[ti..]. With WM_CASEFOLD the caller has
 * already lower-cased the text (git lowers every text character it compares).
 */
function dowild(p: string, pi: number, t: string, ti: number, flags: number): number {
  const pStart = pi;
  const pl = p.length;
  const pathname = (flags & WM_PATHNAME) !== 0;
  const fold = (flags & WM_CASEFOLD) !== 0;
  for (; pi < pl; ti++, pi++) {
    let pc = p.charCodeAt(pi);
    let tc = at(t, ti);
    if (tc === 0 && pc !== STAR) return WM_ABORT_ALL;
    if (fold) pc = lower(pc);
    switch (pc) {
      case BACKSLASH:
        // Literal match with the next character (a trailing backslash matches nothing).
        pc = at(p, ++pi);
        if (tc !== pc) return WM_NOMATCH;
        continue;
      default:
        if (tc !== pc) return WM_NOMATCH;
        continue;
      case QUESTION:
        if (pathname && tc === SLASH) return WM_NOMATCH;
        continue;
      case STAR: {
        let matchSlash: boolean;
        if (at(p, ++pi) === STAR) {
          const prevP = pi - 2;
          while (at(p, ++pi) === STAR) { /* skip */ }
          if (!pathname) matchSlash = true;
          else if (
            (prevP < pStart || p.charCodeAt(prevP) === SLASH) &&
            (pi >= pl || p.charCodeAt(pi) === SLASH || (p.charCodeAt(pi) === BACKSLASH && at(p, pi + 1) === SLASH))
          ) {
            // "**/" may match nothing: try the rest of the pattern right here.
            if (at(p, pi) === SLASH && dowild(p, pi + 1, t, ti, flags) === WM_MATCH) return WM_MATCH;
            matchSlash = true;
          } else matchSlash = false;
        } else matchSlash = !pathname;
        if (pi >= pl) {
          // Trailing "**" matches everything; trailing "*" only when no slash remains.
          if (!matchSlash && t.indexOf('/', ti) >= 0) return WM_NOMATCH;
          return WM_MATCH;
        } else if (!matchSlash && p.charCodeAt(pi) === SLASH) {
          // One asterisk followed by a slash matches up to the next slash, which the loop's
          // increment then consumes together with the pattern's '/'.
          const slash = t.indexOf('/', ti);
          if (slash < 0) return WM_NOMATCH;
          ti = slash;
          break;
        }
        for (;;) {
          if (tc === 0) break;
          const pn = p.charCodeAt(pi);
          if (!isGlobSpecial(pn)) {
            // A literal follows the '*': skip ahead to its next occurrence.
            const want = fold ? lower(pn) : pn;
            let c = at(t, ti);
            while (c !== 0 && (matchSlash || c !== SLASH)) {
              if (c === want) break;
              c = at(t, ++ti);
            }
            tc = c;
            if (tc !== want) return WM_NOMATCH;
          }
          const matched = dowild(p, pi, t, ti, flags);
          if (matched !== WM_NOMATCH) {
            if (!matchSlash || matched !== WM_ABORT_TO_STARSTAR) return matched;
          } else if (!matchSlash && tc === SLASH) return WM_ABORT_TO_STARSTAR;
          tc = at(t, ++ti);
        }
        return WM_ABORT_ALL;
      }
      case LBRACKET: {
        pc = at(p, ++pi);
        if (pc === 94 /* ^ */) pc = 33; /* ! */
        const negated = pc === 33;
        if (negated) pc = at(p, ++pi);
        let prev = 0;
        let matched = false;
        // C: do { ... } while (prev = pc, (pc = p[++pi]) != ']');  (`continue` jumps to the condition)
        for (;;) {
          if (pc === 0) return WM_ABORT_ALL;
          if (pc === BACKSLASH) {
            pc = at(p, ++pi);
            if (pc === 0) return WM_ABORT_ALL;
            if (tc === pc) matched = true;
          } else if (pc === 45 /* - */ && prev !== 0 && at(p, pi + 1) !== 0 && at(p, pi + 1) !== RBRACKET) {
            pc = at(p, ++pi);
            if (pc === BACKSLASH) {
              pc = at(p, ++pi);
              if (pc === 0) return WM_ABORT_ALL;
            }
            if (tc <= pc && tc >= prev) matched = true;
            else if (fold && tc >= 97 && tc <= 122 && tc - 32 <= pc && tc - 32 >= prev) matched = true;
            pc = 0; // makes prev 0
          } else if (pc === LBRACKET && at(p, pi + 1) === 58 /* : */) {
            pi += 2;
            const s = pi;
            while (at(p, pi) !== 0 && at(p, pi) !== RBRACKET) pi++;
            pc = at(p, pi);
            if (pc === 0) return WM_ABORT_ALL;
            const len = pi - s - 1;
            if (len < 0 || p.charCodeAt(pi - 1) !== 58) {
              // No ":]": the '[' is an ordinary member of the set.
              pi = s - 2;
              pc = LBRACKET;
              if (tc === pc) matched = true;
            } else {
              const name = p.slice(s, s + len);
              const cls = charClass(name, tc);
              if (cls === null) return WM_ABORT_ALL;
              if (cls || (fold && name === 'upper' && tc >= 97 && tc <= 122)) matched = true;
              pc = 0;
            }
          } else if (tc === pc) matched = true;
          prev = pc;
          pc = at(p, ++pi);
          if (pc === RBRACKET) break;
        }
        if (matched === negated || (pathname && tc === SLASH)) return WM_NOMATCH;
        continue;
      }
    }
  }
  return ti < t.length ? WM_NOMATCH : WM_MATCH;
}

// ---------------------------------------------------------------------------------------------
// Matching one pattern (match_basename / match_pathname). With case folding, `pathname` and
// `basename` arrive lower-cased.

function matchBasename(basename: string, x: Pattern, fold: number): boolean {
  if (x.nowildcardlen === x.pattern.length) return x.literal === basename;
  return dowild(x.pattern, 0, basename, 0, fold) === WM_MATCH;
}

function matchPathname(pathname: string, x: Pattern, fold: number): boolean {
  let start = 0;
  let prefix = x.nowildcardlen;
  if (x.pattern.charCodeAt(0) === SLASH) {
    start = 1;
    prefix--;
  }
  const base = x.base;
  const baselen = base.length === 0 ? 0 : base.length - 1;
  if (pathname.length < baselen + 1) return false;
  if (baselen > 0 && (pathname.charCodeAt(baselen) !== SLASH || !pathname.startsWith(base.slice(0, baselen)))) return false;
  let nameStart = baselen > 0 ? baselen + 1 : 0;
  if (prefix > 0) {
    if (prefix > pathname.length - nameStart) return false;
    if (!pathname.startsWith(x.literal.slice(start, start + prefix), nameStart)) return false;
    start += prefix;
    nameStart += prefix;
    if (start === x.pattern.length && nameStart === pathname.length) return true;
  }
  const pattern = start === 0 ? x.pattern : x.pattern.slice(start);
  const name = nameStart === 0 ? pathname : pathname.slice(nameStart);
  return dowild(pattern, 0, name, 0, WM_PATHNAME | fold) === WM_MATCH;
}

/** The last pattern of `list` matching the path (git's last_matching_pattern_from_list). */
function lastMatch(list: readonly Pattern[], pathname: string, basename: string, isDir: boolean, fold: number): Pattern | null {
  for (let i = list.length - 1; i >= 0; i--) {
    const x = list[i]!;
    if (x.flags & F_MUSTBEDIR && !isDir) continue;
    if (x.flags & F_NODIR) {
      if (matchBasename(basename, x, fold)) return x;
      continue;
    }
    if (matchPathname(pathname, x, fold)) return x;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The matcher

interface DirState {
  /** Pattern lists of this directory and its ancestors, deepest last. */
  readonly lists: readonly (readonly Pattern[])[];
  /** The pattern excluding this directory (or an ancestor), if any. */
  readonly excludedBy: { pattern: Pattern; path: string } | null;
}

export function createIgnoreMatcher(sources: readonly IgnoreSource[], options: IgnoreMatcherOptions = {}): IgnoreMatcher {
  const fold = options.ignoreCase === true;
  const foldFlag = fold ? WM_CASEFOLD : 0;
  /** .gitignore patterns by directory (byte string of the normalised dir). */
  const byDir = new Map<string, Pattern[]>();
  const exclude: Pattern[] = [];
  const global: Pattern[] = [];
  for (const src of sources) {
    const kind = src.kind ?? 'gitignore';
    if (kind === 'gitignore') {
      let dir = toByteString(normalizeDir(src.dir));
      if (fold) dir = asciiLower(dir);
      const patterns = parseSource(src, kind, dir === '' ? '' : dir + '/', fold);
      const list = byDir.get(dir);
      if (list) list.push(...patterns);
      else byDir.set(dir, patterns);
    } else {
      const patterns = parseSource(src, kind, '', fold);
      (kind === 'exclude' ? exclude : global).push(...patterns);
    }
  }
  const fileLists: (readonly Pattern[])[] = [];
  if (exclude.length > 0) fileLists.push(exclude);
  if (global.length > 0) fileLists.push(global);

  const check = (lists: readonly (readonly Pattern[])[], pathname: string, basename: string, isDir: boolean): Pattern | null => {
    for (let i = lists.length - 1; i >= 0; i--) {
      const m = lastMatch(lists[i]!, pathname, basename, isDir, foldFlag);
      if (m !== null) return m;
    }
    for (const list of fileLists) {
      const m = lastMatch(list, pathname, basename, isDir, foldFlag);
      if (m !== null) return m;
    }
    return null;
  };

  const rootList = byDir.get('');
  const root: DirState = { lists: rootList ? [rootList] : [], excludedBy: null };
  const dirCache = new Map<string, DirState>();
  dirCache.set('', root);

  const dirState = (dir: string): DirState => {
    const cached = dirCache.get(dir);
    if (cached !== undefined) return cached;
    const slash = dir.lastIndexOf('/');
    const parent = dirState(slash < 0 ? '' : dir.slice(0, slash));
    let state: DirState;
    if (parent.excludedBy !== null) state = parent;
    else {
      const m = check(parent.lists, dir, slash < 0 ? dir : dir.slice(slash + 1), true);
      if (m !== null && !(m.flags & F_NEGATIVE)) state = { lists: parent.lists, excludedBy: { pattern: m, path: dir } };
      else {
        const own = byDir.get(dir);
        state = own ? { lists: [...parent.lists, own], excludedBy: null } : parent;
      }
    }
    if (dirCache.size > 100_000) dirCache.clear();
    dirCache.set(dir, state);
    return state;
  };

  const match = (relPath: string, isDir = false): IgnoreMatch | null => {
    let path = relPath;
    while (path.startsWith('./')) path = path.slice(2);
    path = path.replace(/^\/+/, '');
    if (path.endsWith('/')) {
      isDir = true;
      path = path.replace(/\/+$/, '');
    }
    if (path === '' || path === '.') return null;
    let bytes = toByteString(path);
    if (fold) bytes = asciiLower(bytes);
    const slash = bytes.lastIndexOf('/');
    const parent = dirState(slash < 0 ? '' : bytes.slice(0, slash));
    let m: Pattern | null;
    let matchedBytes = bytes;
    if (parent.excludedBy !== null) {
      m = parent.excludedBy.pattern;
      matchedBytes = parent.excludedBy.path;
    } else m = check(parent.lists, bytes, slash < 0 ? bytes : bytes.slice(slash + 1), isDir);
    if (m === null) return null;
    const matchedPath = matchedBytes === bytes ? path : path.split('/').slice(0, matchedBytes.split('/').length).join('/');
    return {
      ignored: !(m.flags & F_NEGATIVE),
      source: m.source,
      sourceName: m.sourceName,
      line: m.line,
      pattern: m.text,
      matchedPath,
    };
  };

  return {
    match,
    isIgnored: (relPath, isDir) => match(relPath, isDir)?.ignored === true,
  };
}
