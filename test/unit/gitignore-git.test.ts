// Differential test: src/core/gitignore.ts against the real `git check-ignore`.
//
// Each round builds a temporary repository with random nested .gitignore files, .git/info/exclude
// and a core.excludesFile (passed with `git -c`, never the user's config), creates random files and
// directories, and asks one `git check-ignore --stdin -z -v --non-matching --no-index` process about
// all of them. The matcher must agree on every path: ignored or not, and which file and line decided.
// The seed is random (crypto.getRandomValues) and printed on failure; KEYSMITH_SEED=<n> replays one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIgnoreMatcher, type IgnoreSource } from '../../src/core/gitignore.ts';
import { seededRng } from './helpers/seeded.ts';

const hasGit = spawnSync('git', ['--version']).status === 0;


function freshSeed(): number {
  const env = process.env['KEYSMITH_SEED'];
  if (env !== undefined && env !== '') return Number(env) >>> 0;
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

const DIRS = ['a', 'b', 'src', 'build', 'node_modules', 'deep', '.config', 'Docs', 'sp ace', 'ü'];
const FILES = [
  '.env', '.env.local', '.env.example', '.env.production', 'prod.env', 'foo', 'foo.txt', 'bar.js', 'x.log',
  'keep.log', 'README.md', '[x]', '#hash', '!bang', 'a b', 'Foo.TXT', 'ü.env', 'bar', 'build', 'a',
  // git's [:space:] is space, tab, LF and CR only; a backslash is part of a POSIX file name.
  'v\u000bt', 'f\u000cf', 'tab\tx', 'back\\slash', 'a\\.env',
];
const NAMES = [...new Set([...DIRS, ...FILES])];

/** Random gitignore patterns covering git's syntax: anchors, globs, **, classes, escapes, negation. */
function patternGen(r: () => number) {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const name = () => pick(NAMES);
  const dir = () => pick(DIRS);
  const glob = () =>
    pick([
      '*', '*.env', '.env*', '.env.*', '*.log', '*.txt', '?oo', 'f*', '*o*', '[ab]*', '[!a]*', '[^.]*', '[a-f]*',
      '[[:alpha:]]*', '[[:upper:]]*', '[[:digit:]]', '*.[jt]s', 'b?r', '\\[x\\]', '[[]x]', '*[!.]*', '[]]', '**',
      '**/', 'x[', '[[:bogus:]]', '\\#hash', '\\!bang', 'a\\ b', '*.TXT', 'Foo*',
      '*[[:space:]]*', '[[:space:]]*', '*[[:blank:]]*', '*[[:cntrl:]]*', 'back\\\\slash', '*\\\\*', 'a\\\\.env', '*\\.env',
    ]);
  const core = (): string => {
    switch (Math.floor(r() * 14)) {
      case 0: return name();
      case 1: return `/${name()}`;
      case 2: return `${dir()}/`;
      case 3: return `${dir()}/${name()}`;
      case 4: return `**/${name()}`;
      case 5: return `${dir()}/**`;
      case 6: return `${dir()}/**/${name()}`;
      case 7: return glob();
      case 8: return `${dir()}/${glob()}`;
      case 9: return `*/${name()}`;
      case 10: return `${dir()}**/${name()}`;
      case 11: return `/${dir()}/${glob()}`;
      case 12: return `**/${dir()}/`;
      default: return `${name()}/**/`;
    }
  };
  return (): string => {
    const x = r();
    if (x < 0.05) return '';
    if (x < 0.09) return `# ${name()}`;
    let p = core();
    if (r() < 0.3) p = `!${p}`;
    if (r() < 0.08) p += '   ';
    if (r() < 0.03) p += '\\ ';
    if (r() < 0.05) p += '\r';
    return p;
  };
}

interface Layout {
  sources: IgnoreSource[];
  files: string[];
  dirs: string[];
  queries: { path: string; isDir: boolean }[];
}

function randomLayout(r: () => number): Layout {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const gen = patternGen(r);
  const lines = (n: number) => Array.from({ length: n }, gen).join('\n') + (r() < 0.8 ? '\n' : '');

  // Paths: 1-4 components; every proper prefix is a directory.
  const paths = new Set<string>();
  for (let i = 0; i < 90; i++) {
    const depth = 1 + Math.floor(r() * 4);
    const parts: string[] = [];
    for (let d = 0; d < depth - 1; d++) parts.push(pick(DIRS));
    parts.push(pick(NAMES));
    paths.add(parts.join('/'));
  }
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let k = 1; k < parts.length; k++) dirs.add(parts.slice(0, k).join('/'));
  }
  const files = [...paths].filter((p) => !dirs.has(p) && !p.split('/').includes('.gitignore'));

  const sources: IgnoreSource[] = [{ dir: '', content: lines(4 + Math.floor(r() * 8)), name: '.gitignore' }];
  const dirList = [...dirs];
  for (let i = 0; i < 4 && dirList.length > 0; i++) {
    const d = pick(dirList);
    if (sources.some((s) => s.dir === d)) continue;
    sources.push({ dir: d, content: lines(2 + Math.floor(r() * 6)), name: `${d}/.gitignore` });
  }
  sources.push({ dir: '', kind: 'exclude', content: lines(1 + Math.floor(r() * 4)), name: 'exclude' });
  sources.push({ dir: '', kind: 'global', content: lines(1 + Math.floor(r() * 4)), name: 'global' });

  const queries = [
    ...files.map((path) => ({ path, isDir: false })),
    ...dirList.map((path) => ({ path, isDir: true })),
    // Paths that do not exist: git cannot tell their type, so directory-only patterns skip them.
    ...Array.from({ length: 10 }, () => ({ path: `${pick(DIRS)}/missing-${pick(NAMES)}`, isDir: false })),
  ];
  return { sources, files, dirs: dirList, queries };
}

