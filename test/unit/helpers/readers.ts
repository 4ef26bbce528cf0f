/**
 * The common readers of .env files, as a user's program meets them: node `dotenv`, `dotenv-expand`
 * (Next.js, Vite, NestJS; the pinned 12.x and the current release), python-dotenv with its
 * default interpolation (every python3 found that has it), a POSIX shell sourcing the file
 * (`set -a; . ./file` in bash and dash), and docker compose, whose documented rules are followed
 * by `composeParse` (there is no docker here).
 *
 * Test code only: it spawns processes and reads files.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse as dotenvParse } from 'dotenv';

const require = createRequire(import.meta.url);
type Expand = (o: { parsed: Record<string, string>; processEnv: Record<string, string> }) => { parsed?: Record<string, string> };

export type Values = Record<string, string>;

export function readDotenv(text: string): Values {
  return { ...dotenvParse(text) };
}

/** dotenv-expand as Next.js and Vite call it, without touching process.env. */
export function readDotenvExpand(text: string, module: 'dotenv-expand' | 'dotenv-expand-latest'): Values {
  const { expand } = require(module) as { expand: Expand };
  return { ...expand({ parsed: { ...dotenvParse(text) }, processEnv: {} }).parsed };
}

/** Whether a reader's npm package is installed (a worktree set up before it was added may lack it). */
export function hasModule(module: string): boolean {
  try {
    require.resolve(module);
    return true;
  } catch {
    return false;
  }
}

export function moduleVersion(module: string): string {
  return (require(`${module}/package.json`) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------
// python-dotenv

export interface Python {
  /** The interpreter path as found. */
  exe: string;
  /** python-dotenv's version. */
  version: string;
}

const PY_VERSION = 'import importlib.metadata as m, dotenv; print(m.version("python-dotenv"))';

/**
 * Every python3 with python-dotenv: the one on PATH (pyenv here) and Debian's /usr/bin/python3
 * (with the python3-dotenv package that scripts/ci-install.sh installs), once each.
 */
export function findPythons(): { found: Python[]; missing: string[] } {
  const found: Python[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', `import sys; print(sys.executable); ${PY_VERSION}`], { encoding: 'utf8' });
    if (r.status !== 0) {
      missing.push(`${exe}: ${r.error ? 'not found' : 'no python-dotenv module'}`);
      continue;
    }
    const [real, version] = r.stdout.trim().split('\n');
    let key = real!;
    try { key = realpathSync(real!); } catch { /* keep the reported path */ }
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ exe, version: version! });
  }
  return { found, missing };
}

const PY_READ = `
import json, sys
from dotenv import dotenv_values
print(json.dumps([dotenv_values(p) for p in sys.argv[1:]]))
`;

/** `dotenv_values(path)` (interpolation on, as by default) for each file, in one process. */
export function readPython(py: Python, files: readonly string[]): Values[] {
  const r = spawnSync(py.exe, ['-c', PY_READ, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${py.exe} failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as Record<string, string | null>[]).map((o) => {
    const v: Values = {};
    for (const [k, x] of Object.entries(o)) v[k] = x ?? '<None>';
    return v;
  });
}

const DJANGO_W009 = `
import json, sys
from dotenv import dotenv_values
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.core.checks.security.base import check_secret_key
import inspect, re
alphabet = re.search(r"chars = '([^']*)'", inspect.getsource(get_random_secret_key))
settings.configure(SECRET_KEY='x', DEBUG=False)
keys = json.loads(sys.argv[1])
out = {'alphabet': alphabet.group(1) if alphabet else None, 'checked': 0, 'failed': []}
for path, names in keys.items():
    values = dotenv_values(path)
    for name in names:
        settings.SECRET_KEY = values.get(name)
        out['checked'] += 1
        if check_secret_key(None): out['failed'].append(path + ' ' + name)
print(json.dumps(out))
`;

/** Django's version on `py`, or null when it has no Django. */
export function djangoVersion(py: Python): string | null {
  const r = spawnSync(py.exe, ['-c', 'import django; print(django.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Reads each named key from each file with python-dotenv and runs Django's own check W009
 * (`check_secret_key`) on it; also returns the alphabet of Django's `get_random_secret_key`.
 */
export function djangoCheck(py: Python, keys: Record<string, string[]>): { alphabet: string | null; checked: number; failed: string[] } {
  const r = spawnSync(py.exe, ['-c', DJANGO_W009, JSON.stringify(keys)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${py.exe} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { alphabet: string | null; checked: number; failed: string[] };
}

// ---------------------------------------------------------------------------------------------
// POSIX shells

export function hasShell(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0']).status === 0;
}

/**
 * Each file sourced by `shell` in its own subshell with `set -a`, from a nearly empty environment;
 * what the subshell then exports, as `KEY=value` pairs. A file the shell cannot source (syntax
 * error) reads as `{ '<error>': status }`.
 */
export function readShell(shell: string, dir: string, files: readonly string[]): Values[] {
  const script = 'for f; do ( set -a; . "$f" || exit 97; env -0 ); printf "\\001%d\\000" $?; done';
  const r = spawnSync(shell, ['-c', script, shell, ...files], {
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  const out: Values[] = [];
  let current: Values = {};
  for (const part of r.stdout.toString('utf8').split('\0')) {
    if (part.startsWith('\u0001')) {
      const status = part.slice(1);
      if (status !== '0') current['<error>'] = status;
      out.push(current);
      current = {};
      continue;
    }
    const eq = part.indexOf('=');
    if (eq > 0) current[part.slice(0, eq)] = part.slice(eq + 1);
  }
  if (out.length !== files.length) throw new Error(`${shell} read ${out.length} of ${files.length} files: ${r.stderr.toString()}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// docker compose

/**
 * docker compose's reading of a `.env` file (the project's `.env`, and a service's `env_file`,
 * which has the same format), written from the documented rules, quoted here from
 * https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax :
 *
 *  (1) "Lines beginning with `#` are processed as comments and ignored." "Blank lines are ignored."
 *  (2) "Each line represents a key-value pair. Values can optionally be quoted."
 *      `VAR=VAL` -> `VAL`, `VAR="VAL"` -> `VAL`, `VAR='VAL'` -> `VAL`.
 *  (3) "Inline comments for unquoted values must be preceded with a space."
 *      `VAR=VAL # comment` -> `VAL`; `VAR=VAL# not a comment` -> `VAL# not a comment`.
 *  (4) "Inline comments for quoted values must follow the closing quote."
 *      `VAR="VAL # not a comment"` -> `VAL # not a comment`; `VAR="VAL" # comment` -> `VAL`.
 *  (5) "Single-quoted (`'`) values are used literally." `VAR='$OTHER'` -> `$OTHER`.
 *  (6) "Quotes can be escaped with `\`." `VAR='Let\'s go!'` -> `Let's go!`.
 *  (7) "Common shell escape sequences including `\n`, `\r`, `\t`, and `\\` are supported in
 *      double-quoted values." `VAR='some\tvalue'` -> `some\tvalue`; `VAR=some\tvalue` -> `some\tvalue`.
 *  (8) "Unquoted and double-quoted (`"`) values have interpolation applied", with the syntax of
 *      the "Interpolation syntax" section of the same page: `${VAR}` and `$VAR`, `${VAR:-default}`,
 *      `${VAR-default}`, `${VAR:+replacement}`, `${VAR+replacement}`, `${VAR:?error}`, `${VAR?error}`,
 *      and `$$` for a literal `$`. Variables defined earlier in the file can be used.
 *  (9) Single-quoted values may span lines ("multi-line values").
 *
 * Where the page is silent this follows compose's reader (compose-go's dotenv package): `export `
 * before a key is allowed, a UTF-8 byte order mark is skipped, a carriage return counts as white
 * space (so CRLF files read as LF files do), white space around the key and after `=` is dropped,
 * and so is trailing white space of an unquoted value. Anything else after a closing quote than a
 * comment is an error, as is an unclosed quote.
 */
export function composeParse(text: string, environment: Values = {}): Values {
  const out: Values = {};
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const n = src.length;
  const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\u0085' || c === '\u00a0';
  const lookup = (k: string): string | undefined => environment[k] ?? out[k];
  let i = 0;
  const skipToLineEnd = (): void => {
    while (i < n && src[i] !== '\n') i++;
  };
  while (i < n) {
    // (1) blank lines and comment lines
    while (i < n && (isSpace(src[i]!) || src[i] === '\n')) i++;
    if (i >= n) break;
    if (src[i] === '#') {
      skipToLineEnd();
      continue;
    }
    // the key, after an optional `export `
    const exp = /^export[ \t]+/.exec(src.slice(i, i + 16));
    if (exp) i += exp[0].length;
    const keyStart = i;
    while (i < n && src[i] !== '=' && src[i] !== ':' && src[i] !== '\n') i++;
    const key = src.slice(keyStart, i).replace(/[ \t\r]+$/, '');
    if (!/^[A-Za-z0-9_.[\]-]+$/.test(key)) throw new Error(`compose: bad variable name ${JSON.stringify(key)}`);
    if (i >= n || src[i] === '\n') {
      // `KEY` alone: taken from the environment when set there
      const v = lookup(key);
      if (v !== undefined) out[key] = v;
      continue;
    }
    i++;
    while (i < n && isSpace(src[i]!)) i++;
    const q = src[i];
    if (q === "'" || q === '"') {
      // (5)(6)(7)(9) a quoted value runs to the first unescaped closing quote, across lines
      let value = '';
      let j = i + 1;
      let closed = false;
      for (; j < n; j++) {
        const c = src[j]!;
        if (c === '\\' && j + 1 < n) {
          const next = src[j + 1]!;
          if (next === q) value += q;
          else if (q === '"' && next === 'n') value += '\n';
          else if (q === '"' && next === 'r') value += '\r';
          else if (q === '"' && next === 't') value += '\t';
          else if (q === '"' && next === '\\') value += '\\';
          else if (q === '"' && next === '$') value += '$$';
          else value += c + next;
          j++;
          continue;
        }
        if (c === q) {
          closed = true;
          break;
        }
        value += c;
      }
      if (!closed) throw new Error(`compose: unterminated quoted value for ${key}`);
      i = j + 1;
      // (4) only a comment may follow the closing quote
      while (i < n && isSpace(src[i]!)) i++;
      if (i < n && src[i] !== '\n' && src[i] !== '#') throw new Error(`compose: text after the closing quote of ${key}`);
      if (i < n && src[i] === '#') skipToLineEnd();
      out[key] = q === '"' ? interpolate(value, lookup) : value;
      continue;
    }
    // (3) an unquoted value ends at the line end or at " #"
    const start = i;
    skipToLineEnd();
    let value = src.slice(start, i);
    const hash = value.indexOf(' #');
    if (hash >= 0) value = value.slice(0, hash);
    value = value.replace(/[\s\u0085]+$/u, '');
    out[key] = interpolate(value, lookup);
  }
  return out;
}

/** (8) compose's interpolation: `$$`, `$VAR`, `${VAR}` and its `-` / `:-` / `+` / `:+` / `?` / `:?` forms. */
function interpolate(value: string, lookup: (k: string) => string | undefined): string {
  return value.replace(/\$(?:\$|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([^}]*))?\})/g, (m, bare?: string, braced?: string, op?: string, arg?: string) => {
    if (m === '$$') return '$';
    const name = bare ?? braced!;
    const v = lookup(name);
    if (op === undefined) return v ?? '';
    const unsetOrEmpty = op.startsWith(':') ? v === undefined || v === '' : v === undefined;
    switch (op.replace(':', '')) {
      case '-': return unsetOrEmpty ? arg! : v!;
      case '+': return unsetOrEmpty ? '' : arg!;
      default:
        if (unsetOrEmpty) throw new Error(`compose: required variable ${name} is missing: ${arg}`);
        return v!;
    }
  });
}