interface GitAnswer {
  source: string;
  line: number;
  pattern: string;
}

function gitCheckIgnore(root: string, globalFile: string, paths: string[], ignoreCase: boolean): Map<string, GitAnswer | null> {
  const env = {
    ...process.env,
    HOME: join(root, '..', 'home'),
    XDG_CONFIG_HOME: join(root, '..', 'xdg'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  const res = spawnSync(
    'git',
    ['-c', `core.excludesFile=${globalFile}`, '-c', `core.ignoreCase=${ignoreCase}`, 'check-ignore', '--stdin', '-z', '-v', '--non-matching', '--no-index'],
    { cwd: root, input: paths.join('\0') + '\0', env, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (res.status !== 0 && res.status !== 1) throw new Error(`git check-ignore failed (${res.status}): ${res.stderr}`);
  const fields = res.stdout.split('\0');
  const out = new Map<string, GitAnswer | null>();
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source, line, pattern, path] = [fields[i]!, fields[i + 1]!, fields[i + 2]!, fields[i + 3]!];
    out.set(path, source === '' ? null : { source, line: Number(line), pattern });
  }
  return out;
}

function sourceLabel(gitSource: string, globalFile: string): string {
  if (gitSource === globalFile) return 'global';
  if (gitSource.endsWith('info/exclude')) return 'exclude';
  return gitSource;
}

interface Tally {
  paths: number;
  ignored: number;
  negated: number;
  viaParent: number;
}

function runRound(seed: number, ignoreCase: boolean, tally: Tally): void {
  const r = seededRng(seed);
  const layout = randomLayout(r);
  const base = mkdtempSync(join(tmpdir(), 'keysmith-gi-'));
  try {
    const root = join(base, 'repo');
    mkdirSync(root);
    mkdirSync(join(base, 'home'));
    const git = spawnSync('git', ['init', '-q'], { cwd: root, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    assert.equal(git.status, 0, String(git.stderr));
    for (const d of layout.dirs) mkdirSync(join(root, d), { recursive: true });
    for (const f of layout.files) writeFileSync(join(root, f), 'x\n');
    const globalFile = join(base, 'global-ignore');
    for (const s of layout.sources) {
      const kind = s.kind ?? 'gitignore';
      const file = kind === 'exclude' ? join(root, '.git', 'info', 'exclude') : kind === 'global' ? globalFile : join(root, s.dir, '.gitignore');
      if (kind === 'exclude') mkdirSync(join(root, '.git', 'info'), { recursive: true });
      writeFileSync(file, s.content);
    }
    const paths = layout.queries.map((q) => q.path);
    const answers = gitCheckIgnore(root, globalFile, paths, ignoreCase);
    const matcher = createIgnoreMatcher(layout.sources, { ignoreCase });
    const mismatches: string[] = [];
    for (const q of layout.queries) {
      const g = answers.get(q.path);
      assert.ok(g !== undefined, `git gave no answer for ${JSON.stringify(q.path)}`);
      const m = matcher.match(q.path, q.isDir);
      const gitView = g === null ? 'none' : `${sourceLabel(g.source, globalFile)}:${g.line}:${g.pattern}`;
      // git prints the pattern with its trailing slash and without trailing spaces or a final CR.
      const ourView = m === null ? 'none' : `${m.sourceName}:${m.line}:${m.pattern}`;
      tally.paths++;
      if (m?.ignored) tally.ignored++;
      if (m && !m.ignored) tally.negated++;
      if (m && m.matchedPath !== q.path) tally.viaParent++;
      if (gitView !== ourView) mismatches.push(`${JSON.stringify(q.path)}${q.isDir ? ' (dir)' : ''}: git ${JSON.stringify(gitView)}, ours ${JSON.stringify(ourView)}`);
    }
    if (mismatches.length > 0) {
      const dump = layout.sources.map((s) => `--- ${s.name}\n${s.content}`).join('\n');
      assert.fail(`seed ${seed} (ignoreCase ${ignoreCase}): ${mismatches.length} mismatches\n${mismatches.slice(0, 15).join('\n')}\n${dump}`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

describe('gitignore matcher vs git check-ignore', { skip: !hasGit && 'git is not installed' }, () => {
  const seed = freshSeed();
  it(`agrees on random repositories (seed ${seed})`, () => {
    const tally: Tally = { paths: 0, ignored: 0, negated: 0, viaParent: 0 };
    for (let round = 0; round < 8; round++) runRound((seed + round * 7919) >>> 0, false, tally);
    // The random layouts exercise every outcome, not just "not ignored".
    assert.ok(tally.paths >= 400, `only ${tally.paths} paths compared`);
    assert.ok(tally.ignored >= tally.paths / 10, `only ${tally.ignored} of ${tally.paths} ignored`);
    assert.ok(tally.negated > 0 && tally.viaParent > 0, JSON.stringify(tally));
  });
  it(`agrees with core.ignoreCase=true (seed ${seed})`, () => {
    const tally: Tally = { paths: 0, ignored: 0, negated: 0, viaParent: 0 };
    for (let round = 0; round < 2; round++) runRound((seed + 104729 + round) >>> 0, true, tally);
    assert.ok(tally.paths > 0);
  });
});

/**
 * Fixed cases from git's documented behaviour (gitignore(5), wildmatch: `[:space:]` is git's
 * isspace(), i.e. space, tab, LF and CR; a backslash escapes the next pattern character; paths are
 * POSIX, so a backslash in a name is an ordinary byte). Each expectation is written down, then
 * checked against the matcher and against the real git.
 */
const DOCUMENTED: { pattern: string; path: string; ignored: boolean }[] = [
  { pattern: '*[[:space:]]*', path: 'a b', ignored: true },
  { pattern: '*[[:space:]]*', path: 'tab\tx', ignored: true },
  { pattern: '*[[:space:]]*', path: 'v\u000bt', ignored: false },
  { pattern: '*[[:space:]]*', path: 'f\u000cf', ignored: false },
  { pattern: '*[[:space:]]*', path: 'plain', ignored: false },
  { pattern: '[[:space:]]*', path: '\rlead', ignored: true },
  { pattern: '*[[:blank:]]*', path: 'tab\tx', ignored: true },
  { pattern: '*[[:cntrl:]]*', path: 'v\u000bt', ignored: true },
  { pattern: '.env', path: 'a\\.env', ignored: false },
  { pattern: '*.env', path: 'a\\.env', ignored: true },
  { pattern: 'a\\\\.env', path: 'a\\.env', ignored: true },
  { pattern: 'back\\\\slash', path: 'back\\slash', ignored: true },
  { pattern: 'back\\slash', path: 'back\\slash', ignored: false },
  { pattern: 'back\\slash', path: 'backslash', ignored: true },
  { pattern: 'a/.env', path: 'a\\.env', ignored: false },
  { pattern: '*\\\\*', path: 'x\\y', ignored: true },
  { pattern: '*\\\\*', path: 'xy', ignored: false },
];

describe('gitignore matcher: documented cases, checked against git', () => {
  it('[[:space:]] and backslashes in file names, as written down', () => {
    for (const c of DOCUMENTED) {
      const m = createIgnoreMatcher([{ dir: '', content: `${c.pattern}\n` }]);
      assert.equal(m.isIgnored(c.path), c.ignored, `${JSON.stringify(c.pattern)} vs ${JSON.stringify(c.path)}`);
    }
  });
  it('real git agrees with every expectation', { skip: !hasGit && 'git is not installed' }, () => {
    for (const c of DOCUMENTED) {
      const base = mkdtempSync(join(tmpdir(), 'keysmith-gidoc-'));
      try {
        const root = join(base, 'repo');
        mkdirSync(root);
        const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: base };
        assert.equal(spawnSync('git', ['init', '-q'], { cwd: root, env }).status, 0);
        writeFileSync(join(root, '.gitignore'), `${c.pattern}\n`);
        writeFileSync(join(root, c.path), 'x\n');
        const res = spawnSync('git', ['check-ignore', '--stdin', '-z', '--no-index'], { cwd: root, env, input: `${c.path}\0`, encoding: 'utf8' });
        assert.ok(res.status === 0 || res.status === 1, res.stderr);
        assert.equal(res.stdout.split('\0').includes(c.path), c.ignored, `git: ${JSON.stringify(c.pattern)} vs ${JSON.stringify(c.path)}`);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    }
  });
});
